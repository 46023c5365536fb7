"""Data validation: the schema in data/datapackage.json plus the domain rules.

Separate from the unit tests (PUDL style): `make check-data` runs it on the committed
data; tests run it on small broken copies to show each rule fires.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from . import schema
from .paths import data_dir
from .problems import DataValidationError, Problem  # noqa: F401  (DataValidationError: for callers)
from .quote_checks import check_quotes
from .tables import read_table

# Text that people type for "missing"; an absent value must be an empty cell.
MISSING_TOKENS = {"na", "n/a", "nan", "null", "none", "-", "--", "..", "?", "missing"}
CENSORED = re.compile(r"^<\d+$")
WHOLE = re.compile(r"^\d+$")
NUMBER = re.compile(r"^\d+(\.\d+)?$")
ISO_DATE = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


def _read_resource(root: Path, res: dict) -> tuple[pd.DataFrame, list[Problem]]:
    frames, problems = [], []
    expected = [f["name"] for f in res["schema"]["fields"]]
    for rel in res["path"]:
        path = root / rel
        if not path.exists():
            problems.append(Problem(rel, None, None, "file listed in datapackage.json is missing"))
            continue
        df = read_table(path)
        if list(df.columns) != expected:
            problems.append(Problem(rel, 1, None, f"header {list(df.columns)} != schema {expected}"))
            continue
        df["_file"], df["_line"] = rel, df.index + 2
        frames.append(df)
    cols = expected + ["_file", "_line"]
    return (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)), problems


def _check_fields(df: pd.DataFrame, fields: list[dict]) -> list[Problem]:
    problems = []
    for field in fields:
        name, cons = field["name"], field.get("constraints", {})
        pattern = re.compile(cons["pattern"]) if "pattern" in cons else None
        for value, file, line in zip(df[name], df["_file"], df["_line"]):
            if value is None:
                if cons.get("required"):
                    problems.append(Problem(file, line, name, "required value is empty"))
                continue
            if value != value.strip():
                problems.append(Problem(file, line, name, f"{value!r} has leading or trailing spaces"))
            if value.strip().casefold() in MISSING_TOKENS:
                problems.append(Problem(file, line, name,
                                        f"{value!r} stands for missing; leave the row out instead"))
                continue
            if field["type"] == "integer":
                if not re.fullmatch(r"-?\d+", value):
                    problems.append(Problem(file, line, name, f"{value!r} is not an integer"))
                    continue
                number = int(value)
                if "minimum" in cons and number < cons["minimum"] or "maximum" in cons and number > cons["maximum"]:
                    problems.append(Problem(file, line, name, f"{value} outside {cons.get('minimum')}-"
                                                                f"{cons.get('maximum')}"))
            if "enum" in cons and value not in cons["enum"]:
                problems.append(Problem(file, line, name, f"{value!r} not one of {cons['enum']}"))
            if pattern and not pattern.fullmatch(value):
                problems.append(Problem(file, line, name, f"{value!r} does not match {cons['pattern']}"))
    return problems


def _check_primary_key(df: pd.DataFrame, key: list[str]) -> list[Problem]:
    filled = df[key].fillna("")
    dupes = df[filled.duplicated(keep="first")]
    return [Problem(r["_file"], r["_line"], ",".join(key),
                    "duplicate primary key " + "/".join(str(r[k] or "") for k in key))
            for _, r in dupes.iterrows()]


def _check_foreign_keys(df: pd.DataFrame, fks: list[dict], tables: dict[str, pd.DataFrame]) -> list[Problem]:
    problems = []
    for fk in fks:
        column = fk["fields"]
        target = tables.get(fk["reference"]["resource"])
        if target is None:
            continue
        known = set(target[fk["reference"]["fields"]].dropna())
        for value, file, line in zip(df[column], df["_file"], df["_line"]):
            if value is not None and value not in known:
                problems.append(Problem(file, line, column,
                                        f"{value!r} unknown in {fk['reference']['resource']}"))
    return problems


def check_fact_values(facts: pd.DataFrame, indicators: pd.DataFrame) -> list[Problem]:
    """Each value parses as its indicator's value_type; units match the codebook."""
    codebook = indicators.set_index("indicator_id")
    problems = []
    for _, row in facts.iterrows():
        if row["indicator"] not in codebook.index or row["value"] is None:
            continue  # reported by the foreign-key / required checks
        meta = codebook.loc[row["indicator"]]
        value, qualifier, kind = row["value"], row["value_qualifier"], meta["value_type"]
        where = (row["_file"], row["_line"])
        if row["unit"] != meta["unit"]:
            problems.append(Problem(*where, "unit", f"{row['unit']!r} but {row['indicator']} is in "
                                                    f"{meta['unit']!r}"))
        if qualifier == "censored":
            if kind not in schema.COUNT_TYPES or not CENSORED.match(value):
                problems.append(Problem(*where, "value", f"censored value {value!r} must look like <5 "
                                                         "and belong to a count"))
            continue
        ok = {
            "count": WHOLE.match(value),
            "rank": WHOLE.match(value) and int(value) >= 1,
            "score": NUMBER.match(value) and float(value) <= 100,
            "years": NUMBER.match(value) and 0 < float(value) <= 100,
            "tier": value in schema.TIERS,
            "flag": value == "true",
            "rate": NUMBER.match(value),
            "date": ISO_DATE.match(value) and value[:4] == str(row["period"]),
            "text": bool(value.strip()),
        }.get(kind, False)
        if not ok:
            expected = {"count": "a non-negative whole number", "rank": "a whole number >= 1",
                        "score": "a number 0-100", "years": "a number of years", "tier": f"one of {schema.TIERS}",
                        "flag": "true", "text": "text", "rate": "a non-negative number",
                        "date": "a date YYYY-MM-DD in the period's year"}.get(kind, kind)
            problems.append(Problem(*where, "value", f"{value!r} is not {expected} "
                                                     f"(indicator {row['indicator']})"))
    return problems


