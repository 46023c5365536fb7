"""check-data: the schema in data/datapackage.json (through frictionless) plus the domain rules.

schema_check runs the schema (header, types, constraints, keys); this module reads the tables
and applies what a schema cannot say: values parse by their indicator's value type, units
match the codebook, censored tokens belong to counts, no text stands for missing, and quotes
hold their values (quote_checks). Separate from the unit tests (PUDL style): `make check-data`
runs it on the committed data; tests run it on small broken copies to show each rule fires.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from . import schema
from .paths import data_dir, reports_dir
from .problems import DataValidationError, Problem
from .quote_checks import check_quotes
from .tables import read_table

# Text that people type for "missing"; an absent value must be an empty cell.
MISSING_TOKENS = {"na", "n/a", "nan", "null", "none", "-", "--", "..", "?", "missing"}
CENSORED = re.compile(r"^<\d+$")
WHOLE = re.compile(r"^\d+$")
NUMBER = re.compile(r"^\d+(\.\d+)?$")
ISO_DATE = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


def _read_resource(root: Path, res: dict, skip: set[str]) -> tuple[pd.DataFrame, list[Problem]]:
    """The resource's files as one table (with _file and _line), leaving out files that cannot be read
    as tables of the schema's columns; each such file is one problem (never an exception)."""
    frames, problems = [], []
    expected = [f["name"] for f in res["schema"]["fields"]]
    for rel in res["path"]:
        path = root / rel
        if rel in skip:
            continue
        if not path.is_file():
            problems.append(Problem(rel, None, None, "file listed in datapackage.json is missing"))
            continue
        if path.stat().st_size == 0:
            problems.append(Problem(rel, 1, None, "empty file (0 bytes): a table needs at least its header line"))
            continue
        df = read_table(path)
        if list(df.columns) != expected:
            extra = [c for c in df.columns if c not in expected]
            missing = [c for c in expected if c not in df.columns]
            problems.append(Problem(rel, 1, (extra or missing or [None])[0],
                                    f"header differs from the schema: extra {extra}, missing {missing}"))
            continue
        df["_file"], df["_line"] = rel, df.index + 2
        frames.append(df)
    cols = expected + ["_file", "_line"]
    return (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)), problems


def check_text(df: pd.DataFrame, columns: list[str]) -> list[Problem]:
    """No cell is padded with spaces, and none holds text standing for missing (NA, -, ...)."""
    problems = []
    for name in columns:
        cells = df[name].dropna()
        padded = cells[cells != cells.str.strip()]
        missing = cells[cells.str.strip().str.casefold().isin(MISSING_TOKENS)]
        problems += [Problem(df.at[i, "_file"], df.at[i, "_line"], name,
                             f"{v!r} has leading or trailing spaces") for i, v in padded.items()]
        problems += [Problem(df.at[i, "_file"], df.at[i, "_line"], name,
                             f"{v!r} stands for missing; leave the row out instead") for i, v in missing.items()]
    return problems


# What each value_type accepts, and how a problem says so.
VALUE_TYPES = {
    "count": (lambda v, period: WHOLE.match(v), "a non-negative whole number"),
    "rank": (lambda v, period: WHOLE.match(v) and int(v) >= 1, "a whole number >= 1"),
    "score": (lambda v, period: NUMBER.match(v) and float(v) <= 100, "a number 0-100"),
    "years": (lambda v, period: NUMBER.match(v) and 0 < float(v) <= 100, "a number of years"),
    "tier": (lambda v, period: v in schema.TIERS, f"one of {schema.TIERS}"),
    "flag": (lambda v, period: v == "true", "true"),
    "rate": (lambda v, period: NUMBER.match(v), "a non-negative number"),
    "date": (lambda v, period: ISO_DATE.match(v) and v[:4] == str(period), "a date YYYY-MM-DD in the period's year"),
    "text": (lambda v, period: bool(v.strip()), "text"),
}


