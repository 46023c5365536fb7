"""Waiver and automatic-downgrade flags for the tier placements read in narratives.

A flag is set only on evidence that can be checked: the placement's own quote says so
(value_rule empty), or the tier rows imply it by a rule of tier_rules (value_rule names it,
note names the placements it rests on). A gatherer's note is never evidence on its own.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import schema
from ..tables import read_table
from ..tier_rules import RULE_FOR_FLAG, RULES, TierHistory, explain
from ..value_rules import FLAG_WORDS

KEY = ["country_iso3", "report_year"]


def other_tiers(root: Path, written: set[str]) -> pd.DataFrame:
    """tip_tier rows of every facts file of the package except those being written now."""
    frames = [read_table(root / rel) for rel in schema.resource("facts", root)["path"]
              if rel not in written and (root / rel).is_file()]
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=schema.columns("facts", root))
    return rows[rows["indicator"] == "tip_tier"]


def tier_flags(read: pd.DataFrame, history: TierHistory) -> pd.DataFrame:
    """Flags from every copy read (any copy's quote may say so), else from the tier rows' rule."""
    flags = []
    for indicator, rule in RULE_FOR_FLAG.items():
        _, tier, earlier = RULES[rule]
        placed = read[read["value"] == tier]
        said = placed[placed["quote"].str.contains(FLAG_WORDS[indicator])].drop_duplicates(KEY)
        said_notes = ["; ".join(filter(None, ["stated in the placement's quote", n])) for n in said["note"]]
        flags.append(said.assign(indicator=indicator, value_rule="", note=said_notes))
        rest = placed.drop_duplicates(KEY)
        rest = rest[~rest.set_index(KEY).index.isin(said.set_index(KEY).index)]
        years = [earlier(history, iso3, int(year)) for iso3, year in zip(rest["country_iso3"], rest["report_year"])]
        derived = rest[pd.Series([y is not None for y in years], index=rest.index, dtype=bool)]
        notes = [explain(history, iso3, y, rule) for iso3, y in zip(derived["country_iso3"], filter(None, years))]
        flags.append(derived.assign(indicator=indicator, value_rule=rule, note=notes))
    return pd.concat(flags, ignore_index=True).assign(value="true", unit="flag")
