"""A report's sources as BibTeX and CSL-JSON, for reference managers (Zotero, JabRef, pandoc, LaTeX).

Each cited source (a data/sources.csv row) becomes one entry keyed by its source_id, in the order the
report numbers them. Whether the report read a source's facts in a secondary copy (another publisher's
transcription) is said in the entry's note. Both writers are pure and deterministic: the same sources
give the same bytes.
"""

from __future__ import annotations

import json
import re
import unicodedata
from urllib.parse import quote

import pandas as pd

from .citations import WEB_LINK

KEY = re.compile(r"^[A-Za-z0-9_:.-]+$")
DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
REPO = "repo:"

# BibTeX: characters with a meaning in TeX, and letters outside ASCII as TeX accents.
TEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$",
                "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
TEX_ACCENTS = {"\u0301": "'", "\u0300": "`", "\u0302": "^", "\u0308": '"', "\u0303": "~", "\u0304": "=",
               "\u0307": ".", "\u030a": "r", "\u030c": "v", "\u0306": "u", "\u0327": "c", "\u0328": "k",
               "\u030b": "H"}
TEX_LETTERS = {"ß": r"{\ss}", "æ": r"{\ae}", "Æ": r"{\AE}", "ø": r"{\o}", "Ø": r"{\O}", "œ": r"{\oe}",
               "Œ": r"{\OE}", "ł": r"{\l}", "Ł": r"{\L}", "ı": r"{\i}", "đ": r"{\dj}", "Đ": r"{\DJ}",
               "–": "--", "—": "---", "‘": "`", "’": "'", "“": "``", "”": "''", "\u00a0": "~", "…": r"\ldots{}"}


def copy_note(source_id: str, used: pd.DataFrame) -> str:
    """What readers of a reference must know about the copy the report read: '' when primary."""
    return _copy_note(*_copies(used).get(source_id, (0, 0)))


def _copies(used: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """source_id -> (facts read in a secondary copy, facts) among the rows the report shows."""
    if used.empty or "copy_type" not in used:
        return {}
    counts: dict[str, tuple[int, int]] = {}
    for source_id, copy_type in zip(used["source_id"], used["copy_type"]):  # a few hundred rows: plain Python
        secondary, facts = counts.get(source_id, (0, 0))
        counts[source_id] = (secondary + (copy_type == "secondary"), facts + 1)
    return counts


def _copy_note(secondary: int, facts: int) -> str:
    if not secondary:
        return ""
    if secondary == facts:
        return ("Secondary copy: the facts this report cites from this source were read in another publisher's "
                "copy or transcription, not in the publisher's own.")
    return (f"Partly a secondary copy: {secondary} of the {facts} facts this report cites from this source "
            f"were read in another publisher's copy or transcription.")


COLUMNS = ("publisher", "title", "edition", "url", "date_published", "date_accessed", "licence")


def records(sources: pd.DataFrame, cited: list[str], used: pd.DataFrame) -> list[dict]:
    """The cited sources, in citation order, as plain dicts (sources: data/sources.csv, one row per id)."""
    table = sources.set_index("source_id") if "source_id" in sources.columns else sources
    wanted = [c for c in (*COLUMNS, "note") if c in table.columns]
    rows = {source_id: dict(zip(wanted, values)) for source_id, values in
            zip(table.index, zip(*(table[c] for c in wanted)))}
    copies = _copies(used)
    out = []
    for source_id in cited:
        if not KEY.match(source_id):
            raise ValueError(f"source_id {source_id!r} cannot be a citation key (letters, digits, _ : . - only)")
        row = rows[source_id]
        fields = {column: _text(row.get(column)) for column in COLUMNS}
        note = " ".join(p for p in (_copy_note(*copies.get(source_id, (0, 0))), _text(row.get("note"))) if p)
        out.append({"id": source_id, **fields, "note": note})
    return out


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def _location(url: str) -> str:
    """A non-web location in words (a web URL goes in the url field instead)."""
    if url.startswith(REPO):
        return f"In this project's repository: {url[len(REPO):]}."
    return f"Location: {url}." if url else ""


def _note(record: dict) -> str:
    parts = [] if WEB_LINK.match(record["url"]) else [_location(record["url"])]
    if record["licence"]:
        parts.append(f"Licence: {record['licence']}.")
    if record["note"]:
        parts.append(record["note"])
    return " ".join(p for p in parts if p)


# -- BibTeX ---------------------------------------------------------------------------------------

def tex_escape(text: str) -> str:
    """Plain text as BibTeX field content: TeX specials escaped, accented letters as TeX accents;
    letters with no TeX form (Cyrillic, ...) stay UTF-8, as the file declares."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in TEX_SPECIALS:
            out.append(TEX_SPECIALS[char])
        elif char in TEX_LETTERS:
            out.append(TEX_LETTERS[char])
        elif ord(char) < 128:
            out.append(char)
        else:
            base, *marks = unicodedata.normalize("NFD", char)
            if marks and len(marks) == 1 and marks[0] in TEX_ACCENTS and ord(base) < 128:
                base = r"\i" if base == "i" else base
                out.append(f"{{\\{TEX_ACCENTS[marks[0]]}{{{base}}}}}")
            else:
                out.append(char)
    return "".join(out)


def url_field(url: str) -> str:
    """A URL as BibTeX reads it verbatim: no braces, backslashes, spaces or non-ASCII (percent-encoded)."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")


