"""Report section "The frontline": who serves jobseekers and students, and whether demand news reaches them.

Content comes from the specs placed in this section (``report: {section: frontline}``, today the
``frontline-map`` worksheet), read through :mod:`sectorkit.partnership.frontline`: the roles no
demand information reaches, the groups the team wants served that no role serves, the overlaps
between organizations, the diagram with its text alternative, the tables, and the rows left out
of the map (a link to a deleted role, say) with what to do. Then the team's discussion answers, and
every other spec placed here (the communication strategy): its tables and written answers.
"""

from __future__ import annotations

from sectorkit.apps.table import universe_refs
from sectorkit.partnership.frontline import FRONTLINE_SPEC, analyse, read_frontline
from sectorkit.reports.common import esc
from sectorkit.reports.sections._base import (
    Section,
    Status,
    answered,
    lines,
    not_done,
    open_workspace,
    register,
    section_html,
    show,
    specs_for,
)
from sectorkit.specs.tables import resolve_columns
from sectorkit.store.workspace import Workspace
from sectorkit.views.frontline import frontline_html
from sectorkit.views.tables import rows_table_html

ID = "frontline"
TITLE = "The frontline"


def _specs() -> list:
    return [s for s in specs_for(ID) if s.id == FRONTLINE_SPEC]


def status(ws: Workspace) -> Status:
    """How many frontline roles are mapped and how many of them demand information reaches."""
    if not _specs():
        return ("Frontline map", False, "no worksheet maps the frontline")
    fm = read_frontline(ws)
    if not fm.roles:
        return ("Frontline map", False, "no frontline role mapped yet")
    analysis = analyse(fm)
    return ("Frontline map", True, f"{len(fm.roles)} role(s) mapped; demand information reaches "
            f"{len(analysis.steps)} of them")


def _discussion(spec, answers: dict) -> str:
    parts = []
    for q in spec.questions():
        if q.type == "long_text" and answered(answers.get(q.id)):
            items = "".join(f"<li>{esc(line)}</li>" for line in lines(answers[q.id]))
            parts.append(f"<h3>{esc(q.label)}</h3><ul>{items}</ul>")
    return "".join(parts)


def _others(ws: Workspace) -> str:
    """The other specs placed in this section (the communication strategy): tables and answers, escaped."""
    parts, refs = [], None
    for spec in specs_for(ID):
        if spec.id == FRONTLINE_SPEC:
            continue
        saved, body = ws.answers(spec.id), []
        for q in spec.questions():
            if q.type == "table":
                rows = [r.value for r in ws.rows(spec.id, q.id)]
                if rows:
                    refs = refs if refs is not None else universe_refs(ws)
                    body.append(rows_table_html(resolve_columns(spec, q), rows, refs, caption=q.label))
            elif answered(saved.get(q.id)):
                items = "".join(f"<li>{esc(line)}</li>" for line in lines(str(saved[q.id])))
                body.append(f"<p><strong>{esc(q.label)}</strong></p><ul>{items}</ul>")
        parts.append(f"<h3>{esc(spec.title)}</h3>" + ("".join(body) or not_done("nothing written yet.")))
    return "".join(parts)


def frontline(region: str, home: str = "") -> None:
    """The frontline map: measures, diagram (with its text alternative), tables, problems, and the discussion."""
    specs = _specs()
    with open_workspace(region, home) as ws:
        fm = read_frontline(ws) if specs else None
        answers = dict(ws.answers(FRONTLINE_SPEC)) if specs else {}
        others = _others(ws)
    if not specs:
        body = not_done("no worksheet maps the frontline.")
    elif not fm.roles:
        body = not_done("no frontline role is in the frontline map yet.")
    else:
        body = ("<p>Who works face to face with jobseekers and students, whom they serve, and how what the "
                "partnership learns about demand reaches them.</p>" + frontline_html(fm, analyse(fm))
                + _discussion(specs[0], answers))
    show(section_html(ID, TITLE, body + others))


SECTION = register(Section(ID, TITLE, frontline, order=55, status=status))
