"""The report page printed to PDF by a headless Chromium kept open per process, with bytes made
reproducible (dates, node ids, local links)."""

from __future__ import annotations

import atexit
import contextlib
import queue
import re
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from . import provenance
from .browser import find_chromium

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--font-render-hinting=none"]


def chromium_path() -> str | None:
    """TR_CHROMIUM, else an installed Chromium or Chrome (browser.find_chromium has the search order); None lets
    playwright use a browser it installed itself."""
    return find_chromium()


class PdfPrinter:
    """One headless Chromium per process and one tab in it, kept open across reports.

    Starting a browser costs ~0.5 s; a new tab per report costs a renderer process and about
    0.9 core-seconds more per report than navigating the same tab to the next page (measured
    on 10 reports: 1.82 against 0.91 core-seconds). A tab whose print failed is not reused.

    Pages with the same head (the same stylesheet and fonts) are not even navigated to: the next
    report's body replaces the last one's in the open document (see Shell). Navigating re-loads
    and re-decodes the web fonts and re-parses the stylesheet, about 0.26 of Chromium's 1.05
    core-seconds a report; the PDFs are byte for byte the same either way (tested).
    """

    def __init__(self) -> None:
        self._playwright = None
        self._browser = None
        self._tab = None
        self._shell: str | None = None  # the head (and html/body tags) of the document open in the tab
        self.navigations = 0  # pages loaded by navigating, rather than by replacing the body

    def _page(self):
        if self._browser is None or not self._browser.is_connected():
            from playwright.sync_api import sync_playwright

            self._tab = None
            self._playwright = self._playwright or sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        if self._tab is None or self._tab.is_closed():
            self._tab = self._browser.new_page()
            self._shell = None
        return self._tab

    def print(self, html_file: Path) -> bytes:
        """A browser or driver that died (crash, OOM killer) is relaunched once before the report fails."""
        from playwright.sync_api import Error, TimeoutError

        try:
            return self._print(html_file)
        except TimeoutError:
            raise  # a slow page, not a dead browser
        except Error:
            self.close()
            return self._print(html_file)

    def _print(self, html_file: Path) -> bytes:
        page = self._page()
        html_file = Path(html_file).resolve()
        shell = Shell.of(html_file.read_text(encoding="utf-8"))
        try:
            if shell is not None and shell.markup == self._shell:
                # The page's own URL as the base, so its relative links resolve as they would after navigating.
                page.evaluate(REPLACE_BODY, [shell.body, shell.title, html_file.as_uri()])
            else:  # a failed navigation discards the tab, and with it the shell (_discard_tab)
                page.goto(html_file.as_uri(), wait_until="load")
                self.navigations += 1
                self._shell = shell.markup if shell is not None else None
            # The page's fonts (report.css) may still be loading when "load" fires; printed then, some text came
            # out in another font and an incremental build's PDF differed from a clean one. Wait for them.
            page.evaluate("document.fonts.ready.then(() => true)")
            # The stylesheet's @page rules set the size, margins and page numbers.
            pdf = page.pdf(prefer_css_page_size=True, print_background=True, tagged=True, outline=True)
        except BaseException:
            self._discard_tab()
            raise
        return normalise_pdf(pdf)

    def _discard_tab(self) -> None:
        tab, self._tab, self._shell = self._tab, None, None
        try:
            if tab is not None:
                tab.close()
        except Exception:  # the browser behind it may be gone
            pass

    def close(self) -> None:
        """Best effort: closing a browser or driver that already died raises, and must not stop the reset."""
        for step in (self._browser and self._browser.close, self._playwright and self._playwright.stop):
            try:
                if step:
                    step()
            except Exception:
                pass
        self._browser = self._playwright = self._tab = None


# The next report's body in place of the last one's: its title, a <base> with its own URL, then every image decoded
# (a navigation's "load" event waits for them; replacing the body does not).
REPLACE_BODY = """async ([body, title, url]) => {
  let base = document.getElementById("tr-print-base");
  if (!base) {
    base = document.createElement("base");
    base.id = "tr-print-base";
    document.head.prepend(base);
  }
  base.href = url;
  document.title = title;
  document.body.innerHTML = body;
  await Promise.all(Array.from(document.images, (image) => image.decode().catch(() => null)));
  return true;
}"""


