"""Benchmark: the naive per-country loop against our batch build, on the same N countries.

Prints seconds per report (HTML and PDF) for each way and the ratios. Run with
`make bench` (N=20 by default) or `python bench/bench_build.py --countries 20`.

The naive loop is what a user writes first: per country, the papermill CLI, then
`jupyter nbconvert --to html` and `jupyter nbconvert --to pdf` (nbconvert's LaTeX
exporter, which needs xelatex). A second naive loop swaps the LaTeX step for our PDF
route from the command line: headless Chromium printing nbconvert's HTML.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from trafficking_reports.build import build
from trafficking_reports.facts import countries_with_facts
from trafficking_reports.render import CHROMIUM_ARGS, KERNEL_NAME, chromium_path, notebook_path

BIN = Path(sys.executable).parent


def pick(n: int) -> list[str]:
    """N countries spread over the alphabet (deterministic), always including Kazakhstan."""
    every = countries_with_facts()
    step = max(1, len(every) // n)
    chosen = every[::step][: n - 1]
    return sorted(set(chosen) | {"KAZ"})[:n]


def run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{result.stderr[-2000:]}")


def naive(countries: list[str], out: Path, pdf: str) -> float:
    started = time.perf_counter()
    for i, iso3 in enumerate(countries, 1):
        folder = out / iso3
        folder.mkdir(parents=True, exist_ok=True)
        nb = folder / f"{iso3}.ipynb"
        run([str(BIN / "papermill"), str(notebook_path()), str(nb), "-p", "country", iso3, "-p", "output_dir",
             str(folder), "-k", KERNEL_NAME, "--no-progress-bar"])
        run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(nb)])
        if pdf == "latex":
            run([str(BIN / "jupyter"), "nbconvert", "--to", "pdf", str(nb)])
        else:
            run([chromium_path(), "--headless", *CHROMIUM_ARGS, f"--user-data-dir={out / '.chromium'}",
                 "--no-pdf-header-footer", f"--print-to-pdf={folder / f'{iso3}.pdf'}",
                 (folder / f"{iso3}.html").as_uri()])
        print(f"    {i}/{len(countries)} {iso3}", file=sys.stderr, end="\r")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=0, help="our build's workers (default: all cores)")
    parser.add_argument("--skip-latex", action="store_true", help="leave out the naive loop with LaTeX")
    args = parser.parse_args()
    countries = pick(args.countries)
    n = len(countries)
    print(f"{n} countries: {' '.join(countries)}; {os.cpu_count()} cores")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.skip_latex or not shutil.which("xelatex"):
            print("naive loop with nbconvert's LaTeX PDF: skipped (xelatex not installed; "
                  "apt-get install texlive-xetex texlive-fonts-recommended texlive-plain-generic pandoc)")
        else:
            results["naive (papermill + nbconvert html + nbconvert pdf/LaTeX)"] = naive(countries, tmp / "a", "latex")
        results["naive, our PDF route (papermill + nbconvert html + chromium CLI)"] = naive(countries, tmp / "b",
                                                                                          "chromium")
        started = time.perf_counter()
        outcomes = build(countries, tmp / "c", jobs=args.jobs, force=True, progress=False)
        results["our build (python -m trafficking_reports build)"] = time.perf_counter() - started
        failed = [o.iso3 for o in outcomes if not o.ok]
        if failed:
            print(f"our build failed for {failed}")
    ours = results["our build (python -m trafficking_reports build)"] / n
    print(f"\n{'way':<62} {'s/report':>9} {'ratio':>7}")
    for name, seconds in results.items():
        per = seconds / n
        print(f"{name:<62} {per:>9.2f} {per / ours:>6.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
