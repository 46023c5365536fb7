"""The batch build: every country and region in parallel, rebuilt only when its inputs changed.

Workers are long-lived processes (papermill and nbconvert through their Python APIs, a warm
kernel and one headless Chromium each), watched by supervisor.Supervisor. A country's failure,
or its worker's death, is reported in the summary, never fatal to the others.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
import traceback
from functools import partial
from pathlib import Path

from . import fonts, paths
from .build_state import clear_stamp, default_parameters, stamped, write_stamp
from .countries import CountryResolver
from .errors import OutputFolderError
from .facts import countries_with_facts
from .hashing import region_digests, report_digests
from .io import stderr_to
from .items import Item, country_item, region_item
from .kernel import fresh_kernel
from .outcomes import Outcome, failure, first_error_line, summary
from .preflight import check_browser, unwritable
from .supervisor import MAX_RESTARTS, Supervisor
from .years import check_years

_WARM = None  # this worker's kernel, kept across countries (see render.WarmKernel)
# Imported once in the forkserver the workers start from, rather than once per worker.
WORKER_PRELOAD = ["trafficking_reports.build", "trafficking_reports.render", "papermill", "nbconvert",
                  "playwright.sync_api"]


def _remove_partials(out_root: Path, pattern: str = "*/.*.part*") -> None:
    for part in out_root.glob(pattern):
        with contextlib.suppress(OSError):
            part.unlink()


def _worker_init(log_dir: str, data_dir: str):
    """Runs once in each worker: its kernel chatter goes to a log, and it keeps a warm kernel."""
    global _WARM
    # Workers fork from a forkserver started once per process, perhaps before --data-dir was set:
    # the build's data folder is passed on, and the kernel started below inherits it.
    os.environ["TR_DATA_DIR"] = data_dir
    with contextlib.suppress(OSError):  # an unwritable log must not kill the worker
        stderr_to(Path(log_dir) / f"worker-{os.getpid()}.log")
    from .execute import WarmKernel
    from .pdf import close_printer, open_browser

    # Both start now and side by side: the kernel imports the report's modules while the browser launches
    # on the printer's thread, rather than the first report waiting for one, then the other.
    _WARM = WarmKernel()
    _WARM.preload()
    open_browser()

    def cleanup() -> None:  # a worker told to stop shuts its browser (on its thread) and kernel down together
        closing = threading.Thread(target=close_printer)
        closing.start()
        _WARM.shutdown()
        closing.join()

    return cleanup


def _build_task(task: tuple[Item, str, str, str | None, str]) -> Outcome:
    item, out_root, digest, kernel, notebook = task
    from .execute import FAILED_NOTEBOOK
    from .render import build_one, build_region

    folder = item.folder(Path(out_root))
    started = time.perf_counter()
    try:
        clear_stamp(folder)  # a failed or interrupted rebuild is never taken as up to date
        if item.kind == "region":
            result = build_region(item.name, Path(out_root), kernel_name=kernel, notebook=notebook, warm=_WARM)
        else:
            result = build_one(item.key, Path(out_root), kernel_name=kernel, notebook=notebook, warm=_WARM)
        write_stamp(folder, item.key, digest, item.parameters)
        (folder / "error.log").unlink(missing_ok=True)
    except Exception as err:  # isolate: one report's failure never stops the others
        _remove_partials(folder, ".*.part*")
        return failure(item.label, first_error_line(err), traceback.format_exc(), folder / "error.log",
                       folder / FAILED_NOTEBOOK, time.perf_counter() - started)
    return Outcome(item.label, True, time.perf_counter() - started, stages=result["timings"])


def _worker_died(out_root: Path, task: tuple, message: str) -> Outcome:
    """In the parent, for a report whose worker died (or was never started): nothing half-written stays."""
    item = task[0]
    folder = item.folder(out_root)
    _remove_partials(folder, ".*.part*")
    return failure(item.label, message, message + "\n", folder / "error.log", None)


def build(countries: list[str], out_root: Path, jobs: int = 0, force: bool = False, kernel: str | None = None,
          progress: bool = True, notebook: str | Path | None = None, max_restarts: int = MAX_RESTARTS,
          regions: list = (), region_notebook: str | Path | None = None) -> list[Outcome]:
    """Build the given countries and regions (regions.Region); returns one Outcome per report rebuilt.
    `notebook` and `region_notebook` replace the notebooks they run (tests)."""
    from tqdm import tqdm

    from .execute import NOTEBOOK
    from .hashing import REGION_NOTEBOOK

    out_root = Path(out_root).resolve()
    digests = {country_item(c): d for c, d in report_digests(countries).items()}
    if regions:
        digests.update({region_item(r): region_digests([r])[r.slug] for r in regions})
    # Largest first (regions, then countries by how many facts they have): the last reports to finish are
    # short ones, so no worker idles long while another ends the build with a long report.
    items = [region_item(r) for r in regions] + [country_item(c) for c in largest_first(countries)]
    todo = [i for i in items if force or not stamped(i.folder(out_root), i.key, digests[i], i.parameters)]
    skipped = len(items) - len(todo)
    if not todo:
        return []
    problem = unwritable(out_root)
    if problem:  # every country would fail the same way: say so once each, start nothing
        return [Outcome(i.label, False, 0.0, problem) for i in todo]
    jobs = jobs or os.cpu_count() or 1
    jobs = max(1, min(jobs, len(todo)))
    outcomes: list[Outcome] = []
    notebooks = {"country": str(notebook or NOTEBOOK), "region": str(region_notebook or REGION_NOTEBOOK)}
    tasks = [(i, str(out_root), digests[i], kernel, notebooks[i.kind]) for i in todo]
    # On a terminal the bar redraws twice a second; in a log file, a line every 15 s is enough.
    interval = 0.5 if sys.stderr.isatty() else 15
    bar = tqdm(total=len(todo), unit="report", disable=not progress, desc=f"building ({skipped} up to date)",
               file=sys.stderr, dynamic_ncols=True, mininterval=interval, maxinterval=max(interval, 10))
    try:
        with Supervisor(jobs, _build_task, partial(_worker_died, out_root),
                        init=partial(_worker_init, str(out_root / ".logs"), str(paths.data_dir())),
                        max_restarts=max_restarts,
                        preload=WORKER_PRELOAD) as pool:
            for outcome in pool.run_all(tasks):
                outcomes.append(outcome)
                bar.set_postfix_str(f"{outcome.iso3} {'ok' if outcome.ok else 'FAILED'}")
                bar.update(1)
    except KeyboardInterrupt:  # the supervisor has killed the workers and everything they started
        _remove_partials(out_root)
        raise
    finally:
        bar.close()
    return outcomes


def largest_first(countries: list[str]) -> list[str]:
    """Countries by their number of fact rows, most first (a report's time grows with its facts), then by name."""
    from .facts import load_facts

    rows = load_facts()["country_iso3"].value_counts()
    return sorted(countries, key=lambda iso3: (-rows.get(iso3, 0), iso3))


def write_site(out_root: Path) -> list[Outcome]:
    """The global overview, then the index: each failure is an item of the summary, not a crash
    that hides the countries' results."""
    from . import site
    from .execute import FAILED_NOTEBOOK

    problem = unwritable(out_root)
    if problem:
        return [Outcome("index.html and global_overview", False, 0.0, problem)]
    overview = out_root / "global_overview"
    steps = (("global_overview", site.write_overview, overview / "error.log", overview / FAILED_NOTEBOOK),
             ("index.html", site.write_index, out_root / ".logs" / "index-error.log", None))
    items = []
    for name, step, log, notebook in steps:
        started = time.perf_counter()
        try:
            step(out_root)
        except Exception as err:
            items.append(failure(name, first_error_line(err), traceback.format_exc(), log, notebook,
                                 time.perf_counter() - started))
            continue
        with contextlib.suppress(OSError):
            log.unlink(missing_ok=True)
        items.append(Outcome(name, True, time.perf_counter() - started))
    return items


def check_data(out_root: Path) -> None:
    """Invalid data builds no report: a negative count or a duplicate key would print wrong numbers.
    Raises DataValidationError naming file, line and column; unchanged valid data costs milliseconds."""
    from .validate import ensure_valid

    ensure_valid(paths.data_dir(), out_root / ".logs")


def report_one(country: str, out_root: Path, first_year: int | None = None, last_year: int | None = None,
               kernel=None) -> dict:
    """One country's report with a fresh kernel and browser (the `report` command), stamped with its
    parameters: the batch build takes it as up to date only if they are the build's own."""
    from .render import build_one

    iso3 = CountryResolver.from_data().resolve(country)
    check_years(iso3, first_year, last_year)  # before anything is written
    with fresh_kernel(kernel) as kernel:  # it boots while _ready_to_write checks and opens the browser
        out_root = _ready_to_write(out_root)
        parameters = default_parameters(iso3)
        parameters.update({k: v for k, v in (("first_year", first_year), ("last_year", last_year)) if v is not None})
        return _stamped_build(out_root / iso3, iso3, parameters,
                              lambda: build_one(iso3, out_root, first_year, last_year, warm=kernel),
                              lambda: report_digests([iso3])[iso3])


def report_region(region: str, out_root: Path, kernel=None) -> dict:
    """One region's report with a fresh kernel (`report --region`), stamped like the batch build's."""
    from .regions import resolve_region
    from .render import build_region

    found = resolve_region(region)
    with fresh_kernel(kernel) as kernel:  # it boots while _ready_to_write checks and opens the browser
        out_root = _ready_to_write(out_root)
        item = region_item(found)
        return _stamped_build(item.folder(out_root), item.key, item.parameters,
                              lambda: build_region(found.name, out_root, warm=kernel),
                              lambda: region_digests([found])[found.slug])


def _ready_to_write(out_root: Path) -> Path:
    """Before one report is built: a browser, valid data and a writable folder, else a user error."""
    from .pdf import open_browser

    check_browser()
    out_root = Path(out_root).resolve()
    check_data(out_root)
    problem = unwritable(out_root, logs=False)
    if problem:
        raise OutputFolderError(problem)
    open_browser()
    return out_root


def _stamped_build(folder: Path, key: str, parameters: dict, run, digest) -> dict:
    """run() one report; only a finished one gets its stamp (inputs digest and parameters)."""
    clear_stamp(folder)
    result = run()
    write_stamp(folder, key, digest(), parameters)
    (folder / "error.log").unlink(missing_ok=True)
    return result


def main(args) -> int:
    from .build_state import record
    from .hashing import tree_digest
    from .regions import all_regions, resolve_region

    inputs = tree_digest()
    resolver = CountryResolver.from_data()
    countries = sorted({resolver.resolve(c) for c in args.country})
    regions = sorted({resolve_region(r) for r in args.region}, key=lambda r: r.name)
    partial = bool(args.country or args.region)
    if not partial:
        countries, regions = countries_with_facts(), all_regions()
    check_browser()  # once, before any work: not once per country, then again for the overview
    started = time.perf_counter()
    out_root = Path(args.out).resolve()
    check_data(out_root)
    outcomes = build(countries, out_root, args.jobs, args.force, regions=regions)
    site = [] if args.no_index else write_site(out_root)
    failed = any(not o.ok for o in outcomes + site)
    if not failed and not partial and not args.no_index:
        outputs = [path for c in countries for path in country_item(c).outputs()]
        outputs += [path for r in regions for path in region_item(r).outputs()]
        outputs += ["index.html", "global_overview/global_overview.html", "global_overview/global_overview.pdf"]
        outputs += fonts.published()  # the pages load them: a deleted copy makes the next build restore it
        try:
            record(out_root, inputs, countries, outputs)
        except OSError as err:
            site.append(Outcome("build state", False, 0.0, f"not recorded ({err}); the next build checks "
                                                           "every report again"))
            failed = True
    print(summary(countries + [region_item(r).label for r in regions], outcomes, time.perf_counter() - started,
                  site))
    return 1 if failed else 0
