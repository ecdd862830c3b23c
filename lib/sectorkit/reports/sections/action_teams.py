"""Report section "What the action teams promised": the action-team questions and every written commitment.

Content is chosen by question tags, never by id patterns:

* ``action-team``: questions about how the action teams are doing (today the
  Step 5 review's "Action teams" questions); every answered one is listed,
  grouped by its worksheet;
* ``commitment``: long-text answers that are promises (next actions, next
  steps); each non-blank line of an answer is one commitment.

Worksheets are taken in curriculum order (:func:`~sectorkit.reports.sections._base.spec_order`).
"""

from __future__ import annotations

from sectorkit.reports.common import esc
from sectorkit.reports.sections._base import (
    Section,
    Status,
    all_specs,
    answered,
    lines,
    not_done,
    open_workspace,
    questions_tagged,
    register,
    section_html,
    show,
)
from sectorkit.store.workspace import Workspace

TITLE = "What the action teams promised"
#: tag of long-text questions whose answers are promises
COMMITMENT = "commitment"
#: tag of questions about the action teams
ACTION_TEAM = "action-team"


def commitments(ws: Workspace) -> list[dict]:
    """Every written commitment: ``[{"spec", "question", "lines"}]``, in curriculum and spec order."""
    found = []
    for spec in all_specs():
        saved = ws.answers(spec.id)
        for q in questions_tagged(spec, COMMITMENT):
            written = lines(saved.get(q.id))
            if written:
                found.append({"spec": spec, "question": q, "lines": written})
    return found


def team_answers(ws: Workspace) -> tuple[list[tuple], list]:
    """Answered ``action-team`` questions as ``[(spec, question, label of the answer)]``, and every spec asking any."""
    found, asking = [], []
    for spec in all_specs():
        qs = questions_tagged(spec, ACTION_TEAM)
        if not qs:
            continue
        asking.append(spec)
        saved = ws.answers(spec.id)
        for q in qs:
            value = saved.get(q.id)
            if answered(value):
                labels = {o.value: o.label for o in spec.options_for(q)}
                values = value if isinstance(value, list) else [value]
                shown = ", ".join(str(labels.get(v, v)) for v in values)
                found.append((spec, q, shown))
    return found, asking


def status(ws: Workspace) -> Status:
    """Whether any commitment is written down, and how many lines."""
    promises = commitments(ws)
    return ("Action team commitments", bool(promises),
            f"{sum(len(p['lines']) for p in promises)} action(s) written down" if promises else "none written down yet")


def action_teams(region: str, home: str = "") -> None:
    """What the action teams promised: the answered action-team questions and every written next action."""
    with open_workspace(region, home) as ws:
        found, asking = team_answers(ws)
        promises = commitments(ws)
    parts = []
    if found:
        for spec in {s.id: s for s, _, _ in found}.values():  # each spec once, in order (specs are not hashable)
            lis = "".join(f"<li>{esc(q.label)} <strong>{esc(shown)}</strong></li>"
                          for s, q, shown in found if s.id == spec.id)
            parts.append(f"<h3>Action teams ({esc(spec.title)})</h3><ul class='sk-list'>{lis}</ul>")
    else:
        where = "; ".join(s.title for s in asking) or "no worksheet asks about them yet"
        parts.append(not_done(f"the review of the action teams has not been answered ({where})."))
    if promises:
        for p in promises:
            items = "".join(f"<li>{esc(line)}</li>" for line in p["lines"])
            parts.append(f"<h3>{esc(p['spec'].title)}: {esc(p['question'].label)}</h3><ul class='sk-list'>{items}</ul>")
    else:
        parts.append(not_done("no next actions are written down in any review or worksheet."))
    show(section_html("action-teams", TITLE, "".join(parts)))


SECTION = register(Section("action-teams", TITLE, action_teams, order=50, status=status))
