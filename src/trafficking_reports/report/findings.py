"""Models of the report's opening: the title block and the key findings. Each returns the values a
template shows and the fact rows behind them (footnotes.Cited); nothing here writes HTML."""

from __future__ import annotations

import pandas as pd

from .. import indicators, provenance
from .context import ReportContext
from .footnotes import cited
from .formatting import fmt_change, fmt_number, fmt_value


def title_block(ctx: ReportContext) -> dict:
    return {"name": ctx.name, "iso3": ctx.iso3, "first_year": ctx.first_year,
            "through": ctx.last_year if ctx.last_year else "n/a", "built": provenance.build_date(),
            "commit": provenance.commit(), "data_version": ctx.data_version}


def key_findings(ctx: ReportContext) -> dict:
    return {"name": ctx.name, "first_year": ctx.first_year, "last_year": ctx.last_year,
            "peer_group": ctx.peer_group, "tier": tier_finding(ctx), "move": move_finding(ctx),
            "enforcement": enforcement_finding(ctx), "cpi": cpi_finding(ctx), "peers": peers_finding(ctx)}


def tier_finding(ctx: ReportContext) -> dict | None:
    tiers = ctx.tiers
    streak = indicators.tier_streak(tiers)
    if streak is None:
        return None
    rows = ctx.tier_rows()
    streak_rows = rows[rows["report_year"].between(streak.since, streak.latest) & (rows["value"] == streak.tier)]
    return {"latest": streak.latest, "since": streak.since, "reports": streak.reports,
            "tier": cited(streak.tier, streak_rows[streak_rows["report_year"] == streak.latest]),
            "streak_rows": streak_rows,
            "previous_placed": bool((tiers["report_year"] == streak.latest - 1).any()), "several": len(tiers) > 1}


def move_finding(ctx: ReportContext) -> dict | None:
    tiers = ctx.tiers
    move = indicators.last_move(tiers)
    if move is None:
        return {"move": None, "none_between": (tiers["report_year"].min(), tiers["report_year"].max())} \
            if len(tiers) > 1 else None
    rows = ctx.tier_rows()
    return {"move": move, "word": {"up": "up", "down": "down", "sideways": "across"}[move.direction],
            "rows": rows[rows["report_year"].isin([move.previous_year, move.report_year])]}


ENFORCEMENT = (("unodc_persons_prosecuted", "persons prosecuted"), ("unodc_persons_convicted", "persons convicted"),
               ("unodc_victims_detected", "victims detected"))


def enforcement_finding(ctx: ReportContext) -> list[dict]:
    clauses = []
    for indicator, label in ENFORCEMENT:
        rows = ctx.rows(indicator)
        last = indicators.latest(rows)
        if last is None:
            continue
        change = indicators.yoy_changes(rows)[-1]
        previous = rows[rows["period"] == change.previous_period] if change.defined else rows.iloc[:0]
        clauses.append({"value": cited(fmt_value(last), last), "label": label, "period": int(last["period"]),
                        "change": cited(fmt_change(change), previous)})
    return clauses


def cpi_finding(ctx: ReportContext) -> dict | None:
    score = indicators.latest(ctx.best("cpi_score"))
    if score is None:
        return None
    year = int(score["period"])
    rank = ctx.best("cpi_rank")
    rank = rank[rank["period"] == year]
    of = ctx.world("cpi_countries_ranked")
    of = of[of["period"] == year]
    out = {"score": cited(fmt_value(score), score), "year": year, "rank": None, "peer_median": None}
    if not rank.empty and not of.empty:
        out.update(rank=cited(fmt_value(rank.iloc[0]), rank), of=cited(fmt_value(of.iloc[0]), of))
    context = ctx.cpi_context()
    row = context[context["period"] == year]
    if not row.empty and pd.notna(row["peer_median"].iloc[0]) and ctx.peer_group:
        peers = ctx.peer_rows("cpi_score")
        out.update(peers_scored=int(row["peers_scored"].iloc[0]),
                   peer_median=cited(fmt_number(row["peer_median"].iloc[0]), peers[peers["period"] == year]))
    return out


def peers_finding(ctx: ReportContext) -> dict | None:
    table = ctx.peer_table()
    others = table[table["iso3"] != ctx.iso3]
    me = table[table["iso3"] == ctx.iso3]
    if others.empty or me.empty or pd.isna(me["tier"].iloc[0]):
        return None
    mine = me["tier"].iloc[0]
    return {"tiered": int(others["tier"].notna().sum()), "same": int((others["tier"] == mine).sum()),
            "tier": cited(mine, ctx.peer_tier_rows(table))}
