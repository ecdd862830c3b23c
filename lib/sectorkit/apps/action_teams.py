"""The action teams page (Step 5): the ``action-teams`` form, pre-filled from the launch, with live flags.

The page embeds the spec form (``WorksheetApp(spec, workspace, header=False)``: teams,
60-day deliverables, the next quarterly meeting) and adds a **"Start from the launch priorities"**
button, which adds one team per priority of the launch record (Step 4) that no team works on yet,
with its champions as members (a second click adds nothing), and, under the form, a panel that
flags deliverables that are overdue (due before today and not done), without an owner, due before
they start or stuck, and a missing or past quarterly meeting date. The panel refreshes after every
save. Nothing is changed to "fix" a flag: it is only reported.

>>> import tempfile
>>> from datetime import date
>>> from sectorkit.store.workspace import Workspace
>>> ws = Workspace.open("demo-region", root=tempfile.mkdtemp())
>>> _ = ws.save_rows("launch-capture", "priorities", [{"priority": "Grow our own"}])
>>> page = ActionTeamsApp(ws, today=date(2027, 6, 1))
>>> page.start_from_launch()
>>> [r.value["team"] for r in ws.rows("action-teams", "teams")]
['Grow our own']
>>> page.start_from_launch()
>>> page.status_text()
'Every launch priority already has a team; nothing was added.'
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import ipywidgets as W

from sectorkit.apps.base import guarded
from sectorkit.apps.spec_page import SpecFormPage
from sectorkit.partnership.action_teams import (
    DELIVERABLES,
    NEXT_QUARTERLY,
    TEAMS,
    TEAMS_SPEC,
    deliverable_flags,
    next_meeting,
    teams_from_priorities,
)
from sectorkit.partnership.capture import read_summary
from sectorkit.store.workspace import Workspace
from sectorkit.views.partnership import flags_html

__all__ = ["ActionTeamsApp"]


class ActionTeamsApp(SpecFormPage):
    """Action teams and their deliverables, with the pre-fill button and the flags (see the module docstring).

    Parameters
    ----------
    workspace : Workspace
        The region's workspace (the launch record is read from it too).
    header : bool
        Show the title, region and intro.
    today : datetime.date or callable, optional
        The day "overdue" is judged against (default: the current date, read at each refresh).
    """

    spec_id = TEAMS_SPEC

    def __init__(self, workspace: Workspace, *, header: bool = True, today: date | Callable[[], date] | None = None):
        self._today = today
        super().__init__(workspace, header=header)
        self.refresh()

    def today(self) -> date:
        """The day the flags are judged against."""
        return self._today() if callable(self._today) else (self._today or date.today())

    def build(self) -> list[W.Widget]:
        self.prefill_button = W.Button(
            description="Start from the launch priorities",
            tooltip="Add one team for each launch priority that has no team yet, with its champions as members",
            layout=self.styles.layout(width="18rem", margin="0.4em 0"), style=self.styles.button)
        self.prefill_button.on_click(lambda _b: self.start_from_launch())
        self.embed_form(lambda _form: self.refresh())
        heading = self.html_widget(
            "<h2 style='font-size:1.25em;margin:1.4em 0 0.2em;line-height:1.3'>What needs attention</h2>")
        self.panel = self.html_widget()
        return [self.prefill_button, self.status, self.form.container, heading, self.panel]

    def _rows(self, question: str) -> list[dict]:
        return [r.value for r in self.workspace.rows(self.form.key, question)]

    @guarded("checking the deliverables", keep="Your answers are saved.", lead="")
    def refresh(self) -> None:
        """Redraw the flags from what is saved."""
        today = self.today()
        teams = [str(r.get("team") or "") for r in self._rows(TEAMS)]
        deliverables = self._rows(DELIVERABLES)
        flags = deliverable_flags(deliverables, today, team_names=[t for t in teams if t.strip()])
        counted = sum(1 for r in deliverables if any(str(v or "").strip() for v in r.values()))
        _, meeting = next_meeting(self.workspace.answers(self.form.key).get(NEXT_QUARTERLY), today)
        self.panel.value = flags_html(flags, counted, meeting)

    @guarded("adding teams from the launch priorities", keep="Nothing was added; the teams table is as it was.",
             lead="Nothing added")
    def start_from_launch(self) -> None:
        """Add a team row for each launch priority without a team (all in one save), then reload the table."""
        table = self.form.fields[TEAMS]
        if any(view.problems for view in table.views):
            self.failed("a cell of the teams table has a problem that is not saved yet; fix it first, so it is "
                        "not lost.", lead="Nothing added")
            return
        summary = read_summary(self.workspace)
        if not summary.priorities:
            self.failed("the launch record (Step 4) has no priorities yet; write them there first.",
                        lead="Nothing added")
            return
        existing = self._rows(TEAMS)
        new = teams_from_priorities(summary.priorities, existing)
        if not new:
            self.say("Every launch priority already has a team; nothing was added.")
            return
        room = table.question.max_rows - len(existing)
        if len(new) > room:
            self.failed(f"the teams table holds at most {table.question.max_rows} rows; {len(new)} teams would not "
                        "fit.", lead="Nothing added")
            return
        self.workspace.save_rows(self.form.key, TEAMS, new, spec_version=self.spec.version)
        with self.loading():
            table.bind(self.workspace, self.form.key, self.form._field_reported)
        self.form._render_progress()
        self.refresh()
        names = ", ".join(r["team"] for r in new)
        self.saved(f"{len(new)} team{'s' if len(new) != 1 else ''} added from the launch priorities ({names})")
