"""`make clean`: empty a reports folder, and refuse anything that might not be one.

The folder comes from the environment (TR_REPORTS, set by the Makefile from REPORTS) so
that no shell parses it: spaces and quotes are part of the name. Refused: an empty value,
the checkout, any folder that contains the checkout (/, .., the home folder), a git
repository, a folder of the checkout with tracked files (src, data), and a folder that
holds files but no sign of being reports (index.html, the build state, a .logs folder,
or a country folder with its .build.json).
Standard library only: it runs before the virtual environment exists.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
MARKERS = ("index.html", ".build-state.json", ".logs")
KEEP = ".gitkeep"


def looks_like_reports(folder: Path) -> bool:
    if folder == CHECKOUT / "reports" or any((folder / name).exists() for name in MARKERS):
        return True
    return any(child.is_dir() and (child / ".build.json").exists() for child in folder.iterdir())


def tracked(folder: Path) -> list[str]:
    """Files under `folder` that git tracks in the checkout (a .gitkeep does not count)."""
    try:
        out = subprocess.run(["git", "-C", str(CHECKOUT), "ls-files", "-z", "--", str(folder)],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    return [name for name in out.split("\0") if name and Path(name).name != KEEP]


def refusal(value: str) -> str:
    """Why `value` must not be emptied, or '' if it may."""
    if not value.strip():
        return "REPORTS is empty; name the reports folder, e.g. make clean REPORTS=reports"
    folder = Path(value).resolve()
    if folder == CHECKOUT or folder in CHECKOUT.parents:
        return f"{folder} is the checkout or contains it"
    if folder == Path.home().resolve() or folder in Path.home().resolve().parents:
        return f"{folder} is the home folder or contains it"
    if not folder.exists():
        return ""
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if (folder / ".git").exists():
        return f"{folder} is a git repository"
    if folder.is_relative_to(CHECKOUT) and tracked(folder):
        return f"{folder} holds files tracked by git ({tracked(folder)[0]}, ...)"
    if any(child.name != KEEP for child in folder.iterdir()) and not looks_like_reports(folder):
        return (f"{folder} does not look like a reports folder (no index.html, .build-state.json, .logs or "
                f"<country>/.build.json)")
    return ""


def empty(folder: Path) -> int:
    removed = 0
    for child in folder.iterdir():
        if child.name == KEEP:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()  # a symlink goes, never what it points to
        removed += 1
    return removed


def main() -> int:
    value = os.environ.get("TR_REPORTS", "")
    why = refusal(value)
    if why:
        print(f"make clean: refusing to delete: {why}.", file=sys.stderr)
        return 2
    folder = Path(value).resolve()
    if not folder.exists():
        print(f"make clean: {folder} does not exist; nothing to remove.")
        return 0
    print(f"make clean: removed {empty(folder)} item(s) from {folder}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
