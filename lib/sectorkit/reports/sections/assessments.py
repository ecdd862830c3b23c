"""Report section "How the self-assessments moved": per assessment, the latest round against the one before.

A state team's own assessment (a spec of the ``state-roles`` module, the state self-assessment) is
shown only in the report of a workspace whose profile scope is ``state``; a regional partnership's
report leaves it out (the statewide view and the state report show it).
"""

from __future__ import annotations

from sectorkit import assessments as A
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
from sectorkit.views.assessments import comparison_html
from sectorkit.workspaces.regions import region_profile

ID = "assessments"
TITLE = "How the self-assessments moved"


STATE_MODULE = "state-roles"


def _specs(ws: Workspace) -> list:
    state_team = region_profile(ws)["scope"] == "state"
    return [s for s in specs_for(ID) if state_team or s.module != STATE_MODULE]


def status(ws: Workspace) -> Status:
    """Whether any round of any assessment has been held."""
    rounds = [r for s in _specs(ws) for r in A.rounds(ws, s.id)]
    return ("Self-assessments", bool(rounds), f"{len(rounds)} round(s)" if rounds else "no round held yet")


def assessments(region: str, home: str = "") -> None:
    """How the self-assessments moved: the latest round against the one before, per assessment."""
    parts = []
    with open_workspace(region, home) as ws:
        for spec in _specs(ws):
            comp = A.compare_rounds(ws, spec)
            parts.append(f"<h3>{esc(spec.title)}</h3>")
            if comp is None:
                held = len(A.rounds(ws, spec.id))
                parts.append(not_done(f"no complete response yet ({held} round(s) started)." if held
                                      else "the team has not held a round of this assessment."))
            else:
                parts.append(comparison_html(comp, spec))
    show(section_html(ID, TITLE, "".join(parts)))


SECTION = register(Section(ID, TITLE, assessments, order=30, status=status))
