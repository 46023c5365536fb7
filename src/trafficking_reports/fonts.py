"""The fonts the reports are set in travel with them: the DejaVu fonts matplotlib ships (the figures are
drawn in the same files) are copied, with their licence, into <reports>/fonts/, and the stylesheet loads
them from there (report.css, @font-face). So Cyrillic and accents look the same on every machine, with no
system font installed; the PDF's Chromium loads the same files."""

from __future__ import annotations

import sys
from importlib.util import find_spec
from pathlib import Path

from .io import atomic_write

FOLDER = "fonts"  # in the reports folder, beside the country folders: one copy for every page
FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf",
         "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf", "LICENSE_DEJAVU")


def source_dir() -> Path:
    """matplotlib's copy (found without importing matplotlib, which costs a tenth of a second)."""
    spec = find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("matplotlib is not installed, and the reports' fonts are the ones it ships")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def source_files() -> list[Path]:
    """The files copied, each checked: a matplotlib without them cannot set the reports."""
    folder = source_dir()
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{folder} lacks {', '.join(missing)}: the reports' fonts come from matplotlib")
    return [folder / name for name in FILES]


def published() -> list[str]:
    """The copies' paths relative to the reports folder (outputs of every build)."""
    return [f"{FOLDER}/{name}" for name in FILES]


def publish(reports_root: Path) -> None:
    """Copy the fonts into reports_root/fonts/: each file written atomically, and only when its bytes differ."""
    target = Path(reports_root) / FOLDER
    for source in source_files():
        data = source.read_bytes()
        copy = target / source.name
        try:
            if copy.read_bytes() == data:
                continue
        except OSError:
            pass
        atomic_write(copy, data)


if __name__ == "__main__":  # the bootstrap's check: where the fonts come from, or why they cannot
    try:
        source_files()
    except FileNotFoundError as err:
        sys.exit(f"The reports' fonts: {err}")
    print(source_dir())
