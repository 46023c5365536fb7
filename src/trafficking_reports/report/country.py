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

import jinja2
import pandas as pd

from .. import bibliography
from ..citations import Citations
from ..facts import load_sources
from ..io import atomic_write
from ..paths import report_outputs
from . import citing, findings, sections
from .context import ReportContext
from .footnotes import Footnotes

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
# Sections about the report itself: their models need the facts the sections before them cited.
TRAILING = {
    "data_appendix": lambda report, used: {"used": used, "files": report.downloads},
    "methods_section": lambda report, used: sections.methods_section(report, used),
    "how_to_cite": lambda report, used: citing.how_to_cite(
        f"Anti-trafficking efforts in {report.name}", f"{report.iso3}/{report.iso3}.html", report.data_version,
        f"trafficking_reports_{report.iso3}", report.downloads),
}


# The notebook's parameters (papermill -p NAME VALUE); anything else injected is refused.
PARAMETERS = ("country", "first_year", "last_year", "output_dir")
_KERNEL_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open", "HTML", "display", "CountryReport",
                 "check_parameters"}


def check_parameters(namespace: dict) -> None:
    """Refuse names a run defined beside the parameters: papermill only warns about `-p contry X` and
    would build the default country."""
    unknown = sorted(n for n in namespace if not n.startswith("_") and n not in PARAMETERS and n not in _KERNEL_NAMES
                     and not callable(namespace[n]) and type(namespace[n]).__name__ != "module")
    if unknown:
        from ..errors import ReportParameterError

        raise ReportParameterError(f"unknown parameter(s) {', '.join(unknown)}; the notebook takes "
                                   f"{', '.join(PARAMETERS)}")


class JoinedLines(jinja2.FileSystemLoader):
    """Templates are written over several indented lines for reading; the HTML is one line per section,
    as before: indentation and line breaks are dropped (a line that continues a sentence ends in a space)."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return "".join(line.lstrip() for line in source.splitlines()), filename, uptodate


TEMPLATES = jinja2.Environment(loader=JoinedLines(Path(__file__).with_name("templates")), autoescape=True,
                               undefined=jinja2.StrictUndefined)


class CountryReport(ReportContext):
    def __init__(self, country: str, first_year: int | None = None, last_year: int | None = None,
                 output_dir: str | Path | None = None, root: Path | None = None):
        super().__init__(country, first_year, last_year, root)
        self.output_dir = Path(output_dir) if output_dir else None
        self._html: dict[str, str] | None = None
        self._used = pd.DataFrame()
        self._cited: list[str] = []

    @property
    def csv_name(self) -> str | None:
        return self.downloads["facts"] if self.downloads else None

    @property
    def downloads(self) -> dict[str, str] | None:
        """The files written beside the report (facts CSV, sources' BibTeX and CSL-JSON), when an output
        folder is set: names only, so the links are relative."""
        if self.output_dir is None:
            return None
        names = report_outputs(self.iso3)
        return {k: names[k] for k in ("facts", "bibtex", "csl")}

    def model(self, name: str) -> dict:
        if name in TRAILING:
            return TRAILING[name](self, self.used_facts)
        return MODELS[name](self)

    def render(self) -> dict[str, str]:
        """Every section's HTML, rendered once, in order."""
        if self._html is None:
            notes = Footnotes(Citations(load_sources(self.root)))
            html = {}
            for name in SECTIONS:
                model = TRAILING[name](self, notes.used_facts) if name in TRAILING else MODELS[name](self)
                html[name] = TEMPLATES.get_template(f"{name}.html.j2").render(fn=notes, **model)
            self._html, self._used, self._cited = html, notes.used_facts, notes.citations.cited
        return self._html

    def html(self, name: str) -> str:
        if name not in SECTIONS:
            raise KeyError(f"no section {name!r}; sections: {', '.join(SECTIONS)}")
        return self.render()[name]

    @property
    def used_facts(self) -> pd.DataFrame:
        """The fact rows the report shows (the data appendix), once rendered."""
        self.render()
        return self._used

    @property
    def cited_sources(self) -> list[dict]:
        """The sources the report cites, in footnote order, each saying whether it was read in a secondary copy."""
        self.render()
        return bibliography.records(load_sources(self.root), self._cited, self._used)

    def save_appendix(self) -> Path | None:
        """Write the facts CSV and the sources' BibTeX and CSL-JSON beside the report (each atomically), when an
        output folder is set. Returns the CSV's path."""
        if self.output_dir is None:
            return None
        files = self.downloads
        atomic_write(self.output_dir / files["facts"], self.used_facts.to_csv(index=False, lineterminator="\n"))
        cited = self.cited_sources
        atomic_write(self.output_dir / files["bibtex"], bibliography.bibtex(cited))
        atomic_write(self.output_dir / files["csl"], bibliography.csl_json(cited))
        return self.output_dir / files["facts"]

    # One method per section, for notebooks and tests that ask for a section by name.
    def __getattr__(self, name: str):
        if name in SECTIONS:
            return lambda: self.html(name)
        raise AttributeError(name)
