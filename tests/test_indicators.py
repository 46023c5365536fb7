import pandas as pd
import pytest

from trafficking_reports import indicators


def facts(rows, source="s"):
    """rows: (period, value) with value an int, '<5' or None."""
    out = []
    for period, value in rows:
        censored = isinstance(value, str) and value.startswith("<")
        out.append({"period": period, "value": str(value), "value_qualifier": "censored" if censored else "exact",
                    "value_num": float("nan") if censored else float(value), "source_id": source,
                    "censored_max": int(value[1:]) - 1 if censored else float("nan"), "report_year": pd.NA})
    return pd.DataFrame(out)


def test_yoy_change_absolute_and_percent():
    changes = indicators.yoy_changes(facts([(2011, 46), (2012, 21)]))
    last = changes[-1]
    assert (last.absolute, round(last.percent, 1), last.defined) == (-25, -54.3, True)
    assert last.source_ids == ("s",)


def test_yoy_undefined_when_previous_year_missing():
    change = indicators.yoy_changes(facts([(2010, 5), (2012, 8)]))[-1]
    assert not change.defined and change.absolute is None and "no figure for 2011" in change.status


def test_yoy_undefined_when_either_year_censored():
    changes = indicators.yoy_changes(facts([(2010, "<5"), (2011, 9), (2012, "<5")]))
    assert [c.defined for c in changes] == [False, False, False]
    assert "censored value in 2010" in changes[1].status
    assert "censored value in 2012" in changes[2].status


def test_yoy_from_zero_has_absolute_but_no_percent():
    change = indicators.yoy_changes(facts([(2010, 0), (2011, 3)]))[-1]
    assert change.defined and change.absolute == 3 and change.percent is None


def test_yoy_refuses_two_values_for_one_year():
    with pytest.raises(ValueError):
        indicators.yoy_changes(pd.concat([facts([(2010, 1)], "a"), facts([(2010, 2)], "b")]))


def test_one_per_period_keeps_latest_edition():
    rows = pd.concat([facts([(2019, 10)], "tip2020"), facts([(2019, 12)], "tip2021")])
    rows["report_year"] = [2020, 2021]
    kept = indicators.one_per_period(rows)
    assert kept["value"].tolist() == ["12"]


def tiers(pairs):
    return pd.DataFrame({"report_year": [y for y, _ in pairs], "tier": [t for _, t in pairs]})


def test_tier_streak_counts_consecutive_reports():
    streak = indicators.tier_streak(tiers([(2011, "Tier 2 Watch List"), (2012, "Tier 2"), (2013, "Tier 2"),
                                           (2014, "Tier 2")]))
    assert (streak.tier, streak.reports, streak.since, streak.latest) == ("Tier 2", 3, 2012, 2014)


def test_tier_streak_stops_at_a_missing_report_year():
    streak = indicators.tier_streak(tiers([(2010, "Tier 2"), (2011, "Tier 2"), (2013, "Tier 2")]))
    assert streak.reports == 1 and streak.since == 2013


def test_tier_moves_up_down_and_sideways():
    moves = indicators.tier_moves(tiers([(2010, "Tier 3"), (2011, "Tier 2 Watch List"), (2012, "Tier 1"),
                                         (2013, "Tier 2"), (2014, "Special Case")]))
    assert [(m.report_year, m.direction) for m in moves] == [(2011, "up"), (2012, "up"), (2013, "down"),
                                                             (2014, "sideways")]
    assert indicators.last_move(tiers([(2010, "Tier 2")])) is None


def test_tier_by_year_prefers_the_narrative_and_keeps_the_other():
    rows = pd.DataFrame({"report_year": [2015, 2015], "value": ["Tier 2", "Tier 2 Watch List"],
                         "source_id": ["usdos_tip_tiers_2001_2015", "usdos_tip_2015"],
                         "copy_type": ["secondary", "primary"]})
    out = indicators.tier_by_year(rows)
    assert out["tier"].tolist() == ["Tier 2 Watch List"] and out["copy_type"].tolist() == ["primary"]
    assert out["others"].iloc[0] == (("Tier 2", "usdos_tip_tiers_2001_2015"),)


def test_tier_by_year_a_primary_copy_wins_whatever_the_source_names_and_a_secondary_fills_gaps():
    rows = pd.DataFrame({"report_year": [2023, 2023, 2024],
                         "value": ["Tier 2", "Tier 2 Watch List", "Tier 3"],
                         "source_id": ["a_secondary_list", "z_narrative", "a_secondary_list"],
                         "copy_type": ["secondary", "primary", "secondary"],
                         "source_date": ["2026-01-01", "2023", ""]})
    out = indicators.tier_by_year(rows).set_index("report_year")
    assert out.loc[2023, "tier"] == "Tier 2 Watch List" and out.loc[2023, "others"] == (("Tier 2", "a_secondary_list"),)
    assert (out.loc[2024, "tier"], out.loc[2024, "copy_type"]) == ("Tier 3", "secondary")


def test_preferred_keeps_one_value_per_period_newer_edition_first():
    rows = pd.DataFrame({"country_iso3": ["KAZ"] * 3, "indicator": ["cpi_score"] * 3, "period": [2024, 2024, 2023],
                         "report_year": [pd.NA] * 3, "value": ["40", "40", "39"],
                         "source_id": ["ti_cpi_2024", "ti_cpi_2025", "ti_cpi_2023"],
                         "copy_type": ["primary"] * 3, "source_date": ["2025-02-11", "2026-02-10", "2024-01-30"]})
    out = indicators.preferred(rows)
    assert out[["period", "source_id"]].values.tolist() == [[2023, "ti_cpi_2023"], [2024, "ti_cpi_2025"]]


def world(rows):
    return pd.DataFrame([{"country_iso3": c, "period": p, "report_year": p, "value": str(v), "value_num": v,
                          "source_id": s} for c, p, v, s in rows])


def test_peer_table_takes_latest_values_with_years_and_sources():
    tier_rows = world([("A", 2014, 0, "t"), ("A", 2015, 0, "t")])
    tier_rows["value"] = ["Tier 3", "Tier 2"]
    cpi = world([("A", 2022, 30, "c"), ("A", 2023, 31, "c"), ("B", 2023, 50, "c")])
    conv = world([("B", 2020, 7, "u")])
    table = indicators.peer_table(["A", "B"], {"A": "Aland", "B": "Bland"}, tier_rows, cpi, conv)
    a, b = table.iloc[0], table.iloc[1]
    assert (a["tier"], a["tier_year"], a["cpi"], a["cpi_year"]) == ("Tier 2", 2015, "31", 2023)
    assert pd.isna(a["convictions"]) and b["convictions"] == "7" and pd.isna(b["tier"])


def test_cpi_context_rank_of_n_and_peer_median():
    scores = world([("KAZ", 2013, 26, "ti")])
    ranks = world([("KAZ", 2013, 140, "ti")])
    of = world([("WLD", 2013, 177, "ti")])
    peers = world([("KAZ", 2013, 26, "ti"), ("KGZ", 2013, 24, "ti"), ("UZB", 2013, 17, "ti")])
    ctx = indicators.cpi_context(scores, ranks, of, peers).iloc[0]
    assert (ctx["score"], ctx["rank"], ctx["of"], ctx["peer_median"], ctx["peers_scored"]) == (26, 140, 177, 24, 3)
