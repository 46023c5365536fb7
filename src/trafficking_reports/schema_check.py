"""The package's schema (data/datapackage.json) checked by frictionless.

Frictionless checks each table's header, cell types, constraints (required, pattern, enum,
minimum, maximum), primary key and foreign keys. Each file of a multi-file resource
(facts/*.csv) is checked as a resource of its own with the shared schema, so frictionless's
row numbers are the file's own lines; the one rule that spans files, a primary key unique
across all files of a resource, is checked on the loaded tables (keys_across_files). Every
error becomes a Problem naming file, line and column.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pandas as pd
from frictionless import Package, Resource, Schema

from .problems import Problem

HEADER_ERRORS = {"extra-label", "missing-label", "incorrect-label", "blank-label", "duplicate-label", "blank-header"}
CONSTRAINT = re.compile(r'constraint "(\w+)" is "(.*)"')


def check_schema(root: Path, package: dict) -> tuple[list[Problem], set[str]]:
    """Problems frictionless finds, and the files it could not read as tables of the schema (to skip)."""
    problems, unreadable, listed = [], set(), {}
    for res in package["resources"]:
        for rel in res["path"]:
            path = root / rel
            if not path.is_file():
                problems.append(Problem(rel, None, None, "file listed in datapackage.json is missing"))
            elif path.stat().st_size == 0:
                columns = ", ".join(f["name"] for f in res["schema"]["fields"])
                problems.append(Problem(rel, 1, None, f"empty file (0 bytes): a table needs at least its header line "
                                                      f"({columns})"))
            else:
                name = res["name"] if len(res["path"]) == 1 else f"{res['name']}.{Path(rel).stem}".lower()
                listed[name] = (rel, res["schema"])
                continue
            unreadable.add(rel)
    resources = [Resource(path=rel, basepath=str(root), name=name, format="csv", encoding="utf-8",
                          schema=Schema.from_descriptor(_schema(schema, listed)))
                 for name, (rel, schema) in listed.items()]
    report = Package(resources=resources, basepath=str(root)).validate()
    for task in report.tasks:
        rel, schema = listed[task.name]
        header = [e for e in task.errors if e.type in HEADER_ERRORS]
        if header or (task.errors and not task.stats.get("rows")):
            unreadable.add(rel)  # a row's cells cannot be matched to the schema's columns
        for error in header or task.errors:
            problems.append(_problem(rel, schema, error))
        if not task.errors and not task.stats.get("rows"):
            problems.append(Problem(rel, 1, None, "no rows: the file has only its header; add its rows or remove "
                                                  "it from datapackage.json"))
    return problems, unreadable


def _schema(schema: dict, listed: dict) -> dict:
    # Foreign keys to a table that could not be read are left out: that table is reported already.
    names = set(listed)
    out = copy.deepcopy(schema)
    out["foreignKeys"] = [fk for fk in out.get("foreignKeys", []) if fk["reference"]["resource"] in names]
    return out


def _problem(rel: str, schema: dict, error) -> Problem:
    """One frictionless error in this project's words, naming file, line and column."""
    kind = error.type
    if kind in HEADER_ERRORS:
        label = error.label or error.field_name
        words = {"extra-label": f"extra column {label!r} is not in the schema (datapackage.json)",
                 "missing-label": f"column {error.field_name!r} of the schema is missing",
                 "incorrect-label": f"column {error.label!r} where the schema has {error.field_name!r}"}
        return Problem(rel, 1, label, words.get(kind, error.message))
    line = getattr(error, "row_number", None)
    if kind == "primary-key":
        key = schema["primaryKey"]
        fields = [f["name"] for f in schema["fields"]]
        values = "/".join(error.cells[fields.index(k)] if fields.index(k) < len(error.cells) else "" for k in key)
        return Problem(rel, line, ",".join(key), f"duplicate primary key {values} ({error.note})")
    if kind == "foreign-key":
        value = "/".join(error.field_cells)
        return Problem(rel, line, ",".join(error.field_names), f"{value!r} unknown in {error.reference_name}")
    column = getattr(error, "field_name", None)
    if kind == "type-error":
        field = next((f for f in schema["fields"] if f["name"] == column), {})
        return Problem(rel, line, column, f"{error.cell!r} is not an {field.get('type')}"
                       if field.get("type") == "integer" else f"{error.cell!r} is not of type {field.get('type')}")
    if kind == "constraint-error":
        found = CONSTRAINT.search(error.note or "")
        name, limit = found.groups() if found else ("", "")
        words = {"required": "required value is empty", "enum": f"{error.cell!r} not one of {limit}",
                 "pattern": f"{error.cell!r} does not match {limit}",
                 "minimum": f"{error.cell} is below the minimum {limit}",
                 "maximum": f"{error.cell} is above the maximum {limit}"}
        return Problem(rel, line, column, words.get(name, error.message))
    return Problem(rel, line, column, error.message)


def keys_across_files(df: pd.DataFrame, key: list[str]) -> list[Problem]:
    """A primary key repeated in another file of the same resource (within a file frictionless reports it)."""
    filled = df[key].fillna("")
    repeated = filled.duplicated(keep=False)
    if not repeated.any():
        return []
    first = df[repeated].assign(_key=filled[repeated].agg("/".join, axis=1))
    origin = first.groupby("_key")[["_file", "_line"]].transform("first")
    elsewhere = first[(first["_file"] != origin["_file"]) & filled[repeated].duplicated(keep="first")]
    return [Problem(r["_file"], r["_line"], ",".join(key),
                    f"duplicate primary key {r['_key']} (also in {o['_file']}, line {o['_line']})")
            for (_, r), (_, o) in zip(elsewhere.iterrows(), origin.loc[elsewhere.index].iterrows())]
