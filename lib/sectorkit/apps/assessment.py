"""The self-assessment pages: take an assessment in a round, and every step's After Action Review on one page.

:class:`AssessmentApp` lets one respondent take an assessment in a round and shows how the team's
scores moved; :class:`AARHubApp` puts every step's After Action Review on one page with the
progress table. Both are :class:`~sectorkit.apps.base.WorksheetPage` s (header, status line,
shared styles, guarded handlers, ``for_region``). The data (rounds, responses, scoring,
comparisons, export) is :mod:`sectorkit.assessments`, the HTML :mod:`sectorkit.views.assessments`;
their names are re-exported here, so ``from sectorkit.apps import assessment as A; A.rounds(...)``
keeps working.

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> app = AssessmentApp.for_region("riverbend", root=tempfile.mkdtemp(), spec="sustainability")
>>> app.date.value, app.respondent.value = "2026-11-20", "Ana Ruiz"
>>> app.start.click()
>>> app.status_text()
'Ana Ruiz: response for 2026-11-20 open (draft). Answers save as you go.'
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ipywidgets as W
from IPython.display import HTML, display

from sectorkit import assessments as A
from sectorkit.apps.base import WorksheetPage, guarded
from sectorkit.apps.form import WorksheetApp
from sectorkit.assessments import *  # noqa: F403  (re-exported: the data API's old home)
from sectorkit.assessments import __all__ as _data_names
from sectorkit.example import open_region
from sectorkit.specs import WorksheetSpec, load_spec
from sectorkit.store.workspace import Workspace
from sectorkit.views.assessments import (  # noqa: F401  (re-exported: their old home)
    aar_progress_html,
    comparison_alt_text,
    comparison_chart,
    comparison_html,
)

__all__ = ["AARHubApp", "AssessmentApp", "aar_progress_html", "assessment", "comparison_alt_text", "comparison_chart",
           "comparison_html", "show_aar_progress", "show_history", "sustainability_page"]
__all__ += list(_data_names)


class AssessmentApp(WorksheetPage):
    """Take an assessment in a round as one respondent; see the team's comparison.

    Parameters
    ----------
    spec : WorksheetSpec
        An assessment spec (``kind: assessment``).
    workspace : Workspace
        Where rounds, responses and answers are saved.

    ``AssessmentApp.for_region(region, spec="sustainability")`` opens the region first.
    """

    illustrative_detail = "Practise here; use your own region's workspace for real assessments."
    save_hint = "Type the date of the round and your name, then start your response."
    max_width = "54rem"

    def __init__(self, spec: WorksheetSpec, workspace: Workspace):
        self.spec = spec
        #: this respondent's form once started, and its answers key
        self.app: WorksheetApp | None = None
        self.key: str | None = None
        super().__init__(workspace)

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def intro(self) -> str | None:
        return self.spec.intro

    @classmethod
    def from_workspace(cls, workspace: Workspace, spec: WorksheetSpec | str, **options: Any) -> AssessmentApp:
        """The page of ``spec`` (a spec or its id) on ``workspace``."""
        return cls(spec if isinstance(spec, WorksheetSpec) else load_spec(spec), workspace, **options)

    def build(self) -> list[W.Widget]:
        sh = self.styles
        field = sh.layout(width="22rem")
        self.date = W.Text(value=date.today().isoformat(), description="Date of this round (YYYY-MM-DD)",
                           style=sh.natural_text, layout=field)
        self.respondent = W.Text(value="", description="Your name", placeholder="e.g. Ana Ruiz, Riverbend Tools",
                                 style=sh.natural_text, layout=field)
        self.start = W.Button(description="Start or continue my response", button_style="primary",
                              layout=sh.auto, style=sh.button)
        self.complete = W.Button(description="Mark my response complete", disabled=True, layout=sh.auto,
                                 style=sh.button)
        #: the page's status line, next to the buttons it answers
        self.message = self.status
        self.form = W.Box()  # holds this respondent's form once started (a Box, not an Output: see show_html)
        self.comparison = self.html_widget(comparison_html(A.compare_rounds(self.workspace, self.spec), self.spec))
        self.start.on_click(lambda _b: self.begin())
        self.complete.on_click(lambda _b: self.finish())
        return [self.date, self.respondent, W.HBox([self.start, self.complete]), self.status, self.form,
                self.html_widget("<h2 style='font-size:1.25em'>How the team's scores moved</h2>"), self.comparison]

    @guarded("opening your response", lead="")
    def begin(self) -> None:
        """Open (or resume) this respondent's response in the chosen round."""
        round_id = A.start_round(self.workspace, self.spec.id, self.date.value.strip())
        self.key = A.open_response(self.workspace, self.spec.id, round_id, self.respondent.value)
        self.app = WorksheetApp(self.spec, self.workspace, key=self.key, header=False)
        self.complete.disabled = False
        self.form.children = (self.app.container,)
        status = self.workspace.records(A.RESPONSE)[self.key]["status"]
        self.say(f"{self.respondent.value.strip()}: response for {round_id} open ({status}). Answers save as you go.")

    @guarded("marking your response complete", lead="", keep="Your answers so far are saved.")
    def finish(self) -> None:
        """Mark the response complete (every statement rated) and redraw the team's comparison."""
        if self.key is None:
            self.failed("Start your response first.", lead="")
            return
        A.complete_response(self.workspace, self.spec, self.key)
        self.comparison.value = comparison_html(A.compare_rounds(self.workspace, self.spec), self.spec)
        self.say("Marked complete. The team's comparison below now includes your scores.")


