"""Run the country notebook with papermill and render it with nbconvert (HTML) and
WeasyPrint (PDF, from the same HTML and stylesheet)."""

from __future__ import annotations

import os
import tempfile
from html import escape
from importlib import resources
from pathlib import Path

import nbformat

from .countries import CountryResolver
from .paths import notebooks_dir

NOTEBOOK = "country_report.ipynb"
KERNEL_NAME = "trafficking-reports"
HIDDEN_TAG = "remove-from-report"  # explanatory cells for people exploring in Jupyter


class ReportParameterError(ValueError):
    """A parameter the notebook does not declare in its `parameters` cell."""


def notebook_path(name: str = NOTEBOOK) -> Path:
    return notebooks_dir() / name


def check_parameters(path: Path, parameters: dict) -> None:
    import papermill

    declared = papermill.inspect_notebook(str(path))
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ReportParameterError(
            f"{path.name} has no parameter(s) {unknown}; it declares: {', '.join(sorted(declared))}")


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write beside the target and rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def execute_notebook_file(name: str, out_dir: Path, stem: str, title: str, parameters: dict,
                          kernel_name: str | None = None) -> Path:
    """Execute notebooks/<name> with papermill into out_dir/<stem>.ipynb (renamed into place when done)."""
    import papermill

    notebook = notebook_path(name)
    check_parameters(notebook, parameters)
    nb = nbformat.read(notebook, as_version=4)
    nb.metadata["title"] = title  # nbconvert's HTML <title>, instead of the file name
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / f"{stem}.ipynb"
    partial = out_dir / f".{stem}.part.ipynb"
    papermill.execute_notebook(nb, str(partial), parameters=parameters, kernel_name=kernel_name or KERNEL_NAME,
                               progress_bar=False, cwd=str(out_dir), log_output=False)
    os.replace(partial, executed)
    return executed


def execute(country: str, out_dir: Path, first_year: int | None = None, last_year: int | None = None,
            kernel_name: str | None = None) -> tuple[str, Path]:
    """Execute the country notebook into out_dir/<ISO3>.ipynb. Returns (ISO3, path)."""
    resolver = CountryResolver.from_data()
    iso3 = resolver.resolve(country)  # fails early, with the closest names, before a kernel starts
    out_dir = Path(out_dir).resolve()  # the kernel runs in out_dir; relative paths would nest
    parameters = {"country": iso3, "output_dir": str(out_dir)}
    if first_year is not None:
        parameters["first_year"] = int(first_year)
    if last_year is not None:
        parameters["last_year"] = int(last_year)
    title = f"Anti-trafficking efforts in {resolver.name(iso3)}"
    return iso3, execute_notebook_file(NOTEBOOK, out_dir, iso3, title, parameters, kernel_name)


def _stylesheet() -> str:
    return resources.files("trafficking_reports").joinpath("report.css").read_text(encoding="utf-8")


def to_html(executed: Path) -> str:
    """nbconvert's HTML (code, prompts, stderr and explanatory cells hidden) in our page."""
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
    for cell in nb.cells:  # warnings or logs on stderr are not part of a report
        if cell.get("cell_type") == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if o.get("name") != "stderr"]
    body, _ = exporter.from_notebook_node(nb)
    title = escape(nb.metadata.get("title", "Anti-trafficking report"))
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
            f"<style>\n{_stylesheet()}\n</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


def to_pdf(html: str, base_dir: Path) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(base_dir)).write_pdf()


def build_one(country: str, reports_root: Path, first_year: int | None = None, last_year: int | None = None,
              kernel_name: str | None = None) -> dict:
    """Executed notebook, HTML and PDF for one country in reports_root/<ISO3>/."""
    resolver = CountryResolver.from_data()
    iso3 = resolver.resolve(country)
    out_dir = reports_root / iso3
    iso3, executed = execute(iso3, out_dir, first_year, last_year, kernel_name=kernel_name)
    html = to_html(executed)
    atomic_write(out_dir / f"{iso3}.html", html)
    atomic_write(out_dir / f"{iso3}.pdf", to_pdf(html, out_dir))
    return {"iso3": iso3, "html": out_dir / f"{iso3}.html", "pdf": out_dir / f"{iso3}.pdf", "notebook": executed}
