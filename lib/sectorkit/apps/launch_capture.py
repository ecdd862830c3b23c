"""The launch record page (Step 4): the ``launch-capture`` form, a live check, and the executive summary.

The page embeds the spec form (``WorksheetApp(spec, workspace, header=False)``: priorities,
requirements, champions, in the leaders' words) and adds, under it, a panel that counts the
champions of each priority and lists what to fix before sending (it refreshes after every save),
and one button that writes the meeting's **executive summary** as HTML and PDF into the region's
folder, under the fixed names :data:`SUMMARY_HTML` and :data:`SUMMARY_PDF` (never a typed path),
and offers both as download links. The PDF is printed by a ``printer(html_file, pdf_file)``
callable; the default is the report machinery's Chromium printer (see :func:`default_printer`).

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> ws = Workspace.open("demo-region", root=tempfile.mkdtemp(), name="Demo <Region>")
>>> page = LaunchCaptureApp(ws, printer=lambda html_file, pdf_file: pdf_file.write_bytes(b"%PDF-1.4 demo"))
>>> page.make_summary()
>>> page.status_text()
'No summary made: write at least one priority (its short name) in the launch record first.'
>>> page.form.fields["priorities"].add_row()
>>> page.form.fields["priorities"].cell(0, "priority").value = "Grow our own"
>>> "1 priority, 0 champions" in page.panel.value
True
>>> page.make_summary()
>>> page.status_text().startswith("Saved at") and (ws.path.parent / SUMMARY_PDF).exists()
True
"""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as W

from sectorkit.apps.base import guarded
from sectorkit.apps.spec_page import SpecFormPage
from sectorkit.core.atomic import atomic_write
from sectorkit.partnership.capture import CAPTURE_SPEC, read_summary
from sectorkit.store.workspace import Workspace
from sectorkit.views.partnership import capture_panel_html, executive_summary_html
from sectorkit.views.pdf import chromium_pdf

__all__ = ["SUMMARY_HTML", "SUMMARY_PDF", "LaunchCaptureApp", "default_printer"]

#: the summary's fixed file names in the region's folder (beside ``workspace.sqlite``)
SUMMARY_HTML = "launch-executive-summary.html"
SUMMARY_PDF = "launch-executive-summary.pdf"

Printer = Callable[[Path, Path], Any]


def default_printer(html_file: Path, pdf_file: Path) -> None:
    """Print ``html_file`` to ``pdf_file`` with headless Chromium (:func:`sectorkit.views.pdf.chromium_pdf`,
    the printer the region reports use too); pass ``printer=`` to the page to use another. Raises
    :class:`~sectorkit.views.pdf.PdfError` when Chromium is missing or fails."""
    chromium_pdf(Path(html_file), Path(pdf_file))


class LaunchCaptureApp(SpecFormPage):
    """The launch record with its live check and the executive-summary button (see the module docstring).

    Parameters
    ----------
    workspace : Workspace
        The region's workspace.
    header : bool
        Show the title, region and intro.
    printer : callable, optional
        ``printer(html_file, pdf_file)`` writes the PDF (default :func:`default_printer`).
    today : datetime.date or callable, optional
        The "prepared on" date (default: the day the button is pressed).
    """

    spec_id = CAPTURE_SPEC

    def __init__(self, workspace: Workspace, *, header: bool = True, printer: Printer | None = None,
                 today: date | Callable[[], date] | None = None):
        self.printer = printer or default_printer
        self._today = today
        super().__init__(workspace, header=header)
        self.refresh()

    def today(self) -> date:
        """The date printed on the summary."""
        return self._today() if callable(self._today) else (self._today or date.today())

    def build(self) -> list[W.Widget]:
        self.embed_form(lambda _form: self.refresh())
        heading = self.html_widget(
            "<h2 style='font-size:1.25em;margin:1.4em 0 0.2em;line-height:1.3'>Executive summary</h2>"
            "<p style='margin:0.2em 0;line-height:1.45'>Send business members the summary within a week of the "
            "launch: the priorities in their words, who champions each, and what happens next. The button writes "
            f"it as a web page and a PDF into this region's folder ({SUMMARY_HTML}, {SUMMARY_PDF}).</p>")
        self.panel = self.html_widget()
        self.make_button = W.Button(description="Make the executive summary", button_style="primary",
                                    tooltip="Write the summary as HTML and PDF and offer both for download",
                                    layout=self.styles.layout(width="18rem", margin="0.4em 0"),
                                    style=self.styles.button)
        self.make_button.on_click(lambda _b: self.make_summary())
        self.downloads = self.html_widget()
        return [self.form.container, heading, self.panel, self.make_button, self.status, self.downloads]

    @guarded("checking the launch record", keep="Your answers are saved.", lead="")
    def refresh(self) -> None:
        """Redraw the panel from what is saved."""
        self.panel.value = capture_panel_html(read_summary(self.workspace))

    @guarded("making the executive summary", keep="The launch record is saved; nothing in it was changed.",
             lead="No summary made")
    def make_summary(self) -> None:
        """Write the executive summary (HTML, then PDF) into the region's folder and offer both as links."""
        summary = read_summary(self.workspace)
        if not summary.priorities:
            self.failed("write at least one priority (its short name) in the launch record first.",
                        lead="No summary made")
            return
        self.say("Making the executive summary...")
        folder = Path(self.workspace.path).parent
        doc = executive_summary_html(summary, made_on=self.today())
        html_file = atomic_write(folder / SUMMARY_HTML, doc)
        links = [self._link(doc.encode("utf-8"), "text/html;charset=utf-8", SUMMARY_HTML, "Web page (HTML)")]
        pdf_file, part = folder / SUMMARY_PDF, folder / f".{SUMMARY_PDF}.part"
        try:
            self.printer(html_file, part)
            data = part.read_bytes()
            if not data.startswith(b"%PDF"):
                raise ValueError("the printer did not write a PDF")
            os.replace(part, pdf_file)
        except Exception as exc:  # noqa: BLE001 - the HTML is made; say why the PDF is not
            part.unlink(missing_ok=True)
            self.downloads.value = self._links_html(links)
            self.show_exception(exc, "printing the PDF", keep="The HTML summary is ready above; print it from "
                                "the browser instead.", lead="PDF not made")
            return
        links.append(self._link(data, "application/pdf", SUMMARY_PDF, "PDF"))
        self.downloads.value = self._links_html(links)
        n = len(summary.priorities)
        self.saved(f"the executive summary ({n} priorit{'ies' if n != 1 else 'y'}, "
                   f"{summary.champion_count} champions) as {SUMMARY_HTML} and {SUMMARY_PDF}")

    @staticmethod
    def _link(data: bytes, mime: str, name: str, text: str) -> str:
        uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
        return (f"<a download='{html.escape(name)}' href='{uri}' style='color:#0b4f9c;text-decoration:underline'>"
                f"{html.escape(text)}</a>")

    @staticmethod
    def _links_html(links: list[str]) -> str:
        return f"<p style='margin:0.3em 0'>Download the executive summary: {' · '.join(links)}</p>"
