"""The report's figures. Each returns a matplotlib Figure with a title, labelled axes
and a source line; censored counts are hollow markers, missing years are gaps."""

from __future__ import annotations

import base64
import io

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from . import style
from .schema import TIERS

# Vertical order of the tier chart: best at the top, off-scale placements below.
TIER_Y = {"Tier 1": 5, "Tier 2": 4, "Tier 2 Watch List": 3, "Tier 3": 2, "Special Case": 1, "Not ranked": 0}


def _source_line(fig, text: str, left: str = "counts", top: float = style.TOP, panel_gap: float = 0.42) -> None:
    """The source under the figure, then the layout (the last step of every figure)."""
    width, height = fig.get_size_inches()
    fig.text(0.05 / width, 0.05 / height, f"Source: {text}", ha="left", va="bottom", fontsize=7, color="#444444")
    style.finish_layout(fig, left, top, panel_gap)


def svg_bytes(fig) -> bytes:
    """Vector figures: sharp in the PDF at any zoom, smaller than a 200 dpi PNG, and faster to write
    (no rasterising). Text is drawn as DejaVu Sans outlines (style.RC), so no font need be installed."""
    buf = io.BytesIO()
    # No date metadata and a fixed id salt (style.RC) so the same figure gives the same bytes.
    fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buf.getvalue()


def to_data_uri(fig, svg=svg_bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg(fig)).decode("ascii")


