"""Footnotes: every number in a report points to a numbered source in its Sources list."""

from __future__ import annotations

import re
from html import escape

import pandas as pd

WEB_LINK = re.compile(r"^https?://[^\s\"'<>]+$", re.I)


class Citations:
    """Numbers sources in the order a report first cites them."""

    def __init__(self, sources: pd.DataFrame):
        self._sources = sources.set_index("source_id")
        self._order: list[str] = []

    def number(self, source_id: str) -> int:
        if source_id not in self._sources.index:
            raise KeyError(f"source {source_id!r} is not in data/sources.csv")
        if source_id not in self._order:
            self._order.append(source_id)
        return self._order.index(source_id) + 1

    def known(self, source_id: str) -> bool:
        return source_id in self._sources.index

    def cite(self, *source_ids: str) -> str:
        """HTML footnote markers, e.g. <sup>[1][3]</sup>, linking to the Sources list."""
        ids = sorted({s for s in source_ids if s}, key=lambda s: (s not in self._order, s))
        if not ids:
            return ""
        numbers = sorted(self.number(s) for s in ids)  # numbers new sources first, then reads in order
        marks = "".join(f'<a class="fn" href="#src-{n}">[{n}]</a>' for n in numbers)
        return f"<sup>{marks}</sup>"

    def publisher(self, source_id: str) -> str:
        return str(self._sources.loc[source_id, "publisher"])

    def publishers(self, source_ids) -> str:
        """'Publisher A; Publisher B' for a figure's source line."""
        return "; ".join(sorted({self.publisher(s) for s in source_ids}))

    @property
    def cited(self) -> list[str]:
        return list(self._order)

    def sources_html(self) -> str:
        """The numbered list of exactly the sources cited so far."""
        if not self._order:
            return "<p>No sources cited.</p>"
        items = []
        for n, source_id in enumerate(self._order, start=1):
            s = self._sources.loc[source_id]
            parts = [f"<strong>{escape(str(s['publisher']))}</strong>", f"<em>{escape(str(s['title']))}</em>"]
            if pd.notna(s.get("edition")):
                parts.append(escape(str(s["edition"])))
            if pd.notna(s.get("date_published")):
                parts.append(f"published {escape(str(s['date_published']))}")
            url = str(s["url"])
            if url.startswith("repo:"):
                parts.append(f"this project's repository, {escape(url[5:])}")
            elif WEB_LINK.match(url):
                parts.append(f'<a href="{escape(url)}">{escape(url)}</a>')
            else:  # never a live link to another scheme (javascript:, file:, data:): shown as text
                parts.append(escape(url))
            parts.append(f"accessed {escape(str(s['date_accessed']))}")
            parts.append(f"licence: {escape(str(s['licence']))}")
            items.append(f'<li id="src-{n}" value="{n}">{". ".join(parts)}. '
                         f'<span class="source-id">[{escape(source_id)}]</span></li>')
        return '<ol class="sources">' + "".join(items) + "</ol>"
