"""Run the country notebook with papermill, render it with nbconvert (HTML) and print
that same HTML and stylesheet to PDF with a headless Chromium kept open per process."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import uuid
from functools import lru_cache
from html import escape
from importlib import resources
from pathlib import Path

import nbformat

from . import provenance
from .countries import CountryResolver
from .errors import ReportParameterError
from .io import atomic_write  # noqa: F401  (site and tests import it from here)
from .paths import notebooks_dir
from .years import check_years

NOTEBOOK = "country_report.ipynb"
KERNEL_NAME = "trafficking-reports"
HIDDEN_TAG = "remove-from-report"  # explanatory cells for people exploring in Jupyter
FAILED_NOTEBOOK = "error.ipynb"  # a failed run's notebook, with the traceback in its cell
# A cell that runs longer than this is stuck, not slow (a report's cells take seconds).
CELL_TIMEOUT = int(os.environ.get("TR_CELL_TIMEOUT", "600"))


def notebook_path(name: str | Path = NOTEBOOK) -> Path:
    """A notebook of notebooks/ by name, or any notebook by path (tests use fixture notebooks)."""
    return Path(name) if Path(name).is_absolute() else notebooks_dir() / name


def check_parameters(path: Path, parameters: dict) -> None:
    import papermill

    declared = papermill.inspect_notebook(str(path))
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ReportParameterError(
            f"{path.name} has no parameter(s) {unknown}; it declares: {', '.join(sorted(declared))}")


@lru_cache(maxsize=1)
def local_kernel_manager_class():
    """KernelManager that talks to its kernel over IPC sockets: the kernel is always on this
    machine, and ipykernel 7 warns on every start that TCP without CurveZMQ keys is unencrypted."""
    from jupyter_client.manager import KernelManager
    from traitlets import CaselessStrEnum, DottedObjectName

    class LocalKernelManager(KernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)
        # nbclient awaits its client: a blocking one would block its event loop in get_msg()
        # and starve the once-a-second liveness poll, so a killed kernel would hang the run.
        client_class = DottedObjectName("jupyter_client.asynchronous.AsyncKernelClient")

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            # A socket path of its own: the default ("kernel-ipc" in the working directory) is
            # shared by every worker, and two kernels would pick the same socket files.
            # jupyter_client removes the socket files when the kernel shuts down.
            self.ip = os.path.join(tempfile.gettempdir(), f"tr-kernel-{uuid.uuid4().hex}")

    return LocalKernelManager


class WarmKernel:
    """One Jupyter kernel kept running across notebooks in a worker process.

    Starting a kernel, importing pandas and matplotlib in it and shutting it down
    costs about 1.5-2 s per report. A warm kernel pays that once; between notebooks
    its namespace is wiped with %reset -f, and after any failure it is restarted so
    one country's error cannot leak into the next.
    """

    def __init__(self, kernel_name: str = KERNEL_NAME):
        self.kernel_name = kernel_name
        self.km = None

    def manager(self):
        if self.km is None or not self.km.is_alive():
            self.shutdown()  # a kernel that died: release its sockets and connection file
            self.km = local_kernel_manager_class()(kernel_name=self.kernel_name)
            self.km.start_kernel(cwd=str(Path.cwd()))
        else:
            self.reset()
        return self.km

    def reset(self) -> None:
        from jupyter_client.blocking import BlockingKernelClient

        # km.client() is asynchronous (for nbclient); this wait is a plain blocking one.
        client = BlockingKernelClient(**self.km.get_connection_info(session=True),
                                      connection_file=self.km.connection_file, parent=self.km)
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            client.execute_interactive("get_ipython().run_line_magic('reset', '-f')\n"
                                       "import matplotlib.pyplot as _plt; _plt.close('all'); del _plt",
                                       timeout=60, output_hook=lambda msg: None)
        finally:
            client.stop_channels()

    def shutdown(self) -> None:
        if self.km is not None:
            try:
                self.km.shutdown_kernel(now=True)
            except Exception:  # already gone
                pass
            self.km = None


def execute_notebook_file(name: str | Path, out_dir: Path, stem: str, title: str, parameters: dict,
                          kernel_name: str | None = None, warm: WarmKernel | None = None) -> Path:
    """Execute notebooks/<name> with papermill into out_dir/<stem>.ipynb (renamed into place when done).

    With `warm`, the notebook runs in that already-started kernel instead of a new one.
    """
    import papermill

    notebook = notebook_path(name)
    check_parameters(notebook, parameters)
    nb = nbformat.read(notebook, as_version=4)
    nb.metadata["title"] = title  # nbconvert's HTML <title>, instead of the file name
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / f"{stem}.ipynb"
    partial = out_dir / f".{stem}.part.ipynb"
    try:
        if warm is not None:
            extra = {"km": warm.manager()}  # inside the try: a reset that fails also discards the kernel
        else:
            extra = {"kernel_manager_class": local_kernel_manager_class()}
        papermill.execute_notebook(nb, str(partial), parameters=parameters,
                                   kernel_name=kernel_name or KERNEL_NAME, progress_bar=False,
                                   cwd=None if warm else str(out_dir), log_output=False,
                                   execution_timeout=CELL_TIMEOUT, **extra)
    except BaseException as err:
        if warm is not None:
            warm.shutdown()  # a failed run may leave state behind: the next one gets a fresh kernel
        set_aside(partial, out_dir / FAILED_NOTEBOOK, keep=isinstance(err, Exception))
        raise
    os.replace(partial, executed)
    (out_dir / FAILED_NOTEBOOK).unlink(missing_ok=True)
    return executed


def set_aside(partial: Path, failed: Path, keep: bool) -> None:
    """No partial notebook outlives its run: a failed one is kept as `failed` (its cells hold the
    traceback), an interrupted one is removed. Best effort: the run's own error matters more."""
    try:
        if keep and partial.exists():
            os.replace(partial, failed)
        else:
            partial.unlink(missing_ok=True)
    except OSError:
        pass


