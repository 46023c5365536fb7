"""The country and regional reports: context (what it reads), section models, templates, footnotes, formatting.

Imported lazily so that `report.context` (which the build's hashing reads) does not pull in
matplotlib and Jinja2.
"""

from __future__ import annotations

_EXPORTS = {"SECTIONS": ".country", "CountryReport": ".country", "check_parameters": ".country",
            "RegionReport": ".region", "check_region_parameters": ".region",
            "change_unknown": ".formatting", "fmt_change": ".formatting", "fmt_number": ".formatting",
            "fmt_value": ".formatting"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        from importlib import import_module

        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(name)
