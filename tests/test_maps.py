"""Country shapes and tier maps: TopoJSON decoding, the shapes importer, what a map shows."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from conftest import DATA, RAW, clear_caches
from trafficking_reports import maps, style
from trafficking_reports.errors import UpstreamFormatError
from trafficking_reports.facts import load_facts
from trafficking_reports.importers import natural_earth

# Two arcs on a grid of half a degree across and a quarter up, from (10, 20): the first point of each
# arc is a position on the grid, the others steps from the point before.
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
    "objects": {"countries": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "arcs": [[0, 1]], "id": "AAA", "properties": {"name": "A"}},
        {"type": "MultiPolygon", "arcs": [[[~1, ~0]], [[2]]], "properties": {"name": "B"}},
        {"type": None, "id": "CCC"},
    ]}},
    "arcs": [[[0, 0], [4, 0]], [[4, 0], [-4, 4], [0, -4]], [[2, 2], [2, 0], [0, 2], [-2, -2]]],
}


def test_quantized_arcs_decode_to_positions():
    arcs = maps.decode_arcs(TOPOLOGY)
    assert arcs[0].tolist() == [[10, 20], [12, 20]]
    assert arcs[1].tolist() == [[12, 20], [10, 21], [10, 20]]
    assert arcs[2].tolist() == [[11, 20.5], [12, 20.5], [12, 21], [11, 20.5]]


def test_rings_join_arcs_and_reverse_negative_indexes():
    (a, _, [[ring_a]]), (b, name, [[ring_b], [island]]), (c, _, none) = maps.decode(TOPOLOGY)
    assert (a, b, name, c, none) == ("AAA", None, "B", "CCC", [])
    assert ring_a.tolist() == [[10, 20], [12, 20], [10, 21], [10, 20]]  # the shared point appears once
    assert ring_b.tolist() == [[10, 20], [10, 21], [12, 20], [10, 20]]  # ~1 then ~0: both reversed
    assert island.tolist() == [[11, 20.5], [12, 20.5], [12, 21], [11, 20.5]]


def test_an_unquantized_topology_is_read_as_is_and_a_point_is_refused():
    plain = {**TOPOLOGY, "arcs": [[[1.5, 2.5], [3.0, 4.0]]]}
    del plain["transform"]
    assert maps.decode_arcs(plain)[0].tolist() == [[1.5, 2.5], [3.0, 4.0]]
    with pytest.raises(ValueError, match="CCC.*'Point'"):
        maps.polygons({"type": "Point", "id": "CCC", "coordinates": [0, 0]}, [])
    with pytest.raises(ValueError, match="object 'countries'"):
        maps.decode({"type": "Topology", "objects": {"land": {}}, "arcs": []})


def test_simplify_keeps_the_ends_and_an_area_for_a_tiny_island():
    x = np.linspace(0, 10, 51)
    tent = np.column_stack([x, 3 * (1 - np.abs(x - 5) / 5) + 0.01 * np.sin(7 * x)])  # one bend, some noise
    assert tent[maps.simplify(tent, 0.5)].round(6).tolist() == tent[[0, 25, 50]].round(6).tolist()
    assert maps.simplify(tent, 0.001).sum() > 10
    angle = np.linspace(0, 2 * np.pi, 40)
    island = np.column_stack([np.cos(angle), np.sin(angle)])
    island[-1] = island[0]
    ring = island[maps.simplify(island, 100.0)]  # tolerance far larger than the island
    assert len(np.unique(ring, axis=0)) >= 3 and abs(maps.signed_area(ring)) > 0.5


def test_a_ring_across_the_antimeridian_is_cut_in_two():
    ring = np.array([[170, 60], [-170, 60], [-170, 70], [170, 70], [170, 60]], dtype=float)
    west, east = maps.split_at_antimeridian(ring)
    assert west[:, 0].min() == 170 and west[:, 0].max() == 180
    assert east[:, 0].min() == -180 and east[:, 0].max() == -170
    inside = np.array([[10, 0], [20, 0], [20, 5], [10, 0]], dtype=float)
    assert len(maps.split_at_antimeridian(inside)) == 1


def test_a_ring_clipped_to_a_frame_stays_closed_with_the_area_inside():
    u_shape = np.array([[0, 0], [10, 0], [10, 10], [7, 10], [7, 3], [3, 3], [3, 10], [0, 10], [0, 0]], dtype=float)
    clipped = maps.clip_to_box(u_shape, (1, 1, 9, 5))
    assert clipped[0].tolist() == clipped[-1].tolist()
    assert abs(maps.signed_area(clipped)) == pytest.approx(8 * 4 - 4 * 2)  # the frame less the notch
    assert len(maps.clip_to_box(u_shape, (20, 20, 30, 30))) < 4


def test_equal_earth_keeps_areas_in_proportion():
    def cell_area(lat0, lat1):
        lon = np.r_[np.linspace(0, 10, 50), np.full(50, 10.0), np.linspace(10, 0, 50), np.zeros(50)]
        lat = np.r_[np.full(50, lat0), np.linspace(lat0, lat1, 50), np.full(50, lat1), np.linspace(lat1, lat0, 50)]
        return abs(maps.signed_area(np.column_stack(maps.equal_earth(lon, lat))))

    on_the_sphere = (np.sin(np.radians(10)) - 0) / (np.sin(np.radians(60)) - np.sin(np.radians(50)))
    assert cell_area(0, 10) / cell_area(50, 60) == pytest.approx(on_the_sphere, rel=1e-3)
    assert maps.equal_earth(0.0, 0.0) == (0.0, 0.0)


# --- the importer ----------------------------------------------------------------------------------------

@pytest.mark.skipif(not RAW.is_dir(), reason="../shared/raw (upstream files) not present on this machine")
def test_importer_reproduces_the_committed_shapes_byte_for_byte(data_copy):
    (data_copy / maps.GEOMETRY_FILE).write_text("stale\n")
    natural_earth.run(RAW, data_copy)
    assert (data_copy / maps.GEOMETRY_FILE).read_bytes() == (DATA / maps.GEOMETRY_FILE).read_bytes()
    assert (data_copy / "sources.csv").read_bytes() == (DATA / "sources.csv").read_bytes()


def upstream(tmp_path, geometries, arcs):
    raw = tmp_path / "raw"
    (raw / "natural_earth").mkdir(parents=True)
    topology = {"type": "Topology", "transform": {"scale": [0.01, 0.01], "translate": [-180, -90]},
                "objects": {"countries": {"type": "GeometryCollection", "geometries": geometries}}, "arcs": arcs}
    (raw / natural_earth.RAW_FILE).write_text(json.dumps(topology))
    return raw


def test_importer_names_shapes_by_iso3_and_leaves_out_antarctica(tmp_path, data_copy):
    square = [[[23000, 13000], [100, 0], [0, 100], [-100, 0], [0, -100]]]
    raw = upstream(tmp_path, [
        {"type": "Polygon", "arcs": [[0]], "id": "398", "properties": {"name": "Kazakhstan"}},
        {"type": "Polygon", "arcs": [[0]], "properties": {"name": "Kosovo"}},  # no id: by its reviewed name
        {"type": "Polygon", "arcs": [[0]], "properties": {"name": "Somaliland"}},  # none of ours: kept, no id
        {"type": "Polygon", "arcs": [[0]], "id": "010", "properties": {"name": "Antarctica"}},
    ], square)
    written = natural_earth.build(raw, data_copy)
    shapes = maps.decode(json.loads(written))
    assert [(iso3, name) for iso3, name, _ in shapes] == [(None, "Somaliland"), ("KAZ", "Kazakhstan"),
                                                          ("XKX", "Kosovo")]
    assert shapes[1][2][0][0].tolist() == [[50, 40], [51, 40], [51, 41], [50, 41], [50, 40]]


def test_importer_refuses_an_id_that_is_no_m49_code(tmp_path, data_copy):
    raw = upstream(tmp_path, [{"type": "Polygon", "arcs": [[0]], "id": "999", "properties": {"name": "Atlantis"}}],
                   [[[0, 0], [1, 0], [0, 1], [-1, -1]]])
    with pytest.raises(UpstreamFormatError, match=r"countries-50m.json: geometry 'Atlantis' has id '999'"):
        natural_earth.build(raw, data_copy)


# --- what a map shows --------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def text_as_text(monkeypatch):
    """Figures draw glyphs as outlines (style.RC); these tests read the words, so their SVG keeps text as text."""
    monkeypatch.setitem(style.RC, "svg.fonttype", "none")


@pytest.fixture(scope="module")
def tiers():
    clear_caches()
    facts = load_facts()
    return facts[facts["indicator"] == "tip_tier"]


def drawn(fig) -> tuple[set[str], set[str], str]:
    """The country shapes and dots in a map's SVG, and its text."""
    svg = maps.svg_bytes(fig).decode("utf-8")
    return (set(re.findall(r'<g id="country-([A-Z]{3})"', svg)), set(re.findall(r'<g id="marker-([A-Z]{3})"', svg)),
            " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)))


def test_every_country_placed_in_the_latest_edition_is_visible_or_marked(tiers):
    year, placed = maps.placements(tiers)
    fig = maps.tier_map(tiers)
    fig.canvas.draw()
    areas = {p.get_gid()[8:]: p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("country-")}
    plan = maps.layout(placed)
    shapes, dots, _ = drawn(fig)
    assert set(placed) == set(plan.areas) | set(plan.markers) | set(plan.unmapped) and not plan.unmapped
    assert set(plan.markers) <= dots and set(plan.areas) <= shapes
    assert {"SGP", "MLT", "MDV", "HKG", "XKX"} <= set(plan.markers) and "KAZ" in plan.areas
    for iso3 in plan.areas:  # large enough on the page, measured on the drawn figure (points, not units)
        path = areas[iso3].get_path()
        pieces = np.split(path.vertices, np.flatnonzero(path.codes == path.MOVETO)[1:])
        largest = max(abs(maps.signed_area(fig.axes[0].transData.transform(p) * 72 / fig.dpi)) for p in pieces)
        assert largest >= maps.MIN_AREA, iso3


def test_a_placed_country_without_a_shape_is_listed_under_the_map(tiers):
    extra = tiers.iloc[:1].assign(country_iso3="TUV", report_year=2025, period=2025, value="Tier 1")
    assert "TUV" not in {s.iso3 for s in maps.projected_shapes(0.0)}  # Tuvalu: no shape at 1:50m
    _, _, text = drawn(maps.tier_map(pd.concat([tiers, extra])))
    assert "Not on the map (no shape in Natural Earth): Tuvalu (Tier 1)." in re.sub(r"\s+", " ", text)


def test_the_map_names_its_edition_source_and_disclaimer_and_is_reproducible(tiers):
    first = maps.svg_bytes(maps.tier_map(tiers))
    assert first == maps.svg_bytes(maps.tier_map(tiers))
    text = re.sub(r"\s+", " ", " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", first.decode())))
    assert "TIP Report 2025: tier placements" in text and "No placement in the 2025 report" in text
    assert "do not imply any position on the legal status" in text and "secondary copy" in text


