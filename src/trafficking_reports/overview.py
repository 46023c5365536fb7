"""The global overview: tier distribution per report year, tier against CPI, world totals."""

from __future__ import annotations

import zlib
from html import escape
from pathlib import Path

import pandas as pd
from matplotlib.ticker import FuncFormatter, NullFormatter

from . import alt_text, figures, hashing, indicators, maps, provenance, style
from .citations import Citations
from .facts import load_facts, load_sources
from .schema import TIERS

# The overview's sections, in order (the notebook is generated from this list).
SECTIONS = ("title_block", "tier_map", "tier_change_map", "tier_distribution", "tier_against_cpi", "gsi_against_tier",
            "world_totals", "sources_section", "how_to_cite")
TITLE = "Anti-trafficking efforts worldwide: an overview"
# Under each map as page text too: a map's own words are outlines (style.RC), which readers cannot search or
# have read aloud.
MAP_NOTE = f'<p class="note">{escape(maps.DISCLAIMER)}</p>'
# A few countries named on the scatter plot so readers can orient themselves.
LABELLED = ("KAZ", "RUS", "CHN", "IND", "NGA", "BRA", "DNK", "VEN")


def tier_scatter(iso3: pd.Series, x: pd.Series, tier: pd.Series):
    """Each country a point: a measure across, its tier up the side; a few countries named."""
    fig, ax = style.new_figure(7.0, 3.8)
    # Deterministic jitter (crc32, not hash(): that is salted per process) so points separate.
    jitter = (iso3.map(lambda c: zlib.crc32(c.encode())) % 7 - 3) * 0.04
    ax.scatter(x, tier.map(figures.TIER_Y) + jitter, c=tier.map(style.TIER_COLOURS), s=18, alpha=0.85)
    for code, value, placed in zip(iso3, x, tier):
        if code in LABELLED:
            ax.annotate(code, (value, figures.TIER_Y[placed]), fontsize=6.5, xytext=(2, 3), textcoords="offset points")
    ax.set_yticks([figures.TIER_Y[t] for t in indicators.TIER_RANK], list(indicators.TIER_RANK))
    return fig, ax


