"""UN M49 regions a regional report can cover: every sub-region and intermediate region of
data/countries.csv, with the countries in it. Names resolve like country names (countries.normalise,
countries.closest_names): case, accents and spacing do not matter, and a near miss is answered with
the closest names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .countries import CountryResolver, closest_names, normalise
from .errors import UnknownRegionError

# The countries table's columns a regional report can be about, and what UN M49 calls each.
LEVELS = {"sub_region": "sub-region", "intermediate_region": "intermediate region"}
FOLDER = "regions"  # regional reports go to reports/regions/<slug>/


@dataclass(frozen=True)
class Region:
    name: str  # as UN M49 (and data/countries.csv) spells it
    field: str  # the countries table's column: sub_region or intermediate_region
    members: tuple[str, ...]  # ISO3 codes, sorted

    @property
    def level(self) -> str:
        return LEVELS[self.field]

    @property
    def slug(self) -> str:
        """The report's file and folder name: 'Central Asia' -> 'central-asia'."""
        return slug(self.name)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise(name)).strip("-")


def all_regions(root: Path | None = None) -> list[Region]:
    """Every sub-region and intermediate region with at least one country, by name."""
    countries = CountryResolver.from_data(root).countries
    regions = []
    for field in LEVELS:
        for name, group in countries.dropna(subset=[field]).groupby(field):
            regions.append(Region(str(name), field, tuple(sorted(group["iso3"]))))
    return sorted(regions, key=lambda r: r.name)


def resolve_region(name: str, root: Path | None = None) -> Region:
    """A region by its name or slug, whatever the case or accents; else UnknownRegionError with the closest names."""
    regions = all_regions(root)
    lookup = {normalise(r.name): r for r in regions} | {r.slug: r for r in regions}
    found = lookup.get(normalise(name or "")) or lookup.get(slug(name or ""))
    if found is None:
        close = closest_names(name or "", {r.name: r.name for r in regions})
        hint = f" Closest: {', '.join(close)}." if close else ""
        raise UnknownRegionError(f"Unknown region {name!r}: not a UN M49 sub-region or intermediate region of "
                                 f"data/countries.csv.{hint}")
    return found
