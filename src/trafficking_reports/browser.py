"""Where the Chromium or Chrome that prints the PDFs is found: the one search order, used by the PDF printer,
the build's preflight and the bootstrap (scripts/system_packages.sh runs `python -m trafficking_reports.browser`).
Standard library only, and playwright if installed."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

# Debian's and Ubuntu's chromium, Google's packages for Linux.
PATH_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# macOS application bundles, in /Applications or the user's ~/Applications.
MAC_APPS = ("Google Chrome.app/Contents/MacOS/Google Chrome", "Chromium.app/Contents/MacOS/Chromium")


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def mac_app_paths() -> list[Path]:
    return [Path(folder) / app for folder in ("/Applications", Path.home() / "Applications") for app in MAC_APPS]


def find_chromium() -> str | None:
    """TR_CHROMIUM as given (preflight says if it is not a browser), else the first browser found on the PATH,
    else a macOS application; None lets playwright use a browser it installed itself."""
    configured = os.environ.get("TR_CHROMIUM")
    if configured:
        return configured
    for name in PATH_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return next((str(path) for path in mac_app_paths() if _executable(path)), None)


def playwright_chromium() -> str | None:
    """The Chromium `python -m playwright install chromium` downloaded, if any (needs playwright installed)."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            path = p.chromium.executable_path
        return path if Path(path).exists() else None
    except Exception:  # no playwright, or no driver: no browser from it
        return None


def looked_in() -> str:
    """Where find_chromium looked, for messages."""
    return (f"TR_CHROMIUM, {', '.join(PATH_NAMES)} on the PATH, "
            f"{', '.join(str(p) for p in mac_app_paths())}")


def install_command(python: str | None = None, with_deps: bool = False) -> str:
    """The one command that gets playwright a browser of its own; with_deps also installs the libraries it
    needs through apt (Ubuntu, WSL)."""
    return f"{python or sys.executable} -m playwright install {'--with-deps ' if with_deps else ''}chromium"


def not_found_message(python: str | None = None, with_deps: bool = False) -> str:
    return (f"No Chromium or Chrome found for the PDFs (looked at {looked_in()}, and for playwright's own). "
            f"Install one for playwright with:  {install_command(python, with_deps)}   or set TR_CHROMIUM to a "
            "Chromium or Chrome. (Debian, as root: apt-get install chromium. Ubuntu or WSL: add --with-deps, "
            "which installs the libraries it needs; Ubuntu's own chromium is a snap.)")


def main(argv: list[str]) -> int:
    """Print the browser the PDFs will use and exit 0; else say where we looked and how to install one, exit 1.
    `--python PATH` names the interpreter whose playwright the install command should use; `--with-deps` adds
    that flag to it (the bootstrap passes it where apt exists but Debian's chromium does not)."""
    found = find_chromium() or playwright_chromium()
    if found:
        print(found)
        return 0
    python = argv[argv.index("--python") + 1] if "--python" in argv[:-1] else None
    print(not_found_message(python, "--with-deps" in argv), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
