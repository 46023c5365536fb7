"""Faults injected into real builds and reports (kernels, workers, browsers; SIGINT and SIGTERM):
each one fails what it hit within seconds, names the cause, leaves no partial file and no process.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from conftest import gone
from trafficking_reports.build import build
from trafficking_reports.build_state import default_parameters, write_stamp
from trafficking_reports.hashing import report_digests as input_hashes
from trafficking_reports.paths import report_outputs
from trafficking_reports.render import PdfPrinter, build_one, notebook_path
from trafficking_reports.supervisor import descendants

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux processes")]


@pytest.fixture(autouse=True)
def watchdog():
    """These faults used to hang forever: should one come back, stop the run with every thread's
    traceback after two minutes, rather than hang CI."""
    faulthandler.dump_traceback_later(120, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def notebook_with(tmp_path: Path, code: str) -> Path:
    """The real country notebook with one cell of test code right after the parameters."""
    nb = nbformat.read(notebook_path(), as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])) + 1
    nb.cells.insert(at, nbformat.v4.new_code_cell(code))
    path = tmp_path / "fault_report.ipynb"
    nbformat.write(nb, path)
    return path


def wait_for(predicate, timeout: float = 60, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"waited {timeout} s for {predicate}")


def pids_cell(folder: Path, sleeper: str) -> str:
    """Each run records 'worker-pid kernel-pid' in folder/<country>; `sleeper` then hangs in its cell."""
    return (f"import os, pathlib, time\n"
            f"pathlib.Path({str(folder)!r}, country + '.tmp').write_text(f'{{os.getppid()}} {{os.getpid()}}')\n"
            f"os.replace(pathlib.Path({str(folder)!r}, country + '.tmp'), pathlib.Path({str(folder)!r}, country))\n"
            f"if country == {sleeper!r}:\n    time.sleep(120)")


def kill_when_recorded(record: Path, which: int, seen: list) -> threading.Thread:
    """SIGKILL the worker (which=0) or the kernel (which=1) once `record` names them."""
    def run():
        pid = int(wait_for(record.exists, 120) and record.read_text().split()[which])
        seen.extend([psutil.Process(pid), *descendants(pid)])
        os.kill(pid, signal.SIGKILL)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def partials(root: Path) -> list[Path]:
    return list(root.rglob(".*.part*"))


# -- case 3: a worker killed with SIGKILL ----------------------------------------------------------
def test_a_killed_worker_fails_its_country_and_the_build_goes_on(tmp_path):
    record = tmp_path / "pids"
    record.mkdir()
    notebook = notebook_with(tmp_path, pids_cell(record, "KGZ"))
    seen: list = []
    killer = kill_when_recorded(record / "KGZ", 0, seen)
    out = tmp_path / "reports"
    started = time.monotonic()
    outcomes = build(["KAZ", "KGZ", "TJK", "UZB"], out, jobs=2, progress=False, notebook=notebook)
    elapsed = time.monotonic() - started
    killer.join(1)
    by_iso = {o.iso3: o for o in outcomes}
    assert by_iso["KGZ"].error == "worker died (signal 9)"
    assert all(by_iso[c].ok for c in ("KAZ", "TJK", "UZB")), outcomes
    assert (out / "KGZ" / "error.log").read_text().startswith("worker died (signal 9)")
    assert not partials(out) and not (out / "KGZ" / ".build.json").exists()
    assert seen and all(gone(p) for p in seen)  # the dead worker's kernel went with it
    assert elapsed < 60


# -- case 4: a kernel killed in the middle of a cell -----------------------------------------------
def test_a_killed_kernel_fails_its_country_and_the_next_gets_a_fresh_kernel(tmp_path):
    record = tmp_path / "pids"
    record.mkdir()
    notebook = notebook_with(tmp_path, pids_cell(record, "KGZ"))
    seen: list = []
    kill_when_recorded(record / "KGZ", 1, seen)
    out = tmp_path / "reports"
    started = time.monotonic()
    outcomes = build(["KGZ", "KAZ"], out, jobs=1, progress=False, notebook=notebook)
    assert time.monotonic() - started < 60
    by_iso = {o.iso3: o for o in outcomes}
    assert not by_iso["KGZ"].ok and "Kernel died" in by_iso["KGZ"].error
    assert by_iso["KAZ"].ok
    kgz_worker, kgz_kernel = (record / "KGZ").read_text().split()
    kaz_worker, kaz_kernel = (record / "KAZ").read_text().split()
    assert kgz_worker == kaz_worker and kgz_kernel != kaz_kernel  # same worker, fresh kernel
    assert (out / "KGZ" / "error.ipynb").exists() and not partials(out)


def test_a_killed_kernel_stops_a_report_within_seconds(tmp_path):
    from nbclient.exceptions import DeadKernelError

    record = tmp_path / "pids"
    record.mkdir()
    notebook = notebook_with(tmp_path, pids_cell(record, "KAZ"))
    kill_when_recorded(record / "KAZ", 1, [])
    started = time.monotonic()
    with pytest.raises(DeadKernelError):
        build_one("KAZ", tmp_path / "reports", notebook=notebook)  # a fresh kernel, as `report` uses
    assert time.monotonic() - started < 30
    assert (tmp_path / "reports" / "KAZ" / "error.ipynb").exists() and not partials(tmp_path)


# -- case 8: the browser or the playwright driver dies ------------------------------------------------
@pytest.mark.parametrize("victim", ["browser", "driver"])
def test_a_dead_browser_or_driver_is_relaunched(tmp_path, victim):
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html><html><body><h1>Page</h1></body></html>")
    before = {p.pid for p in descendants()}
    printer = PdfPrinter()
    try:
        assert printer.print(page).startswith(b"%PDF")
        ours = [p for p in descendants() if p.pid not in before]
        driver = next(p for p in ours if p.name().startswith("node"))
        target = driver if victim == "driver" else next(p for p in driver.children() if "chrom" in p.name())
        target.kill()
        target.wait(10)
        assert printer.print(page).startswith(b"%PDF")  # relaunched, not failed
    finally:
        printer.close()


# -- case 9: failed and interrupted runs leave nothing half-written, and no process --------------------
def test_a_failed_report_keeps_its_notebook_as_error_ipynb_and_no_partial(tmp_path):
    from papermill.exceptions import PapermillExecutionError

    notebook = notebook_with(tmp_path, 'raise RuntimeError("deliberate failure")')
    with pytest.raises(PapermillExecutionError):
        build_one("KAZ", tmp_path / "reports", notebook=notebook)
    folder = tmp_path / "reports" / "KAZ"
    assert "deliberate failure" in (folder / "error.ipynb").read_text()
    assert not partials(tmp_path) and not (folder / "KAZ.html").exists()


def cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "trafficking_reports", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def kernel_running(proc: subprocess.Popen) -> list[psutil.Process]:
    def started():
        found = descendants(proc.pid)
        return found if any("ipykernel" in " ".join(p.cmdline()) for p in found if not gone(p)) else []
    return wait_for(started, 60)


def interrupt(proc: subprocess.Popen, signum: int, processes: list[psutil.Process]) -> int:
    proc.send_signal(signum)
    status = proc.wait(30)
    wait_for(lambda: all(gone(p) for p in processes), 10)
    return status


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_report_leaves_no_partial_file_and_no_process(tmp_path, signum, status):
    out = tmp_path / "reports"
    proc = cli("report", "KAZ", "--out", str(out))
    processes = kernel_running(proc)
    assert interrupt(proc, signum, processes) == status, proc.stderr.read()
    assert not partials(out) and not (out / "KAZ" / "KAZ.html").exists()


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_build_stops_its_workers_at_once(tmp_path, signum, status):
    out = tmp_path / "reports"
    proc = cli("build", "--country", "KAZ", "--country", "KGZ", "--country", "TJK", "--jobs", "2",
               "--out", str(out), "--no-index")
    # Kernels running: the workers are inside a notebook (which is written only when its run ends, and an
    # interrupted run's notebook is removed).
    kernel_running(proc)
    time.sleep(1)
    processes = descendants(proc.pid)  # workers, their kernels and browsers
    assert interrupt(proc, signum, processes) == status, proc.stderr.read()
    assert not partials(out)
    written = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    time.sleep(1)  # nothing left running goes on writing reports or stamps
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == written
    assert not list(out.glob("*/.build.json"))


def test_ctrl_c_during_the_overview_leaves_no_partial_file(tmp_path):
    out = tmp_path / "reports"
    (out / "KAZ").mkdir(parents=True)  # KAZ up to date: the build goes straight to the overview
    for name in report_outputs("KAZ").values():
        (out / "KAZ" / name).write_text("x")
    write_stamp(out / "KAZ", "KAZ", input_hashes(["KAZ"])["KAZ"], default_parameters("KAZ"))
    proc = cli("build", "--country", "KAZ", "--out", str(out))
    processes = kernel_running(proc)
    assert (out / "global_overview").exists()
    assert interrupt(proc, signal.SIGINT, processes) == 130, proc.stderr.read()
    assert not partials(out) and not (out / "global_overview" / "global_overview.pdf").exists()