def tier_trajectory(tiers: pd.DataFrame, country: str, source_text: str):
    """Step chart of tier placements by report year (tiers: report_year, tier, others)."""
    fig, ax = style.new_figure(7.0, 3.0)
    years = tiers["report_year"].astype(int).to_numpy()
    y = tiers["tier"].map(TIER_Y).to_numpy(dtype=float)
    # Break the line where a report year is missing, rather than bridging it.
    full = np.arange(years.min(), years.max() + 1)
    y_full = pd.Series(y, index=years).reindex(full).to_numpy()
    ax.step(full, y_full, where="mid", color=style.PALETTE["grey"], linewidth=1.2, zorder=1)
    for tier in TIERS:
        mask = tiers["tier"] == tier
        if mask.any():
            ax.scatter(years[mask], y[mask], s=42, color=style.TIER_COLOURS[tier], label=tier, zorder=3,
                       edgecolor="white", linewidth=0.6)
    for year, others in zip(years, tiers["others"]):
        for value, _source in others:
            ax.scatter([year], [TIER_Y[value]], s=60, facecolor="none", edgecolor="black", zorder=4,
                       label="another source disagrees")
    _tier_axis(ax)
    ax.set_xlim(years.min() - 1, years.max() + 1)
    ax.set_xlabel("TIP Report year (edition)")
    ax.set_title(f"{country}: TIP Report tier placement by report year")
    ax.xaxis.get_major_locator().set_params(integer=True)
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    ax.legend(unique.values(), unique.keys(), loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _source_line(fig, source_text, left="tiers")
    return fig


def counts_over_time(series: list[dict], title: str, source_text: str, ylabel: str = "persons / offences"):
    """Lines of counts by year. Each series: label, rows (facts), dashed (bool).

    Missing years break the line; censored values ("<5") are hollow markers at
    their largest possible value.
    """
    fig, ax = style.new_figure(7.0, 3.4)
    _draw_counts(ax, series)
    ax.set_xlabel("Year the figure is about")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _source_line(fig, source_text)
    return fig


def _draw_counts(ax, series: list[dict]) -> None:
    """Lines of counts by year on one axes; a series keeps its colour by position, even when empty."""
    colours = iter(style.SERIES_COLOURS * 3)
    censored_drawn = False
    for spec in series:
        rows = spec["rows"]
        colour = next(colours)
        if rows.empty:
            continue
        by_year = rows.set_index("period")
        years = np.arange(by_year.index.min(), by_year.index.max() + 1)
        values = by_year["value_num"].reindex(years).astype(float)
        ax.plot(years, values.to_numpy(), color=colour, linestyle="--" if spec.get("dashed") else "-",
                marker="o", markersize=3.5, linewidth=1.4, label=spec["label"])
        cens = by_year[by_year["value_qualifier"] == "censored"]
        if not cens.empty:
            ax.scatter(cens.index, cens["censored_max"], s=36, facecolor="white", edgecolor=colour,
                       linewidth=1.3, zorder=4, label="_nolegend_")
            censored_drawn = True
    if censored_drawn:
        ax.scatter([], [], s=36, facecolor="white", edgecolor="black", label="suppressed (<5), drawn at 4")
    ax.set_ylim(bottom=0)
    ax.xaxis.get_major_locator().set_params(integer=True)
def _tier_axis(ax) -> None:
    """Tiers up the side, best at the top; Special Case and Not ranked below a dotted line."""
    ax.set_yticks(list(TIER_Y.values()), list(TIER_Y.keys()))
    ax.set_ylim(-0.5, 5.5)
    ax.axhline(1.5, color="#bbbbbb", linewidth=0.8, linestyle=":")


def _figure_title(fig, title: str) -> None:
    """A figure's title at its top left, above panels that have titles or a legend of their own."""
    fig.suptitle(title, fontsize=10, fontweight="bold", x=0.01, y=1 - 0.08 / fig.get_size_inches()[1], ha="left",
                 va="top")


def region_tier_trajectories(tiers: dict[str, pd.DataFrame], title: str, source_text: str, per_panel: int = 6):
    """One step line per country (tiers: country name -> report_year, tier), at most per_panel countries a
    panel so each keeps a colour of its own. Lines are nudged apart a little so shared tiers stay visible."""
    names = list(tiers)
    panels = [names[i:i + per_panel] for i in range(0, len(names), per_panel)]
    fig, axes = style.new_figure(7.0, 0.85 + 2.72 * len(panels), rows=len(panels), sharex=True, squeeze=False)
    first = min(int(t["report_year"].min()) for t in tiers.values())
    last = max(int(t["report_year"].max()) for t in tiers.values())
    full = np.arange(first, last + 1)
    for ax, group in zip(axes[:, 0], panels):
        for i, (name, colour) in enumerate(zip(group, style.SERIES_COLOURS)):
            placed = tiers[name]
            offset = (i - (len(group) - 1) / 2) * 0.07
            y = pd.Series(placed["tier"].map(TIER_Y).to_numpy(dtype=float) + offset,
                          index=placed["report_year"].astype(int).to_numpy())
            # A missing report year breaks the line rather than bridging it.
            ax.step(full, y.reindex(full).to_numpy(), where="mid", color=colour, linewidth=1.4, label=name)
            ax.scatter(y.index, y.to_numpy(), s=14, color=colour, zorder=3)
        _tier_axis(ax)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes[-1, 0].set_xlim(first - 1, last + 1)
    axes[-1, 0].set_xlabel("TIP Report year (edition)")
    axes[-1, 0].xaxis.get_major_locator().set_params(integer=True)
    _figure_title(fig, title)
    _source_line(fig, source_text, left="tiers", top=0.55)
    return fig


def region_counts(panels: dict[str, list[dict]], title: str, source_text: str, ylabel: str):
    """Small multiples: one panel per country (name -> series as for counts_over_time), each on its own
    scale, two a row, one legend under the title."""
    columns = 2 if len(panels) > 1 else 1
    rows = -(-len(panels) // columns)
    height = 1.52 + 2.3 * rows
    fig, axes = style.new_figure(7.0, height, rows=rows, columns=columns, sharex=True, squeeze=False)
    legend = {}
    for ax, (name, series) in zip(axes.flat, panels.items()):
        _draw_counts(ax, series)
        if len(panels) > 1:  # a single panel's title would become the figure's (style.finish_layout)
            ax.set_title(name, loc="left", fontsize=9)
        ax.set_ylabel(ylabel)
        handles, labels = ax.get_legend_handles_labels()
        legend.update(zip(labels, handles))
        ax.xaxis.set_tick_params(labelbottom=True)  # every panel shows its years: the one below may be empty
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    _figure_title(fig, title if len(panels) > 1 else f"{title}: {next(iter(panels))}")
    fig.legend(legend.values(), legend.keys(), loc="upper center", bbox_to_anchor=(0.5, 1 - 0.3 / height), ncols=3)
    _source_line(fig, source_text, left="counts", top=0.8, panel_gap=0.6)
    fig.subplots_adjust(wspace=0.35)  # room for the right-hand panels' y labels
    return fig
    return fig


def yoy_bars(tables: dict[str, pd.DataFrame], title: str, source_text: str):
    """Percent change on the previous year, one panel per indicator; 'n/a' where undefined."""
    labels = [k for k, t in tables.items() if not t.empty]
    fig, axes = style.new_figure(7.0, 1.5 + 1.25 * len(labels), rows=len(labels), sharex=True, squeeze=False)
    periods = pd.concat([tables[k]["period"] for k in labels])
    for ax, label, colour in zip(axes[:, 0], labels, style.SERIES_COLOURS):
        t = tables[label]
        defined = t[t["percent"].notna()]
        ax.bar(defined["period"], defined["percent"], color=colour, width=0.7)
        for _, r in t[t["percent"].isna()].iterrows():
            ax.text(r["period"], 0, "n/a", ha="center", va="bottom", fontsize=6.5, color="#666666")
        ax.axhline(0, color="black", linewidth=0.7)
        if defined.empty:
            ax.set_ylim(-100, 100)  # nothing defined: keep a readable scale for the n/a marks
        ax.set_ylabel("% change")
        ax.set_title(label, loc="left", fontsize=9)
        ax.grid(axis="x", visible=False)
    axes[-1, 0].set_xlim(periods.min() - 1, periods.max() + 1)
    axes[-1, 0].set_xlabel("Year (change from the previous year)")
    axes[-1, 0].xaxis.get_major_locator().set_params(integer=True)
    _figure_title(fig, title)
    _source_line(fig, source_text, left="percent", top=0.55)
    return fig


def cpi_chart(context: pd.DataFrame, country: str, peer_label: str, source_text: str):
    """CPI score (2012+ scale) against the peer group's median, with rank of N annotated."""
    fig, ax = style.new_figure(7.0, 3.2)
    ax.plot(context["period"], context["score"], marker="o", markersize=3.5, label=country,
            color=style.PALETTE["blue"])
    if context["peer_median"].notna().any():
        ax.plot(context["period"], context["peer_median"], linestyle="--", color=style.PALETTE["orange"],
                label=f"{peer_label} median")
    for i, (_, r) in enumerate(context.iterrows()):
        if pd.notna(r["rank"]) and pd.notna(r["of"]):
            # Above and below the line in turn: side by side, "rank/N" labels of adjacent years overlap.
            ax.annotate(f"{int(r['rank'])}/{int(r['of'])}", (r["period"], r["score"]), textcoords="offset points",
                        xytext=(0, 6 if i % 2 == 0 else -12), ha="center", fontsize=6.5, color="#333333")
    ax.set_ylim(0, 100)
    ax.set_ylabel("CPI score\n(0 = highly corrupt, 100 = very clean)")
    ax.set_xlabel("Year")
    ax.set_title(f"{country}: Corruption Perceptions Index score and rank of N")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _source_line(fig, source_text, left="score")
    return fig
