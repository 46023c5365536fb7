"""UN M49 regions -> data/countries.csv (ISO3, report name, region, sub-region).

Reviewed inputs: curation/countries/report_names.csv (shorter names reports print) and
countries_extra.csv (places M49 lacks: World, Kosovo, historical states).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import schema
from ..countries import CountryResolver
from ..paths import curation_dir
from ..tables import read_table, write_table
from .common import UpstreamFormatError, register_source, require_columns, require_file, upstream_source

RAW_FILE = Path("un_m49") / "iso3166_m49_regions.csv"
SOURCE_ID = "unsd_m49"
SOURCE = {
    "source_id": SOURCE_ID,
    "publisher": "United Nations Statistics Division",
    "title": "Standard country or area codes for statistical use (M49)",
    "edition": "online, as compiled in ISO-3166-Countries-with-Regional-Codes",
    "url": "https://unstats.un.org/unsd/methodology/m49/overview",
    "date_published": "",
    "licence": "UN terms of use; compilation CC BY-SA 4.0",
    "note": "Compiled by github lukes/ISO-3166-Countries-with-Regional-Codes, commit 145f1ad3.",
}
EXPECTED = ["name", "alpha-3", "country-code", "region", "sub-region", "intermediate-region"]


def read_reviewed(data_dir: Path, name: str) -> pd.DataFrame:
    path = curation_dir(data_dir) / "countries" / name
    if not path.is_file():
        raise UpstreamFormatError(f"{path}: reviewed input not found (curation/countries/ beside the data folder)")
    return read_table(path)


def build(raw_dir: Path, data_dir: Path) -> pd.DataFrame:
    path = require_file(raw_dir / RAW_FILE)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(raw, EXPECTED, path)
    bad = raw.loc[~raw["alpha-3"].str.fullmatch(r"[A-Z]{3}"), "alpha-3"]
    if not bad.empty:
        raise UpstreamFormatError(f"{path}: column alpha-3 expects ISO3 codes; found {bad.tolist()[:5]}")
    countries = pd.DataFrame({
        "iso3": raw["alpha-3"],
        "name": raw["name"],
        "m49_code": raw["country-code"],
        "region": raw["region"],
        "sub_region": raw["sub-region"],
        "intermediate_region": raw["intermediate-region"],
        "source_id": SOURCE_ID,
    })
    # Reviewed report names (short, as analysts write them) and places M49 lacks.
    names = read_reviewed(data_dir, "report_names.csv").set_index("iso3")["name"]
    countries["name"] = countries["iso3"].map(names).fillna(countries["name"])
    extra = read_reviewed(data_dir, "countries_extra.csv")
    return pd.concat([countries, extra], ignore_index=True)


def run(raw_dir: Path, data_dir: Path) -> dict:
    countries = build(raw_dir, data_dir)
    write_table(countries, data_dir / "countries.csv", schema.columns("countries", data_dir), ["iso3"])
    register_source(data_dir, upstream_source(SOURCE, raw_dir / RAW_FILE))
    CountryResolver.clear_cache()  # later importers must see the table just written
    return {"countries.csv": len(countries)}
