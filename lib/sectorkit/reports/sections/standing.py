"""The report's header and its first section, "Where the region stands": one row per part of the work.

The rows come from the ``status`` of every other registered section, in report
order, so a new section with a status appears here without an edit.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sectorkit.reports.common import esc
from sectorkit.reports.sections._base import SECTIONS, Section, Status, open_workspace, register, section_html, show
from sectorkit.store.workspace import validate_region_id

TITLE = "Where the region stands"


def statuses(region: str, home) -> list[Status]:
    """``(part, done, detail)`` for every section that has a status, in report order."""
    with open_workspace(region, home) as ws:
        return [s.status(ws) for s in SECTIONS.values() if s.status is not None]


def header(region: str, home: str = "", start_year: int = 2020, end_year: int = 2023) -> None:
    """Title, region facts and where the region stands (one row per part of the work)."""
    region = validate_region_id(region)
    with open_workspace(region, home) as ws:
        name, illustrative = ws.name, ws.illustrative
    today = datetime.now(UTC).date().isoformat()
    rows = "".join(
        f"<tr><th scope='row'>{esc(part)}</th><td>{'Done' if done else 'Not done yet'}</td><td>{esc(detail)}</td></tr>"
        for part, done, detail in statuses(region, home))
    flag = ("<p class='sk-illustrative'><strong>Illustrative region.</strong> Its data is made up for "
            "practice; it is not a real partnership.</p>") if illustrative else ""
    show(
        f"<header class='sk-header'><h1>Sector partnership report: {esc(name)}</h1>"
        f"<p>Region id <code>{esc(region)}</code>. Labor-market years {int(start_year)}–{int(end_year)}. "
        f"<span class='sk-generated'>Generated {today}.</span></p>{flag}"
        "<p class='sk-source'>Based on, but not official material of, the Next Gen Sector Partnership "
        "training toolkit.</p></header>"
        + section_html("standing", TITLE,
                       "<table><caption>Each part of the work and how far the team has got</caption><thead><tr>"
                       "<th scope='col'>Part</th><th scope='col'>Status</th><th scope='col'>Detail</th></tr></thead>"
                       f"<tbody>{rows}</tbody></table>"))


SECTION = register(Section("standing", TITLE, header, order=0))
