"""One report: run the country notebook (execute), render it to HTML (html_export) and print that page to
PDF (pdf); every file written atomically (io). The names below are re-exported for callers of render."""

from __future__ import annotations

import time
from pathlib import Path

from .countries import CountryResolver
from .execute import (  # noqa: F401
    CELL_TIMEOUT,
    FAILED_NOTEBOOK,
    HIDDEN_TAG,
    KERNEL_NAME,
    NOTEBOOK,
    WarmKernel,
    check_parameters,
    execute,
    execute_notebook_file,
    local_kernel_manager_class,
    notebook_path,
    set_aside,
)
from .html_export import to_html
from .io import atomic_write
from .pdf import CHROMIUM_ARGS, PdfPrinter, chromium_path, close_printer, normalise_pdf, to_pdf  # noqa: F401


def build_one(country: str, reports_root: Path, first_year: int | None = None, last_year: int | None = None,
              kernel_name: str | None = None, notebook: str | Path = NOTEBOOK, warm: WarmKernel | None = None) -> dict:
    """Executed notebook, HTML and PDF for one country in reports_root/<ISO3>/."""
    resolver = CountryResolver.from_data()
    iso3 = resolver.resolve(country)
    out_dir = reports_root / iso3
    timings = {}  # seconds per stage, for the summary's reader and bench/
    started = time.perf_counter()
    iso3, executed = execute(iso3, out_dir, first_year, last_year, kernel_name=kernel_name, notebook=notebook,
                             warm=warm)
    timings["execute"], started = time.perf_counter() - started, time.perf_counter()
    atomic_write(out_dir / f"{iso3}.html", to_html(executed))
    timings["html"], started = time.perf_counter() - started, time.perf_counter()
    atomic_write(out_dir / f"{iso3}.pdf", to_pdf(out_dir / f"{iso3}.html"))
    timings["pdf"] = time.perf_counter() - started
    return {"iso3": iso3, "html": out_dir / f"{iso3}.html", "pdf": out_dir / f"{iso3}.pdf", "notebook": executed,
            "timings": timings}
