"""What every sectioned report shares: templates, one rendering pass that numbers footnotes in reading
order, the data appendix it writes, and the check of its notebook's parameters. CountryReport and
RegionReport say which sections they have (SECTIONS, MODELS, TRAILING) and where their files go."""

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
from . import citing, sections
from .footnotes import Footnotes

_KERNEL_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open", "HTML", "display"}


def check_parameters(namespace: dict, parameters: tuple[str, ...]) -> None:
    """Refuse names a run defined beside the parameters: papermill only warns about `-p contry X` and
    would build the default country."""
    unknown = sorted(n for n in namespace if not n.startswith("_") and n not in parameters and n not in _KERNEL_NAMES
                     and not callable(namespace[n]) and type(namespace[n]).__name__ != "module")
    if unknown:
        from ..errors import ReportParameterError

        raise ReportParameterError(f"unknown parameter(s) {', '.join(unknown)}; the notebook takes "
                                   f"{', '.join(parameters)}")


class JoinedLines(jinja2.FileSystemLoader):
    """Templates are written over several indented lines for reading; the HTML is one line per section,
    as before: indentation and line breaks are dropped (a line that continues a sentence ends in a space)."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return "".join(line.lstrip() for line in source.splitlines()), filename, uptodate


TEMPLATES = jinja2.Environment(loader=JoinedLines(Path(__file__).with_name("templates")), autoescape=True,
                               undefined=jinja2.StrictUndefined)


# Sections about the report itself, in every report: their models need the facts the sections before them cited.
TRAILING = {
    "data_appendix": lambda report, used: {"used": used, "files": report.downloads},
    "methods_section": lambda report, used: sections.methods_section(report, used),
    "how_to_cite": lambda report, used: citing.how_to_cite(report.title, report.published_path, report.data_version,
                                                           f"trafficking_reports_{report.file_stem}", report.downloads),
}


class SectionedReport:
    """Sections rendered once, in SECTIONS order, from their models (MODELS: context -> dict) and, for
    sections about the report itself (TRAILING), from the facts the sections before them cited."""

    SECTIONS: tuple[str, ...] = ()
    MODELS: dict[str, Callable] = {}
    TRAILING: dict[str, Callable] = {}
    root: Path | None
    file_stem: str  # <stem>_facts.csv

    def _start_rendering(self, output_dir: str | Path | None) -> None:
        self.output_dir = Path(output_dir) if output_dir else None
        self._html: dict[str, str] | None = None
        self._used = pd.DataFrame()
        self._cited: list[str] = []

    @property
    def title(self) -> str:
        return f"Anti-trafficking efforts in {self.name}"

    @property
    def downloads(self) -> dict[str, str] | None:
        """The files written beside the report (facts CSV, sources' BibTeX and CSL-JSON), when an output
        folder is set: names only, so the links are relative."""
        if self.output_dir is None:
            return None
        names = report_outputs(self.file_stem)
        return {k: names[k] for k in ("facts", "bibtex", "csl")}

    @property
    def csv_name(self) -> str | None:
        return self.downloads["facts"] if self.downloads else None

    def model(self, name: str) -> dict:
        if name in self.TRAILING:
            return self.TRAILING[name](self, self.used_facts)
        return self.MODELS[name](self)

    def render(self) -> dict[str, str]:
        """Every section's HTML, rendered once, in order."""
        if self._html is None:
            notes = Footnotes(Citations(load_sources(self.root)))
            html = {}
            for name in self.SECTIONS:
                trailing = self.TRAILING.get(name)
                model = trailing(self, notes.used_facts) if trailing else self.MODELS[name](self)
                html[name] = TEMPLATES.get_template(f"{name}.html.j2").render(fn=notes, **model)
            self._html, self._used, self._cited = html, notes.used_facts, notes.citations.cited
        return self._html

    def html(self, name: str) -> str:
        if name not in self.SECTIONS:
            raise KeyError(f"no section {name!r}; sections: {', '.join(self.SECTIONS)}")
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
        if name in type(self).SECTIONS:
            return lambda: self.html(name)
        raise AttributeError(name)
