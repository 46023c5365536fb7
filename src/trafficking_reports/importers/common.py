"""What every importer shares: format checks, the sources registry, writing facts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import schema
from ..errors import UpstreamFormatError  # noqa: F401  (importers raise it from here)
from ..hashing import file_digest
from ..tables import read_table, write_table

# The day the project read the upstream files in ../shared/raw (see docs/data.md).
DATE_ACCESSED = "2026-11-29"

FACT_SORT = ["country_iso3", "indicator", "period", "report_year", "source_id"]


def require_file(path: Path) -> Path:
    if not path.is_file():
        raise UpstreamFormatError(f"{path}: file not found (set TR_RAW_DIR or pass --raw-dir)")
    return path


def require_columns(df: pd.DataFrame, expected: list[str], path: Path, where: str = "") -> None:
    missing = [c for c in expected if c not in df.columns]
    if missing:
        found = ", ".join(map(str, df.columns[:15]))
        raise UpstreamFormatError(
            f"{path}{' ' + where if where else ''}: expected columns {missing} "
            f"(of {expected}); found: {found}"
        )


def read_excel_sheet(path: Path, sheet: str | int, header: int) -> pd.DataFrame:
    require_file(path)
    try:
        return pd.read_excel(path, sheet_name=sheet, header=header, dtype=str)
    except ValueError as err:  # pandas says "Worksheet named ... not found"
        raise UpstreamFormatError(f"{path}: expected a sheet {sheet!r}: {err}") from err


def register_source(data_dir: Path, row: dict) -> None:
    """Insert or replace one row of sources.csv (keyed by source_id)."""
    path = data_dir / "sources.csv"
    cols = schema.columns("sources", data_dir)
    current = read_table(path) if path.exists() else pd.DataFrame(columns=cols)
    current = current[current["source_id"] != row["source_id"]]
    updated = pd.concat([current, pd.DataFrame([row])], ignore_index=True)
    write_table(updated, path, cols, ["source_id"])


# What a dataset importer's value is, unless it says otherwise: a cell of the file, read as is
# (value_rule vocabulary: datapackage.json, x-value-rules).
DATASET_RULE = "transcribed"


def write_facts(facts: pd.DataFrame, data_dir: Path, filename: str) -> Path:
    path = data_dir / "facts" / filename
    cols = schema.columns("facts", data_dir)
    missing = [c for c in ("country_iso3", "indicator", "period", "value", "source_id") if c not in facts]
    if missing:  # a programming error, not bad input
        raise AssertionError(f"facts for {filename} lack {missing}")
    rule = facts["value_rule"] if "value_rule" in facts else pd.Series(None, index=facts.index, dtype=object)
    write_table(facts.assign(value_rule=rule.fillna(DATASET_RULE)), path, cols, FACT_SORT)
    return path


def upstream_source(source: dict, path: Path) -> dict:
    """The sources row for an upstream file: its metadata plus the hash of the bytes read."""
    return {**source, "date_accessed": DATE_ACCESSED, "sha256": file_digest(path)}


def import_facts(build, raw_dir: Path, data_dir: Path, filename: str, sources: list[tuple[dict, Path]]) -> dict:
    """Build facts (raising before anything is written), write them, then register their sources."""
    facts = build(raw_dir, data_dir)
    write_facts(facts, data_dir, filename)
    for source, rel in sources:
        register_source(data_dir, upstream_source(source, raw_dir / rel))
    return {f"facts/{filename}": len(facts)}


def tier_fact(iso3: str, report_year: int, tier: str, source_id: str, locator: str, note: str | None = None,
              copy: str = "secondary") -> dict:
    """One tip_tier fact (period = report year) as the secondary tier lists give it."""
    return {"country_iso3": iso3, "indicator": "tip_tier", "period": report_year, "report_year": report_year,
            "value": tier, "value_qualifier": "exact", "unit": "tier", "source_id": source_id, "copy_type": copy,
            "locator": locator, "note": note}


def secondary_tip_source(source_id: str, title: str, edition: str, copy_note: str) -> dict:
    """A sources row for the State Department's tier lists as read in another publisher's copy."""
    return {"source_id": source_id, "publisher": "U.S. Department of State", "title": title, "edition": edition,
            "url": "https://www.state.gov/trafficking-in-persons-report/", "date_published": "",
            "licence": "US government work (public domain); the copy's own terms as noted",
            "note": f"SECONDARY COPY: {copy_note} A tier read in a primary copy of the narrative wins over it."}


def listed_tier(resolver, where: str, name: str, year: str, tier: str) -> tuple[str, int]:
    """A country and an edition as a tier list writes them, checked: (iso3, report year)."""
    from ..schema import TIERS

    iso3 = resolver.iso3_or_none(name)
    if iso3 is None:
        raise UpstreamFormatError(f"{where}: country {name!r} not in data/country_aliases.csv")
    if tier not in TIERS or not str(year).isdigit():
        raise UpstreamFormatError(f"{where}: expected a report year and one of {TIERS}, found {year!r}, {tier!r}")
    return iso3, int(year)


def one_tier_per_edition(rows: list[dict], path: Path) -> pd.DataFrame:
    """Repeats of one placement (weekly copies, two pages) become one fact; one edition placing a
    country on two tiers stops the import, for a person to look."""
    facts = pd.DataFrame(rows).drop_duplicates(["country_iso3", "report_year", "value"])
    clash = facts[facts.duplicated(["country_iso3", "report_year"], keep=False)]
    if not clash.empty:
        raise UpstreamFormatError(f"{path}: one edition places a country twice:\n"
                                  f"{clash[['country_iso3', 'report_year', 'value', 'locator']]}")
    return facts
