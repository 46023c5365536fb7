"""Where things live. Every path can be overridden by an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).resolve() if value else default


def data_dir() -> Path:
    """The committed, curated data package (data/)."""
    return _env_path("TR_DATA_DIR", PROJECT_ROOT / "data")


def raw_dir() -> Path:
    """Upstream publishers' files; only importers read them, never reports."""
    return _env_path("TR_RAW_DIR", PROJECT_ROOT.parent / "shared" / "raw")


def reports_dir() -> Path:
    return _env_path("TR_REPORTS_DIR", PROJECT_ROOT / "reports")


def notebooks_dir() -> Path:
    return PROJECT_ROOT / "notebooks"
