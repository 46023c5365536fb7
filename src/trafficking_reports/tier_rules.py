"""Waivers and automatic downgrades that the tier placements themselves imply.

The TVPA (section 110(b)(2), as amended by the TVPRA of 2008) counts Watch List years from
the 2009 report: a country on Tier 2 Watch List two years running must go to Tier 3 the next
year unless it is granted a waiver, and through the 2018 report a waiver could be granted for
at most two years running. So, from a country's tier rows alone:

- waiver_third_watch_list_year: Watch List in an edition and the two before it -> that
  placement needed a waiver;
- downgrade_after_four_watch_list_years: Tier 3 in a 2013-2018 edition after four Watch List
  years -> a fifth was barred, so the Tier 3 is the automatic downgrade. (The 2018 Frederick
  Douglass Act changed the limits from the 2019 report on; there the rule is not applied.)

A year counts only when every tier row of it in the data gives that tier (a year whose copies
disagree, or that is missing, breaks the run). The narrative importer derives flags with these
rules; validation re-checks every flag that names one against the tier rows.
"""

from __future__ import annotations

import pandas as pd

WATCH_LIST = "Tier 2 Watch List"
FIRST_COUNTED = 2009  # the first report after the TVPRA of 2008
TWO_WAIVER_EDITIONS = range(2013, 2019)


class TierHistory:
    """Every tier placement in the data, by country and report year, with the sources giving it."""

    def __init__(self, tiers: pd.DataFrame):
        years = tiers["report_year"].astype(int)
        self._values = tiers.groupby([tiers["country_iso3"], years])["value"].agg(frozenset).to_dict()
        self._sources = tiers.groupby([tiers["country_iso3"], years])["source_id"].agg(
            lambda s: ", ".join(sorted(set(s)))).to_dict()

    def only(self, iso3: str, year: int, tier: str) -> bool:
        return self._values.get((iso3, year)) == frozenset({tier})

    def sources(self, iso3: str, year: int) -> str:
        return self._sources.get((iso3, year), "")


def waiver_years(history: TierHistory, iso3: str, year: int) -> list[int] | None:
    """The earlier Watch List editions that make this edition's Watch List placement need a waiver."""
    before = [year - 2, year - 1]
    if before[0] >= FIRST_COUNTED and all(history.only(iso3, y, WATCH_LIST) for y in [*before, year]):
        return before
    return None


def downgrade_years(history: TierHistory, iso3: str, year: int) -> list[int] | None:
    """The four Watch List editions that make this edition's Tier 3 the automatic downgrade."""
    before = list(range(year - 4, year))
    if (year in TWO_WAIVER_EDITIONS and before[0] >= FIRST_COUNTED and history.only(iso3, year, "Tier 3")
            and all(history.only(iso3, y, WATCH_LIST) for y in before)):
        return before
    return None


# value_rule -> (the flag it sets, the tier placed that year, how to find the earlier editions)
RULES = {
    "waiver_third_watch_list_year": ("tip_waiver", WATCH_LIST, waiver_years),
    "downgrade_after_four_watch_list_years": ("tip_automatic_downgrade", "Tier 3", downgrade_years),
}
RULE_FOR_FLAG = {flag: rule for rule, (flag, _, _) in RULES.items()}


def explain(history: TierHistory, iso3: str, years: list[int], rule: str) -> str:
    """The note of a derived flag: the earlier placements it rests on, with their sources."""
    shown = "; ".join(f"{y} ({history.sources(iso3, y)})" for y in years)
    if rule == "waiver_third_watch_list_year":
        return (f"derived ({rule}): Tier 2 Watch List also in {shown}; a third consecutive Watch List year "
                "requires a waiver under the TVPA")
    return (f"derived ({rule}): Tier 2 Watch List in {shown}; after four Watch List years the TVPA "
            "(two waiver years at most through 2018) barred a fifth")
