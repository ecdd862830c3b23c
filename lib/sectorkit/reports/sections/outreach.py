"""Report section "Outreach to businesses": who contacts the sector's businesses, how often, and where it piles up.

Content comes from the specs placed in this section (``report: {section: outreach}``, today the
``outreach-map`` worksheet), read through :mod:`sectorkit.partnership.outreach`: the headline counts,
the businesses reached by three or more programs, the sector's businesses no program reaches, the
programs calling on the same businesses, likely duplicate spellings (never merged), then the
program-by-business heat map of contacts a year with its text alternative and table, the
per-business table, and the team's answers to the discussion prompts.
"""

from __future__ import annotations

from sectorkit.partnership.outreach import OUTREACH_SPEC, burden, crowded, read_map, unreached
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
from sectorkit.store.workspace import Workspace
from sectorkit.views.outreach import analysis, outreach_html

ID = "outreach"
TITLE = "Outreach to businesses"


def _spec():
    return next((spec for spec in specs_for(ID) if spec.id == OUTREACH_SPEC), None)


def status(ws: Workspace) -> Status:
    """How many programs and businesses are mapped, how many businesses are crowded or unreached."""
    m = read_map(ws) if _spec() else None
    if m is None or not m.programs:
        return ("Outreach to businesses mapped", False, "no program that reaches out to businesses listed yet")
    detail = (f"{len(m.programs)} program(s), {len(burden(m))} business(es) contacted; {len(crowded(m))} reached by "
              f"three or more programs, {len(unreached(m))} of the sector's not reached")
    return ("Outreach to businesses mapped", bool(m.contacts), detail)


def outreach(region: str, home: str = "") -> None:
    """Burden measures, the heat map (with its alt text and table), and the discussion answers."""
    spec = _spec()
    with open_workspace(region, home) as ws:
        m = read_map(ws) if spec else None
        answers = ws.answers(spec.id) if spec else {}
    body = []
    if spec is None:
        body.append(not_done("no worksheet maps the outreach to businesses."))
    elif not m.programs:
        body.append(not_done("no program that reaches out to businesses is listed in the outreach map yet."))
    else:
        body.append("<p>Every program and organization the team listed as reaching out to the sector's businesses, "
                    "and how often each contacts each business. Contacts a year: weekly 52, monthly 12, quarterly 4, "
                    "yearly or once 1.</p>")
        body.append(outreach_html(analysis(m)))
    if spec is not None:
        said = [(q.label, answers.get(q.id)) for q in spec.questions()
                if q.type == "long_text" and answered(answers.get(q.id))]
        if said:
            body.append("<h3>What the team said</h3><dl>" + "".join(
                f"<dt>{esc(label)}</dt><dd style='white-space:pre-line'>{esc(text)}</dd>" for label, text in said)
                + "</dl>")
    show(section_html(ID, TITLE, "".join(body)))


SECTION = register(Section(ID, TITLE, outreach, order=52, status=status))