def bibtex_entry(record: dict, kind: str = "misc") -> str:
    fields = [("author", "{" + tex_escape(record["publisher"]) + "}"),  # a body, not a person: kept whole
              ("title", "{" + tex_escape(record["title"]) + "}")]  # braces keep its capitals
    if record.get("edition"):
        fields.append(("version", tex_escape(record["edition"])))
    if record.get("publisher"):
        fields.append(("publisher", tex_escape(record["publisher"])))
    match = DATE.match(record.get("date_published", ""))
    if match:
        fields.append(("year", match.group(1)))
        if match.group(2):  # biblatex's date, where it says more than the year
            fields.append(("date", record["date_published"]))
    elif record.get("date_published"):
        fields.append(("howpublished", tex_escape(record["date_published"])))
    if WEB_LINK.match(record.get("url", "")):
        fields.append(("url", url_field(record["url"])))
    if DATE.match(record.get("date_accessed", "")):
        fields.append(("urldate", record["date_accessed"]))
    note = _note(record)
    if note:
        fields.append(("note", tex_escape(note)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{record['id']},\n{body}\n}}\n"


def bibtex(records_: list[dict]) -> str:
    """A .bib file: one @misc entry per source, keyed by its source_id."""
    head = "% Encoding: UTF-8\n% Sources cited by this report, keyed by source_id, in the report's order.\n"
    return head + "".join("\n" + bibtex_entry(r) for r in records_)


# -- CSL-JSON -------------------------------------------------------------------------------------

def csl_date(value: str) -> dict | None:
    """'2024-01-30' -> {'date-parts': [[2024, 1, 30]]}; other text is kept as a literal date."""
    if not value:
        return None
    match = DATE.match(value)
    if not match:
        return {"literal": value}
    return {"date-parts": [[int(part) for part in match.groups() if part]]}


def csl_item(record: dict) -> dict:
    item = {"id": record["id"], "type": "document", "title": record["title"],
            "author": [{"literal": record["publisher"]}], "publisher": record["publisher"]}
    if record.get("edition"):
        item["version"] = record["edition"]
    for key, column in (("issued", "date_published"), ("accessed", "date_accessed")):
        date = csl_date(record.get(column, ""))
        if date:
            item[key] = date
    if WEB_LINK.match(record.get("url", "")):
        item["URL"] = record["url"]
    if record.get("licence"):
        item["license"] = record["licence"]
    note = " ".join(p for p in ([] if WEB_LINK.match(record["url"]) else [_location(record["url"])])
                    + [record["note"]] if p)
    if note:
        item["note"] = note
    return item


def csl_json(records_: list[dict]) -> str:
    """A CSL-JSON array (the format of citeproc, pandoc and Zotero), keys in a fixed order."""
    return json.dumps([csl_item(r) for r in records_], ensure_ascii=False, indent=2) + "\n"
