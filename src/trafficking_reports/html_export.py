"""The executed notebook as a report page: nbconvert's HTML without code, in our stylesheet."""

from __future__ import annotations

from html import escape
from importlib import resources
from pathlib import Path

import nbformat

from . import fonts
from .execute import HIDDEN_TAG


def _stylesheet() -> str:
    return resources.files("trafficking_reports").joinpath("report.css").read_text(encoding="utf-8")


def to_html(executed: Path) -> str:
    """nbconvert's HTML (code, prompts, stderr and explanatory cells hidden) in our page.

    The page is written beside the executed notebook (<reports>/<folder>/) and loads its fonts from
    <reports>/fonts/, so they are put there first."""
    fonts.publish(Path(executed).resolve().parent.parent)
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {HIDDEN_TAG}
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.exclude_anchor_links = True
    exporter = HTMLExporter(config=config, template_name="basic")
    nb = nbformat.read(executed, as_version=4)
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:02d}"  # papermill gives its injected cell a random id
        if cell.get("cell_type") == "code":  # warnings or logs on stderr are not part of a report
            cell.outputs = [o for o in cell.get("outputs", []) if o.get("name") != "stderr"]
    body, _ = exporter.from_notebook_node(nb)
    title = escape(nb.metadata.get("title", "Anti-trafficking report"))
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
            f"<style>\n{_stylesheet()}\n</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")