@dataclass(frozen=True)
class Shell:
    """A page split into what two reports share (the head, the html and body tags: `markup`) and what they do not
    (the title, the body). None for a page with a script in its body, which replacing the body would not run."""

    markup: str
    title: str
    body: str

    BODY = re.compile(r"(<body[^>]*>)(.*)(</body>)", re.S | re.I)
    TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)

    @classmethod
    def of(cls, html: str) -> Shell | None:
        body = cls.BODY.search(html)
        if body is None or re.search(r"<script\b", body.group(2), re.I):
            return None
        head = html[:body.start(2)]
        title = cls.TITLE.search(head)
        markup = cls.TITLE.sub("<title></title>", head) + html[body.end(2):]
        return cls(markup, unescape(title.group(1)) if title else "", body.group(2))


class PrinterThread:
    """A PdfPrinter on a thread of its own, so the browser can start while the caller waits on its kernel
    (playwright's sync API must be called from the thread that started it: every call goes through here).

    Daemon, so a stuck print cannot keep the interpreter alive; close() at exit (atexit) still stops the
    browser cleanly, since atexit handlers run before daemon threads are stopped.
    """

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name="pdf-printer", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        printer = PdfPrinter()
        while True:
            job, future = self._jobs.get()
            if job is None:
                printer.close()
                future.set_result(None)
                return
            try:
                future.set_result(job(printer))
            except BaseException as err:  # handed to the caller, who raises it
                future.set_exception(err)

    def submit(self, job) -> Future:
        future: Future = Future()
        self._jobs.put((job, future))
        return future

    def close(self, timeout: float = 30) -> None:
        if self._thread.is_alive():
            with contextlib.suppress(Exception):
                self.submit(None).result(timeout)


_PRINTER: PrinterThread | None = None


def printer() -> PrinterThread:
    """This process's printer (its browser starts with the first print, or with open_browser)."""
    global _PRINTER
    if _PRINTER is None:
        _PRINTER = PrinterThread()
        atexit.register(close_printer)
    return _PRINTER


def to_pdf(html_file: Path) -> bytes:
    """Print an HTML file to PDF with this process's Chromium."""
    return printer().submit(lambda p: p.print(html_file)).result()


def open_browser() -> Future:
    """Start the browser and its tab on the printer's thread, without waiting (a failed start is retried, and
    reported, by the first print)."""
    return printer().submit(lambda p: p._page())


def close_printer() -> None:
    global _PRINTER
    if _PRINTER is not None:
        _PRINTER.close()
        _PRINTER = None


NODE_ID = re.compile(rb"\(node(\d{8})\)")
LOCAL_LINK = re.compile(rb"/URI \((file://[^)]*/)([^/)]+)\)")


def normalise_pdf(pdf: bytes) -> bytes:
    """Make equal inputs give equal bytes.

    Chromium stamps the print time, and its tagged-PDF structure names DOM nodes by a
    counter that runs on across prints. Dates become the reproducible build time; node
    ids are renumbered by rank, which keeps their order (the ID tree is sorted) and
    their width (so no byte offset moves); links to local files become relative, so the
    bytes do not depend on the output folder.
    """
    stamp = provenance.build_datetime().strftime("D:%Y%m%d%H%M%S+00'00'").encode()
    pdf = re.sub(rb"/(CreationDate|ModDate) \(D:[0-9+\-']+\)", lambda m: b"/" + m.group(1) + b" (" + stamp + b")", pdf)
    ranks = {old: i for i, old in enumerate(sorted(set(NODE_ID.findall(pdf))), start=1)}
    pdf = NODE_ID.sub(lambda m: b"(node%08d)" % ranks[m.group(1)], pdf)
    return LOCAL_LINK.sub(_relative_link, pdf)


def _relative_link(match: re.Match) -> bytes:
    # Chromium makes "KAZ_facts.csv" an absolute file:// URI naming this machine's folders; the PDF
    # links to the file beside it instead. Padding after the string keeps every byte offset.
    link = b"/URI (" + match.group(2) + b")"
    return link + b" " * (len(match.group(0)) - len(link))
