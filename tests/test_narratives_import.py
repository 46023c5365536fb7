"""The narrative importer: reproduces the committed facts and applies the review rules."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from conftest import DATA
from trafficking_reports.errors import UpstreamFormatError
from trafficking_reports.importers.narratives import batch_folder, import_narratives

OUTPUTS = ("facts/tip_narratives.csv", "facts/ti_cpi_2024.csv", "facts/secondary_sources.csv",
           "qualitative/policy.csv", "sources.csv")
TIER_HEADER = ["country_name", "iso3", "report_year", "tier", "url", "quote", "note"]


def test_reimport_reproduces_committed_tables_byte_for_byte(data_copy):
    for rel in OUTPUTS[:-1]:
        (data_copy / rel).write_text("stale\n")
    written = import_narratives(data_copy, log=lambda *_: None)
    assert set(written) == set(OUTPUTS)
    for rel in OUTPUTS:
        assert (data_copy / rel).read_bytes() == (DATA / rel).read_bytes(), f"{rel} differs after re-import"


@pytest.fixture
def batches(data_copy):
    """The committed batches with the tier files replaced by the test's own rows."""
    folder = batch_folder(data_copy)
    for path in folder.glob("tiers_*.csv"):
        path.unlink()
    return folder


def write_tiers(folder, name, rows):
    pd.DataFrame(rows, columns=TIER_HEADER).to_csv(folder / name, index=False)


def imported_tiers(data_copy):
    import_narratives(data_copy, log=lambda *_: None)
    facts = pd.read_csv(data_copy / "facts" / "tip_narratives.csv", dtype=str)
    return facts[facts["indicator"] == "tip_tier"]


def test_review_keeps_primary_over_other_copy_and_drops_unaccepted_hosts(data_copy, batches):
    write_tiers(batches, "tiers_a.csv", [
        ["Chad", "TCD", "2024", "Tier 2 Watch List", "https://gvnet.com/humantrafficking/Chad-2.htm",
         "CHAD (Tier 2 Watch List)", ""],
        ["Mali", "MLI", "2024", "Tier 2", "https://gvnet.com/humantrafficking/Mali-2.htm", "MALI (Tier 2)", ""],
        ["Niger", "NER", "2024", "Tier 2", "https://news.example.com/niger", "NIGER (Tier 2)", ""],
        ["Peru", "PER", "2024", "Tier 1", "https://www.amicidilazzaro.it/peru", "Peru: TIER 1 (TIP 2024)",
         "WEAK: tier read only in a post title"],
    ])
    write_tiers(batches, "tiers_b.csv", [
        ["Chad", "TCD", "2024", "Tier 2 Watch List", "https://www.ecoi.net/en/document/2111600.html",
         "CHAD (Tier 2 Watch List)", "report year from ecoi id range"],
    ])
    tiers = imported_tiers(data_copy).set_index("country_iso3")
    assert sorted(tiers.index) == ["MLI", "TCD"]
    assert "ecoi.net" in tiers.loc["TCD", "locator"]  # the primary copy wins though read later
    assert tiers.loc["MLI", "note"].startswith("read in a third-party copy")


def test_two_copies_placing_a_country_differently_in_one_edition_stop_the_import(data_copy, batches):
    write_tiers(batches, "tiers_a.csv", [
        ["Chad", "TCD", "2024", "Tier 3", "https://gvnet.com/humantrafficking/Chad-2.htm", "CHAD (Tier 3)", ""],
        ["Chad", "TCD", "2024", "Tier 2 Watch List", "https://www.ecoi.net/en/document/2111600.html",
         "CHAD (Tier 2 Watch List)", ""],
    ])
    with pytest.raises(UpstreamFormatError, match="conflicting tiers within one edition"):
        import_narratives(data_copy, log=lambda *_: None)


