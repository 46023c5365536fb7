"""The regional report's section models on a small data package: values with the fact rows behind them,
"no figure" (never 0) where nothing is reported, members without facts marked, no HTML in the models;
and the region's inputs digest follows what the report reads."""

from __future__ import annotations

import re

import pytest

from conftest import append_fact, clear_caches
from test_report_model import assert_no_html
from trafficking_reports.hashing import region_data_digests
from trafficking_reports.regions import resolve_region
from trafficking_reports.report import RegionReport
from trafficking_reports.report.footnotes import Cited, FigureSpec
from trafficking_reports.report.region import SECTIONS

SMALL_FACTS = [
    "KAZ,tip_tier,2012,2012,Tier 2,exact,tier,src_a,primary,p 1,,transcribed,",
    "KAZ,tip_tier,2013,2013,Tier 2 Watch List,exact,tier,src_a,primary,p 2,,transcribed,",
    "KAZ,cpi_score,2013,,26,exact,score (0-100),src_a,primary,r 1,,transcribed,",
    "KAZ,cpi_rank,2013,,140,exact,rank,src_a,primary,r 2,,transcribed,",
    "WLD,cpi_countries_ranked,2013,,177,exact,countries,src_a,primary,r 3,,transcribed,",
]


@pytest.fixture
def region(mini_data, monkeypatch) -> RegionReport:
    """Central Asia of the small package: KAZ (tiers, CPI, convictions), KGZ (a censored count), TJK (no facts)."""
    monkeypatch.setenv("TR_DATA_DIR", str(mini_data))
    with open(mini_data / "countries.csv", "a") as table:
        table.write("TJK,Tajikistan,762,Asia,Central Asia,,unsd_m49\n")
    for line in SMALL_FACTS:
        append_fact(mini_data, line)
    clear_caches()
    return RegionReport("central asia", root=mini_data)


def test_members_come_from_the_countries_table_in_name_order(region):
    assert region.members == ["KAZ", "KGZ", "TJK"]
    assert region.without_facts == ["TJK"]
    overview = region.model("region_overview")
    assert overview["members"] == ["Kazakhstan", "Kyrgyzstan", "Tajikistan"]
    assert overview["without_facts"] == ["Tajikistan"]


def test_overview_counts_the_latest_placements_with_their_rows(region):
    overview = region.model("region_overview")
    assert overview["edition"] == 2013
    [placed] = overview["by_tier"]
    assert (placed["tier"], placed["count"].text, placed["countries"]) == ("Tier 2 Watch List", "1", "Kazakhstan")
    assert list(placed["count"].rows["locator"]) == ["p 2"]
    assert overview["not_placed"] == ["Kyrgyzstan", "Tajikistan"]


def test_tier_section_has_one_line_per_placed_country_and_a_row_per_member(region):
    model = region.model("region_tier_section")
    [figure] = model["figures"]
    assert isinstance(figure, FigureSpec) and set(figure.rows["locator"]) == {"p 1", "p 2"}
    kaz, kgz, tjk = model["rows"]
    assert kaz[1].text == "Tier 2 Watch List (2013)" and list(kaz[1].rows["locator"]) == ["p 2"]
    assert kaz[2].text == "down from Tier 2 (2012) to Tier 2 Watch List (2013)"
    assert kaz[3].text == "2 (2012-2013)"
    assert kgz[1:] == ["no placement recorded", "no figure", "no figure"]
    assert tjk[0] == "Tajikistan (no facts recorded)"


def test_counts_not_reported_are_no_figure_never_zero(region):
    model = region.model("region_enforcement_section")
    kaz, kgz, tjk = model["rows"]
    assert kaz[1].text == "12 (2012)" and list(kaz[1].rows["locator"]) == ["row 2"]
    assert kgz[1].text == "<5 (2012)"  # censored stays censored
    assert kaz[2] == kgz[2] == tjk[1] == tjk[2] == "no figure"  # no victims figure anywhere
    assert model["without"] == ["Tajikistan"]
    [figure] = model["figures"]
    assert set(figure.rows["country_iso3"]) == {"KAZ", "KGZ"}
    for cell in (c for row in model["rows"] for c in row[1:]):
        assert (cell.text if isinstance(cell, Cited) else cell) not in ("0", "0 (2012)")


def test_cpi_shows_the_latest_score_and_rank_of_n_per_country(region):
    kaz, kgz, _ = region.model("region_corruption_section")["rows"]
    assert kaz[1].text == "26 (2013)"
    assert kaz[2].text == "140 of 177 (2013)" and set(kaz[2].rows["country_iso3"]) == {"KAZ", "WLD"}
    assert kgz[1:] == ["no figure", "no figure"]


def test_no_estimate_imported_says_so(region):
    assert region.model("region_slavery_section")["rows"] is None


@pytest.mark.parametrize("name", [s for s in SECTIONS if s != "sources_section"])
def test_region_models_hold_values_not_html(region, name):
    assert_no_html(region.model(name), name)


def test_the_region_renders_with_footnotes_for_every_cited_value(region):
    html = "".join(region.html(name) for name in SECTIONS)
    cited = set(re.findall(r'href="#src-(\d+)"', html))
    listed = set(re.findall(r'<li id="src-(\d+)"', html))
    assert cited and cited == listed
    assert "make report REGION=&#34;Central Asia&#34;" in html or 'make report REGION="Central Asia"' in html


def test_the_region_digest_follows_what_the_report_reads(mini_data, monkeypatch):
    monkeypatch.setenv("TR_DATA_DIR", str(mini_data))
    clear_caches()
    central = resolve_region("Central Asia", mini_data)

    def digest():
        clear_caches()
        return region_data_digests([central], mini_data)[central.slug]

    before = digest()
    append_fact(mini_data, "XKX,unodc_persons_convicted,2012,,3,exact,persons,src_a,primary,row 9,,transcribed,")
    assert digest() == before  # a country of another region
    append_fact(mini_data, "KAZ,unodc_offences,2012,,21,exact,offences,src_a,primary,row 8,,transcribed,")
    assert digest() == before  # an indicator regional reports do not read
    append_fact(mini_data, "KGZ,unodc_victims_detected,2012,,7,exact,persons,src_a,primary,row 7,,transcribed,")
    assert digest() != before  # a member's fact the report shows


def test_figures_alt_text_says_in_words_what_each_country_shows(region):
    [tiers] = region.model("region_tier_section")["figures"]
    assert tiers.alt.endswith("Kazakhstan: Tier 2 Watch List in 2013; Tier 2 in 2012.")
    [counts] = region.model("region_enforcement_section")["figures"]
    # KAZ 25 then 12 convicted; KGZ a suppressed count, named as such, never a number.
    assert "Kazakhstan: Persons convicted: 25 in 2011, 12 in 2012." in counts.alt
    assert "Kyrgyzstan: Persons convicted: <5 in 2012." in counts.alt
