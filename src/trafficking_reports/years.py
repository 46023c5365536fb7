"""The years a report covers, checked before anything runs or is written.

The notebook takes any first_year and last_year; a window the facts cannot fill (reversed,
in the future, before any source) gave a short report saying that nothing is recorded, which
is wrong rather than empty. And 0 silently meant "the default".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .errors import ReportParameterError

EARLIEST = 1990  # no source in the data package reaches further back


def latest_allowed() -> int:
    return dt.date.today().year + 1


def check_years(iso3: str, first_year: int | None, last_year: int | None, root: Path | None = None) -> None:
    """Raise ReportParameterError unless the window is sound and overlaps the country's facts."""
    if first_year is None and last_year is None:
        return
    limit = latest_allowed()
    for option, year in (("--first-year", first_year), ("--last-year", last_year)):
        if year is not None and not EARLIEST <= year <= limit:
            raise ReportParameterError(f"{option} {year} is outside the years reports can cover "
                                       f"({EARLIEST}-{limit}); leave it out for the years with data")
    if first_year is not None and last_year is not None and first_year > last_year:
        raise ReportParameterError(f"--first-year {first_year} is after --last-year {last_year}")
    from .facts import load_facts

    facts = load_facts(root)
    periods = facts.loc[facts["country_iso3"] == iso3, "period"]
    if periods.empty:
        return  # the report will say there are no facts at all, which is true for any window
    low, high = int(periods.min()), int(periods.max())
    first = first_year if first_year is not None else low
    last = last_year if last_year is not None else high
    if first > last or last < low or first > high:
        raise ReportParameterError(f"{iso3} has facts for {low}-{high}; the years asked for ({first}-{last}) "
                                   f"hold none of them")
