"""A cheap 'nothing changed' check for the batch build, with no heavy imports.

After a complete, successful build the state file records a hash over every input
file's bytes (data, package, notebooks) and the outputs it produced. The next build
compares before importing pandas or starting anything: a no-op build stays well
under a second and touches no file.
"""

from __future__ import annotations

import json
from pathlib import Path

from .hashing import tree_digest
from .paths import report_outputs

STATE_FILE = ".build-state.json"


def is_current(out_root: Path) -> tuple[bool, int]:
    """(nothing to do, how many reports the last build recorded)."""
    try:
        state = json.loads((out_root / STATE_FILE).read_text())
    except (OSError, ValueError):
        return False, 0
    outputs = state.get("outputs", [])
    if state.get("inputs") != tree_digest() or not all((out_root / o).exists() for o in outputs):
        return False, 0
    return True, len(state.get("countries", []))


def record(out_root: Path, inputs: str, countries: list[str], outputs: list[str]) -> None:
    """Record a successful build. `inputs` is the tree digest taken when the build *started*,
    so an edit made while it ran still triggers the next build."""
    state = {"inputs": inputs, "countries": countries, "outputs": sorted(outputs)}
    path = out_root / STATE_FILE
    text = json.dumps(state, indent=1) + "\n"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


# -- one report's stamp: what its folder was last built from --------------------------------
STAMP = ".build.json"


def default_parameters(iso3: str) -> dict:
    """What the batch build passes to the notebook; `report` may add first_year and last_year."""
    return {"country": iso3}


def up_to_date(out_root: Path, iso3: str, digest: str) -> bool:
    """Built from these inputs, with the batch build's parameters (a report for other years is not)."""
    return stamped(out_root / iso3, iso3, digest, default_parameters(iso3))


def stamped(folder: Path, stem: str, digest: str, parameters: dict) -> bool:
    """Any report (a country's, a region's): its folder's stamp says these inputs and parameters, and
    every file it writes (paths.report_outputs) is there."""
    try:
        stamp = json.loads((folder / STAMP).read_text())
    except (OSError, ValueError):
        return False
    return (stamp.get("inputs") == digest and stamp.get("parameters") == parameters
            and all((folder / name).exists() for name in report_outputs(stem).values()))


def clear_stamp(folder: Path) -> None:
    """Before rebuilding: a failed or interrupted build must never be taken as up to date."""
    (folder / STAMP).unlink(missing_ok=True)


def write_stamp(folder: Path, iso3: str, digest: str, parameters: dict) -> None:
    from . import provenance

    stamp = {"inputs": digest, "iso3": iso3, "commit": provenance.commit(),
             "parameters": parameters, "versions": provenance.package_versions()}
    (folder / STAMP).write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n")
