"""End to end: the index's tier map links each country to its report (clicked in Chromium), and the
global overview's PDF shows both maps."""

from __future__ import annotations

import pytest

from test_report_integration import CHROMIUM, pdf_text
from trafficking_reports import site
from trafficking_reports.render import build_one, close_printer

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    build_one("Kazakhstan", out)
    site.write_site(out)
    return out


def test_overview_pdf_shows_both_maps_with_the_disclaimer(reports):
    text = pdf_text(reports / "global_overview" / "global_overview.pdf")
    # Headings, counts and the disclaimer are page text (the maps' own words are outlines).
    assert "Tier placements in the 2025 report" in text and "Change since the previous report" in text
    assert "From the 2024 to the 2025 report" in text
    assert text.count("do not imply any position on the legal status of any country") == 2  # under each map
    html = (reports / "global_overview" / "global_overview.html").read_text(encoding="utf-8")
    assert 'alt="World map of TIP tier placements in the 2025 report' in html


@pytest.mark.skipif(not CHROMIUM, reason="Debian chromium is not installed")
def test_clicking_kazakhstan_on_the_index_map_opens_its_report(reports):
    from playwright.sync_api import sync_playwright

    close_printer()  # one sync Playwright per thread: stop the report printer's first
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto((reports / "index.html").as_uri())
            assert page.locator("figure.map svg a").count() == 1  # only Kazakhstan's report exists here
            page.locator("#country-KAZ path").click()
            page.wait_for_url("**/KAZ/KAZ.html")
            assert page.title() == "Anti-trafficking efforts in Kazakhstan"
        finally:
            browser.close()
