"""Write notebooks/country_report.ipynb (committed without outputs). Re-run after editing."""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HIDDEN = {"tags": ["remove-from-report"]}


def country_report() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell(
            "# Country report on anti-trafficking efforts\n\n"
            "Run all cells to build the report for `country` (a name, a reviewed alias such as "
            "*Kyrgyz Republic*, or an ISO3 code). Every section is built from the facts in `data/` by "
            "`trafficking_reports.report`; explore with `report.rows('unodc_persons_convicted')`, "
            "`report.tiers`, `report.peer_table()` or `report.cpi_context()`.\n\n"
            "Cells tagged `remove-from-report` (like this one) are left out of the HTML and PDF.",
            metadata=HIDDEN),
        new_code_cell(
            "# Parameters (papermill overrides these)\n"
            "country = \"Kazakhstan\"\n"
            "first_year = None  # default: the first year with data\n"
            "last_year = None  # default: the last year with data\n"
            "output_dir = \"\"  # where the facts CSV is written; empty: not written",
            metadata={"tags": ["parameters"]}),
        new_code_cell(
            "from IPython.display import HTML, display\n\n"
            "from trafficking_reports.report import CountryReport\n\n"
            "report = CountryReport(country, first_year, last_year, output_dir=output_dir or None)"),
    ]
    for method in ("title_block", "key_findings", "tier_section", "law_enforcement_section", "yoy_section",
                   "corruption_section", "slavery_estimate_section", "peers_section", "policy_section",
                   "sources_section",
                   "data_appendix", "methods_section"):
        cells.append(new_code_cell(f"display(HTML(report.{method}()))"))
    return new_notebook(cells=cells)


def global_overview() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell(
            "# Global overview\n\nTier distribution per report year, tier against CPI score, and the TIP "
            "Report's worldwide law-enforcement totals, built by `trafficking_reports.overview`.",
            metadata=HIDDEN),
        new_code_cell("from IPython.display import HTML, display\n\n"
                      "from trafficking_reports.overview import GlobalOverview\n\n"
                      "overview = GlobalOverview()"),
    ]
    for method in ("title_block", "tier_distribution", "tier_against_cpi", "gsi_against_tier", "world_totals",
                   "sources_section"):
        cells.append(new_code_cell(f"display(HTML(overview.{method}()))"))
    return new_notebook(cells=cells)


KERNELSPEC = {"name": "trafficking-reports", "display_name": "Python (trafficking-reports)", "language": "python"}

if __name__ == "__main__":
    folder = Path(__file__).resolve().parents[1] / "notebooks"
    for name, build in (("country_report.ipynb", country_report), ("global_overview.ipynb", global_overview)):
        nb = build()
        nb.metadata["kernelspec"] = KERNELSPEC
        nb.metadata["language_info"] = {"name": "python"}
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"cell-{i:02d}"  # stable ids: no diff noise when re-generated
        nbformat.write(nb, folder / name)
        print(f"wrote {folder / name}")
