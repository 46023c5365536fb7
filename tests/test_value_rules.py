"""How a quote supports a value: literally, or by one of the named rules."""

from __future__ import annotations

import pytest

from conftest import DATA
from trafficking_reports import schema
from trafficking_reports.tier_rules import RULES
from trafficking_reports.value_rules import DATASET_RULES, QUOTE_RULES, literal, number_words, rule_for


@pytest.mark.parametrize("kind, indicator, value, quote, expected", [
    ("count", "tip_victims_identified", "1653", "The government identified 1,653 victims", ""),
    ("count", "tip_victims_identified", "1653", "identified 1653 victims", ""),
    ("count", "tip_victims_identified", "13", "The government identified nine victims (13 in 2017).", ""),
    ("count", "tip_victims_identified", "9", "The government identified nine victims (13 in 2017).", "number_word"),
    ("count", "tip_victims_identified", "21", "compared with twenty-one victims", "number_word"),
    ("count", "tip_victims_identified", "0", "The government did not identify or refer any victims", "none_stated"),
    ("count", "tip_convictions_persons", "0", "The government had no convictions", "none_stated"),
    ("years", "max_penalty_years", "8", "five to eight years' imprisonment", "number_word"),
    ("years", "max_penalty_years", "30", "between 20 to 30 years' imprisonment", ""),
    ("tier", "tip_tier", "Tier 2", "ARUBA: Tier 2*", ""),
    ("tier", "tip_tier", "Tier 2 Watch List", "LAOS: TIER 2 WATCH LIST", ""),
    ("tier", "tip_tier", "Tier 1", "The Government of Iceland fully meets the minimum standards",
     "tier_standard_sentence"),
    ("tier", "tip_tier", "Tier 3", "does not fully meet the minimum standards for the elimination of trafficking "
     "and is not making significant efforts to do so", "tier_standard_sentence"),
    ("flag", "role_transit", "true", "a source, transit, and destination country", ""),
    ("text", "membership", "Budapest Process", "as member of the Budapest Process, a forum", ""),
    ("text", "policy_event", "Working Group established", "a Working Group was established", "summarised"),
])
def test_rule_for_names_how_the_quote_gives_the_value(kind, indicator, value, quote, expected):
    assert rule_for(kind, indicator, value, quote) == expected


@pytest.mark.parametrize("kind, indicator, value, quote", [
    ("count", "tip_victims_identified", "8", "The government identified 18 victims"),  # 8 is not in 18
    ("count", "tip_victims_identified", "20", "identified twenty-one victims"),  # twenty is not twenty-one
    ("count", "tip_victims_identified", "7", "The government identified nine victims"),
    ("count", "tip_victims_identified", "0", "The government identified 12 victims"),  # nothing says none
    ("tier", "tip_tier", "Tier 2", "KUWAIT: Tier 2 Watch List"),  # the Watch List is not Tier 2
    ("tier", "tip_tier", "Tier 2", "does not fully meet the minimum standards but is making significant efforts"),
    ("flag", "tip_waiver", "true", "KUWAIT: Tier 2 Watch List"),
])
def test_rule_for_finds_no_rule_where_the_quote_does_not_give_the_value(kind, indicator, value, quote):
    assert rule_for(kind, indicator, value, quote) is None


def test_number_words():
    assert number_words(0) == ["zero"] and number_words(40) == ["forty"]
    assert "one hundred and five" in number_words(105)
    assert not literal("count", "x", "1", "someone reported")


def test_the_vocabulary_is_defined_once_in_the_schema_and_every_rule_is_implemented():
    defined = schema.value_rules(DATA)
    implemented = set(QUOTE_RULES) | set(DATASET_RULES) | set(RULES)
    assert set(defined) == implemented
    assert all(defined.values())
    field = next(f for f in schema.resource("facts", DATA)["schema"]["fields"] if f["name"] == "value_rule")
    assert field["constraints"]["enum"] == list(defined)
