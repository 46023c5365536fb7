"""Checks made once, before any work: a missing browser or an output folder that cannot be
written would otherwise fail every report in turn (or, before the supervisor, respawn
workers forever)."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import MissingBrowserError


def check_browser() -> None:
    """Raise MissingBrowserError, naming TR_CHROMIUM and the install command, if no Chromium can print."""
    from .browser import find_chromium, install_command, not_found_message, playwright_chromium

    configured = os.environ.get("TR_CHROMIUM")
    if configured:
        if not (os.path.isfile(configured) and os.access(configured, os.X_OK)):
            raise MissingBrowserError(
                f"TR_CHROMIUM={configured} is not an executable Chromium or Chrome; set it to the path of one, "
                f"or unset it and install a browser for playwright with:  {install_command()}   (Debian, as root: "
                "apt-get install chromium).")
        return
    if find_chromium() or playwright_chromium():
        return
    raise MissingBrowserError(not_found_message())


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
