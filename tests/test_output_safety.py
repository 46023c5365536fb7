"""Whatever the data holds, output is text: escaped in HTML, never a live non-web link, never mathtext."""

from __future__ import annotations

from conftest import clear_caches
from trafficking_reports.report import CountryReport


def test_a_javascript_url_is_shown_as_text_not_linked(data_copy):
    path = data_copy / "sources.csv"
    path.write_text(path.read_text().replace("https://www.transparency.org/en/cpi/2025", "javascript:alert(1)"))
    clear_caches()
    html = CountryReport("Kazakhstan", root=data_copy).html("sources_section")
    assert "javascript:alert(1)" in html and 'href="javascript:' not in html


def test_markup_and_dollar_signs_in_a_country_name_stay_text(data_copy):
    path = data_copy / "countries.csv"
    path.write_text(path.read_text().replace("KAZ,Kazakhstan,", 'KAZ,Kaz$x^$<img src=x onerror=alert(1)>,'))
    clear_caches()
    report = CountryReport("KAZ", root=data_copy)
    html = "".join(report.render().values())  # figures are drawn too: "$x^$" must not reach mathtext
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_hostile_value_is_escaped_in_the_index(data_copy, tmp_path):
    from trafficking_reports.site import index_html

    path = data_copy / "facts" / "ti_cpi_2025.csv"
    text = path.read_text()
    line = next(row for row in text.splitlines() if row.startswith("KAZ,cpi_score,2025"))
    path.write_text(text.replace(line, line.replace(",38,", ',40"><img src=x onerror=alert(1)>,', 1)))
    clear_caches()
    page = index_html(tmp_path, data_copy)
    assert "<img src=x" not in page


def test_pdf_links_to_local_files_are_relative_and_offsets_kept():
    from trafficking_reports.pdf import normalise_pdf

    pdf = b"<</S /URI\n/URI (file:///tmp/any/where/KAZ/KAZ_facts.csv)>>\n/URI (https://www.state.gov/x)>>"
    out = normalise_pdf(pdf)
    assert len(out) == len(pdf) and b"file://" not in out
    assert b"/URI (KAZ_facts.csv)" in out and b"/URI (https://www.state.gov/x)" in out
