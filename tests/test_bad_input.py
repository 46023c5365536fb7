"""A bad environment or bad data, none of which needs a kernel: every one ends in a clear message
and a non-zero exit, before anything is written or in the build's summary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

import pytest

from conftest import clear_caches
from trafficking_reports import cli
from trafficking_reports.outcomes import failure, first_error_line, summary


def run_cli(*args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trafficking_reports", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120, **kw)


# -- a missing browser is found once, before any work -------------------------------------------
@pytest.mark.parametrize("command", [["build", "--country", "KAZ"]])
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
    from trafficking_reports.build import input_hashes

    path = data_copy / "facts" / "ti_cpi.csv"
    path.write_text(path.read_text() + "KAZ,cpi_score,2030,,50,exact,score (0-100),no_such_source,primary,x,\n")
    monkeypatch.setenv("TR_DATA_DIR", str(data_copy))
    clear_caches()
    out = tmp_path / "reports"
    (out / "KAZ").mkdir(parents=True)  # KAZ up to date: the build goes straight to the site
    for ext in ("html", "pdf"):
        (out / "KAZ" / f"KAZ.{ext}").write_text("x")
    stamp = {"inputs": input_hashes(["KAZ"])["KAZ"], "parameters": {"country": "KAZ"}}
    (out / "KAZ" / ".build.json").write_text(json.dumps(stamp))
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
