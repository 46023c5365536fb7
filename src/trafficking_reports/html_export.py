"""The executed notebook as a report page: nbconvert's HTML without code, in our stylesheet."""

from __future__ import annotations

import os
from functools import lru_cache
from html import escape
from importlib import resources
from pathlib import Path

import nbformat

from . import fonts
from .execute import HIDDEN_TAG


def _stylesheet() -> str:
    return resources.files("trafficking_reports").joinpath("report.css").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def report_exporter():
    """nbconvert's HTMLExporter (code, prompts, stderr and explanatory cells hidden), made once per process
    (a new one compiles its templates again), without its final pass."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from traitlets.config import Config

    class ReportExporter(HTMLExporter):
        """HTMLExporter.from_notebook_node (nbconvert 7.17) up to its last step, which re-parses the whole
        page with BeautifulSoup to give images without alt text a placeholder and output areas a tabindex:
        about 40% of the conversion. Our figures carry their own alt text (tested), and a report has no
        input cells to focus."""

        def from_notebook_node(self, nb, resources=None, **kw):
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter("highlight_code", self.filters.get("highlight_code",
                                                                    Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {HIDDEN_TAG}
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.exclude_anchor_links = True
    return ReportExporter(config=config, template_name="basic")


def to_html(executed: Path, reports_root: Path | None = None) -> str:
    """The executed notebook's outputs as our page (nbconvert's basic template in our stylesheet).

    The page is written beside the executed notebook and loads its fonts from <reports>/fonts/, so they
    are put there first; reports_root defaults to the folder above the notebook's (KAZ/, global_overview/),
    and a page deeper down (regions/<slug>/) gets the paths that reach it."""
    page = Path(executed).resolve().parent
    root = Path(reports_root).resolve() if reports_root else page.parent
    fonts.publish(root)
    to_fonts = Path(os.path.relpath(root / fonts.FOLDER, page)).as_posix()
    nb = nbformat.read(executed, as_version=4)
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:02d}"  # papermill gives its injected cell a random id
        if cell.get("cell_type") == "code":  # warnings or logs on stderr are not part of a report
            cell.outputs = [o for o in cell.get("outputs", []) if o.get("name") != "stderr"]
    body, _ = report_exporter().from_notebook_node(nb)
    title = escape(nb.metadata.get("title", "Anti-trafficking report"))
    css = _stylesheet().replace('url("../fonts/', f'url("{to_fonts}/')
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
            f"<style>\n{css}\n</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")
