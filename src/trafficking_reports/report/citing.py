"""How to cite a report: who, what, which edition (the commit's date), where, and which commit.

Everything here is reproducible: the edition is provenance.build_date() (the commit's time, or
SOURCE_DATE_EPOCH), so the same commit gives the same text. The URL is the publish setting
(provenance.publish_url) or a visible placeholder, never a guessed address.
"""

from __future__ import annotations

from .. import bibliography, provenance

# No named authors can be verified: the project cites itself as its contributors (as CITATION.cff does).
AUTHORS = "trafficking-reports contributors"


def how_to_cite(title: str, path: str, data_version: str, key: str, files: dict[str, str] | None = None) -> dict:
    """The model of the "How to cite" section. path: the report's place under the published reports
    (e.g. 'KAZ/KAZ.html'); key: its BibTeX key; files: the sources' BibTeX and CSL-JSON names, if written."""
    base, edition, commit = provenance.publish_url(), provenance.build_date(), provenance.commit()
    url = f"{base}/{path}"
    placeholder = base == provenance.PUBLISH_URL_PLACEHOLDER
    record = {"id": f"{key}_{edition.replace('-', '_')}", "publisher": AUTHORS, "title": title,
              "edition": f"edition of {edition}, commit {commit}", "date_published": edition,
              "url": "" if placeholder else url, "date_accessed": "", "licence": "",
              "note": f"Data version {data_version}." + (f" Published at: {url}" if placeholder else "")}
    return {"authors": AUTHORS, "title": title, "edition": edition, "url": url, "placeholder": placeholder,
            "commit": commit, "data_version": data_version, "bibtex": bibliography.bibtex_entry(record),
            "files": files}
