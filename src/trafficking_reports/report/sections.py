"""Models of the report's sections after the key findings. Each function takes the report's
context and returns what its template shows: values, the fact rows behind each (footnotes.Cited),
figures to draw (footnotes.FigureSpec) and tables. Nothing here writes HTML or numbers footnotes."""

from __future__ import annotations

import pandas as pd

from .. import alt_text, figures, indicators, provenance
from .context import ReportContext
from .footnotes import FigureSpec, as_frame, cited
from .formatting import fmt_date, fmt_number, fmt_value

UNODC_SERIES = {
    "unodc_persons_prosecuted": "Persons prosecuted",
    "unodc_persons_convicted": "Persons convicted",
    "unodc_victims_detected": "Detected victims",
    "unodc_offences": "Offences recorded",
}
TIP_SERIES = {
    "tip_investigations_cases": "Investigations (cases)",
    "tip_investigations_persons": "Investigations (persons)",
    "tip_prosecutions_cases": "Prosecutions (cases)",
    "tip_prosecutions_persons": "Prosecutions (defendants)",
    "tip_convictions_persons": "Convictions (persons)",
    "tip_convictions_cases": "Convictions (cases)",
    "tip_victims_identified": "Victims identified",
}
# Which TIP narrative figure sits beside which UNODC one in the comparison table.
PAIRS = [
    ("Prosecutions", "unodc_persons_prosecuted", ["tip_prosecutions_persons", "tip_prosecutions_cases"]),
    ("Convictions", "unodc_persons_convicted", ["tip_convictions_persons", "tip_convictions_cases"]),
    ("Victims", "unodc_victims_detected", ["tip_victims_identified"]),
    ("Investigations / offences", "unodc_offences", ["tip_investigations_cases", "tip_investigations_persons"]),
]
POLICY_INDICATORS = ("law_articles", "policy_event", "membership", "max_penalty_years")
TIER_FLAG_LABELS = {"tip_waiver": "waiver from a required downgrade", "tip_automatic_downgrade": "automatic downgrade"}
ROLES = {"role_origin": "origin", "role_transit": "transit", "role_destination": "destination"}
# What a reader is told about a fact read only in a secondary source (how the curation went is in the data).
READER_NOTES = {
    "seed_blog_2014": "Source: analyst's blog post (2014), citing the 2013 TIP Report; not yet confirmed in the "
                      "report itself",
}
CONSENT_VERBS = {"ratification": "ratified", "accession": "acceded to", "acceptance": "accepted",
                 "approval": "approved", "succession": "succeeded to"}
PROTOCOL_SOURCE = "untc_tip_protocol_2014"
DASH = "–"


def tier_section(ctx: ReportContext) -> dict:
    tiers = ctx.tiers
    if tiers.empty:
        return {"name": ctx.name, "tiers": None}
    rows = ctx.tier_rows()
    shown = rows[rows["report_year"].isin(tiers["report_year"]) & rows["source_id"].isin(tiers["source_id"])]
    conflicts = [{"year": int(r["report_year"]), "values": [cited(v["value"], v) for _, v in
                                                            rows[rows["report_year"] == r["report_year"]].iterrows()]}
                 for _, r in tiers[tiers["others"].map(len) > 0].iterrows()]
    flags = {label: ctx.rows(indicator) for indicator, label in TIER_FLAG_LABELS.items()}
    listing = []
    for _, r in tiers.iterrows():
        year = r["report_year"]
        said = {label: flag[flag["report_year"] == year] for label, flag in flags.items()}
        listing.append({"year": int(year), "secondary": r["copy_type"] == "secondary",
                        "tier": cited(r["tier"], rows[(rows["report_year"] == year)
                                                      & (rows["source_id"] == r["source_id"])]),
                        # A flag comes from the same narrative as its tier, so it shares the tier's footnote.
                        "flags": [label for label, flagged in said.items() if not flagged.empty],
                        "flag_rows": as_frame(*said.values())})
    return {"name": ctx.name, "tiers": tiers, "count": len(tiers),
            "years": f"{tiers['report_year'].min()}-{tiers['report_year'].max()}",
            "figure": FigureSpec(lambda src: figures.tier_trajectory(tiers, ctx.name, src), shown,
                                 "Tier placement by report year: " + alt_text.tier_trajectory(tiers)),
            "listing": listing, "conflicts": conflicts, "any_secondary": any(i["secondary"] for i in listing)}


def law_enforcement_section(ctx: ReportContext) -> dict:
    unodc = {label: ctx.rows(ind) for ind, label in UNODC_SERIES.items()}
    tip = {label: ctx.tip_series(ind) for ind, label in TIP_SERIES.items()}
    out = {"name": ctx.name, "first_year": ctx.first_year, "last_year": ctx.last_year,
           "has_unodc": any(not r.empty for r in unodc.values()), "has_tip": any(not r.empty for r in tip.values())}
    if not (out["has_unodc"] or out["has_tip"]):
        return out
    series = [{"label": f"{k} (UNODC)", "rows": v} for k, v in unodc.items() if not v.empty]
    series += [{"label": f"{k} (TIP narrative)", "rows": v, "dashed": True} for k, v in tip.items() if not v.empty]
    used = pd.concat([s["rows"] for s in series])
    title = f"{ctx.name}: trafficking cases by year"
    out["figure"] = FigureSpec(lambda src: figures.counts_over_time(series, title, src,
                                                                    ylabel="count (persons, offences or cases)"),
                               used, "Counts by year. " + alt_text.counts_over_time(series))
    out["comparison"] = comparison_table(ctx)
    return out


