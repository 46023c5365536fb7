"""Natural Earth's admin-0 countries (TopoJSON, world-atlas 2.0.2) -> data/geometry/countries.topojson.

The 1:50m file is the smallest scale that has the small island states (the 1:110m one lacks 22
placed countries). Its arcs are simplified (Douglas-Peucker, per arc, so borders two countries share
stay shared) to a tolerance finer than a regional map shows, and each geometry's id becomes our ISO3
code (its M49 number through data/countries.csv; a geometry without an id by its name, through the
reviewed names and aliases). Antarctica is left out: no placement, and maps stop at 60 degrees south.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .. import maps
from ..countries import CountryResolver
from ..io import atomic_write
from ..maps import GEOMETRY_FILE, simplify
from ..tables import read_table
from .common import UpstreamFormatError, register_source, require_file, upstream_source

RAW_FILE = Path("natural_earth") / "countries-50m.json"
SOURCE_ID = maps.SOURCE_ID
SOURCE = {
    "source_id": SOURCE_ID,
    "publisher": "Natural Earth",
    "title": "Admin 0 - Countries, 1:50m (country shapes for maps)",
    "edition": "as packaged in world-atlas 2.0.2 (countries-50m.json)",
    "url": "https://www.naturalearthdata.com",
    "date_published": "",
    "licence": "public domain (Natural Earth); world-atlas packaging ISC licence",
    "note": "SECONDARY COPY: Natural Earth's shapes as packaged by the npm package world-atlas 2.0.2 "
            "(https://github.com/topojson/world-atlas), simplified by importers/natural_earth.py. Boundaries "
            "are Natural Earth's de facto ones and imply no position on any territory.",
}
DATE_ACCESSED = "2026-12-03"  # the shapes were added to ../shared/raw after the other upstream files
LEFT_OUT = {"010"}  # Antarctica (M49 010)
TOLERANCE = 0.05  # degrees (about 5 km): below a point on a 7-inch map of the smallest region; a third of the points


def quantized_arcs(topology: dict, path: Path) -> list[np.ndarray]:
    """The arcs as absolute integer positions on the file's grid (the running sums of its deltas)."""
    if "transform" not in topology or not isinstance(topology.get("arcs"), list):
        raise UpstreamFormatError(f"{path}: expected a quantized TopoJSON topology (keys transform, arcs)")
    return [np.cumsum(np.asarray(arc, dtype=np.int64).reshape(-1, 2), axis=0) for arc in topology["arcs"]]


def iso3_of(geometry: dict, m49: dict[str, str], resolver: CountryResolver, path: Path) -> str | None:
    """Our ISO3 code for a geometry: by its M49 id, else by its name (None: land no country of ours is)."""
    name = geometry.get("properties", {}).get("name", "")
    if "id" not in geometry:
        return resolver.iso3_or_none(name)
    if geometry["id"] not in m49:
        raise UpstreamFormatError(f"{path}: geometry {name!r} has id {geometry['id']!r}, not an M49 code in "
                                  "data/countries.csv")
    return m49[geometry["id"]]


def renumber(geometries: list[dict]) -> list[int]:
    """The arcs the kept geometries use, in order; their arc indexes rewritten to count those only."""
    used = sorted({i if i >= 0 else ~i for g in geometries for i in _indexes(g["arcs"])})
    new = {old: n for n, old in enumerate(used)}

    def rewrite(arcs):
        return [rewrite(a) for a in arcs] if isinstance(arcs, list) else (new[arcs] if arcs >= 0 else ~new[~arcs])

    for g in geometries:
        g["arcs"] = rewrite(g["arcs"])
    return used


def _indexes(arcs):
    for a in arcs:
        yield from (_indexes(a) if isinstance(a, list) else (a,))


def build(raw_dir: Path, data_dir: Path) -> str:
    path = require_file(raw_dir / RAW_FILE)
    topology = json.loads(path.read_text(encoding="utf-8"))
    if "countries" not in topology.get("objects", {}):
        found = list(topology.get("objects", {}))
        raise UpstreamFormatError(f"{path}: expected a TopoJSON object 'countries'; found {found}")
    countries = read_table(data_dir / "countries.csv").dropna(subset=["m49_code"])
    m49 = dict(zip(countries["m49_code"], countries["iso3"]))
    resolver = CountryResolver.from_data(data_dir)
    kept = []
    for g in topology["objects"]["countries"]["geometries"]:
        if g.get("id") in LEFT_OUT or g.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        iso3 = iso3_of(g, m49, resolver, path)
        kept.append({"type": g["type"], "arcs": g["arcs"], **({"id": iso3} if iso3 else {}),
                     "properties": {"name": g.get("properties", {}).get("name", "")}})
    kept.sort(key=lambda g: (g.get("id", ""), g["properties"]["name"]))
    arcs = quantized_arcs(topology, path)
    scale = np.asarray(topology["transform"]["scale"], dtype=float)
    used = renumber(kept)
    if used and (used[-1] >= len(arcs)):
        raise UpstreamFormatError(f"{path}: a geometry refers to arc {used[-1]}; the file has {len(arcs)} arcs")
    lines = []
    for old in used:
        points = arcs[old][simplify(arcs[old] * scale, TOLERANCE)]  # measured in degrees, kept on the grid
        lines.append(json.dumps(np.vstack([points[:1], np.diff(points, axis=0)]).tolist(), separators=(",", ":")))
    head = {"type": "Topology", "transform": topology["transform"]}
    geometries = ",\n".join(json.dumps(g, separators=(",", ":"), ensure_ascii=False) for g in kept)
    return (json.dumps(head, separators=(",", ":"))[:-1]
            + ',\n"objects":{"countries":{"type":"GeometryCollection","geometries":[\n' + geometries
            + ']}},\n"arcs":[\n' + ",\n".join(lines) + "]}\n")


def run(raw_dir: Path, data_dir: Path) -> dict:
    text = build(raw_dir, data_dir)
    atomic_write(data_dir / GEOMETRY_FILE, text)
    register_source(data_dir, upstream_source(SOURCE, raw_dir / RAW_FILE) | {"date_accessed": DATE_ACCESSED})
    return {str(GEOMETRY_FILE): text.count('"type":"') - 2}  # geometries (not the topology or collection)