class GlobalOverview:
    def __init__(self, root: Path | None = None):
        self.root = root
        self.facts = load_facts(root)
        self.citations = Citations(load_sources(root))

    def _rows(self, indicator: str) -> pd.DataFrame:
        return self.facts[self.facts["indicator"] == indicator]

    def _figure(self, fig, rows: pd.DataFrame, alt: str, svg=figures.svg_bytes) -> str:
        publishers = self.citations.publishers(rows["source_id"])
        return (f'<figure><img src="{figures.to_data_uri(fig, svg)}" alt="{escape(alt)}"><figcaption>Source: '
                f"{escape(publishers)} {self.citations.cite(*rows['source_id'])}</figcaption></figure>")

    def _map_rows(self, years) -> pd.DataFrame:
        """The placements a map of these editions shows, with the shapes' source row."""
        tiers = self._rows("tip_tier")
        tiers = indicators.preferred(tiers[tiers["report_year"].isin(years)])
        return pd.concat([tiers, pd.DataFrame({"source_id": [maps.SOURCE_ID]})], ignore_index=True)

    def tier_map(self) -> str:
        year, placed = maps.placements(self._rows("tip_tier"))
        counts = pd.Series(placed).value_counts().reindex(list(TIERS)).dropna()
        text = ", ".join(f"{t} {int(n)}" for t, n in counts.items())  # the paragraph's and the alt text's
        return (f"<h2>Tier placements in the {year} report</h2><p>{len(placed)} countries placed: {escape(text)}. "
                "Countries too small to see are dots.</p>"
                + self._figure(maps.tier_map(self._rows("tip_tier"), year, root=self.root),
                               self._map_rows([year]),
                               f"World map of TIP tier placements in the {year} report: {len(placed)} countries "
                               f"placed; {text}", maps.svg_bytes)
                + MAP_NOTE)

    def tier_change_map(self) -> str:
        year, previous, moved = maps.changes(self._rows("tip_tier"))
        counts = pd.Series(moved).value_counts()
        held = {y: len(maps.placements(self._rows("tip_tier"), y)[1]) for y in (previous, year)}
        text = "; ".join(f"{label.lower()}: {int(counts[label])}" for label in maps.CHANGE_COLOURS
                         if label in counts)  # the paragraph's and the alt text's
        return (f"<h2>Change since the previous report</h2><p>From the {previous} to the {year} report: "
                f"{escape(text)}. "
                f"The data hold {held[previous]} placements from the {previous} report and {held[year]} from the "
                f"{year} report: a country placed in one of the two only may be a placement not yet recorded, "
                "not a change.</p>"
                + self._figure(maps.change_map(self._rows("tip_tier"), year, root=self.root),
                               self._map_rows([previous, year]),
                               f"World map of changes of TIP tier from the {previous} to the {year} report: {text}",
                               maps.svg_bytes)
                + MAP_NOTE)

    def title_block(self) -> str:
        return (f"<header><h1>{TITLE}</h1>"
                f'<p class="build">Built {provenance.build_date()} · commit {escape(provenance.commit())} · data '
                f"version {hashing.data_version(self.root)}</p></header>")

    def tier_table(self) -> pd.DataFrame:
        """Countries per tier and report year (one placement per country and year)."""
        tiers = self._rows("tip_tier")
        chosen = [indicators.tier_by_year(g).assign(country_iso3=iso3) for iso3, g in tiers.groupby("country_iso3")]
        per_year = pd.concat(chosen)
        table = per_year.groupby(["report_year", "tier"]).size().unstack(fill_value=0)
        return table.reindex(columns=[t for t in TIERS if t in table.columns])

    def tier_distribution(self) -> str:
        table = self.tier_table()
        fig, ax = style.new_figure(7.0, 3.4)
        bottom = pd.Series(0, index=table.index)
        for tier in table.columns:
            ax.bar(table.index, table[tier], bottom=bottom, color=style.TIER_COLOURS[tier], label=tier, width=0.8)
            bottom += table[tier]
        ax.set_xlabel("TIP Report year")
        ax.set_ylabel("countries")
        ax.set_title("Countries by TIP tier and report year")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        figures._source_line(fig, "U.S. Department of State, TIP Reports")
        counts = ", ".join(f"{int(y)}: {int(n)}" for y, n in bottom.items())
        return ("<h2>Tier distribution per report year</h2><p>Countries with a recorded placement per report "
                f"(gaps in later years are uncurated placements, not absences): {counts}.</p>"
                + self._figure(fig, self._rows("tip_tier"), alt_text.tier_distribution(table)))

    def tier_against_cpi(self) -> str:
        tiers = self._rows("tip_tier")
        cpi = indicators.preferred(self._rows("cpi_score"))
        pairs = []
        for iso3, g in tiers.groupby("country_iso3"):
            t = indicators.tier_by_year(g)
            c = cpi[(cpi["country_iso3"] == iso3)]
            for _, r in t.iterrows():
                # The report of year N covers April N-1 to March N: compare with CPI N-1.
                score = c[c["period"] == r["report_year"] - 1]
                if not score.empty and r["tier"] in indicators.TIER_RANK:
                    pairs.append((iso3, int(r["report_year"]), r["tier"], float(score["value_num"].iloc[0])))
        head = "<h2>TIP tier against CPI score</h2>"
        if not pairs:
            return head + "<p>No country has both a tier and a CPI score (2012+ scale) for matching years.</p>"
        frame = pd.DataFrame(pairs, columns=["iso3", "report_year", "tier", "cpi"])
        # The latest report year with nearly as many countries placed and scored as the best-covered
        # one: an edition with only a handful of curated tiers would mislead.
        counts = frame.groupby("report_year").size()
        year = int(counts[counts >= 0.9 * counts.max()].index.max())
        latest = frame[frame["report_year"] == year]
        fig, ax = tier_scatter(latest["iso3"], latest["cpi"], latest["tier"])
        ax.set_xlim(0, 100)
        ax.set_xlabel(f"CPI score {year - 1} (0 = highly corrupt, 100 = very clean)")
        ax.set_title(f"TIP tier ({year} report) against CPI score ({year - 1}); each point a country")
        figures._source_line(fig, "U.S. Department of State; Transparency International", left="tiers")
        medians = frame[frame["report_year"] == year].groupby("tier")["cpi"].median()
        text = "; ".join(f"{escape(t)} median {m:.0f} (n={int((latest['tier'] == t).sum())})"
                         for t, m in medians.reindex(list(indicators.TIER_RANK)).dropna().items())
        used = pd.concat([tiers[(tiers["report_year"] == year) & tiers["country_iso3"].isin(latest["iso3"])],
                          cpi[(cpi["period"] == year - 1) & cpi["country_iso3"].isin(latest["iso3"])]])
        return (head + f"<p>{len(latest)} countries with a {year} tier and a {year - 1} CPI score. "
                f"CPI by tier: {text}{self.citations.cite(*used['source_id'])}.</p>"
                + self._figure(fig, used, alt_text.tier_scatter(latest.rename(columns={"cpi": "x"}),
                                                              f"CPI score {year - 1}")))

    def gsi_against_tier(self) -> str:
        """Walk Free's estimated prevalence (a modelled estimate) against each country's latest tier."""
        head = "<h2>Modern slavery estimate against the latest TIP tier</h2>"
        gsi = indicators.preferred(self._rows("gsi_prevalence_per_1000"))
        tiers = self._rows("tip_tier")
        latest_year = int(tiers["report_year"].max()) if not tiers.empty else None
        placed = tiers[tiers["report_year"] == latest_year]
        chosen = pd.concat([indicators.tier_by_year(g).assign(country_iso3=iso3)
                            for iso3, g in placed.groupby("country_iso3")]) if not placed.empty else placed
        frame = chosen.merge(gsi[["country_iso3", "value_num", "source_id"]], on="country_iso3",
                             suffixes=("", "_gsi")) if not chosen.empty else pd.DataFrame()
        frame = frame[frame["tier"].isin(list(indicators.TIER_RANK))] if not frame.empty else frame
        if frame.empty:
            return head + "<p>No country has both a Global Slavery Index estimate and a tier placement.</p>"
        fig, ax = tier_scatter(frame["country_iso3"], frame["value_num"], frame["tier"])
        ax.set_xscale("log")
        # Plain numbers: the log scale's default labels are mathtext, which the style turns off (a "$" in a
        # name is text), so they would print as "$\\mathdefault{10^{0}}$".
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("estimated people in modern slavery per 1,000 population, 2021 (log scale; modelled)")
        ax.set_title(f"TIP tier ({latest_year} report) against Walk Free's Global Slavery Index estimate")
        figures._source_line(fig, "U.S. Department of State; Walk Free, Global Slavery Index 2023", left="tiers")
        medians = frame.groupby("tier")["value_num"].median().reindex(list(indicators.TIER_RANK)).dropna()
        text = "; ".join(f"{escape(t)} median {m:.1f} per 1,000 (n={int((frame['tier'] == t).sum())})"
                         for t, m in medians.items())
        used = pd.concat([placed[placed["country_iso3"].isin(frame["country_iso3"])],
                          gsi[gsi["country_iso3"].isin(frame["country_iso3"])]])
        return (head + f"<p>{len(frame)} countries with a tier in the {latest_year} report and a Global Slavery Index "
                f"2023 estimate. The estimates are modelled, not counts. Prevalence by tier: {text}"
                f"{self.citations.cite(*used['source_id'])}.</p>" + self._figure(fig, used, alt_text.tier_scatter(
                    frame.rename(columns={"value_num": "x"}), "estimated people in modern slavery per 1,000",
                    lambda v: f"{v:.1f}")))

    def world_totals(self) -> str:
        world = self.facts[self.facts["country_iso3"] == "WLD"]
        series = [("tip_global_prosecutions", "Prosecutions"), ("tip_global_convictions", "Convictions"),
                  ("tip_global_victims_identified", "Victims identified")]
        specs = [{"label": label, "rows": world[world["indicator"] == ind].sort_values("period")}
                 for ind, label in series]
        used = pd.concat([s["rows"] for s in specs])
        head = "<h2>Worldwide law enforcement (TIP Report table)</h2>"
        if used.empty:
            return head + "<p>No worldwide totals in the data.</p>"
        fig = figures.counts_over_time(specs, "Worldwide trafficking prosecutions, convictions and victims",
                                       "U.S. Department of State, TIP Reports", ylabel="count")
        last = used[used["period"] == used["period"].max()]
        text = ", ".join(f"{int(r['value_num']):,} {r['indicator'].split('_')[-1]}" for _, r in last.iterrows())
        return (head + f"<p>Latest year in the table, {int(used['period'].max())}: {escape(text)}"
                f"{self.citations.cite(*last['source_id'])}.</p>"
                + self._figure(fig, used, alt_text.counts_over_time(specs)))

    def sources_section(self) -> str:
        return "<h2>Sources</h2>" + self.citations.sources_html()

    def how_to_cite(self) -> str:
        from .report.citing import how_to_cite
        from .report.rendering import TEMPLATES

        model = how_to_cite(TITLE, "global_overview/global_overview.html", hashing.data_version(self.root),
                            "trafficking_reports_overview")
        return TEMPLATES.get_template("how_to_cite.html.j2").render(**model)