def test_iso3_that_contradicts_the_name_stops_the_import(data_copy, batches):
    write_tiers(batches, "tiers_a.csv", [
        ["Chad", "MLI", "2024", "Tier 2", "https://www.ecoi.net/en/document/2111600.html", "CHAD (Tier 2)", ""],
    ])
    with pytest.raises(UpstreamFormatError, match="resolves to TCD"):
        import_narratives(data_copy, log=lambda *_: None)


def test_missing_batch_folder_is_a_clear_error(data_copy):
    shutil.rmtree(batch_folder(data_copy))
    with pytest.raises(UpstreamFormatError, match="no curation batches"):
        import_narratives(data_copy, log=lambda *_: None)


def test_report_marks_tiers_read_in_a_secondary_copy(data_copy, batches):
    from trafficking_reports.report import CountryReport

    write_tiers(batches, "tiers_a.csv", [
        ["Chad", "TCD", "2024", "Tier 2 Watch List", "https://www.ecoi.net/en/document/2111600.html",
         "CHAD (Tier 2 Watch List)", ""],
        ["Chad", "TCD", "2025", "Tier 2", "https://gvnet.com/humantrafficking/Chad-2.htm", "CHAD (Tier 2)", ""],
    ])
    import_narratives(data_copy, log=lambda *_: None)
    html = CountryReport("Chad", root=data_copy).tier_section()
    assert "2025: Tier 2†" in html and "2024: Tier 2 Watch List†" not in html
    assert "† Read in a secondary copy" in html


def test_waivers_and_automatic_downgrades_stated_in_the_quote_become_flags_shown_in_the_report(data_copy, batches):
    from trafficking_reports.report import CountryReport

    write_tiers(batches, "tiers_a.csv", [
        ["Chad", "TCD", "2023", "Tier 2 Watch List", "https://www.ecoi.net/en/document/2093610.html",
         "Chad was granted a waiver ... Therefore, Chad remained on Tier 2 Watch List", ""],
        ["Chad", "TCD", "2024", "Tier 3", "https://www.ecoi.net/en/document/2111600.html",
         "Chad is no longer eligible for Tier 2 Watch List and is therefore downgraded to Tier 3", ""],
        ["Chad", "TCD", "2025", "Tier 3", "https://www.ecoi.net/en/document/2130600.html", "CHAD (Tier 3)", ""],
    ])
    flags = imported_flags(data_copy)
    assert sorted(zip(flags["indicator"], flags["report_year"], flags["value_rule"].fillna(""))) == [
        ("tip_automatic_downgrade", "2024", ""), ("tip_waiver", "2023", "")]
    html = CountryReport("Chad", root=data_copy).tier_section()
    assert "2023: Tier 2 Watch List" in html and "(waiver from a required downgrade" in html
    assert "(automatic downgrade" in html and html.count("automatic downgrade") == 1


def without_other_tiers(data_copy):
    """Leave the narrative rows the test writes as the only tier history."""
    from trafficking_reports import schema

    for rel in schema.resource("facts", data_copy)["path"]:
        facts = pd.read_csv(data_copy / rel, dtype=str, keep_default_na=False)
        facts[facts["indicator"] != "tip_tier"].to_csv(data_copy / rel, index=False)


def imported_flags(data_copy):
    import_narratives(data_copy, log=lambda *_: None)
    facts = pd.read_csv(data_copy / "facts" / "tip_narratives.csv", dtype=str)
    return facts[facts["indicator"].isin(["tip_waiver", "tip_automatic_downgrade"])]


def test_a_note_alone_sets_no_flag(data_copy, batches):
    without_other_tiers(data_copy)
    write_tiers(batches, "tiers_a.csv", [
        ["Chad", "TCD", "2023", "Tier 2 Watch List", "https://www.ecoi.net/en/document/2093610.html",
         "CHAD (Tier 2 Watch List)", "granted a waiver from an otherwise required downgrade to Tier 3"],
        ["Chad", "TCD", "2024", "Tier 3", "https://www.ecoi.net/en/document/2111600.html", "CHAD (Tier 3)",
         "automatic downgrade: no longer eligible for Tier 2 Watch List"],
    ])
    assert imported_flags(data_copy).empty


