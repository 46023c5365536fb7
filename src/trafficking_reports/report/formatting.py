"""How numbers, changes and dates read in a report. Plain text: templates escape it."""

from __future__ import annotations

import pandas as pd

from .. import indicators


def fmt_number(value: float | None) -> str:
    if value is None or pd.isna(value):
        return "n/a"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def fmt_value(row: pd.Series) -> str:
    """A fact's value as readers should see it: '1,653', '<5', 'Tier 2'."""
    if row["value_qualifier"] == "censored" or pd.isna(row["value_num"]):
        return str(row["value"])
    return fmt_number(row["value_num"])


def change_unknown(change: indicators.Change) -> str:
    """Why a change cannot be given, in a reader's words: 'n/a: <5 in 2021', 'n/a: no figure for 2020'."""
    if change.status.startswith("censored value in "):
        return f"n/a: <5 in {change.status.removeprefix('censored value in ')}"
    return f"n/a: {change.status}"


def fmt_change(change: indicators.Change) -> str:
    if not change.defined:
        return change_unknown(change)
    word = "up" if change.absolute > 0 else "down" if change.absolute < 0 else "unchanged"
    if word == "unchanged":
        return f"unchanged from {fmt_number(change.previous_value)} in {change.previous_period}"
    pct = "" if change.percent is None else f", {change.percent:+.0f}%"
    return (f"{word} {fmt_number(abs(change.absolute))}{pct} from {fmt_number(change.previous_value)} "
            f"in {change.previous_period}")


def fmt_date(iso: str) -> str:
    """'2008-07-31' -> '31 July 2008'."""
    day = pd.Timestamp(iso)
    return f"{day.day} {day:%B %Y}"
