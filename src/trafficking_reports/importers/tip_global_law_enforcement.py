"""The TIP Report's worldwide law-enforcement table 2003-2015 -> facts for WLD."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .common import (
    UpstreamFormatError,
    import_facts,
    require_columns,
    require_file,
)

RAW_FILE = Path("tip_global_law_enforcement") / "global_law_enforcement_2003_2015.csv"
COLUMNS = {
    "Prosecutions": ("tip_global_prosecutions", "prosecutions"),
    "Prosecutions (Labor)": ("tip_global_prosecutions_labour", "prosecutions"),
    "Convictions": ("tip_global_convictions", "convictions"),
    "Convictions (Labor)": ("tip_global_convictions_labour", "convictions"),
    "Victims identified": ("tip_global_victims_identified", "persons"),
    "Victims (Labor)": ("tip_global_victims_identified_labour", "persons"),
    "New or amended legislation": ("tip_global_new_legislation", "laws"),
}
SOURCE = {
    "source_id": "usdos_tip_global_law_enforcement",
    "publisher": "U.S. Department of State",
    "title": "Trafficking in Persons Report, Global Law Enforcement Data table, 2003-2015",
    "edition": "report years 2004-2016 (introductions)",
    "url": "https://www.state.gov/trafficking-in-persons-report/",
    "date_published": "",
    "licence": "US government work (public domain); compilation MIT (Kelley and Heiss 2017)",
    "note": "Compiled by github andrewheiss/scorecard-diplomacy, data/original/ (commit f8c06be8).",
}


def build(raw_dir: Path, data_dir: Path) -> pd.DataFrame:
    path = require_file(raw_dir / RAW_FILE)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(raw, ["Year", *COLUMNS], path)
    rows = []
    for idx, rec in raw.iterrows():
        for column, (indicator, unit) in COLUMNS.items():
            text = rec[column].replace(",", "").strip()
            if text == "":
                continue  # blank in the table: not reported, so no fact
            if not text.isdigit() or not rec["Year"].isdigit():
                raise UpstreamFormatError(f"{path}: row {idx + 2}, column {column!r}: expected a count, "
                                          f"found {rec[column]!r}")
            rows.append({
                "country_iso3": "WLD",
                "indicator": indicator,
                "period": int(rec["Year"]),
                "value": text,
                "value_qualifier": "exact",
                "unit": unit,
                "source_id": SOURCE["source_id"],
                "copy_type": "secondary",  # transcribed from the reports by the compilers
                "locator": f"global_law_enforcement_2003_2015.csv, row {idx + 2}, column {column}",
            })
    return pd.DataFrame(rows)


def run(raw_dir: Path, data_dir: Path) -> dict:
    return import_facts(build, raw_dir, data_dir, "tip_global_law_enforcement.csv", [(SOURCE, RAW_FILE)])
