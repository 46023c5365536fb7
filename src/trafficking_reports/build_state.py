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
