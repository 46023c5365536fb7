"""Country shapes and maps of tier placements.

Shapes come from data/geometry/countries.topojson (Natural Earth's admin-0 countries, written by
importers/natural_earth.py): a TopoJSON topology whose geometries carry ISO3 ids. They are decoded
here into polygons, projected (Equal Earth) and drawn with matplotlib, one patch per country, so
each can carry a link (`links`) in SVG output.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from . import indicators, style
from .countries import load_countries
from .paths import data_dir
from .schema import TIERS

GEOMETRY_FILE = Path("geometry") / "countries.topojson"
SOURCE_ID = "natural_earth_admin0_50m"  # its row in data/sources.csv


# --- decoding TopoJSON (https://github.com/topojson/topojson-specification) --------------------------

def decode_arcs(topology: dict) -> list[np.ndarray]:
    """Every arc as absolute (lon, lat) points. Quantized arcs hold integer deltas: their running sum
    times the transform's scale plus its translate gives the position."""
    transform = topology.get("transform")
    arcs = [np.asarray(arc, dtype=float).reshape(-1, len(arc[0]))[:, :2] for arc in topology["arcs"]]
    if transform is None:
        return arcs
    scale, translate = np.asarray(transform["scale"], float), np.asarray(transform["translate"], float)
    return [np.cumsum(arc, axis=0) * scale + translate for arc in arcs]


