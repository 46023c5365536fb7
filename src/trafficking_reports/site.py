"""reports/index.html (every country, from the facts) and the global overview report."""

from __future__ import annotations

import json
import os
import re
from html import escape
from pathlib import Path

import pandas as pd

from . import fonts, hashing, indicators, maps, provenance
from .citations import Citations
from .countries import load_countries
from .facts import countries_with_facts, load_facts, load_sources
from .io import atomic_write, stderr_to
from .report import change_unknown

ARROWS = {"up": "↑ up", "down": "↓ down", "sideways": "→ moved"}


def index_rows(root: Path | None = None) -> pd.DataFrame:
    facts = load_facts(root)
    countries = load_countries(root).set_index("iso3")
    of = indicators.preferred(facts[facts["indicator"] == "cpi_countries_ranked"])
    ranked = dict(zip(of["period"], of["value"]))
    rows = []
    for iso3 in countries_with_facts(root):
        f = facts[facts["country_iso3"] == iso3]
        tiers = indicators.tier_by_year(f[f["indicator"] == "tip_tier"])
        streak, move = indicators.tier_streak(tiers), indicators.last_move(tiers)
        conv = f[f["indicator"] == "unodc_persons_convicted"]
        last = indicators.latest(conv)
        change = indicators.yoy_changes(conv)[-1] if last is not None else None
        cpi = indicators.latest(indicators.preferred(f[f["indicator"] == "cpi_score"]))
        rank = indicators.preferred(f[f["indicator"] == "cpi_rank"])
        rank = rank[rank["period"] == cpi["period"]] if cpi is not None else rank.iloc[:0]
        rows.append({
            "iso3": iso3, "name": countries.loc[iso3, "name"], "region": countries.loc[iso3, "region"],
            "tier": streak.tier if streak else None, "tier_year": streak.latest if streak else None,
            "trend": (f"{ARROWS[move.direction]} in {move.report_year}" if move else
                      ("no change recorded" if streak else None)),
            "tier_source": tiers["source_id"].iloc[-1] if streak else None,
            "convictions": last["value"] if last is not None else None,
            "convictions_year": int(last["period"]) if last is not None else None,
            "convictions_change": (f"{change.absolute:+,.0f}" + (f" ({change.percent:+.0f}%)" if change.percent
                                   is not None else "")) if change is not None and change.defined else
                                  (change_unknown(change) if change is not None else None),
            "convictions_source": last["source_id"] if last is not None else None,
            "cpi": cpi["value"] if cpi is not None else None, "cpi_year": int(cpi["period"]) if cpi is not None
            else None, "cpi_source": cpi["source_id"] if cpi is not None else None,
            "cpi_rank": rank["value"].iloc[0] if not rank.empty else None,
            "cpi_ranked": ranked.get(int(cpi["period"])) if cpi is not None else None,
        })
    return pd.DataFrame(rows)


SORT_SCRIPT = """
document.querySelectorAll('th[data-sort]').forEach(function (th) {
  th.addEventListener('click', function () {
    var table = th.closest('table'), idx = Array.from(th.parentNode.children).indexOf(th);
    var asc = th.dataset.dir !== 'asc'; th.dataset.dir = asc ? 'asc' : 'desc';
    var rows = Array.from(table.tBodies[0].rows);
    rows.sort(function (a, b) {
      var x = a.cells[idx].dataset.v || a.cells[idx].textContent;
      var y = b.cells[idx].dataset.v || b.cells[idx].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return asc ? c : -c;
    });
    rows.forEach(function (r) { table.tBodies[0].appendChild(r); });
  });
});
"""


