"""The country report: context (what it reads), section models, templates, footnotes, formatting."""

from .country import SECTIONS, CountryReport
from .formatting import change_unknown, fmt_change, fmt_number, fmt_value

__all__ = ["SECTIONS", "CountryReport", "change_unknown", "fmt_change", "fmt_number", "fmt_value"]