def test_a_focus_zooms_to_the_region_and_leaves_the_rest_uncoloured(tiers):
    central_asia = ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
    fig = maps.tier_map(tiers, focus=central_asia, title="Central Asia")
    assert fig.axes[0].get_title() == "Central Asia"
    ax = fig.axes[0]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    world = maps.world_extent()
    assert (x1 - x0) < 0.2 * (world[2] - world[0])
    kaz = next(s for s in maps.projected_shapes(0.0) if s.iso3 == "KAZ").main
    assert x0 < kaz[0] and kaz[2] < x1 and y0 < kaz[1] and kaz[3] < y1
    colour = {p.get_gid(): to_hex(p.get_facecolor()) for p in ax.patches}
    # Russia is placed (Tier 3) but outside the region: drawn, in the neutral colour, not its tier's.
    assert colour["country-KAZ"] == to_hex(style.TIER_COLOURS["Tier 2"]) and colour["country-RUS"] == maps.OUTSIDE
    assert "Outside the region" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert "country-USA" not in colour and len(maps.svg_bytes(fig)) < 100_000  # only what is in view is drawn
    with pytest.raises(ValueError, match=r"focus \['QQQ'\]"):
        maps.tier_map(tiers, focus=["QQQ"])


def test_france_focus_leaves_out_french_guiana():
    france = next(s for s in maps.projected_shapes(0.0) if s.iso3 == "FRA")
    x0, y0, x1, y1 = maps.focus_extent(maps.projected_shapes(0.0), ["FRA"])
    assert y0 > maps.equal_earth(0.0, 30.0)[1]  # French Guiana is at 4 degrees north
    assert min(r[:, 1].min() for r in france.rings) < maps.equal_earth(0.0, 10.0)[1]


