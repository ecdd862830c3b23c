"""Printing report HTML to PDF with headless Chromium (Debian's ``/usr/bin/chromium``; never downloaded).

Production code, and the one home of the Chromium path and flags:
:data:`CHROMIUM` (overridable with ``SECTORKIT_CHROMIUM``), :data:`CHROMIUM_ARGS`
and :func:`launch_browser` (for Playwright). :func:`chromium_pdf` prints one file
with one Chromium process; :class:`PdfPrinter` keeps one browser for many files.

>>> "--no-sandbox" in CHROMIUM_ARGS
True
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from sectorkit.reports.common import ReportError

CHROMIUM = os.environ.get("SECTORKIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def launch_browser(playwright):
    """Launch headless :data:`CHROMIUM` through a started Playwright; raise RuntimeError when it is missing."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(
            f"Chromium not found at {CHROMIUM}. Install it with: apt-get install -y chromium chromium-driver"
        )
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def chromium_pdf(html_file: Path, pdf_file: Path, timeout: float = 60) -> None:
    """Print one HTML file to PDF with the Chromium binary (one process per file).

    Raises :class:`~sectorkit.reports.common.ReportError` when Chromium fails or writes nothing.
    """
    with tempfile.TemporaryDirectory(prefix="sk-chromium-") as profile:
        cmd = [CHROMIUM, "--headless", *CHROMIUM_ARGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
               f"--print-to-pdf={pdf_file}", html_file.resolve().as_uri()]
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout)
    if proc.returncode != 0 or not pdf_file.exists() or pdf_file.stat().st_size == 0:
        raise ReportError(f"Chromium could not print the PDF (exit {proc.returncode}).")


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
