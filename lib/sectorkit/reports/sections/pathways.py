"""Report section "Career pathways": the pathway map, whether it is programs or a system, and what to check.

Content comes from the specs placed in this section (``report: {section: pathways}``, today the
``pathway-map`` worksheet), read through :mod:`sectorkit.partnership.pathways`: the "program or
system?" verdict with its reasons (share connected across institutions, written links, work-based
learning, entry points, dead ends, missing levels, single-institution islands), the problems found
(links to deleted programs, circles of links), the diagram drawn left to right by credential level
with its text alternative, the programs table, and the team's discussion answers.
"""

from __future__ import annotations

from sectorkit.partnership.pathways import PATHWAY_SPEC, analyse, read_map
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
from sectorkit.store.workspace import Workspace
from sectorkit.views.pathways import pathways_html

ID = "pathways"
TITLE = "Career pathways"


def _spec():
    return next((spec for spec in specs_for(ID) if spec.id == PATHWAY_SPEC), None)


def status(ws: Workspace) -> Status:
    """How many programs are mapped, at how many institutions, and the share connected across them."""
    if _spec() is None:
        return ("Career pathway map", False, "no worksheet maps the career pathways")
    r = analyse(read_map(ws))
    if not r.programs:
        return ("Career pathway map", False, "no program mapped yet")
    return ("Career pathway map", True,
            f"{r.programs} program(s) at {r.institutions} institution(s); {r.share:.0%} connected across "
            f"institutions; {len(r.dead_ends)} dead end(s)")


def pathways(region: str, home: str = "") -> None:
    """The pathway map: verdict and reasons, problems, diagram (with its text alternative), table, discussion."""
    spec = _spec()
    with open_workspace(region, home) as ws:
        m = read_map(ws) if spec else None
        answers = ws.answers(spec.id) if spec else {}
    body = []
    if spec is None:
        body.append(not_done("no worksheet maps the region's career pathways."))
    elif not m.programs:
        body.append(not_done("no program is on the career pathway map yet."))
    else:
        body.append("<p>Programs that prepare people for the target sector, by institution and credential level, "
                    "and the links between them (stackable credentials, articulation agreements, dual enrollment, "
                    "referrals).</p>")
        body.append(pathways_html(m, heading="h3"))
    talk = [q for q in spec.questions() if q.type == "long_text" and answered(answers.get(q.id))] if spec else []
    if talk:
        body.append("<h3>What the team said</h3>")
        for q in talk:
            items = "".join(f"<li>{esc(t)}</li>" for t in lines(answers[q.id]))
            body.append(f"<p><strong>{esc(q.label)}</strong></p><ul>{items}</ul>")
    show(section_html(ID, TITLE, "".join(body)))


SECTION = register(Section(ID, TITLE, pathways, order=56, status=status))
