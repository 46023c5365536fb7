"""TIP Report tier placements 2001-2015 (compiled panel) -> data/facts/tip_tiers.csv.

The panel codes 1 = Tier 1, 2 = Tier 2, 3 = Tier 2 Watch List, 4 = Tier 3. Its NA
mixes "not ranked", "missing" and "Special Case", which cannot be told apart, so
NA rows are not imported: Special Case and Not ranked come from report narratives.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..countries import CountryResolver
from .common import (
    UpstreamFormatError,
    import_facts,
    require_columns,
    require_file,
)

RAW_FILE = Path("tip_tiers") / "map_tiers.csv"
CODES = {"1": "Tier 1", "2": "Tier 2", "3": "Tier 2 Watch List", "4": "Tier 3"}
SOURCE = {
    "source_id": "usdos_tip_tiers_2001_2015",
    "publisher": "U.S. Department of State",
    "title": "Trafficking in Persons Report, tier placements of report years 2001-2015 (compiled panel)",
    "edition": "2001-2015",
    "url": "https://www.state.gov/trafficking-in-persons-report/",
    "date_published": "",
    "licence": "US government work (public domain); compilation MIT (Kelley and Heiss 2017)",
    "note": "2001-2014 coded by Seo-Young Cho (3P project), 2015 by the compilers; compiled by "
            "github andrewheiss/scorecard-diplomacy (commit f8c06be8), map_tiers.csv.",
}
EXPECTED = ["countryname", "iso", "year", "tier"]


def build(raw_dir: Path, data_dir: Path) -> pd.DataFrame:
    path = require_file(raw_dir / RAW_FILE)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(raw, EXPECTED, path)
    raw["csv_row"] = raw.index + 2
    resolver = CountryResolver.from_data(data_dir)
    rows = []
    for _, rec in raw.iterrows():
        where = f"{path}: row {rec['csv_row']}"
        tier = rec["tier"].strip()
        if tier in ("NA", ""):
            continue
        if tier not in CODES:
            raise UpstreamFormatError(f"{where}: column tier expects 1-4 or NA, found {tier!r}")
        iso3 = resolver.iso3_or_none(rec["iso"]) or resolver.iso3_or_none(rec["countryname"])
        if iso3 is None:
            raise UpstreamFormatError(f"{where}: country {rec['countryname']!r} ({rec['iso']}) unknown")
        year = int(rec["year"])
        rows.append({
            "country_iso3": iso3,
            "indicator": "tip_tier",
            "period": year,
            "report_year": year,
            "value": CODES[tier],
            "value_qualifier": "exact",
            "unit": "tier",
            "source_id": SOURCE["source_id"],
            "copy_type": "secondary",  # Cho's coding and the compilers' 2015 entries, not the reports' text
            "locator": f"map_tiers.csv, row {rec['csv_row']}",
        })
    return pd.DataFrame(rows)


def run(raw_dir: Path, data_dir: Path) -> dict:
    return import_facts(build, raw_dir, data_dir, "tip_tiers.csv", [(SOURCE, RAW_FILE)])