def ring(indexes: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    """A closed ring from its arcs; index ~i is arc i reversed, and each arc starts where the last ended."""
    parts = []
    for n, index in enumerate(indexes):
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(arc if n == 0 else arc[1:])
    return np.concatenate(parts)


def polygons(geometry: dict, arcs: list[np.ndarray]) -> list[list[np.ndarray]]:
    """A Polygon or MultiPolygon as polygons, each a list of rings (the exterior first, then holes)."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return [[ring(r, arcs) for r in geometry["arcs"]]]
    if kind == "MultiPolygon":
        return [[ring(r, arcs) for r in polygon] for polygon in geometry["arcs"]]
    if kind is None:  # a null geometry: a feature without a shape
        return []
    raise ValueError(f"TopoJSON geometry {geometry.get('id', '?')}: type {kind!r} is not a (Multi)Polygon")


def decode(topology: dict, name: str = "countries") -> list[tuple[str | None, str, list[list[np.ndarray]]]]:
    """(id or None, properties.name, polygons) of each geometry of one object of the topology."""
    if topology.get("type") != "Topology" or name not in topology.get("objects", {}):
        raise ValueError(f"not a TopoJSON topology with an object {name!r}")
    arcs = decode_arcs(topology)
    return [(g.get("id"), g.get("properties", {}).get("name", ""), polygons(g, arcs))
            for g in topology["objects"][name]["geometries"]]


def farthest(points: np.ndarray, first: int, last: int) -> tuple[int, float]:
    """The point between first and last farthest from the chord joining them, and its distance."""
    inner = points[first + 1:last]
    start, chord = points[first], points[last] - points[first]
    length = np.hypot(*chord)
    if length == 0:  # a closed stretch: distance to its start
        distances = np.hypot(*(inner - start).T)
    else:
        distances = np.abs(chord[0] * (inner[:, 1] - start[1]) - chord[1] * (inner[:, 0] - start[0])) / length
    k = int(np.argmax(distances))
    return first + 1 + k, float(distances[k])


def simplify(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Which points of an arc Douglas-Peucker keeps (a mask), its ends fixed. Arcs are simplified one by
    one, so a border two countries share stays shared. The farthest point is always kept, and on a
    closed arc (an island) one bend on each side of it, so every ring keeps an area."""
    keep = np.zeros(len(points), dtype=bool)
    keep[[0, -1]] = True
    closed = bool(np.array_equal(points[0], points[-1]))
    stack = [(0, len(points) - 1, 0)]
    while stack:
        first, last, depth = stack.pop()
        if last - first < 2:
            continue
        k, distance = farthest(points, first, last)
        if distance > tolerance or depth == 0 or (closed and depth == 1):
            keep[k] = True
            stack += [(first, k, depth + 1), (k, last, depth + 1)]
    return keep


@lru_cache(maxsize=2)
def _topology(path: str) -> tuple[dict, tuple[np.ndarray, ...]]:
    topology = json.loads(Path(path).read_text(encoding="utf-8"))
    decode(topology)  # checks the shape of the file
    return topology, tuple(decode_arcs(topology))


@lru_cache(maxsize=8)
def _shapes(path: str, tolerance: float) -> tuple[tuple[str | None, str, list], ...]:
    topology, arcs = _topology(path)
    arcs = [arc[simplify(arc, tolerance)] for arc in arcs] if tolerance else list(arcs)
    return tuple((g.get("id"), g.get("properties", {}).get("name", ""), polygons(g, arcs))
                 for g in topology["objects"]["countries"]["geometries"])


def load_shapes(tolerance: float = 0.0, root: Path | None = None) -> tuple[tuple[str | None, str, list], ...]:
    """The committed shapes: (ISO3, or None for land none of our countries covers; Natural Earth's name;
    polygons in degrees), simplified to `tolerance` degrees (a map needs no detail below half a point)."""
    return _shapes(str(Path(root or data_dir()) / GEOMETRY_FILE), float(tolerance))


# --- projecting --------------------------------------------------------------------------------------

SOUTH, NORTH = -58.0, 84.0  # maps stop short of Antarctica (no placements) and the pole
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796


def equal_earth(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """The Equal Earth projection (Šavrič, Patterson and Jenny 2018): areas true, shapes near the usual."""
    lam, phi = np.radians(lon), np.radians(lat)
    theta = np.arcsin(np.sqrt(3) / 2 * np.sin(phi))
    t2 = theta ** 2
    t6 = t2 ** 3
    x = 2 * np.sqrt(3) * lam * np.cos(theta) / (3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1))
    y = theta * (A4 * t6 * t2 + A3 * t6 + A2 * t2 + A1)
    return x, y


def clip_ring(points: np.ndarray, limit: float, keep_below: bool, axis: int = 0) -> np.ndarray:
    """The part of a closed ring below (or above) a line x = limit (axis 0) or y = limit (axis 1):
    Sutherland-Hodgman, one edge."""
    side = (points[:, axis] - limit) * (1 if keep_below else -1) <= 0
    out = []
    for (a, inside_a), (b, inside_b) in zip(zip(points, side), zip(np.roll(points, -1, 0), np.roll(side, -1))):
        if inside_a:
            out.append(a)
        if inside_a != inside_b:
            out.append(a + (b - a) * (limit - a[axis]) / (b[axis] - a[axis]))
    return np.array(out + out[:1]).reshape(-1, 2)  # closed, as rings are (ring_path drops the last point)


def clip_to_box(points: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """The part of a ring inside a rectangle (x0, y0, x1, y1); empty if none."""
    x0, y0, x1, y1 = box
    for limit, keep_below, axis in ((x0, False, 0), (x1, True, 0), (y0, False, 1), (y1, True, 1)):
        if len(points) < 4:
            break
        points = clip_ring(points, limit, keep_below, axis)
    return points


def split_at_antimeridian(points: np.ndarray) -> list[np.ndarray]:
    """A ring that crosses 180 degrees (Chukotka, Fiji) as its pieces on either side."""
    if len(points) < 2 or np.abs(np.diff(points[:, 0])).max() <= 180:
        return [points]
    lon = np.unwrap(points[:, 0], period=360)
    lon = lon + 360 if lon.min() < -180 else lon
    unwrapped = np.column_stack([lon, points[:, 1]])
    east = clip_ring(unwrapped, 180.0, keep_below=False) - [360.0, 0.0]
    return [piece for piece in (clip_ring(unwrapped, 180.0, keep_below=True), east) if len(piece) >= 4]


def signed_area(points: np.ndarray) -> float:
    x, y = points[:, 0], points[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def projected(polys: list[list[np.ndarray]]) -> list[np.ndarray]:
    """Projected rings, exteriors anticlockwise and holes clockwise, so SVG's non-zero fill shows holes."""
    rings = []
    for polygon in polys:
        for n, points in enumerate(polygon):
            for piece in split_at_antimeridian(points):
                xy = np.column_stack(equal_earth(piece[:, 0], np.clip(piece[:, 1], -89.999, 89.999)))
                if (signed_area(xy) > 0) != (n == 0):
                    xy = xy[::-1]
                rings.append(xy)
    return rings


# --- what a map shows --------------------------------------------------------------------------------

MIN_AREA = 4.0  # square points: a country whose largest piece is smaller gets a dot (its colour unreadable)
SPECK = 0.1  # square points: islands smaller than this are left out (but never a country's largest piece)
GAP = 0.3  # projected units (about 2,000 km): pieces farther from a country's main land do not set a focus extent
OUTSIDE = "#f2f2f2"  # countries around a focus region: context, not coloured by their placements
NO_PLACEMENT = "#e4e4e4"
DISCLAIMER = ("Boundaries and names shown are Natural Earth's de facto boundaries (public domain, via world-atlas) "
              "and do not imply any position on the legal status of any country, territory or area, or on the "
              "delimitation of its frontiers or boundaries.")


@dataclass(frozen=True)
class Shape:
    iso3: str | None
    name: str
    rings: tuple[np.ndarray, ...]  # projected, closed
    main: tuple[float, float, float, float]  # extent (x0, y0, x1, y1) of the land around its largest piece
    centre: tuple[float, float]  # of its largest piece: where its dot goes
    largest: float  # area of its largest piece, projected units squared


def bounds(points: np.ndarray) -> tuple[float, float, float, float]:
    return (*points.min(axis=0), *points.max(axis=0))


def near(a, b, gap: float) -> bool:
    return a[0] - gap <= b[2] and b[0] - gap <= a[2] and a[1] - gap <= b[3] and b[1] - gap <= a[3]


def main_extent(rings: list[np.ndarray], largest: np.ndarray) -> tuple[float, float, float, float]:
    """The extent of the largest piece and the pieces near it (France without French Guiana)."""
    box = bounds(largest)
    for piece in sorted((bounds(r) for r in rings), key=lambda b: (b[0] - box[0]) ** 2 + (b[1] - box[1]) ** 2):
        if near(piece, box, GAP):
            box = (min(box[0], piece[0]), min(box[1], piece[1]), max(box[2], piece[2]), max(box[3], piece[3]))
    return box


@lru_cache(maxsize=8)
def projected_shapes(tolerance: float, root: str | None = None) -> tuple[Shape, ...]:
    out = []
    for iso3, name, polys in load_shapes(tolerance, Path(root) if root else None):
        rings = projected(polys)
        if not rings:
            continue
        areas = [abs(signed_area(r)) for r in rings]
        big = rings[int(np.argmax(areas))]
        out.append(Shape(iso3, name, tuple(rings), main_extent(rings, big), tuple(big.mean(axis=0)), max(areas)))
    return tuple(out)


def world_extent() -> tuple[float, float, float, float]:
    x = float(equal_earth(180.0, 0.0)[0])
    return -x, float(equal_earth(0.0, SOUTH)[1]), x, float(equal_earth(0.0, NORTH)[1])


def focus_extent(shapes: Sequence[Shape], focus: Sequence[str]) -> tuple[float, float, float, float]:
    """The focus countries' main land, padded, and widened or heightened to a readable shape."""
    boxes = [s.main for s in shapes if s.iso3 in set(focus)]
    if not boxes:
        raise ValueError(f"focus {list(focus)}: none of these ISO3 codes has a shape in {GEOMETRY_FILE}")
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    pad = 0.08 * max(x1 - x0, y1 - y0, 0.05)
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    w, h = max(w, h / 0.75), max(h, w * 0.4)
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


@dataclass(frozen=True)
class MapLayout:
    extent: tuple[float, float, float, float]
    tolerance: float  # degrees the shapes are simplified to
    areas: tuple[str, ...]  # placed countries drawn large enough to see their colour
    markers: tuple[str, ...]  # placed countries too small at this scale: a dot at their centre
    unmapped: tuple[str, ...]  # placed countries with no shape: listed under the map


def layout(placed: Iterable[str], focus: Sequence[str] = (), width: float = 7.0,
           root: Path | None = None) -> MapLayout:
    """How a map of `width` inches shows each placed country (of the focus, if one is given)."""
    extent = focus_extent(projected_shapes(0.0, str(root) if root else None), focus) if focus else world_extent()
    units_per_point = (extent[2] - extent[0]) / (width * 72)
    tolerance = float(f"{0.5 * units_per_point * 180 / world_extent()[2]:.1g}")  # half a point, in degrees
    shapes = {s.iso3: s for s in projected_shapes(tolerance, str(root) if root else None) if s.iso3}
    wanted = sorted(set(placed) & set(focus)) if focus else sorted(set(placed))
    big = tuple(c for c in wanted if c in shapes and shapes[c].largest / units_per_point ** 2 >= MIN_AREA)
    small = tuple(c for c in wanted if c in shapes and c not in big)
    return MapLayout(extent, tolerance, big, small, tuple(c for c in wanted if c not in shapes))


def ring_path(rings: Sequence[np.ndarray]) -> MplPath:
    codes = [np.r_[MplPath.MOVETO, np.full(len(r) - 2, MplPath.LINETO), MplPath.CLOSEPOLY] for r in rings]
    return MplPath(np.concatenate(rings), np.concatenate(codes).astype(MplPath.code_type))


def map_figure(width: float, aspect: float, legend_rows: int, note_lines: int):
    """A figure laid out by hand, in inches from the top: title, map, legend, notes. It needs no layout
    engine and no trimming at save time, so it looks the same whatever style.RC says of those."""
    style.apply()
    heights = (0.3, (width - 0.1) * aspect, 0.1 + 0.16 * legend_rows, 0.1 + 0.115 * note_lines)
    total = sum(heights)
    fig = plt.figure(figsize=(width, total))
    ax = fig.add_axes((0.05 / width, (heights[2] + heights[3]) / total, (width - 0.1) / width, heights[1] / total))
    return fig, ax


def draw(categories: Mapping[str, str], colours: Mapping[str, str], none: str, title: str, notes: str,
         focus: Sequence[str] = (), links: Mapping[str, str] | None = None, width: float = 7.0,
         root: Path | None = None):
    """A map with each country coloured by its category (`none` where it has none). Country shapes are
    SVG groups with id country-<ISO3>, dots marker-<ISO3>; a country in `links` links there."""
    links = links or {}
    plan = layout(categories, focus, width, root)
    x0, y0, x1, y1 = plan.extent
    handles = legend_handles(categories, colours, none, plan, outside=bool(focus))
    # Around a region, countries are context only: one neutral colour, so the map claims nothing about
    # placements its report does not read (and cite).
    paler = "Countries outside the region are not coloured by tier. " if focus else ""
    text = textwrap.fill(f"{notes} {paler}{unmapped_note(plan, categories, root)}{DISCLAIMER}", int(width * 17))
    fig, ax = map_figure(width, (y1 - y0) / (x1 - x0), -(-len(handles) // 3), text.count("\n") + 1)
    speck = SPECK * ((x1 - x0) / (width * 72)) ** 2
    margin = 0.02 * (x1 - x0)  # the cut edges fall outside the axes, which hide them
    frame = (x0 - margin, y0 - margin, x1 + margin, y1 + margin)
    for shape in projected_shapes(plan.tolerance, str(root) if root else None):
        outside = bool(focus) and shape.iso3 not in focus
        colour = OUTSIDE if outside else colours[categories.get(shape.iso3, none)]
        rings = [r for r in shape.rings if abs(signed_area(r)) >= min(speck, shape.largest)]
        if focus:  # a region's map: only what is in view (the world's borders would triple the bytes)
            rings = [c for c in (clip_to_box(r, frame) for r in rings) if len(c) >= 4]
            if not rings:
                continue
        patch = PathPatch(ring_path(rings), facecolor=colour, edgecolor="white", linewidth=0.25)
        patch.set_gid(f"country-{shape.iso3}" if shape.iso3 else None)
        patch.set_url(links.get(shape.iso3))
        ax.add_artist(patch)  # not add_patch: the limits are set below, and updating them per patch is slow
    centres = {s.iso3: s.centre for s in projected_shapes(plan.tolerance, str(root) if root else None)}
    for iso3 in plan.markers:
        (dot,) = ax.plot(*centres[iso3], "o", markersize=3.6, markerfacecolor=colours[categories[iso3]],
                         markeredgecolor="#333333", markeredgewidth=0.4, zorder=3, gid=f"marker-{iso3}")
        dot.set_url(links.get(iso3))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(title)
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=3, fontsize=7,
              handlelength=1.2, borderaxespad=0.3)
    fig.text(0.05 / width, 0.05 / fig.get_size_inches()[1], text, ha="left", va="bottom", fontsize=6.5,
             color="#444444")
    return fig


def legend_handles(categories: Mapping[str, str], colours: Mapping[str, str], none: str, plan: MapLayout,
                   outside: bool = False) -> list:
    """One entry per category shown, with its count, then no placement, outside the region (on a region's
    map), then the dot (if any)."""
    shown = plan.areas + plan.markers + plan.unmapped
    counts = pd.Series([categories[c] for c in shown], dtype=object).value_counts()
    handles = [Patch(facecolor=colours[label], label=f"{label} ({counts[label]})")
               for label in colours if label != none and label in counts]
    handles.append(Patch(facecolor=colours[none], label=none))
    if outside:
        handles.append(Patch(facecolor=OUTSIDE, label="Outside the region"))
    if plan.markers:
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=3.6, markerfacecolor="white",
                              markeredgecolor="#333333", markeredgewidth=0.4, label="small country (dot)"))
    return handles


def unmapped_note(plan: MapLayout, categories: Mapping[str, str], root: Path | None) -> str:
    if not plan.unmapped:
        return ""
    names = load_countries(root).set_index("iso3")["name"]
    return ("Not on the map (no shape in Natural Earth): "
            + "; ".join(f"{names.get(c, c)} ({categories[c]})" for c in plan.unmapped) + ". ")


# --- tier placements ---------------------------------------------------------------------------------

def placements(tiers: pd.DataFrame, year: int | None = None) -> tuple[int, dict[str, str]]:
    """The edition (default: the latest in `tiers`) and each country's tier in it: one per country, the
    copy tier_by_year would choose (a primary copy first; a tier read only in a secondary copy counts)."""
    if tiers.empty:
        raise ValueError("no tip_tier facts to map")
    year = int(tiers["report_year"].max()) if year is None else int(year)
    chosen = indicators.preferred(tiers[tiers["report_year"] == year])
    return year, dict(zip(chosen["country_iso3"], chosen["value"]))


def tier_map(tiers: pd.DataFrame, year: int | None = None, focus: Sequence[str] = (),
             links: Mapping[str, str] | None = None, width: float = 7.0, root: Path | None = None,
             title: str | None = None):
    """Each country coloured by its tier in one TIP Report edition.

    tiers: tip_tier fact rows (any countries; several copies of one placement are fine).
    year: the edition; default the latest in `tiers`.
    focus: ISO3 codes of a region: the map zooms to them and pales the countries around.
    links: ISO3 -> URL; in SVG output the country's shape (and dot) links there.
    title: default "TIP Report <year>: tier placements".
    Countries too small to see get a dot; placed countries without a shape are listed under the map.
    """
    year, placed = placements(tiers, year)
    secondary = tiers[(tiers["report_year"] == year) & (tiers["copy_type"] == "secondary")]["country_iso3"]
    only_secondary = len(set(secondary) - set(tiers[(tiers["report_year"] == year)
                                                    & (tiers["copy_type"] == "primary")]["country_iso3"]))
    colours = {tier: style.TIER_COLOURS[tier] for tier in TIERS} | {f"No placement in the {year} report": NO_PLACEMENT}
    notes = (f"Source: U.S. Department of State, Trafficking in Persons Report {year} ({only_secondary} of "
             f"{len(placed)} placements read only in a secondary copy).")
    return draw(placed, colours, f"No placement in the {year} report",
                title or f"TIP Report {year}: tier placements", notes, focus, links, width, root)


CHANGE_COLOURS = {
    "Up": style.PALETTE["green"],
    "Down": style.PALETTE["vermillion"],
    "Unchanged": "#a6c8e0",
    "Into or out of Special Case / Not ranked": style.PALETTE["purple"],
    "Placed in one of the two editions only": style.PALETTE["yellow"],
}
DIRECTION = {"up": "Up", "down": "Down", "sideways": "Into or out of Special Case / Not ranked"}


def changes(tiers: pd.DataFrame, year: int | None = None) -> tuple[int, int, dict[str, str]]:
    """The edition, the one before it (the latest earlier edition with placements) and each country's
    change between them, by indicators.tier_moves (up and down on TIER_RANK)."""
    year, now = placements(tiers, year)
    earlier = tiers[tiers["report_year"] < year]
    if earlier.empty:
        raise ValueError(f"no tip_tier facts before the {year} report: no change to map")
    previous, before = placements(earlier)
    out = {}
    for iso3 in sorted(set(now) | set(before)):
        if iso3 not in now or iso3 not in before:
            out[iso3] = "Placed in one of the two editions only"
            continue
        moves = indicators.tier_moves(pd.DataFrame({"report_year": [previous, year],
                                                    "tier": [before[iso3], now[iso3]]}))
        out[iso3] = DIRECTION[moves[0].direction] if moves else "Unchanged"
    return year, previous, out


def change_map(tiers: pd.DataFrame, year: int | None = None, focus: Sequence[str] = (),
               links: Mapping[str, str] | None = None, width: float = 7.0, root: Path | None = None,
               title: str | None = None):
    """Each country coloured by its change of tier from the previous edition to `year` (default: the
    latest). Arguments as tier_map's."""
    year, previous, moved = changes(tiers, year)
    none = f"No placement in {previous} or {year}"
    notes = f"Source: U.S. Department of State, Trafficking in Persons Reports {previous} and {year}."
    return draw(moved, CHANGE_COLOURS | {none: NO_PLACEMENT}, none,
                title or f"Change of TIP tier from the {previous} to the {year} report", notes, focus, links, width,
                root)


def svg_bytes(fig) -> bytes:
    """The figure as SVG (figures.svg_bytes), with path coordinates to a tenth of a point: a quarter
    fewer bytes for thousands of border points, and no visible change."""
    from .figures import svg_bytes as full

    def tenth(match: re.Match) -> bytes:
        return b' d="' + re.sub(rb"(\.\d)\d+", rb"\1", match.group(1)) + b'"'

    return re.sub(rb' d="([^"]*)"', tenth, full(fig))
