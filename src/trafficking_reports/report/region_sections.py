"""Models of the regional report's sections: the region's countries side by side. Each takes a
RegionContext and returns what its template shows: values with the fact rows behind them
(footnotes.Cited), figures to draw (FigureSpec) and tables. A value not reported is "no figure",
never 0; a member country without any fact in the data is marked as such in every table."""

from __future__ import annotations

import pandas as pd

from .. import alt_text, figures, indicators, maps, provenance
from .context import RegionContext
from .footnotes import FigureSpec, as_frame, cited
from .formatting import fmt_number, fmt_value

NO_FIGURE = "no figure"
NO_FACTS = "no facts recorded"
COUNTS = {"unodc_persons_convicted": "Persons convicted", "unodc_victims_detected": "Victims detected"}


# A figure holds at most this many countries, so that a large region's figures still fit a page.
TIER_LINES_PER_FIGURE = 18  # three panels of six lines
PANELS_PER_FIGURE = 12  # six rows of two


def chunks(by_country: dict, size: int) -> list[dict]:
    """{country: value} in parts of at most `size` countries, in order."""
    items = list(by_country.items())
    return [dict(items[i:i + size]) for i in range(0, len(items), size)]


def country_label(ctx: RegionContext, iso3: str) -> str:
    name = ctx.names[iso3]
    return f"{name} ({NO_FACTS})" if iso3 in ctx.without_facts else name


def latest_cell(row: pd.Series | None, rows: pd.DataFrame | None = None):
    """'1,653 (2021)' with its footnote, or 'no figure'."""
    if row is None:
        return NO_FIGURE
    return cited(f"{fmt_value(row)} ({int(row['period'])})", row if rows is None else rows)


def region_title_block(ctx: RegionContext) -> dict:
    return {"name": ctx.name, "level": ctx.region.level, "members": len(ctx.members), "first_year": ctx.first_year,
            "through": ctx.last_year if ctx.last_year else "n/a", "built": provenance.build_date(),
            "commit": provenance.commit(), "data_version": ctx.data_version}


def shown_tier_rows(ctx: RegionContext, iso3: str, tiers: pd.DataFrame) -> pd.DataFrame:
    """The fact rows behind the tiers tier_by_year chose (the preferred copy of each report year)."""
    rows = ctx.rows("tip_tier", iso3)
    keys = set(zip(tiers["report_year"], tiers["source_id"]))
    return rows[[(y, s) in keys for y, s in zip(rows["report_year"], rows["source_id"])]]


def region_overview(ctx: RegionContext) -> dict:
    """The members, and how the latest TIP Report placed them."""
    rows = ctx.rows("tip_tier")
    out = {"name": ctx.name, "level": ctx.region.level, "members": [ctx.names[i] for i in ctx.members],
           "member_sources": sorted(set(ctx.countries.loc[ctx.members, "source_id"])),
           "without_facts": [ctx.names[i] for i in ctx.without_facts], "edition": None}
    if rows.empty:
        return out
    edition = int(rows["report_year"].max())
    placed = {}
    for iso3 in ctx.members:
        tiers = ctx.tiers(iso3)
        tiers = tiers[tiers["report_year"] == edition]
        if not tiers.empty:
            placed[iso3] = (tiers["tier"].iloc[0], shown_tier_rows(ctx, iso3, tiers))
    by_tier = []
    for tier in figures.TIER_Y:
        countries = [iso3 for iso3, (placed_on, _) in placed.items() if placed_on == tier]
        if countries:
            by_tier.append({"tier": tier, "count": cited(len(countries), *[placed[c][1] for c in countries]),
                            "countries": ", ".join(ctx.names[c] for c in countries)})
    out.update(edition=edition, by_tier=by_tier, not_placed=[ctx.names[i] for i in ctx.members if i not in placed])
    return out


def region_map(ctx: RegionContext) -> dict:
    """The members on a map, coloured by their tier in the latest edition (maps.tier_map, zoomed to them)."""
    out = {"name": ctx.name, "figure": None, "shapes_source": maps.SOURCE_ID, "unmapped": [],
           "disclaimer": maps.DISCLAIMER}  # as page text too: the map's own words are outlines
    rows = ctx.rows("tip_tier")
    with_shape = {s.iso3 for s in maps.projected_shapes(0.0, str(ctx.root) if ctx.root else None)}
    mapped = [iso3 for iso3 in ctx.members if iso3 in with_shape]
    out["unmapped"] = [ctx.names[i] for i in ctx.members if i not in with_shape]
    if rows.empty or not mapped:
        return out
    edition = int(rows["report_year"].max())
    chosen = indicators.preferred(rows[rows["report_year"] == edition])  # the copy tier_map colours by
    by_tier = chosen.groupby("value")["country_iso3"].apply(lambda codes: ", ".join(ctx.names[c] for c in codes))
    placed = "; ".join(f"{tier}: {by_tier[tier]}" for tier in figures.TIER_Y if tier in by_tier)
    alt = (f"Map of {ctx.name} by tier in the {edition} TIP Report. {placed}."
           + (f" No placement: {', '.join(ctx.names[c] for c in mapped if c not in set(chosen['country_iso3']))}."
              if set(mapped) - set(chosen["country_iso3"]) else ""))
    title = f"{ctx.name}: TIP Report {edition} tier placements"
    out["figure"] = FigureSpec(lambda _source: maps.tier_map(chosen, edition, focus=mapped, root=ctx.root, title=title),
                               chosen, alt)
    return out


