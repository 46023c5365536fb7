"""Footnotes, numbered in one pass as the report is rendered, in reading order.

Section models (sections.py) only say which fact rows back each value (`Cited`, `FigureSpec`);
they number nothing. Rendering the sections in order through one `Footnotes` numbers each
source where it is first cited and records every fact row shown, for the data appendix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup, escape

from .. import figures
from ..citations import Citations

APPENDIX_COLUMNS = ["country_iso3", "indicator", "period", "report_year", "value", "value_qualifier", "unit",
                    "source_id", "copy_type", "locator", "quote", "value_rule", "note"]


@dataclass(frozen=True)
class Cited:
    """A value as readers see it, with the fact rows it rests on."""
    text: str
    rows: pd.DataFrame


def cited(text, *frames: pd.DataFrame | pd.Series) -> Cited:
    return Cited(str(text), as_frame(*frames))


@dataclass(frozen=True)
class FigureSpec:
    """A figure to draw once its source line (with footnote numbers) is known."""
    draw: Callable[[str], object]  # source text -> matplotlib Figure
    rows: pd.DataFrame
    alt: str


def as_frame(*frames: pd.DataFrame | pd.Series) -> pd.DataFrame:
    parts = [f.to_frame().T if isinstance(f, pd.Series) else f for f in frames if f is not None]
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts) if parts else pd.DataFrame(columns=["source_id"])


class Footnotes:
    def __init__(self, citations: Citations):
        self.citations = citations
        self._used: list[pd.DataFrame] = []
        self._joined: tuple[int, pd.DataFrame] | None = None  # used_facts for the first n frames

    def __call__(self, value) -> Markup:
        """Cited -> escaped text and its markers; fact rows -> their markers; text -> escaped text."""
        if isinstance(value, Cited):
            return escape(value.text) + self.mark(value.rows)
        if isinstance(value, (pd.DataFrame, pd.Series)):
            return self.mark(value)
        return escape(value)

    def mark(self, *frames: pd.DataFrame | pd.Series) -> Markup:
        frame = as_frame(*frames)
        if frame.empty:
            return Markup("")
        self._used.append(frame)
        return Markup(self.citations.cite(*frame["source_id"]))

    def record(self, *frames: pd.DataFrame | pd.Series) -> Markup:
        """Keep rows for the appendix without a marker (e.g. a waiver flag, read with its tier)."""
        frame = as_frame(*frames)
        if not frame.empty:
            self._used.append(frame)
        return Markup("")

    def knows(self, source_id: str) -> bool:
        return self.citations.known(source_id)

    def cite_source(self, source_id: str) -> Markup:
        """A marker for a source as a whole: what it does not record is a statement about it too."""
        return Markup(self.citations.cite(source_id))

    def sources_html(self) -> Markup:
        return Markup(self.citations.sources_html())

    def source_text(self, rows: pd.DataFrame) -> str:
        """Plain-text source line for a figure: publishers and footnote numbers."""
        parts: dict[str, list[str]] = {}
        for source_id in sorted(set(rows["source_id"])):
            parts.setdefault(self.citations.publisher(source_id), []).append(f"[{self.citations.number(source_id)}]")
        return "; ".join(f"{pub} {''.join(nums)}" for pub, nums in parts.items())

    def figure(self, spec: FigureSpec) -> Markup:
        fig = spec.draw(self.source_text(spec.rows))
        caption = escape(self.citations.publishers(spec.rows["source_id"]))
        return Markup(f'<figure><img src="{figures.to_data_uri(fig)}" alt="{escape(spec.alt)}">'
                      f"<figcaption>Source: {caption} {self.mark(spec.rows)}</figcaption></figure>")

    @property
    def used_facts(self) -> pd.DataFrame:
        """Every fact row shown so far, once each (joined again only when rows were added)."""
        if self._joined is None or self._joined[0] != len(self._used):
            self._joined = (len(self._used), self._join())
        return self._joined[1]

    def _join(self) -> pd.DataFrame:
        if not self._used:
            return pd.DataFrame(columns=APPENDIX_COLUMNS)
        # Objects before joining: columns that are empty in one frame must not decide the joined dtype;
        # then text once for all (a report shows ~600 frames: one astype each cost ~0.1 s).
        used = pd.concat([f.reindex(columns=APPENDIX_COLUMNS).astype(object) for f in self._used], ignore_index=True)
        used = used.astype(str).replace({"<NA>": "", "None": "", "nan": ""})
        return used.drop_duplicates().sort_values(["country_iso3", "indicator", "period", "source_id"])
