"""Command line: python -m trafficking_reports <command> (or the trafficking-reports script)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from . import paths


def cmd_import_data(args) -> int:
    from .importers.run_all import run_all

    print(f"Importing from {args.raw_dir} into {args.data_dir}")
    run_all(args.raw_dir, args.data_dir)
    return 0


def cmd_import_narratives(args) -> int:
    from .importers.narratives import import_narratives

    import_narratives(args.data_dir, args.batches)
    return 0


def cmd_check_data(args) -> int:
    from .validate import validate

    problems = validate(args.data_dir)
    if problems:
        for p in problems[:200]:
            print(p, file=sys.stderr)
        if len(problems) > 200:
            print(f"... and {len(problems) - 200} more", file=sys.stderr)
        print(f"check-data: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    from .validate import load_tables

    tables, _ = load_tables(args.data_dir)
    sizes = ", ".join(f"{name} {len(df)}" for name, df in tables.items())
    print(f"check-data: OK ({sizes} rows)")
    return 0


def cmd_conflicts(args) -> int:
    from .validate import conflicts, copy_agreement

    agreement = copy_agreement(args.data_dir)
    print("Values that a primary copy from another source also gives (by source):")
    print(agreement.to_string(index=False) if not agreement.empty else "  none")
    print()
    table = conflicts(args.data_dir)
    if table.empty:
        print("No conflicts: no two sources give different values for the same country, indicator and period.")
        return 0
    groups = table.groupby(["country_iso3", "indicator", "period"]).ngroups
    print(f"{groups} country-indicator-period triple(s) with differing values (all kept):")
    print(table.to_string(index=False))
    return 0


def cmd_notebooks(args) -> int:
    from .notebooks import write_all

    for path in write_all():
        print(f"wrote {path}")
    return 0


def cmd_coverage(args) -> int:
    from .coverage import coverage_markdown

    text = coverage_markdown(args.data_dir)
    print(text)
    if args.write:
        Path(args.write).write_text(text + "\n", encoding="utf-8")
        print(f"(written to {args.write})", file=sys.stderr)
    return 0


def cmd_report(args) -> int:
    if args.region is not None:
        if args.country or args.first_year or args.last_year:
            raise SystemExit("error: --region takes no country, --first-year or --last-year")
    elif not args.country:
        raise SystemExit("error: name a country, or a region with --region")
    # The kernel first (this module needs only jupyter_client): it boots and imports the report's modules
    # in its own process while this one imports pandas, nbconvert and playwright.
    from .kernel import fresh_kernel

    with fresh_kernel() as kernel:
        from .build import report_one, report_region

        if args.region is not None:
            result = report_region(args.region, args.out, kernel)
            print(f"{result['region']}: {result['html']} and {result['pdf']}")
        else:
            result = report_one(args.country, args.out, args.first_year, args.last_year, kernel)
            print(f"{result['iso3']}: {result['html']} and {result['pdf']}")
    return 0


def cmd_build(args) -> int:
    if not args.country and not args.region and not args.force:
        from .build_state import is_current

        current, count = is_current(args.out.resolve())
        if current:
            print(f"Nothing to do: {count} country reports, the regional reports, the index and the overview are up to "
                  "date.")
            return 0
    from .build import main as build_main

    return build_main(args)


def cmd_countries(args) -> int:
    from .countries import CountryResolver
    from .facts import countries_with_facts

    resolver = CountryResolver.from_data()
    for iso3 in countries_with_facts():
        print(f"{iso3}  {resolver.name(iso3)}")
    return 0


def out_dir(value: str) -> Path:
    """An empty --out (an empty REPORTS in make) would write reports into the current directory."""
    if not value.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return Path(value)


def jobs(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 (all cores) or more")
    return number


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="trafficking-reports", description=__doc__)
    p.add_argument("--data-dir", type=Path, default=paths.data_dir(), help="data package (default: data/)")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("import-data", help="re-run the importers on the upstream files")
    s.add_argument("--raw-dir", type=Path, default=paths.raw_dir(), help="default: ../shared/raw or TR_RAW_DIR")
    s.set_defaults(func=cmd_import_data)

    s = sub.add_parser("import-narratives", help="turn the gathered narrative rows into facts")
    s.add_argument("--batches", type=Path, default=None, help="default: curation/narratives beside the data folder")
    s.set_defaults(func=cmd_import_narratives)

    s = sub.add_parser("check-data", help="validate data/ against its schema and the domain rules")
    s.set_defaults(func=cmd_check_data)

    s = sub.add_parser("conflicts", help="list facts where sources give different values")
    s.set_defaults(func=cmd_conflicts)

    s = sub.add_parser("coverage", help="print countries x years covered for each indicator")
    s.add_argument("--write", help="also write the table to this Markdown file")
    s.set_defaults(func=cmd_coverage)

    s = sub.add_parser("report", help="build one country's or region's report (notebook, HTML, PDF)")
    s.add_argument("country", nargs="?", help="name, alias or ISO3 code, e.g. Kazakhstan, 'Kyrgyz Republic', CIV")
    s.add_argument("--region", help="a UN M49 sub-region or intermediate region instead, e.g. 'Central Asia'")
    s.add_argument("--first-year", type=int)
    s.add_argument("--last-year", type=int)
    s.add_argument("--out", type=out_dir, default=paths.reports_dir())
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("build", help="build every country's and region's report, in parallel and incrementally")
    s.add_argument("--all", action="store_true", help="every country that has facts and every region (default)")
    s.add_argument("--country", action="append", default=[], help="one country; repeat for more")
    s.add_argument("--region", action="append", default=[], help="one region; repeat for more")
    s.add_argument("--jobs", type=jobs, default=0, help="worker processes (default: all cores)")
    s.add_argument("--out", type=out_dir, default=paths.reports_dir())
    s.add_argument("--force", action="store_true", help="rebuild even if up to date")
    s.add_argument("--no-index", action="store_true", help="skip the index page and global overview")
    s.set_defaults(func=cmd_build)

    s = sub.add_parser("notebooks", help="write notebooks/*.ipynb from the package's section lists")
    s.set_defaults(func=cmd_notebooks)

    s = sub.add_parser("countries", help="list the countries that have facts")
    s.set_defaults(func=cmd_countries)
    return p


def _terminate(signum, frame) -> None:
    from .errors import Interrupted

    signal.signal(signum, signal.SIG_IGN)  # one clean-up at a time; kill -9 still works
    raise Interrupted(signum)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from .errors import USER_ERRORS

    previous_data_dir = os.environ.get("TR_DATA_DIR")
    if getattr(args, "data_dir", None):
        # Every reader of the data (this process, build workers, notebook kernels) finds it here.
        os.environ["TR_DATA_DIR"] = str(Path(args.data_dir).resolve())
    try:  # SIGTERM (kill, a CI timeout) unwinds like Ctrl-C: workers, kernels and partial files go
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread (tests): leave signals alone
        previous = None
    try:
        return args.func(args)
    except USER_ERRORS as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as err:
        from .supervisor import descendants, kill_tree

        kill_tree(descendants())  # a kernel or browser this process started and did not get to stop
        signum = getattr(err, "signum", signal.SIGINT)
        print("interrupted" if signum == signal.SIGINT else f"stopped by {signal.Signals(signum).name}",
              file=sys.stderr)
        return 128 + signum
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        # main() also runs inside other processes (tests, notebooks): leave their environment as it was
        if previous_data_dir is None:
            os.environ.pop("TR_DATA_DIR", None)
        else:
            os.environ["TR_DATA_DIR"] = previous_data_dir


if __name__ == "__main__":
    sys.exit(main())