class AARHubApp(WorksheetPage):
    """One page for every step's After Action Review, with the progress table.

    ``.apps[label]`` is the :class:`WorksheetApp` of each review built so far (label ``"Step N:
    <title>"``): a review's form is built the first time it is chosen (:meth:`review`), so the page
    opens with one form's widgets, not six.
    """

    title = "After Action Reviews"
    intro = "Choose a step's review, answer it, and see above which steps' reviews are done."
    save_hint = "Answers save as you type."
    max_width = "54rem"

    def build(self) -> list[W.Widget]:
        sh = self.styles
        self.specs = {f"Step {s.step}: {s.title}": s for s in A.aar_specs()}
        self.choose = W.Dropdown(options=list(self.specs), description="Which review", style=sh.natural,
                                 layout=sh.auto)
        self.progress = self.html_widget(aar_progress_html(A.aar_progress(self.workspace)))
        self.apps: dict[str, WorksheetApp] = {}
        self.form = W.Box([self.review(self.choose.value).container]) if self.specs else W.Box()
        self.choose.observe(self._switch, names="value")
        return [self.progress, self.choose, self.form]

    def review(self, label: str) -> WorksheetApp:
        """The form of the review ``label``, built the first time it is asked for (KeyError: no such review)."""
        if label not in self.apps:
            app = WorksheetApp(self.specs[label], self.workspace)
            app.on_saved.append(self._refresh)
            self.apps[label] = app
        return self.apps[label]

    @guarded("updating the progress table", keep="Your answer was saved.")
    def _refresh(self, _app=None) -> None:
        self.progress.value = aar_progress_html(A.aar_progress(self.workspace))
        if self.status_is_error:  # the earlier failure is over
            self.say()

    @guarded("switching to that review")
    def _switch(self, change) -> None:
        self.form.children = [self.review(change["new"]).container]


def assessment(spec_id: str, region: str = "example", root=None) -> AssessmentApp:
    """The assessment page for ``spec_id`` in ``region``'s workspace (the module notebooks' call)."""
    return AssessmentApp.for_region(region, root, spec=spec_id)


def sustainability_page(region: str) -> AssessmentApp:
    """Factory for the Voila page (see :func:`sectorkit.serve.pages.app_page`)."""
    return AssessmentApp.for_region(region, spec="sustainability")


def show_history(region: str, spec_id: str, root=None) -> None:
    """Display the latest round against the previous one (table, chart, disagreements).

    Returns nothing, so a notebook cell shows the view once; the data is :func:`compare_rounds`.
    """
    spec = load_spec(spec_id)
    with open_region(region, root) as ws:
        comp = A.compare_rounds(ws, spec)
        display(HTML(comparison_html(comp, spec)))


def show_aar_progress(region: str, root=None) -> None:
    """Display which steps' reviews are done (the data is :func:`aar_progress`)."""
    with open_region(region, root) as ws:
        progress = A.aar_progress(ws)
    display(HTML(aar_progress_html(progress)))
