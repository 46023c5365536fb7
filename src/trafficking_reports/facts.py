"""The loading API notebooks use: facts with their sources, typed for analysis.

    from trafficking_reports.facts import load_facts, facts_for
    kaz = facts_for("Kazakhstan")          # every fact about one country
    kaz.series("unodc_persons_convicted")  # one indicator by year, with provenance
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import schema
from .countries import CountryResolver
from .paths import data_dir
from .tables import read_table

# How a fact's note starts when it was read in a third-party copy of the publisher's text
# (importers.narratives writes it; reports mark such values).
THIRD_PARTY_COPY = "read in a third-party copy"

CENSORED = re.compile(r"^<(\d+)$")


def _root(root: Path | str | None) -> str:
    return str(Path(root or data_dir()).resolve())


@lru_cache(maxsize=4)
def _load_facts(root: str) -> pd.DataFrame:
    base = Path(root)
    frames = []
    for name in ("facts", "qualitative_facts"):
        for rel in schema.resource(name, base)["path"]:
            df = read_table(base / rel)
            df["table"] = name
            frames.append(df)
    facts = pd.concat(frames, ignore_index=True)
    facts["period"] = facts["period"].astype(int)
    facts["report_year"] = pd.to_numeric(facts["report_year"]).astype("Int64")
    censored = facts["value"].str.extract(CENSORED, expand=False)
    # Upper bound of a censored count: "<5" means at most 4.
    facts["censored_max"] = pd.to_numeric(censored) - 1
    numeric = pd.to_numeric(facts["value"], errors="coerce")
    facts["value_num"] = numeric.where(facts["value_qualifier"] != "censored", np.nan)
    # When sources give the same value twice, the newer edition is preferred (indicators.preferred).
    published = _load("sources", root).set_index("source_id")["date_published"]
    facts["source_date"] = facts["source_id"].map(published).fillna("")
    return facts


def load_facts(root: Path | str | None = None) -> pd.DataFrame:
    """All facts (quantitative and qualitative), one row each, with parsed numbers.

    Columns: those of the schema, plus value_num (float; NaN for text and censored
    values), censored_max (the largest count a censored value allows), source_date (the
    source's publication date, for preferring the newer edition) and table.
    """
    return _load_facts(_root(root)).copy()


@lru_cache(maxsize=4)
def _load(name: str, root: str) -> pd.DataFrame:
    return read_table(Path(root) / schema.resource(name, Path(root))["path"][0])


def load_sources(root: Path | str | None = None) -> pd.DataFrame:
    return _load("sources", _root(root)).copy()


def load_indicators(root: Path | str | None = None) -> pd.DataFrame:
    return _load("indicators", _root(root)).copy()


class CountryFacts:
    """The facts about one country, plus the lookups a report needs."""

    def __init__(self, iso3: str, facts: pd.DataFrame, root: str):
        self.iso3 = iso3
        self.facts = facts
        self.root = root
        self.name = CountryResolver.from_data(Path(root)).name(iso3)
        self._by_indicator: dict[str, pd.DataFrame] = {}

    def __len__(self) -> int:
        return len(self.facts)

    def indicator(self, indicator: str) -> pd.DataFrame:
        # A report asks for the same indicator several times (~55 asks, ~15 indicators).
        if indicator not in self._by_indicator:
            self._by_indicator[indicator] = self.facts[self.facts["indicator"] == indicator].sort_values(
                ["period", "source_id"])
        return self._by_indicator[indicator].copy()

    def series(self, indicator: str, first_year: int | None = None, last_year: int | None = None,
               ) -> pd.DataFrame:
        """One row per period (and source): period, value, value_num, censored_max, source_id, ..."""
        rows = self.indicator(indicator)
        if first_year is not None:
            rows = rows[rows["period"] >= first_year]
        if last_year is not None:
            rows = rows[rows["period"] <= last_year]
        return rows.reset_index(drop=True)

    def has(self, indicator: str) -> bool:
        return not self.indicator(indicator).empty


def facts_for(country: str, root: Path | str | None = None) -> CountryFacts:
    """Facts about one country, given by name, reviewed alias or ISO3 code."""
    base = _root(root)
    iso3 = CountryResolver.from_data(Path(base)).resolve(country)
    facts = _load_facts(base)
    return CountryFacts(iso3, facts[facts["country_iso3"] == iso3].copy(), base)


def world_facts(indicator: str, root: Path | str | None = None) -> pd.DataFrame:
    """One indicator for every country (e.g. for peers and the global overview)."""
    return _world_facts(indicator, _root(root)).copy()


def clear_caches() -> None:
    """Forget tables read so far (tests change data/ between runs)."""
    for cached in (_load_facts, _load, _world_facts):
        cached.cache_clear()


@lru_cache(maxsize=32)
def _world_facts(indicator: str, root: str) -> pd.DataFrame:
    # The same for every report a worker builds (cached like the facts it is cut from).
    facts = _load_facts(root)
    return facts[facts["indicator"] == indicator]


def source_ids(*frames: pd.DataFrame) -> list[str]:
    """The sources behind the given fact rows: how a derived value is traced to its inputs."""
    ids: set[str] = set()
    for frame in frames:
        if "source_id" in frame:
            ids.update(frame["source_id"].dropna())
    return sorted(ids)


def countries_with_facts(root: Path | None = None) -> list[str]:
    """Countries (with a UN region) that have at least one fact."""
    facts = load_facts(root)
    countries = CountryResolver.from_data(Path(_root(root))).countries.set_index("iso3")
    with_region = set(countries.index[countries["region"].notna()])
    return sorted(set(facts["country_iso3"]) & with_region)
