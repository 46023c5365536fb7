"""Where things live. Every path can be overridden by an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).resolve() if value else default


def data_dir() -> Path:
    """The committed data package (data/): the published tables only."""
    return _env_path("TR_DATA_DIR", PROJECT_ROOT / "data")


def curation_dir(data_root: Path | None = None) -> Path:
    """The reviewed inputs importers read besides the upstream files (curation/).

    It sits beside the data package, so a copy of data/ with a curation/ next to it
    (as the tests make) is imported from its own curation inputs.
    """
    default = Path(data_root).resolve().parent / "curation" if data_root else PROJECT_ROOT / "curation"
    return _env_path("TR_CURATION_DIR", default)


def raw_dir() -> Path:
    """Upstream publishers' files; only importers read them, never reports."""
    return _env_path("TR_RAW_DIR", PROJECT_ROOT.parent / "shared" / "raw")


def reports_dir() -> Path:
    return _env_path("TR_REPORTS_DIR", PROJECT_ROOT / "reports")


def notebooks_dir() -> Path:
    return PROJECT_ROOT / "notebooks"


def report_outputs(stem: str) -> dict[str, str]:
    """The files a report writes into its folder, by its file stem (a country's ISO3 code, a region's slug;
    the notebook, which papermill writes, aside). The no-op build checks they all exist; one name each,
    used by the writers and the checks alike."""
    return {"html": f"{stem}.html", "pdf": f"{stem}.pdf", "facts": f"{stem}_facts.csv",
            "bibtex": f"{stem}.sources.bib", "csl": f"{stem}.sources.json"}
