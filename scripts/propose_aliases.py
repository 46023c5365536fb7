"""Propose ISO3 codes for every country name met in the upstream files (dev tool).

country_converter (offline) proposes; a person reviews the output and commits the
accepted rows to data/country_aliases.csv with reviewed=yes. Reports and importers
never call country_converter: they only read the reviewed table.

    python scripts/propose_aliases.py [--raw-dir ../shared/raw] [--extra names.txt] > proposals.csv
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import pandas as pd

from trafficking_reports.countries import CountryResolver
from trafficking_reports.paths import raw_dir

# (file, reader, column) for every upstream file that names countries.
NAME_COLUMNS = [
    ("unodc_glotip/data_glotip.xlsx", "xlsx:2", "Country"),
    ("ti_cpi/CPI2023_GlobalResultsTrends.xlsx", "xlsx:CPI Historical (internal):3", "Country / Territory"),
    ("ti_cpi/cpi_scores_1995_2023.csv", "csv", "country"),
    ("tip_tiers/map_tiers.csv", "csv", "countryname"),
    ("tip_tiers/tiers_2015.csv", "csv", "countryname"),
    ("tip_tiers/year_joined.csv", "csv", "country_name"),
    ("un_m49/iso3166_m49_regions.csv", "csv", "name"),
]


def names_in(root: Path) -> dict[str, str]:
    seen: dict[str, str] = {}
    for rel, reader, column in NAME_COLUMNS:
        path = root / rel
        if reader == "csv":
            df = pd.read_csv(path, dtype=str, keep_default_na=False)
        else:
            parts = reader.split(":")
            sheet = parts[1] if len(parts) == 3 else 0
            df = pd.read_excel(path, sheet_name=sheet, header=int(parts[-1]), dtype=str)
        for name in df[column].dropna().unique():
            seen.setdefault(str(name).strip(), rel)
    return seen


def main() -> int:
    import country_converter as coco

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, default=raw_dir())
    parser.add_argument("--extra", type=Path, help="a text file of further names, one a line")
    args = parser.parse_args()
    seen = names_in(args.raw_dir)
    if args.extra:
        for line in args.extra.read_text(encoding="utf-8").splitlines():
            if line.strip():
                seen.setdefault(line.strip(), args.extra.name)
    resolver = CountryResolver.from_data()
    converter = coco.CountryConverter()
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["alias", "iso3", "seen_in", "proposed_by", "already_known"])
    for name, where in sorted(seen.items()):
        known = resolver.iso3_or_none(name)
        proposal = converter.convert(name, to="ISO3", not_found="")
        writer.writerow([name, known or proposal, where, "country_converter", "yes" if known else ""])
    return 0


if __name__ == "__main__":
    sys.exit(main())
