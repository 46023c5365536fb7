"""The Jupyter kernel a report runs in, kept warm across reports: this module imports only jupyter_client,
so the one-report command can start a kernel before its own heavier imports."""

from __future__ import annotations

import os
import tempfile
import uuid
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

KERNEL_NAME = "trafficking-reports"


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


# What a new kernel runs first: the report's modules (matplotlib, pandas: ~1.2 s of a fresh kernel's first run),
# then gc.freeze(), which moves every object they made out of the collector's reach. Each report's %reset and
# the collections while it runs then skip them: about 0.1 of the kernel's 1.0 core-seconds a report.
PRELOAD = ("import trafficking_reports.report, trafficking_reports.report.region  # preload\n"
           "import gc; gc.freeze()")


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
        self._preloader = None  # the client that asked a new kernel to import ahead (see preload)

    def manager(self):
        """The running kernel (started, and told to preload, if it is not); each notebook's first cell wipes
        it (RESET_CELL)."""
        if self.km is None or not self.km.is_alive():
            self.shutdown()  # a kernel that died: release its sockets and connection file
            self.km = local_kernel_manager_class()(kernel_name=self.kernel_name)
            self.km.start_kernel(cwd=str(Path.cwd()))
            self._preload(PRELOAD)
        return self.km

    def preload(self) -> None:
        """Start the kernel now: it imports the report's modules (PRELOAD) while this process does other
        work (its own imports, checks, opening the browser), instead of in the notebook's first cells."""
        self.manager()

    def _preload(self, code: str) -> None:
        # Sent without waiting for the reply; the notebook's cells queue behind it. Silent, so the notebook's
        # execution counts are as in a run without it.
        self._preloader = self.km.blocking_client()
        # The shell channel only: the heartbeat channel's thread opens its socket later, and a kernel shut
        # down at once (a report refused before it ran) closed the context under it ("Too many open files").
        self._preloader.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        self._preloader.execute(code, silent=True, store_history=False)

    def shutdown(self) -> None:
        if self._preloader is not None:
            self._preloader.stop_channels()
            self._preloader = None
        if self.km is not None:
            try:
                self.km.shutdown_kernel(now=True)
            except Exception:  # already gone
                pass
            self.km = None


@contextmanager
def fresh_kernel(kernel: WarmKernel | None = None):
    """A new kernel for one report, started now and importing the report's modules (preload) while the
    caller does other work; shut down however the report ends. Given a kernel, the caller owns it: it is
    used as it is (already preloaded) and left running."""
    if kernel is not None:
        yield kernel
        return
    kernel = WarmKernel()
    try:
        kernel.preload()
        yield kernel
    finally:
        kernel.shutdown()