def execute(country: str, out_dir: Path, first_year: int | None = None, last_year: int | None = None,
            kernel_name: str | None = None, notebook: str | Path = NOTEBOOK,
            warm: WarmKernel | None = None) -> tuple[str, Path]:
    """Execute the country notebook into out_dir/<ISO3>.ipynb. Returns (ISO3, path)."""
    resolver = CountryResolver.from_data()
    iso3 = resolver.resolve(country)  # fails early, with the closest names, before a kernel starts
    check_years(iso3, first_year, last_year)  # and so do years the facts cannot fill
    out_dir = Path(out_dir).resolve()  # the kernel runs in out_dir; relative paths would nest
    parameters = {"country": iso3, "output_dir": str(out_dir)}
    if first_year is not None:
        parameters["first_year"] = int(first_year)
    if last_year is not None:
        parameters["last_year"] = int(last_year)
    title = f"Anti-trafficking efforts in {resolver.name(iso3)}"
    return iso3, execute_notebook_file(notebook, out_dir, iso3, title, parameters, kernel_name, warm)


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
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:02d}"  # papermill gives its injected cell a random id
        if cell.get("cell_type") == "code":  # warnings or logs on stderr are not part of a report
            cell.outputs = [o for o in cell.get("outputs", []) if o.get("name") != "stderr"]
    body, _ = exporter.from_notebook_node(nb)
    title = escape(nb.metadata.get("title", "Anti-trafficking report"))
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
            f"<style>\n{_stylesheet()}\n</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--font-render-hinting=none"]


def chromium_path() -> str | None:
    """TR_CHROMIUM, else Debian's chromium; None lets playwright use a browser it installed itself."""
    return os.environ.get("TR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


class PdfPrinter:
    """One headless Chromium per process, kept open across reports (starting one costs ~0.5 s)."""

    def __init__(self) -> None:
        self._playwright = None
        self._browser = None

    def _page(self):
        if self._browser is None or not self._browser.is_connected():
            from playwright.sync_api import sync_playwright

            self._playwright = self._playwright or sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        return self._browser.new_page()

    def print(self, html_file: Path) -> bytes:
        """A browser or driver that died (crash, OOM killer) is relaunched once before the report fails."""
        from playwright.sync_api import Error, TimeoutError

        try:
            return self._print(html_file)
        except TimeoutError:
            raise  # a slow page, not a dead browser
        except Error:
            self.close()
            return self._print(html_file)

    def _print(self, html_file: Path) -> bytes:
        page = self._page()
        try:
            page.goto(Path(html_file).resolve().as_uri(), wait_until="load")
            # The stylesheet's @page rules set the size, margins and page numbers.
            pdf = page.pdf(prefer_css_page_size=True, print_background=True, tagged=True, outline=True)
        finally:
            page.close()
        return normalise_pdf(pdf)

    def close(self) -> None:
        """Best effort: closing a browser or driver that already died raises, and must not stop the reset."""
        for step in (self._browser and self._browser.close, self._playwright and self._playwright.stop):
            try:
                if step:
                    step()
            except Exception:
                pass
        self._browser = self._playwright = None


_PRINTER: PdfPrinter | None = None


def to_pdf(html_file: Path) -> bytes:
    """Print an HTML file to PDF with this process's Chromium."""
    global _PRINTER
    if _PRINTER is None:
        _PRINTER = PdfPrinter()
        atexit.register(close_printer)
    return _PRINTER.print(html_file)


def close_printer() -> None:
    global _PRINTER
    if _PRINTER is not None:
        _PRINTER.close()
        _PRINTER = None


NODE_ID = re.compile(rb"\(node(\d{8})\)")


def normalise_pdf(pdf: bytes) -> bytes:
    """Make equal inputs give equal bytes.

    Chromium stamps the print time, and its tagged-PDF structure names DOM nodes by a
    counter that runs on across prints. Dates become the reproducible build time; node
    ids are renumbered by rank, which keeps their order (the ID tree is sorted) and
    their width (so no byte offset moves).
    """
    stamp = provenance.build_datetime().strftime("D:%Y%m%d%H%M%S+00'00'").encode()
    pdf = re.sub(rb"/(CreationDate|ModDate) \(D:[0-9+\-']+\)", lambda m: b"/" + m.group(1) + b" (" + stamp + b")", pdf)
    ranks = {old: i for i, old in enumerate(sorted(set(NODE_ID.findall(pdf))), start=1)}
    return NODE_ID.sub(lambda m: b"(node%08d)" % ranks[m.group(1)], pdf)


def build_one(country: str, reports_root: Path, first_year: int | None = None, last_year: int | None = None,
              kernel_name: str | None = None, notebook: str | Path = NOTEBOOK, warm: WarmKernel | None = None) -> dict:
    """Executed notebook, HTML and PDF for one country in reports_root/<ISO3>/."""
    resolver = CountryResolver.from_data()
    iso3 = resolver.resolve(country)
    out_dir = reports_root / iso3
    iso3, executed = execute(iso3, out_dir, first_year, last_year, kernel_name=kernel_name, notebook=notebook,
                             warm=warm)
    atomic_write(out_dir / f"{iso3}.html", to_html(executed))
    atomic_write(out_dir / f"{iso3}.pdf", to_pdf(out_dir / f"{iso3}.html"))
    return {"iso3": iso3, "html": out_dir / f"{iso3}.html", "pdf": out_dir / f"{iso3}.pdf", "notebook": executed}
