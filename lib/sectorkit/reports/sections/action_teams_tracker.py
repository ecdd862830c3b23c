"""Report section "Action teams and their 60-day deliverables": where each team stands, with flags.

It complements "What the action teams promised" (:mod:`.action_teams`), which lists every row of the
teams and deliverables tables; this section adds the status view on the report's date: one line per
team (business lead, deliverables by status, overdue and unowned counts), every deliverable that is
overdue (due before the report's date and not done), has no owner, is due before it starts or is
stuck, and the date of the next full-partnership quarterly meeting.

Content is chosen by placement and tags, never by question id: the specs placed here
(``report: {section: action-team-tracker}``); in them, table questions tagged ``due-date`` are
deliverables (columns as in :mod:`sectorkit.partnership.action_teams`), other tables tagged
``action-team`` are the teams, and other questions tagged ``due-date`` are meeting dates.
"""

from __future__ import annotations

from datetime import date

from sectorkit.partnership.action_teams import deliverable_flags, next_meeting, team_board
from sectorkit.reports.common import esc
from sectorkit.reports.sections._base import (
    Section,
    Status,
    not_done,
    open_workspace,
    register,
    section_html,
    show,
    specs_for,
)
from sectorkit.store.workspace import Workspace
from sectorkit.views.partnership import board_html

ID = "action-team-tracker"
TITLE = "Action teams and their 60-day deliverables"
DUE = "due-date"
TEAM = "action-team"


def _filled(rows: list[dict]) -> list[dict]:
    return [r for r in rows if any(str(v or "").strip() for v in r.values())]


def gather(ws: Workspace, today: date) -> list[dict]:
    """Per placed spec: ``{"spec", "teams", "deliverables", "board", "flags", "dates"}`` (plain data).

    ``dates`` is ``[(question, value, problem or None)]`` for the non-table questions tagged ``due-date``.
    """
    found = []
    for spec in specs_for(ID):
        tables = [q for q in spec.questions() if q.type == "table"]
        teams = [r.value for q in tables if TEAM in q.tags and DUE not in q.tags for r in ws.rows(spec.id, q.id)]
        deliverables = _filled([r.value for q in tables if DUE in q.tags for r in ws.rows(spec.id, q.id)])
        names = [str(t.get("team") or "") for t in teams if str(t.get("team") or "").strip()]
        saved = ws.answers(spec.id)
        dates = []
        for q in spec.questions_tagged(DUE):
            if q.type != "table":
                when, problem = next_meeting(saved.get(q.id), today)
                dates.append((q, when, problem))
        found.append({"spec": spec, "teams": teams, "deliverables": deliverables,
                      "board": team_board(teams, deliverables, today),
                      "flags": deliverable_flags(deliverables, today, team_names=names), "dates": dates})
    return found


def status(ws: Workspace, today: date | None = None) -> Status:
    """How many deliverables are tracked, and how many are overdue or unowned today."""
    parts = gather(ws, today or date.today())
    total = sum(len(p["deliverables"]) for p in parts)
    overdue = sum(f.kind == "overdue" for p in parts for f in p["flags"])
    unowned = sum(f.kind == "unowned" for p in parts for f in p["flags"])
    return ("Action team deliverables", bool(total),
            f"{total} deliverable(s), {overdue} overdue, {unowned} without an owner" if total else "none tracked yet")


def action_team_tracker(region: str, home: str = "", today: date | None = None) -> None:
    """Where each action team stands on ``today`` (default: the day the report is made), with flags."""
    today = today or date.today()
    with open_workspace(region, home) as ws:
        parts = gather(ws, today)
    body = []
    for p in parts:
        body.append(f"<h3>{esc(p['spec'].title)}</h3>")
        if not p["teams"] and not p["deliverables"]:
            body.append(not_done("no action team or deliverable is written down yet."))
        else:
            body.append(board_html(p["board"], caption=f"Deliverables by team on {today.isoformat()}"))
            flagged = [f.message for f in p["flags"]]
            if flagged:
                body.append("<p><strong>Needs attention:</strong></p><ul class='sk-list'>"
                            + "".join(f"<li>{esc(m)}</li>" for m in flagged) + "</ul>")
            else:
                body.append("<p>No deliverable is overdue or without an owner.</p>")
        for q, when, problem in p["dates"]:
            shown = when.isoformat() if when else "not set"
            body.append(f"<p>{esc(q.label)}: <strong>{esc(shown)}</strong>"
                        + (f" ({esc(problem)})" if problem else "") + "</p>")
    if not parts:
        body.append(not_done("no worksheet tracks the action teams."))
    else:
        body.append("<p>Each team's members and every deliverable are listed under "
                    "\u201cWhat the action teams promised\u201d.</p>")
    show(section_html(ID, TITLE, "".join(body)))


SECTION = register(Section(ID, TITLE, action_team_tracker, order=29, status=status))