def check_fact_values(facts: pd.DataFrame, indicators: pd.DataFrame) -> list[Problem]:
    """Each value parses as its indicator's value_type; units match the codebook."""
    codebook = indicators.set_index("indicator_id")[["value_type", "unit"]].to_dict("index")
    problems = []
    columns = ["_file", "_line", "indicator", "value", "value_qualifier", "unit", "period"]
    for file, line, indicator, value, qualifier, unit, period in facts[columns].itertuples(index=False):
        meta = codebook.get(indicator)
        if meta is None or value is None:
            continue  # reported by the schema's foreign-key / required checks
        kind = meta["value_type"]
        if unit != meta["unit"]:
            problems.append(Problem(file, line, "unit", f"{unit!r} but {indicator} is in {meta['unit']!r}"))
        if qualifier == "censored":
            if kind not in schema.COUNT_TYPES or not CENSORED.match(value):
                problems.append(Problem(file, line, "value", f"censored value {value!r} must look like <5 "
                                                             "and belong to a count"))
            continue
        accepts, expected = VALUE_TYPES.get(kind, (lambda v, period: False, kind))
        if not accepts(value, period):
            problems.append(Problem(file, line, "value", f"{value!r} is not {expected} (indicator {indicator})"))
    return problems


def load_tables(root: Path, skip: set[str] | frozenset = frozenset()) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    tables, problems = {}, []
    for res in schema.datapackage(root)["resources"]:
        df, found = _read_resource(root, res, set(skip))
        tables[res["name"]] = df
        problems += found
    return tables, problems


def validate(root: Path | None = None) -> list[Problem]:
    root = Path(root or data_dir())
    schema._load.cache_clear()
    from .schema_check import check_schema, keys_across_files  # frictionless: imported only to validate

    package = schema.datapackage(root)
    problems, unreadable = check_schema(root, package)
    tables, found = load_tables(root, skip=unreadable)
    problems += found
    for res in package["resources"]:
        df = tables[res["name"]]
        if len(res["path"]) > 1:
            problems += keys_across_files(df, res["schema"]["primaryKey"])
        problems += check_text(df, [f["name"] for f in res["schema"]["fields"]])
    for name in ("facts", "qualitative_facts"):
        problems += check_fact_values(tables[name], tables["indicators"])
        problems += check_quotes(tables[name], tables["indicators"])
    return problems


# The modules whose rules decide validity: a change to any of them makes a stamp stale.
RULE_MODULES = ("validate.py", "schema_check.py", "quote_checks.py", "value_rules.py", "tier_rules.py", "schema.py",
                "tables.py")


def data_digest(root: Path) -> str:
    """sha256 over the data package's files (paths and bytes), the rule modules and frictionless's version."""
    from importlib.metadata import version

    digest = hashlib.sha256(version("frictionless").encode())
    here = Path(__file__).parent
    for path in [here / name for name in RULE_MODULES] + sorted(
            p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")):
        digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_valid(root: Path | None = None, cache_dir: Path | None = None) -> str:
    """Raise DataValidationError (naming file, line and column) unless the data package is valid.

    A valid package's digest is stamped in cache_dir (default: reports/.logs), so that a second call
    on unchanged data only hashes the files (a few milliseconds). Returns the digest.
    """
    root = Path(root or data_dir()).resolve()
    where = hashlib.sha1(str(root).encode()).hexdigest()[:12]  # one stamp per data folder
    stamp = Path(cache_dir or reports_dir() / ".logs") / f"check-data-{where}.stamp"
    digest = data_digest(root)
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == digest:
        return digest
    problems = validate(root)
    if problems:
        raise DataValidationError(problems)
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=stamp.parent, prefix=f".{stamp.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(digest + "\n")
        os.replace(tmp, stamp)  # atomic: parallel builds never read half a stamp
    except OSError:  # an unwritable reports folder only costs the shortcut; the build reports the folder itself
        pass
    return digest


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
