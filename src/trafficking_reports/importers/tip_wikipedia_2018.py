"""TIP tiers of report years 2016 and 2017 from a 2018 Wikipedia-based table -> data/facts/tip_wikipedia_2018.csv.

A SECONDARY copy: a student project's country table whose tier columns were scraped in May
2018 from Wikipedia's "Trafficking in Persons Report" article. Only 2016 and 2017 are taken
(earlier years are in the compiled panel). Codes: 1, 2, 2w (Tier 2 Watch List), 3, NA.
Traps: the first column is an unnamed row number; a garbled row "CAMEROON FASO" is dropped;
some tiers sit on a row under another spelling (Myanmar's row is NA, a "BURMA" row holds its
tiers), so rows resolve by ISO3 code, then by either name column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..countries import CountryResolver
from .common import (
    UpstreamFormatError,
    import_facts,
    one_tier_per_edition,
    require_columns,
    require_file,
    secondary_tip_source,
    tier_fact,
)

RAW_FILE = Path("tip_secondary") / "wikipedia_2018" / "country_summary_data.csv"
YEARS = (2016, 2017)
CODES = {"1": "Tier 1", "2": "Tier 2", "2w": "Tier 2 Watch List", "3": "Tier 3"}
GARBLED = {"CAMEROON FASO"}  # two rows run together; neither country can be told
SOURCE = secondary_tip_source(
    "usdos_tip_tiers_via_wikipedia_2018",
    "Trafficking in Persons Report tier placements of report years 2016 and 2017, as tabulated from Wikipedia's "
    "'Trafficking in Persons Report' article (May 2018)",
    "report years 2016-2017",
    "github benjaminleroy/sure2018, data/country_summary_data.csv (commit 381670e2), a 2018 student project's "
    "table scraped from Wikipedia; no licence stated.")


def build(raw_dir: Path, data_dir: Path) -> pd.DataFrame:
    path = require_file(raw_dir / RAW_FILE)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(raw, ["Country.y", "Country.x", "Country Code", *(f"tier{y}" for y in YEARS)], path)
    resolver = CountryResolver.from_data(data_dir)
    rows = []
    for idx, rec in raw.iterrows():
        codes = {y: rec[f"tier{y}"].strip() for y in YEARS}
        if all(c in ("NA", "") for c in codes.values()) or rec["Country.x"] in GARBLED:
            continue
        names = [rec["Country Code"], rec["Country.x"], rec["Country.y"]]
        iso3 = next((i for i in map(resolver.iso3_or_none, names) if i), None)
        if iso3 is None:
            raise UpstreamFormatError(f"{path}: row {idx + 2}: country {names} not in data/country_aliases.csv")
        for year, code in codes.items():
            if code in ("NA", ""):
                continue
            if code not in CODES:
                raise UpstreamFormatError(f"{path}: row {idx + 2}, column tier{year}: expected one of "
                                          f"{list(CODES)} or NA, found {code!r}")
            rows.append(tier_fact(iso3, year, CODES[code], SOURCE["source_id"],
                                  f"{RAW_FILE.name}, row {idx + 2} ({rec['Country.x']}), column tier{year}"))
    return one_tier_per_edition(rows, path)


def run(raw_dir: Path, data_dir: Path) -> dict:
    return import_facts(build, raw_dir, data_dir, "tip_wikipedia_2018.csv", [(SOURCE, RAW_FILE)])
