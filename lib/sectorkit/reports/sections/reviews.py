"""Report section "After Action Reviews": which steps' reviews are done, started or not begun."""

from __future__ import annotations

from sectorkit import assessments as A
from sectorkit.reports.sections._base import Section, Status, not_done, open_workspace, register, section_html, show
from sectorkit.store.workspace import Workspace
from sectorkit.views.assessments import aar_progress_html

TITLE = "After Action Reviews"


def status(ws: Workspace) -> Status:
    """How many reviews are done and how many started."""
    progress = A.aar_progress(ws)
    done = int(progress["done"].sum()) if len(progress) else 0
    started = int((progress["answered"] > 0).sum()) if len(progress) else 0
    return ("After Action Reviews", started > 0, f"{done} of {len(progress)} done, {started} started")


def reviews(region: str, home: str = "") -> None:
    """After Action Reviews: which steps' reviews are done."""
    with open_workspace(region, home) as ws:
        progress = A.aar_progress(ws)
    body = ""
    if not len(progress) or int(progress["answered"].sum()) == 0:
        body = not_done("the team has not started any After Action Review.")
    show(section_html("reviews", TITLE, body + aar_progress_html(progress)))


SECTION = register(Section("reviews", TITLE, reviews, order=40, status=status))
