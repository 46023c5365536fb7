"""Walk Free's Global Slavery Index 2023 estimates -> data/facts/walkfree_gsi.csv.

Two indicators per country: the estimated prevalence of modern slavery per 1,000 people and
the estimated number of people in modern slavery. They are MODELLED ESTIMATES, not counts
(value_qualifier "estimate"), and refer to 2021 ("on any given day in 2021", Walk Free).
Small states that Walk Free publishes without an estimate are left out (no row, never 0).
Traps: thousands separators and padding spaces in numbers; stray spaces in the "Country" header.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..countries import CountryResolver
from .common import UpstreamFormatError, import_facts, require_columns, require_file

RAW_FILE = Path("walkfree_gsi") / "Global_Slavery_Index_2023.csv"
PERIOD = 2021  # Walk Free: "An estimated 50 million people were living in modern slavery on any given day in 2021"
PREVALENCE = "Estimated prevalence of modern slavery per 1,000 population"
NUMBER = "Estimated number of people in modern slavery"
SOURCE = {
    "source_id": "walkfree_gsi_2023",
    "publisher": "Walk Free",
    "title": "Global Slavery Index 2023: country estimates of modern slavery (prevalence per 1,000 and number of "
             "people)",
    "edition": "GSI 2023",
    "url": "https://www.walkfree.org/global-slavery-index/",
    "date_published": "2023",  # the edition; the day of release was not read in a stored copy
    "licence": "Walk Free terms of use (attribute Walk Free); only the figures a report needs are republished",
    "note": "Modelled estimates, not counts; they refer to 2021. From Walk Free's workbook "
            "2023-Global-Slavery-Index-Data.xlsx, read in a CSV copy (github br04aman/Datathon, commit 972cfb11, a "
            "copy of a Kaggle copy); the ten highest prevalence figures and seven largest numbers were checked "
            "against reports of the release.",
}
NUMBER_TEXT = re.compile(r"^\d{1,3}(,\d{3})*(\.\d+)?$|^\d+(\.\d+)?$")


def clean_number(text: str, where: str) -> str | None:
    """'  1,380,004,000 ' -> '1380004000'; '' -> None (no estimate published)."""
    text = str(text).strip()
    if text == "":
        return None
    if not NUMBER_TEXT.match(text):
        raise UpstreamFormatError(f"{where}: expected a number, found {text!r}")
    return text.replace(",", "")


def build(raw_dir: Path, data_dir: Path) -> pd.DataFrame:
    path = require_file(raw_dir / RAW_FILE)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw.columns = [" ".join(str(c).split()) for c in raw.columns]  # " Country " -> "Country"
    require_columns(raw, ["Country", PREVALENCE, NUMBER], path)
    resolver = CountryResolver.from_data(data_dir)
    rows = []
    for idx, rec in raw.iterrows():
        line = idx + 2
        iso3 = resolver.iso3_or_none(rec["Country"].strip())
        if iso3 is None:
            raise UpstreamFormatError(f"{path}: row {line}: country {rec['Country']!r} not in "
                                      "data/country_aliases.csv")
        for indicator, column, unit in (("gsi_prevalence_per_1000", PREVALENCE, "per 1,000 population"),
                                        ("gsi_people_in_modern_slavery", NUMBER, "persons")):
            value = clean_number(rec[column], f"{path}: row {line}, column {column!r}")
            if value is None:
                continue
            rows.append({"country_iso3": iso3, "indicator": indicator, "period": PERIOD, "value": value,
                         "value_qualifier": "estimate", "unit": unit, "source_id": SOURCE["source_id"],
                         "copy_type": "primary", "locator": f"{RAW_FILE.name}, row {line}, column {column}"})
    facts = pd.DataFrame(rows)
    twice = facts[facts.duplicated(["country_iso3", "indicator"], keep=False)]
    if not twice.empty:
        raise UpstreamFormatError(f"{path}: a country appears twice: {twice['locator'].tolist()[:4]}")
    return facts


def run(raw_dir: Path, data_dir: Path) -> dict:
    return import_facts(build, raw_dir, data_dir, "walkfree_gsi.csv", [(SOURCE, RAW_FILE)])
