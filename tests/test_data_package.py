"""The committed data: valid, reproducible from the upstream files, and holding the seed's facts."""

from __future__ import annotations

import json

import pytest

from conftest import DATA, FACT_HEADER, RAW, append_fact
from trafficking_reports.facts import facts_for
from trafficking_reports.importers.run_all import run_all
from trafficking_reports.validate import conflicts, validate


def test_committed_data_is_valid():
    problems = validate(DATA)
    assert problems == [], "\n".join(map(str, problems[:20]))


@pytest.mark.skipif(not RAW.is_dir(), reason="../shared/raw (upstream files) not present on this machine")
def test_importers_reproduce_committed_tables_byte_for_byte(data_copy):
    for table in ("countries.csv", "facts/unodc_glotip.csv", "facts/ti_cpi.csv", "facts/tip_tiers.csv"):
        (data_copy / table).write_text("stale\n")  # the importers must write these afresh
    written = run_all(RAW, data_copy, log=lambda *_: None)
    assert {"countries.csv", "facts/unodc_glotip.csv", "facts/ti_cpi.csv", "facts/tip_tiers.csv",
            "facts/tip_global_law_enforcement.csv"} <= set(written)
    for path in sorted(DATA.rglob("*")):
        if path.is_file():
            rel = path.relative_to(DATA)
            assert (data_copy / rel).read_bytes() == path.read_bytes(), f"{rel} differs after re-import"


@pytest.mark.parametrize("indicator, period, report_year, value", [
    ("tip_tier", 2013, 2013, "Tier 2"),
    ("cpi_score", 2013, None, "26"),
    ("cpi_rank", 2013, None, "140"),
    ("unodc_offences", 2011, None, "46"),
    ("unodc_offences", 2012, None, "21"),
    ("unodc_persons_convicted", 2011, None, "25"),
    ("unodc_persons_convicted", 2012, None, "12"),
])
def test_seed_facts_for_kazakhstan_with_sources(indicator, period, report_year, value):
    rows = facts_for("Kazakhstan").series(indicator)
    rows = rows[rows["period"] == period]
    assert value in rows["value"].tolist()
    assert rows["source_id"].notna().all() and rows["locator"].notna().all()


def test_cpi_2013_ranked_177_countries():
    world = facts_for("WLD").series("cpi_countries_ranked")
    assert world.loc[world["period"] == 2013, "value"].tolist() == ["177"]


BAD_ROWS = [
    ("KAZ,unodc_offences,2013,,5,exact,offences,no_such_source,primary,r,,transcribed,", "source_id",
     "'no_such_source' unknown in sources"),
    ("ZZZ,unodc_offences,2013,,5,exact,offences,src_a,primary,r,,transcribed,", "country_iso3",
     "'ZZZ' unknown in countries"),
    ("KAZ,unodc_offences,2013,,abc,exact,offences,src_a,primary,r,,transcribed,", "value",
     "'abc' is not a non-negative whole number"),
    ("KAZ,unodc_offences,2013,,-3,exact,offences,src_a,primary,r,,transcribed,", "value",
     "'-3' is not a non-negative whole number"),
    ("KAZ,unodc_persons_convicted,2011,,25,exact,persons,src_a,primary,dup,,transcribed,",
     "country_iso3,indicator,period", "duplicate primary key"),
    ("KAZ,unodc_offences,2013,,NA,exact,offences,src_a,primary,r,,transcribed,", "value", "stands for missing"),
    ("KAZ,unodc_offences,2013,,5,exact,persons,src_a,primary,r,,transcribed,", "unit",
     "'persons' but unodc_offences is in 'offences'"),
    ("KAZ,unodc_offences,2013,,,exact,offences,src_a,primary,r,,transcribed,", "value", "required value is empty"),
    ("KAZ,unodc_offences,2013,,5,exact,offences,,primary,r,,transcribed,", "source_id", "required value is empty"),
    ("KAZ,unodc_offences,2013,,5,censored,offences,src_a,primary,r,,transcribed,", "value", "censored value '5'"),
    ("KAZ,tip_tier,2013,2013,Tier 4,exact,tier,src_a,primary,r,,transcribed,", "value", "'Tier 4' is not one of"),
    ("KAZ,unodc_offences,2013,,5,exact,offences,src_a,copied,r,,transcribed,", "copy_type", "'copied' not one of"),
    # quotes against values
    ("KAZ,tip_victims_identified,2013,2014,7,exact,persons,src_a,primary,https://x.org,identified nine victims,,",
     "quote", "'7' is not in the quote as written; no rule gives it"),
    ("KAZ,tip_victims_identified,2013,2014,9,exact,persons,src_a,primary,https://x.org,identified nine victims,,",
     "quote", "it follows by the rule 'number_word'"),
    ("KAZ,tip_victims_identified,2013,2014,9,exact,persons,src_a,primary,https://x.org,identified nine victims,"
     "none_stated,", "value_rule", "'none_stated' does not turn the quote into '9'"),
    ("KAZ,tip_victims_identified,2013,2014,9,exact,persons,src_a,primary,https://x.org,identified nine victims,"
     "transcribed,", "value_rule", "'transcribed' is for values read in a dataset's cells"),
    ("KAZ,unodc_offences,2013,,5,exact,offences,src_a,primary,r,,,", "value_rule", "no quote"),
    ("KAZ,tip_waiver,2013,2013,true,exact,flag,src_a,primary,https://x.org,KAZAKHSTAN: Tier 2 Watch List,"
     "waiver_third_watch_list_year,", "value_rule", "does not hold: the tier rows of KAZ do not show it for 2013"),
]