def load_tables(root: Path) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    tables, problems = {}, []
    for res in schema.datapackage(root)["resources"]:
        df, found = _read_resource(root, res)
        tables[res["name"]] = df
        problems += found
    return tables, problems


def validate(root: Path | None = None) -> list[Problem]:
    root = Path(root or data_dir())
    schema._load.cache_clear()
    tables, problems = load_tables(root)
    for res in schema.datapackage(root)["resources"]:
        df, sch = tables[res["name"]], res["schema"]
        problems += _check_fields(df, sch["fields"])
        problems += _check_primary_key(df, sch["primaryKey"])
        problems += _check_foreign_keys(df, sch.get("foreignKeys", []), tables)
    for name in ("facts", "qualitative_facts"):
        problems += check_fact_values(tables[name], tables["indicators"])
        problems += check_quotes(tables[name], tables["indicators"])
    return problems


def conflicts(root: Path | None = None) -> pd.DataFrame:
    """Country-indicator-period triples where sources (or report editions) give different values.

    Both values stay in the facts; this only lists them, for the reports and for review.
    """
    tables, _ = load_tables(Path(root or data_dir()))
    facts = tables["facts"]
    key = ["country_iso3", "indicator", "period"]
    distinct = facts.groupby(key)["value"].nunique()
    clashing = distinct[distinct > 1].index
    rows = facts.set_index(key).loc[clashing].reset_index() if len(clashing) else facts.iloc[:0]
    return rows[key + ["value", "report_year", "source_id", "copy_type", "locator"]].sort_values(key + ["source_id"])


def copy_agreement(root: Path | None = None) -> pd.DataFrame:
    """For each source: how many of its values a primary copy from another source also gives, and how many
    of those agree. This is how secondary copies (and hand-gathered values) were checked."""
    tables, _ = load_tables(Path(root or data_dir()))
    facts = tables["facts"]
    key = ["country_iso3", "indicator", "period", "report_year"]
    facts = facts.assign(report_year=facts["report_year"].fillna(""))
    primary = facts[facts["copy_type"] == "primary"][key + ["value", "source_id"]]
    pairs = facts.merge(primary, on=key, suffixes=("", "_other"))
    pairs = pairs[pairs["source_id"] != pairs["source_id_other"]]
    pairs = pairs.drop_duplicates(key + ["source_id", "value_other"])
    pairs["agrees"] = pairs["value"] == pairs["value_other"]
    table = pairs.groupby(["source_id", "copy_type"]).agg(compared=("agrees", "size"), agree=("agrees", "sum"))
    return table.reset_index()
