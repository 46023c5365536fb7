"""Every importer on small upstream files the tests write themselves (never the real ones)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import write_xlsx
from trafficking_reports.importers import ti_cpi, tip_global_law_enforcement, tip_tiers, un_m49, unodc_glotip
from trafficking_reports.importers.common import UpstreamFormatError
from trafficking_reports.tables import read_table

GLOTIP_HEADER = ["Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension", "Category", "Sex", "Age",
                 "Year", "Unit of measurement", "txtVALUE", "Source"]


def glotip_row(iso3, indicator, year, value, dimension="Total", country="X"):
    return [iso3, country, "Asia", "Central Asia", indicator, dimension, "Total", "Total", "Total", str(year),
            "Counts", value, "GLOTIP"]


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    return tmp_path / "raw"


def test_glotip_parses_thousands_keeps_censored_and_drops_breakdowns(raw, mini_data):
    rows = [GLOTIP_HEADER,
            glotip_row("KAZ", "Detected trafficking victims", 2011, "1,653"),
            glotip_row("KAZ", "Persons convicted", 2012, "<5"),
            glotip_row("KAZ", "Offences of trafficking in persons", 2012, "21"),
            glotip_row("KAZ", "Persons convicted", 2012, "7", dimension="by form of exploitation"),
            glotip_row("KGZ", "Persons prosecuted", 2010, "3")]
    write_xlsx(raw / unodc_glotip.RAW_FILE, {"data_glotip_1": (rows, 2)})
    facts = unodc_glotip.build(raw, mini_data).set_index(["country_iso3", "indicator", "period"])
    assert facts.loc[("KAZ", "unodc_victims_detected", 2011), "value"] == "1653"
    censored = facts.loc[("KAZ", "unodc_persons_convicted", 2012)]
    assert (censored["value"], censored["value_qualifier"]) == ("<5", "censored")
    assert facts.loc[("KAZ", "unodc_offences", 2012), "unit"] == "offences"
    assert facts.loc[("KAZ", "unodc_offences", 2012), "locator"] == "sheet data_glotip_1, row 6"
    assert len(facts) == 4  # the breakdown row is not a country total; no year is invented


def test_glotip_wrong_shape_stops_and_writes_nothing(raw, mini_data):
    rows = [[c for c in GLOTIP_HEADER if c != "txtVALUE"], glotip_row("KAZ", "Persons convicted", 2012, "5")[:-1]]
    write_xlsx(raw / unodc_glotip.RAW_FILE, {"data_glotip_1": (rows, 2)})
    before = snapshot(mini_data)
    with pytest.raises(UpstreamFormatError, match=r"expected columns \['txtVALUE'\]"):
        unodc_glotip.run(raw, mini_data)
    assert snapshot(mini_data) == before


def test_glotip_other_sheet_is_a_clear_error(raw, mini_data):
    write_xlsx(raw / unodc_glotip.RAW_FILE, {"Sheet1": ([GLOTIP_HEADER], 2)})
    with pytest.raises(UpstreamFormatError, match="expected a sheet 'data_glotip_1'"):
        unodc_glotip.run(raw, mini_data)


def test_glotip_bad_count_names_the_row(raw, mini_data):
    rows = [GLOTIP_HEADER, glotip_row("KAZ", "Persons convicted", 2012, "abc")]
    write_xlsx(raw / unodc_glotip.RAW_FILE, {"data_glotip_1": (rows, 2)})
    with pytest.raises(UpstreamFormatError, match="row 4: not a count: 'abc'"):
        unodc_glotip.build(raw, mini_data)


def test_glotip_parse_value():
    assert unodc_glotip.parse_value("<5") == ("<5", "censored")
    assert unodc_glotip.parse_value("12,345") == ("12345", "exact")
    with pytest.raises(ValueError):
        unodc_glotip.parse_value("1,65")


CPI_HEADER = ["Country / Territory", "ISO3", "Year", "Region", "CPI score", "Rank", "Standard error"]


def write_cpi(raw: Path, rows, old_rows):
    write_xlsx(raw / ti_cpi.WORKBOOK, {"CPI 2023": ([["x"]], 0), ti_cpi.SHEET: ([CPI_HEADER] + rows, 3)})
    old = pd.DataFrame(old_rows, columns=["country", "year", "cpi", "cpi_se"])
    old.to_csv(raw / ti_cpi.OLD_SERIES, index=False)


def test_cpi_scores_ranks_countries_ranked_and_old_scale(raw, mini_data):
    write_cpi(raw,
              [["Kazakhstan", "KAZ", 2013, "ECA", 26, 140, 3.3], ["Kyrgyzstan", "KGZ", 2013, "ECA", 24, 150, 2],
               ["Kosovo", "KSV", 2013, "ECA", 33, 111, 2]],
              [["Kyrgyz Republic", 2005, 23, 1.0], ["Kazakhstan", 2013, 26, 1.0], ["NA", 2008, 31, 1.0]])
    facts = ti_cpi.build(raw, mini_data).set_index(["country_iso3", "indicator", "period"])
    assert facts.loc[("KAZ", "cpi_score", 2013), "value"] == "26"
    assert facts.loc[("KAZ", "cpi_rank", 2013), "value"] == "140"
    assert facts.loc[("WLD", "cpi_countries_ranked", 2013), "value"] == "3"
    assert facts.loc[("XKX", "cpi_score", 2013), "value"] == "33"  # TI's KSV through the aliases
    old = facts.loc[("KGZ", "cpi_score_old_scale", 2005)]
    assert (old["value"], old["unit"]) == ("23", "score (0-10 scale x10)")
    assert ("KAZ", "cpi_score_old_scale", 2013) not in facts.index  # 2012+ comes from TI's workbook


def test_cpi_unknown_name_in_old_series_is_reported(raw, mini_data):
    write_cpi(raw, [["Kazakhstan", "KAZ", 2013, "ECA", 26, 140, 3.3]], [["Atlantis", 2005, 23, 1.0]])
    with pytest.raises(UpstreamFormatError, match="Atlantis"):
        ti_cpi.build(raw, mini_data)


def test_cpi_missing_sheet(raw, mini_data):
    write_xlsx(raw / ti_cpi.WORKBOOK, {"CPI 2023": ([["x"]], 0)})
    with pytest.raises(UpstreamFormatError, match="CPI Historical"):
        ti_cpi.run(raw, mini_data)


def test_tiers_codes_na_and_kosovo(raw, mini_data):
    path = raw / tip_tiers.RAW_FILE
    path.parent.mkdir(parents=True)
    path.write_text("countryname,iso,year,ccode,tier\nKazakhstan,KAZ,2013,705,2\nKazakhstan,KAZ,2010,705,3\n"
                    "Kyrgyz Republic,KGZ,2013,703,4\nKosovo,KOS,2014,347,1\nKazakhstan,KAZ,2000,705,NA\n")
    facts = tip_tiers.build(raw, mini_data).set_index(["country_iso3", "report_year"])
    assert facts.loc[("KAZ", 2013), "value"] == "Tier 2"
    assert facts.loc[("KAZ", 2010), "value"] == "Tier 2 Watch List"
    assert facts.loc[("KGZ", 2013), "value"] == "Tier 3"
    assert facts.loc[("XKX", 2014), "value"] == "Tier 1"
    assert ("KAZ", 2000) not in facts.index  # NA is not a tier: nothing is invented


def test_tiers_unknown_code_is_an_error(raw, mini_data):
    path = raw / tip_tiers.RAW_FILE
    path.parent.mkdir(parents=True)
    path.write_text("countryname,iso,year,ccode,tier\nKazakhstan,KAZ,2013,705,7\n")
    with pytest.raises(UpstreamFormatError, match="row 2.*found '7'"):
        tip_tiers.build(raw, mini_data)


def test_tiers_missing_column(raw, mini_data):
    path = raw / tip_tiers.RAW_FILE
    path.parent.mkdir(parents=True)
    path.write_text("countryname,iso,year\nKazakhstan,KAZ,2013\n")
    with pytest.raises(UpstreamFormatError, match=r"expected columns \['tier'\]"):
        tip_tiers.run(raw, mini_data)


def test_m49_countries_with_report_names_and_extras(raw, mini_data):
    path = raw / un_m49.RAW_FILE
    path.parent.mkdir(parents=True)
    path.write_text("name,alpha-2,alpha-3,country-code,iso_3166-2,region,sub-region,intermediate-region,"
                    "region-code,sub-region-code,intermediate-region-code\n"
                    'Kazakhstan,KZ,KAZ,398,ISO 3166-2:KZ,Asia,Central Asia,"",142,143,""\n'
                    '"Korea, Republic of",KR,KOR,410,ISO 3166-2:KR,Asia,Eastern Asia,"",142,030,""\n')
    un_m49.run(raw, mini_data)
    countries = read_table(mini_data / "countries.csv").set_index("iso3")
    assert countries.loc["KOR", "name"] == "South Korea"  # reviewed report name
    assert countries.loc["KAZ", "sub_region"] == "Central Asia"
    assert {"WLD", "XKX"} <= set(countries.index)
    sources = read_table(mini_data / "sources.csv").set_index("source_id")
    assert len(sources.loc["unsd_m49", "sha256"]) == 64


def test_global_law_enforcement_blank_is_not_zero(raw, mini_data):
    path = raw / tip_global_law_enforcement.RAW_FILE
    path.parent.mkdir(parents=True)
    path.write_text('"Year","Prosecutions","Prosecutions (Labor)","Convictions","Convictions (Labor)",'
                    '"Victims identified","Victims (Labor)","New or amended legislation"\n'
                    '"2007","5,682","490","3,427","326","","","28"\n')
    facts = tip_global_law_enforcement.build(raw, mini_data).set_index("indicator")
    assert facts.loc["tip_global_prosecutions", "value"] == "5682"
    assert "tip_global_victims_identified" not in facts.index
    assert set(facts["country_iso3"]) == {"WLD"}
