"""Long-lived worker processes that are watched: a dead worker is noticed at once.

multiprocessing.Pool replaces a dead worker silently and never returns the task it held,
so one killed worker hung a build forever. Here each worker holds at most one task and the
parent waits on both its pipe and its process sentinel: when a worker dies, its task is
reported failed, its children (kernel, browser) are killed, and a replacement starts, at
most `max_restarts` times per run; past that, tasks not yet started are failed.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

import psutil

MAX_RESTARTS = 3
POLL_SECONDS = 1.0  # how often busy workers' children are listed (to kill them if the worker dies)


def exit_reason(code: int | None) -> str:
    """'signal 9' for a killed process, 'exit code 1' for one that exited."""
    if code is None:
        return "still running"
    return f"signal {-code}" if code < 0 else f"exit code {code}"


def _dead(proc: psutil.Process) -> bool:
    """Gone, or a zombie: it has exited and only waits for its parent (for orphans, PID 1) to reap it."""
    try:
        return proc.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def kill_tree(processes: Iterable[psutil.Process], timeout: float = 3.0) -> None:
    """SIGKILL the given processes (psutil checks they are still the same processes), wait until each is dead,
    and reap those that are this process's children. A zombie counts as dead: waiting for a browser helper,
    re-parented to PID 1, to be reaped cost up to the whole timeout at the end of every build (1.9 s)."""
    killed = []
    for proc in processes:
        try:
            if not _dead(proc):
                proc.kill()
                killed.append(proc)
        except psutil.Error:
            pass
    deadline = time.monotonic() + timeout
    waiting = killed
    while waiting and time.monotonic() < deadline:
        time.sleep(0.02)
        waiting = [proc for proc in waiting if not _dead(proc)]
    psutil.wait_procs(killed, timeout=0)  # reaps this process's own children among them


def descendants(pid: int | None = None) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def _die_with_parent() -> None:
    """Linux: if the supervising process dies (even by SIGKILL), the kernel kills this worker,
    so no orphaned worker goes on writing reports. Elsewhere, the closed pipe stops it."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _worker_main(conn: Connection, parent: int, init: Callable[[], Callable[[], None] | None] | None,
                 run: Callable[[Any], Any]) -> None:
    _die_with_parent()  # its parent is the forkserver, which exits with the supervising process
    if not psutil.pid_exists(parent):  # the supervisor died before prctl took effect
        os._exit(1)
    # Ctrl-C and SIGTERM go to the parent, which stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    cleanup = init() if init else None
    try:
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):  # the parent is gone
                break
            if task is None:
                break
            conn.send(run(task))
    finally:
        if cleanup:
            cleanup()


@dataclass
class _Worker:
    process: Any
    conn: Connection
    task: Any = None
    children: list[psutil.Process] = field(default_factory=list)
    retired: bool = False  # told to stop: no task is left for it


