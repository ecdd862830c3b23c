"""The trainer view: every region on this server, its progress, its report, and all workspaces as one zip.

``sheet.ipynb?sheet=trainer`` shows :class:`TrainerView` (see :func:`sectorkit.serve.pages.trainer_page`).
A state trainer sees one row per region (the example included when it exists): each curriculum
module's state (:func:`sectorkit.apps.progress.region_progress`), the last activity, a link to
the region's home page; below it, a report maker (pick a region, "Make report": the region's HTML
report built in a fresh kernel, offered as a download link) and "Download all workspaces (zip)".
The view only reads workspaces; nothing on it changes an answer.

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> root = tempfile.mkdtemp()
>>> with Workspace.open("riverbend", root, name="Riverbend <North>") as ws:
...     _ = ws.save_answer("step2-aar", "data-and-knowledge", "yes")
>>> view = TrainerView(root)
>>> "Riverbend &lt;North&gt;" in view.matrix.value and "review 1/" in view.matrix.value
True
>>> view.make_zip()
>>> "all-regions-workspaces-" in view.zip_link.value
True
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from sectorkit import reports
from sectorkit.apps.base import WorksheetPage, guarded
from sectorkit.apps.progress import last_activity, region_progress
from sectorkit.apps.registry import curriculum
from sectorkit.core.clock import local_time
from sectorkit.core.errors import SectorkitError
from sectorkit.statewide import states_present
from sectorkit.statewide.rollup import state_name
from sectorkit.store.backends import DatabaseError
from sectorkit.store.workspace import Workspace, list_regions
from sectorkit.views.html import esc, h2, para
from sectorkit.views.trainer import RegionRow, data_link, header_html, matrix_html, reports_html, states_html
from sectorkit.workspaces.archive import all_workspaces_zip, download_name

__all__ = ["TrainerView", "region_rows"]

ZIP_MIME = "application/zip"
HTML_MIME = "text/html;charset=utf-8"


def region_rows(root: Any = None) -> tuple[list[tuple[str, str]], list[RegionRow]]:
    """The matrix's columns (modules that have pages) and one :class:`RegionRow` per region under ``root``.

    A workspace that cannot be read gets a row saying why, instead of stopping the view.
    """
    modules = [(module, pages) for module, pages in curriculum() if pages]
    columns = [(m.id, m.title) for m, _ in modules]
    wanted = {m.id for m, _ in modules}
    rows = []
    for region in list_regions(root):
        try:
            with Workspace.open(region, root, create=False) as ws:
                progress = [p for p in region_progress(ws) if p.module.id in wanted]
                rows.append(RegionRow(region, ws.name, ws.illustrative, progress, last_activity(ws)))
        except (SectorkitError, *DatabaseError) as exc:
            rows.append(RegionRow(region, region, False, problem=f"This workspace could not be read: {exc}"))
    return columns, rows


class TrainerView(WorksheetPage):
    """Every region under ``root`` (default ``SECTORKIT_HOME``): progress, reports, downloads.

    Parameters
    ----------
    root : path, optional
        The workspace root folder.
    temporary : bool
        This server is temporary (Binder): say so and point at the download.

    Attributes
    ----------
    container : ipywidgets.VBox
        The one public view.
    matrix : ipywidgets.HTML
        The progress table (:func:`sectorkit.views.trainer.matrix_html`).
    region_pick, report_button, reports : widgets
        The report maker: pick a region, make its report, the download links made so far.
    zip_button, zip_link : widgets
        "Download all workspaces (zip)" and the link it makes.
    """

    title = "Trainer view"
    save_hint = "This view only reads the workspaces; nothing here changes an answer."
    max_width = "72rem"
    page_class = "sk-trainer"

    def __init__(self, root: Any = None, *, temporary: bool = False):
        self.root = root
        self.temporary = temporary
        self._report_links: dict[str, str] = {}
        super().__init__(None, header=False)  # type: ignore[arg-type] - no one region: the view reads them all
        self.refresh()

    # -- widgets ----------------------------------------------------------------------------------
    def build(self) -> list[W.Widget]:
        s = self.styles
        self.top = self.html_widget(header_html(self.temporary))
        self.matrix = self.html_widget()
        self.states = self.html_widget()
        self.refresh_button = W.Button(description="Refresh the table", icon="refresh", layout=s.auto,
                                       style=s.button)
        self.refresh_button.on_click(lambda _: self.refresh_clicked())
        self.region_pick = W.Dropdown(description="Region", options=[], layout=s.layout(width="26rem"),
                                      style=s.natural)
        self.report_button = W.Button(description="Make report", button_style="primary",
                                      layout=s.layout(width="auto", margin="0 0 0 0.8rem"),
                                      style=s.button)
        quiet = "<div role='status' aria-live='polite'></div>"  # present before it speaks, so it is announced
        self.report_note, self.zip_note = self.html_widget(quiet), self.html_widget(quiet)
        self.report_button.on_click(self._near(self.report_note, self.make_report))
        self.reports = self.html_widget()
        self.zip_button = W.Button(description="Download all workspaces (zip)", icon="download", layout=s.auto,
                                   style=s.button)
        self.zip_button.on_click(self._near(self.zip_note, self.make_zip))
        self.zip_link = self.html_widget()
        row = s.layout(align_items="center", flex_flow="row wrap")
        return [
            self.top, self.status, self.matrix, W.HBox([self.refresh_button], layout=row),
            self.html_widget(h2("Statewide views") + para(
                "Each state's partnerships together: stages, sectors, the common metrics and stories regions "
                "share, self-assessments, and the state report.")), self.states,
            self.html_widget(h2("Region reports") + para(
                "Pick a region and make its report: the same report the command line makes, built from the "
                "region's answers now. It takes a little while; the link to download it appears below.")),
            W.HBox([self.region_pick, self.report_button], layout=row), self.report_note, self.reports,
            self.html_widget(h2("All workspaces") + para(
                "Every region's workspace in one zip file, one .json file per region: each one can be restored "
                "on a region's home page, here or on another server.")),
            W.HBox([self.zip_button], layout=row), self.zip_note, self.zip_link,
        ]

    def _near(self, where: W.HTML, handler: Any) -> Any:
        """A click handler whose messages appear in ``where`` (under its button), not at the top."""
        def run(_: Any = None) -> None:
            main, self.status = self.status, where
            try:
                handler()
            finally:
                self.status = main
        return run

    # -- reading ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read every region again: the matrix and the report maker's list."""
        columns, rows = region_rows(self.root)
        self.matrix.value = matrix_html(columns, rows)
        states = states_present(self.root)
        self.states.value = states_html([(code, state_name(code), n) for code, n in states])
        readable = [(f"{r.name} ({r.region})" if r.name != r.region else r.region, r.region)
                    for r in rows if not r.problem]
        chosen = self.region_pick.value
        with self.loading():
            self.region_pick.options = readable
            if chosen in {v for _, v in readable}:
                self.region_pick.value = chosen
        self.region_pick.disabled = self.report_button.disabled = not readable
        self.zip_button.disabled = not rows
        self._names = {r.region: r.name for r in rows}

    @guarded("reading the workspaces", keep="", lead="")
    def refresh_clicked(self) -> None:
        self.refresh()
        self.say(f"Read {len(self._names)} region{'s' if len(self._names) != 1 else ''} again.")

    # -- making files -----------------------------------------------------------------------------
    @guarded("making the report", keep="The workspaces are unchanged.", lead="The report could not be made")
    def make_report(self, region: str | None = None) -> None:
        """Build ``region``'s (default: the picked one) HTML report and add its download link."""
        region = region or self.region_pick.value
        if not region:
            self.failed("There is no region to report on yet.", lead="")
            return
        name = self._names.get(region, region)
        self.report_button.disabled = True
        self.say(f"Making the report for {name}\u2026 this takes a little while.")
        try:
            result = reports.build_region_html(region, self.root)
        finally:
            self.report_button.disabled = False
        data = result["html"].encode("utf-8")
        link = data_link(data, HTML_MIME, download_name(region, "html", what="report"), f"Report for {name} (HTML)")
        size = f"{max(1, round(len(data) / 1024)):,} KB"
        made = f"<span style='color:#3c4043'>\u00b7 {size}, made {esc(local_time())}</span>"
        self._report_links[region] = f"{link} {made}"
        self.reports.value = reports_html(list(self._report_links.values()))
        self.say(f"The report for {name} is ready: use the link \u201cReport for {name} (HTML)\u201d below "
                 f"({result['seconds']:.0f} seconds).")

    @guarded("making the zip of all workspaces", keep="The workspaces are unchanged.", lead="")
    def make_zip(self) -> None:
        """Build the zip of every workspace and show its download link."""
        self.say("Collecting every workspace\u2026")
        data = all_workspaces_zip(self.root)
        count = len(list_regions(self.root))
        name = download_name("all-regions", "zip", what="workspaces")
        self.zip_link.value = (
            f"<p style='margin:0.3em 0'>{data_link(data, ZIP_MIME, name, 'Download all workspaces (zip)')} "
            f"\u00b7 {count} region{'s' if count != 1 else ''}, {max(1, round(len(data) / 1024)):,} KB "
            f"<span style='color:#3c4043'>({esc(name)})</span></p>")
        self.say(f"The zip of {count} workspace{'s' if count != 1 else ''} is ready: use the download link below.")
