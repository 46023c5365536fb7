"""Quotes against values: every value read in text is in its quote, or a named rule gives it.

A row with a quote and no value_rule must hold its value literally (value_rules.literal);
a quote rule must fit (value_rules.fits); a tier-history rule must hold in the data's tier
rows (tier_rules). A row without a quote was read in a dataset and says so (transcribed,
rows_counted).
"""

from __future__ import annotations

import pandas as pd

from .problems import Problem
from .tier_rules import RULES as TIER_RULES
from .tier_rules import TierHistory
from .value_rules import DATASET_RULES, QUOTE_RULES, fits, literal, rule_for


def check_quotes(facts: pd.DataFrame, indicators: pd.DataFrame) -> list[Problem]:
    kinds = indicators.set_index("indicator_id")["value_type"]
    history = TierHistory(facts[facts["indicator"] == "tip_tier"].dropna(subset=["report_year"]))
    problems = []
    columns = ["_file", "_line", "indicator", "value", "quote", "value_rule", "country_iso3", "report_year"]
    # Most rows are dataset cells that say so; only the others need a look, row by row.
    read_in_text = ~(facts["quote"].isna() & facts["value_rule"].isin(DATASET_RULES))
    for file, line, indicator, value, quote, rule, iso3, year in facts.loc[read_in_text, columns].itertuples(
            index=False):
        if value is None or indicator not in kinds.index:
            continue  # reported by the schema's checks
        message = _check(kinds[indicator], indicator, value, quote or "", rule or "", history, iso3, year)
        if message:
            problems.append(Problem(file, line, "value_rule" if rule or not quote else "quote", message))
    return problems


def _check(kind, indicator, value, quote, rule, history, iso3, year) -> str | None:
    if not quote:
        if rule not in DATASET_RULES:
            return (f"no quote, so the value was read in a dataset: value_rule must be one of {sorted(DATASET_RULES)}"
                    + (f", not {rule!r}" if rule else ""))
        return None
    if rule in DATASET_RULES:
        return f"{rule!r} is for values read in a dataset's cells, but this row has a quote"
    if rule == "":
        if literal(kind, indicator, value, quote):
            return None
        hint = rule_for(kind, indicator, value, quote)
        return (f"{value!r} is not in the quote as written"
                + (f"; it follows by the rule {hint!r}: set value_rule" if hint else "; no rule gives it"))
    if rule in QUOTE_RULES:
        return None if fits(rule, kind, value, quote) else f"value_rule {rule!r} does not turn the quote into {value!r}"
    if rule in TIER_RULES:
        flag, _, earlier = TIER_RULES[rule]
        if indicator != flag or value != "true" or year is None or earlier(history, iso3, int(year)) is None:
            return f"value_rule {rule!r} does not hold: the tier rows of {iso3} do not show it for {year}"
        return None
    return None  # an unknown rule: the schema's enum reports it
