"""The 2025 TIP Report's tier lists as transcribed by a third party -> data/facts/tip_2025_transcription.csv.

A SECONDARY copy: Tier 1, Tier 2, Tier 2 Watch List and Tier 3 (184 countries; no Special
Cases), copied by hand out of a third party's JSON that names the State Department's 2025
report (published 29 September 2025) as its source.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..countries import CountryResolver
from .common import (
    import_facts,
    listed_tier,
    one_tier_per_edition,
    require_columns,
    require_file,
    secondary_tip_source,
    tier_fact,
)

RAW_FILE = Path("tip_secondary") / "tip2025_transcription" / "tip_2025_tiers.csv"
SOURCE = secondary_tip_source(
    "usdos_tip_2025_tiers_via_transcription",
    "2025 Trafficking in Persons Report (published 29 September 2025), tier lists as transcribed by a third party",
    "2025",
    "the 'tip_tier' block of data/country-indicators.json in github trex0092/HAWKEYE-STERLING-RA (commit "
    "cf2050cb), copied out by hand; Tier 1 re-checked against that JSON, Watch List and Tier 3 against the CIA "
    "World Factbook's 2025 list. No licence stated.")


def build(raw_dir: Path, data_dir: Path) -> pd.DataFrame:
    path = require_file(raw_dir / RAW_FILE)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(raw, ["report_year", "country_as_published", "tier"], path)
    resolver = CountryResolver.from_data(data_dir)
    rows = []
    for idx, rec in raw.iterrows():
        iso3, year = listed_tier(resolver, f"{path}: row {idx + 2}", rec["country_as_published"],
                                 rec["report_year"], rec["tier"])
        rows.append(tier_fact(iso3, year, rec["tier"], SOURCE["source_id"], f"{RAW_FILE.name}, row {idx + 2}"))
    return one_tier_per_edition(rows, path)


def run(raw_dir: Path, data_dir: Path) -> dict:
    return import_facts(build, raw_dir, data_dir, "tip_2025_transcription.csv", [(SOURCE, RAW_FILE)])
