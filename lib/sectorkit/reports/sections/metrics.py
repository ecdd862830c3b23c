"""Report section "Measuring success": the metrics by category against their targets, and the stories.

Content comes from the specs placed in this section (``report: {section: metrics}``, today the
``metrics-tracker`` worksheet), read through :mod:`sectorkit.partnership.metrics`: per category
(business and industry; jobseekers and students; public programs and resources) the chart of each
metric's values against its target, with its text alternative, and a table of the latest value,
target and progress; then the stories. **A quote is shown only when the person's agreement to
share it is recorded**; the section says so, and says how many quotes it left out.
"""

from __future__ import annotations

from sectorkit.partnership.metrics import METRICS_SPEC, region_metrics, region_stories, tracker_problems
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
from sectorkit.views.metrics import dashboard_html, problems_html, stories_html

ID = "metrics"
TITLE = "Measuring success"


def _placed() -> bool:
    return any(spec.id == METRICS_SPEC for spec in specs_for(ID))


def status(ws: Workspace) -> Status:
    """How many metrics have values, in how many categories, and how many stories are recorded."""
    metrics = region_metrics(ws) if _placed() else []
    stories = region_stories(ws) if _placed() else []
    measured = [m for m in metrics if m.values]
    categories = {m.category for m in measured if m.category}
    detail = (f"{len(measured)} of {len(metrics)} metric(s) with values, in {len(categories)} of 3 categories; "
              f"{len(stories)} stor{'y' if len(stories) == 1 else 'ies'}")
    return ("Success metrics and stories", bool(measured or stories),
            detail if metrics or stories else "no metric or story recorded yet")


def metrics(region: str, home: str = "") -> None:
    """Metrics by category (charts with text alternatives, latest value, target, progress) and stories."""
    with open_workspace(region, home) as ws:
        placed = _placed()
        found = region_metrics(ws) if placed else []
        stories = region_stories(ws) if placed else []
        problems = tracker_problems(ws) if placed else []
    body = []
    if not placed:
        body.append(not_done("no worksheet tracks the partnership's metrics."))
    elif not found and not stories:
        body.append(not_done("no metric or story is recorded in the metrics tracker yet."))
    else:
        body.append("<p>Each chart shows a metric's values over time against its target (dashed line). "
                    "Progress is the latest value as a share of the target.</p>")
        body.append(dashboard_html(found) if found else not_done("no metric is chosen yet."))
        body.append(problems_html(problems))
        body.append("<h3>Stories</h3>")
        body.append(stories_html(stories) if stories else not_done("no story is recorded yet."))
        withheld = sum(1 for s in stories if s.quote and not s.consent)
        body.append("<p class='sk-note'>A quote is shown only when the person agreed to it being shared. "
                    + (f"{withheld} quote{'s were' if withheld != 1 else ' was'} left out for that reason.</p>"
                       if withheld else "No quote was left out.</p>"))
    show(section_html(ID, TITLE, "".join(body)))


SECTION = register(Section(ID, TITLE, metrics, order=60, status=status))
