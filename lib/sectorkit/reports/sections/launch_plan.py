"""Report section "Ready to launch": the convener, co-chairs, date and place, and the invitations against the rule.

The worksheets shown are those placed in this section (``report: {section: launch-plan}``; today the
Step 3 worksheet ``prepare-launch``), read with the launch rules of :mod:`sectorkit.universe.launch`
(the funnel against about four invitations per leader in the room, the four weeks' notice, the mix,
duplicate invitees, co-chairs who are not business leaders) and drawn by
:func:`sectorkit.views.launch.launch_summary_html`, the same summary the worksheet page shows.
"""

from __future__ import annotations

from typing import Any

from sectorkit.reports.common import esc
from sectorkit.reports.sections._base import (
    Section,
    Status,
    answered,
    not_done,
    open_workspace,
    register,
    section_html,
    show,
    specs_for,
)
from sectorkit.specs import WorksheetSpec
from sectorkit.store.workspace import Workspace
from sectorkit.universe.launch import LaunchPlan, plan
from sectorkit.universe.store import KIND_ORG, KIND_PERSON
from sectorkit.views.launch import launch_summary_html

ID = "launch-plan"
TITLE = "Ready to launch"


def saved_answers(ws: Workspace, spec: WorksheetSpec) -> dict[str, Any]:
    """A worksheet's saved answers with each table question's rows as a list of row dicts."""
    answers = dict(ws.answers(spec.id))
    for q in spec.questions():
        if q.type == "table":
            answers[q.id] = [r.value for r in ws.rows(spec.id, q.id)]
    return answers


def plans(ws: Workspace, today: Any = None) -> list[tuple[WorksheetSpec, LaunchPlan, bool]]:
    """``(spec, plan, started)`` for each worksheet placed in this section, in placement order."""
    orgs, people = ws.records(KIND_ORG), ws.records(KIND_PERSON)
    found = []
    for spec in specs_for(ID):
        answers = saved_answers(ws, spec)
        found.append((spec, plan(answers, orgs, people, today=today), any(answered(v) for v in answers.values())))
    return found


def status(ws: Workspace) -> Status:
    """Whether the launch plan is started: the invitation funnel in numbers, or what is missing."""
    started = [(s, p) for s, p, begun in plans(ws) if begun]
    if not started:
        return ("Launch plan (Step 3)", False, "not started yet")
    f = started[0][1].funnel
    return ("Launch plan (Step 3)", True,
            f"{f.listed} on the invitation list, {f.invited} invited, {f.yes} said yes "
            f"(aim: {f.target} in the room, about {f.needed} invitations)")


def launch_plan(region: str, home: str = "") -> None:
    """Ready to launch: convener, co-chairs, date and place, the funnel and what to check, per worksheet."""
    with open_workspace(region, home) as ws:
        found = plans(ws)
    parts = []
    for spec, current, begun in found:
        if begun:
            parts.append(launch_summary_html(current, heading=spec.title, level=3))
        else:
            parts.append(f"<h3>{esc(spec.title)}</h3>"
                         + not_done("the team has not started planning the launch in this worksheet."))
    if not found:
        parts.append(not_done("no worksheet is placed in this section."))
    show(section_html(ID, TITLE, "".join(parts)))


SECTION = register(Section(ID, TITLE, launch_plan, order=25, status=status))
