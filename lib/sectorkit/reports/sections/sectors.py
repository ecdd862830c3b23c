"""Report section "Sectors chosen and why": the LMI Review's decisions, the team's notes and the data's reasons."""

from __future__ import annotations

from sectorkit.core.errors import SectorkitError
from sectorkit.lmi import measures as lmi
from sectorkit.lmi import qcew
from sectorkit.lmi import screen as S
from sectorkit.lmi.sources import CHOICE_KIND, SETTINGS_KEY, SETTINGS_KIND, load_source
from sectorkit.reports.common import esc
from sectorkit.reports.sections._base import Section, Status, not_done, open_workspace, register, section_html, show
from sectorkit.store.workspace import Workspace
from sectorkit.views import charts
from sectorkit.views.figures import figure_html

TITLE = "Sectors chosen and why"
DECISION_TITLES = [("shortlist", "Shortlisted"), ("maybe", "Maybe"), ("not-now", "Not now")]


def status(ws: Workspace) -> Status:
    """Whether any sector is decided, and how many are shortlisted."""
    choices = [c for c in ws.records(CHOICE_KIND).values() if c.get("decision")]
    short = [c for c in choices if c.get("decision") == "shortlist"]
    return ("Sectors chosen (LMI Review)", bool(choices),
            f"{len(short)} shortlisted, {len(choices)} decided" if choices else "no sector decided yet")


def screen_for(settings: dict, start_year: int, end_year: int):
    """The sector screen for the saved LMI settings and the report's years (None + why if impossible)."""
    try:
        if settings.get("source", "example") == "example":
            path = qcew.example_region_path()
            data = qcew.read_area_files(path)
            cw = path / "crosswalk.csv"
            region = lmi.Region.from_crosswalk(cw, lmi.read_crosswalk(cw)["region_id"].iloc[0])
        else:
            data, region = load_source(settings.get("source", ""), settings.get("folder", ""),
                                       settings.get("counties", ""), settings.get("crosswalk", ""))
        result = S.build_sector_screen(data, region, int(start_year), int(end_year),
                                       digits=int(settings.get("naics_digits", 2)),
                                       own_code=int(settings.get("own_code", 5)),
                                       weights=settings.get("weights"))
        return result, None
    except (SectorkitError, KeyError, ValueError, TypeError) as exc:
        return None, str(exc)


def sectors(region: str, home: str = "", start_year: int = 2020, end_year: int = 2023) -> None:
    """Which sectors the team chose in the LMI Review, its notes on why, and what the data says."""
    with open_workspace(region, home) as ws:
        choices = ws.records(CHOICE_KIND)
        settings = ws.records(SETTINGS_KIND).get(SETTINGS_KEY) or {}
    decided = {code: c for code, c in choices.items() if c.get("decision") or c.get("note")}
    if not decided:
        show(section_html("sectors", TITLE,
                          not_done("the team has not marked any sector in the LMI Review worksheet.")))
        return
    screen_df, problem = (None, None)
    if settings:
        screen_df, problem = screen_for(settings, start_year, end_year)
    whys = {}
    if screen_df is not None:
        whys = {str(c): str(w) for c, w in zip(screen_df["industry_code"], screen_df["why"])}
    parts = []
    for key, title in DECISION_TITLES + [(None, "Notes without a decision")]:
        items = sorted(((code, c) for code, c in decided.items() if c.get("decision") == key),
                       key=lambda kv: str(kv[1].get("title") or kv[0]).lower())
        if not items:
            continue
        lis = []
        for code, c in items:
            note = c.get("note") or ""
            why = whys.get(str(code))
            lis.append(
                f"<li><strong>{esc(c.get('title') or code)}</strong> (NAICS {esc(code)})"
                + (f"<br>Team's note: {esc(note)}" if note else "<br>Team's note: none")
                + (f"<br>The data, {int(start_year)}–{int(end_year)}: {esc(why)}" if why else "")
                + "</li>")
        parts.append(f"<h3>{esc(title)} ({len(items)})</h3><ul class='sk-list'>{''.join(lis)}</ul>")
    if not any(c.get("decision") == "shortlist" for c in decided.values()):
        parts.insert(0, not_done("no sector is shortlisted yet; the decisions so far are below."))
    if settings:
        src = ("the illustrative example region" if settings.get("source", "example") == "example"
               else "the team's own BLS QCEW files")
        parts.append(f"<p>The team's LMI Review used {esc(src)}, years {esc(settings.get('start_year', '?'))}–"
                     f"{esc(settings.get('end_year', '?'))}, {esc(settings.get('naics_digits', 2))}-digit NAICS.</p>")
    if screen_df is not None:
        shown = screen_df[screen_df["industry_code"].astype(str).isin({str(c) for c in decided})]
        if len(shown):
            fig = charts.bubble_chart(
                shown, title=f"Chosen sectors: concentration vs growth, {int(start_year)}–{int(end_year)}")
            alt = charts.bubble_chart_alt_text(shown)
            parts.append(figure_html(fig, alt, caption=alt))
    elif problem:
        parts.append(f"<p>The labor-market figures could not be drawn for {int(start_year)}–{int(end_year)}: "
                     f"{esc(problem)}</p>")
    show(section_html("sectors", TITLE, "".join(parts)))


SECTION = register(Section("sectors", TITLE, sectors, order=10, status=status))
