"""The journey map pages (Modules 2 and 3): one page class for every journey spec.

The page embeds the spec's form (the programs, the steps of each journey, the reflection) and, under
it, the combined view (:mod:`sectorkit.views.journeys`): the swimlane diagram with its text
alternative, where journeys overlap or repeat, programs with no follow-through, the rows to check (a
step whose program was deleted is kept and named there), and the table of steps by program and stage.
It is redrawn after each save, only when what it shows changed.

It is registered twice (``employer-journey`` in business services, ``jobseeker-journey`` in the
frontline module); any spec with tables tagged ``journey-programs`` and ``journey-steps`` works.

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> ws = Workspace.open("demo-region", root=tempfile.mkdtemp())
>>> page = JourneyMapPage(ws, journey="jobseeker-journey")
>>> (pid,) = ws.save_rows("jobseeker-journey", "programs", [{"name": "Job center"}])
>>> _ = ws.save_rows("jobseeker-journey", "steps", [{"program": pid, "stage": "intake", "what": "Skills test"}])
>>> page.refresh()
>>> "<img" in page.panel.value and "No follow-through step: Job center." in page.panel.value
True
"""

from __future__ import annotations

import ipywidgets as W

from sectorkit.apps.base import guarded
from sectorkit.apps.spec_page import SpecFormPage
from sectorkit.partnership.journeys import Journey, journey_tables, read_journey
from sectorkit.specs import WorksheetSpec
from sectorkit.store.workspace import Workspace
from sectorkit.views.journeys import journey_html

__all__ = ["JourneyMapPage"]

#: the combined view's tables on the page (the report has its own style sheet)
TABLE_CSS = ("<style>.sk-page .sk-table{border-collapse:collapse;margin:0.4em 0 1em}"
             ".sk-page .sk-table th,.sk-page .sk-table td{padding:0.25em 0.7em;text-align:left;vertical-align:top;"
             "border-bottom:1px solid #ccc}.sk-page .sk-table caption{text-align:left;font-weight:600}</style>")


class JourneyMapPage(SpecFormPage):
    """A journey map: the spec's form and the combined view of every program's journey.

    Parameters
    ----------
    workspace : Workspace
        The region's workspace.
    journey : str
        The journey spec's id (``employer-journey``, ``jobseeker-journey``, ...).
    header : bool
        Show the title, region and intro.
    spec : WorksheetSpec, optional
        Another spec than the shipped one (tests).

    Raises
    ------
    SpecError
        The spec is not a journey map (no tables tagged ``journey-programs`` and ``journey-steps``).
    """

    def __init__(self, workspace: Workspace, *, journey: str = "employer-journey", header: bool = True,
                 spec: WorksheetSpec | None = None):
        self.spec_id = journey
        self._shown: Journey | None = None
        super().__init__(workspace, header=header, spec=spec)
        journey_tables(self.spec)
        self.refresh()

    def build(self) -> list[W.Widget]:
        self.embed_form(lambda _form: self.refresh())
        heading = self.html_widget(
            "<h2 style='font-size:1.25em;margin:1.4em 0 0.2em;line-height:1.3'>The journeys side by side</h2>"
            "<p style='margin:0.2em 0 0.6em;line-height:1.45'>One lane per program, one column per stage. Shaded "
            "columns are stages two or more programs offer; a dashed orange box is something more than one "
            "program asks of the same business or person. The table under the diagram says the same in words."
            "</p>")
        self.panel = self.html_widget()
        return [self.status, self.form.container, heading, self.panel]

    @guarded("drawing the journeys", keep="Your answers are saved.", lead="")
    def refresh(self) -> None:
        """Redraw the combined view from what is saved (nothing is redrawn when nothing it shows changed)."""
        journey = read_journey(self.workspace, self.spec)
        if journey == self._shown:
            return
        self.panel.value = TABLE_CSS + journey_html(journey, self.spec.title)
        self._shown = journey
