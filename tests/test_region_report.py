"""End to end: the region notebook run by the batch build for Central Asia into a temp dir, rendered to
HTML and PDF, read back as a user would; then the same build again does nothing, and a failing region
is an item of the summary."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import nbformat
import pytest

from conftest import append_fact, clear_caches
from test_report_integration import pdf_text
from trafficking_reports.build import build, summary
from trafficking_reports.regions import resolve_region
from trafficking_reports.render import notebook_path

pytestmark = pytest.mark.integration
CENTRAL_ASIA = ("Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan")
# Words of the templates that carry digits but are not values: scale ends, units, notations, editions.
TEMPLATE_PHRASES = ("2012+ scale", "0 = highly corrupt", "100 = very clean", "per 1,000", "as <5", "Index 2023")
NOT_VALUES = re.compile(r"\bTier [123]\b|\b(19|20)\d\d\b")  # tier names and years


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("reports")
    region = resolve_region("Central Asia")
    outcomes = build([], out, jobs=1, progress=False, regions=[region])
    folder = out / "regions" / "central-asia"
    return {"out": out, "region": region, "outcomes": outcomes, "html": folder / "central-asia.html",
            "pdf": folder / "central-asia.pdf", "csv": folder / "central-asia_facts.csv"}


def test_the_build_makes_html_pdf_and_facts_csv(built):
    [outcome] = built["outcomes"]
    assert outcome.ok and outcome.iso3 == "Central Asia (region)"
    assert built["html"].stat().st_size > 10_000 and built["pdf"].stat().st_size > 10_000
    assert built["csv"].read_text().count("\n") > 10
    assert not list(built["html"].parent.glob(".*.part*"))


def test_the_five_countries_appear_in_every_table(built):
    text = pdf_text(built["pdf"])
    assert "Anti-trafficking efforts in Central Asia" in text
    for name in CENTRAL_ASIA:
        assert text.count(name) >= 5, name  # members list, latest placements, and the tier, count, CPI tables
    page = built["html"].read_text(encoding="utf-8")
    assert "<title>Anti-trafficking efforts in Central Asia</title>" in page
    assert "RegionReport(" not in page and "display(HTML" not in page  # no code


def units(section: str) -> list[str]:
    """A section's table cells and sentences, with each footnote marker as ¶ and no other markup."""
    marked = re.sub(r"<sup>.*?</sup>", "¶", section)
    cells = re.findall(r"<td>(.*?)</td>", marked)
    prose = re.findall(r"<p>(.*?)</p>", marked)
    sentences = [s for p in prose for s in re.split(r"(?<=[a-z)¶])\. ", p)]
    return [html_lib.unescape(re.sub(r"<[^>]+>", " ", u)) for u in cells + sentences]


def test_every_number_shown_has_a_footnote(built):
    page = built["html"].read_text(encoding="utf-8")
    sections = re.split(r"<h2[^>]*>", page)[1:]
    checked = 0
    for section in sections:
        title = re.sub(r"<[^>]+>", "", section.split("</h2>", 1)[0])
        if title in ("Sources", "Data appendix", "Methods and caveats"):
            continue
        for unit in units(section.split("</h2>", 1)[1]):
            text = unit
            for phrase in TEMPLATE_PHRASES:
                text = text.replace(phrase, "")
            text = NOT_VALUES.sub("", text)
            for number in re.finditer(r"<?\d[\d,.]*", text):
                checked += 1
                assert "¶" in text[number.end():], f"{title}: {number.group()} without a footnote in: {unit!r}"
    assert checked > 40  # tables and prose were read
    cited = set(re.findall(r'href="#src-(\d+)"', page))
    assert cited == set(re.findall(r'<li id="src-(\d+)"', page))


def test_a_second_build_with_nothing_changed_does_nothing(built):
    before = {p: p.read_bytes() for p in (built["html"], built["pdf"])}
    again = build([], built["out"], jobs=1, progress=False, regions=[built["region"]])
    assert again == []
    assert {p: p.read_bytes() for p in before} == before


def test_a_failing_region_is_an_item_of_the_summary(tmp_path):
    nb = nbformat.read(notebook_path("region_report.ipynb"), as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])) + 1
    nb.cells.insert(at, nbformat.v4.new_code_cell('raise RuntimeError("deliberate failure for " + region)'))
    failing = tmp_path / "failing_region.ipynb"
    nbformat.write(nb, failing)
    out = tmp_path / "reports"
    region = resolve_region("Central Asia")
    [outcome] = build([], out, jobs=1, progress=False, regions=[region], region_notebook=failing)
    assert not outcome.ok and "deliberate failure for Central Asia" in outcome.error
    text = summary([outcome.iso3], [outcome], 1.0)
    assert "0 built, 0 up to date, 1 failed" in text and "FAILED Central Asia (region)" in text
    assert Path(outcome.notebook).exists()
    assert not (out / "regions" / "central-asia" / "central-asia.html").exists()


def test_build_all_makes_every_region_with_the_countries_and_then_does_nothing(tmp_path, mini_data, monkeypatch,
                                                                              capsys):
    """`make` on a small package: its countries, its regions, the overview and the index; then a no-op."""
    import time

    from test_region_model import SMALL_FACTS
    from trafficking_reports.cli import main

    monkeypatch.setenv("TR_DATA_DIR", str(mini_data))
    for line in SMALL_FACTS:  # tiers and CPI scores, which the global overview needs
        append_fact(mini_data, line)
    clear_caches()
    out = tmp_path / "reports"
    args = ["--data-dir", str(mini_data), "build", "--all", "--jobs", "2", "--out", str(out)]
    assert main(args) == 0
    built = capsys.readouterr().out
    assert "4 built, 0 up to date, 0 failed" in built  # KAZ, KGZ, Central Asia, Southern Europe
    for path in ("KAZ/KAZ.pdf", "KGZ/KGZ.pdf", "regions/central-asia/central-asia.pdf",
                 "regions/southern-europe/southern-europe.pdf", "global_overview/global_overview.pdf"):
        assert (out / path).exists(), path
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="regions/central-asia/central-asia.html"' in index
    assert 'href="regions/southern-europe/southern-europe.pdf"' in index
    clear_caches()
    started = time.perf_counter()
    assert main(args) == 0
    assert time.perf_counter() - started < 1.0
    assert "Nothing to do" in capsys.readouterr().out
