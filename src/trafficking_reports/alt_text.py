"""What each figure shows, in words generated from the data it draws: the alt text a screen reader
reads instead of the picture. One function per kind of figure (figures.py); plain text, escaped by
whoever writes the HTML. Long series are summarised (span, first and last, highest and lowest)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .report.formatting import fmt_number, fmt_value

LISTED = 6  # a series with more values than this is summarised, not listed


def year_ranges(years: Iterable[int]) -> str:
    """'2019-2020, 2022': consecutive years joined, a missing year breaks the range."""
    years = sorted({int(y) for y in years})
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def tier_trajectory(tiers: pd.DataFrame) -> str:
    """'Tier 2 in 2022-2025; Tier 2 Watch List in 2019-2020, 2011': one clause per tier, the latest
    placement first; each lists the report years it covers (tiers: report_year, tier, others)."""
    if tiers.empty:
        return "No tier placement recorded."
    latest = tiers.groupby("tier")["report_year"].max().sort_values(ascending=False)
    clauses = [f"{tier} in {year_ranges(tiers.loc[tiers['tier'] == tier, 'report_year'])}" for tier in latest.index]
    text = "; ".join(clauses) + "."
    disagree = [f"{value} for {int(year)}" for year, others in zip(tiers["report_year"], tiers["others"])
                for value, _source in others]
    if disagree:
        text += " Another source gives " + ", ".join(disagree) + "."
    return text


def series(label: str, rows: pd.DataFrame, value=fmt_value) -> str:
    """'Convictions: 10 in 2011, 6 in 2012' (rows: period and what `value` reads); a long series:
    its span, how many figures and gaps, first and last, highest and lowest."""
    # Plain dicts, not iterrows: a report's alt texts read a few hundred rows and pandas rows cost 50 us each.
    columns = list(rows.columns)
    records = sorted((dict(zip(columns, values)) for values in zip(*(rows[c].tolist() for c in columns))),
                     key=lambda r: r["period"])
    points = [(int(r["period"]), value(r)) for r in records]
    if not points:
        return f"{label}: no figures."
    if len(points) <= LISTED:
        return f"{label}: " + ", ".join(f"{v} in {y}" for y, v in points) + "."
    first, last = points[0], points[-1]
    gaps = (last[0] - first[0] + 1) - len({y for y, _ in points})
    text = f"{label}: {len(points)} figures, {first[0]}-{last[0]}"
    if gaps:
        text += f" ({gaps} year{'s' if gaps > 1 else ''} without a figure)"
    text += f"; from {first[1]} in {first[0]} to {last[1]} in {last[0]}"
    return text + _extremes(records, value) + "."


def _extremes(records: list[dict], value) -> str:
    """'; highest 21 in 2007, lowest <5 in 2004-2005': a suppressed count (<5) is lower than any count
    above its largest possible value, and is never taken as a number."""
    numeric = [r for r in records if not pd.isna(r.get("value_num"))]
    censored = [r for r in records if r.get("value_qualifier") == "censored"]
    bounds = [r["censored_max"] for r in censored if not pd.isna(r.get("censored_max"))]
    most = max(bounds) if bounds else None
    parts = []
    high = max(numeric, key=lambda r: r["value_num"], default=None)  # the first of equals, as idxmax
    low = min(numeric, key=lambda r: r["value_num"], default=None)
    if high is not None and (most is None or high["value_num"] >= most):
        parts.append(f"highest {value(high)} in {int(high['period'])}")
    suppressed = f"{value(censored[0])} in {year_ranges(r['period'] for r in censored)}" if censored else ""
    if suppressed and (low is None or most is None or low["value_num"] > most):
        parts.append(f"lowest {suppressed}")
    elif low is not None:
        parts.append(f"lowest {value(low)} in {int(low['period'])}" + (f" (suppressed: {suppressed})"
                                                                        if suppressed else ""))
    return "; " + ", ".join(parts) if parts else ""


def counts_over_time(specs: list[dict]) -> str:
    """Each line of a counts chart (specs: label, rows of facts), one sentence each."""
    return " ".join(series(s["label"], s["rows"]) for s in specs if not s["rows"].empty)


def _percent(row: pd.Series) -> str:
    return "n/a" if pd.isna(row["percent"]) else f"{row['percent']:+.0f}%"


def yoy_bars(tables: dict[str, pd.DataFrame]) -> str:
    """Percent change on the previous year per measure (tables: period, percent; NaN = undefined)."""
    out = []
    for label, table in tables.items():
        if table.empty:
            continue
        table = table.sort_values("period")
        if len(table) <= LISTED:
            out.append(f"{label}: " + ", ".join(f"{_percent(r)} in {int(r['period'])}"
                                                for _, r in table.iterrows()) + ".")
            continue
        defined = table[table["percent"].notna()]
        text = f"{label}: {len(table)} years, {int(table['period'].min())}-{int(table['period'].max())}"
        if len(defined) < len(table):
            text += f" (change undefined in {len(table) - len(defined)})"
        if not defined.empty:
            up, down = defined.loc[defined["percent"].idxmax()], defined.loc[defined["percent"].idxmin()]
            rises, falls = int((defined["percent"] > 0).sum()), int((defined["percent"] < 0).sum())
            same = len(defined) - rises - falls
            text += f"; {rises} rise{'s' if rises != 1 else ''}, {falls} fall{'s' if falls != 1 else ''}"
            text += f", {same} unchanged" if same else ""
            if up["percent"] > 0:
                text += f"; largest rise {_percent(up)} in {int(up['period'])}"
            if down["percent"] < 0:
                text += f"; largest fall {_percent(down)} in {int(down['period'])}"
        out.append(text + ".")
    return " ".join(out) if out else "No year-on-year change defined."


def cpi_chart(context: pd.DataFrame, country: str, peer_label: str) -> str:
    """The score line, the peer median line and the latest rank (context: period, score, rank, of, peer_median)."""
    def number(column):
        return lambda r: fmt_number(r[column])

    scores = context[context["score"].notna()].assign(value_num=lambda f: f["score"])
    text = series(f"{country}'s CPI score", scores, number("score"))
    medians = context[context["peer_median"].notna()].assign(value_num=lambda f: f["peer_median"])
    if not medians.empty:
        text += " " + series(f"{peer_label} median", medians, number("peer_median"))
    ranked = context[context["rank"].notna() & context["of"].notna()]
    if not ranked.empty:
        last = ranked.iloc[-1]
        text += f" Rank {fmt_number(last['rank'])} of {fmt_number(last['of'])} in {int(last['period'])}."
    return text


def tier_distribution(table: pd.DataFrame) -> str:
    """Countries per tier in the first and latest report years (table: report year x tier, counts)."""
    if table.empty:
        return "No tier placements."

    def year(y) -> str:
        counts = table.loc[y]
        return f"{int(y)}: " + ", ".join(f"{tier} {int(n)}" for tier, n in counts.items() if n) + \
            f" ({int(counts.sum())} countries)"

    years = list(table.index)
    if len(years) == 1:
        return f"Countries per tier in {year(years[0])}."
    return (f"Countries per tier in {len(years)} report years, {int(years[0])}-{int(years[-1])}. "
            f"First, {year(years[0])}; latest, {year(years[-1])}.")


def tier_scatter(points: pd.DataFrame, measure: str, value=fmt_number) -> str:
    """Each point a country (points: tier, x): how many, and the median of the measure per tier."""
    from .indicators import TIER_RANK

    medians = points.groupby("tier")["x"].agg(["median", "size"]).reindex(list(TIER_RANK)).dropna()
    per_tier = "; ".join(f"{tier}: {int(r['size'])} {'country' if r['size'] == 1 else 'countries'}, "
                         f"median {value(r['median'])}"
                         for tier, r in medians.iterrows())
    return f"{len(points)} countries, each a point: {measure} across, tier up the side. {per_tier}."
