"""What happened to each item of a build (a country, the overview, the index), and the summary
that ends every build, whatever failed."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Outcome:
    iso3: str  # a country, or "index.html" / "global_overview" for the site's pages
    ok: bool
    seconds: float
    error: str = ""
    notebook: str = ""  # where to look: the failed notebook, else error.log ("" if neither could be kept)
    detail: str = ""  # the traceback, kept here too in case error.log could not be written
    stages: dict = field(default_factory=dict)  # seconds per stage of a built report (execute, html, pdf)


def first_error_line(err: Exception) -> str:
    """The line a reader needs: for a failed notebook cell, the exception raised in the kernel."""
    if hasattr(err, "ename") and hasattr(err, "evalue"):  # papermill.PapermillExecutionError
        return f"{err.ename}: {err.evalue}".strip()
    lines = [line for line in str(err).splitlines() if line.strip() and not set(line.strip()) <= set("-=")]
    first = lines[0].strip() if lines else ""
    return first if first.startswith(type(err).__name__) else f"{type(err).__name__}: {first}".rstrip(": ")


def failure(name: str, first: str, detail: str, log: Path, notebook: Path | None, seconds: float = 0.0) -> Outcome:
    """A failed item, its traceback written to `log` if possible: a full or read-only disk must
    not turn one failure into a crash of the whole build, so the text stays in memory as well."""
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(detail)
        where = str(log)
    except OSError as err:
        with contextlib.suppress(OSError):
            log.unlink()  # no truncated log
        where = ""
        detail += f"\n(error.log not written: {err.strerror or err})\n"
    if notebook is not None and notebook.exists():
        where = str(notebook)
    return Outcome(name, False, seconds, first[:300], where, detail)


def summary(countries: list[str], outcomes: list[Outcome], seconds: float, site: list[Outcome] = ()) -> str:
    failed = [o for o in outcomes if not o.ok]
    built = len(outcomes) - len(failed)
    lines = [f"{built} built, {len(countries) - len(outcomes)} up to date, {len(failed)} failed "
             f"({seconds:.1f} s)."]
    for o in failed + [s for s in site if not s.ok]:
        lines.append(f"  FAILED {o.iso3}: {o.error}")
        if o.notebook:
            lines.append(f"         see {o.notebook}")
        elif o.detail.strip() and o.detail.strip() != o.error:  # no log on disk: the end of the traceback
            tail = [line.strip() for line in o.detail.splitlines() if line.strip(" ^~")]
            lines += ["         " + line for line in tail[-3:]]
    return "\n".join(lines)


