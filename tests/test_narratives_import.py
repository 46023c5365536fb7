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


def test_waivers_and_automatic_downgrades_become_flags_shown_in_the_report(data_copy, batches):
    from trafficking_reports.report import CountryReport

    write_tiers(batches, "tiers_a.csv", [
        ["Chad", "TCD", "2023", "Tier 2 Watch List", "https://www.ecoi.net/en/document/2093610.html",
         "Chad was granted a waiver from an otherwise required downgrade to Tier 3", ""],
        ["Chad", "TCD", "2024", "Tier 3", "https://www.ecoi.net/en/document/2111600.html", "CHAD (Tier 3)",
         "automatic downgrade: no longer eligible for Tier 2 Watch List"],
        ["Chad", "TCD", "2025", "Tier 3", "https://www.ecoi.net/en/document/2130600.html", "CHAD (Tier 3)", ""],
    ])
    import_narratives(data_copy, log=lambda *_: None)
    facts = pd.read_csv(data_copy / "facts" / "tip_narratives.csv", dtype=str)
    flags = facts[facts["indicator"].isin(["tip_waiver", "tip_automatic_downgrade"])]
    assert sorted(zip(flags["indicator"], flags["report_year"])) == [
        ("tip_automatic_downgrade", "2024"), ("tip_waiver", "2023")]
    html = CountryReport("Chad", root=data_copy).tier_section()
    assert "2023: Tier 2 Watch List" in html and "(waiver from a required downgrade" in html
    assert "(automatic downgrade" in html and html.count("automatic downgrade") == 1
