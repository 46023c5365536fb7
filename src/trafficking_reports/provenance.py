"""What a report records about how it was made: commit, versions, build date (data versions: hashing)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from functools import lru_cache
from importlib import metadata

from .paths import PROJECT_ROOT

KEY_PACKAGES = ("pandas", "matplotlib", "papermill", "nbconvert", "nbclient", "playwright")


@lru_cache(maxsize=1)
def commit() -> str:
    """Short commit of the checkout, '+dirty' if tracked files changed; 'unknown' outside git."""
    try:
        sha = subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short=10", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(PROJECT_ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return sha + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def package_versions() -> dict[str, str]:
    out = {}
    for name in KEY_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


@lru_cache(maxsize=1)
def build_datetime() -> dt.datetime:
    """The reproducible build time: SOURCE_DATE_EPOCH if set, else the commit's time, else now (UTC).

    Two builds of one commit therefore print the same date and give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        try:
            epoch = subprocess.run(["git", "-C", str(PROJECT_ROOT), "log", "-1", "--format=%ct"],
                                   capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            epoch = ""
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def build_date() -> str:
    return build_datetime().date().isoformat()