def region_tier_section(ctx: RegionContext) -> dict:
    trajectories, shown, body = {}, {}, []
    secondary = False
    for iso3 in ctx.members:
        tiers = ctx.tiers(iso3)
        if tiers.empty:
            body.append([country_label(ctx, iso3), "no placement recorded", NO_FIGURE, NO_FIGURE])
            continue
        rows = shown_tier_rows(ctx, iso3, tiers)
        trajectories[ctx.names[iso3]], shown[ctx.names[iso3]] = tiers, rows
        last = tiers.iloc[-1]
        mark = "†" if last["copy_type"] == "secondary" else ""
        secondary |= bool(mark)
        latest = cited(f"{last['tier']}{mark} ({int(last['report_year'])})",
                       rows[rows["report_year"] == last["report_year"]])
        move = indicators.last_move(tiers)
        change = cited(f"{move.direction} from {move.from_tier} ({move.previous_year}) to {move.to_tier} "
                       f"({move.report_year})", rows[rows["report_year"].isin([move.previous_year, move.report_year])]
                       ) if move else cited(f"none recorded ({len(tiers)} placements)", rows)
        span = f"{int(tiers['report_year'].min())}-{int(tiers['report_year'].max())}"
        body.append([country_label(ctx, iso3), latest, change, cited(f"{len(tiers)} ({span})", rows)])
    title = f"{ctx.name}: TIP Report tier placement by report year"
    figures_ = [FigureSpec(lambda src, part=part: figures.region_tier_trajectories(part, title, src),
                           as_frame(*[shown[n] for n in part]),
                           "TIP tier by report year, one line per country. "
                           + " ".join(f"{name}: {alt_text.tier_trajectory(trajectories[name])}" for name in part))
                for part in chunks(trajectories, TIER_LINES_PER_FIGURE)]
    return {"name": ctx.name, "rows": body, "secondary": secondary, "figures": figures_}


def region_enforcement_section(ctx: RegionContext) -> dict:
    """UNODC persons convicted and victims detected: the latest figure of each country, and each over time."""
    body, panels = [], {}
    for iso3 in ctx.members:
        series = {label: ctx.best(indicator, iso3) for indicator, label in COUNTS.items()}
        body.append([country_label(ctx, iso3)] + [latest_cell(indicators.latest(rows)) for rows in series.values()])
        if any(not rows.empty for rows in series.values()):
            panels[ctx.names[iso3]] = [{"label": label, "rows": rows} for label, rows in series.items()]
    title = f"{ctx.name}: persons convicted and victims detected (UNODC), by year"
    figures_ = [FigureSpec(lambda src, part=part: figures.region_counts(part, title, src, ylabel="persons"),
                           as_frame(*[s["rows"] for series in part.values() for s in series]),
                           "UNODC persons convicted and victims detected by year, one panel per country. "
                           + " ".join(f"{name}: {alt_text.counts_over_time(part[name])}" for name in part))
                for part in chunks(panels, PANELS_PER_FIGURE)]
    return {"name": ctx.name, "rows": body, "figures": figures_,
            "without": [ctx.names[i] for i in ctx.members if ctx.names[i] not in panels]}


def region_corruption_section(ctx: RegionContext) -> dict:
    """Each country's latest CPI score (2012+ scale) and its rank of N that year."""
    ranked = indicators.preferred(ctx.world("cpi_countries_ranked"))
    body, scored = [], 0
    for iso3 in ctx.members:
        score = indicators.latest(ctx.best("cpi_score", iso3))
        if score is None:
            body.append([country_label(ctx, iso3), NO_FIGURE, NO_FIGURE])
            continue
        scored += 1
        year = int(score["period"])
        rank = ctx.best("cpi_rank", iso3)
        rank, of = rank[rank["period"] == year], ranked[ranked["period"] == year]
        rank_cell = cited(f"{fmt_value(rank.iloc[0])} of {fmt_value(of.iloc[0])} ({year})", rank, of) \
            if not rank.empty and not of.empty else NO_FIGURE
        body.append([country_label(ctx, iso3), latest_cell(score), rank_cell])
    return {"name": ctx.name, "rows": body, "scored": scored}


def region_slavery_section(ctx: RegionContext) -> dict:
    """Walk Free's modelled estimates (never presented as counts), where imported."""
    rates, counts = ctx.best("gsi_prevalence_per_1000"), ctx.best("gsi_people_in_modern_slavery")
    out = {"name": ctx.name, "rows": None}
    if rates.empty and counts.empty:
        return out
    body = []
    for iso3 in ctx.members:
        rate = indicators.latest(rates[rates["country_iso3"] == iso3])
        count = indicators.latest(counts[counts["country_iso3"] == iso3])
        body.append([country_label(ctx, iso3), latest_cell(rate), latest_cell(count)])
    estimated = rates.groupby("country_iso3").tail(1)  # each country's latest estimate
    out.update(rows=body, estimated=cited(len(estimated), estimated),
               median=cited(fmt_number(estimated["value_num"].median()), estimated) if len(estimated) > 1 else None)
    return out
