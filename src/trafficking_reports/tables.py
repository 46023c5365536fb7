"""Reading and writing the tidy tables: text in, text out, deterministic bytes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV as text. Empty cells become None (missing), nothing else does."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[], encoding="utf-8")
    return df.replace({"": None})


def write_table(df: pd.DataFrame, path: Path, columns: list[str], sort_by: list[str]) -> None:
    """Write sorted rows with fixed columns, '\\n' line ends and UTF-8, atomically."""
    out = df.reindex(columns=columns).astype(object)
    out = out.where(out.notna(), "").astype(str)
    out = out.sort_values(sort_by, kind="mergesort", key=_natural_key).reset_index(drop=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            out.to_csv(handle, index=False, lineterminator="\n")
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; tables are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _natural_key(col: pd.Series) -> pd.Series:
    # Years sort as numbers; everything else as text.
    numeric = pd.to_numeric(col, errors="coerce")
    if numeric.notna().all() and len(col):
        return numeric
    return col.astype(str)
