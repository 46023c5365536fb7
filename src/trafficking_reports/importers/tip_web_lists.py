"""TIP tier lists copied from public web pages -> data/facts/tip_web_lists.csv.

A SECONDARY copy: pages that reproduce the report's tier-placement lists (2020 Tier 1 and 2
and 2023 Tier 1 and 2 from GVNet; 2021 all tiers from discerning-islam.org; 2024 Tier 1 from
knowyourcountry.com). Where a page does not print its edition, the row's note says how the
edition was inferred, and that note is carried into the fact.
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

RAW_FILE = Path("tip_secondary") / "web_lists" / "tier_lists.csv"
SOURCE = secondary_tip_source(
    "usdos_tip_tiers_via_web_lists",
    "Trafficking in Persons Report tier-placement lists of 2020, 2021, 2023 and 2024, as reproduced on public web "
    "pages (GVNet, discerning-islam.org, knowyourcountry.com)",
    "report years 2020, 2021, 2023, 2024",
    "tier lists copied from stored web pages that reproduce the report's lists; each fact's locator names the "
    "page. The 2021 and 2024 editions are inferred from the lists' membership (see each fact's note).")


def build(raw_dir: Path, data_dir: Path) -> pd.DataFrame:
    path = require_file(raw_dir / RAW_FILE)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(raw, ["report_year", "country_as_written", "tier", "page_url", "note"], path)
    resolver = CountryResolver.from_data(data_dir)
    rows = []
    for idx, rec in raw.iterrows():
        iso3, year = listed_tier(resolver, f"{path}: row {idx + 2}", rec["country_as_written"],
                                 rec["report_year"], rec["tier"])
        rows.append(tier_fact(iso3, year, rec["tier"], SOURCE["source_id"],
                              f"{RAW_FILE.name}, row {idx + 2} · {rec['page_url']}", rec["note"] or None))
    return one_tier_per_edition(rows, path)


def run(raw_dir: Path, data_dir: Path) -> dict:
    return import_facts(build, raw_dir, data_dir, "tip_web_lists.csv", [(SOURCE, RAW_FILE)])
