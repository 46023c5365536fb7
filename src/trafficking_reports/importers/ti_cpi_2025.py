"""Transparency International CPI 2025 workbook -> data/facts/ti_cpi_2025.csv.

CPI 2024 and 2025 scores and ranks (and the number of countries ranked) from TI's own
2025 release. The same sheet restates 2012-2023; where it differs from the CPI 2023
workbook (data/facts/ti_cpi.csv), the restated value is kept too, with a note naming the
value it replaces: both stay in the data, `conflicts` lists them, and reports prefer the
newer edition (indicators.SOURCE_PRECEDENCE).

Trap: the file is "Strict OOXML"; openpyxl sees no sheets, the calamine engine reads it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..countries import CountryResolver
from . import ti_cpi
from .common import UpstreamFormatError, import_facts, require_columns, require_file

WORKBOOK = Path("ti_cpi") / "CPI2025_Results.xlsx"
SHEET = "CPI Timeseries 2012 - 2025"
HEADER_ROW = 4
NEW_YEARS = (2024, 2025)  # the years no earlier workbook of ours holds
SOURCE = {
    "source_id": "ti_cpi_2025",
    "publisher": "Transparency International",
    "title": "Corruption Perceptions Index 2025: results workbook (CPI2025_Results.xlsx)",
    "edition": "CPI 2025",
    "url": "https://www.transparency.org/en/cpi/2025",
    "date_published": "2026-02-10",
    "licence": "CC BY-ND 4.0 (attribute Transparency International)",
    "note": "Sheet 'CPI Timeseries 2012 - 2025': scores and ranks 2024-2025, and 2012-2023 values where they "
            "differ from the CPI 2023 workbook. Re-hosted by github angelloaleon/campaign-finance-latam "
            "(commit 80c999fa); cited to TI.",
}


def score_column(frame: pd.DataFrame, year: int) -> str:
    # TI writes "CPI score 2025" but "CPI Score 2013"
    for col in frame.columns:
        if str(col).casefold() == f"cpi score {year}":
            return col
    raise UpstreamFormatError(f"{WORKBOOK} sheet {SHEET!r}: no 'CPI score {year}' column")


def read_sheet(path: Path) -> pd.DataFrame:
    require_file(path)
    try:
        raw = pd.read_excel(path, sheet_name=SHEET, header=HEADER_ROW - 1, dtype=str, engine="calamine")
    except ValueError as err:
        raise UpstreamFormatError(f"{path}: expected a sheet {SHEET!r}: {err}") from err
    require_columns(raw, ["ISO3", "Country / Territory", "Rank 2025", "Rank 2024"], path,
                    f"sheet {SHEET!r}, header row {HEADER_ROW}")
    raw["excel_row"] = raw.index + HEADER_ROW + 1
    return raw.dropna(subset=["ISO3"])


def build(raw_dir: Path, data_dir: Path) -> pd.DataFrame:
    path = raw_dir / WORKBOOK
    raw = read_sheet(path)
    resolver = CountryResolver.from_data(data_dir)
    years = sorted({int(str(c)[-4:]) for c in raw.columns if str(c).casefold().startswith("cpi score ")})
    rows = []
    for _, rec in raw.iterrows():
        where = f"{path}: sheet {SHEET}, row {rec['excel_row']}"
        iso3 = resolver.iso3_or_none(rec["ISO3"])
        if iso3 is None:
            raise UpstreamFormatError(f"{where}: ISO3 {rec['ISO3']!r} not in countries or aliases")
        for year in years:
            for indicator, column, unit in (("cpi_score", score_column(raw, year), "score (0-100)"),
                                            ("cpi_rank", f"Rank {year}", "rank")):
                if column not in raw.columns or pd.isna(rec[column]):
                    continue  # not scored that year (or no rank column for 2012-2016): no fact
                rows.append({"country_iso3": iso3, "indicator": indicator, "period": year,
                             "value": ti_cpi._whole(rec[column], where), "value_qualifier": "exact",
                             "unit": unit, "source_id": SOURCE["source_id"], "copy_type": "primary",
                             "locator": f"sheet {SHEET}, row {rec['excel_row']}, column {column}"})
    facts = pd.DataFrame(rows)
    older = ti_cpi.build_new_scale(raw_dir, resolver)
    return pd.concat([facts[facts["period"].isin(NEW_YEARS)], ranked_counts(facts),
                      restated(facts[~facts["period"].isin(NEW_YEARS)], older)], ignore_index=True)


def ranked_counts(facts: pd.DataFrame) -> pd.DataFrame:
    ranks = facts[(facts["indicator"] == "cpi_rank") & facts["period"].isin(NEW_YEARS)]
    return pd.DataFrame([{
        "country_iso3": "WLD", "indicator": "cpi_countries_ranked", "period": year, "value": str(count),
        "value_qualifier": "exact", "unit": "countries", "source_id": SOURCE["source_id"], "copy_type": "primary",
        "locator": f"sheet {SHEET}, count of rows with a value in column Rank {year}", "value_rule": "rows_counted"}
        for year, count in ranks.groupby("period").size().items()])


def restated(newer: pd.DataFrame, older: pd.DataFrame) -> pd.DataFrame:
    """2012-2023 values the 2025 workbook gives differently from the 2023 one (or adds)."""
    key = ["country_iso3", "indicator", "period"]
    merged = newer.merge(older[key + ["value"]], on=key, how="left", suffixes=("", "_2023"))
    changed = merged[merged["value"] != merged["value_2023"]].copy()
    changed["note"] = [
        f"restates TI's CPI 2023 workbook, which gives {old}" if pd.notna(old)
        else "not in TI's CPI 2023 workbook" for old in changed["value_2023"]]
    return changed.drop(columns="value_2023")


def run(raw_dir: Path, data_dir: Path) -> dict:
    return import_facts(build, raw_dir, data_dir, "ti_cpi_2025.csv", [(SOURCE, WORKBOOK)])
