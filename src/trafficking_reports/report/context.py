"""What one country's report reads: its facts within the report's years, its UN M49 peers, and the
world-level facts it compares with. Pure data access, no HTML; notebooks explore it directly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import hashing, indicators
from ..countries import load_countries, normalise
from ..facts import facts_for, load_indicators, world_facts

# What a report reads beyond its own facts (and the shared tables). hashing.report_data_digests hashes
# exactly these, so a change to any of them rebuilds the report and shows in its data version; world()
# refuses an indicator not declared here.
PEER_INDICATORS = ("tip_tier", "cpi_score", "unodc_persons_convicted", "gsi_prevalence_per_1000",
                   "gsi_people_in_modern_slavery")
WORLD_INDICATORS = ("cpi_countries_ranked",)


def peer_field(country: pd.Series) -> str | None:
    """Peers share the UN M49 intermediate region where there is one, else the sub-region."""
    for field in ("intermediate_region", "sub_region"):
        if pd.notna(country[field]):
            return field
    return None


def peers_of(countries: pd.DataFrame, iso3: str) -> list[str]:
    """The country's UN M49 peer group, itself included (countries indexed by iso3); [iso3] if it has none."""
    field = peer_field(countries.loc[iso3])
    if field is None:
        return [iso3]
    return sorted(countries.index[countries[field] == countries.loc[iso3, field]])


class ReportContext:
    def __init__(self, country: str, first_year: int | None = None, last_year: int | None = None,
                 root: Path | None = None):
        self.root = root
        self.facts = facts_for(country, root)
        self.data_version = hashing.report_data_digests([self.facts.iso3], root)[self.facts.iso3][:hashing.SHORT]
        self.iso3, self.name = self.facts.iso3, self.facts.name
        periods = self.facts.facts["period"]
        self.first_year = int(first_year) if first_year else (int(periods.min()) if len(periods) else None)
        self.last_year = int(last_year) if last_year else (int(periods.max()) if len(periods) else None)
        self.codebook = load_indicators(root).set_index("indicator_id")
        self.countries = load_countries(root).set_index("iso3")
        me = self.countries.loc[self.iso3]
        self.peer_field = peer_field(me) or "sub_region"
        self.peer_group = me[self.peer_field] if pd.notna(me[self.peer_field]) else None
        self.peers = peers_of(self.countries, self.iso3)

    # -- this country's facts ------------------------------------------------------------
    def rows(self, indicator: str) -> pd.DataFrame:
        """This country's facts for one indicator, within the report's years."""
        return self.facts.series(indicator, self.first_year, self.last_year)

    def best(self, indicator: str) -> pd.DataFrame:
        """rows(), one per period where several sources agree or restate (indicators.preferred)."""
        return indicators.preferred(self.rows(indicator))

    def in_years(self, frame: pd.DataFrame, column: str = "period") -> pd.DataFrame:
        """Rows of any country's facts within the report's years (tiers use period = report year)."""
        return frame[frame[column].between(self.first_year or 0, self.last_year or 9999)]

    def tier_rows(self) -> pd.DataFrame:
        return self.rows("tip_tier")

    @property
    def tiers(self) -> pd.DataFrame:
        return indicators.tier_by_year(self.tier_rows())

    def tip_series(self, indicator: str) -> pd.DataFrame:
        return indicators.one_per_period(self.rows(indicator))

    # -- peers and the world ---------------------------------------------------------------
    def world(self, indicator: str) -> pd.DataFrame:
        if indicator not in PEER_INDICATORS + WORLD_INDICATORS:
            raise KeyError(f"{indicator} is not declared in PEER_INDICATORS or WORLD_INDICATORS")
        return world_facts(indicator, self.root)

    def peer_rows(self, indicator: str) -> pd.DataFrame:
        """The peers' preferred facts for one indicator within the report's years."""
        frame = self.world(indicator)
        frame = frame[frame["country_iso3"].isin(self.peers)]
        return indicators.preferred(self.in_years(frame))

    def peer_table(self) -> pd.DataFrame:
        if getattr(self, "_peer_table", None) is None:  # the findings and the peers section both read it
            self._peer_table = self._build_peer_table()
        return self._peer_table.copy()

    def _build_peer_table(self) -> pd.DataFrame:
        tiers = self.world("tip_tier")
        cpi = indicators.preferred(self.world("cpi_score"))
        conv = self.world("unodc_persons_convicted")
        names = self.countries["name"].to_dict()
        return indicators.peer_table(self.peers, names, self.in_years(tiers, "report_year"), self.in_years(cpi),
                                     self.in_years(conv))

    def peer_tier_rows(self, table: pd.DataFrame) -> pd.DataFrame:
        tiers = self.world("tip_tier")
        keys = set(zip(table["iso3"], table["tier_year"], table["tier_source"]))
        mask = [(i, y, s) in keys for i, y, s in zip(tiers["country_iso3"], tiers["report_year"], tiers["source_id"])]
        return tiers[mask]

    def cpi_context(self) -> pd.DataFrame:
        of = self.world("cpi_countries_ranked")
        return indicators.cpi_context(self.best("cpi_score"), self.best("cpi_rank"), of, self.peer_rows("cpi_score"))


