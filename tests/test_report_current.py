"""What a reader sees of the current editions, built from the committed data without running notebooks:
the 2025 tier and CPI, the GSI worded as an estimate, the Protocol status worded for a snapshot, the index."""

from __future__ import annotations

import re

import pytest

from trafficking_reports.report import CountryReport


@pytest.fixture(scope="module")
def kazakhstan():
    return CountryReport("Kazakhstan")


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_key_findings_open_with_the_2025_tier_and_cpi_score_and_rank(kazakhstan):
    findings = text(kazakhstan.key_findings())
    assert "In the 2025 Trafficking in Persons (TIP) Report the US State Department placed Kazakhstan on Tier 2" \
        in findings
    assert re.search(r"scored Kazakhstan 38 out of 100 in 2025\[\d+\], rank 96\[\d+\] of 182\[\d+\]", findings)


def test_gsi_is_an_estimate_beside_the_peers(kazakhstan):
    section = text(kazakhstan.slavery_estimate_section())
    assert re.search(r"an estimated 208,000 people were living in modern slavery in Kazakhstan on any given day "
                     r"in 2021\[\d+\], 11\.1 per 1,000 people", section)
    assert "modelled estimate, not a count" in section
    assert "Uzbekistan" in section and "Walk Free" in kazakhstan.sources_section()


def test_protocol_status_for_a_party_and_for_a_state_missing_from_the_2014_snapshot(kazakhstan):
    assert re.search(r"Kazakhstan acceded to the UN Trafficking in Persons Protocol on 31 July 2008\[\d+\], as the "
                     r"UN Treaty Collection's status of January 2014 records", text(kazakhstan.policy_section()))
    afghanistan = text(CountryReport("Afghanistan").policy_section())  # a party only since 2014 (leads)
    assert "Afghanistan is not recorded as a party to the UN Trafficking in Persons Protocol in the UN Treaty " \
           "Collection's status as of January 2014" in afghanistan
    assert "not a party" not in afghanistan.replace("not recorded as a party", "")


def test_secondary_copies_are_marked_and_a_primary_copy_is_preferred(kazakhstan):
    tiers = text(kazakhstan.tier_section())
    assert re.search(r"2016: Tier 2†\[\d+\]", tiers)  # only the 2018 Wikipedia table holds it
    assert re.search(r"2025: Tier 2\[\d+\]", tiers)  # ecoi.net's copy of the narrative, not the transcription
    assert "† Read in a secondary copy" in tiers


def test_congo_2023_disagreement_is_shown_with_both_values():
    tiers = text(CountryReport("COG").tier_section())
    assert re.search(r"Sources disagree for: 2023: .*Tier 2 Watch List\[\d+\].*Tier 2\[\d+\]", tiers) or \
        re.search(r"Sources disagree for: 2023: .*Tier 2\[\d+\].*Tier 2 Watch List\[\d+\]", tiers)


def test_index_shows_latest_editions_and_no_undefined(tmp_path):
    from trafficking_reports.site import index_html

    page = index_html(tmp_path)
    row = text(page[page.index("<td>Kazakhstan</td>"):][:800])
    assert "Tier 2 (2025)" in row and "38 (2025), rank 96 of 182" in row
    assert "undefined" not in page and "n/a: &lt;5 in" in page


def test_a_country_whose_tier_never_changed_says_so():
    findings = text(CountryReport("PRK").key_findings())  # North Korea: Tier 3 in every report recorded
    assert re.search(r"No change of tier is recorded between \d{4} and 2025\.", findings)


def test_figure_text_is_plain_text_never_unparsed_mathtext(monkeypatch):
    """Mathtext is off (a "$" in a name is text), so an axis formatter that writes mathtext would print
    "$\\mathdefault{10^{0}}$" on the chart: the overview's log axis has plain labels instead."""
    import base64

    from trafficking_reports import style
    from trafficking_reports.overview import GlobalOverview

    monkeypatch.setitem(style.RC, "svg.fonttype", "none")  # text as text (the reports draw outlines), to read it
    pages = [GlobalOverview().gsi_against_tier(), *CountryReport("Kazakhstan").render().values()]
    svgs = [base64.b64decode(m).decode() for page in pages
            for m in re.findall(r"data:image/svg\+xml;base64,([^\"]+)", page)]
    assert len(svgs) >= 5 and all("<text" in s for s in svgs)
    assert not [s for s in svgs if "mathdefault" in s]
