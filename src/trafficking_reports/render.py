"""One report: run the country or region notebook (execute), render it to HTML (html_export) and print that page to
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
from .hashing import REGION_NOTEBOOK
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
    timings["execute"] = time.perf_counter() - started
    return {"iso3": iso3, **publish(executed, out_dir, iso3, timings, reports_root)}


def build_region(region: str, reports_root: Path, kernel_name: str | None = None,
                 notebook: str | Path = REGION_NOTEBOOK,
                 warm: WarmKernel | None = None) -> dict:
    """Executed notebook, HTML and PDF for one region in reports_root/regions/<slug>/."""
    from .regions import FOLDER, resolve_region

    found = resolve_region(region)  # fails early, with the closest names, before a kernel starts
    out_dir = (Path(reports_root) / FOLDER / found.slug).resolve()
    started = time.perf_counter()
    executed = execute_notebook_file(notebook, out_dir, found.slug, f"Anti-trafficking efforts in {found.name}",
                                     {"region": found.name, "output_dir": str(out_dir)}, kernel_name, warm)
    timings = {"execute": time.perf_counter() - started}
    return {"region": found.name, "slug": found.slug,
            **publish(executed, out_dir, found.slug, timings, reports_root)}


def publish(executed: Path, out_dir: Path, stem: str, timings: dict, reports_root: Path) -> dict:
    """An executed notebook's HTML (its fonts in reports_root/fonts/), then the PDF printed from it, each
    written atomically; adds their timings."""
    started = time.perf_counter()
    atomic_write(out_dir / f"{stem}.html", to_html(executed, reports_root))
    timings["html"], started = time.perf_counter() - started, time.perf_counter()
    atomic_write(out_dir / f"{stem}.pdf", to_pdf(out_dir / f"{stem}.html"))
    timings["pdf"] = time.perf_counter() - started
    return {"html": out_dir / f"{stem}.html", "pdf": out_dir / f"{stem}.pdf", "notebook": executed,
            "timings": timings}
