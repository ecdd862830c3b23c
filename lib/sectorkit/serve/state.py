"""The statewide view page: every partnership of one state, read-only, and its state report.

``sheet.ipynb?sheet=state&state=OH`` shows :class:`StateView` (linked from the trainer view, one link
per state named by a region's profile). It reads every workspace of the state read-only
(:func:`sectorkit.statewide.state_rollup`) and shows partnerships by stage, each partnership,
sectors chosen, the common metrics rolled up, shared stories, and self-assessments
(:mod:`sectorkit.views.statewide`). "Make the state report" builds the same report as
``sectorkit report --state OH`` (HTML, offered as a download). Nothing on this page writes.

>>> import tempfile
>>> from sectorkit.workspaces.regions import create_region
>>> root = tempfile.mkdtemp()
>>> create_region("Riverbend <Valley>", root, state="OH").close()
>>> view = StateView("oh", root)
>>> "Riverbend &lt;Valley&gt;" in view.body.value and view.state_pick.value == "OH"
True
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from sectorkit import reports
from sectorkit.apps.base import WorksheetPage, guarded
from sectorkit.core.clock import local_time
from sectorkit.core.errors import SectorkitError
from sectorkit.statewide import state_rollup, states_present
from sectorkit.statewide.rollup import state_name
from sectorkit.views.html import esc, para
from sectorkit.views.statewide import state_page_html
from sectorkit.views.trainer import data_link
from sectorkit.workspaces.archive import download_name
from sectorkit.workspaces.regions import parse_state

__all__ = ["StateView"]

HTML_MIME = "text/html;charset=utf-8"


class StateView(WorksheetPage):
    """The statewide view of ``state`` (a 2-letter code; default: the first state with regions).

    Attributes
    ----------
    state_pick : ipywidgets.Dropdown
        The states named by workspaces under ``root`` (and ``state`` if given).
    body : ipywidgets.HTML
        :func:`sectorkit.views.statewide.state_page_html` of the picked state.
    report_button, report_link : widgets
        "Make the state report" and the download link it makes.
    """

    title = "Statewide view"
    save_hint = "This view only reads the regions' workspaces; nothing here changes an answer."
    max_width = "72rem"
    page_class = "sk-statewide"

    def __init__(self, state: str | None = None, root: Any = None, *, temporary: bool = False):
        self.root = root
        self.temporary = temporary
        self.wanted = parse_state(state) if state else ""
        super().__init__(None, header=False)  # type: ignore[arg-type] - no one region: it reads many
        self.refresh()

    def build(self) -> list[W.Widget]:
        s = self.styles
        self.top = self.html_widget(
            "<h1 style='font-size:1.5em;margin:0 0 .3em'>Statewide view</h1>" + para(
                "Every regional partnership whose workspace names this state: where each stands, the sectors "
                "chosen, the common metrics and stories regions share, and self-assessment results. It reads "
                "the workspaces and never changes them. A region that shares nothing says so; it is never "
                "counted as zero."))
        self.state_pick = W.Dropdown(description="State", options=[], layout=s.layout(width="22rem"),
                                     style=s.natural)
        self.state_pick.observe(lambda ch: self.state_changed(), names="value")
        self.refresh_button = W.Button(description="Read the regions again", icon="refresh", layout=s.auto,
                                       style=s.button)
        self.refresh_button.on_click(lambda _: self.refresh_clicked())
        self.body = self.html_widget()
        self.report_button = W.Button(description="Make the state report", button_style="primary", layout=s.auto,
                                      style=s.button)
        self.report_button.on_click(lambda _: self.make_report())
        self.report_link = self.html_widget("<div role='status' aria-live='polite'></div>")
        row = s.layout(align_items="center", flex_flow="row wrap")
        return [self.top, W.HBox([self.state_pick, self.refresh_button], layout=row), self.status, self.body,
                W.HBox([self.report_button], layout=row), self.report_link]

    def _options(self) -> list[tuple[str, str]]:
        found = dict(states_present(self.root))
        if self.wanted and self.wanted not in found:
            found[self.wanted] = 0
        return [(f"{state_name(code)} ({n} region{'s' if n != 1 else ''})", code)
                for code, n in sorted(found.items())]

    def refresh(self) -> None:
        """Read the states and the picked state's regions again."""
        options = self._options()
        chosen = self.state_pick.value or self.wanted or (options[0][1] if options else None)
        with self.loading():
            self.state_pick.options = options
            if chosen in {v for _, v in options}:
                self.state_pick.value = chosen
        self.report_button.disabled = not options
        self.show()

    def show(self) -> None:
        code = self.state_pick.value
        if not code:
            self.body.value = para("No workspace on this server names a state yet. A region's state is set when "
                                   "the region is created on the home page (or with `sectorkit init`).")
            return
        self.body.value = state_page_html(state_rollup(code, self.root))

    @guarded("reading the state's regions", keep="", lead="")
    def state_changed(self) -> None:
        if self.is_loading:
            return
        self.report_link.value = "<div role='status' aria-live='polite'></div>"
        self.show()

    @guarded("reading the state's regions", keep="", lead="")
    def refresh_clicked(self) -> None:
        self.refresh()
        self.say("Read the regions again.")

    @guarded("making the state report", keep="The workspaces are unchanged.", lead="The report could not be made")
    def make_report(self) -> None:
        """Build the picked state's HTML report and show its download link."""
        code = self.state_pick.value
        if not code:
            raise SectorkitError("There is no state to report on yet.")
        self.report_button.disabled = True
        self.say(f"Making the state report for {state_name(code)}\u2026 this takes a little while.")
        try:
            result = reports.build_state_html(code, self.root)
        finally:
            self.report_button.disabled = False
        data = result["html"].encode("utf-8")
        name = download_name(code.lower(), "html", what="state-report")
        text = f"State report for {state_name(code)} (HTML)"
        self.report_link.value = (
            f"<p role='status'>{data_link(data, HTML_MIME, name, text)}"
            f" \u00b7 {max(1, round(len(data) / 1024)):,} KB, made {esc(local_time())}</p>")
        self.say(f"The state report is ready ({result['seconds']:.0f} seconds): use the link below.")
