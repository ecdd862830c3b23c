"""Report section "What business leaders said at the launch": priorities, requirements and champions.

Content is every spec placed in this section (``report: {section: launch-capture}``, today the
``launch-capture`` worksheet), never chosen by question id: each table question is shown as a
table of its rows (priorities with their requirements; champions with what they committed to),
and each other answered question as a line. Questions tagged ``commitment`` (the next steps) are
left to "What the action teams promised", which lists every commitment, so nothing is shown twice.
"""

from __future__ import annotations

from sectorkit.apps.table import universe_refs
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
from sectorkit.specs.tables import resolve_columns
from sectorkit.store.workspace import Workspace
from sectorkit.views.partnership import long_text_html
from sectorkit.views.tables import rows_table_html

ID = "launch-capture"
TITLE = "What business leaders said at the launch"
#: answers with this tag are shown by "What the action teams promised" instead
COMMITMENT = "commitment"


def _tables(ws: Workspace) -> list[tuple]:
    """``[(spec, question, rows)]`` of every table question in the placed specs, rows possibly empty."""
    return [(spec, q, [r.value for r in ws.rows(spec.id, q.id)])
            for spec in specs_for(ID) for q in spec.questions() if q.type == "table"]


def status(ws: Workspace) -> Status:
    """Whether the launch record has any rows, and how many in each table."""
    tables = _tables(ws)
    counts = [f"{q.label}: {len(rows)}" for _, q, rows in tables if rows]
    return ("Launch record (priorities and champions)", bool(counts),
            "; ".join(counts) if counts else "not written down yet")


def launch_capture(region: str, home: str = "") -> None:
    """What business leaders said at the launch: the placed specs' answers and table rows, escaped."""
    with open_workspace(region, home) as ws:
        specs = specs_for(ID)
        parts, refs = [], None
        written = any(rows for _, _, rows in _tables(ws))
        for spec in specs:
            saved = ws.answers(spec.id)
            body = []
            for q in spec.questions():
                if q.type == "table":
                    rows = [r.value for r in ws.rows(spec.id, q.id)]
                    if rows:
                        refs = refs if refs is not None else universe_refs(ws)
                        body.append(rows_table_html(resolve_columns(spec, q), rows, refs, caption=q.label))
                    else:
                        body.append(not_done(f"{q.label}: no row yet."))
                elif COMMITMENT not in q.tags and answered(saved.get(q.id)):
                    value = saved[q.id]
                    labels = {o.value: o.label for o in spec.options_for(q)}
                    shown = ", ".join(str(labels.get(v, v)) for v in value) if isinstance(value, list) \
                        else str(labels.get(value, value))
                    body.append(f"<p><strong>{esc(q.label)}</strong><br>{long_text_html(shown)}</p>")
            parts.append(f"<h3>{esc(spec.title)}</h3>{''.join(body)}")
    if not specs:
        parts = [not_done("no worksheet records the launch.")]
    elif not written:
        parts.insert(0, not_done("nothing from the launch meeting is written down yet."))
    show(section_html(ID, TITLE, "".join(parts)))


SECTION = register(Section(ID, TITLE, launch_capture, order=28, status=status))
