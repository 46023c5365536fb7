"""Benchmark: our batch build against the loop a user would write, like with like.

Every way builds the same N countries into the same outputs: the executed notebook, the HTML
without code (nbconvert) and the PDF printed by the same headless Chromium. Ways:

- naive, serial: per country, the papermill CLI, `jupyter nbconvert --to html --no-input`, then
  Chromium's `--print-to-pdf`, one country after another;
- naive, parallel: the same per-country commands, N_CORES countries at a time (like `xargs -P`);
- ours, jobs=1 and jobs=N_CORES: `trafficking_reports.build.build(..., force=True)`.

Each way runs --repeats times (default 3), in an order that alternates between repeats, on the
same cores; the table prints medians. If any way failed for any country, no ratio is printed.
The per-stage breakdown (execute, HTML, PDF, overhead) comes from the build's own timings.

    python bench/bench_build.py --countries 10      (or `make bench`, N=10)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BIN = Path(sys.executable).parent


def pick(n: int) -> list[str]:
    """N countries spread over the alphabet (deterministic), always including Kazakhstan."""
    from trafficking_reports.facts import countries_with_facts

    every = countries_with_facts()
    step = max(1, len(every) // n)
    return sorted(set(every[::step][: n - 1]) | {"KAZ"})[:n]


def naive_one(iso3: str, out: Path) -> str | None:
    """The three commands for one country; returns an error message or None."""
    from trafficking_reports.pdf import CHROMIUM_ARGS, chromium_path
    from trafficking_reports.render import KERNEL_NAME, notebook_path

    folder = out / iso3
    folder.mkdir(parents=True, exist_ok=True)
    nb = folder / f"{iso3}.ipynb"
    commands = [
        [str(BIN / "papermill"), str(notebook_path()), str(nb), "-p", "country", iso3, "-p", "output_dir",
         str(folder), "-k", KERNEL_NAME, "--no-progress-bar"],
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)],
        [chromium_path(), "--headless", *CHROMIUM_ARGS, f"--user-data-dir={folder / '.chromium'}",
         "--no-pdf-header-footer", f"--print-to-pdf={folder / f'{iso3}.pdf'}", (folder / f"{iso3}.html").as_uri()],
    ]
    for cmd in commands:
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode:
            return f"{iso3}: {' '.join(cmd[:2])} failed: {result.stderr.strip().splitlines()[-1:]}"
    return None


def naive(countries: list[str], out: Path, parallel: int) -> tuple[float, list[str]]:
    started = time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        errors = [e for e in pool.map(lambda c: naive_one(c, out), countries) if e]
    return time.perf_counter() - started, errors


def ours(countries: list[str], out: Path, jobs: int) -> tuple[float, list[str], list]:
    from trafficking_reports.build import build

    started = time.perf_counter()
    outcomes = build(countries, out, jobs=jobs, force=True, progress=False)
    seconds = time.perf_counter() - started
    return seconds, [f"{o.iso3}: {o.error}" for o in outcomes if not o.ok], outcomes


def check_outputs(out: Path, countries: list[str]) -> list[str]:
    missing = [f"{c}/{c}.{ext}" for c in countries for ext in ("ipynb", "html", "pdf")
               if not (out / c / f"{c}.{ext}").is_file()]
    return [f"missing {m}" for m in missing]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallelism for both (all cores)")
    args = parser.parse_args()
    countries = pick(args.countries)
    n, jobs = len(countries), args.jobs
    print(f"{n} countries ({' '.join(countries)}), {os.cpu_count()} cores, {args.repeats} repeats, "
          f"parallel ways use {jobs}")
    ways = {
        "naive, serial (papermill CLI, nbconvert --no-input, chromium --print-to-pdf)":
            lambda out: (*naive(countries, out, 1), []),
        f"naive, {jobs} in parallel (same commands, like xargs -P {jobs})":
            lambda out: (*naive(countries, out, jobs), []),
        "ours, jobs=1 (warm kernel and browser)": lambda out: ours(countries, out, 1),
        f"ours, jobs={jobs}": lambda out: ours(countries, out, jobs),
    }
    times: dict[str, list[float]] = {w: [] for w in ways}
    failures: list[str] = []
    stages: list[dict] = []
    names = list(ways)
    with tempfile.TemporaryDirectory() as tmp:
        for repeat in range(args.repeats):
            order = names if repeat % 2 == 0 else names[::-1]  # alternate, so no way always runs warm
            for way in order:
                out = Path(tmp) / f"r{repeat}-{names.index(way)}"
                seconds, errors, outcomes = ways[way](out)
                errors += check_outputs(out, countries)
                failures += [f"{way}: {e}" for e in errors]
                times[way].append(seconds)
                stages += [o.stages | {"seconds": o.seconds} for o in outcomes if o.ok and way.endswith(f"={jobs}")]
                print(f"  repeat {repeat + 1}: {way}: {seconds:.1f} s{' FAILED' if errors else ''}", file=sys.stderr)
    print(f"\n{'way':<82} {'median s':>9} {'s/report':>9}")
    for way, values in times.items():
        median = statistics.median(values)
        print(f"{way:<82} {median:>9.1f} {median / n:>9.2f}")
    if failures:
        print("\nNo ratio: some way failed:\n  " + "\n  ".join(failures[:20]))
        return 1
    med = {w: statistics.median(v) for w, v in times.items()}
    print(f"\nours (jobs={jobs}) against the naive loop in parallel on the same cores: "
          f"{med[names[1]] / med[names[3]]:.1f}x faster; against it serial: {med[names[0]] / med[names[3]]:.1f}x")
    if stages:
        part = {k: statistics.median(s[k] for s in stages) for k in ("execute", "html", "pdf")}
        # The median of each report's own remainder (a difference of medians can come out negative).
        overhead = statistics.median(s["seconds"] - s["execute"] - s["html"] - s["pdf"] for s in stages)
        print(f"per report in a warm worker (median of {len(stages)}): execute {part['execute']:.2f} s, HTML "
              f"{part['html']:.2f} s, PDF {part['pdf']:.2f} s, worker overhead {overhead:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