class Supervisor:
    """Run tasks on `jobs` workers. Use as a context manager; iterate over `run_all(tasks)`.

    `init()` runs once in each worker and may return a cleanup callable; `run(task)` runs in a
    worker and must return a picklable result (and should not raise: it is the caller's job to
    turn its own errors into results). `failed(task, message)` makes the result for a task whose
    worker died or that was never started.
    """

    def __init__(self, jobs: int, run: Callable[[Any], Any], failed: Callable[[Any, str], Any],
                 init: Callable[[], Callable[[], None] | None] | None = None, max_restarts: int = MAX_RESTARTS,
                 preload: Iterable[str] = ()):
        self.jobs, self.run, self.failed, self.init = max(1, jobs), run, failed, init
        self.max_restarts = max_restarts
        self.restarts = 0
        self.deaths = 0
        self.workers: list[_Worker] = []
        # Workers start from a forkserver, never as forks of this process: a fork copies what this
        # process holds half-alive (a browser connection, the event-loop thread of an earlier notebook
        # run), and a worker that touched those hung. Modules in `preload` are imported once, there.
        forkserver = "forkserver" in mp.get_all_start_methods()
        self.ctx = mp.get_context("forkserver" if forkserver else "spawn")
        if forkserver:
            self.ctx.set_forkserver_preload(list(preload))

    def __enter__(self) -> Supervisor:
        try:
            for _ in range(self.jobs):
                self._start()
        except BaseException:  # Ctrl-C while starting: stop those already started
            self.close(kill=True)
            raise
        return self

    def __exit__(self, kind, value, tb) -> None:
        self.close(kill=kind is not None)

    def _start(self) -> None:
        ours, theirs = self.ctx.Pipe()
        process = self.ctx.Process(target=_worker_main, args=(theirs, os.getpid(), self.init, self.run), daemon=True)
        process.start()
        theirs.close()  # only the worker holds its end: its death closes the pipe
        self.workers.append(_Worker(process, ours))

    def run_all(self, tasks: Iterable[Any]) -> Iterator[Any]:
        """Yield one result per task, in the order they finish."""
        pending = deque(tasks)
        while pending or any(w.task is not None for w in self.workers):
            for worker in self.workers:
                if worker.task is None and pending:
                    worker.task = pending.popleft()
                    try:
                        worker.conn.send(worker.task)
                    except OSError:  # already dead: its sentinel says so below
                        pass
                elif worker.task is None and not worker.retired:
                    self._retire(worker)
            live = [w for w in self.workers if not w.retired]
            busy = [w for w in live if w.task is not None]
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in live], POLL_SECONDS))
            for worker in live:
                if worker.conn in ready and worker.task is not None:
                    try:
                        result = worker.conn.recv()
                    except (EOFError, OSError):  # died mid-reply: handled as a death below
                        ready.add(worker.process.sentinel)
                    else:
                        worker.task = None
                        yield result
                if worker.process.sentinel in ready or not worker.process.is_alive():
                    yield from self._buried(worker, pending)
            for worker in self.workers:  # who to kill with the worker if it dies
                if worker.task is not None:
                    worker.children = descendants(worker.process.pid)

    def _retire(self, worker: _Worker) -> None:
        """No task is left for this worker: it shuts its kernel and browser down now, while the others
        finish theirs, instead of after them (close() waits for it)."""
        worker.retired = True
        worker.children = descendants(worker.process.pid) or worker.children
        try:
            worker.conn.send(None)
        except OSError:
            pass

    def _buried(self, worker: _Worker, pending: deque) -> Iterator[Any]:
        """A worker died: kill what it started, fail its task, replace it while restarts remain."""
        worker.process.join(timeout=5)
        kill_tree(worker.children)
        worker.conn.close()
        self.workers.remove(worker)
        self.deaths += 1
        reason = f"worker died ({exit_reason(worker.process.exitcode)})"
        if worker.task is not None:
            yield self.failed(worker.task, reason)
        if not pending:
            return
        if self.restarts < self.max_restarts:
            self.restarts += 1
            self._start()
            return
        message = (f"not built: {self.deaths} workers died in this build, more than the {self.max_restarts} "
                   f"restarts allowed (last: {reason}); fix the cause and build again")
        while pending:
            yield self.failed(pending.popleft(), message)

    def close(self, kill: bool = False, timeout: float = 15.0) -> None:
        """Stop the workers: politely (each shuts its kernel and browser down), or at once with `kill`.
        Either way nothing they started outlives them."""
        for worker in self.workers:
            worker.children = descendants(worker.process.pid) or worker.children
        if not kill:
            for worker in self.workers:
                if not worker.retired:
                    self._retire(worker)
            for worker in self.workers:
                worker.process.join(timeout)
        # Every worker is killed before anything is waited for: one still running while another's processes
        # are reaped could finish a report, and stamp it, after an interrupt.
        for worker in self.workers:
            if worker.process.is_alive():
                worker.children = descendants(worker.process.pid) or worker.children
                worker.process.kill()  # first, so that it starts nothing new
        for worker in self.workers:
            worker.process.join(5)
            worker.conn.close()
        kill_tree([child for worker in self.workers for child in worker.children])
        self.workers = []
