"""Transparency International CPI -> data/facts/ti_cpi.csv.

2012-2023 scores and ranks from TI's own 2023 workbook, with the number of countries
ranked each year; 1995-2011 scores from the compiled series, kept as a separate
indicator because TI's 2012 methodology change makes them incomparable.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..countries import CountryResolver
from .common import (
    UpstreamFormatError,
    import_facts,
    read_excel_sheet,
    require_columns,
    require_file,
)

WORKBOOK = Path("ti_cpi") / "CPI2023_GlobalResultsTrends.xlsx"
SHEET = "CPI Historical (internal)"
HEADER_ROW = 4
OLD_SERIES = Path("ti_cpi") / "cpi_scores_1995_2023.csv"
NEW_SCALE_FROM = 2012
# A row whose country is the bare token "NA" (row 4246, 2008, score 31) names no
# country; guessing one would invent a fact, so it is left out.
UNIDENTIFIED_NAMES = {"NA"}

WORKBOOK_SOURCE = {
    "source_id": "ti_cpi_2023",
    "publisher": "Transparency International",
    "title": "Corruption Perceptions Index 2023: global results and trends (CPI2023_GlobalResultsTrends.xlsx)",
    "edition": "CPI 2023",
    "url": "https://www.transparency.org/en/cpi/2023",
    "date_published": "2024-01-30",
    "licence": "CC BY-ND 4.0 (attribute Transparency International)",
    "note": "Sheet 'CPI Historical (internal)', 2012-2023. Re-hosted by github raulincadet/Macro "
            "(commit 65b2aa9b); cited to TI.",
}
OLD_SOURCE = {
    "source_id": "ti_cpi_1995_2011",
    "publisher": "Transparency International",
    "title": "Corruption Perceptions Index, yearly releases 1995-2011 (scores on the 0-10 scale, x10)",
    "edition": "1995-2011",
    "url": "https://www.transparency.org/en/cpi",
    "date_published": "",
    "licence": "Transparency International terms of use (attribute Transparency International)",
    "note": "Compiled by github fsolt/transparency-international-cpi (cpi.csv, commit 675e1b58); "
            "only years before 2012 are taken from it.",
}
WORKBOOK_COLUMNS = ["ISO3", "Year", "CPI score", "Rank"]
OLD_COLUMNS = ["country", "year", "cpi"]


def _whole(text, where: str) -> str:
    try:
        number = float(str(text).replace(",", ""))
    except ValueError:
        raise UpstreamFormatError(f"{where}: expected a number, found {text!r}") from None
    if number != int(number) or number < 0:
        raise UpstreamFormatError(f"{where}: expected a whole non-negative number, found {text!r}")
    return str(int(number))


def build_new_scale(raw_dir: Path, resolver: CountryResolver) -> pd.DataFrame:
    path = raw_dir / WORKBOOK
    raw = read_excel_sheet(path, SHEET, header=HEADER_ROW - 1)
    require_columns(raw, WORKBOOK_COLUMNS, path, f"sheet {SHEET!r}, header row {HEADER_ROW}")
    raw = raw.dropna(subset=["ISO3", "Year"])
    rows = []
    for idx, rec in raw.iterrows():
        where = f"{path}: sheet {SHEET}, row {idx + HEADER_ROW + 1}"
        iso3 = resolver.iso3_or_none(rec["ISO3"])
        if iso3 is None:
            raise UpstreamFormatError(f"{where}: ISO3 {rec['ISO3']!r} not in countries or aliases")
        year = int(_whole(rec["Year"], where))
        locator = f"sheet {SHEET}, row {idx + HEADER_ROW + 1}"
        base = {"country_iso3": iso3, "period": year, "value_qualifier": "exact",
                "source_id": WORKBOOK_SOURCE["source_id"], "copy_type": "primary", "locator": locator}
        if pd.notna(rec["CPI score"]):
            rows.append({**base, "indicator": "cpi_score", "value": _whole(rec["CPI score"], where),
                         "unit": "score (0-100)"})
        if pd.notna(rec["Rank"]):
            rows.append({**base, "indicator": "cpi_rank", "value": _whole(rec["Rank"], where),
                         "unit": "rank"})
    facts = pd.DataFrame(rows)
    ranked = facts[facts["indicator"] == "cpi_rank"].groupby("period").size()
    for year, count in ranked.items():
        rows.append({"country_iso3": "WLD", "indicator": "cpi_countries_ranked", "period": year,
                     "value": str(count), "value_qualifier": "exact", "unit": "countries",
                     "source_id": WORKBOOK_SOURCE["source_id"], "copy_type": "primary",
                     "locator": f"sheet {SHEET}, count of rows with a Rank for Year {year}",
                     "value_rule": "rows_counted"})
    return pd.DataFrame(rows)


def build_old_scale(raw_dir: Path, resolver: CountryResolver) -> pd.DataFrame:
    path = require_file(raw_dir / OLD_SERIES)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(raw, OLD_COLUMNS, path)
    raw["csv_row"] = raw.index + 2
    raw = raw[pd.to_numeric(raw["year"], errors="coerce") < NEW_SCALE_FROM]
    raw = raw[~raw["country"].isin(UNIDENTIFIED_NAMES)]
    unknown = sorted({name for name in raw["country"] if resolver.iso3_or_none(name) is None})
    if unknown:
        raise UpstreamFormatError(f"{path}: country names not in data/country_aliases.csv: {unknown}")
    rows = []
    for _, rec in raw[raw["cpi"] != ""].iterrows():
        where = f"{path}: row {rec['csv_row']}"
        try:
            score = float(rec["cpi"])
        except ValueError:
            raise UpstreamFormatError(f"{where}: column cpi expects a number, found {rec['cpi']!r}") from None
        rows.append({
            "country_iso3": resolver.iso3_or_none(rec["country"]),
            "indicator": "cpi_score_old_scale",
            "period": int(rec["year"]),
            "value": f"{score:g}",
            "value_qualifier": "exact",
            "unit": "score (0-10 scale x10)",
            "source_id": OLD_SOURCE["source_id"],
            "copy_type": "secondary",  # a compiler's table of TI's yearly releases
            "locator": f"cpi_scores_1995_2023.csv, row {rec['csv_row']}",
        })
    return pd.DataFrame(rows)


def build(raw_dir: Path, data_dir: Path) -> pd.DataFrame:
    resolver = CountryResolver.from_data(data_dir)
    return pd.concat([build_new_scale(raw_dir, resolver), build_old_scale(raw_dir, resolver)],
                     ignore_index=True)


def run(raw_dir: Path, data_dir: Path) -> dict:
    return import_facts(build, raw_dir, data_dir, "ti_cpi.csv", [(WORKBOOK_SOURCE, WORKBOOK), (OLD_SOURCE, OLD_SERIES)])
