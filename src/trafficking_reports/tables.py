"""Reading and writing the tidy tables: text in, text out, deterministic bytes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .io import atomic_write


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV as text. Empty cells become None (missing), nothing else does."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[], encoding="utf-8")
    return df.replace({"": None})


def write_table(df: pd.DataFrame, path: Path, columns: list[str], sort_by: list[str]) -> None:
    """Write sorted rows with fixed columns, '\\n' line ends and UTF-8, atomically."""
    out = df.reindex(columns=columns).astype(object)
    out = out.where(out.notna(), "").astype(str)
    out = out.sort_values(sort_by, kind="mergesort", key=_natural_key).reset_index(drop=True)
    atomic_write(path, out.to_csv(index=False, lineterminator="\n"))


def _natural_key(col: pd.Series) -> pd.Series:
    # Years sort as numbers; everything else as text.
    numeric = pd.to_numeric(col, errors="coerce")
    if numeric.notna().all() and len(col):
        return numeric
    return col.astype(str)
