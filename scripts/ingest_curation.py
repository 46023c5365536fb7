"""Turn reviewed curation batches (CSV rows gathered from stored report pages) into facts.

Batches come from helpers who read TIP Report narratives and TI pages with the search
tool; each row carries the URL read and the exact phrase. This script applies the
review rules below, writes data/facts/tip_narratives.csv, data/facts/ti_cpi_2024.csv,
data/facts/secondary_sources.csv and data/qualitative/policy.csv, and registers one
source per report edition. Re-running it on the same batches gives the same bytes.

    python scripts/ingest_curation.py --batches /path/to/curation
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from trafficking_reports import schema
from trafficking_reports.countries import CountryResolver
from trafficking_reports.importers.common import FACT_SORT, register_source
from trafficking_reports.paths import data_dir
from trafficking_reports.tables import write_table

ACCESSED = "2026-11-29"
# Copies accepted as the publisher's own text: the State Department's sites and archives
# (embassies and AIT included), refworld (and UNHCR's archive of it) and ecoi.net, which
# reproduce the narratives, and TI's own site. Anything else (blogs, news, NGO reposts,
# rewording sites, proxies, Wikipedia) is left out, however plausible.
ACCEPTED_HOSTS = ("state.gov", "usembassy.gov", "ait.org.tw", "refworld.org", "webarchive.archive.unhcr.org",
                  "ecoi.net", "transparency.org")
# Rows whose value was inferred rather than read (see docs/data.md, "Curation review").
REJECTED_ROWS = {("HKG", "tip_tier", 2022)}  # tier inferred from a waiver sentence, heading not read
UNITS = {"cases": "cases", "persons": "persons", "years": "years", "flag": "flag"}


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
                "fact's locator gives the URL read and the phrase.",
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


def locator(url: str, quote: str) -> str:
    quote = re.sub(r"\s+", " ", quote).strip()
    return f'{url} · "{quote}"'


def host_accepted(url: str) -> bool:
    host = (urlparse(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in ACCEPTED_HOSTS)


def accepted(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["url"].map(host_accepted)]


def check_country(resolver: CountryResolver, name: str, iso3: str) -> str:
    if resolver.iso3_or_none(iso3) != iso3:
        raise SystemExit(f"unknown ISO3 {iso3!r} for {name!r}")
    named = resolver.iso3_or_none(name)
    if named not in (None, iso3):
        raise SystemExit(f"{name!r} resolves to {named}, but the batch says {iso3}")
    return iso3


def tiers(batch_dir: Path, resolver: CountryResolver) -> pd.DataFrame:
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(batch_dir.glob("tiers_*.csv"))]
    df = accepted(pd.concat(frames, ignore_index=True))
    rows = []
    for _, r in df.iterrows():
        iso3 = check_country(resolver, r["country_name"], r["iso3"])
        year = int(r["report_year"])
        if (iso3, "tip_tier", year) in REJECTED_ROWS:
            continue
        note = r["note"]
        if r["tier"].lower() not in r["quote"].lower():
            # e.g. "fully meets the minimum standards": the TVPA wording that defines the tier
            note = "; ".join(filter(None, [note, "tier read from the narrative's standard sentence for it, "
                                                 "not from a tier heading"]))
        rows.append({"country_iso3": iso3, "indicator": "tip_tier", "period": year, "report_year": year,
                     "value": r["tier"], "value_qualifier": "exact", "unit": "tier",
                     "source_id": f"usdos_tip_{year}", "locator": locator(r["url"], r["quote"]),
                     "note": note or None})
    facts = pd.DataFrame(rows).drop_duplicates(["country_iso3", "report_year", "value"])
    clash = facts[facts.duplicated(["country_iso3", "report_year"], keep=False)]
    if not clash.empty:  # one edition cannot place a country twice: a person must look
        shown = clash[["country_iso3", "report_year", "value", "locator"]]
        raise SystemExit(f"conflicting tiers within one edition:\n{shown}")
    return facts


def narrative_figures(batch_dir: Path, resolver: CountryResolver) -> tuple[pd.DataFrame, pd.DataFrame]:
    df = accepted(pd.read_csv(batch_dir / "narrative_figures.csv", dtype=str, keep_default_na=False))
    rows = []
    for _, r in df.iterrows():
        iso3 = check_country(resolver, r["country_name"], r["iso3"])
        rows.append({"country_iso3": iso3, "indicator": r["indicator"], "period": int(r["period"]),
                     "report_year": int(r["report_year"]), "value": r["value"], "value_qualifier": "exact",
                     "unit": UNITS[r["unit"]], "source_id": f"usdos_tip_{int(r['report_year'])}",
                     "locator": locator(r["url"], r["quote"]), "note": r["note"] or None})
    facts = pd.DataFrame(rows)
    # Two mirrors of one edition can repeat a figure: keep one row per key and value.
    facts = facts.drop_duplicates(["country_iso3", "indicator", "period", "report_year", "value"])
    policy = pd.DataFrame()
    kaz = batch_dir / "kazakhstan_policy.csv"
    if kaz.exists():
        extra = accepted(pd.read_csv(kaz, dtype=str, keep_default_na=False))
        extra = pd.DataFrame([{
            "country_iso3": check_country(resolver, r["country_name"], r["iso3"]), "indicator": r["indicator"],
            "period": int(r["period"]), "report_year": int(r["report_year"]), "value": r["value"],
            "value_qualifier": "exact", "unit": UNITS.get(r["unit"], r["unit"]),
            "source_id": f"usdos_tip_{int(r['report_year'])}", "locator": locator(r["url"], r["quote"]),
            "note": r["note"] or None} for _, r in extra.iterrows()])
        numeric = extra["indicator"].isin(facts["indicator"].unique()) | extra["indicator"].str.startswith("role_")
        facts = pd.concat([facts, extra[numeric]]).drop_duplicates(
            ["country_iso3", "indicator", "period", "report_year", "value"])
        policy = extra[~numeric]
    return facts, policy


def cpi_2024(batch_dir: Path, resolver: CountryResolver) -> pd.DataFrame:
    df = accepted(pd.read_csv(batch_dir / "cpi_2024.csv", dtype=str, keep_default_na=False))
    df = df[df["indicator"] == "cpi_score"]
    return pd.DataFrame([{
        "country_iso3": check_country(resolver, r["country_name"], r["iso3"]), "indicator": "cpi_score",
        "period": int(r["year"]), "value": r["value"], "value_qualifier": "exact", "unit": "score (0-100)",
        "source_id": "ti_cpi_2024", "locator": locator(r["url"], r["quote"]), "note": r["note"] or None}
        for _, r in df.iterrows()]).drop_duplicates(["country_iso3", "indicator", "period"])


def seed_blog(batch_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    df = pd.read_csv(batch_dir / "seed_blog.csv", dtype=str, keep_default_na=False)
    rows = pd.DataFrame([{
        "country_iso3": "KAZ", "indicator": r["indicator"], "period": int(r["period"]), "report_year": None,
        "value": r["value"], "value_qualifier": "exact", "unit": r["unit"], "source_id": SEED["source_id"],
        "locator": f'blog post, paragraph 2 · "{r["quote"]}"',
        "note": "No primary source found in stored copies of the 2013 TIP Report narrative (the excerpts end before "
                "its law-enforcement section); cited to the seed blog post, which cites that report."}
        for _, r in df.iterrows()])
    numeric = rows["indicator"] == "max_penalty_years"
    return rows[numeric], rows[~numeric]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, default=data_dir())
    args = parser.parse_args()
    root = args.data_dir
    resolver = CountryResolver.from_data(root)
    cols = schema.columns("facts", root)
    tier_facts = tiers(args.batches, resolver)
    figures, policy = narrative_figures(args.batches, resolver)
    seed_numeric, seed_text = seed_blog(args.batches)
    narratives = pd.concat([tier_facts, figures], ignore_index=True)
    write_table(narratives, root / "facts" / "tip_narratives.csv", cols, FACT_SORT)
    write_table(cpi_2024(args.batches, resolver), root / "facts" / "ti_cpi_2024.csv", cols, FACT_SORT)
    write_table(seed_numeric, root / "facts" / "secondary_sources.csv", cols, FACT_SORT)
    write_table(pd.concat([policy, seed_text]), root / "qualitative" / "policy.csv", cols, FACT_SORT + ["value"])
    for year in sorted(narratives["report_year"].astype(int).unique()):
        register_source(root, tip_source(year))
    register_source(root, CPI_2024)
    register_source(root, SEED)
    seed_rows = len(seed_numeric) + len(seed_text)
    print(f"tip_narratives: {len(narratives)} rows ({len(tier_facts)} tiers); seed: {seed_rows}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
