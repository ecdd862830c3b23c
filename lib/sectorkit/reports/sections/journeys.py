"""Report section "Journeys through our programs": each journey map's combined view and what it shows.

Content comes from the specs placed in this section (``report: {section: journeys}``) that are journey
maps (tables tagged ``journey-programs`` and ``journey-steps``; today ``employer-journey`` and
``jobseeker-journey``), read through :mod:`sectorkit.partnership.journeys`. Per journey: the swimlane
diagram with its text alternative, where journeys overlap or repeat, programs with no follow-through,
the rows to check, and the table of steps by program and stage (:func:`sectorkit.views.journeys.journey_html`).
A journey with no step yet says "Not done yet".
"""

from __future__ import annotations

from sectorkit.partnership.journeys import is_journey, read_journey
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
from sectorkit.specs import WorksheetSpec
from sectorkit.store.workspace import Workspace
from sectorkit.views.journeys import journey_html

ID = "journeys"
TITLE = "Journeys through our programs"


def _specs() -> list[WorksheetSpec]:
    return [spec for spec in specs_for(ID) if is_journey(spec)]


def status(ws: Workspace) -> Status:
    """How many journey maps have steps, and how many programs and steps they hold."""
    maps = [(spec, read_journey(ws, spec)) for spec in _specs()]
    done = [(spec, j) for spec, j in maps if j.steps]
    detail = "; ".join(f"{spec.title.split(':')[0]}: {len(j.programs)} program(s), {len(j.steps)} step(s)"
                       for spec, j in done)
    return ("Journey maps", bool(done), detail or "no journey is mapped yet")


def journeys(region: str, home: str = "") -> None:
    """Every journey map placed in the section: the diagram, its findings and the table, or "Not done yet"."""
    with open_workspace(region, home) as ws:
        maps = [(spec, read_journey(ws, spec)) for spec in _specs()]
    body = []
    if not maps:
        body.append(not_done("no worksheet maps the journeys through the region's programs."))
    for spec, journey in maps:
        body.append(f"<h3>{esc(spec.title)}</h3>")
        if journey.steps:
            body.append(journey_html(journey, spec.title))
        else:
            body.append(not_done(f"no step is recorded in \u201c{spec.title}\u201d yet."))
    show(section_html(ID, TITLE, "".join(body)))


SECTION = register(Section(ID, TITLE, journeys, order=54, status=status))
