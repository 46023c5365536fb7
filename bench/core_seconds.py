"""Where a report's CPU goes: core-seconds per report in the kernel, in Chromium and in this process.

One warm worker as the batch build has it (a warm kernel, one browser tab), building N countries one
after another into a temporary folder after two warm-up reports; prints the median per report of each
process group's CPU time (user + system, from psutil), and the wall time.

    .venv/bin/python bench/core_seconds.py --countries 10
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
from bench_build import pick  # noqa: E402


def cpu(processes) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
        except psutil.NoSuchProcess:
            pass
    return total


def groups(kernel_pid: int) -> dict[str, list]:
    me = psutil.Process()
    browser = [p for p in me.children(recursive=True) if p.pid != kernel_pid]  # the driver and Chromium
    return {"kernel": [psutil.Process(kernel_pid)], "browser": browser, "worker": [me]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=int, default=10)
    args = parser.parse_args()
    from trafficking_reports.kernel import WarmKernel
    from trafficking_reports.pdf import close_printer
    from trafficking_reports.render import build_one

    countries = pick(args.countries)
    warm = WarmKernel()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        try:
            for country in ("NGA", "BRA"):  # warm-up: kernel imports, browser start
                build_one(country, out, warm=warm)
            for country in countries:
                procs = groups(warm.km.provisioner.process.pid)
                before = {name: cpu(group) for name, group in procs.items()}
                started = time.perf_counter()
                result = build_one(country, out, warm=warm)
                wall = time.perf_counter() - started
                after = {name: cpu(group) for name, group in groups(warm.km.provisioner.process.pid).items()}
                rows.append({"wall": wall, **{name: after[name] - before[name] for name in before},
                             **{f"stage {k}": v for k, v in result["timings"].items()}})
        finally:
            warm.shutdown()
            close_printer()
    for row, country in zip(rows, countries):
        print(country, "  ".join(f"{k} {v:.2f}" for k, v in row.items()))
    medians = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    print("median", "  ".join(f"{k} {v:.2f}" for k, v in medians.items()))
    print(f"core-seconds per report (kernel + browser + worker): "
          f"{medians['kernel'] + medians['browser'] + medians['worker']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