def test_flags_the_tier_rows_imply_are_derived_with_their_rule(data_copy, batches):
    without_other_tiers(data_copy)
    url = "https://www.ecoi.net/en/document/{}.html"
    write_tiers(batches, "tiers_a.csv", [
        *[["Chad", "TCD", str(year), "Tier 2 Watch List", url.format(year), "CHAD: Tier 2 Watch List", ""]
          for year in (2013, 2014, 2015, 2016)],
        ["Chad", "TCD", "2017", "Tier 3", url.format(2017), "CHAD: Tier 3", ""],
        # a missing year breaks the run: 2021 follows 2019, so no waiver then
        *[["Mali", "MLI", str(year), "Tier 2 Watch List", url.format(year), "MALI: Tier 2 Watch List", ""]
          for year in (2017, 2018, 2019, 2021)],
    ])
    flags = imported_flags(data_copy)
    assert sorted(zip(flags["country_iso3"], flags["indicator"], flags["report_year"], flags["value_rule"])) == [
        ("MLI", "tip_waiver", "2019", "waiver_third_watch_list_year"),
        ("TCD", "tip_automatic_downgrade", "2017", "downgrade_after_four_watch_list_years"),
        ("TCD", "tip_waiver", "2015", "waiver_third_watch_list_year"),
        ("TCD", "tip_waiver", "2016", "waiver_third_watch_list_year"),
    ]
    note = flags.set_index(["country_iso3", "report_year"]).loc[("TCD", "2016"), "note"]
    assert "2014 (usdos_tip_2014)" in note and "2015 (usdos_tip_2015)" in note


FIGURE_HEADER = ["country_name", "iso3", "report_year", "period", "indicator", "value", "unit", "url", "quote", "note"]


def write_figures(folder, rows):
    pd.DataFrame(rows, columns=FIGURE_HEADER).to_csv(folder / "figures_test.csv", index=False)


def test_figures_name_the_rule_that_turns_their_quote_into_the_value(data_copy):
    url = "https://www.state.gov/reports/2020-trafficking-in-persons-report/chad/"
    write_figures(batch_folder(data_copy), [
        ["Chad", "TCD", "2020", "2019", "tip_victims_identified", "1653", "persons", url,
         "The government identified 1,653 victims", ""],
        ["Chad", "TCD", "2020", "2018", "tip_victims_identified", "21", "persons", url,
         "compared with twenty-one victims in 2018", ""],
        ["Chad", "TCD", "2020", "2019", "tip_convictions_persons", "0", "persons", url,
         "The government did not convict any traffickers", ""],
    ])
    import_narratives(data_copy, log=lambda *_: None)
    facts = pd.read_csv(data_copy / "facts" / "tip_narratives.csv", dtype=str, keep_default_na=False)
    chad = facts[facts["country_iso3"] == "TCD"].set_index(["indicator", "period"])
    assert chad.loc[("tip_victims_identified", "2019"), "value_rule"] == ""
    assert chad.loc[("tip_victims_identified", "2018"), "value_rule"] == "number_word"
    assert chad.loc[("tip_convictions_persons", "2019"), "value_rule"] == "none_stated"


def test_a_figure_its_quote_does_not_give_stops_the_import(data_copy):
    write_figures(batch_folder(data_copy), [
        ["Chad", "TCD", "2020", "2019", "tip_victims_identified", "7", "persons",
         "https://www.state.gov/reports/2020-trafficking-in-persons-report/chad/",
         "The government identified nine victims", ""],
    ])
    with pytest.raises(UpstreamFormatError, match="quote does not give"):
        import_narratives(data_copy, log=lambda *_: None)
