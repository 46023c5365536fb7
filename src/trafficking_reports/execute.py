"""Run a notebook with papermill in a kernel of ours: parameters checked, a warm kernel reused across
countries, a dead kernel noticed within seconds, a failed run kept as error.ipynb."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import nbformat

from .countries import CountryResolver
from .errors import ReportParameterError
from .kernel import KERNEL_NAME, WarmKernel, local_kernel_manager_class  # noqa: F401 (names callers import here)
from .paths import notebooks_dir
from .years import check_years

NOTEBOOK = "country_report.ipynb"
HIDDEN_TAG = "remove-from-report"  # explanatory cells for people exploring in Jupyter
RESET_CELL = ("get_ipython().run_line_magic('reset', '-f')  # a fresh namespace for this report\n"
              "import matplotlib.pyplot as _plt; _plt.close('all'); del _plt")
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
def report_engine() -> str:
    """papermill's nbclient engine, writing the notebook once when the run ends instead of at the start
    and end of every cell (about 40 writes of a 230 KB notebook: ~0.25 core-seconds a report). A run that
    fails in any way (a cell's error, a dead kernel, an interrupt) is still written: the engine calls
    notebook_complete in a finally block, so error.ipynb keeps the traceback."""
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    class SaveWhenDone(NotebookExecutionManager):
        def save(self, **kwargs):
            if self.end_time is not None:  # set by notebook_complete, cleared when the run starts
                super().save(**kwargs)

    class ReportEngine(NBClientEngine):
        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
                             autosave_cell_every=30, **kwargs):
            # papermill's Engine.execute_notebook (2.7) with the manager above: it names its class in the body.
            nb_man = SaveWhenDone(nb, output_path=output_path, progress_bar=progress_bar, log_output=log_output,
                                  autosave_cell_every=autosave_cell_every)
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

    papermill_engines.register("trafficking-reports", ReportEngine)
    return "trafficking-reports"


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
    # Every run starts by wiping the namespace: a warm kernel forgets the previous country within this
    # run (no second client connection, about 0.3 s a report), and warm and cold runs stay the same.
    nb.cells.insert(0, nbformat.v4.new_code_cell(RESET_CELL, metadata={"tags": [HIDDEN_TAG]}, id="reset"))
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
                                   execution_timeout=CELL_TIMEOUT, engine_name=report_engine(), **extra)
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
