"""What every sectioned report shares: templates, one rendering pass that numbers footnotes in reading
order, the data appendix it writes, and the check of its notebook's parameters. CountryReport and
RegionReport say which sections they have (SECTIONS, MODELS, TRAILING) and where their files go."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2
import pandas as pd

from ..citations import Citations
from ..facts import load_sources
from ..io import atomic_write
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

    @property
    def csv_name(self) -> str | None:
        return f"{self.file_stem}_facts.csv" if self.output_dir is not None else None

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
            self._html, self._used = html, notes.used_facts
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

    def save_appendix(self) -> Path | None:
        """Write <stem>_facts.csv beside the report (atomically), when an output folder is set."""
        if self.output_dir is None:
            return None
        path = self.output_dir / self.csv_name
        atomic_write(path, self.used_facts.to_csv(index=False, lineterminator="\n"))
        return path

    # One method per section, for notebooks and tests that ask for a section by name.
    def __getattr__(self, name: str):
        if name in type(self).SECTIONS:
            return lambda: self.html(name)
        raise AttributeError(name)
