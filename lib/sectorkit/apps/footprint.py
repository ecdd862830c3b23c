"""The Geographic footprint worksheet: counties in and out, and the sector's figures for them.

The counties are those of the LMI Review's data (the example region, or the team's uploaded BLS
files, named from its crosswalk if it has one). Each county is In or Out with a reason; a county can
also be added by its FIPS code. After every change the footprint is saved (workspace record of kind
``footprint``, key ``current``) and the chosen sector's jobs, establishments and location quotient
are recomputed for the counties in, with the "not too small, not too big" check
(:mod:`sectorkit.lmi.footprint`). The saved footprint becomes the region's county set: the LMI
Review and the region report use it.

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> ws = Workspace.open("demo-region", root=tempfile.mkdtemp())
>>> app = FootprintApp(ws)
>>> app.rows["99001"].inside.value = False
>>> ws.records("footprint")["current"]["counties"]["99001"]["in"]
False
>>> "Establishments" in app.figures.value
True
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W
import pandas as pd

from sectorkit.apps.base import WorksheetPage, guarded
from sectorkit.core.clock import now_utc
from sectorkit.core.errors import DataError, SectorkitError
from sectorkit.lmi import footprint as F
from sectorkit.lmi.measures import Region, region_measures
from sectorkit.lmi.readiness import shortlist_of
from sectorkit.lmi.sources import SETTINGS_KEY, SETTINGS_KIND, load_source, source_data
from sectorkit.lmi.titles import industry_titles
from sectorkit.lmi.uploads import folder_of
from sectorkit.store.workspace import Workspace
from sectorkit.views.html import notice
from sectorkit.views.scope import figures_html

__all__ = ["FootprintApp"]


def _h2(text: str) -> str:
    return f"<h2 style='font-size:1.25em;margin:1em 0 0.3em;line-height:1.3'>{html.escape(text)}</h2>"


class CountyRow:
    """One county's In checkbox and reason."""

    def __init__(self, app: "FootprintApp", code: str, name: str, inside: bool, reason: str):
        self.app, self.code, self.name = app, code, name
        sh = app.styles
        self.inside = W.Checkbox(value=inside, description=f"In: {name} ({code})", indent=False,
                                 layout=sh.layout(width="22rem"), style=sh.check)
        self.reason = W.Text(value=reason, description=f"Reason for {name}", placeholder="Why in, or why out?",
                             layout=sh.layout(width="100%", max_width="34rem"), style=sh.hidden_label,
                             continuous_update=True)
        self.box = W.HBox([self.inside, self.reason], layout=sh.layout(flex_flow="row wrap", align_items="center"))
        self.inside.observe(self._changed, names="value")
        self.reason.observe(self._changed, names="value")

    def _changed(self, change: dict) -> None:
        if not self.app.is_loading:
            self.app.changed()


