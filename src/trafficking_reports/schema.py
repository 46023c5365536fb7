"""The data package's schema (data/datapackage.json) is the one place columns are defined."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .paths import data_dir

# Values of the indicator codebook's value_type that hold whole-number counts.
COUNT_TYPES = frozenset({"count", "rank"})

TIERS = ("Tier 1", "Tier 2", "Tier 2 Watch List", "Tier 3", "Special Case", "Not ranked")
# Ordinal position used for charts and moves: higher is better; Special Case and
# Not ranked are not on the scale.
TIER_RANK = {"Tier 1": 4, "Tier 2": 3, "Tier 2 Watch List": 2, "Tier 3": 1}


@lru_cache(maxsize=8)
def _load(path: str) -> dict:
    package = json.loads(Path(path).read_text(encoding="utf-8"))
    shared = package.get("x-fact-schema", {})
    for field in shared.get("fields", []):
        if field["name"] == "value_rule":  # the vocabulary is defined once, in x-value-rules
            field.setdefault("constraints", {})["enum"] = list(package.get("x-value-rules", {}))
    for resource in package["resources"]:
        schema = resource["schema"]
        if "$ref" in schema:
            # Both fact resources share one field list; only their keys differ.
            resource["schema"] = {**shared, **{k: v for k, v in schema.items() if k != "$ref"}}
        if isinstance(resource["path"], str):
            resource["path"] = [resource["path"]]
    return package


def datapackage(root: Path | None = None) -> dict:
    root = root or data_dir()
    return _load(str(root / "datapackage.json"))


def resource(name: str, root: Path | None = None) -> dict:
    for res in datapackage(root)["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(f"no resource {name!r} in datapackage.json")


def columns(name: str, root: Path | None = None) -> list[str]:
    return [f["name"] for f in resource(name, root)["schema"]["fields"]]


def value_rules(root: Path | None = None) -> dict[str, str]:
    """The value_rule vocabulary: rule name -> definition (datapackage.json, x-value-rules)."""
    return datapackage(root).get("x-value-rules", {})


def facts_columns() -> list[str]:
    return columns("facts")
