"""Digests: the one place that hashes files and facts, with one vocabulary.

- file_digest: one file's bytes (sources.csv records it for each upstream file).
- files_digest: names and bytes of several files.
- tree_digest: every input of a build (data, package, notebooks, the fonts): the no-op check and the overview.
- code_digest: the package, the country notebook and the fonts: a change rebuilds every report.
- report_data_digests: per country, the facts and tables its report declares it reads
  (report.context: own facts, peers' PEER_INDICATORS, WORLD_INDICATORS, shared tables). The report prints
  its first 12 hex digits as its data version; with code_digest it decides whether the report is rebuilt.
- region_data_digests: per region, its members' REGION_INDICATORS facts (report.context) and the shared
  inputs; region_digests adds the code and the region notebook.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .paths import PROJECT_ROOT, data_dir, notebooks_dir

SHARED_TABLES = ("sources.csv", "indicators.csv", "countries.csv", "country_aliases.csv", "datapackage.json")
SHORT = 12  # hex digits shown to readers


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def files_digest(files: list[Path], base: Path = PROJECT_ROOT) -> str:
    """sha256 over the files' names (relative to base where possible) and bytes."""
    digest = hashlib.sha256()
    for path in files:
        try:
            digest.update(str(path.relative_to(base)).encode())
        except ValueError:  # a data dir outside the project (--data-dir, TR_DATA_DIR)
            digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def package_files() -> list[Path]:
    """The package's code, templates and stylesheet: what every report's look and numbers depend on."""
    package = Path(__file__).resolve().parent
    return sorted(p for p in package.rglob("*")
                  if p.suffix in (".py", ".css", ".j2") and "__pycache__" not in p.parts)


def data_files(root: Path | None = None) -> list[Path]:
    return sorted(p for p in Path(root or data_dir()).rglob("*") if p.is_file() and not p.name.startswith("."))


def with_settings(digest: str) -> str:
    """A digest that also covers the settings reports print (the publish URL of "How to cite")."""
    from .provenance import publish_url_setting

    setting = publish_url_setting()
    return hashlib.sha256(f"{digest}:publish-url={setting}".encode()).hexdigest() if setting else digest


def fonts_digest() -> str:
    """The fonts the pages load (matplotlib's copy): named relative to their folder, so the digest does not
    depend on where the environment lives."""
    from . import fonts

    files = fonts.source_files()
    return files_digest(files, base=files[0].parent)


def tree_digest() -> str:
    code_and_data = files_digest(data_files() + package_files() + sorted(notebooks_dir().glob("*.ipynb")))
    return with_settings(hashlib.sha256(f"{code_and_data}:{fonts_digest()}".encode()).hexdigest())


def data_version(root: Path | None = None) -> str:
    """The whole data package's version (the overview and the index read all of it)."""
    root = Path(root or data_dir())
    return files_digest(data_files(root), base=root)[:SHORT]


def code_digest(notebook: str = "country_report.ipynb") -> str:
    code = files_digest(package_files() + [notebooks_dir() / notebook])
    return with_settings(hashlib.sha256(f"{code}:{fonts_digest()}".encode()).hexdigest())


def _fact_row_hashes(frame):
    """One 8-byte hash per fact row, over the columns as published (not the ones load_facts derives)."""
    import pandas as pd

    columns = [c for c in frame.columns if c not in ("value_num", "censored_max", "table", "source_date")]
    hashes = pd.util.hash_pandas_object(frame[columns].astype(str), index=False).values
    return [int(h).to_bytes(8, "little") for h in hashes]


def _shared_inputs(root: Path, facts):
    """A digest of what every report reads: the shared tables and the WORLD_INDICATORS facts."""
    from .report.context import WORLD_INDICATORS

    base = hashlib.sha256()
    for name in SHARED_TABLES:
        base.update((root / name).read_bytes())
    base.update(b"".join(_fact_row_hashes(facts[facts["indicator"].isin(WORLD_INDICATORS)])))
    return base


def report_data_digests(countries: list[str], root: Path | None = None) -> dict[str, str]:
    """Per country: sha256 of the facts and shared tables its report declares it reads."""
    import pandas as pd

    from .countries import load_countries
    from .facts import load_facts
    from .report.context import PEER_INDICATORS, peers_of

    root = Path(root or data_dir())
    facts = load_facts(root)
    table = load_countries(root).set_index("iso3")
    base = _shared_inputs(root, facts)
    peers = {iso3: peers_of(table, iso3) for iso3 in countries}
    facts = facts[facts["country_iso3"].isin(set().union(*peers.values()))]
    # One hash per fact row, computed once; each country's own facts and the facts its peers read
    # are digests of those, however many peers read them.
    rows = pd.Series(_fact_row_hashes(facts), index=facts.index)
    own = {iso3: hashlib.sha256(b"".join(rows[idx])).digest()
           for iso3, idx in facts.groupby("country_iso3").groups.items()}
    peers_read = facts[facts["indicator"].isin(PEER_INDICATORS)]
    as_peer = {iso3: hashlib.sha256(b"".join(rows[idx])).digest()
               for iso3, idx in peers_read.groupby("country_iso3").groups.items()}
    out = {}
    for iso3 in countries:
        digest = base.copy()
        digest.update(own.get(iso3, b""))
        for peer in peers[iso3]:
            if peer != iso3 and peer in as_peer:
                digest.update(peer.encode())
                digest.update(as_peer[peer])
        out[iso3] = digest.hexdigest()
    return out


def region_data_digests(regions: list, root: Path | None = None) -> dict[str, str]:
    """Per region (regions.Region), by slug: sha256 of the shared tables, WORLD_INDICATORS, the country shapes
    of its map, its members' REGION_INDICATORS facts, and which members have any fact at all (the report
    marks those without)."""
    from .facts import load_facts
    from .maps import GEOMETRY_FILE
    from .report.context import REGION_INDICATORS

    root = Path(root or data_dir())
    facts = load_facts(root)
    base = _shared_inputs(root, facts)
    with_facts = set(facts["country_iso3"])
    read = facts[facts["indicator"].isin(REGION_INDICATORS)]
    shapes = root / GEOMETRY_FILE  # the regional map's country shapes
    if shapes.exists():
        base.update(shapes.read_bytes())
    out = {}
    for region in regions:
        digest = base.copy()
        mine = read[read["country_iso3"].isin(region.members)]
        digest.update(b"".join(_fact_row_hashes(mine)))
        digest.update(",".join(m for m in region.members if m in with_facts).encode())
        out[region.slug] = digest.hexdigest()
    return out


REGION_NOTEBOOK = "region_report.ipynb"


def region_digests(regions: list, root: Path | None = None) -> dict[str, str]:
    """Per region, by slug: everything its report depends on (code, its notebook and the data it reads)."""
    code = code_digest(REGION_NOTEBOOK)
    return {slug: hashlib.sha256(f"{code}:{data}".encode()).hexdigest()
            for slug, data in region_data_digests(regions, root).items()}


def report_digests(countries: list[str], root: Path | None = None) -> dict[str, str]:
    """Per country: everything its report depends on (code and the data it reads)."""
    code = code_digest()
    return {iso3: hashlib.sha256(f"{code}:{data}".encode()).hexdigest()
            for iso3, data in report_data_digests(countries, root).items()}
