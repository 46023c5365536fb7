"""One figure style for every report: colour-blind-safe (Okabe-Ito), labelled, sourced."""

from __future__ import annotations

import textwrap

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
    "savefig.bbox": None,  # each figure lays itself out (finish_layout): no layout pass at save time
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


def new_figure(width: float = 7.0, height: float = 3.2, rows: int = 1, columns: int = 1, **kwargs):
    """A figure without a layout engine: finish_layout() places the axes once the legend is known.
    Constrained layout and a "tight" bounding box each cost a layout pass per save (with the second
    draw, about 40% of a report's figure time)."""
    apply()
    return plt.subplots(rows, columns, figsize=(width, height), **kwargs)


# Room outside the axes, in inches: below for the tick labels, the x label and the source line,
# above for the title; on the left for the y tick labels and label, per kind of axis.
BOTTOM, TOP, GAP_RIGHT = 0.72, 0.32, 0.2
LEFT = {"tiers": 1.25, "counts": 0.8, "percent": 0.8, "score": 0.85}


def finish_layout(fig, left: str, top: float = TOP, panel_gap: float = 0.42) -> None:
    """Place the axes with fixed margins, leaving room on the right for a legend outside the axes
    (measured: its width depends on its labels). A one-panel figure's title moves to the figure's
    top left, where it has the whole width, and is wrapped if even that is too narrow."""
    width, height = fig.get_size_inches()
    renderer = fig.canvas.get_renderer()
    right = GAP_RIGHT
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None:
            right = max(right, legend.get_window_extent(renderer).width / fig.dpi + 0.25)
    if len(fig.axes) == 1 and fig.axes[0].get_title():
        text = fig.axes[0].get_title()
        fig.axes[0].set_title("")
        title = fig.suptitle(text, x=0.05 / width, y=1 - 0.06 / height, ha="left", va="top",
                             fontsize=RC["axes.titlesize"], fontweight=RC["axes.titleweight"])
        _wrap(title, renderer, (width - 0.1) * fig.dpi)
        top += 0.17 * title.get_text().count("\n")
    rows = fig.axes[0].get_gridspec().nrows if fig.axes else 1  # panels may stand side by side too
    axes_height = (height - BOTTOM - top - panel_gap * (rows - 1)) / rows
    fig.subplots_adjust(left=LEFT[left] / width, right=1 - right / width, bottom=BOTTOM / height,
                        top=1 - top / height, hspace=panel_gap / axes_height if axes_height > 0 else 0.2)


def _wrap(text, renderer, room_px: float) -> None:
    content, extent = text.get_text(), text.get_window_extent(renderer).width
    if content and extent > room_px:
        text.set_text(textwrap.fill(content, max(20, int(len(content) * room_px / extent) - 2)))
