"""The regional report: a UN M49 sub-region's or intermediate region's countries side by side, rendered
like the country report (rendering.SectionedReport: one pass, footnotes in reading order, data appendix).

    report = RegionReport("Central Asia")
    report.html("region_tier_section"), report.model("region_enforcement_section"), report.tiers("KAZ")
"""

from __future__ import annotations

from pathlib import Path

from ..regions import FOLDER
from . import region_sections, rendering
from .context import RegionContext
from .rendering import SectionedReport

# The report's sections, in order. The notebook (notebooks.region_report) is generated from this.
SECTIONS: tuple[str, ...] = (
    "region_title_block", "region_overview", "region_map", "region_tier_section", "region_enforcement_section",
    "region_corruption_section", "region_slavery_section", "sources_section", "data_appendix", "methods_section",
    "how_to_cite",
)
MODELS = {
    "region_title_block": region_sections.region_title_block,
    "region_overview": region_sections.region_overview,
    "region_map": region_sections.region_map,
    "region_tier_section": region_sections.region_tier_section,
    "region_enforcement_section": region_sections.region_enforcement_section,
    "region_corruption_section": region_sections.region_corruption_section,
    "region_slavery_section": region_sections.region_slavery_section,
    "sources_section": lambda ctx: {},
}
TRAILING = rendering.TRAILING  # the data appendix, methods and how to cite: as in every report
PARAMETERS = ("region", "output_dir")


def check_region_parameters(namespace: dict) -> None:
    rendering.check_parameters(namespace, PARAMETERS)


class RegionReport(RegionContext, SectionedReport):
    SECTIONS, MODELS, TRAILING = SECTIONS, MODELS, TRAILING

    def __init__(self, region: str, output_dir: str | Path | None = None, root: Path | None = None):
        super().__init__(region, root)
        self._start_rendering(output_dir)

    @property
    def file_stem(self) -> str:
        return self.slug

    @property
    def published_path(self) -> str:
        """Where the HTML sits under the published reports folder (How to cite gives its URL)."""
        return f"{FOLDER}/{self.slug}/{self.slug}.html"

    @property
    def parameters(self) -> str:
        return f"region={self.name}"

    @property
    def rebuild(self) -> str:
        return f'make report REGION="{self.name}"'
