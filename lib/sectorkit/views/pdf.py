"""HTML to PDF with headless Chromium (Debian's ``/usr/bin/chromium``; never downloaded).

The one home of the Chromium path and flags: :data:`CHROMIUM` (overridable with
``SECTORKIT_CHROMIUM``), :data:`CHROMIUM_ARGS`, :func:`launch_browser` (for Playwright) and
:func:`chromium_pdf` (one file, one Chromium process). Pages (the launch executive summary)
and the region reports (:mod:`sectorkit.reports.pdf`) both print through it.

>>> "--no-sandbox" in CHROMIUM_ARGS
True
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from sectorkit.core.errors import SectorkitError

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "PdfError", "chromium_pdf", "launch_browser"]

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


class PdfError(SectorkitError):
    """Chromium is missing, failed, or wrote no PDF (the message says which)."""


def launch_browser(playwright):
    """Launch headless :data:`CHROMIUM` through a started Playwright; raise RuntimeError when it is missing."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(
            f"Chromium not found at {CHROMIUM}. Install it with: apt-get install -y chromium chromium-driver"
        )
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def chromium_pdf(html_file: Path, pdf_file: Path, timeout: float = 60) -> None:
    """Print one HTML file to PDF with the Chromium binary (one process per file).

    Raises
    ------
    PdfError
        Chromium is not installed, exits with an error or times out, or writes no PDF.
    """
    if not Path(CHROMIUM).exists():
        raise PdfError(f"Chromium is not installed at {CHROMIUM}, so no PDF can be printed.")
    with tempfile.TemporaryDirectory(prefix="sk-chromium-") as profile:
        cmd = [CHROMIUM, "--headless", *CHROMIUM_ARGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
               f"--print-to-pdf={pdf_file}", Path(html_file).resolve().as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium did not finish printing the PDF within {timeout:.0f} s.") from None
    if proc.returncode != 0 or not Path(pdf_file).exists() or Path(pdf_file).stat().st_size == 0:
        raise PdfError(f"Chromium could not print the PDF (exit {proc.returncode}).")