# What a regional report reads of its member countries (and WORLD_INDICATORS, and the shared tables):
# hashing.region_data_digests hashes exactly these; RegionContext.rows() refuses any other indicator.
REGION_INDICATORS = ("tip_tier", "unodc_persons_convicted", "unodc_victims_detected", "cpi_score", "cpi_rank",
                     "gsi_prevalence_per_1000", "gsi_people_in_modern_slavery")


class RegionContext:
    """What one regional report reads: its member countries' REGION_INDICATORS facts, side by side."""

    def __init__(self, region: str, root: Path | None = None):
        from ..facts import load_facts
        from ..regions import resolve_region

        self.root = root
        self.region = resolve_region(region, root)
        self.name, self.slug = self.region.name, self.region.slug
        self.countries = load_countries(root).set_index("iso3")
        self.names = {iso3: self.countries.loc[iso3, "name"] for iso3 in self.region.members}
        self.members = sorted(self.region.members, key=lambda iso3: (normalise(self.names[iso3]), iso3))  # by name
        facts = load_facts(root)
        mine = facts[facts["country_iso3"].isin(self.members)]
        self.without_facts = [iso3 for iso3 in self.members if iso3 not in set(mine["country_iso3"])]
        self.facts = mine[mine["indicator"].isin(REGION_INDICATORS)]
        periods = self.facts["period"]
        self.first_year = int(periods.min()) if len(periods) else None
        self.last_year = int(periods.max()) if len(periods) else None
        self.codebook = load_indicators(root).set_index("indicator_id")
        self.data_version = hashing.region_data_digests([self.region], root)[self.slug][:hashing.SHORT]

    def rows(self, indicator: str, iso3: str | None = None) -> pd.DataFrame:
        """The members' facts for one indicator (one member's with iso3)."""
        if indicator not in REGION_INDICATORS:
            raise KeyError(f"{indicator} is not declared in REGION_INDICATORS")
        frame = self.facts[self.facts["indicator"] == indicator]
        return frame if iso3 is None else frame[frame["country_iso3"] == iso3]

    def best(self, indicator: str, iso3: str | None = None) -> pd.DataFrame:
        """rows(), one per country and period where several sources agree or restate (indicators.preferred)."""
        return indicators.preferred(self.rows(indicator, iso3))

    def tiers(self, iso3: str) -> pd.DataFrame:
        return indicators.tier_by_year(self.rows("tip_tier", iso3))

    def world(self, indicator: str) -> pd.DataFrame:
        if indicator not in WORLD_INDICATORS:
            raise KeyError(f"{indicator} is not declared in WORLD_INDICATORS")
        return world_facts(indicator, self.root)
