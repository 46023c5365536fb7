"""One figure style for every report: colour-blind-safe (Okabe-Ito), labelled, sourced."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # reports render without a display
import matplotlib.pyplot as plt  # noqa: E402

# Okabe & Ito (2008) palette, safe for the common forms of colour blindness.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}
SERIES_COLOURS = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky")]
TIER_COLOURS = {
    "Tier 1": PALETTE["green"],
    "Tier 2": PALETTE["blue"],
    "Tier 2 Watch List": PALETTE["orange"],
    "Tier 3": PALETTE["vermillion"],
    "Special Case": PALETTE["purple"],
    "Not ranked": PALETTE["grey"],
}
DPI = 200  # only for raster exports (figures are SVG in reports)

RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "axes.prop_cycle": matplotlib.cycler(color=SERIES_COLOURS),
    "legend.frameon": False,
    "legend.fontsize": 8,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "savefig.bbox": "tight",
    "svg.hashsalt": "trafficking-reports",  # stable ids in the SVG output
    # Glyphs as outlines drawn from matplotlib's DejaVu: a figure is an <img>, which cannot load the page's
    # fonts, so text left as text would need DejaVu installed on the reader's machine (with none, it vanished).
    # Costs bytes: the Kazakhstan HTML grows from 210 kB to 463 kB, its PDF by 6%.
    "svg.fonttype": "path",
    "path.simplify": True,
    "text.parse_math": False,  # a "$" in a country name or source is text, never mathtext
}


def apply() -> None:
    plt.rcParams.update(RC)


def new_figure(width: float = 7.0, height: float = 3.2):
    apply()
    return plt.subplots(figsize=(width, height), layout="constrained")