def change_rows(rows):
    return pd.DataFrame([{"country_iso3": c, "indicator": "tip_tier", "period": y, "report_year": y, "value": t,
                          "source_id": "s", "copy_type": "primary"} for c, y, t in rows])


def test_changes_between_two_editions_follow_the_tier_rank():
    rows = change_rows([("AAA", 2024, "Tier 2"), ("AAA", 2025, "Tier 1"), ("BBB", 2024, "Tier 1"),
                        ("BBB", 2025, "Tier 2 Watch List"), ("CCC", 2024, "Tier 3"), ("CCC", 2025, "Tier 3"),
                        ("DDD", 2025, "Tier 2"), ("EEE", 2024, "Tier 3"), ("EEE", 2025, "Special Case"),
                        ("FFF", 2022, "Tier 1")])
    year, previous, moved = maps.changes(rows)
    assert (year, previous) == (2025, 2024)
    assert moved == {"AAA": "Up", "BBB": "Down", "CCC": "Unchanged", "DDD": "Placed in one of the two editions only",
                     "EEE": "Into or out of Special Case / Not ranked"}
    assert maps.changes(rows, 2024)[:2] == (2024, 2022)
    with pytest.raises(ValueError, match="no tip_tier facts before the 2022 report"):
        maps.changes(rows, 2022)


