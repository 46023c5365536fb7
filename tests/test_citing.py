"""Reports people can cite: "How to cite" in every report and the overview, the publish URL setting,
CITATION.cff, and the build knowing the sources' files are outputs of a report."""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml

from trafficking_reports import build_state, hashing, provenance
from trafficking_reports.overview import GlobalOverview
from trafficking_reports.paths import PROJECT_ROOT, report_outputs
from trafficking_reports.report import SECTIONS, CountryReport
from trafficking_reports.report.citing import AUTHORS


@pytest.fixture
def no_setting(monkeypatch, tmp_path):
    """No TR_PUBLISH_URL and a checkout whose pyproject has no publish-url."""
    monkeypatch.delenv(provenance.PUBLISH_URL_ENV, raising=False)
    monkeypatch.setattr(provenance, "PROJECT_ROOT", tmp_path)
    return tmp_path


def test_the_publish_url_defaults_to_a_visible_placeholder(no_setting):
    assert provenance.publish_url() == "<URL where these reports are published>"


def test_the_environment_sets_the_publish_url(no_setting, monkeypatch):
    monkeypatch.setenv("TR_PUBLISH_URL", "https://example.org/reports/")
    assert provenance.publish_url() == "https://example.org/reports"


def test_pyproject_sets_it_and_the_environment_wins(no_setting, monkeypatch):
    (no_setting / "pyproject.toml").write_text('[tool.trafficking-reports]\npublish-url = "https://a.example/r"\n')
    assert provenance.publish_url() == "https://a.example/r"
    monkeypatch.setenv("TR_PUBLISH_URL", "https://b.example")
    assert provenance.publish_url() == "https://b.example"


@pytest.mark.parametrize("value", ["javascript:alert(1)", "example.org/reports", "https://a b"])
def test_a_publish_url_that_is_not_a_web_url_is_refused_by_name(no_setting, monkeypatch, value):
    monkeypatch.setenv("TR_PUBLISH_URL", value)
    with pytest.raises(ValueError, match="TR_PUBLISH_URL"):
        provenance.publish_url()


def test_the_committed_pyproject_leaves_the_setting_empty():
    """A guessed address would be printed in every report: only whoever publishes them may set it."""
    with open(PROJECT_ROOT / "pyproject.toml", "rb") as handle:
        assert tomllib.load(handle)["tool"]["trafficking-reports"]["publish-url"] == ""


def test_changing_the_publish_url_rebuilds_every_report(monkeypatch):
    monkeypatch.delenv("TR_PUBLISH_URL", raising=False)
    before = hashing.tree_digest(), hashing.code_digest()
    monkeypatch.setenv("TR_PUBLISH_URL", "https://example.org/r")
    after = hashing.tree_digest(), hashing.code_digest()
    assert before[0] != after[0] and before[1] != after[1]


def test_how_to_cite_ends_the_country_report(monkeypatch):
    monkeypatch.delenv("TR_PUBLISH_URL", raising=False)
    assert SECTIONS[-1] == "how_to_cite"
    report = CountryReport("Kazakhstan")
    html = report.html("how_to_cite")
    text = re.sub(r"<[^>]+>", "", html)
    assert (f"{AUTHORS}. Anti-trafficking efforts in Kazakhstan. Edition of {provenance.build_date()} (commit "
            f"{provenance.commit()}, data version {report.data_version}). "
            f"&lt;URL where these reports are published&gt;/KAZ/KAZ.html.") in text
    assert "@misc{trafficking_reports_KAZ_" in html