class FootprintApp(WorksheetPage):
    """The Geographic footprint worksheet bound to a region's workspace."""

    title = "Geographic footprint: which counties are in?"
    intro = ("Mark each county in or out of the partnership's footprint and say why. The chosen sector's jobs, "
             "establishments and location quotient are recomputed for the counties in, with a check that the "
             "footprint is not too small and not too big.")
    attribution = ("The sizing rule (about 100 invitations for a launch of 25) is based on the Next Gen Sector "
                   "Partnership training toolkit; sectorkit's own wording.")
    save_hint = "The footprint saves as you change it."
    max_width = "60rem"
    page_class = "sk-footprint"

    def __init__(self, workspace: Workspace):
        self.uploads_folder = folder_of(workspace)  # the LMI Review's uploaded files, if its source is "uploads"
        self.settings: dict[str, Any] = workspace.records(SETTINGS_KIND).get(SETTINGS_KEY) or {}
        record = workspace.records(F.FOOTPRINT_KIND).get(F.FOOTPRINT_KEY)
        self.saved_footprint = F.Footprint.from_record(record)
        self.data: pd.DataFrame | None = None
        self.catalog = pd.DataFrame(columns=["area_fips", "county_name", "state_fips", "regions"])
        self.problem: str | None = None
        self.rows: dict[str, CountyRow] = {}
        self.last_figures: dict | None = None
        self._load_data()
        super().__init__(workspace)
        if record and isinstance(record.get("saved_at"), str):
            self.saved(at=record["saved_at"])
        self.render_figures()

    # -- data ----------------------------------------------------------------------------------
    def _load_data(self) -> None:
        s = self.settings
        try:
            self.data, crosswalk = source_data(s.get("source") or "example", self.uploads_folder)
            self.catalog = F.county_catalog(self.data, crosswalk)
            years = sorted(int(y) for y in self.data["year"].unique())
            self.end = int(s.get("end_year") or years[-1])
            self.start = int(s.get("start_year") or max([y for y in years if y <= self.end - 3] or [years[0]]))
            self.own_code = int(s.get("own_code", 5))
            if self.start >= self.end:
                raise DataError(f"The LMI Review's years ({self.start}-{self.end}) are not a period; "
                                "change them there.")
        except (SectorkitError, OSError, ValueError, TypeError) as exc:
            self.data, self.problem = None, str(exc)

    def _initial_counties(self) -> dict[str, tuple[bool, str]]:
        """The saved footprint; else the LMI Review's region counties in, the others out."""
        if self.saved_footprint is not None:
            return dict(self.saved_footprint.counties)
        s = self.settings
        try:
            source = s.get("source") or "example"
            _, region = load_source(source, self.uploads_folder,
                                    "" if source == "example" else s.get("counties", ""))
            chosen = set(region.counties)
        except SectorkitError:
            chosen = set()
        return {c: (c in chosen, "") for c in self.catalog["area_fips"]}

    def _sector_options(self) -> list[tuple[str, str]]:
        short = shortlist_of(self.workspace)
        if short:
            return [(f"{s['title']} (NAICS {s['industry_code']})", s["industry_code"]) for s in short]
        if self.data is None:
            return []
        codes = self.data.loc[(self.data["naics_digits"] == 2) & (self.data["industry_code"] != "99"), "industry_code"]
        titles = industry_titles().set_index("industry_code")["industry_title"]
        return [(f"{titles.get(c, 'NAICS ' + c)} (NAICS {c})", c) for c in sorted(codes.unique())]

    # -- widgets -------------------------------------------------------------------------------
    def build(self) -> list[W.Widget]:
        sh = self.styles
        self.figures = self.html_widget()
        if self.data is None:
            return [self.html_widget(notice("The LMI data could not be read.",
                                            html.escape(f"{self.problem} Fix the data source in the LMI Review, "
                                                        "then reopen this page.")))]
        options = self._sector_options()
        self.sector_note = self.html_widget(
            "" if shortlist_of(self.workspace) else notice(
                "No sector is shortlisted yet.", "Pick any sector here, or shortlist one in the LMI Review first."))
        saved_sector = self.saved_footprint.sector if self.saved_footprint else None
        values = [v for _, v in options]
        self.sector = W.Dropdown(options=options, value=saved_sector if saved_sector in values else values[0],
                                 description="Sector", layout=sh.layout(width="100%", max_width="40rem"),
                                 style=sh.label("5rem"))
        names = dict(zip(self.catalog["area_fips"], self.catalog["county_name"]))
        with self.loading():
            for code, (inside, reason) in self._initial_counties().items():
                self.rows[code] = CountyRow(self, code, names.get(code, f"County {code}"), inside, reason)
        self.county_box = W.VBox([r.box for r in self.rows.values()])
        self.add_code = W.Text(description="Add a county by FIPS code", placeholder="for example 39049",
                               layout=sh.layout(width="24rem"), style=sh.text_label("12rem"))
        self.add_button = W.Button(description="Add the county", layout=sh.auto, style=sh.button,
                                   tooltip="Add this county to the footprint")
        self.add_message = self.html_widget()
        self.sector.observe(self._sector_changed, names="value")
        self.add_button.on_click(lambda _b: self.add_county())
        return [
            self.html_widget(_h2("1. The sector")), self.sector_note, self.sector,
            self.html_widget(_h2("2. Counties in and out")),
            self.html_widget("<p style='margin:0.2em 0;line-height:1.45'>Tick the counties in the footprint and "
                             "give a reason for each choice, in or out: where workers commute from, where the "
                             "businesses recruit, which roads and sites they share.</p>"),
            self.county_box, W.HBox([self.add_code, self.add_button]), self.add_message,
            self.html_widget(_h2("3. The footprint in numbers")), self.figures,
        ]

    # -- handlers ------------------------------------------------------------------------------
    def footprint(self) -> F.Footprint:
        """What the page holds (raises DataError for a reason that is too long)."""
        return F.Footprint({c: (r.inside.value, r.reason.value) for c, r in self.rows.items()},
                           self.sector.value if self.data is not None else None)

    @guarded("saving the footprint", keep="Your choices are still on the page; try again.")
    def changed(self) -> None:
        """Save the footprint and recompute the figures (every control calls this)."""
        fp = self.footprint()
        self.saved(at=self.workspace.put_record(F.FOOTPRINT_KIND, F.FOOTPRINT_KEY,
                                                {**fp.to_record(), "saved_at": now_utc("seconds")}))
        self.render_figures()

    @guarded("changing the sector", keep="Choose the sector again.")
    def _sector_changed(self, change: dict) -> None:
        if not self.is_loading:
            self.changed()

    @guarded("adding the county", keep="The code is still in the box.", lead="Not added")
    def add_county(self) -> bool | None:
        """Add the county typed in the box (marked In), or say why not. Returns True if added."""
        code = F.normalize_county(self.add_code.value)
        if code not in set(self.catalog["area_fips"]):
            raise DataError(f"There is no data for county {code}. Counties in the data: "
                            f"{', '.join(self.catalog['area_fips'])}. Upload its QCEW files on the LMI Review page.")
        if code in self.rows:
            self.rows[code].inside.value = True
            self.add_message.value = f"<p>County {html.escape(code)} is already listed; it is now In.</p>"
        else:
            name = dict(zip(self.catalog["area_fips"], self.catalog["county_name"])).get(code, f"County {code}")
            self.rows[code] = CountyRow(self, code, name, True, "")
            self.county_box.children = [r.box for r in self.rows.values()]
            self.changed()
            self.add_message.value = f"<p>Added {html.escape(name)} ({html.escape(code)}).</p>"
        self.add_code.value = ""
        return True

    # -- figures -------------------------------------------------------------------------------
    def compute(self) -> dict:
        """The sector's figures for the counties in (raises DataError for an empty footprint)."""
        fp = self.footprint()
        return F.footprint_figures(self.data, fp.included, self.sector.value, self.start, self.end, self.own_code)

    def render_figures(self) -> None:
        if self.data is None:
            return
        title = next((label for label, v in self.sector.options if v == self.sector.value), self.sector.value)
        try:
            fig = self.compute()
        except SectorkitError as exc:
            self.last_figures = None
            self.figures.value = notice("No figures yet.", html.escape(str(exc)))
            return
        self.last_figures = fig
        flags = F.labor_market_flags(fig["counties"], self.catalog)
        self.figures.value = figures_html(fig, title, F.size_check(fig["establishments"]), flags)

    def measures_for(self, counties: list[str]) -> pd.DataFrame:
        """``region_measures`` on the same data for ``counties`` (what the figures must equal)."""
        digits = 3 if len(str(self.sector.value)) == 3 else 2
        return region_measures(self.data, Region.from_counties(counties), self.start, self.end, digits=digits,
                               own_code=self.own_code)
