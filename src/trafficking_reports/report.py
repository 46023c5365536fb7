"""The country report: each method returns one section as HTML built from the facts.

Every number printed carries a footnote to its source; every fact printed is kept
for the data appendix. Text from the data is always escaped.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

from . import figures, indicators, provenance
from .citations import Citations
from .countries import load_countries
from .facts import facts_for, load_indicators, load_sources, world_facts

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
APPENDIX_COLUMNS = ["country_iso3", "indicator", "period", "report_year", "value", "value_qualifier", "unit",
                    "source_id", "locator", "note"]


def fmt_number(value: float | None) -> str:
    if value is None or pd.isna(value):
        return "n/a"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def fmt_value(row: pd.Series) -> str:
    """A fact's value as readers should see it: '1,653', '<5', 'Tier 2'."""
    if row["value_qualifier"] == "censored" or pd.isna(row["value_num"]):
        return escape(str(row["value"]))
    return fmt_number(row["value_num"])


def change_unknown(change: indicators.Change) -> str:
    """Why a change cannot be given, in a reader's words: 'n/a: &lt;5 in 2021', 'n/a: no figure for 2020'."""
    if change.status.startswith("censored value in "):
        return f"n/a: &lt;5 in {escape(change.status.removeprefix('censored value in '))}"
    return f"n/a: {escape(change.status)}"


def fmt_change(change: indicators.Change) -> str:
    if not change.defined:
        return change_unknown(change)
    word = "up" if change.absolute > 0 else "down" if change.absolute < 0 else "unchanged"
    if word == "unchanged":
        return f"unchanged from {fmt_number(change.previous_value)} in {change.previous_period}"
    pct = "" if change.percent is None else f", {change.percent:+.0f}%"
    return (f"{word} {fmt_number(abs(change.absolute))}{pct} from {fmt_number(change.previous_value)} "
            f"in {change.previous_period}")


def fmt_date(iso: str) -> str:
    """'2008-07-31' -> '31 July 2008'."""
    day = pd.Timestamp(iso)
    return f"{day.day} {day:%B %Y}"


