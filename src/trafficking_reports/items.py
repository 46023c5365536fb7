"""What a build makes, item by item: a country's report or a region's. Each item knows its folder under
the reports folder, its file stem, the parameters its notebook gets and how the summary names it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .paths import report_outputs
from .regions import FOLDER as REGIONS_FOLDER


@dataclass(frozen=True)
class Item:
    kind: str  # "country" or "region"
    key: str  # the ISO3 code, or the region's slug: the file stem
    name: str  # the region's name (the country's ISO3 code)

    @property
    def label(self) -> str:
        return self.key if self.kind == "country" else f"{self.name} (region)"

    @property
    def relative_folder(self) -> str:
        return self.key if self.kind == "country" else f"{REGIONS_FOLDER}/{self.key}"

    def folder(self, out_root: Path) -> Path:
        return Path(out_root) / self.relative_folder

    @property
    def parameters(self) -> dict:
        """What the batch build passes to the notebook (a `report` with other years is not up to date)."""
        return {"country": self.key} if self.kind == "country" else {"region": self.name}

    def outputs(self) -> list[str]:
        """Every file the report writes, relative to the reports folder (the no-op build checks them)."""
        return [f"{self.relative_folder}/{name}" for name in report_outputs(self.key).values()]


def country_item(iso3: str) -> Item:
    return Item("country", iso3, iso3)


def region_item(region) -> Item:
    """From a regions.Region."""
    return Item("region", region.slug, region.name)