def comparison_table(ctx: ReportContext) -> dict | None:
    """Year by measure: UNODC beside the TIP narrative, each cell with its source."""
    cells: dict[int, dict[str, object]] = {}
    header = ["Year"]
    for label, unodc_ind, tip_inds in PAIRS:
        columns = [(f"{label}: UNODC", ctx.rows(unodc_ind))]
        columns += [(f"{label}: TIP ({TIP_SERIES[t].split('(')[-1].rstrip(')')})", ctx.tip_series(t))
                    for t in tip_inds]
        for column, rows in columns:
            if rows.empty:
                continue
            header.append(column)
            for _, r in rows.iterrows():
                cells.setdefault(int(r["period"]), {})[column] = cited(fmt_value(r), r)
    if not cells:
        return None
    body = [[str(y)] + [cells[y].get(c, DASH) for c in header[1:]] for y in sorted(cells)]
    return {"header": header, "rows": body}


def yoy_section(ctx: ReportContext) -> dict:
    tables = {}
    for indicator, label in UNODC_SERIES.items():
        rows = ctx.rows(indicator)
        if not rows.empty:
            tables[label] = (rows, indicators.yoy_table(rows))
    if not tables:
        return {"name": ctx.name, "tables": None}
    body, undefined = [], 0
    for label, (rows, table) in tables.items():
        by_year = rows.set_index("period")
        for _, c in table.iterrows():
            if not c["defined"]:
                undefined += 1
                continue
            pair = rows[rows["period"].isin([c["period"], c["previous_period"]])]
            pct = "n/a (from 0)" if pd.isna(c["percent"]) else f"{c['percent']:+.0f}%"
            body.append([label, f"{c['previous_period']}→{c['period']}", fmt_value(by_year.loc[c["previous_period"]]),
                         cited(fmt_value(by_year.loc[c["period"]]), pair), f"{c['absolute']:+,.0f}", pct])
    used = pd.concat([r for r, _ in tables.values()])
    title = f"{ctx.name}: change on the previous year (UNODC)"
    return {"name": ctx.name, "tables": True, "undefined": undefined,
            "comparisons": sum(len(t) for _, t in tables.values()), "rows": body,
            "figure": FigureSpec(lambda src: figures.yoy_bars({k: t for k, (_, t) in tables.items()}, title, src),
                                 used, "Change on the previous year. "
                                 + alt_text.yoy_bars({k: t for k, (_, t) in tables.items()}))}


def corruption_section(ctx: ReportContext) -> dict:
    context = ctx.cpi_context()
    old = ctx.rows("cpi_score_old_scale")
    out = {"name": ctx.name, "context": None,
           "old": {"years": f"{int(old['period'].min())}-{int(old['period'].max())}", "rows": old}
           if not old.empty else None}
    if context.empty:
        return out
    scores, ranks = ctx.best("cpi_score"), ctx.best("cpi_rank")
    of = ctx.world("cpi_countries_ranked")
    of = of[of["period"].isin(context["period"])]
    peers = ctx.peer_rows("cpi_score")
    used = pd.concat([scores, ranks, of, peers])
    peer_label = ctx.peer_group or "peer group"
    body = []
    for _, r in context.iterrows():
        y = int(r["period"])
        body.append([str(y), cited(fmt_number(r["score"]), scores[scores["period"] == y]),
                     cited(f"{fmt_number(r['rank'])} of {fmt_number(r['of'])}", ranks[ranks["period"] == y],
                           of[of["period"] == y]) if pd.notna(r["rank"]) else DASH,
                     cited(f"{fmt_number(r['peer_median'])} ({int(r['peers_scored'])} countries)",
                           peers[peers["period"] == y]) if pd.notna(r["peer_median"]) else DASH])
    out.update(context=True, peer_label=peer_label, rows=body,
               figure=FigureSpec(lambda src: figures.cpi_chart(context, ctx.name, peer_label, src), used,
                                 alt_text.cpi_chart(context, ctx.name, peer_label)))
    return out


