"""Report section "What the action teams promised": the action-team questions and every written commitment.

Content is chosen by question tags, never by id patterns:

* ``action-team``: questions about how the action teams are doing (today the
  Step 5 review's "Action teams" questions); every answered one is listed,
  grouped by its worksheet;
* ``commitment``: long-text answers that are promises (next actions, next
  steps); each non-blank line of an answer is one commitment.

A ``table`` question with either tag (an action-team tracker, a list of
deliverables) is shown as a table of its rows, and each row counts as one
commitment.

Worksheets are taken in curriculum order (:func:`~sectorkit.reports.sections._base.spec_order`).
"""

from __future__ import annotations

from sectorkit.apps.table import universe_refs
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
from sectorkit.specs.tables import resolve_columns
from sectorkit.store.workspace import Workspace
from sectorkit.views.tables import rows_table_html

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


def tables(ws: Workspace) -> list[dict]:
    """Rows of every table tagged ``action-team`` or ``commitment``: ``[{"spec", "question", "html", "rows"}]``.

    Only tables with at least one row are listed; the HTML is escaped (:func:`~sectorkit.views.tables.rows_table_html`).
    """
    found, refs = [], None
    for spec in all_specs():
        for q in spec.questions():
            if q.type != "table" or not {ACTION_TEAM, COMMITMENT} & set(q.tags):
                continue
            rows = [r.value for r in ws.rows(spec.id, q.id)]
            if rows:
                refs = refs if refs is not None else universe_refs(ws)
                table = rows_table_html(resolve_columns(spec, q), rows, refs, caption=f"{spec.title}: {q.label}")
                found.append({"spec": spec, "question": q, "html": table, "rows": len(rows)})
    return found


def status(ws: Workspace) -> Status:
    """Whether any commitment is written down (long-text lines and rows of tagged tables), and how many."""
    count = sum(len(p["lines"]) for p in commitments(ws)) + sum(t["rows"] for t in tables(ws))
    return ("Action team commitments", bool(count),
            f"{count} action(s) written down" if count else "none written down yet")


def action_teams(region: str, home: str = "") -> None:
    """What the action teams promised: the answered action-team questions and every written next action."""
    with open_workspace(region, home) as ws:
        found, asking = team_answers(ws)
        promises = commitments(ws)
        tracked = tables(ws)
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
    for t in tracked:
        parts.append(f"<h3>{esc(t['spec'].title)}: {esc(t['question'].label)}</h3>{t['html']}")
    if not promises and not tracked:
        parts.append(not_done("no next actions are written down in any review or worksheet."))
    show(section_html("action-teams", TITLE, "".join(parts)))


SECTION = register(Section("action-teams", TITLE, action_teams, order=50, status=status))
