"""The committed notebooks, generated from the package's section lists (report.SECTIONS,
report.region.SECTIONS, overview.SECTIONS): `python -m trafficking_reports notebooks` writes them; a test fails when the
committed ones differ. They are committed without outputs, with stable cell ids."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .paths import notebooks_dir

HIDDEN = {"tags": ["remove-from-report"]}
KERNELSPEC = {"name": "trafficking-reports", "display_name": "Python (trafficking-reports)", "language": "python"}


def report_notebook(intro: str, parameters: str, setup: str, sections, appendix: str) -> nbformat.NotebookNode:
    """A parameterised report: explanation (hidden), parameters, setup, one cell per section, the facts CSV."""
    cells = [new_markdown_cell(intro, metadata=HIDDEN),
             new_code_cell("# Parameters (papermill overrides these)\n" + parameters,
                           metadata={"tags": ["parameters"]}),
             new_code_cell("from IPython.display import HTML, display\n\n" + setup)]
    cells += [new_code_cell(f'display(HTML(report.html("{name}")))') for name in sections]
    cells.append(new_code_cell(f"report.save_appendix();  # {appendix}", metadata=HIDDEN))
    return new_notebook(cells=cells)


def country_report() -> nbformat.NotebookNode:
    from .report import SECTIONS

    return report_notebook(
        "# Country report on anti-trafficking efforts\n\n"
        "Run all cells to build the report for `country` (a name, a reviewed alias such as "
        "*Kyrgyz Republic*, or an ISO3 code). Every section is built from the facts in `data/` by "
        "`trafficking_reports.report`; explore with `report.rows('unodc_persons_convicted')`, "
        "`report.tiers`, `report.peer_table()`, `report.cpi_context()`, or `report.model('tier_section')` "
        "for the values behind a section.\n\n"
        "Cells tagged `remove-from-report` (like this one) are left out of the HTML and PDF.",
        "country = \"Kazakhstan\"\n"
        "first_year = None  # default: the first year with data\n"
        "last_year = None  # default: the last year with data\n"
        "output_dir = \"\"  # where the facts CSV is written; empty: not written",
        "from trafficking_reports.report import CountryReport, check_parameters\n\n"
        "check_parameters(globals())  # refuses a misspelt papermill parameter (-p contry ...)\n"
        "report = CountryReport(country, first_year, last_year, output_dir=output_dir or None)",
        SECTIONS, "the facts CSV and the sources' BibTeX and CSL-JSON, beside the report")


def region_report() -> nbformat.NotebookNode:
    from .report.region import SECTIONS

    return report_notebook(
        "# Regional report on anti-trafficking efforts\n\n"
        "Run all cells to build the report for `region`, a UN M49 sub-region or intermediate region "
        "(*Central Asia*, *Caribbean*). Every section is built from the facts in `data/` by "
        "`trafficking_reports.report.RegionReport`; explore with `report.members`, `report.tiers('KAZ')`, "
        "`report.best('unodc_persons_convicted')`, or `report.model('region_tier_section')` for the values "
        "behind a section.\n\n"
        "Cells tagged `remove-from-report` (like this one) are left out of the HTML and PDF.",
        "region = \"Central Asia\"\n"
        "output_dir = \"\"  # where the facts CSV is written; empty: not written",
        "from trafficking_reports.report import RegionReport, check_region_parameters\n\n"
        "check_region_parameters(globals())  # refuses a misspelt papermill parameter\n"
        "report = RegionReport(region, output_dir=output_dir or None)",
        SECTIONS, "the facts CSV and the sources' BibTeX and CSL-JSON, beside the report")


def global_overview() -> nbformat.NotebookNode:
    from .overview import SECTIONS

    cells = [
        new_markdown_cell(
            "# Global overview\n\nTier distribution per report year, tier against CPI score, and the TIP "
            "Report's worldwide law-enforcement totals, built by `trafficking_reports.overview`.",
            metadata=HIDDEN),
        new_code_cell("from IPython.display import HTML, display\n\n"
                      "from trafficking_reports.overview import GlobalOverview\n\n"
                      "overview = GlobalOverview()"),
    ]
    cells += [new_code_cell(f"display(HTML(overview.{name}()))") for name in SECTIONS]
    return new_notebook(cells=cells)


NOTEBOOKS = {"country_report.ipynb": country_report, "region_report.ipynb": region_report,
             "global_overview.ipynb": global_overview}


def generated(name: str) -> str:
    """The notebook's text as the package generates it."""
    nb = NOTEBOOKS[name]()
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"  # stable ids: no diff noise when re-generated
    return nbformat.writes(nb) + "\n"


def write_all(folder: Path | None = None) -> list[Path]:
    folder = Path(folder or notebooks_dir())
    written = []
    for name in NOTEBOOKS:
        (folder / name).write_text(generated(name), encoding="utf-8")
        written.append(folder / name)
    return written
