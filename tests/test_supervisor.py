"""The worker supervisor with trivial tasks: a worker killed mid-task is noticed at once, its task
fails with the signal, a replacement goes on; restarts are bounded; nothing outlives a stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from functools import partial

import psutil
import pytest

from conftest import gone
from trafficking_reports.supervisor import Supervisor, descendants, exit_reason, kill_tree

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork-based workers")


def square_or_die(task):
    """Task 'kill' SIGKILLs its own worker, as the OOM killer or a user would."""
    if task == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if task == "sleep":  # a child the worker started, then a long task
        subprocess.Popen(["sleep", "60"])
        time.sleep(60)
    return task * task


def failed(task, message):
    return ("failed", task, message)


def nap(seconds):
    time.sleep(seconds)
    return seconds


def note_stops(path):
    """A worker's init whose cleanup notes when the worker stopped."""
    def cleanup():
        with open(path, "a") as log:
            log.write(f"{time.time()}\n")
    return cleanup


def test_a_killed_worker_fails_its_task_and_a_replacement_finishes_the_rest():
    started = time.monotonic()
    with Supervisor(1, square_or_die, failed) as pool:
        results = list(pool.run_all([1, 2, "kill", 3, 4, 5]))
        assert pool.restarts == 1 and len(pool.workers) == 1
    assert time.monotonic() - started < 10
    assert ("failed", "kill", "worker died (signal 9)") in results
    assert sorted(r for r in results if isinstance(r, int)) == [1, 4, 9, 16, 25]


def test_restarts_are_bounded_and_the_rest_fail_with_a_reason():
    with Supervisor(1, square_or_die, failed, max_restarts=2) as pool:
        results = list(pool.run_all(["kill", "kill", "kill", 1, 2]))
    deaths = [r for r in results if r[2] == "worker died (signal 9)"]
    rest = [r for r in results if r[2].startswith("not built")]
    assert len(deaths) == 3 and [r[1] for r in rest] == [1, 2]
    assert "3 workers died" in rest[0][2] and "2 restarts allowed" in rest[0][2]


def test_ctrl_c_kills_the_workers_and_what_they_started():
    holder, seen = {}, []

    def ctrl_c(signum, frame):  # SIGALRM stands in for Ctrl-C arriving while a worker is busy
        for worker in holder["pool"].workers:
            seen.extend((p, p.name()) for p in [psutil.Process(worker.process.pid)] + descendants(worker.process.pid))
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, ctrl_c)
    try:
        signal.alarm(2)
        with pytest.raises(KeyboardInterrupt):
            with Supervisor(1, square_or_die, failed) as pool:
                holder["pool"] = pool
                list(pool.run_all(["sleep"]))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert "sleep" in [name for _, name in seen]
    assert all(gone(p) for p, _ in seen)


def test_a_worker_with_no_task_left_stops_while_the_others_finish(tmp_path):
    log = tmp_path / "stops"
    with Supervisor(2, nap, failed, init=partial(note_stops, str(log))) as pool:
        results = list(pool.run_all([3, 0]))
        long_task_done = time.time()
    stops = sorted(float(line) for line in log.read_text().split())
    assert sorted(results) == [0, 3] and len(stops) == 2
    assert stops[0] < long_task_done - 2  # the idle worker shut down early, not after the long task


def test_a_dead_process_its_parent_has_not_reaped_is_not_waited_for():
    # `sleep 0` exits at once; its parent, exec'd into `sleep 30`, never reaps it: a zombie that is not ours.
    parent = subprocess.Popen(["sh", "-c", "sleep 0 & exec sleep 30"])
    try:
        deadline = time.monotonic() + 10
        while not (zombies := [c for c in psutil.Process(parent.pid).children()
                               if c.status() == psutil.STATUS_ZOMBIE]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert zombies
        started = time.monotonic()
        kill_tree(zombies, timeout=3.0)
        assert time.monotonic() - started < 1.0
    finally:
        parent.kill()
        parent.wait()


def test_a_killed_process_its_parent_does_not_reap_is_not_waited_for():
    # `sleep 30` runs as the child of `sleep 60` (exec'd from sh), which will never reap it once it is killed.
    parent = subprocess.Popen(["sh", "-c", "sleep 30 & exec sleep 60"])
    try:
        children = wait_for_children(parent.pid)
        started = time.monotonic()
        kill_tree(children, timeout=3.0)
        assert time.monotonic() - started < 1.0
        assert all(c.status() == psutil.STATUS_ZOMBIE for c in children)  # killed, left to its parent
    finally:
        parent.kill()
        parent.wait()


def wait_for_children(pid: int) -> list[psutil.Process]:
    deadline = time.monotonic() + 10
    while not (children := psutil.Process(pid).children()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert children
    return children


def test_exit_reasons():
    assert exit_reason(-9) == "signal 9" and exit_reason(1) == "exit code 1"
