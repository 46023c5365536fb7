"""UNODC GLOTIP country data -> data/facts/unodc_glotip.csv (country totals, 2003-2022)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..countries import CountryResolver
from .common import (
    UpstreamFormatError,
    import_facts,
    read_excel_sheet,
    require_columns,
)

RAW_FILE = Path("unodc_glotip") / "data_glotip.xlsx"
SHEET = "data_glotip_1"
HEADER_ROW = 3  # 1-based Excel row of the header; two title rows above it
SOURCE_ID = "unodc_glotip_2025"
SOURCE = {
    "source_id": SOURCE_ID,
    "publisher": "United Nations Office on Drugs and Crime (UNODC)",
    "title": "Global Report on Trafficking in Persons: country data (data_glotip.xlsx)",
    "edition": "release of 14/04/2025",
    "url": "https://dataunodc.un.org/dp-trafficking-persons",
    "date_published": "2025-04-14",
    "licence": "UNODC terms of use",
    "note": "Country totals only. Re-hosted by github mari21041/first_project (commit 7e1c7fdc); cited to UNODC.",
}
INDICATORS = {
    "Detected trafficking victims": "unodc_victims_detected",
    "Persons prosecuted": "unodc_persons_prosecuted",
    "Persons convicted": "unodc_persons_convicted",
    "Persons brought into formal contact": "unodc_persons_formal_contact",
    "Offences of trafficking in persons": "unodc_offences",
}
UNIT = {"unodc_offences": "offences"}
EXPECTED = ["Iso3_code", "Country", "Indicator", "Dimension", "Category", "Sex", "Age", "Year",
            "txtVALUE"]
# Rows UNODC reports for places without an ISO 3166 code; left out, and counted.
NO_ISO_CODE = {"Sark": "a dependency of Guernsey that UNODC reports separately"}
CENSORED = re.compile(r"^<\s*(\d+)$")
COUNT = re.compile(r"^\d{1,3}(,\d{3})*$|^\d+$")


def parse_value(text: str) -> tuple[str, str]:
    """'1,653' -> ('1653', 'exact'); '<5' -> ('<5', 'censored'): never 5, never 0."""
    text = str(text).strip()
    censored = CENSORED.match(text)
    if censored:
        return f"<{censored.group(1)}", "censored"
    if COUNT.match(text):
        return text.replace(",", ""), "exact"
    raise ValueError(f"not a count: {text!r}")


def build(raw_dir: Path, data_dir: Path) -> pd.DataFrame:
    path = raw_dir / RAW_FILE
    raw = read_excel_sheet(path, SHEET, header=HEADER_ROW - 1)

    require_columns(raw, EXPECTED, path, f"sheet {SHEET!r}, header row {HEADER_ROW}")
    raw["excel_row"] = raw.index + HEADER_ROW + 1
    totals = raw[(raw[["Dimension", "Category", "Sex", "Age"]] == "Total").all(axis=1)]
    totals = totals[totals["Indicator"].isin(INDICATORS)]
    totals = totals[~(totals["Iso3_code"].isna() & totals["Country"].isin(NO_ISO_CODE))]
    resolver = CountryResolver.from_data(data_dir)
    iso3 = totals["Iso3_code"].map(lambda code: resolver.iso3_or_none(code))
    unknown = sorted(set(totals.loc[iso3.isna(), "Iso3_code"].astype(str)))
    if unknown:
        raise UpstreamFormatError(f"{path}: country codes not in data/countries.csv or aliases: {unknown}")
    rows = []
    for (_, rec), code in zip(totals.iterrows(), iso3):
        try:
            value, qualifier = parse_value(rec["txtVALUE"])
            year = int(rec["Year"])
        except ValueError as err:
            raise UpstreamFormatError(f"{path}: sheet {SHEET}, row {rec['excel_row']}: {err}") from err
        indicator = INDICATORS[rec["Indicator"]]
        rows.append({
            "country_iso3": code,
            "indicator": indicator,
            "period": year,
            "value": value,
            "value_qualifier": qualifier,
            "unit": UNIT.get(indicator, "persons"),
            "source_id": SOURCE_ID,
            "copy_type": "primary",
            "locator": f"sheet {SHEET}, row {rec['excel_row']}",
        })
    facts = pd.DataFrame(rows)
    dupes = facts[facts.duplicated(["country_iso3", "indicator", "period"], keep=False)]
    if not dupes.empty:
        raise UpstreamFormatError(f"{path}: several total rows for one country, indicator and year: "
                                  f"{dupes['locator'].tolist()[:4]}")
    return facts


def run(raw_dir: Path, data_dir: Path) -> dict:
    return import_facts(build, raw_dir, data_dir, "unodc_glotip.csv", [(SOURCE, RAW_FILE)])
