"""End to end: the country notebook run by papermill for three countries into a temp dir,
rendered to HTML and PDF, then read back as a user would (PDF text, HTML in Chromium)."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from conftest import append_fact, clear_caches
from trafficking_reports.paths import report_outputs
from trafficking_reports.render import build_one, close_printer

pytestmark = pytest.mark.integration
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))  # NFKC undoes ligatures such as "ﬀ"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("reports")
    # Kazakhstan (the seed), Curaçao (little data, non-ASCII), Côte d'Ivoire (non-ASCII name and data)
    return {c: build_one(c, out) for c in ("Kazakhstan", "Curacao", "Cote d'Ivoire")}


def test_a_pdf_is_the_same_whether_its_page_was_navigated_to_or_replaced_the_last_ones_body(built):
    from trafficking_reports.pdf import PdfPrinter

    pages = [result["html"] for result in built.values()]
    printer = PdfPrinter()  # one per thread: playwright's sync API allows no second one here
    try:
        in_a_row = [printer.print(page) for page in pages]
        assert printer.navigations == 1  # the second and third replaced the first one's body
        for page, pdf in zip(pages, in_a_row):
            printer._shell = None  # forget the open page: navigate to this one
            assert printer.print(page) == pdf, page.name
        assert printer.navigations == 1 + len(pages)
    finally:
        printer.close()


def test_outputs_exist_with_facts_csv(built):
    for result in built.values():
        folder = result["html"].parent
        assert result["html"].stat().st_size > 10_000 and result["pdf"].stat().st_size > 10_000
        assert result["notebook"].exists()
        assert (folder / f"{result['iso3']}_facts.csv").exists()
        assert not list(folder.glob(".*.part*"))
        # Every output the build tracks is written by the notebook run (the sources' .bib and .json too).
        assert all((folder / name).exists() for name in report_outputs(result["iso3"]).values())


def test_the_pdf_ends_with_how_to_cite_and_names_the_files_beside_it(built):
    text = pdf_text(built["Kazakhstan"]["pdf"])
    cite = text[text.rindex("How to cite"):]
    assert "Anti-trafficking efforts in Kazakhstan. Edition of" in cite and "/KAZ/KAZ.html" in cite
    assert "Beside this PDF: KAZ_facts.csv; the sources cited: KAZ.sources.bib (BibTeX), KAZ.sources.json" in text


def test_kazakhstan_pdf_holds_the_seed_claims_with_footnotes(built):
    text = pdf_text(built["Kazakhstan"]["pdf"])
    assert re.search(r"2013: Tier 2†?\[\d+\]", text)  # tier in the 2013 report (a compiled copy: †), with its source
    assert re.search(r"Offences recorded 2011→2012 46 21\[\d+\] -25 -54%", text)  # fall in offences, YoY
    assert re.search(r"Persons convicted 2011→2012 25 12\[\d+\] -13 -52%", text)  # fall in convictions
    assert re.search(r"2013 26\[\d+\] 140 of 177\[\d+\]", text)  # CPI 2013 rank of N
    assert re.search(r"up to 15 years' imprisonment\[\d+\]", text)  # the maximum penalty
    assert "Sources" in text and "Transparency International" in text


def test_html_title_comes_from_metadata(built):
    html = built["Cote d'Ivoire"]["html"].read_text(encoding="utf-8")
    assert "<title>Anti-trafficking efforts in Côte d&#x27;Ivoire</title>" in html or \
           "<title>Anti-trafficking efforts in Côte d'Ivoire</title>" in html
    assert "CountryReport(" not in html and "display(HTML" not in html  # no code


def test_every_image_has_alt_text(built):
    # to_html skips nbconvert's pass that gave images without alt text a placeholder: ours must carry their own.
    for result in built.values():
        images = re.findall(r"<img\b[^>]*>", result["html"].read_text(encoding="utf-8"))
        assert images and all(re.search(r'\balt="[^"]+"', img) for img in images)


def test_non_ascii_names_render_in_pdf(built):
    assert "Côte d'Ivoire" in pdf_text(built["Cote d'Ivoire"]["pdf"])
    assert "Curaçao" in pdf_text(built["Curacao"]["pdf"])


def test_country_with_little_data_gets_sentences_not_errors(built):
    text = pdf_text(built["Curacao"]["pdf"])
    assert "UNODC's GLOTIP data hold no prosecution" in text
    assert "No CPI score" in text
    assert "Traceback" not in text and "Error" not in text


def test_every_cited_number_links_to_a_listed_source(built):
    html = built["Kazakhstan"]["html"].read_text(encoding="utf-8")
    cited = set(re.findall(r'href="#src-(\d+)"', html))
    listed = set(re.findall(r'<li id="src-(\d+)"', html))
    assert cited and cited == listed


@pytest.mark.skipif(not CHROMIUM, reason="Debian chromium is not installed")
def test_html_in_chromium_shows_figures_and_no_code(built):
    from playwright.sync_api import sync_playwright

    close_printer()  # one sync Playwright per thread: stop the report printer's first
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            page = browser.new_page()
            page.goto(built["Kazakhstan"]["html"].as_uri())
            sizes = page.eval_on_selector_all("figure img", "els => els.map(e => [e.complete, e.naturalWidth, "
                                                            "e.getBoundingClientRect().height])")
            assert len(sizes) >= 4
            assert all(done and width > 0 and height > 0 for done, width, height in sizes)
            assert page.locator(".jp-InputArea, .input_area, pre").count() == 0
            assert page.title() == "Anti-trafficking efforts in Kazakhstan"
            first = page.locator("a.fn").first
            first.click()
            assert page.evaluate("location.hash").startswith("#src-")
        finally:
            browser.close()


def test_text_from_the_data_is_escaped(tmp_path, data_copy, monkeypatch):
    hostile = '<script>alert(1)</script> and \\input{/etc/passwd} and Закон о противодействии'
    append_fact(data_copy, f'KAZ,policy_event,2020,,{hostile},exact,text,seed_blog_2014,secondary,<b>where</b>,'
                f'{hostile},,note', "qualitative/policy.csv")
    monkeypatch.setenv("TR_DATA_DIR", str(data_copy))
    clear_caches()
    result = build_one("KAZ", tmp_path)
    html = result["html"].read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;where&lt;/b&gt;" in html  # appendix
    text = pdf_text(result["pdf"])
    assert "<script>alert(1)</script>" in text and "\\input{/etc/passwd}" in text
    assert "Закон о противодействии" in text  # Cyrillic survives in the PDF


def test_two_builds_of_one_commit_are_byte_identical(built):
    first = built["Kazakhstan"]
    folder = first["html"].parent
    names = report_outputs("KAZ").values()  # HTML, PDF, facts CSV, the sources' BibTeX and CSL-JSON
    before = {name: (folder / name).read_bytes() for name in names}
    build_one("Kazakhstan", folder.parent)
    assert {name: (folder / name).read_bytes() for name in names} == before


def test_a_report_for_other_years_is_not_taken_as_up_to_date_by_the_build(tmp_path):
    from trafficking_reports.build import report_one
    from trafficking_reports.build_state import up_to_date
    from trafficking_reports.hashing import report_digests as input_hashes

    digest = input_hashes(["KAZ"])["KAZ"]
    report_one("KAZ", tmp_path, first_year=2015)
    assert not up_to_date(tmp_path, "KAZ", digest)  # `make` rebuilds it with the default years
    report_one("KAZ", tmp_path)
    assert up_to_date(tmp_path, "KAZ", digest)


def test_a_warm_kernel_build_and_a_cold_report_give_identical_outputs(built, tmp_path):
    from trafficking_reports.build import build

    cold = built["Kazakhstan"]  # build_one with a fresh kernel, as `report` does
    # One worker, one warm kernel: the second country runs in the kernel the first one used.
    outcomes = build(["KGZ", "KAZ"], tmp_path / "warm", jobs=1, progress=False, force=True)
    assert [o.iso3 for o in outcomes] == ["KGZ", "KAZ"] and all(o.ok for o in outcomes), outcomes
    for ext in ("html", "pdf"):
        assert (tmp_path / "warm" / "KAZ" / f"KAZ.{ext}").read_bytes() == cold[ext].read_bytes(), ext
