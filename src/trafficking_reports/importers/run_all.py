"""Run every importer: upstream files in ../shared/raw -> tidy tables in data/."""

from __future__ import annotations

import time
from pathlib import Path

from . import ALL
from .common import UpstreamFormatError


def run_all(raw_dir: Path, data_dir: Path, log=print) -> dict:
    if not raw_dir.is_dir():
        raise UpstreamFormatError(
            f"{raw_dir}: no upstream folder. The committed tables in data/ are complete; importers "
            "only need ../shared/raw (or TR_RAW_DIR) to re-derive them."
        )
    counts: dict = {}
    for importer in ALL:
        name = importer.__name__.rsplit(".", 1)[-1]
        started = time.perf_counter()
        result = importer.run(raw_dir, data_dir)
        counts.update(result)
        rows = ", ".join(f"{k}: {v} rows" for k, v in result.items())
        log(f"  {name:<28} {rows} ({time.perf_counter() - started:.1f} s)")
    return counts
