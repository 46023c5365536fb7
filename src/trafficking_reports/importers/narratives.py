"""Turn the gathered narrative rows (curation/narratives/) into facts.

The batches hold rows read in stored copies of TIP Report narratives and TI pages, each
with the URL read and the exact phrase, rejected rows included: they are the record of
the review. This importer applies the review rules below, writes
data/facts/tip_narratives.csv, data/facts/ti_cpi_2024.csv, data/facts/secondary_sources.csv
and data/qualitative/policy.csv, and registers one source per report edition. Re-running it
on the same batches gives the same bytes (`python -m trafficking_reports import-narratives`).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from .. import schema
from ..countries import CountryResolver
from ..errors import UpstreamFormatError
from ..facts import THIRD_PARTY_COPY
from ..paths import curation_dir
from ..tables import read_table, write_table
from ..tier_rules import TierHistory
from ..value_rules import rule_for
from .common import DATE_ACCESSED as ACCESSED
from .common import FACT_SORT, register_source
from .tier_flags import other_tiers, tier_flags

BATCHES = "narratives"  # the folder of gathered rows under curation/ (paths.curation_dir)
# Copies accepted as the publisher's own text: the State Department's sites and archives
# (embassies and AIT included), refworld (and UNHCR's archive of it) and ecoi.net, which
# reproduce the narratives, and TI's own site. Anything else (blogs, news, NGO reposts,
# rewording sites, proxies, Wikipedia) is left out, however plausible.
PRIMARY_HOSTS = ("state.gov", "usembassy.gov", "ait.org.tw", "refworld.org", "webarchive.archive.unhcr.org",
                 "ecoi.net", "transparency.org")
# Other copies of the State Department's text, each reviewed by hand, accepted only where no
# primary copy was found. Every row read there says so in its note. The GVNet lists were checked
# against the tiers already held: 281 placements (2009 panel, 2020 and 2023 primary copies), none
# disagreeing (docs/data.md, "Third-party copies").
OTHER_COPIES = {
    "cstreetsandbox.com": "read on the State Department's preview web server "
                          "(public-preview-server.prod.cstreetsandbox.com), same paths as state.gov",
    "gvnet.com": f"{THIRD_PARTY_COPY}: GVNet's tier list or country page, "
                 "'Adapted/Extracted from the U.S. State Dept TIP Report' of this year",
    "amicidilazzaro.it": f"{THIRD_PARTY_COPY}: Amici di Lazzaro's post reproducing the State Department's "
                         "narrative text, titled with this TIP edition",
    "docslib.org": f"{THIRD_PARTY_COPY}: a document-sharing site's copy of the State Department's page",
}
ACCEPTED_HOSTS = PRIMARY_HOSTS + tuple(OTHER_COPIES)
# Of those, the ones that are another publisher's copy: their facts are marked copy=secondary.
SECONDARY_HOSTS = ("gvnet.com", "amicidilazzaro.it", "docslib.org")
# Rows whose value was inferred rather than read (see docs/data.md, "Curation review").
REJECTED_ROWS = {
    ("HKG", "tip_tier", 2022),  # tier inferred from a waiver sentence, heading not read
    ("GHA", "tip_tier", 2021),  # a trashed preview-server draft whose text matches the 2022 narrative
    # "five to 10 years" is Article 240's basic range; aggravated cases carry up to life: not the maximum
    ("CHN", "max_penalty_years", 2019),
    ("CHN", "max_penalty_years", 2023),
}
# Single reads left out, keyed by (iso3, indicator, report year, url), each with why. The same
# value stays in the data through its other copy, so the disagreement is still listed.
REJECTED_READS = {
    # GVNet's June 2023 list puts "Congo (ROC)" on Tier 2, but GVNet's own 2023 country pages place
    # the Republic of the Congo on the Watch List and the DRC on Tier 2, as the CIA's 2023 list does for
    # the Republic; the list entry is kept as read in facts/tip_web_lists.csv (a listed conflict).
    ("COG", "tip_tier", 2023, "https://gvnet.com/humantrafficking/00-Ratings.htm"),
    # the tier read only in a third-party post title; such titles were found wrong once (ecoi's 2019 copy
    # has since been read: it agrees)
    ("ROU", "tip_tier", 2019, "https://www.amicidilazzaro.it/index.php/tag/romania-en/"),
}
UNITS = {"cases": "cases", "persons": "persons", "years": "years", "flag": "flag"}
# The tables this importer writes, each with its sort order.
OUTPUTS = {
    "facts/tip_narratives.csv": FACT_SORT,
    "facts/ti_cpi_2024.csv": FACT_SORT,
    "facts/secondary_sources.csv": FACT_SORT,
    "qualitative/policy.csv": FACT_SORT + ["value"],
}


def tip_source(year: int) -> dict:
    return {
        "source_id": f"usdos_tip_{year}",
        "publisher": "U.S. Department of State",
        "title": f"{year} Trafficking in Persons Report, country narratives",
        "edition": str(year),
        "url": "https://www.state.gov/trafficking-in-persons-report/",
        "date_published": str(year),
        "date_accessed": ACCESSED,
        "licence": "US government work (public domain)",
        "sha256": "",
        "note": "Read in stored copies of the narratives (state.gov, its archives, refworld, ecoi.net); each "
                "fact's locator gives the URL read and its quote the phrase.",
    }


CPI_2024 = {
    "source_id": "ti_cpi_2024", "publisher": "Transparency International", "title": "Corruption Perceptions Index 2024",
    "edition": "CPI 2024", "url": "https://www.transparency.org/en/cpi/2024", "date_published": "2025-02-11",
    "date_accessed": ACCESSED, "licence": "CC BY-ND 4.0 (attribute Transparency International)", "sha256": "",
    "note": "Scores read in TI's own regional press releases and news articles on the CPI 2024; no ranks.",
}
SEED = {
    "source_id": "seed_blog_2014", "publisher": "Analyst's blog (author not named in the copy held)",
    "title": "Anti-Trafficking Efforts in Kazakhstan", "edition": "blog post of 12 April 2014",
    "url": "repo:docs/data.md#the-seed-blog-post", "date_published": "2014-04-12", "date_accessed": ACCESSED,
    "licence": "quoted for reference", "sha256": "",
    "note": "Secondary source. Cited only where no stored primary source was found; the post cites the 2013 TIP "
            "Report (http://www.state.gov/j/tip/rls/tiprpt/2013/210548.htm).",
}


def clean_quote(quote: str) -> str:
    """The phrase as read, with runs of whitespace (line breaks of the copy) collapsed."""
    return re.sub(r"\s+", " ", quote).strip()


def host_matches(url: str, hosts) -> str | None:
    host = (urlparse(url).hostname or "").lower()
    return next((h for h in hosts if host == h or host.endswith("." + h)), None)


def accepted(df: pd.DataFrame) -> pd.DataFrame:
    """Rows read on an accepted host, primary copies first (so they win de-duplication), with
    the kind of copy written into the note; rows the gatherer marked WEAK are left out."""
    df = df[df["url"].map(lambda u: host_matches(u, ACCEPTED_HOSTS) is not None)]
    df = df[~df["note"].str.startswith("WEAK")].copy()
    other = df["url"].map(lambda u: host_matches(u, OTHER_COPIES))
    df["note"] = [("; ".join(filter(None, [OTHER_COPIES[h], n])) if h else n) for h, n in zip(other, df["note"])]
    df["copy_type"] = df["url"].map(lambda u: "secondary" if host_matches(u, SECONDARY_HOSTS) else "primary")
    df["_copy_rank"] = other.notna().astype(int)
    return df.sort_values("_copy_rank", kind="stable").drop(columns="_copy_rank")


def check_country(resolver: CountryResolver, name: str, iso3: str) -> str:
    if resolver.iso3_or_none(iso3) != iso3:
        raise UpstreamFormatError(f"unknown ISO3 {iso3!r} for {name!r}")
    named = resolver.iso3_or_none(name)
    if named not in (None, iso3):
        raise UpstreamFormatError(f"{name!r} resolves to {named}, but the batch says {iso3}")
    return iso3


def read_batches(paths) -> pd.DataFrame:
    """Batch files as text, empty cells as "" (never NaN), in the order given."""
    return pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths], ignore_index=True)


def tiers(batch_dir: Path, resolver: CountryResolver, others: pd.DataFrame) -> pd.DataFrame:
    """Tier placements read, one per country and edition, and the flags they carry; others: the tier
    rows of the other facts files, which with these make the history the flag rules read."""
    df = accepted(read_batches(sorted(batch_dir.glob("tiers_*.csv"))))
    rows = []
    for _, r in df.iterrows():
        iso3 = check_country(resolver, r["country_name"], r["iso3"])
        year = int(r["report_year"])
        if (iso3, "tip_tier", year) in REJECTED_ROWS or (iso3, "tip_tier", year, r["url"]) in REJECTED_READS:
            continue
        note = r["note"]
        rows.append({"country_iso3": iso3, "indicator": "tip_tier", "period": year, "report_year": year,
                     "value": r["tier"], "value_qualifier": "exact", "unit": "tier",
                     "source_id": f"usdos_tip_{year}", "copy_type": r["copy_type"],
                     "locator": r["url"], "quote": clean_quote(r["quote"]), "note": note or None})
    read = pd.DataFrame(rows)
    facts = read.drop_duplicates(["country_iso3", "report_year", "value"])
    clash = facts[facts.duplicated(["country_iso3", "report_year"], keep=False)]
    if not clash.empty:  # one edition cannot place a country twice: a person must look
        shown = clash[["country_iso3", "report_year", "value", "locator", "quote"]]
        raise UpstreamFormatError(f"conflicting tiers within one edition:\n{shown}")
    history = TierHistory(pd.concat([facts, others], ignore_index=True))
    return pd.concat([facts, tier_flags(read, history)], ignore_index=True)


def figure_facts(df: pd.DataFrame, resolver: CountryResolver, unit) -> pd.DataFrame:
    """Accepted figure-shaped rows (report_year, period, indicator, value, unit) as facts."""
    rows = []
    for _, r in df.iterrows():
        iso3 = check_country(resolver, r["country_name"], r["iso3"])
        if (iso3, r["indicator"], int(r["report_year"])) in REJECTED_ROWS:
            continue
        rows.append({"country_iso3": iso3, "indicator": r["indicator"], "period": int(r["period"]),
                     "report_year": int(r["report_year"]), "value": r["value"], "value_qualifier": "exact",
                     "unit": unit(r["unit"]), "source_id": f"usdos_tip_{int(r['report_year'])}",
                     "copy_type": r["copy_type"], "locator": r["url"], "quote": clean_quote(r["quote"]),
                     "note": r["note"] or None})
    return pd.DataFrame(rows)


def narrative_figures(batch_dir: Path, resolver: CountryResolver) -> tuple[pd.DataFrame, pd.DataFrame]:
    paths = [batch_dir / "narrative_figures.csv", *sorted(batch_dir.glob("figures_*.csv"))]
    facts = figure_facts(accepted(read_batches(paths)), resolver, UNITS.__getitem__)
    # Two mirrors of one edition can repeat a figure: keep one row per key and value.
    facts = facts.drop_duplicates(["country_iso3", "indicator", "period", "report_year", "value"])
    policy = pd.DataFrame()
    kaz = batch_dir / "kazakhstan_policy.csv"
    if kaz.exists():
        extra = figure_facts(accepted(read_batches([kaz])), resolver, lambda u: UNITS.get(u, u))
        numeric = extra["indicator"].isin(facts["indicator"].unique()) | extra["indicator"].str.startswith("role_")
        facts = pd.concat([facts, extra[numeric]]).drop_duplicates(
            ["country_iso3", "indicator", "period", "report_year", "value"])
        policy = extra[~numeric]
    return facts, policy


def cpi_2024(batch_dir: Path, resolver: CountryResolver) -> pd.DataFrame:
    df = accepted(read_batches([batch_dir / "cpi_2024.csv"]))
    df = df[df["indicator"] == "cpi_score"]
    return pd.DataFrame([{
        "country_iso3": check_country(resolver, r["country_name"], r["iso3"]), "indicator": "cpi_score",
        "period": int(r["year"]), "value": r["value"], "value_qualifier": "exact", "unit": "score (0-100)",
        "source_id": "ti_cpi_2024", "copy_type": r["copy_type"], "locator": r["url"],
        "quote": clean_quote(r["quote"]), "note": r["note"] or None}
        for _, r in df.iterrows()]).drop_duplicates(["country_iso3", "indicator", "period"])


def seed_blog(batch_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    df = read_batches([batch_dir / "seed_blog.csv"])
    rows = pd.DataFrame([{
        "country_iso3": "KAZ", "indicator": r["indicator"], "period": int(r["period"]), "report_year": None,
        "value": r["value"], "value_qualifier": "exact", "unit": r["unit"], "source_id": SEED["source_id"],
        "copy_type": "secondary",
        "locator": r["locator"], "quote": clean_quote(r["quote"]),
        "note": "No primary source found in stored copies of the 2013 TIP Report narrative (the excerpts end before "
                "its law-enforcement section); cited to the seed blog post, which cites that report."}
        for _, r in df.iterrows()])
    numeric = rows["indicator"] == "max_penalty_years"
    return rows[numeric], rows[~numeric]


def with_rules(facts: pd.DataFrame, kinds: pd.Series) -> pd.DataFrame:
    """Name how each row's quote gives its value: '' if literally, else a rule of x-value-rules. Flags
    already carry theirs. A value no rule explains stops the import: a person must look."""
    rule = facts["value_rule"] if "value_rule" in facts else pd.Series(None, index=facts.index, dtype=object)
    named = [r if isinstance(r, str) else rule_for(kinds.get(i, ""), i, v, q)
             for r, i, v, q in zip(rule, facts["indicator"], facts["value"], facts["quote"])]
    unexplained = facts[pd.Series([r is None for r in named], index=facts.index, dtype=bool)]
    if not unexplained.empty:
        shown = unexplained[["country_iso3", "indicator", "report_year", "value", "quote"]].to_string(index=False)
        raise UpstreamFormatError(f"values their quote does not give, literally or by a rule:\n{shown}")
    return facts.assign(value_rule=named)


def batch_folder(data_root: Path) -> Path:
    return curation_dir(data_root) / BATCHES


def import_narratives(data_root: Path, batch_dir: Path | None = None, log=print) -> list[str]:
    """Write the narrative facts tables from the batches; returns the files written."""
    root = data_root
    batch_dir = batch_dir or batch_folder(root)
    if not batch_dir.is_dir():
        raise UpstreamFormatError(f"{batch_dir}: no curation batches here")
    resolver = CountryResolver.from_data(root)
    cols = schema.columns("facts", root)
    tier_facts = tiers(batch_dir, resolver, other_tiers(root, set(OUTPUTS)))
    figures, policy = narrative_figures(batch_dir, resolver)
    seed_numeric, seed_text = seed_blog(batch_dir)
    narratives = pd.concat([tier_facts, figures], ignore_index=True)
    kinds = read_table(root / "indicators.csv").set_index("indicator_id")["value_type"]
    tables = [narratives, cpi_2024(batch_dir, resolver), seed_numeric, pd.concat([policy, seed_text])]
    tables = [with_rules(table, kinds) for table in tables]  # before anything is written
    for (rel, sort), table in zip(OUTPUTS.items(), tables):
        write_table(table, root / rel, cols, sort)
    for year in sorted(narratives["report_year"].astype(int).unique()):
        register_source(root, tip_source(year))
    register_source(root, CPI_2024)
    register_source(root, SEED)
    log(f"tip_narratives: {len(narratives)} rows ({(tier_facts['indicator'] == 'tip_tier').sum()} tiers); "
        f"seed: {len(seed_numeric) + len(seed_text)}")
    return [*OUTPUTS, "sources.csv"]