@pytest.mark.parametrize("line, column, message", BAD_ROWS)
def test_bad_fact_rows_fail_with_file_line_and_column(mini_data, line, column, message):
    assert validate(mini_data) == []
    number = append_fact(mini_data, line)
    problems = [str(p) for p in validate(mini_data)]
    expected = f"facts/unodc_glotip.csv, line {number}, column {column}"
    assert any(p.startswith(expected) and message in p for p in problems), problems


def test_a_value_its_quote_gives_by_a_named_rule_is_valid(mini_data):
    append_fact(mini_data, "KAZ,tip_victims_identified,2013,2014,9,exact,persons,src_a,primary,https://x.org,"
                           "identified nine victims,number_word,")
    append_fact(mini_data, "KAZ,tip_victims_identified,2012,2014,0,exact,persons,src_a,primary,https://x.org,"
                           "did not identify any victims,none_stated,")
    assert validate(mini_data) == []


def test_conflicting_sources_are_both_kept_and_listed(mini_data):
    append_fact(mini_data, "KAZ,unodc_persons_convicted,2012,,13,exact,persons,unsd_m49,primary,other,,transcribed,")
    assert validate(mini_data) == []
    table = conflicts(mini_data)
    assert sorted(table["value"]) == ["12", "13"]
    assert sorted(table["source_id"]) == ["src_a", "unsd_m49"]


def test_every_conflict_in_the_committed_data_is_listed_in_the_docs():
    docs = (DATA.parent / "docs" / "data.md").read_text(encoding="utf-8")
    listed = docs.split("### Conflicts in the data", 1)[1].split("\n## ", 1)[0]
    table = conflicts(DATA)
    for (iso3, indicator, period), _ in table.groupby(["country_iso3", "indicator", "period"]):
        assert f"| {iso3} | {indicator} | {period} |" in listed, f"{iso3} {indicator} {period} not in docs/data.md"


def listed_problems(root):
    return [str(p) for p in validate(root)]


def test_an_extra_column_names_the_file_line_1_and_the_column(mini_data):
    path = mini_data / "facts" / "unodc_glotip.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0] + ",extra"] + [line + "," for line in lines[1:]]) + "\n")
    problems = listed_problems(mini_data)
    assert problems == ["facts/unodc_glotip.csv, line 1, column extra: extra column 'extra' is not in the schema "
                        "(datapackage.json)"]


def test_a_missing_column_names_it(mini_data):
    path = mini_data / "facts" / "unodc_glotip.csv"
    path.write_text(path.read_text().replace(",note\n", "\n", 1))
    problems = listed_problems(mini_data)
    assert any(p.startswith("facts/unodc_glotip.csv, line 1, column note") for p in problems), problems


def test_an_empty_facts_file_is_reported_not_a_crash(mini_data):
    (mini_data / "facts" / "unodc_glotip.csv").write_bytes(b"")
    problems = listed_problems(mini_data)
    assert len(problems) == 1 and problems[0].startswith("facts/unodc_glotip.csv, line 1: empty file (0 bytes)")


def test_a_listed_facts_file_with_only_its_header_is_a_problem(mini_data):
    (mini_data / "facts" / "unodc_glotip.csv").write_text(FACT_HEADER)
    assert listed_problems(mini_data) == [
        "facts/unodc_glotip.csv, line 1: no rows: the file has only its header; add its rows or remove it from "
        "datapackage.json"]


def test_check_data_command_reports_and_exits_1(mini_data, capsys):
    from trafficking_reports.cli import main

    (mini_data / "facts" / "unodc_glotip.csv").write_bytes(b"")
    assert main(["--data-dir", str(mini_data), "check-data"]) == 1
    assert "facts/unodc_glotip.csv, line 1: empty file" in capsys.readouterr().err


def test_a_primary_key_repeated_in_another_file_of_the_resource(mini_data):
    package = json.loads((mini_data / "datapackage.json").read_text())
    facts = next(r for r in package["resources"] if r["name"] == "facts")
    facts["path"].append("facts/ti_cpi.csv")
    (mini_data / "datapackage.json").write_text(json.dumps(package))
    append_fact(mini_data, "KAZ,unodc_persons_convicted,2011,,25,exact,persons,src_a,primary,copy,,transcribed,",
                "facts/ti_cpi.csv")
    assert listed_problems(mini_data) == [
        "facts/ti_cpi.csv, line 2, column country_iso3,indicator,period,report_year,source_id: duplicate primary key "
        "KAZ/unodc_persons_convicted/2011//src_a (also in facts/unodc_glotip.csv, line 2)"]
