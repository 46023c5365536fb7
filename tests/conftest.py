"""Shared fixtures: small data packages and upstream files that the tests build themselves."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from trafficking_reports import facts, schema
from trafficking_reports.countries import CountryResolver
from trafficking_reports.paths import PROJECT_ROOT

DATA = PROJECT_ROOT / "data"
CURATION = PROJECT_ROOT / "curation"
RAW = PROJECT_ROOT.parent / "shared" / "raw"

FACT_HEADER = (",".join(schema.columns("facts", DATA)) + "\n")  # the real schema's header


def clear_caches() -> None:
    CountryResolver.clear_cache()
    facts.clear_caches()
    schema._load.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_caches():
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A full copy of the committed data package, safe to modify, with the curation inputs beside it."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    shutil.copytree(CURATION, tmp_path / "curation")
    return target


@pytest.fixture
def mini_data(tmp_path: Path) -> Path:
    """A tiny valid data package: the real schema and codebook, three countries, two sources."""
    root = tmp_path / "data"
    (root / "facts").mkdir(parents=True)
    (root / "qualitative").mkdir()
    reviewed = tmp_path / "curation" / "countries"  # the M49 importer's reviewed inputs, beside data/
    reviewed.mkdir(parents=True)
    shutil.copy(DATA / "indicators.csv", root / "indicators.csv")
    shutil.copytree(DATA / "geometry", root / "geometry")  # the package's country shapes (x-geometry), for maps
    # The real schema, listing only the fact files that have rows here (a listed file must have rows).
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        resource["path"] = {"facts": ["facts/unodc_glotip.csv"], "qualitative_facts": ["qualitative/policy.csv"]}.get(
            resource["name"], resource["path"])
    (root / "datapackage.json").write_text(json.dumps(package, indent=2), encoding="utf-8")
    shutil.copy(CURATION / "countries" / "report_names.csv", reviewed / "report_names.csv")
    (reviewed / "countries_extra.csv").write_text(
        "iso3,name,m49_code,region,sub_region,intermediate_region,source_id\n"
        "WLD,World,001,,,,unsd_m49\nXKX,Kosovo,,Europe,Southern Europe,,project_curation\n")
    (root / "sources.csv").write_text(
        "source_id,publisher,title,edition,url,date_published,date_accessed,licence,sha256,note\n"
        "project_curation,p,Curation,,repo:docs/data.md,,2026-11-29,CC-BY-4.0,,\n"
        "src_a,Publisher A,Title A,2020,https://example.org/a,2020,2026-11-29,CC-BY-4.0,,\n"
        "unsd_m49,UNSD,M49,,https://unstats.un.org/,,2026-11-29,terms,,\n"
        + next(line for line in (DATA / "sources.csv").read_text(encoding="utf-8").splitlines(keepends=True)
               if line.startswith("natural_earth_admin0_50m,")))  # the shapes' source, cited by every map
    (root / "countries.csv").write_text(
        "iso3,name,m49_code,region,sub_region,intermediate_region,source_id\n"
        "KAZ,Kazakhstan,398,Asia,Central Asia,,unsd_m49\n"
        "KGZ,Kyrgyzstan,417,Asia,Central Asia,,unsd_m49\n"
        "WLD,World,001,,,,unsd_m49\n"
        "XKX,Kosovo,,Europe,Southern Europe,,project_curation\n")
    (root / "country_aliases.csv").write_text(
        "alias,iso3,seen_in,proposed_by,reviewed\nKyrgyz Republic,KGZ,TIP,country_converter,yes\n"
        "KOS,XKX,panel,manual,yes\nKSV,XKX,TI,manual,yes\n")
    for rel in schema.resource("facts", DATA)["path"]:
        (root / rel).write_text(FACT_HEADER)  # unlisted but present, as importers expect
    (root / "qualitative" / "policy.csv").write_text(
        FACT_HEADER + "KAZ,law_articles,2013,,Article 128,exact,text,src_a,secondary,paragraph 2,"
                      "banned by Article 128 of the penal code,,\n")
    (root / "facts" / "unodc_glotip.csv").write_text(
        FACT_HEADER
        + "KAZ,unodc_persons_convicted,2011,,25,exact,persons,src_a,primary,row 1,,transcribed,\n"
        + "KAZ,unodc_persons_convicted,2012,,12,exact,persons,src_a,primary,row 2,,transcribed,\n"
        + "KGZ,unodc_persons_convicted,2012,,<5,censored,persons,src_a,primary,row 3,,transcribed,\n")
    return root


def append_fact(root: Path, line: str, rel: str = "facts/unodc_glotip.csv") -> int:
    """Append one CSV line to a facts file; returns its line number."""
    path = root / rel
    text = path.read_text()
    path.write_text(text + line + "\n")
    return len((text + line).splitlines())


def write_xlsx(path: Path, sheets: dict[str, tuple[list[list], int]]) -> None:
    """Write sheets of rows; the int is how many title rows come before the header."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, (rows, title_rows) in sheets.items():
            frame = pd.DataFrame([["title"] + [None] * (len(rows[0]) - 1)] * title_rows + rows)
            frame.to_excel(writer, sheet_name=name, header=False, index=False)


def gone(process) -> bool:
    """A psutil.Process that has exited (a zombie waiting for init to reap it counts as gone)."""
    import psutil

    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True
