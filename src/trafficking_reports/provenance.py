"""What a report records about how it was made: commit, versions, build date (data versions: hashing)."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import tomllib
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


# Where the reports are published, for "How to cite": TR_PUBLISH_URL, else [tool.trafficking-reports]
# publish-url in pyproject.toml, else this placeholder (visibly not a URL, so nobody cites it by mistake).
PUBLISH_URL_ENV = "TR_PUBLISH_URL"
PUBLISH_URL_PLACEHOLDER = "<URL where these reports are published>"
_WEB_URL = re.compile(r"^https?://[^\s\"'<>]+$", re.I)


def publish_url_setting() -> str:
    """The setting as written (not checked), for the digests: changing it rebuilds the reports."""
    return os.environ.get(PUBLISH_URL_ENV, "").strip() or _pyproject_setting("publish-url")


def publish_url() -> str:
    """The base URL of the published reports, without a trailing slash, or the placeholder.

    Raises ValueError naming the setting when it is set to something other than an http(s) URL.
    """
    value, where = os.environ.get(PUBLISH_URL_ENV, "").strip(), PUBLISH_URL_ENV
    if not value:
        value, where = _pyproject_setting("publish-url"), "[tool.trafficking-reports] publish-url in pyproject.toml"
    if not value:
        return PUBLISH_URL_PLACEHOLDER
    if not _WEB_URL.match(value):
        raise ValueError(f"{where} is {value!r}: it must be an http(s) URL such as https://example.org/reports "
                         f"(or unset, for the placeholder {PUBLISH_URL_PLACEHOLDER!r})")
    return value.rstrip("/")


def _pyproject_setting(name: str) -> str:
    try:
        with open(PROJECT_ROOT / "pyproject.toml", "rb") as handle:
            tool = tomllib.load(handle).get("tool", {}).get("trafficking-reports", {})
    except (OSError, tomllib.TOMLDecodeError):
        return ""
    return str(tool.get(name, "")).strip()
