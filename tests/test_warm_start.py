"""What a build starts before its first report: a kernel that has imported the report's modules (and
frozen them out of the garbage collector's way), and a browser launched on its own thread while the caller
goes on; and the order reports are handed out in."""

from __future__ import annotations

import threading
import time

import pytest

from trafficking_reports.build import largest_first
from trafficking_reports.facts import load_facts
from trafficking_reports.kernel import WarmKernel
from trafficking_reports.pdf import chromium_path, close_printer, open_browser, to_pdf


def test_a_new_kernel_imports_the_report_modules_and_freezes_them():
    warm = WarmKernel()
    client = warm.manager().blocking_client()
    client.start_channels()
    printed = []

    def keep(message):
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])

    try:
        client.wait_for_ready(timeout=60)
        code = "import gc, sys; print(gc.get_freeze_count(), 'trafficking_reports.report' in sys.modules)"
        client.execute_interactive(code, output_hook=keep, timeout=60)
    finally:
        client.stop_channels()
        warm.shutdown()
    frozen, imported = "".join(printed).split()
    assert int(frozen) > 10_000 and imported == "True"


def test_a_kernel_shut_down_at_once_leaves_no_thread_failing(monkeypatch):
    # A report refused before it runs (an unknown region) starts and stops a kernel within milliseconds.
    failures = []
    monkeypatch.setattr(threading, "excepthook", lambda args: failures.append(args.exc_value))
    for _ in range(3):
        warm = WarmKernel()
        warm.preload()
        warm.shutdown()
    time.sleep(0.5)
    assert failures == []


@pytest.mark.skipif(not chromium_path(), reason="no Chromium installed")
def test_the_browser_starts_on_its_own_thread_while_the_caller_goes_on(tmp_path):
    close_printer()
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html><html><body><h1>Page</h1></body></html>")
    try:
        asked = time.perf_counter()
        launching = open_browser()
        assert time.perf_counter() - asked < 0.5 and not launching.done()  # a launch takes far longer
        launching.result(timeout=60)
        assert to_pdf(page).startswith(b"%PDF")
        with pytest.raises(FileNotFoundError, match="missing.html"):  # a print's error reaches the caller
            to_pdf(tmp_path / "missing.html")
        assert to_pdf(page).startswith(b"%PDF")  # and the printer goes on
    finally:
        close_printer()


def test_reports_with_more_facts_are_handed_out_first():
    rows = load_facts()["country_iso3"].value_counts()
    countries = ["MLT", "KAZ", "ABW", "NGA", "FJI", "BRA"]
    ordered = largest_first(countries)
    assert sorted(ordered) == sorted(countries)
    counts = [rows.get(c, 0) for c in ordered]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
