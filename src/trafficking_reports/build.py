"""The batch build: every country in parallel, rebuilt only when its inputs changed.

Workers are long-lived processes (papermill and nbconvert through their Python APIs,
one headless Chromium per worker); a country's failure is reported, never fatal to others.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from . import provenance
from .countries import CountryResolver
from .facts import countries_with_facts
from .hashing import report_digests
from .io import stderr_to

STAMP = ".build.json"
_WARM = None  # this worker's kernel, kept across countries (see render.WarmKernel)


def up_to_date(out_root: Path, iso3: str, digest: str) -> bool:
    folder = out_root / iso3
    try:
        stamp = json.loads((folder / STAMP).read_text())
    except (OSError, ValueError):
        return False
    return stamp.get("inputs") == digest and all((folder / f"{iso3}.{ext}").exists() for ext in ("html", "pdf"))


@dataclass
class Outcome:
    iso3: str
    ok: bool
    seconds: float
    error: str = ""
    notebook: str = ""


def first_error_line(err: Exception) -> str:
    """The line a reader needs: for a failed notebook cell, the exception raised in the kernel."""
    if hasattr(err, "ename") and hasattr(err, "evalue"):  # papermill.PapermillExecutionError
        return f"{err.ename}: {err.evalue}".strip()
    lines = [line for line in str(err).splitlines() if line.strip() and not set(line.strip()) <= set("-=")]
    first = lines[0].strip() if lines else ""
    return first if first.startswith(type(err).__name__) else f"{type(err).__name__}: {first}".rstrip(": ")


def _worker_init(log_dir: str) -> None:
    # Ctrl-C goes to the parent, which stops the workers and their kernels itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Kernels inherit stderr; their chatter goes to a log, not over the progress bar.
    stderr_to(Path(log_dir) / f"worker-{os.getpid()}.log")
    global _WARM
    from multiprocessing.util import Finalize

    from .render import WarmKernel, close_printer

    _WARM = WarmKernel()
    # Pool workers leave through os._exit, so atexit never runs: finalizers do.
    Finalize(None, _WARM.shutdown, exitpriority=10)
    Finalize(None, close_printer, exitpriority=10)
    from . import render  # noqa: F401  warm imports once per worker


def _build_task(task: tuple[str, str, str, str | None, str]) -> Outcome:
    iso3, out_root, digest, kernel, notebook = task
    from .render import build_one

    started = time.perf_counter()
    try:
        build_one(iso3, Path(out_root), kernel_name=kernel, notebook=notebook, warm=_WARM)
    except Exception as err:  # isolate: one country's failure never stops the others
        first = first_error_line(err)
        log = Path(out_root) / iso3 / "error.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(traceback.format_exc())
        nb = Path(out_root) / iso3 / f".{iso3}.part.ipynb"
        return Outcome(iso3, False, time.perf_counter() - started, first[:300], str(nb if nb.exists() else log))
    stamp = {"inputs": digest, "iso3": iso3, "commit": provenance.commit(),
             "parameters": {"country": iso3}, "versions": provenance.package_versions()}
    (Path(out_root) / iso3 / STAMP).write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n")
    (Path(out_root) / iso3 / "error.log").unlink(missing_ok=True)
    return Outcome(iso3, True, time.perf_counter() - started)


def _kill_children() -> None:
    import psutil

    for child in psutil.Process().children(recursive=True):
        try:
            child.kill()
        except psutil.Error:
            pass


def _remove_partials(out_root: Path) -> None:
    for part in out_root.glob("*/.*.part*"):
        part.unlink(missing_ok=True)


def build(countries: list[str], out_root: Path, jobs: int = 0, force: bool = False, kernel: str | None = None,
          progress: bool = True, notebook: str | Path | None = None) -> list[Outcome]:
    """Build the given countries; returns one Outcome per country rebuilt."""
    from tqdm import tqdm

    out_root = Path(out_root).resolve()
    digests = report_digests(countries)
    todo = [c for c in countries if force or not up_to_date(out_root, c, digests[c])]
    skipped = len(countries) - len(todo)
    if not todo:
        return []
    jobs = jobs or os.cpu_count() or 1
    jobs = max(1, min(jobs, len(todo)))
    outcomes: list[Outcome] = []
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    pool = ctx.Pool(jobs, initializer=_worker_init, initargs=(str(out_root / ".logs"),))
    # On a terminal the bar redraws twice a second; in a log file, a line every 15 s is enough.
    interval = 0.5 if sys.stderr.isatty() else 15
    bar = tqdm(total=len(todo), unit="report", disable=not progress, desc=f"building ({skipped} up to date)",
               file=sys.stderr, dynamic_ncols=True, mininterval=interval, maxinterval=max(interval, 10))
    try:
        from .render import NOTEBOOK

        tasks = [(c, str(out_root), digests[c], kernel, str(notebook or NOTEBOOK)) for c in todo]
        for outcome in pool.imap_unordered(_build_task, tasks):
            outcomes.append(outcome)
            bar.set_postfix_str(f"{outcome.iso3} {'ok' if outcome.ok else 'FAILED'}")
            bar.update(1)
        pool.close()
        pool.join()
    except KeyboardInterrupt:
        pool.terminate()
        _kill_children()
        _remove_partials(out_root)
        raise
    finally:
        bar.close()
    return outcomes


def summary(countries: list[str], outcomes: list[Outcome], seconds: float) -> str:
    failed = [o for o in outcomes if not o.ok]
    built = len(outcomes) - len(failed)
    lines = [f"{built} built, {len(countries) - len(outcomes)} up to date, {len(failed)} failed "
             f"({seconds:.1f} s)."]
    for o in failed:
        lines.append(f"  FAILED {o.iso3}: {o.error}\n         see {o.notebook}")
    return "\n".join(lines)


def main(args) -> int:
    from .build_state import record
    from .hashing import tree_digest

    inputs = tree_digest()
    resolver = CountryResolver.from_data()
    if args.country:
        countries = sorted({resolver.resolve(c) for c in args.country})
    else:
        countries = countries_with_facts()
    started = time.perf_counter()
    outcomes = build(countries, args.out, args.jobs, args.force)
    if not args.no_index:
        from .site import write_site

        write_site(args.out)
    print(summary(countries, outcomes, time.perf_counter() - started))
    failed = any(not o.ok for o in outcomes)
    if not failed and not args.country and not args.no_index:
        outputs = [f"{c}/{c}.{ext}" for c in countries for ext in ("html", "pdf")]
        outputs += ["index.html", "global_overview/global_overview.html", "global_overview/global_overview.pdf"]
        record(Path(args.out).resolve(), inputs, countries, outputs)
    return 1 if failed else 0