def html_table(header: list[str], rows: list[list[str]], cls: str = "") -> str:
    """Cells are HTML already (escaped where they hold data)."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


class CountryReport:
    """Build the sections of one country's report from the facts."""

    def __init__(self, country: str, first_year: int | None = None, last_year: int | None = None,
                 output_dir: str | Path | None = None, root: Path | None = None):
        self.root = root
        self.facts = facts_for(country, root)
        self.iso3, self.name = self.facts.iso3, self.facts.name
        periods = self.facts.facts["period"]
        self.first_year = int(first_year) if first_year else (int(periods.min()) if len(periods) else None)
        self.last_year = int(last_year) if last_year else (int(periods.max()) if len(periods) else None)
        self.output_dir = Path(output_dir) if output_dir else None
        self.citations = Citations(load_sources(root))
        self.codebook = load_indicators(root).set_index("indicator_id")
        self.countries = load_countries(root).set_index("iso3")
        self._used: list[pd.DataFrame] = []
        me = self.countries.loc[self.iso3]
        self.peer_field = "intermediate_region" if pd.notna(me["intermediate_region"]) else "sub_region"
        self.peer_group = me[self.peer_field] if pd.notna(me[self.peer_field]) else None
        if self.peer_group is None:
            self.peers = [self.iso3]
        else:
            self.peers = sorted(self.countries.index[self.countries[self.peer_field] == self.peer_group])

    # -- facts, with bookkeeping for the appendix --------------------------------------
    def rows(self, indicator: str) -> pd.DataFrame:
        """This country's facts for one indicator, within the report's years."""
        return self.facts.series(indicator, self.first_year, self.last_year)

    def best(self, indicator: str) -> pd.DataFrame:
        """rows(), one per period where several sources agree or restate (indicators.preferred)."""
        return indicators.preferred(self.rows(indicator))

    def in_years(self, frame: pd.DataFrame, column: str = "period") -> pd.DataFrame:
        """Rows of any country's facts within the report's years (tiers use period = report year)."""
        return frame[frame[column].between(self.first_year or 0, self.last_year or 9999)]

    def use(self, rows: pd.DataFrame | pd.Series) -> str:
        """Record fact rows as used and return their footnote markers."""
        frame = rows.to_frame().T if isinstance(rows, pd.Series) else rows
        if frame.empty:
            return ""
        self._used.append(frame)
        return self.citations.cite(*frame["source_id"])

    @property
    def used_facts(self) -> pd.DataFrame:
        if not self._used:
            return pd.DataFrame(columns=APPENDIX_COLUMNS)
        used = pd.concat(self._used, ignore_index=True).reindex(columns=APPENDIX_COLUMNS)
        used = used.astype(str).replace({"<NA>": "", "None": "", "nan": ""})
        return used.drop_duplicates().sort_values(["country_iso3", "indicator", "period", "source_id"])

    def source_text(self, rows: pd.DataFrame) -> str:
        """Plain-text source line for a figure: publishers and footnote numbers."""
        parts = {}
        for source_id in sorted(set(rows["source_id"])):
            parts.setdefault(self.citations.publisher(source_id), []).append(f"[{self.citations.number(source_id)}]")
        return "; ".join(f"{pub} {''.join(nums)}" for pub, nums in parts.items())

    def figure_html(self, fig, rows: pd.DataFrame, alt: str) -> str:
        caption = f"Source: {escape(self.citations.publishers(rows['source_id']))} {self.use(rows)}"
        return (f'<figure><img src="{figures.to_data_uri(fig)}" alt="{escape(alt)}">'
                f"<figcaption>{caption}</figcaption></figure>")

    # -- derived data that sections share ---------------------------------------------
    @property
    def tiers(self) -> pd.DataFrame:
        return indicators.tier_by_year(self.tier_rows())

    def tier_rows(self) -> pd.DataFrame:
        return self.rows("tip_tier")

    def tip_series(self, indicator: str) -> pd.DataFrame:
        return indicators.one_per_period(self.rows(indicator))

    # -- sections -----------------------------------------------------------------------
    def title_block(self) -> str:
        through = self.last_year if self.last_year else "n/a"
        return (
            f'<header class="title-block"><h1>Anti-trafficking efforts in {escape(self.name)}</h1>'
            f'<p class="subtitle">A sourced country report. Data through {through}'
            f"{f' (from {self.first_year})' if self.first_year else ''}.</p>"
            f'<p class="build">Built {provenance.build_date()} · commit {escape(provenance.commit())} · '
            f"data version {provenance.data_hash(self.root)} · ISO3 {escape(self.iso3)}</p></header>"
        )

    def key_findings(self) -> str:
        items = [s for s in (self._finding_tier(), self._finding_move(), self._finding_enforcement(),
                             self._finding_cpi(), self._finding_peers()) if s]
        if not items:
            items = [f"No facts are recorded for {escape(self.name)} in {self.first_year}-{self.last_year}."]
        return "<h2>Key findings</h2><ul class=\"findings\">" + "".join(f"<li>{s}</li>" for s in items) + "</ul>"

    def _tier_source_rows(self, tiers: pd.DataFrame) -> pd.DataFrame:
        rows = self.tier_rows()
        return rows[rows["report_year"].isin(tiers["report_year"]) & rows["source_id"].isin(tiers["source_id"])]

    def _finding_tier(self) -> str | None:
        tiers = self.tiers
        streak = indicators.tier_streak(tiers)
        if streak is None:
            return f"No TIP Report tier placement is recorded for {escape(self.name)}."
        rows = self.tier_rows()
        streak_rows = rows[rows["report_year"].between(streak.since, streak.latest)
                           & (rows["value"] == streak.tier)]
        latest_row = streak_rows[streak_rows["report_year"] == streak.latest]
        text = (f"In the {streak.latest} Trafficking in Persons (TIP) Report the US State Department placed "
                f"{escape(self.name)} on <strong>{escape(streak.tier)}</strong>{self.use(latest_row)}")
        if streak.reports > 1:
            text += (f", its placement in {streak.reports} consecutive reports ({streak.since}-{streak.latest})"
                     f"{self.use(streak_rows)}")
        elif (tiers["report_year"] == streak.latest - 1).any():
            text += ", a change from the previous report"
        elif len(tiers) > 1:
            text += f" (no placement is recorded for the {streak.latest - 1} report)"
        return text + "."

    def _finding_move(self) -> str | None:
        tiers = self.tiers
        move = indicators.last_move(tiers)
        if move is None:
            return (f"No change of tier is recorded between {tiers['report_year'].min()} and "
                    f"{tiers['report_year'].max()}." if len(tiers) > 1 else None)
        rows = self.tier_rows()
        both = rows[rows["report_year"].isin([move.previous_year, move.report_year])]
        word = {"up": "up", "down": "down", "sideways": "across"}[move.direction]
        return (f"The last change of tier was in the {move.report_year} report: {word} from "
                f"{escape(move.from_tier)} ({move.previous_year}) to {escape(move.to_tier)}{self.use(both)}.")

    def _finding_enforcement(self) -> str | None:
        clauses = []
        for indicator, label in (("unodc_persons_prosecuted", "persons prosecuted"),
                                 ("unodc_persons_convicted", "persons convicted"),
                                 ("unodc_victims_detected", "victims detected")):
            rows = self.rows(indicator)
            last = indicators.latest(rows)
            if last is None:
                continue
            change = indicators.yoy_changes(rows)[-1]
            prev = rows[rows["period"] == change.previous_period]
            clauses.append(f"{fmt_value(last)} {label} in {int(last['period'])}{self.use(last)} "
                           f"({fmt_change(change)}{self.use(prev) if change.defined else ''})")
        if not clauses:
            return f"UNODC holds no prosecution, conviction or victim figures for {escape(self.name)}."
        return "UNODC's latest figures: " + "; ".join(clauses) + "."

    def _finding_cpi(self) -> str | None:
        score = indicators.latest(self.best("cpi_score"))
        if score is None:
            return None
        year = int(score["period"])
        rank = self.best("cpi_rank")
        rank = rank[rank["period"] == year]
        of = world_facts("cpi_countries_ranked", self.root)
        of = of[of["period"] == year]
        text = (f"Transparency International's Corruption Perceptions Index scored {escape(self.name)} "
                f"{fmt_value(score)} out of 100 in {year}{self.use(score)}")
        if not rank.empty and not of.empty:
            text += (f", rank {fmt_value(rank.iloc[0])}{self.use(rank)} of {fmt_value(of.iloc[0])}"
                     f"{self.use(of)}")
        ctx = self.cpi_context()
        row = ctx[ctx["period"] == year]
        if not row.empty and pd.notna(row["peer_median"].iloc[0]) and self.peer_group:
            peer_rows = self._peer_cpi_rows()
            peer_rows = peer_rows[peer_rows["period"] == year]
            text += (f"; the median of {int(row['peers_scored'].iloc[0])} {escape(self.peer_group)} countries "
                     f"scored was {fmt_number(row['peer_median'].iloc[0])}{self.use(peer_rows)}")
        return text + "."

    def _finding_peers(self) -> str | None:
        table = self.peer_table()
        others = table[table["iso3"] != self.iso3]
        me = table[table["iso3"] == self.iso3]
        if others.empty or me.empty or pd.isna(me["tier"].iloc[0]):
            return None
        mine = me["tier"].iloc[0]
        same = others[others["tier"] == mine]
        tiered = others[others["tier"].notna()]
        latest_rows = self._peer_tier_rows(table)
        return (f"Of {len(tiered)} other {escape(self.peer_group)} countries with a tier, {len(same)} "
                f"shared its latest placement ({escape(mine)}){self.use(latest_rows)}.")

    def _peer_tier_rows(self, table: pd.DataFrame) -> pd.DataFrame:
        tiers = world_facts("tip_tier", self.root)
        keys = set(zip(table["iso3"], table["tier_year"], table["tier_source"]))
        mask = [(i, y, s) in keys for i, y, s in zip(tiers["country_iso3"], tiers["report_year"], tiers["source_id"])]
        return tiers[mask]

    def tier_section(self) -> str:
        tiers = self.tiers
        head = "<h2>TIP tier trajectory</h2>"
        if tiers.empty:
            return head + f"<p>No TIP Report tier placement is recorded for {escape(self.name)}.</p>"
        rows = self._tier_source_rows(tiers)
        fig = figures.tier_trajectory(tiers, self.name, self.source_text(rows))
        conflicts = tiers[tiers["others"].map(len) > 0]
        note = ""
        if not conflicts.empty:
            items = []
            for _, r in conflicts.iterrows():
                alt = self.tier_rows()
                alt = alt[alt["report_year"] == r["report_year"]]
                items.append(f"{int(r['report_year'])}: " + ", ".join(
                    f"{escape(v['value'])}{self.use(v)}" for _, v in alt.iterrows()))
            note = "<p>Sources disagree for: " + "; ".join(items) + ". The chart shows the preferred copy (a " \
                   "primary copy where there is one) and marks the other value with a hollow circle.</p>"
        years = f"{tiers['report_year'].min()}-{tiers['report_year'].max()}"
        flags = {label: self.rows(indicator) for indicator, label in TIER_FLAG_LABELS.items()}
        listing, copies = [], 0
        for _, r in tiers.iterrows():
            year = r["report_year"]
            chosen = rows[(rows["report_year"] == year) & (rows["source_id"] == r["source_id"])]
            copy = r["copy_type"] == "secondary"
            copies += copy
            said = [(label, flag[flag["report_year"] == year]) for label, flag in flags.items()]
            # The flag comes from the same narrative as the tier, so it shares the tier's footnote.
            how = "".join(f" ({label})" for label, flagged in said if self.use(flagged))
            listing.append(f"{int(year)}: {escape(r['tier'])}{'†' if copy else ''}{self.use(chosen)}{how}")
        if copies:
            note += ("<p>† Read in a secondary copy: another publisher's transcription or compilation of the "
                     "State Department's tier lists (named in Sources), used where no primary copy of that year's "
                     "narrative was found; the data appendix gives where each was read.</p>")
        return (head + f"<p>Tier placements in {len(tiers)} TIP Reports, {years}. Gaps are report years with "
                f"no recorded placement.</p>" + self.figure_html(fig, rows, "Tier placement by report year")
                + '<p class="tier-list"><strong>Tier by report year.</strong> ' + "; ".join(listing) + ".</p>"
                + note)

    def law_enforcement_section(self) -> str:
        head = "<h2>Law enforcement over time</h2>"
        unodc = {label: self.rows(ind) for ind, label in UNODC_SERIES.items()}
        tip = {label: self.tip_series(ind) for ind, label in TIP_SERIES.items()}
        has_unodc = any(not r.empty for r in unodc.values())
        has_tip = any(not r.empty for r in tip.values())
        parts = [head]
        if not has_unodc:
            parts.append(f"<p>UNODC's GLOTIP data hold no prosecution, conviction, victim or offence figures "
                         f"for {escape(self.name)} in {self.first_year}-{self.last_year}.</p>")
        if not has_tip:
            parts.append("<p>No TIP Report narrative figures (investigations, prosecutions, convictions, victims "
                         "identified) are curated for this country yet.</p>")
        if has_unodc or has_tip:
            series = [{"label": f"{k} (UNODC)", "rows": v} for k, v in unodc.items() if not v.empty]
            series += [{"label": f"{k} (TIP narrative)", "rows": v, "dashed": True} for k, v in tip.items()
                       if not v.empty]
            all_rows = pd.concat([s["rows"] for s in series])
            title = f"{self.name}: trafficking cases by year"
            fig = figures.counts_over_time(series, title, self.source_text(all_rows),
                                           ylabel="count (persons, offences or cases)")
            parts.append("<p>Solid lines: UNODC country data (calendar years). Dashed lines: figures stated in "
                         "the TIP Report narratives (reporting periods as the narrative gives them). Gaps are "
                         "years without a figure, never zeros; hollow markers are counts UNODC suppresses as "
                         "&lt;5.</p>")
            parts.append(self.figure_html(fig, all_rows, "Law enforcement counts by year"))
            parts.append(self._comparison_table())
        return "".join(parts)

    def _comparison_table(self) -> str:
        """Year by measure: UNODC beside the TIP narrative, each cell with its source."""
        cells: dict[int, dict[str, str]] = {}
        header = ["Year"]
        for label, unodc_ind, tip_inds in PAIRS:
            sources = [(f"{label}: UNODC", self.rows(unodc_ind))]
            sources += [(f"{label}: TIP ({TIP_SERIES[t].split('(')[-1].rstrip(')')})", self.tip_series(t))
                        for t in tip_inds]
            for col, rows in sources:
                if rows.empty:
                    continue
                header.append(escape(col))
                for _, r in rows.iterrows():
                    cells.setdefault(int(r["period"]), {})[col] = f"{fmt_value(r)}{self.use(r)}"
        if not cells:
            return ""
        names = [h for h in header[1:]]
        body = [[str(y)] + [cells[y].get(c.replace("&amp;", "&"), "–") for c in names] for y in sorted(cells)]
        return ("<p>The same measures side by side. UNODC counts persons in calendar years; the TIP narratives "
                "count persons or cases as governments reported them. A dash means no figure.</p>"
                + html_table(header, body, "numbers"))

    def yoy_section(self) -> str:
        head = "<h2>Year-over-year change</h2>"
        tables = {}
        for indicator, label in UNODC_SERIES.items():
            rows = self.rows(indicator)
            if not rows.empty:
                tables[label] = (rows, indicators.yoy_table(rows))
        if not tables:
            return head + f"<p>No UNODC series for {escape(self.name)}, so no year-over-year change.</p>"
        body_rows, undefined = [], 0
        for label, (rows, table) in tables.items():
            by_year = rows.set_index("period")
            for _, c in table.iterrows():
                if not c["defined"]:
                    undefined += 1
                    continue
                pair = rows[rows["period"].isin([c["period"], c["previous_period"]])]
                pct = "n/a (from 0)" if pd.isna(c["percent"]) else f"{c['percent']:+.0f}%"
                body_rows.append([escape(label), f"{c['previous_period']}→{c['period']}",
                                  fmt_value(by_year.loc[c["previous_period"]]),
                                  f"{fmt_value(by_year.loc[c['period']])}{self.use(pair)}",
                                  f"{c['absolute']:+,.0f}", pct])
        all_rows = pd.concat([r for r, _ in tables.values()])
        fig = figures.yoy_bars({k: t for k, (_, t) in tables.items()},
                               f"{self.name}: change on the previous year (UNODC)", self.source_text(all_rows))
        text = ("<p>Change from the previous calendar year, absolute and in percent. It is undefined where the "
                "previous year has no figure or either figure is suppressed (&lt;5); "
                f"{undefined} of {sum(len(t) for _, t in tables.values())} year-on-year comparisons are undefined "
                "for that reason and are left out of the table (marked n/a in the chart).</p>")
        table = html_table(["Measure", "Years", "Before", "After", "Change", "Change %"], body_rows, "numbers") \
            if body_rows else "<p>No consecutive pair of years with figures.</p>"
        return head + text + self.figure_html(fig, all_rows, "Year-over-year change") + table

    def _peer_cpi_rows(self) -> pd.DataFrame:
        scores = world_facts("cpi_score", self.root)
        scores = scores[scores["country_iso3"].isin(self.peers)]
        return indicators.preferred(self.in_years(scores))

    def cpi_context(self) -> pd.DataFrame:
        of = world_facts("cpi_countries_ranked", self.root)
        return indicators.cpi_context(self.best("cpi_score"), self.best("cpi_rank"), of, self._peer_cpi_rows())

    def corruption_section(self) -> str:
        head = "<h2>Corruption context</h2>"
        ctx = self.cpi_context()
        old = self.rows("cpi_score_old_scale")
        old_note = ""
        if not old.empty:
            old_note = (f"<p>Transparency International also scored {escape(self.name)} in "
                        f"{int(old['period'].min())}-{int(old['period'].max())} on its earlier 0-10 scale"
                        f"{self.use(old)}; those scores are not comparable with 2012 onward and are not drawn "
                        "here (see the data appendix).</p>")
        if ctx.empty:
            return head + f"<p>No CPI score (2012 onward) is recorded for {escape(self.name)}.</p>" + old_note
        scores, ranks = self.best("cpi_score"), self.best("cpi_rank")
        of = world_facts("cpi_countries_ranked", self.root)
        of = of[of["period"].isin(ctx["period"])]
        peers = self._peer_cpi_rows()
        used = pd.concat([scores, ranks, of, peers])
        peer_label = self.peer_group or "peer group"
        fig = figures.cpi_chart(ctx, self.name, peer_label, self.source_text(used))
        body = []
        for _, r in ctx.iterrows():
            y = int(r["period"])
            body.append([str(y), f"{fmt_number(r['score'])}{self.use(scores[scores['period'] == y])}",
                         (f"{fmt_number(r['rank'])} of {fmt_number(r['of'])}"
                          f"{self.use(pd.concat([ranks[ranks['period'] == y], of[of['period'] == y]]))}")
                         if pd.notna(r["rank"]) else "–",
                         (f"{fmt_number(r['peer_median'])} ({int(r['peers_scored'])} countries)"
                          f"{self.use(peers[peers['period'] == y])}") if pd.notna(r["peer_median"]) else "–"])
        return (head + f"<p>CPI score on TI's 2012+ scale, the rank among the countries ranked that year, and the "
                f"median score of the {escape(peer_label)} countries (UN M49) with a score.</p>"
                + self.figure_html(fig, used, "CPI score and rank")
                + html_table(["Year", "Score", "Rank of N", f"{escape(peer_label)} median"], body, "numbers")
                + old_note)

    def slavery_estimate_section(self) -> str:
        """Walk Free's modelled estimate beside the regional peers' (never presented as a count)."""
        head = "<h2>Modern slavery estimate</h2>"
        prevalence, number = self.best("gsi_prevalence_per_1000"), self.best("gsi_people_in_modern_slavery")
        if prevalence.empty and number.empty:
            held = self.facts.has("gsi_prevalence_per_1000")
            return head + (f"<p>Walk Free's Global Slavery Index estimate for {escape(self.name)} falls outside this "
                           f"report's years ({self.first_year}-{self.last_year}).</p>" if held else
                           f"<p>No Walk Free Global Slavery Index estimate is recorded for {escape(self.name)} "
                           "(Walk Free publishes none for some small states).</p>")
        parts = []
        if not number.empty:
            n = number.iloc[-1]
            parts.append(f"an estimated {fmt_value(n)} people were living in modern slavery in {escape(self.name)} "
                         f"on any given day in {int(n['period'])}{self.use(n)}")
        if not prevalence.empty:
            p = prevalence.iloc[-1]
            parts.append(f"{escape(str(p['value']))} per 1,000 people{self.use(p)}")
        text = (f"<p>According to Walk Free's Global Slavery Index 2023, {', '.join(parts)}. This is a modelled "
                "estimate, not a count: Walk Free combines national surveys with measures of vulnerability. It is "
                "not comparable with the numbers of victims identified or prosecutions above.</p>")
        if not self.peer_group:
            return head + text
        peers = world_facts("gsi_prevalence_per_1000", self.root)
        peers = indicators.preferred(self.in_years(peers[peers["country_iso3"].isin(self.peers)]))
        counts = world_facts("gsi_people_in_modern_slavery", self.root)
        counts = indicators.preferred(self.in_years(counts[counts["country_iso3"].isin(self.peers)]))
        names = self.countries["name"]
        body = []
        for iso3 in self.peers:
            mine = peers[peers["country_iso3"] == iso3]
            count = counts[counts["country_iso3"] == iso3]
            name = escape(names[iso3])
            body.append([f"<strong>{name}</strong>" if iso3 == self.iso3 else name,
                         f"{escape(str(mine['value'].iloc[-1]))}{self.use(mine)}" if not mine.empty else "–",
                         f"{fmt_value(count.iloc[-1])}{self.use(count)}" if not count.empty else "–"])
        median = ""
        if len(peers) > 1:
            median = (f" The median prevalence of the {len(peers)} {escape(self.peer_group)} countries with an "
                      f"estimate is {fmt_number(peers['value_num'].median())} per 1,000{self.use(peers)}.")
        return (head + text + f"<p>Beside the other countries of {escape(self.peer_group)} (a dash: no estimate)."
                f"{median}</p>" + html_table(["Country", "Per 1,000 people (estimate)", "People (estimate)"], body,
                                             "numbers"))

    def protocol_status(self) -> str:
        """Where the country stands on the UN Trafficking in Persons Protocol, as the January 2014 status says."""
        source = "untc_tip_protocol_2014"
        if not self.citations.known(source):
            return ""
        protocol = "the UN Trafficking in Persons Protocol"
        signed = self.facts.indicator("tip_protocol_signature")
        consent = self.facts.indicator("tip_protocol_consent")
        kind = self.facts.indicator("tip_protocol_consent_kind")
        as_of = "as the UN Treaty Collection's status of January 2014 records"
        name = escape(self.name)
        if not consent.empty:
            verb = {"ratification": "ratified", "accession": "acceded to", "acceptance": "accepted",
                    "approval": "approved", "succession": "succeeded to"}.get(str(kind["value"].iloc[0]), "joined")
            when = fmt_date(consent["value"].iloc[0])
            text = f"{name} {verb} {protocol} on {when}{self.use(pd.concat([consent, kind]))}"
            if not signed.empty:
                text += f", having signed it on {fmt_date(signed['value'].iloc[0])}{self.use(signed)}"
            return f"<p>{text}, {as_of}.</p>"
        if not signed.empty:
            return (f"<p>{name} signed {protocol} on {fmt_date(signed['value'].iloc[0])}{self.use(signed)}; no "
                    "ratification is recorded in the UN Treaty Collection's status as of January 2014. It may have "
                    "ratified since.</p>")
        return (f"<p>{name} is not recorded as a party to {protocol} in the UN Treaty Collection's status as of "
                f"January 2014{self.citations.cite(source)}; it may have become one since.</p>")

    def peer_table(self) -> pd.DataFrame:
        tiers = world_facts("tip_tier", self.root)
        cpi = indicators.preferred(world_facts("cpi_score", self.root))
        conv = world_facts("unodc_persons_convicted", self.root)
        names = self.countries["name"].to_dict()
        return indicators.peer_table(self.peers, names, self.in_years(tiers, "report_year"), self.in_years(cpi),
                                     self.in_years(conv))

    def peers_section(self) -> str:
        head = "<h2>Regional peers</h2>"
        if not self.peer_group:
            return head + f"<p>{escape(self.name)} has no UN M49 region in the data, so no peers.</p>"
        table = self.peer_table()
        facts = {name: world_facts(name, self.root) for name in ("tip_tier", "cpi_score", "unodc_persons_convicted")}

        def cell(row, prefix, indicator, year_col, key_col="period"):
            if pd.isna(row[prefix]):
                return "–"
            f = facts[indicator]
            src = f[(f["country_iso3"] == row["iso3"]) & (f[key_col] == row[year_col])
                    & (f["source_id"] == row[f"{prefix}_source"])]
            value = escape(str(row[prefix]))
            return f"{value} ({int(row[year_col])}){self.use(src)}"

        body = []
        for _, r in table.iterrows():
            name = escape(r["country"])
            name = f"<strong>{name}</strong>" if r["iso3"] == self.iso3 else name
            body.append([name, cell(r, "tier", "tip_tier", "tier_year", "report_year"),
                         cell(r, "cpi", "cpi_score", "cpi_year"),
                         cell(r, "convictions", "unodc_persons_convicted", "convictions_year")])
        return (head + f"<p>Countries of {escape(self.peer_group)} (UN M49 {self.peer_field.replace('_', '-')}) "
                "with each one's latest TIP tier (report year), CPI score (2012+ scale) and UNODC persons "
                "convicted, each with its year.</p>"
                + html_table(["Country", "Latest tier", "CPI score", "Persons convicted (UNODC)"], body, "numbers"))

    def policy_section(self) -> str:
        head = "<h2>Policy timeline</h2>"
        frames = [self.rows(ind) for ind in POLICY_INDICATORS]
        rows = pd.concat(frames).sort_values(["period", "indicator"]) if frames else pd.DataFrame()
        roles = pd.concat([self.rows(r) for r in ROLES])
        parts = [head, self.protocol_status()]
        if not roles.empty:
            latest_year = roles["report_year"].max()
            latest = roles[roles["report_year"] == latest_year]
            kinds = [ROLES[i] for i in ROLES if i in set(latest["indicator"])]
            listed = kinds[0] if len(kinds) == 1 else f"{', '.join(kinds[:-1])} and {kinds[-1]}"
            parts.append(f"<p>The {latest_year} TIP Report describes {escape(self.name)} as a country of "
                         f"{listed} for trafficking victims{self.use(latest)}.</p>")
        if rows.empty:
            parts.append(f"<p>No laws, penalties, bodies, rulings or memberships are curated for "
                         f"{escape(self.name)} yet.</p>")
            return "".join(parts)
        body = []
        for _, r in rows.iterrows():
            label = escape(self.codebook.loc[r["indicator"], "label"])
            value = escape(str(r["value"]))
            if r["indicator"] == "max_penalty_years":
                value = f"up to {fmt_value(r)} years' imprisonment"
            note = f' <span class="note">({escape(str(r["note"]))})</span>' if pd.notna(r["note"]) else ""
            body.append([str(int(r["period"])), label, f"{value}{self.use(r)}{note}"])
        parts.append(html_table(["Year", "Kind", "What"], body, "timeline"))
        return "".join(parts)

    def sources_section(self) -> str:
        return ("<h2>Sources</h2><p>Exactly the sources cited by this report, numbered as in the footnotes.</p>"
                + self.citations.sources_html())

    def data_appendix(self) -> str:
        used = self.used_facts
        link = ""
        if self.output_dir is not None:
            self.output_dir.mkdir(parents=True, exist_ok=True)
            path = self.output_dir / f"{self.iso3}_facts.csv"
            used.to_csv(path, index=False, lineterminator="\n")
            link = f' Download: <a href="{escape(path.name)}">{escape(path.name)}</a>.'
        body = [[escape(str(r[c])) for c in ("country_iso3", "indicator", "period", "report_year", "value",
                                             "value_qualifier", "source_id", "locator")] for _, r in used.iterrows()]
        return (f"<h2>Data appendix</h2><p>The {len(used)} facts this report uses, with where each was read."
                f"{link}</p>" + html_table(["ISO3", "Indicator", "Period", "Report", "Value", "Qualifier",
                                            "Source", "Locator"], body, "appendix"))

    def methods_section(self) -> str:
        used = sorted(set(self.used_facts["indicator"]))
        defs = "".join(
            f"<dt>{escape(self.codebook.loc[i, 'label'])} <code>{escape(i)}</code></dt>"
            f"<dd>{escape(self.codebook.loc[i, 'definition'])}"
            + (f" <em>Caveat:</em> {escape(str(self.codebook.loc[i, 'caveats']))}"
               if pd.notna(self.codebook.loc[i, "caveats"]) else "") + "</dd>"
            for i in used)
        return (
            "<h2>Methods and caveats</h2>"
            "<p><strong>TIP report year and reporting period.</strong> The TIP Report of year N (published around "
            "June N) assesses government efforts from April N-1 to March N. Tiers are shown by report year; "
            "narrative figures by the year the narrative says they cover.</p>"
            "<p><strong>Why UNODC and TIP counts differ.</strong> UNODC's GLOTIP figures are official counts "
            "reported by governments for calendar years, in persons. TIP narratives quote what governments or "
            "other sources told the State Department for its reporting period, sometimes as cases, sometimes "
            "as persons, and later reports may revise them. Both are shown, each cited; neither replaces "
            "the other.</p>"
            "<p><strong>Censoring and gaps.</strong> UNODC suppresses small counts as \"&lt;5\" (between 0 and 4). "
            "They are kept as censored values: drawn as hollow markers at 4, never as 5 or 0, and a "
            "year-over-year change involving one is undefined. A year without a figure is a gap, never a "
            "zero.</p>"
            "<p><strong>Peers.</strong> Peers are the countries of the same UN M49 intermediate region where "
            "there is one, otherwise the sub-region.</p>"
            f"<dl class=\"codebook\">{defs}</dl>"
            + self.build_information()
        )

    def build_information(self) -> str:
        """What a reader needs to rebuild this exact report."""
        params = f"country={self.iso3}, first_year={self.first_year}, last_year={self.last_year}"
        versions = ", ".join(f"{k} {v}" for k, v in provenance.package_versions().items())
        return ("<p class=\"build\"><strong>Build.</strong> Parameters: " + escape(params)
                + f"; commit {escape(provenance.commit())}; data version {provenance.data_hash(self.root)}; "
                + escape(versions) + ". Rebuild with <code>make report COUNTRY=" + escape(self.iso3) + "</code>.</p>")