def index_map(table: pd.DataFrame, reports_root: Path, citations: Citations, root: Path | None = None) -> str:
    """The latest tier map as inline SVG (links inside an <img> do not work): each country whose report
    exists links to it, and names itself and its tier on hover."""
    facts = load_facts(root)
    tiers = facts[facts["indicator"] == "tip_tier"]
    links = {iso3: f"{iso3}/{iso3}.html" for iso3 in table["iso3"] if (reports_root / iso3 / f"{iso3}.html").exists()}
    year, placed = maps.placements(tiers)
    shown = indicators.preferred(tiers[tiers["report_year"] == year])["source_id"]
    names = dict(zip(table["iso3"], table["name"]))
    svg = maps.svg_bytes(maps.tier_map(tiers, year, links=links, width=9.0, root=root)).decode("utf-8")

    def titled(match: re.Match) -> str:  # same-tab links, like the table's, each with a <title>
        iso3 = match.group(1)
        tier = placed.get(iso3, f"no placement in the {year} report")
        return f'<a xlink:href="{iso3}/{iso3}.html"><title>{escape(names[iso3])}: {escape(tier)}</title>'

    svg = re.sub(r'<a xlink:href="([A-Z]{3})/\1\.html" target="_blank">', titled, svg[svg.index("<svg"):])
    return (f'<figure class="map">{svg}<figcaption>Click a country to open its report. Tiers: U.S. Department of '
            f"State{citations.cite(*shown)}; shapes: Natural Earth{citations.cite(maps.SOURCE_ID)}. "
            f"{escape(maps.DISCLAIMER)}</figcaption>"
            "</figure>\n")


def index_html(reports_root: Path, root: Path | None = None) -> str:
    table = index_rows(root)
    citations = Citations(load_sources(root))
    sources = {col: sorted(set(table[f"{col}_source"].dropna())) for col in ("tier", "convictions", "cpi")}
    notes = {col: citations.cite(*ids) for col, ids in sources.items()}
    body = []
    for region, group in table.groupby("region"):
        body.append(f'<tr class="region"><th colspan="7">{escape(region)} ({len(group)})</th></tr>')
        for _, r in group.sort_values("name").iterrows():
            iso3 = r["iso3"]
            links = " · ".join(f'<a href="{iso3}/{iso3}.{ext}">{ext.upper()}</a>' for ext in ("html", "pdf")
                               if (reports_root / iso3 / f"{iso3}.{ext}").exists()) or "not built"
            tier = f"{escape(r['tier'])} ({int(r['tier_year'])})" if pd.notna(r["tier"]) else "–"
            has_conv = pd.notna(r["convictions"])
            conv = f"{escape(str(r['convictions']))} ({int(r['convictions_year'])})" if has_conv else "–"
            conv_v = r["convictions"] if has_conv and str(r["convictions"]).isdigit() else -1
            cpi = f"{escape(str(r['cpi']))} ({int(r['cpi_year'])})" if pd.notna(r["cpi"]) else "–"
            if pd.notna(r["cpi"]) and pd.notna(r["cpi_rank"]):
                cpi += f", rank {escape(str(r['cpi_rank']))}" + (
                    f" of {escape(str(r['cpi_ranked']))}" if pd.notna(r["cpi_ranked"]) else "")
            tier_v = indicators.TIER_RANK.get(r["tier"], 0) if pd.notna(r["tier"]) else -1
            body.append(
                f'<tr><td>{escape(r["name"])}</td><td data-v="{tier_v}">{tier}</td>'
                f'<td>{escape(r["trend"]) if pd.notna(r["trend"]) else "–"}</td>'
                f'<td data-v="{conv_v}">{conv}</td>'
                f'<td>{escape(str(r["convictions_change"])) if pd.notna(r["convictions_change"]) else "–"}</td>'
                f'<td data-v="{escape(str(r["cpi"])) if pd.notna(r["cpi"]) else -1}">{cpi}</td><td>{links}</td></tr>')
    # The index sits in the reports folder itself: its fonts are in fonts/, not ../fonts/.
    css = (Path(__file__).with_name("report.css")).read_text(encoding="utf-8").replace(
        'url("../fonts/', 'url("fonts/')
    overview = ('<p><a href="global_overview/global_overview.html">Global overview</a> (HTML) · '
                '<a href="global_overview/global_overview.pdf">PDF</a></p>') + regions_html(reports_root, root)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Anti-trafficking country reports</title>\n<style>\n{css}\n"
        "body{max-width:70em} tr.region th{background:#e8eef7;text-align:left} th[data-sort]{cursor:pointer}"
        " figure.map svg{width:100%;height:auto} figure.map a:hover path{opacity:.7}"
        "\n</style>\n</head>\n<body>\n<main>\n<h1>Anti-trafficking country reports</h1>\n"
        f'<p class="build">{len(table)} countries · commit {escape(provenance.commit())} · data version '
        f"{hashing.data_version(root)}. Click a column heading to sort; rows are grouped by UN region.</p>\n"
        f"{overview}\n{index_map(table, reports_root, citations, root)}"
        '<table class="numbers index"><thead><tr><th data-sort>Country</th>'
        f'<th data-sort>Latest TIP tier (report){notes["tier"]}</th><th>Last tier change</th>'
        f'<th data-sort>Persons convicted, UNODC (year){notes["convictions"]}</th><th>Change on previous year</th>'
        f'<th data-sort>CPI score (year), rank of N{notes["cpi"]}</th><th>Report</th></tr></thead>\n<tbody>\n'
        + "\n".join(body) + "\n</tbody></table>\n<h2>Sources</h2>\n" + citations.sources_html()
        + f"\n</main>\n<script>{SORT_SCRIPT}</script>\n</body>\n</html>\n")


