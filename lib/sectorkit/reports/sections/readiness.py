"""Report section "How ready the shortlisted sectors are": the Industry readiness ranking with its reasons.

It reads the LMI Review's shortlist (records of kind ``sector_choice``), the team's readiness ratings
(records of kind ``readiness``) and recomputes the LMI figures for the report's years on the saved
footprint's counties (or the LMI Review's region), then ranks them with
:func:`sectorkit.lmi.readiness.rank_shortlist`. Sectors without ratings are listed as "not rated".
"""

from __future__ import annotations

from sectorkit.lmi import readiness as R
from sectorkit.lmi.footprint import FOOTPRINT_KEY, FOOTPRINT_KIND, Footprint
from sectorkit.lmi.sources import SETTINGS_KEY, SETTINGS_KIND
from sectorkit.lmi.uploads import folder_of
from sectorkit.reports.common import esc
from sectorkit.reports.sections._base import Section, Status, not_done, open_workspace, register, section_html, show
from sectorkit.store.workspace import Workspace
from sectorkit.views.scope import readiness_table_html

TITLE = "How ready the shortlisted sectors are"


def status(ws: Workspace) -> Status:
    """How many shortlisted sectors are rated (ranked) for readiness."""
    short = R.shortlist_of(ws)
    ratings = R.load_ratings(ws.records(R.READINESS_KIND))
    rated = [s for s in short if s["industry_code"] in ratings and ratings[s["industry_code"]].readiness is not None]
    detail = (f"{len(rated)} of {len(short)} shortlisted sectors rated" if short else "no sector shortlisted yet")
    return ("Industry readiness", bool(rated), detail)


def ranking(ws: Workspace, start_year: int | None = None, end_year: int | None = None):
    """The ranked shortlist for a workspace (None if nothing is shortlisted) and any data problem."""
    short = R.shortlist_of(ws)
    if not short:
        return None, None
    settings = dict(ws.records(SETTINGS_KIND).get(SETTINGS_KEY) or {})
    if start_year and end_year:
        settings.update(start_year=int(start_year), end_year=int(end_year))
    fp = Footprint.from_record(ws.records(FOOTPRINT_KIND).get(FOOTPRINT_KEY))
    counties = ", ".join(fp.included) if fp and fp.included else None
    figures, problem = R.lmi_figures(settings, [s["industry_code"] for s in short], counties=counties,
                                      folder=folder_of(ws))
    return R.rank_shortlist(short, R.load_ratings(ws.records(R.READINESS_KIND)), figures), problem


def evidence_html(ranked, ratings: dict[str, R.SectorReadiness]) -> list[str]:
    """The team's evidence notes, one list per shortlisted sector that has any, in ranked order."""
    labels = {f.id: f.label for f in R.FACTORS}
    parts = []
    for code, title in zip(ranked["industry_code"], ranked["title"]):
        rec = ratings.get(code)
        if not rec or not rec.evidence:
            continue
        rated = {fid: R.RATINGS[v].lower() for fid, v in rec.ratings.items()}
        items = "".join(f"<li>{esc(labels[fid])} ({esc(rated.get(fid, 'not rated'))}): {esc(rec.evidence[fid])}</li>"
                        for fid in labels if fid in rec.evidence)
        parts.append(f"<h3>The evidence for {esc(title)}</h3><ul class='sk-list'>{items}</ul>")
    return parts


def readiness(region: str, home: str = "", start_year: int = 2020, end_year: int = 2023) -> None:
    """The shortlist ranked by the team's readiness ratings, beside the LMI figures, with reasons."""
    with open_workspace(region, home) as ws:
        ranked, problem = ranking(ws, start_year, end_year)
        ratings = R.load_ratings(ws.records(R.READINESS_KIND))
    if ranked is None:
        show(section_html("readiness", TITLE, not_done("no sector is shortlisted in the LMI Review yet.")))
        return
    parts = []
    if not (ranked["status"] == "rated").any():
        parts.append(not_done("no shortlisted sector is rated for readiness yet (Industry readiness worksheet)."))
    if problem:
        parts.append(f"<p>The labor-market figures could not be computed: {esc(problem)}</p>")
    parts.append(readiness_table_html(ranked, caption="Shortlisted sectors ranked by readiness"))
    parts += evidence_html(ranked, ratings)
    show(section_html("readiness", TITLE, "".join(parts)))


SECTION = register(Section("readiness", TITLE, readiness, order=12, status=status))
