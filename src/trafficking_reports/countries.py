"""Countries, their report names and regions, and the reviewed alias mapping.

Nothing guesses names at run time: a name resolves only through data/countries.csv
(ISO3 codes and report names) and data/country_aliases.csv (reviewed variants).
"""

from __future__ import annotations

import difflib
import unicodedata
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .errors import UnknownCountryError
from .paths import data_dir
from .tables import read_table


def normalise(name: str) -> str:
    """Case, accents, quotes and spacing do not distinguish country names."""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("&", " and ")
    return " ".join(text.casefold().strip().strip('"').split())


def closest_names(name: str, shown: dict[str, str], n: int = 5) -> list[str]:
    """The n names closest to `name` (as typed, then normalised), as `shown` labels them, without repeats.
    Countries and regions share it, so a near miss is suggested the same way for both."""
    hits = difflib.get_close_matches(str(name), list(shown), n=n * 2, cutoff=0.5)
    hits += difflib.get_close_matches(normalise(name), [normalise(x) for x in shown], n=n, cutoff=0.5)
    by_norm = {normalise(x): x for x in shown}
    out: list[str] = []
    for hit in hits:
        label = shown[by_norm.get(hit, hit)]
        if label not in out:
            out.append(label)
    return out[:n]


class CountryResolver:
    def __init__(self, countries: pd.DataFrame, aliases: pd.DataFrame):
        self.countries = countries
        self.aliases = aliases
        self._lookup: dict[str, str] = {}
        for alias, iso3 in zip(aliases["alias"], aliases["iso3"]):
            self._lookup[normalise(alias)] = iso3
        for iso3, name in zip(countries["iso3"], countries["name"]):
            self._lookup[normalise(name)] = iso3
            self._lookup[normalise(iso3)] = iso3
        self._names = dict(zip(countries["iso3"], countries["name"]))

    @classmethod
    def from_data(cls, root: Path | None = None) -> CountryResolver:
        return _cached_resolver(str(root or data_dir()))

    @staticmethod
    def clear_cache() -> None:
        _cached_resolver.cache_clear()

    def iso3_or_none(self, name_or_code: str) -> str | None:
        if name_or_code is None:
            return None
        return self._lookup.get(normalise(name_or_code))

    def resolve(self, name_or_code: str) -> str:
        iso3 = self.iso3_or_none(name_or_code)
        if iso3 is None:
            close = self.closest(name_or_code)
            hint = f" Closest: {', '.join(close)}." if close else ""
            raise UnknownCountryError(
                f"Unknown country {name_or_code!r}: not an ISO3 code, report name or reviewed "
                f"alias (data/countries.csv, data/country_aliases.csv).{hint}"
            )
        return iso3

    def closest(self, name: str, n: int = 5) -> list[str]:
        names = {self.name(code): code for code in self.countries["iso3"]}
        names.update({alias: self._lookup[normalise(alias)] for alias in self.aliases["alias"]})
        return closest_names(name, {label: f"{self.name(code)} ({code})" for label, code in names.items()}, n)

    def name(self, iso3: str) -> str:
        try:
            return self._names[iso3]
        except KeyError:
            raise UnknownCountryError(f"Unknown ISO3 code {iso3!r}") from None

    def row(self, iso3: str) -> pd.Series:
        return self.countries.set_index("iso3").loc[iso3]


@lru_cache(maxsize=4)
def _cached_resolver(root: str) -> CountryResolver:
    base = Path(root)
    countries = read_table(base / "countries.csv")
    alias_path = base / "country_aliases.csv"
    aliases = read_table(alias_path) if alias_path.exists() else pd.DataFrame(columns=["alias", "iso3"])
    return CountryResolver(countries, aliases)


def load_countries(root: Path | None = None) -> pd.DataFrame:
    return CountryResolver.from_data(root).countries.copy()


def subregion_peers(iso3: str, root: Path | None = None) -> list[str]:
    """ISO3 codes sharing the country's UN M49 sub-region (the country included)."""
    countries = load_countries(root)
    sub = countries.loc[countries["iso3"] == iso3, "sub_region"]
    if sub.empty or pd.isna(sub.iloc[0]):
        return [iso3]
    return sorted(countries.loc[countries["sub_region"] == sub.iloc[0], "iso3"])
