"""The country report: section models rendered through Jinja templates, in one pass.

    report = CountryReport("Kazakhstan")
    report.html("tier_section")        # one section's HTML (all are rendered together, in order)
    report.model("tier_section")       # the values behind it, no HTML
    report.rows("unodc_persons_convicted"), report.tiers, report.peer_table(), report.cpi_context()

Footnotes are numbered while the sections render in SECTIONS order, so numbers follow the
reading order; the fact rows cited end up in the data appendix.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import findings, rendering, sections
from .context import ReportContext
from .rendering import SectionedReport

# The report's sections, in order. The notebook (notebooks.country_report) is generated from this.
SECTIONS: tuple[str, ...] = (
    "title_block", "key_findings", "tier_section", "law_enforcement_section", "yoy_section", "corruption_section",
    "slavery_estimate_section", "peers_section", "policy_section", "sources_section", "data_appendix",
    "methods_section", "how_to_cite",
)
MODELS: dict[str, Callable[[ReportContext], dict]] = {
    "title_block": findings.title_block,
    "key_findings": findings.key_findings,
    "tier_section": sections.tier_section,
    "law_enforcement_section": sections.law_enforcement_section,
    "yoy_section": sections.yoy_section,
    "corruption_section": sections.corruption_section,
    "slavery_estimate_section": sections.slavery_estimate_section,
    "peers_section": sections.peers_section,
    "policy_section": sections.policy_section,
    "sources_section": lambda ctx: {},
}
TRAILING = rendering.TRAILING  # the data appendix, methods and how to cite: as in every report


# The notebook's parameters (papermill -p NAME VALUE); anything else injected is refused.
PARAMETERS = ("country", "first_year", "last_year", "output_dir")


def check_parameters(namespace: dict) -> None:
    rendering.check_parameters(namespace, PARAMETERS)


class CountryReport(ReportContext, SectionedReport):
    SECTIONS, MODELS, TRAILING = SECTIONS, MODELS, TRAILING

    def __init__(self, country: str, first_year: int | None = None, last_year: int | None = None,
                 output_dir: str | Path | None = None, root: Path | None = None):
        super().__init__(country, first_year, last_year, root)
        self._start_rendering(output_dir)

    @property
    def file_stem(self) -> str:
        return self.iso3

    @property
    def published_path(self) -> str:
        """Where the HTML sits under the published reports folder (How to cite gives its URL)."""
        return f"{self.iso3}/{self.iso3}.html"

    @property
    def parameters(self) -> str:
        return f"country={self.iso3}, first_year={self.first_year}, last_year={self.last_year}"

    @property
    def rebuild(self) -> str:
        return f"make report COUNTRY={self.iso3}"
