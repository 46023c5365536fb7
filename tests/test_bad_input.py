"""Bad input and a bad environment, none of which needs a kernel: every one ends in a clear message
and a non-zero exit, before anything is written or in the build's summary."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

import pytest

from conftest import clear_caches
from trafficking_reports import cli
from trafficking_reports.build_state import default_parameters, up_to_date, write_stamp
from trafficking_reports.errors import ReportParameterError
from trafficking_reports.outcomes import failure, first_error_line, summary
from trafficking_reports.paths import report_outputs
from trafficking_reports.years import check_years, latest_allowed


def run_cli(*args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trafficking_reports", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120, **kw)


# -- years (case: a reversed or impossible window gave a wrong 2-page report) ----------------------
@pytest.mark.parametrize("first, last, says", [
    (2020, 2010, "--first-year 2020 is after --last-year 2010"),
    (3000, None, "--first-year 3000 is outside"),
    (1800, None, "--first-year 1800 is outside"),
    (0, None, "--first-year 0 is outside"),  # no longer silently the default
    (None, 1995, "KAZ has facts for 1999-"),  # before the country's first fact
])
def test_years_the_facts_cannot_fill_are_refused(first, last, says):
    with pytest.raises(ReportParameterError, match=says.replace("-", r"\-")):
        check_years("KAZ", first, last)


def test_sound_years_pass():
    for first, last in ((None, None), (2010, 2020), (1990, latest_allowed()), (2020, None), (None, 2010)):
        check_years("KAZ", first, last)


def test_report_with_reversed_years_stops_before_writing(tmp_path):
    out = tmp_path / "reports"
    result = run_cli("report", "KAZ", "--first-year", "2020", "--last-year", "2010", "--out", str(out))
    assert result.returncode == 2 and "--first-year 2020 is after --last-year 2010" in result.stderr
    assert not out.exists()


def test_a_report_for_other_years_is_not_up_to_date_for_the_build(tmp_path):
    folder = tmp_path / "KAZ"
    folder.mkdir()
    for name in report_outputs("KAZ").values():
        (folder / name).write_text("x")
    write_stamp(folder, "KAZ", "digest", {**default_parameters("KAZ"), "first_year": 2015})
    assert not up_to_date(tmp_path, "KAZ", "digest")
    write_stamp(folder, "KAZ", "digest", default_parameters("KAZ"))
    assert up_to_date(tmp_path, "KAZ", "digest")


# -- a missing browser is found once, before any work -------------------------------------------
@pytest.mark.parametrize("command", [["build", "--country", "KAZ"], ["report", "KAZ"]])
def test_a_missing_chromium_stops_at_once_naming_tr_chromium(tmp_path, command):
    out = tmp_path / "reports"
    started = time.monotonic()
    result = run_cli(*command, "--out", str(out), env={"TR_CHROMIUM": "/nonexistent/chromium"})
    assert result.returncode == 2
    assert "TR_CHROMIUM=/nonexistent/chromium" in result.stderr and "apt-get install chromium" in result.stderr
    assert not out.exists() and time.monotonic() - started < 20


# -- the error handler itself must not fail -------------------------------------------------------
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_disk_keeps_the_error_in_the_summary(tmp_path):
    folder = tmp_path / "KGZ"
    folder.mkdir()
    (folder / "error.log").symlink_to("/dev/full")  # every write: No space left on device
    try:
        raise RuntimeError("deliberate failure for KGZ")
    except RuntimeError as err:
        outcome = failure("KGZ", first_error_line(err), traceback.format_exc(), folder / "error.log", None)
    assert not outcome.ok and outcome.notebook == ""
    text = summary(["KGZ"], [outcome], 1.0)
    assert "FAILED KGZ: RuntimeError: deliberate failure for KGZ" in text
    assert "No space left on device" in text and "raise RuntimeError" in text  # the traceback's end


def test_a_bad_row_that_breaks_the_index_is_a_failed_item_of_the_summary(data_copy, tmp_path, monkeypatch, capsys):
    from trafficking_reports import site
    from trafficking_reports.hashing import report_digests as input_hashes

    # Invalid data never gets this far (the build validates first): the index breaks some other way.
    def broken_index(*args, **kwargs):
        raise KeyError("source 'no_such_source' is not in data/sources.csv")

    monkeypatch.setattr(site, "index_html", broken_index)
    monkeypatch.setenv("TR_DATA_DIR", str(data_copy))
    clear_caches()
    out = tmp_path / "reports"
    (out / "KAZ").mkdir(parents=True)  # KAZ up to date: the build goes straight to the site
    for name in report_outputs("KAZ").values():
        (out / "KAZ" / name).write_text("x")
    write_stamp(out / "KAZ", "KAZ", input_hashes(["KAZ"])["KAZ"], default_parameters("KAZ"))
    monkeypatch.setattr(site, "write_overview", lambda root: False)  # its kernel is another test's business
    status = cli.main(["build", "--country", "KAZ", "--out", str(out)])
    printed = capsys.readouterr().out
    assert status == 1
    assert "0 built, 1 up to date, 0 failed" in printed
    assert "FAILED index.html: KeyError" in printed and "no_such_source" in printed
    assert (out / ".logs" / "index-error.log").exists()


# -- a read-only output folder: each country fails once, and the build ends --------------------------
MOUNT_READ_ONLY = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'


def read_only(folder: Path) -> list[str] | None:
    """A command prefix under which `folder` is read-only. Root writes through permission bits, so
    for root that is a read-only bind mount in a private mount namespace; None if neither works here."""
    if os.geteuid() != 0:
        for path in [*folder.rglob("*"), folder]:
            path.chmod(0o555)
        return []
    for unshare in (["unshare", "-m"], ["unshare", "-Urm"]):
        prefix = [*unshare, "sh", "-c", MOUNT_READ_ONLY, str(folder)]
        try:
            probe = subprocess.run([*prefix, "sh", "-c", 'touch "$0/probe"', str(folder)], capture_output=True,
                                   text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None
        if "Read-only file system" in probe.stderr:
            return prefix
    return None


@pytest.mark.slow
def test_a_read_only_output_folder_fails_each_country_once_and_ends(tmp_path):
    out = tmp_path / "reports"
    (out / "KAZ").mkdir(parents=True)
    (out / "KAZ" / ".build.json").write_text("{}")
    prefix = read_only(out)
    if prefix is None:
        pytest.skip("cannot make a folder read-only for root here (no mount namespace)")
    try:
        started = time.monotonic()
        result = subprocess.run([*prefix, sys.executable, "-m", "trafficking_reports", "build", "--force",
                                 "--country", "KAZ", "--country", "KGZ", "--jobs", "2", "--out", str(out)],
                                capture_output=True, text=True, timeout=120)
        elapsed = time.monotonic() - started
    finally:
        for path in [out, *out.rglob("*")]:
            path.chmod(0o755)
    text = result.stdout + result.stderr
    assert result.returncode == 1, text
    assert text.count("FAILED KAZ: cannot write to") == 1 and text.count("FAILED KGZ: cannot write to") == 1
    assert "Permission denied" in text or "Read-only file system" in text
    assert "0 built, 0 up to date, 2 failed" in text and "FAILED index.html and global_overview: cannot" in text
    assert len(text.splitlines()) == 4 and elapsed < 30


@pytest.mark.slow
def test_a_report_into_a_read_only_folder_stops_with_a_message(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    prefix = read_only(out)
    if prefix is None:
        pytest.skip("cannot make a folder read-only for root here (no mount namespace)")
    try:
        result = subprocess.run([*prefix, sys.executable, "-m", "trafficking_reports", "report", "KAZ", "--out",
                                 str(out)], capture_output=True, text=True, timeout=120)
    finally:
        for path in [out, *out.rglob("*")]:
            path.chmod(0o755)
    assert result.returncode == 2 and f"error: cannot write to {out}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["build", "--out", ""], ["report", "KAZ", "--out", " "], ["build", "--jobs", "-2"]])
def test_an_empty_out_or_negative_jobs_is_refused(tmp_path, args):
    result = run_cli(*args, cwd=str(tmp_path))  # an empty --out (an empty REPORTS) meant the current folder
    assert result.returncode == 2 and ("must not be empty" in result.stderr or "must be 0" in result.stderr)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("change, where", [
    (("KAZ,unodc_persons_convicted,2012,,12,", "KAZ,unodc_persons_convicted,2012,,-35,"), "column value"),
    (("KAZ,unodc_persons_convicted,2012,,12,", "KAZ,unodc_persons_convicted,2012,,12,"), None),
])
def test_invalid_data_builds_no_report(tmp_path, data_copy, monkeypatch, capsys, change, where):
    from trafficking_reports.cli import main

    path = data_copy / "facts" / "unodc_glotip.csv"
    text = path.read_text()
    if where is None:  # a duplicate key with another value: the true 12 and a wrong 93
        line = next(row for row in text.splitlines() if row.startswith(change[0]))
        text = text + line.replace(",12,", ",93,") + "\n"
    else:
        text = text.replace(*change)
    path.write_text(text)
    monkeypatch.setenv("TR_DATA_DIR", str(data_copy))
    clear_caches()
    out = tmp_path / "out"
    code = main(["--data-dir", str(data_copy), "report", "KAZ", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "facts/unodc_glotip.csv, line" in err
    assert (where or "duplicate") in err
    assert not (out / "KAZ").exists()
