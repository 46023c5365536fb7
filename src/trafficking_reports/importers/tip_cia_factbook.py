"""TIP tiers as the CIA World Factbook repeats them -> data/facts/tip_cia_factbook.csv.

A SECONDARY copy of the State Department's lists. The Factbook carries only Tier 2 Watch
List, Tier 3 and (from 2025) Special Case. Two kinds of text, both kept:
- the world page's complete lists of an edition ("Tier 2 Watch List: (26 countries) A, B ...
  (2023)   Tier 3: ..."), whose closing "(YYYY)" is the report year;
- a country's own text ("Tier 3 - Algeria does not fully ... (2020)"), whose report year is
  its closing "(YYYY)" or the year in its state.gov link.
A text without a year names no edition and is skipped; so are editions before 2016 (the
compiled panel holds them). One edition placing a country twice stops the import.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from ..countries import CountryResolver
from .common import (
    UpstreamFormatError,
    import_facts,
    one_tier_per_edition,
    require_columns,
    require_file,
    secondary_tip_source,
    tier_fact,
)

RAW_FILE = Path("tip_secondary") / "cia_factbook" / "tier_rating_texts.csv"
FIRST_YEAR = 2016
SOURCE = secondary_tip_source(
    "usdos_tip_tiers_via_cia_factbook",
    "Trafficking in Persons Report, Tier 2 Watch List, Tier 3 and Special Case placements, as repeated in the "
    "CIA World Factbook (Transnational Issues: tier rating)",
    "report years 2020, 2022-2025",
    "CIA World Factbook (US government work), read in the weekly history of github factbook/factbook.json "
    "(CC0), 2016-11 to 2026-05; the Factbook lists only Watch List, Tier 3 and Special Case.")
LABEL = re.compile(r"^\s*(Tier 2 Watch List|Tier 3|Tier 2|Tier 1|Special Case)\b", re.I)
YEAR_AT_END = re.compile(r"\((20\d\d)\)\s*$")
YEAR_IN_LINK = re.compile(r"/reports/(20\d\d)-trafficking-in-persons-report")
WORLD_LIST = re.compile(r"(Tier 2 Watch List|Tier 3|Special Case)\s*:\s*(?:\(\d+ countr(?:y|ies)\))?\s*(.*?)"
                        r"\((20\d\d)\)", re.I | re.S)
# Two Factbook pages whose short name is no country name ("none", "The Dominican"); the file
# name is the Factbook's FIPS code: ct = Central African Republic, dr = Dominican Republic.
FACTBOOK_FILES = {"africa/ct.json": "CAF", "central-america-n-caribbean/dr.json": "DOM"}
# Texts reviewed by hand and left out, keyed by (file, first_seen), each with why.
LEFT_OUT = {
    ("east-n-southeast-asia/my.json", "2023-08-11"):
        "label changed to Tier 2 Watch List while the text and its year tag are still the 2022 narrative's "
        "(Tier 3 in the 2022 world list); the label's edition cannot be told from the text",
}
PENDING = re.compile(r"update pending", re.I)  # "Tier 3 - update pending (2024)": the old label, no placement
CANONICAL = {"tier 2 watch list": "Tier 2 Watch List", "tier 3": "Tier 3", "tier 2": "Tier 2", "tier 1": "Tier 1",
             "special case": "Special Case"}


def plain(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", html.unescape(str(text)))
    return " ".join(text.replace("\u00a0", " ").split())


def country_placements(text: str) -> tuple[str, int] | None:
    """(tier, report year) of one country's text, or None when it names no edition."""
    label = LABEL.match(text)
    year = YEAR_AT_END.search(text) or YEAR_IN_LINK.search(text)
    if not label or not year:
        return None
    return CANONICAL[label.group(1).casefold()], int(year.group(1))


def world_placements(text: str) -> list[tuple[str, str, int]]:
    """(country as written, tier, report year) from the world page's lists."""
    out = []
    for tier, names, year in WORLD_LIST.findall(text):
        for name in names.split(","):
            if name.strip():
                out.append((name.strip(), CANONICAL[tier.casefold()], int(year)))
    return out


def build(raw_dir: Path, data_dir: Path) -> pd.DataFrame:
    path = require_file(raw_dir / RAW_FILE)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(raw, ["file", "country_short_name", "first_seen", "last_seen", "tier_rating_text"], path)
    resolver = CountryResolver.from_data(data_dir)
    rows = []
    for idx, rec in raw.iterrows():
        where = f"{RAW_FILE.name}, row {idx + 2} ({rec['file']}, seen {rec['first_seen']} to {rec['last_seen']})"
        text = plain(rec["tier_rating_text"])
        if rec["file"].startswith("world/"):
            placements = [(resolver.iso3_or_none(name), name, tier, year)
                          for name, tier, year in world_placements(text)]
            where += ", world list"
        elif (rec["file"], rec["first_seen"]) in LEFT_OUT or PENDING.search(text):
            continue
        else:
            found = country_placements(text)
            iso3 = FACTBOOK_FILES.get(rec["file"]) or resolver.iso3_or_none(rec["country_short_name"])
            placements = [(iso3, rec["country_short_name"], *found)] if found else []
        for iso3, name, tier, year in placements:
            if year < FIRST_YEAR:
                continue
            if iso3 is None:
                raise UpstreamFormatError(f"{path}: row {idx + 2}: country {name!r} not in data/country_aliases.csv")
            rows.append(tier_fact(iso3, year, tier, SOURCE["source_id"], where))
    return one_tier_per_edition(rows, path)  # weekly copies repeat a text


def run(raw_dir: Path, data_dir: Path) -> dict:
    return import_facts(build, raw_dir, data_dir, "tip_cia_factbook.csv", [(SOURCE, RAW_FILE)])
