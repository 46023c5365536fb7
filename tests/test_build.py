"""The batch build: failure isolation, incremental rebuilds, the index page."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from conftest import clear_caches
from trafficking_reports.build import build, summary
from trafficking_reports.hashing import report_digests as input_hashes
from trafficking_reports.render import notebook_path


@pytest.fixture
def failing_notebook(tmp_path: Path) -> Path:
    """The real country notebook with one cell that fails for Kyrgyzstan (a test fixture)."""
    nb = nbformat.read(notebook_path(), as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])) + 1
    nb.cells.insert(at, nbformat.v4.new_code_cell(
        'if country == "KGZ":\n    raise RuntimeError("deliberate failure for KGZ")'))
    path = tmp_path / "failing_report.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.integration
def test_one_failing_country_leaves_the_others_built(tmp_path, failing_notebook):
    out = tmp_path / "reports"
    outcomes = build(["KAZ", "KGZ", "TJK"], out, jobs=2, progress=False, notebook=failing_notebook)
    by_iso = {o.iso3: o for o in outcomes}
    assert by_iso["KAZ"].ok and by_iso["TJK"].ok and not by_iso["KGZ"].ok
    assert "deliberate failure for KGZ" in by_iso["KGZ"].error
    assert (out / "KAZ" / "KAZ.pdf").exists() and (out / "TJK" / "TJK.html").exists()
    assert not (out / "KGZ" / "KGZ.html").exists() and not (out / "KGZ" / "KGZ.pdf").exists()
    text = summary(["KAZ", "KGZ", "TJK"], outcomes, 1.0)
    assert "2 built, 0 up to date, 1 failed" in text and "FAILED KGZ" in text
    assert Path(by_iso["KGZ"].notebook).exists()
    # Second run: the good reports are up to date; only the failed one is tried again.
    again = build(["KAZ", "KGZ", "TJK"], out, jobs=2, progress=False, notebook=failing_notebook)
    assert [o.iso3 for o in again] == ["KGZ"]


def test_editing_one_fact_changes_only_the_reports_that_read_it(data_copy, monkeypatch):
    monkeypatch.setenv("TR_DATA_DIR", str(data_copy))
    clear_caches()
    countries = ["KAZ", "KGZ", "FRA", "BRA"]
    before = input_hashes(countries, data_copy)
    path = data_copy / "facts" / "unodc_glotip.csv"
    path.write_text(path.read_text().replace("KAZ,unodc_persons_convicted,2012,,12,", "KAZ,unodc_persons_convicted,"
                                             "2012,,13,"))
    clear_caches()
    after = input_hashes(countries, data_copy)
    changed = sorted(c for c in countries if before[c] != after[c])
    assert changed == ["KAZ", "KGZ"]  # Kazakhstan, and Kyrgyzstan whose peer table shows KAZ's convictions


def test_a_fact_peers_do_not_read_changes_only_its_country(data_copy, monkeypatch):
    monkeypatch.setenv("TR_DATA_DIR", str(data_copy))
    clear_caches()
    before = input_hashes(["KAZ", "KGZ"], data_copy)
    path = data_copy / "facts" / "unodc_glotip.csv"
    path.write_text(path.read_text().replace("KAZ,unodc_offences,2012,,21,", "KAZ,unodc_offences,2012,,22,"))
    clear_caches()
    after = input_hashes(["KAZ", "KGZ"], data_copy)
    assert before["KAZ"] != after["KAZ"] and before["KGZ"] == after["KGZ"]


def test_what_a_report_declares_it_reads_drives_its_rebuilds(data_copy, monkeypatch):
    from trafficking_reports.report import context

    monkeypatch.setenv("TR_DATA_DIR", str(data_copy))
    # A new peer indicator, once declared, rebuilds the peers too: no second list to keep in step.
    monkeypatch.setattr(context, "PEER_INDICATORS", context.PEER_INDICATORS + ("unodc_offences",))
    clear_caches()
    before = input_hashes(["KAZ", "KGZ"], data_copy)
    path = data_copy / "facts" / "unodc_glotip.csv"
    path.write_text(path.read_text().replace("KAZ,unodc_offences,2012,,21,", "KAZ,unodc_offences,2012,,22,"))
    clear_caches()
    after = input_hashes(["KAZ", "KGZ"], data_copy)
    assert before["KAZ"] != after["KAZ"] and before["KGZ"] != after["KGZ"]


@pytest.mark.integration
def test_data_dir_option_builds_from_that_copy_and_incremental_equals_clean(tmp_path, data_copy, monkeypatch):
    from trafficking_reports.cli import main

    monkeypatch.setenv("TR_DATA_DIR", str(data_copy))  # main() sets it too; monkeypatch restores it afterwards

    path = data_copy / "facts" / "unodc_glotip.csv"
    path.write_text(path.read_text().replace("KAZ,unodc_offences,2012,,21,", "KAZ,unodc_offences,2012,,22,"))
    out = tmp_path / "reports"
    args = ["--data-dir", str(data_copy), "build", "--country", "KAZ", "--country", "KGZ", "--jobs", "1",
            "--no-index"]
    assert main(args + ["--out", str(out)]) == 0
    html = (out / "KAZ" / "KAZ.html").read_text(encoding="utf-8")
    assert "Offences recorded</td><td>2011→2012</td><td>46</td><td>22" in html  # the copy's value, not data/'s 21
    # A fact KAZ's report does not read changes: KAZ is not rebuilt, and equals a clean build byte for byte.
    path.write_text(path.read_text().replace("KGZ,unodc_offences,2012,,", "KGZ,unodc_offences,2012,,9", 1))
    clear_caches()  # one process runs both builds here; the CLI would start afresh
    kaz_before = (out / "KAZ" / "KAZ.html").read_bytes()
    assert main(args + ["--out", str(out)]) == 0
    assert (out / "KAZ" / "KAZ.html").read_bytes() == kaz_before
    incremental = {p.relative_to(out): p.read_bytes() for p in out.glob("*/*.*") if p.suffix in (".html", ".pdf")}
    shutil.rmtree(out)  # a clean build into the same folder
    clear_caches()
    assert main(args + ["--out", str(out)]) == 0
    assert {p.relative_to(out): p.read_bytes() for p in out.glob("*/*.*") if p.suffix in (".html", ".pdf")} \
        == incremental