def test_the_edition_is_the_commit_date_and_the_url_the_setting(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    monkeypatch.setenv("TR_PUBLISH_URL", "https://example.org/r")
    provenance.build_datetime.cache_clear()
    try:
        model = CountryReport("Kazakhstan").model("how_to_cite")
    finally:
        provenance.build_datetime.cache_clear()
    assert model["edition"] == "2023-11-14" and model["url"] == "https://example.org/r/KAZ/KAZ.html"
    assert "  url = {https://example.org/r/KAZ/KAZ.html},\n" in model["bibtex"]
    assert "@misc{trafficking_reports_KAZ_2023_11_14," in model["bibtex"]


def test_the_same_commit_gives_the_same_citation():
    first = CountryReport("Kazakhstan").html("how_to_cite")
    assert CountryReport("Kazakhstan").html("how_to_cite") == first


def test_the_overview_ends_with_how_to_cite(monkeypatch):
    monkeypatch.setenv("TR_PUBLISH_URL", "https://example.org/r")
    html = GlobalOverview().how_to_cite()
    assert "<h2>How to cite</h2>" in html
    assert "Anti-trafficking efforts worldwide: an overview" in html
    assert "https://example.org/r/global_overview/global_overview.html" in html
    assert "download" not in html  # no sources' files beside the overview


def test_a_report_missing_its_sources_file_is_rebuilt(tmp_path):
    folder = tmp_path / "KAZ"
    folder.mkdir()
    for name in report_outputs("KAZ").values():
        (folder / name).write_text("x")
    build_state.write_stamp(folder, "KAZ", "digest", build_state.default_parameters("KAZ"))
    assert build_state.up_to_date(tmp_path, "KAZ", "digest")
    (folder / "KAZ.sources.bib").unlink()
    assert not build_state.up_to_date(tmp_path, "KAZ", "digest")


def test_the_no_op_check_needs_every_recorded_output(tmp_path, monkeypatch):
    outputs = ["KAZ/" + name for name in report_outputs("KAZ").values()]
    for rel in outputs:
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text("x")
    build_state.record(tmp_path, hashing.tree_digest(), ["KAZ"], outputs)
    assert build_state.is_current(tmp_path) == (True, 1)
    (tmp_path / "KAZ" / "KAZ.sources.json").unlink()
    assert build_state.is_current(tmp_path) == (False, 0)


# -- CITATION.cff ---------------------------------------------------------------------------------
# The maintained validator, cffconvert 2.0.0, requires jsonschema<4, which conflicts with the pinned
# jsonschema 4.26 Jupyter needs: it is not a dependency. These checks are the schema's required keys
# and the types of the keys used; `cffconvert --validate` passed on this file in a separate venv.

@pytest.fixture(scope="module")
def cff() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def cff_problems(cff: dict) -> list[str]:
    problems = [f"missing {key}" for key in ("cff-version", "message", "title", "authors") if key not in cff]
    if cff.get("cff-version") != "1.2.0":
        problems.append("cff-version must be the string 1.2.0")
    for key in ("message", "title", "abstract", "version", "license"):
        if key in cff and not (isinstance(cff[key], str) and cff[key].strip()):
            problems.append(f"{key} must be a non-empty string")
    if cff.get("type", "software") not in ("software", "dataset"):
        problems.append("type must be software or dataset")
    authors = cff.get("authors")
    if not isinstance(authors, list) or not authors or not all(
            isinstance(a, dict) and (a.get("name") or a.get("family-names") or a.get("given-names")) for a in authors):
        problems.append("authors must list persons (family-names, given-names) or entities (name)")
    for key in ("repository-code", "url"):
        if key in cff and not re.match(r"^https?://\S+$", str(cff[key])):
            problems.append(f"{key} must be a URL")
    return problems


def test_citation_cff_has_the_required_keys(cff):
    assert cff_problems(cff) == []


@pytest.mark.parametrize("broken", [{"authors": []}, {"cff-version": 1.2}, {"title": None},
                                    {"repository-code": "<URL of the repository>"}, {"type": "book"}])
def test_the_cff_check_catches_a_broken_file(cff, broken):
    assert cff_problems(cff | broken)


def test_citation_cff_agrees_with_the_project(cff):
    with open(PROJECT_ROOT / "pyproject.toml", "rb") as handle:
        project = tomllib.load(handle)["project"]
    assert cff["version"] == project["version"]
    assert cff["license"] == project["license"]["text"]
    assert cff["authors"] == [{"name": AUTHORS}]  # the same entity the reports' "How to cite" names

