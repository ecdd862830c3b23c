"""Report section "The geographic footprint": counties in and out with reasons, and the sector's figures.

It reads the saved footprint (record of kind ``footprint``, key ``current``) and recomputes the chosen
sector's jobs, establishments and location quotient for the counties in, on the LMI Review's data,
with the size check and the labor-market flags of :mod:`sectorkit.lmi.footprint`.
"""

from __future__ import annotations

import pandas as pd

from sectorkit.core.errors import SectorkitError
from sectorkit.lmi import footprint as F
from sectorkit.lmi.sources import SETTINGS_KEY, SETTINGS_KIND, source_data
from sectorkit.lmi.titles import industry_titles
from sectorkit.lmi.uploads import folder_of
from sectorkit.reports.common import esc
from sectorkit.reports.sections._base import Section, Status, not_done, open_workspace, register, section_html, show
from sectorkit.store.workspace import Workspace
from sectorkit.views.scope import county_table_html, figures_html

TITLE = "The geographic footprint"


def status(ws: Workspace) -> Status:
    """Whether a footprint with at least one county in is saved."""
    fp = F.Footprint.from_record(ws.records(F.FOOTPRINT_KIND).get(F.FOOTPRINT_KEY))
    n = len(fp.included) if fp else 0
    return ("Geographic footprint", bool(n), f"{n} counties in" if n else "not drawn yet")


def footprint(region: str, home: str = "", start_year: int = 2020, end_year: int = 2023) -> None:
    """The footprint the team saved: every county in or out with its reason, and the figures for it."""
    with open_workspace(region, home) as ws:
        fp = F.Footprint.from_record(ws.records(F.FOOTPRINT_KIND).get(F.FOOTPRINT_KEY))
        settings = ws.records(SETTINGS_KIND).get(SETTINGS_KEY) or {}
        uploads_folder = folder_of(ws)
    if fp is None or not fp.included:
        why = "the team has not saved a footprint yet." if fp is None else "the saved footprint has no county in."
        show(section_html("footprint", TITLE, not_done(why + " (Geographic footprint worksheet)")))
        return
    parts = []
    try:
        data, crosswalk = source_data(settings.get("source") or "example", uploads_folder)
        catalog = F.county_catalog(data, crosswalk)
    except (SectorkitError, OSError) as exc:
        data, catalog = None, F.county_catalog(pd.DataFrame({"area_fips": []}))
        parts.append(f"<p>The labor-market data could not be read: {esc(exc)}</p>")
    parts.append(county_table_html(catalog, fp.counties))
    if data is not None and fp.sector:
        title = industry_titles().set_index("industry_code")["industry_title"].get(fp.sector, f"NAICS {fp.sector}")
        try:
            fig = F.footprint_figures(data, fp.included, fp.sector, int(start_year), int(end_year),
                                      int(settings.get("own_code", 5)))
            parts.append(figures_html(fig, f"{title} (NAICS {fp.sector})", F.size_check(fig["establishments"]),
                                      F.labor_market_flags(fig["counties"], catalog)))
        except SectorkitError as exc:
            parts.append(f"<p>The figures for the footprint could not be computed: {esc(exc)}</p>")
    show(section_html("footprint", TITLE, "".join(parts)))


SECTION = register(Section("footprint", TITLE, footprint, order=14, status=status))
