"""A report's sources as BibTeX and CSL-JSON: escaping, secondary copies said, files beside the report."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from trafficking_reports import bibliography
from trafficking_reports.facts import load_sources
from trafficking_reports.report import CountryReport


def record(**changes) -> dict:
    base = {"id": "src_a", "publisher": "Publisher A", "title": "Title A", "edition": "2020",
            "url": "https://example.org/a", "date_published": "2020-06-30", "date_accessed": "2026-11-29",
            "licence": "CC-BY-4.0", "note": ""}
    return base | changes


@pytest.mark.parametrize("text, expected", [
    ("R&D {x} 50% $5 #1 a_b", r"R\&D \{x\} 50\% \$5 \#1 a\_b"),
    (r"back\slash ~ ^", r"back\textbackslash{}slash \textasciitilde{} \textasciicircum{}"),
    ("Côte d’Ivoire", r"C{\^{o}}te d'Ivoire"),
    ("Türkiye, Curaçao, Łódź", r'T{\"{u}}rkiye, Cura{\c{c}}ao, {\L}{\'{o}}d{\'{z}}'),
    ("naïve 2019–2020", r'na{\"{\i}}ve 2019--2020'),
    ("Казахстан", "Казахстан"),  # no TeX form: kept as UTF-8, as the file declares
])
def test_tex_escape(text, expected):
    assert bibliography.tex_escape(text) == expected


def balanced(text: str) -> bool:
    depth = 0
    for char in re.sub(r"\\[{}]", "", text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def test_a_bibtex_entry_has_its_fields_and_balanced_braces():
    entry = bibliography.bibtex_entry(record(title="Index {beta} 100%", note="See a_b."))
    assert entry.startswith("@misc{src_a,\n")
    assert "  author = {{Publisher A}},\n" in entry  # a body, kept whole, never split into names
    assert "  title = {{Index \\{beta\\} 100\\%}},\n" in entry
    assert "  year = {2020},\n  date = {2020-06-30},\n" in entry
    assert "  url = {https://example.org/a},\n  urldate = {2026-11-29},\n" in entry
    assert "  note = {Licence: CC-BY-4.0. See a\\_b.}\n}\n" in entry
    assert balanced(entry)


def test_a_url_is_verbatim_but_cannot_break_the_entry():
    entry = bibliography.bibtex_entry(record(url="https://example.org/a}{c_d%20é\\x"))
    assert "  url = {https://example.org/a%7D%7Bc_d%20%C3%A9%5Cx},\n" in entry
    assert balanced(entry)
    # A URL with a space is no web link (citations.WEB_LINK): it is text, escaped, in the note.
    entry = bibliography.bibtex_entry(record(url="https://example.org/a b}"))
    assert "url =" not in entry and "Location: https://example.org/a b\\}." in entry


@pytest.mark.parametrize("url, said", [
    ("repo:docs/data.md#the-seed", r"In this project's repository: docs/data.md\#the-seed."),
    ("javascript:alert(1)", "Location: javascript:alert(1)."),
])
def test_a_location_that_is_not_a_web_url_is_text_in_the_note_never_a_url(url, said):
    entry = bibliography.bibtex_entry(record(url=url))
    assert "url =" not in entry and said in entry
    item = bibliography.csl_item(record(url=url))
    assert "URL" not in item and item["note"].startswith(said.replace("\\#", "#"))


def test_csl_json_items_with_dates_as_parts():
    items = json.loads(bibliography.csl_json([record(), record(id="b", date_published="2014-01", url="repo:x"),
                                              record(id="c", date_published="", licence="")]))
    assert items[0] == {"id": "src_a", "type": "document", "title": "Title A", "author": [{"literal": "Publisher A"}],
                        "publisher": "Publisher A", "version": "2020", "issued": {"date-parts": [[2020, 6, 30]]},
                        "accessed": {"date-parts": [[2026, 11, 29]]}, "URL": "https://example.org/a",
                        "license": "CC-BY-4.0"}
    assert items[1]["issued"] == {"date-parts": [[2014, 1]]}
    assert "issued" not in items[2] and "license" not in items[2]


def facts(*copies: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(copies, columns=["source_id", "copy_type"])


def test_a_secondary_copy_says_so_and_a_primary_one_says_nothing():
    used = facts(("a", "secondary"), ("a", "secondary"), ("b", "primary"), ("c", "primary"), ("c", "secondary"))
    assert bibliography.copy_note("a", used).startswith("Secondary copy:")
    assert bibliography.copy_note("b", used) == ""
    assert bibliography.copy_note("c", used).startswith("Partly a secondary copy: 1 of the 2 facts")
    assert bibliography.copy_note("d", used) == ""  # cited as a whole (no fact rows): nothing to say


def test_records_follow_the_citation_order_and_refuse_a_key_bibtex_cannot_hold():
    sources = pd.DataFrame([record(id="x"), record(id="y", note="Compiled by someone.")]).rename(
        columns={"id": "source_id"})
    used = facts(("y", "secondary"))
    out = bibliography.records(sources, ["y", "x"], used)
    assert [r["id"] for r in out] == ["y", "x"]
    assert out[0]["note"].startswith("Secondary copy:") and out[0]["note"].endswith("Compiled by someone.")
    bad = pd.concat([sources, pd.DataFrame([{"source_id": "a b,c"}])])
    with pytest.raises(ValueError, match="'a b,c'"):
        bibliography.records(bad, ["a b,c"], used)


@pytest.fixture(scope="module")
def kazakhstan_files(tmp_path_factory):
    out = tmp_path_factory.mktemp("KAZ")
    report = CountryReport("Kazakhstan", output_dir=out)
    report.save_appendix()
    return report, out


def test_the_report_writes_its_cited_sources_beside_the_facts_csv(kazakhstan_files):
    report, out = kazakhstan_files
    assert sorted(p.name for p in out.iterdir()) == ["KAZ.sources.bib", "KAZ.sources.json", "KAZ_facts.csv"]
    bib = (out / "KAZ.sources.bib").read_text(encoding="utf-8")
    keys = re.findall(r"^@misc\{([^,]+),$", bib, re.M)
    # Exactly the sources of the report's Sources list, in its order.
    listed = re.findall(r'<span class="source-id">\[([^\]]+)\]</span>', report.html("sources_section"))
    assert keys == listed and len(keys) > 5
    items = json.loads((out / "KAZ.sources.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in items] == listed
    assert balanced(bib)


def test_sources_the_report_read_in_a_secondary_copy_say_so_in_both_files(kazakhstan_files):
    report, out = kazakhstan_files
    used = report.used_facts
    secondary = set(used.loc[used["copy_type"] == "secondary", "source_id"])
    assert secondary  # KAZ reads early tiers in a compiled panel
    items = {i["id"]: i for i in json.loads((out / "KAZ.sources.json").read_text(encoding="utf-8"))}
    for source_id, item in items.items():
        assert ("secondary copy" in item.get("note", "").lower()) == (source_id in secondary), source_id
    bib = (out / "KAZ.sources.bib").read_text(encoding="utf-8")
    for source_id in secondary:
        entry = bib.split(f"@misc{{{source_id},")[1].split("\n}\n")[0]
        assert "econdary copy" in entry


def test_the_files_are_the_same_bytes_when_written_again(kazakhstan_files, tmp_path):
    _, out = kazakhstan_files
    CountryReport("Kazakhstan", output_dir=tmp_path).save_appendix()
    for name in ("KAZ.sources.bib", "KAZ.sources.json", "KAZ_facts.csv"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name
    assert not list(tmp_path.glob(".*.part"))


def test_the_report_links_the_files_on_screen_and_names_them_in_print(kazakhstan_files):
    report, _ = kazakhstan_files
    html = report.html("data_appendix")
    for name in ("KAZ_facts.csv", "KAZ.sources.bib", "KAZ.sources.json"):
        assert f'<a class="download" href="{name}">{name}</a>' in html
        assert name in html.split('<span class="print-only">')[1]
    assert "download" not in CountryReport("Kazakhstan").html("data_appendix")  # no folder, no files, no links


def test_every_source_in_the_data_can_be_written(tmp_path):
    """Each sources.csv row makes a valid key, balanced BibTeX and JSON (guards against a new row breaking it)."""
    sources = load_sources()
    ids = list(sources["source_id"])
    records = bibliography.records(sources, ids, facts())
    assert balanced(bibliography.bibtex(records))
    assert [i["id"] for i in json.loads(bibliography.csl_json(records))] == ids