def regions_html(reports_root: Path, root: Path | None = None) -> str:
    """The regional reports: each UN M49 sub-region and intermediate region, with links to what is built."""
    from .items import region_item
    from .regions import all_regions

    entries = []
    for region in all_regions(root):
        item = region_item(region)
        links = " · ".join(f'<a href="{escape(path)}">{path.rsplit(".", 1)[1].upper()}</a>'
                           for path in item.outputs() if (reports_root / path).exists()) or "not built"
        entries.append(f"<li>{escape(region.name)} ({region.level}, {len(region.members)} countries and "
                       f"territories): {links}</li>")
    return ('<h2>Regions</h2>\n<p>The countries of each UN M49 sub-region and intermediate region side by '
            f'side.</p>\n<ul class="regions">{"".join(entries)}</ul>\n')


def write_overview(reports_root: Path, kernel: str | None = None) -> bool:
    """Render notebooks/global_overview.ipynb when its inputs changed. Returns True if rebuilt."""
    from .execute import execute_notebook_file
    from .html_export import to_html
    from .pdf import to_pdf

    out = reports_root / "global_overview"
    stamp = out / ".build.json"
    digest = hashing.tree_digest()  # all data, code and notebooks (global_overview.ipynb included)
    try:
        if json.loads(stamp.read_text()).get("inputs") == digest and (out / "global_overview.pdf").exists():
            return False
    except (OSError, ValueError):
        pass
    saved = stderr_to(reports_root / ".logs" / "overview.log")  # the kernel's chatter, not the terminal's
    try:
        executed = execute_notebook_file("global_overview.ipynb", out, "global_overview",
                                         "Anti-trafficking efforts worldwide: an overview", {}, kernel)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    atomic_write(out / "global_overview.html", to_html(executed, reports_root))
    atomic_write(out / "global_overview.pdf", to_pdf(out / "global_overview.html"))
    stamp.write_text(json.dumps({"inputs": digest}) + "\n")
    return True


def write_index(reports_root: Path) -> None:
    reports_root = Path(reports_root)
    html = index_html(reports_root)
    fonts.publish(reports_root)
    index = reports_root / "index.html"
    if not index.exists() or index.read_text(encoding="utf-8") != html:  # a no-op build touches nothing
        atomic_write(index, html)


def write_site(reports_root: Path, overview: bool = True) -> None:
    if overview:
        write_overview(Path(reports_root))
    write_index(reports_root)
