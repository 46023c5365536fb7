"""Importers of the current editions (CPI 2025, the TIP tier lists' secondary copies, Walk Free's GSI, the
UN Treaty Collection's Protocol status), each on small upstream files the tests write, with the traps
../shared/raw/README.md names for that file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import write_xlsx
from trafficking_reports.importers import (
    ti_cpi,
    ti_cpi_2025,
    tip_2025_transcription,
    tip_cia_factbook,
    tip_web_lists,
    tip_wikipedia_2018,
    untc_protocol,
    walkfree_gsi,
)
from trafficking_reports.importers.common import UpstreamFormatError

CPI_2023_HEADER = ["Country / Territory", "ISO3", "Year", "Region", "CPI score", "Rank", "Standard error"]


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    return tmp_path / "raw"


def write_csv(path: Path, rows: list[list], header: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows, columns=header).to_csv(path, index=False)


def write_cpi_2025(raw: Path, rows: list[list]) -> None:
    header = ["Country / Territory", "ISO3", "Region", "CPI score 2025", "Rank 2025", "Sources 2025",
              "Standard error 2025", "CPI score 2024", "Rank 2024", "Sources 2024", "Standard error 2024",
              "CPI score 2023", "Rank 2023", "CPI Score 2013"]
    write_xlsx(raw / ti_cpi_2025.WORKBOOK, {"CPI2025": ([["x"]], 0), ti_cpi_2025.SHEET: ([header] + rows, 3)})
    # The 2023 workbook the restatements are compared with.
    write_xlsx(raw / ti_cpi.WORKBOOK, {ti_cpi.SHEET: ([CPI_2023_HEADER,
                                                       ["Kazakhstan", "KAZ", 2023, "ECA", 39, 93, 1],
                                                       ["Kazakhstan", "KAZ", 2013, "ECA", 26, 140, 1],
                                                       ["Kyrgyzstan", "KGZ", 2023, "ECA", 26, 141, 1]], 3)})


def test_cpi_2025_scores_ranks_and_countries_ranked_for_2024_and_2025(raw, mini_data):
    write_cpi_2025(raw, [["Kazakhstan", "KAZ", "ECA", 38, 96, 9, 1.2, 40, 88, 9, 1.1, 39, 93, 26],
                         ["Kyrgyzstan", "KGZ", "ECA", 26, 142, 8, 1.3, 25, 146, 8, 1.0, 26, 141, 24],
                         ["Kosovo", "KSV", "ECA", 44, 73, 7, 1.0, None, None, None, None, None, None, None]])
    facts = ti_cpi_2025.build(raw, mini_data).set_index(["country_iso3", "indicator", "period"])
    assert facts.loc[("KAZ", "cpi_score", 2025), "value"] == "38"
    assert facts.loc[("KAZ", "cpi_rank", 2025), "value"] == "96"
    assert facts.loc[("KGZ", "cpi_rank", 2024), "value"] == "146"
    assert facts.loc[("WLD", "cpi_countries_ranked", 2025), "value"] == "3"
    assert facts.loc[("WLD", "cpi_countries_ranked", 2024), "value"] == "2"  # Kosovo has no 2024 value: no row
    assert ("XKX", "cpi_score", 2024) not in facts.index
    assert set(facts["copy_type"]) == {"primary"} and set(facts["source_id"]) == {"ti_cpi_2025"}
    assert "column Rank 2025" in facts.loc[("KAZ", "cpi_rank", 2025), "locator"]


def test_cpi_2025_keeps_restated_earlier_years_with_a_note_and_skips_agreeing_ones(raw, mini_data):
    write_cpi_2025(raw, [["Kazakhstan", "KAZ", "ECA", 38, 96, 9, 1.2, 40, 88, 9, 1.1, 39, 93, 27],
                         ["Kyrgyzstan", "KGZ", "ECA", 26, 142, 8, 1.3, 25, 146, 8, 1.0, 26, 141, 24]])
    facts = ti_cpi_2025.build(raw, mini_data)
    earlier = facts[facts["period"] < 2024].set_index(["country_iso3", "indicator", "period"])
    # KAZ 2013: the 2025 workbook says 27 where the 2023 one says 26; KGZ 2013 is new to the comparison
    assert earlier.loc[("KAZ", "cpi_score", 2013), "value"] == "27"
    assert "which gives 26" in earlier.loc[("KAZ", "cpi_score", 2013), "note"]
    assert earlier.loc[("KGZ", "cpi_score", 2013), "note"] == "not in TI's CPI 2023 workbook"
    assert ("KAZ", "cpi_score", 2023) not in earlier.index  # agrees with the 2023 workbook: not repeated


def test_cpi_2025_missing_sheet_names_it(raw, mini_data):
    write_xlsx(raw / ti_cpi_2025.WORKBOOK, {"CPI2025": ([["x"]], 0)})
    with pytest.raises(UpstreamFormatError, match="CPI Timeseries 2012 - 2025"):
        ti_cpi_2025.build(raw, mini_data)


CIA_HEADER = ["file", "country_short_name", "first_seen", "last_seen", "first_commit", "tier_rating_text"]


def test_cia_factbook_reads_world_lists_and_country_texts_by_their_year(raw, mini_data):
    write_csv(raw / tip_cia_factbook.RAW_FILE, [
        ["world/xx.json", "World", "2024-08-29", "2025-08-14", "c1",
         "<strong><br><br>Tier 2 Watch List:</strong> (1 country) Kyrgyzstan (2024)<br><br>"
         "<strong>Tier 3:</strong> (1 country) Kazakhstan (2024)"],
        ["central-asia/kz.json", "Kazakhstan", "2020-07-01", "2021-06-01", "c2",
         "Tier 2 Watch List &mdash; Kazakhstan does not fully meet the minimum standards ... (2020)"],
        ["central-asia/kg.json", "Kyrgyzstan", "2025-10-07", "2026-01-01", "c3",
         "Special Case; for more details, go to: "
         "https://www.state.gov/reports/2025-trafficking-in-persons-report/"],
        ["central-asia/kg.json", "Kyrgyzstan", "2024-07-11", "2024-08-01", "c4",
         "Tier 3 &mdash; update pending (2024)"],
        ["central-asia/kz.json", "Kazakhstan", "2016-11-06", "2017-01-01", "c5", "Tier 2 - ... (2015)"],
        ["central-asia/kz.json", "Kazakhstan", "2019-01-01", "2019-02-01", "c6", "Tier 2 - no year here"],
    ], CIA_HEADER)
    facts = tip_cia_factbook.build(raw, mini_data).set_index(["country_iso3", "report_year"])["value"].to_dict()
    assert facts == {("KGZ", 2024): "Tier 2 Watch List", ("KAZ", 2024): "Tier 3",
                     ("KAZ", 2020): "Tier 2 Watch List", ("KGZ", 2025): "Special Case"}
    # "update pending" is the old label (no placement); 2015 is the compiled panel's; no year: no edition


def test_cia_factbook_one_edition_placing_a_country_twice_stops(raw, mini_data):
    write_csv(raw / tip_cia_factbook.RAW_FILE, [
        ["central-asia/kz.json", "Kazakhstan", "2020-07-01", "2021-06-01", "c2", "Tier 3 - ... (2020)"],
        ["central-asia/kz.json", "Kazakhstan", "2021-07-01", "2021-08-01", "c3", "Tier 2 Watch List - ... (2020)"],
    ], CIA_HEADER)
    with pytest.raises(UpstreamFormatError, match="places a country twice"):
        tip_cia_factbook.build(raw, mini_data)


def test_wikipedia_table_codes_2016_2017_only_and_drops_the_garbled_row(raw, mini_data):
    header = ["", "Country.y", "Country.x", "Country Code", "tier2015", "tier2016", "tier2017"]
    write_csv(raw / tip_wikipedia_2018.RAW_FILE, [
        [1, "Kazakhstan", "KAZAKHSTAN", "KAZ", "1", "2", "2w"],
        [2, "NA", "KYRGYZ REPUBLIC", "NA", "2", "3", "NA"],  # no code: resolved by its name
        [3, "NA", "CAMEROON FASO", "NA", "2w", "2w", "2w"],
        [4, "NA", "NA", "NA", "NA", "NA", "NA"],
    ], header)
    facts = tip_wikipedia_2018.build(raw, mini_data).set_index(["country_iso3", "report_year"])["value"].to_dict()
    assert facts == {("KAZ", 2016): "Tier 2", ("KAZ", 2017): "Tier 2 Watch List", ("KGZ", 2016): "Tier 3"}


def test_wikipedia_table_unknown_code_names_row_and_column(raw, mini_data):
    header = ["", "Country.y", "Country.x", "Country Code", "tier2016", "tier2017"]
    write_csv(raw / tip_wikipedia_2018.RAW_FILE, [[1, "Kazakhstan", "KAZAKHSTAN", "KAZ", "4", "2"]], header)
    with pytest.raises(UpstreamFormatError, match="row 2, column tier2016"):
        tip_wikipedia_2018.build(raw, mini_data)


def test_web_lists_carry_the_row_note_and_page_and_reject_unknown_names(raw, mini_data):
    header = ["report_year", "country_as_written", "tier", "page_url", "note"]
    write_csv(raw / tip_web_lists.RAW_FILE, [
        [2024, "Kazakhstan", "Tier 1", "https://example.org/t1", "year inferred"],
        [2024, "Kazakhstan", "Tier 1", "https://example.org/t1-copy", ""],  # the same placement twice
    ], header)
    facts = tip_web_lists.build(raw, mini_data)
    assert len(facts) == 1 and facts["note"].iloc[0] == "year inferred"
    assert "https://example.org/t1" in facts["locator"].iloc[0] and facts["copy_type"].iloc[0] == "secondary"
    write_csv(raw / tip_web_lists.RAW_FILE, [[2024, "Atlantis", "Tier 1", "https://example.org", ""]], header)
    with pytest.raises(UpstreamFormatError, match="row 2: country 'Atlantis'"):
        tip_web_lists.build(raw, mini_data)


def test_2025_transcription_checks_tier_names(raw, mini_data):
    header = ["report_year", "country_as_published", "tier", "source_repo", "source_path", "source_commit"]
    write_csv(raw / tip_2025_transcription.RAW_FILE, [[2025, "Kyrgyz Republic", "Tier 2 Watch List", "r", "p", "c"]],
              header)
    facts = tip_2025_transcription.build(raw, mini_data)
    assert facts[["country_iso3", "report_year", "value", "copy_type"]].values.tolist() == [
        ["KGZ", 2025, "Tier 2 Watch List", "secondary"]]
    write_csv(raw / tip_2025_transcription.RAW_FILE, [[2025, "Kazakhstan", "Tier 2 watchlist", "r", "p", "c"]], header)
    with pytest.raises(UpstreamFormatError, match="row 2"):
        tip_2025_transcription.build(raw, mini_data)


def test_gsi_strips_separators_and_padding_and_leaves_blank_estimates_out(raw, mini_data):
    path = raw / walkfree_gsi.RAW_FILE
    path.parent.mkdir(parents=True)
    path.write_text(
        '  Country ,Population,Region,"Estimated prevalence of modern slavery per 1,000 population",'
        "Estimated number of people in modern slavery\n"
        'Kazakhstan,"  18,777,000 ",Europe and Central Asia,11.1,"208,000"\n'
        'Kosovo,"  1,800,000 ",Europe and Central Asia,,\n')
    facts = walkfree_gsi.build(raw, mini_data).set_index(["country_iso3", "indicator"])
    assert facts.loc[("KAZ", "gsi_people_in_modern_slavery"), "value"] == "208000"
    assert facts.loc[("KAZ", "gsi_prevalence_per_1000"), "value"] == "11.1"
    assert set(facts["value_qualifier"]) == {"estimate"}  # modelled, never presented as a count
    assert "XKX" not in facts.index.get_level_values(0)  # no estimate published: no row, never 0


def test_gsi_bad_number_names_row_and_column(raw, mini_data):
    path = raw / walkfree_gsi.RAW_FILE
    path.parent.mkdir(parents=True)
    path.write_text('Country,"Estimated prevalence of modern slavery per 1,000 population",'
                    "Estimated number of people in modern slavery\nKazakhstan,eleven,208000\n")
    with pytest.raises(UpstreamFormatError, match="row 2, column 'Estimated prevalence"):
        walkfree_gsi.build(raw, mini_data)


def test_untc_status_dates_kinds_and_the_european_union(raw, mini_data):
    header = ["Participant", "Signature",
              "Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)"]
    write_csv(raw / untc_protocol.RAW_FILE, [
        ["Kazakhstan", "", "31 Jul 2008 a"],
        ["Kyrgyzstan", "13 Dec 2000", "2 Oct 2003"],
        ["Kosovo", "12 Dec 2000", ""],
        ["European Union", "12 Dec 2000", "6 Sep 2006 AA"],
    ], header)
    facts = untc_protocol.build(raw, mini_data)
    got = {(r.country_iso3, r.indicator): r.value for r in facts.itertuples()}
    assert got == {("KAZ", "tip_protocol_consent"): "2008-07-31", ("KAZ", "tip_protocol_consent_kind"): "accession",
                   ("KGZ", "tip_protocol_signature"): "2000-12-13", ("KGZ", "tip_protocol_consent"): "2003-10-02",
                   ("KGZ", "tip_protocol_consent_kind"): "ratification",
                   ("XKX", "tip_protocol_signature"): "2000-12-12"}


def test_untc_bad_action_names_the_row(raw, mini_data):
    header = ["Participant", "Signature", "Ratification"]
    write_csv(raw / untc_protocol.RAW_FILE, [["Kazakhstan", "", "31 Jul 2008 x"]], header)
    with pytest.raises(UpstreamFormatError, match="row 2"):
        untc_protocol.build(raw, mini_data)
