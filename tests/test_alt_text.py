"""Alt text generated from the data each figure draws: runs of tiers, series of counts, changes, CPI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trafficking_reports import alt_text
from trafficking_reports.report import CountryReport


def tiers(*placements, others=None):
    """placements: (report_year, tier) pairs."""
    frame = pd.DataFrame(placements, columns=["report_year", "tier"])
    frame["others"] = [tuple((others or {}).get(y, ())) for y in frame["report_year"]]
    return frame


def counts(*points, censored=()):
    """points: (period, value) pairs; periods in `censored` are '<5'."""
    rows = []
    for period, value in points:
        if period in censored:
            rows.append({"period": period, "value": "<5", "value_num": np.nan, "value_qualifier": "censored",
                         "censored_max": 4.0})
        else:
            rows.append({"period": period, "value": str(value), "value_num": float(value), "value_qualifier": "exact",
                         "censored_max": np.nan})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("years, expected", [
    ([2019, 2020, 2022], "2019-2020, 2022"),
    ([2022, 2019, 2020, 2020], "2019-2020, 2022"),  # order and repeats do not matter
    ([2015, 2017], "2015, 2017"),  # a missing year breaks the range
    ([2011], "2011"),
])
def test_year_ranges(years, expected):
    assert alt_text.year_ranges(years) == expected


def test_tier_runs_are_grouped_by_tier_latest_first():
    frame = tiers((2019, "Tier 2 Watch List"), (2020, "Tier 2 Watch List"), (2022, "Tier 2"), (2023, "Tier 2"),
                  (2024, "Tier 2"), (2025, "Tier 2"))
    assert alt_text.tier_trajectory(frame) == "Tier 2 in 2022-2025; Tier 2 Watch List in 2019-2020."


def test_a_tier_that_returns_is_not_one_run_across_the_years_between():
    frame = tiers((2019, "Tier 2 Watch List"), (2020, "Tier 2 Watch List"), (2021, "Tier 2"),
                  (2022, "Tier 2 Watch List"), (2023, "Tier 3"))
    assert alt_text.tier_trajectory(frame) == ("Tier 3 in 2023; Tier 2 Watch List in 2019-2020, 2022; "
                                               "Tier 2 in 2021.")


def test_a_year_without_a_placement_breaks_the_run():
    assert alt_text.tier_trajectory(tiers((2015, "Tier 2"), (2017, "Tier 2"))) == "Tier 2 in 2015, 2017."


def test_a_disagreeing_source_is_said():
    frame = tiers((2023, "Tier 2"), others={2023: [("Tier 3", "other_source")]})
    assert alt_text.tier_trajectory(frame) == "Tier 2 in 2023. Another source gives Tier 3 for 2023."


def test_a_short_series_is_listed_with_censored_values_as_published():
    text = alt_text.series("Convictions", counts((2011, 10), (2012, 6), (2013, 0), censored={2013}))
    assert text == "Convictions: 10 in 2011, 6 in 2012, <5 in 2013."


def test_a_long_series_is_summarised_with_its_gaps_and_extremes():
    points = [(2003, 9), (2004, 12), (2005, 1653), (2006, 20), (2009, 4), (2010, 7), (2011, 8), (2012, 0)]
    text = alt_text.series("Persons convicted", counts(*points, censored={2012}))
    # 4 and "<5" (0-4) cannot be ordered: both are said.
    assert text == ("Persons convicted: 8 figures, 2003-2012 (2 years without a figure); from 9 in 2003 to <5 in "
                    "2012; highest 1,653 in 2005, lowest 4 in 2009 (suppressed: <5 in 2012).")


def test_a_suppressed_count_is_the_lowest_when_every_figure_is_above_it():
    points = [(2003, 9), (2004, 0), (2005, 0), (2006, 11), (2007, 21), (2008, 20), (2009, 20)]
    text = alt_text.series("Persons prosecuted", counts(*points, censored={2004, 2005}))
    assert text.endswith("; highest 21 in 2007, lowest <5 in 2004-2005.")


def test_counts_chart_says_every_line_and_skips_empty_ones():
    specs = [{"label": "A", "rows": counts((2020, 1))}, {"label": "B", "rows": counts()},
             {"label": "C", "rows": counts((2021, 2))}]
    assert alt_text.counts_over_time(specs) == "A: 1 in 2020. C: 2 in 2021."


def changes(*pairs):
    return pd.DataFrame(pairs, columns=["period", "percent"])


def test_yoy_short_lists_each_change_and_undefined_ones():
    text = alt_text.yoy_bars({"Convicted": changes((2011, np.nan), (2012, -40.0), (2013, 25.0))})
    assert text == "Convicted: n/a in 2011, -40% in 2012, +25% in 2013."


def test_yoy_long_gives_rises_falls_and_the_largest_of_each():
    table = changes((2010, np.nan), (2011, 10.0), (2012, -50.0), (2013, 0.0), (2014, 120.0), (2015, -5.0),
                    (2016, np.nan), (2017, 3.0))
    assert alt_text.yoy_bars({"Victims": table}) == (
        "Victims: 8 years, 2010-2017 (change undefined in 2); 3 rises, 2 falls, 1 unchanged; "
        "largest rise +120% in 2014; largest fall -50% in 2012.")


def test_cpi_alt_text_gives_score_median_and_latest_rank():
    context = pd.DataFrame({"period": [2022, 2023], "score": [36.0, 39.0], "rank": [101.0, np.nan],
                            "of": [180.0, np.nan], "peer_median": [25.0, 26.0]})
    assert alt_text.cpi_chart(context, "Kazakhstan", "Central Asia") == (
        "Kazakhstan's CPI score: 36 in 2022, 39 in 2023. Central Asia median: 25 in 2022, 26 in 2023. "
        "Rank 101 of 180 in 2022.")


def test_tier_distribution_gives_first_and_latest_year():
    table = pd.DataFrame({"Tier 1": [20, 30], "Tier 2": [50, 0], "Tier 3": [10, 12]}, index=[2001, 2025])
    assert alt_text.tier_distribution(table) == (
        "Countries per tier in 2 report years, 2001-2025. First, 2001: Tier 1 20, Tier 2 50, Tier 3 10 "
        "(80 countries); latest, 2025: Tier 1 30, Tier 3 12 (42 countries).")


def test_tier_scatter_gives_count_and_median_per_tier():
    points = pd.DataFrame({"tier": ["Tier 1", "Tier 1", "Tier 3"], "x": [80.0, 70.0, 20.0]})
    assert alt_text.tier_scatter(points, "CPI score 2024") == (
        "3 countries, each a point: CPI score 2024 across, tier up the side. Tier 1: 2 countries, median 75; "
        "Tier 3: 1 country, median 20.")


def test_the_report_figures_carry_the_generated_alt_text():
    report = CountryReport("Kazakhstan")
    spec = report.model("tier_section")["figure"]
    assert spec.alt == "Tier placement by report year: " + alt_text.tier_trajectory(report.tiers)
    assert f'alt="{spec.alt}"' in report.html("tier_section")
    convicted = report.model("law_enforcement_section")["figure"].alt
    assert "Persons convicted (UNODC): " in convicted and " in 2021" in convicted
