"""Report section "Sectors chosen and why": the LMI Review's decisions, the team's notes and the data's reasons.

The data's reasons come from the sector screen on the region's counties: the saved geographic
footprint when there is one (:func:`sectorkit.lmi.footprint.saved_counties`), chosen the way the LMI
Review chooses them (:func:`region_counties`), else the LMI Review's own region.
"""

from __future__ import annotations

from pathlib import Path

from sectorkit.core.errors import SectorkitError
from sectorkit.lmi import screen as S
from sectorkit.lmi.footprint import saved_counties
from sectorkit.lmi.sources import CHOICE_KIND, SETTINGS_KEY, SETTINGS_KIND, load_source
from sectorkit.lmi.uploads import folder_of
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


def region_counties(settings: dict, footprint: tuple[str, ...], footprint_at: str | None) -> str:
    """The counties the screen uses, as the LMI Review picks them: the saved footprint or the settings' counties.

    With the example data, a saved footprint always wins (empty: the whole example region). With a
    folder of files, the footprint wins when the settings name no counties or when it was saved after
    them (the LMI Review pre-fills its counties box the same way).

    Parameters
    ----------
    settings : dict
        The ``lmi_settings`` record (``source``, ``counties``, ``saved_at``; missing keys: the example).
    footprint : tuple of str
        The saved footprint's counties (FIPS codes), empty when none is saved.
    footprint_at : str or None
        When the footprint was saved (ISO time), compared with the settings' ``saved_at``.

    Returns
    -------
    str
        County FIPS codes separated by ", " (a crosswalk region id when the settings name one and win).

    >>> region_counties({"source": "example"}, ("99001", "99003"), "2026-01-02T00:00:00+00:00")
    '99001, 99003'
    >>> region_counties({"source": "uploads", "counties": "39049", "saved_at": "2026-02-01"}, ("39041",), "2026-01-01")
    '39049'
    >>> region_counties({"source": "uploads", "counties": "39049", "saved_at": "2026-01-01"}, ("39041",), "2026-02-01")
    '39041'
    """
    chosen = ", ".join(footprint)
    if settings.get("source", "example") == "example":
        return chosen
    counties = str(settings.get("counties") or "")
    if footprint and (not counties.strip() or (footprint_at or "") > str(settings.get("saved_at") or "")):
        return chosen
    return counties


def screen_for(settings: dict, start_year: int, end_year: int, counties: str | None = None,
               folder: Path | None = None):
    """The sector screen for the saved LMI settings and the report's years (None + why if impossible).

    ``counties`` (FIPS codes, comma-separated) replaces the settings' counties: the region's footprint
    (see :func:`region_counties`); ``folder`` is the region's uploads folder
    (:func:`sectorkit.lmi.uploads.folder_of`) for ``source: uploads``. With the example data,
    counties it does not hold fall back to the whole example region, as in the LMI Review.
    The screen's ``attrs`` name the region used: ``region_name`` and ``counties`` (a tuple of FIPS codes).
    """
    try:
        source = settings.get("source", "example")
        if source == "example":
            try:
                data, region = load_source("example", counties=counties or "")
            except SectorkitError:
                data, region = load_source("example")
        else:
            data, region = load_source(source, folder,
                                       settings.get("counties", "") if counties is None else counties)
        result = S.build_sector_screen(data, region, int(start_year), int(end_year),
                                       digits=int(settings.get("naics_digits", 2)),
                                       own_code=int(settings.get("own_code", 5)),
                                       weights=settings.get("weights"))
        result.attrs.update(region_name=region.name, counties=tuple(region.counties))
        return result, None
    except (SectorkitError, KeyError, ValueError, TypeError) as exc:
        return None, str(exc)


def sectors(region: str, home: str = "", start_year: int = 2020, end_year: int = 2023) -> None:
    """Which sectors the team chose in the LMI Review, its notes on why, and what the data says."""
    with open_workspace(region, home) as ws:
        choices = ws.records(CHOICE_KIND)
        settings = ws.records(SETTINGS_KIND).get(SETTINGS_KEY) or {}
        footprint, footprint_at = saved_counties(ws)
        uploads_folder = folder_of(ws)
    decided = {code: c for code, c in choices.items() if c.get("decision") or c.get("note")}
    if not decided:
        show(section_html("sectors", TITLE,
                          not_done("the team has not marked any sector in the LMI Review worksheet.")))
        return
    # no saved settings: the LMI Review showed its defaults (the example region), and so does the report
    shown_settings = settings or {"source": "example"}
    screen_df, problem = screen_for(shown_settings, start_year, end_year,
                                    region_counties(shown_settings, footprint, footprint_at) if footprint else None,
                                    folder=uploads_folder)
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
        used = tuple(screen_df.attrs.get("counties", ()))
        where = screen_df.attrs.get("region_name", "")
        parts.append(f"<p>The data's reasons are for the team's geographic footprint: {esc(where)}.</p>"
                     if footprint and used == footprint else f"<p>The data's reasons are for {esc(where)}.</p>")
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
