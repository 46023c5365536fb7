"""The report's shape: section models hold values and fact rows (no HTML), footnotes number in reading
order in one pass, the committed notebooks are the ones the package generates."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from trafficking_reports import notebooks
from trafficking_reports.paths import notebooks_dir
from trafficking_reports.report import SECTIONS, CountryReport
from trafficking_reports.report.footnotes import Cited, FigureSpec


@pytest.fixture(scope="module")
def kazakhstan():
    return CountryReport("Kazakhstan")


def values(model):
    """Every leaf of a model, for checking that none is HTML."""
    if isinstance(model, dict):
        for v in model.values():
            yield from values(v)
    elif isinstance(model, (list, tuple)):
        for v in model:
            yield from values(v)
    else:
        yield model


def assert_no_html(model: dict, name: str) -> None:
    for leaf in values(model):
        text = leaf.text if isinstance(leaf, Cited) else leaf
        if isinstance(text, str):
            assert not re.search(r"<(sup|p|td|a|strong|li)\b", text), f"{name}: HTML in the model: {text[:80]}"


@pytest.mark.parametrize("name", [s for s in SECTIONS if s not in ("sources_section",)])
def test_section_models_hold_values_not_html(kazakhstan, name):
    assert_no_html(kazakhstan.model(name), name)


def test_a_model_says_which_facts_back_each_value(kazakhstan):
    model = kazakhstan.model("key_findings")
    assert model["cpi"]["score"].text == "38" and model["cpi"]["year"] == 2025
    assert set(model["cpi"]["score"].rows["source_id"]) == {"ti_cpi_2025"}
    assert (model["cpi"]["rank"].text, model["cpi"]["of"].text) == ("96", "182")
    tiers = kazakhstan.model("tier_section")
    assert isinstance(tiers["figure"], FigureSpec)
    first = tiers["listing"][0]
    assert (first["year"], first["tier"].text, first["secondary"]) == (2001, "Tier 3", True)
    assert isinstance(first["tier"].rows, pd.DataFrame) and len(first["tier"].rows) == 1


def test_footnotes_are_numbered_in_reading_order(kazakhstan):
    html = "".join(kazakhstan.html(name) for name in SECTIONS)
    first_seen = []
    for number in map(int, re.findall(r'class="fn" href="#src-(\d+)"', html)):
        if number not in first_seen:
            first_seen.append(number)
    assert first_seen == list(range(1, len(first_seen) + 1))
    listed = re.findall(r'<li id="src-(\d+)" value="(\d+)">', html)
    assert [int(a) for a, _ in listed] == first_seen and all(a == b for a, b in listed)


def test_every_fact_shown_is_in_the_appendix_once(kazakhstan):
    used = kazakhstan.used_facts
    assert not used.duplicated().any()
    assert {"tip_tier", "cpi_score", "gsi_prevalence_per_1000", "tip_protocol_consent"} <= set(used["indicator"])
    assert list(used.columns)[-5:] == ["copy_type", "locator", "quote", "value_rule", "note"]


def test_the_appendix_gives_each_fact_in_one_row_of_three_cells(kazakhstan):
    from markupsafe import escape

    html = kazakhstan.html("data_appendix")
    assert re.findall(r"<th(?: [^>]*)?>(.*?)</th>", html) == ["Fact", "Value", "Source and where read"]
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", html)
    used = kazakhstan.used_facts
    assert len(rows) == len(used)
    for row, fact in zip(rows, used.itertuples()):
        what, value, source = row.split("</td><td>")
        assert what.startswith(f"{fact.country_iso3} {fact.indicator} {fact.period}")
        assert value.startswith(str(escape(fact.value)))
        assert source.startswith(str(escape(fact.source_id)))
        assert all(str(escape(part)) in source for part in (fact.locator, fact.quote, fact.value_rule))


def test_unknown_section_names_the_known_ones(kazakhstan):
    with pytest.raises(KeyError, match="tier_section"):
        kazakhstan.html("tier_sectoin")


@pytest.mark.parametrize("name", sorted(notebooks.NOTEBOOKS))
def test_committed_notebooks_are_the_generated_ones(name):
    committed = (notebooks_dir() / name).read_text(encoding="utf-8")
    assert committed == notebooks.generated(name), (
        f"notebooks/{name} differs from what the package generates: run `python -m trafficking_reports notebooks`")


def test_a_misspelt_notebook_parameter_is_refused():
    from trafficking_reports.errors import ReportParameterError
    from trafficking_reports.report import check_parameters

    check_parameters({"country": "UZB", "first_year": None, "last_year": None, "output_dir": "", "In": [],
                      "_": None, "display": print})
    with pytest.raises(ReportParameterError, match="unknown parameter.* contry; the notebook takes country"):
        check_parameters({"country": "Kazakhstan", "contry": "Uzbekistan"})