def test_change_map_draws_every_country_of_either_edition(tiers):
    year, previous, moved = maps.changes(tiers)
    shapes, dots, text = drawn(maps.change_map(tiers))
    assert set(moved) <= shapes | dots
    assert f"Change of TIP tier from the {previous} to the {year} report" in text


# --- where the maps appear ----------------------------------------------------------------------------------

def test_the_overview_opens_with_both_maps_citing_the_shapes():
    from trafficking_reports.overview import SECTIONS, GlobalOverview

    assert SECTIONS[:3] == ("title_block", "tier_map", "tier_change_map")
    overview = GlobalOverview()
    html = overview.tier_map() + overview.tier_change_map()
    figures = [base64.b64decode(uri).decode() for uri in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)]
    assert len(figures) == 2 and all('<g id="country-KAZ"' in svg for svg in figures)
    assert "Tier placements in the 2025 report" in html and "From the 2024 to the 2025 report: up: " in html
    assert "Natural Earth" in overview.sources_section()


def test_index_map_links_only_built_reports_and_is_reproducible(tmp_path):
    from trafficking_reports.site import index_html

    (tmp_path / "KAZ").mkdir()
    (tmp_path / "KAZ" / "KAZ.html").write_text("<html></html>")
    page = index_html(tmp_path)
    assert page == index_html(tmp_path)
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert page.index("<svg") < page.index('<table class="numbers index">')
    assert re.findall(r'<a xlink:href="([^"]+)"', svg) == ["KAZ/KAZ.html"]  # UZB has a shape but no report here
    assert '<g id="country-UZB"' in svg and 'target="_blank"' not in svg
    assert '<a xlink:href="KAZ/KAZ.html"><title>Kazakhstan: Tier 2</title>' in svg