def slavery_estimate_section(ctx: ReportContext) -> dict:
    """Walk Free's modelled estimate beside the regional peers' (never presented as a count)."""
    prevalence, number = ctx.best("gsi_prevalence_per_1000"), ctx.best("gsi_people_in_modern_slavery")
    out = {"name": ctx.name, "first_year": ctx.first_year, "last_year": ctx.last_year, "peer_group": ctx.peer_group,
           "held_elsewhere": ctx.facts.has("gsi_prevalence_per_1000"), "estimate": None}
    if prevalence.empty and number.empty:
        return out
    n = number.iloc[-1] if not number.empty else None
    p = prevalence.iloc[-1] if not prevalence.empty else None
    out["estimate"] = {"number": cited(fmt_value(n), n) if n is not None else None,
                       "period": int(n["period"]) if n is not None else None,
                       "prevalence": cited(p["value"], p) if p is not None else None}
    if not ctx.peer_group:
        return out
    rates, counts = ctx.peer_rows("gsi_prevalence_per_1000"), ctx.peer_rows("gsi_people_in_modern_slavery")
    body = []
    for iso3 in ctx.peers:
        rate, count = rates[rates["country_iso3"] == iso3], counts[counts["country_iso3"] == iso3]
        body.append([ctx.countries.loc[iso3, "name"], cited(rate["value"].iloc[-1], rate) if not rate.empty else DASH,
                     cited(fmt_value(count.iloc[-1]), count) if not count.empty else DASH])
    out.update(rows=body, highlight=ctx.peers.index(ctx.iso3),
               median=cited(fmt_number(rates["value_num"].median()), rates) if len(rates) > 1 else None,
               estimated=len(rates))
    return out


def peers_section(ctx: ReportContext) -> dict:
    if not ctx.peer_group:
        return {"name": ctx.name, "peer_group": None}
    table = ctx.peer_table()
    facts = {name: ctx.world(name) for name in ("tip_tier", "cpi_score", "unodc_persons_convicted")}

    def cell(row, prefix, indicator, year_col, key_col="period"):
        if pd.isna(row[prefix]):
            return DASH
        f = facts[indicator]
        rows = f[(f["country_iso3"] == row["iso3"]) & (f[key_col] == row[year_col])
                 & (f["source_id"] == row[f"{prefix}_source"])]
        return cited(f"{row[prefix]} ({int(row[year_col])})", rows)

    body = [[r["country"], cell(r, "tier", "tip_tier", "tier_year", "report_year"),
             cell(r, "cpi", "cpi_score", "cpi_year"),
             cell(r, "convictions", "unodc_persons_convicted", "convictions_year")] for _, r in table.iterrows()]
    return {"name": ctx.name, "peer_group": ctx.peer_group, "peer_field": ctx.peer_field.replace("_", "-"),
            "rows": body, "highlight": list(table["iso3"]).index(ctx.iso3)}


def protocol_status(ctx: ReportContext) -> dict:
    """Where the country stands on the UN Trafficking in Persons Protocol, as the January 2014 status says."""
    signed = ctx.facts.indicator("tip_protocol_signature")
    consent = ctx.facts.indicator("tip_protocol_consent")
    kind = ctx.facts.indicator("tip_protocol_consent_kind")
    return {"consent": cited(fmt_date(consent["value"].iloc[0]), consent, kind) if not consent.empty else None,
            "verb": CONSENT_VERBS.get(str(kind["value"].iloc[0]), "joined") if not kind.empty else "joined",
            "signed": cited(fmt_date(signed["value"].iloc[0]), signed) if not signed.empty else None,
            "source": PROTOCOL_SOURCE}


def policy_section(ctx: ReportContext) -> dict:
    frames = [ctx.rows(ind) for ind in POLICY_INDICATORS]
    rows = pd.concat(frames).sort_values(["period", "indicator"])
    roles = pd.concat([ctx.rows(r) for r in ROLES])
    out = {"name": ctx.name, "protocol": protocol_status(ctx), "roles": None, "rows": None}
    if not roles.empty:
        latest_year = roles["report_year"].max()
        latest = roles[roles["report_year"] == latest_year]
        kinds = [ROLES[i] for i in ROLES if i in set(latest["indicator"])]
        listed = kinds[0] if len(kinds) == 1 else f"{', '.join(kinds[:-1])} and {kinds[-1]}"
        out["roles"] = {"year": latest_year, "listed": cited(listed, latest)}
    if not rows.empty:
        out["rows"] = [{"year": int(r["period"]), "kind": ctx.codebook.loc[r["indicator"], "label"],
                        "what": cited(policy_value(r), r), "reader_note": READER_NOTES.get(r["source_id"])}
                       for _, r in rows.iterrows()]
    return out


def policy_value(row: pd.Series) -> str:
    return f"up to {fmt_value(row)} years' imprisonment" if row["indicator"] == "max_penalty_years" else row["value"]


def methods_section(ctx, used: pd.DataFrame) -> dict:
    """Any report with a codebook, data version, `parameters` and `rebuild` command (country or region)."""
    codebook = ctx.codebook
    return {"definitions": [{"id": i, "label": codebook.loc[i, "label"], "definition": codebook.loc[i, "definition"],
                             "caveat": codebook.loc[i, "caveats"] if pd.notna(codebook.loc[i, "caveats"]) else None}
                            for i in sorted(set(used["indicator"]))],
            "parameters": ctx.parameters, "rebuild": ctx.rebuild, "peers_note": hasattr(ctx, "peers"),
            "commit": provenance.commit(), "data_version": ctx.data_version,
            "versions": ", ".join(f"{k} {v}" for k, v in provenance.package_versions().items())}
