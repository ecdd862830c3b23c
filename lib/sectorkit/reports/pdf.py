"""Printing report HTML to PDF with headless Chromium (Debian's ``/usr/bin/chromium``; never downloaded).

The Chromium path and flags, :func:`launch_browser` and the one-file printer live in
:mod:`sectorkit.views.pdf` (re-exported here); :func:`chromium_pdf` turns its failure into a
:class:`ReportError`; :class:`PdfPrinter` keeps one browser for many files.

>>> "--no-sandbox" in CHROMIUM_ARGS
True
"""

from __future__ import annotations

from pathlib import Path

from sectorkit.reports.common import ReportError
from sectorkit.views.pdf import CHROMIUM, CHROMIUM_ARGS, PdfError, launch_browser  # noqa: F401 - re-exported
from sectorkit.views.pdf import chromium_pdf as _chromium_pdf


def chromium_pdf(html_file: Path, pdf_file: Path, timeout: float = 60) -> None:
    """Print one HTML file to PDF (:func:`sectorkit.views.pdf.chromium_pdf`); a failure is a
    :class:`~sectorkit.reports.common.ReportError`, which fails that region's report only."""
    try:
        _chromium_pdf(html_file, pdf_file, timeout)
    except PdfError as exc:
        raise ReportError(str(exc)) from None


class PdfPrinter:
    """One headless Chromium (through Playwright) that prints many HTML files to PDF (Letter, backgrounds on).

    The browser starts on the first :meth:`print`; use it as a context manager
    (or call ``__exit__``) to close it.
    """

    def __init__(self):
        self._pw = self._browser = self._page = None

    def __enter__(self) -> PdfPrinter:
        return self

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._browser = launch_browser(self._pw)
        self._page = self._browser.new_page()

    def print(self, html_file: Path, pdf_file: Path) -> None:
        """Print ``html_file`` to ``pdf_file``."""
        if self._page is None:
            self._start()
        self._page.goto(html_file.resolve().as_uri(), wait_until="load", timeout=60_000)
        self._page.pdf(path=str(pdf_file), format="Letter", print_background=True,
                       margin={"top": "14mm", "bottom": "14mm", "left": "12mm", "right": "12mm"})

    def __exit__(self, *exc) -> None:
        for closer in (self._browser, self._pw):
            try:
                if closer is not None:
                    (closer.close if closer is self._browser else closer.stop)()
            except Exception:  # noqa: BLE001 - best effort at shutdown
                pass
