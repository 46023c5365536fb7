"""Checks made once, before any work: a missing browser or an output folder that cannot be
written would otherwise fail every report in turn (or, before the supervisor, respawn
workers forever)."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import MissingBrowserError

INSTALL_HINT = "install it with `apt-get install chromium` (or run `make`, which does), or set TR_CHROMIUM"


def check_browser() -> None:
    """Raise MissingBrowserError, naming TR_CHROMIUM and the install command, if no Chromium can print."""
    from .pdf import chromium_path

    configured = os.environ.get("TR_CHROMIUM")
    if configured:
        if not (os.path.isfile(configured) and os.access(configured, os.X_OK)):
            raise MissingBrowserError(f"TR_CHROMIUM={configured} is not an executable Chromium; {INSTALL_HINT} "
                                      "to the path of one.")
        return
    if chromium_path():
        return
    try:  # no system Chromium: playwright may have installed its own
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            if Path(p.chromium.executable_path).exists():
                return
    except Exception:  # any failure here means: no usable browser
        pass
    raise MissingBrowserError(f"No Chromium found for the PDFs (TR_CHROMIUM is not set and `chromium` is not on "
                              f"the PATH); {INSTALL_HINT} to its path.")


def unwritable(out_root: Path, logs: bool = True) -> str:
    """'' if the reports folder (and its .logs) can be written; else a sentence saying why not.

    It tries, rather than asking os.access: root passes access() on a read-only mount."""
    for folder in (out_root, out_root / ".logs") if logs else (out_root,):
        probe = folder / f".write-test-{os.getpid()}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as err:
            return f"cannot write to {folder}: {err.strerror or err}"
    return ""
