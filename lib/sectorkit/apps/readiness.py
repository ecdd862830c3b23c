"""The Industry readiness worksheet: rate each shortlisted sector, see one ranked shortlist.

For every sector the team shortlisted in the LMI Review, each readiness factor
(:data:`sectorkit.lmi.readiness.FACTORS`) gets a rating on one shared scale and an evidence note.
Each change is saved at once as the sector's workspace record (kind ``readiness``); the ranked
shortlist beside the LMI figures is redrawn after every change (the rule is in
:mod:`sectorkit.lmi.readiness`). With nothing shortlisted, the page says to go to the LMI Review.

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> ws = Workspace.open("demo-region", root=tempfile.mkdtemp())
>>> ReadinessApp(ws).rows == {}
True
>>> _ = ws.put_record("sector_choice", "62", {"decision": "shortlist", "title": "Health Care"})
>>> app = ReadinessApp(ws)
>>> app.rows["62"].rating["champions"].value = 4
>>> ws.records("readiness")["62"]["ratings"]
{'champions': 4}
"""

from __future__ import annotations

import html

import ipywidgets as W

from sectorkit.apps.base import WorksheetPage, guarded
from sectorkit.core.clock import now_utc
from sectorkit.core.errors import DataError
from sectorkit.lmi import readiness as R
from sectorkit.lmi.footprint import FOOTPRINT_KEY, FOOTPRINT_KIND, Footprint
from sectorkit.lmi.sources import CHOICE_KIND, SETTINGS_KEY, SETTINGS_KIND
from sectorkit.lmi.titles import industry_titles
from sectorkit.lmi.uploads import folder_of
from sectorkit.store.workspace import Workspace
from sectorkit.views.html import notice
from sectorkit.views.scope import readiness_table_html

__all__ = ["ReadinessApp"]

#: dropdown label -> widget value; 0 is "Not rated" (stored as no rating: unknown, never zero)
RATING_OPTIONS = [("Not rated", 0)] + [(f"{k}: {v}", k) for k, v in R.RATINGS.items()]


def _h(level: int, text: str) -> str:
    size = {2: "1.25em", 3: "1.1em"}[level]
    return f"<h{level} style='font-size:{size};margin:1em 0 0.3em;line-height:1.3'>{html.escape(text)}</h{level}>"


class SectorRatings:
    """The rating and evidence widgets of one shortlisted sector."""

    def __init__(self, app: "ReadinessApp", item: dict, saved: R.SectorReadiness | None):
        self.app, self.code, self.title = app, item["industry_code"], item["title"]
        sh = app.styles
        self.header = app.html_widget(_h(3, f"{self.title} (NAICS {self.code})"))
        self.figures = app.html_widget()
        self.rating: dict[str, W.Dropdown] = {}
        self.evidence: dict[str, W.Text] = {}
        parts: list[W.Widget] = [self.header, self.figures]
        for f in R.FACTORS:
            # the visible factor and question are the HTML above; each input keeps a full <label for>
            self.rating[f.id] = W.Dropdown(options=RATING_OPTIONS, value=0, description=f"{f.label} ({self.title})",
                                           layout=sh.layout(width="13rem"), style=sh.label("0px"))
            self.evidence[f.id] = W.Text(description=f"Evidence: {f.label} ({self.title})",
                                         placeholder="Evidence: who said or showed what, and when",
                                         layout=sh.layout(flex="1 1 20rem", max_width="40rem"),
                                         style=sh.hidden_label, continuous_update=True)
            parts += [app.html_widget(f"<p style='margin:0.7em 0 0.1em'><strong>{html.escape(f.label)}.</strong> "
                                      f"{html.escape(f.question)}</p>"),
                      W.HBox([self.rating[f.id], self.evidence[f.id]],
                             layout=sh.layout(flex_flow="row wrap", align_items="center"))]
        self.box = W.VBox(parts, layout=W.Layout(margin="0 0 1em 0"))
        with app.loading():
            for fid, value in (saved.ratings if saved else {}).items():
                self.rating[fid].value = value
            for fid, note in (saved.evidence if saved else {}).items():
                self.evidence[fid].value = note
        for w in [*self.rating.values(), *self.evidence.values()]:
            w.observe(self._changed, names="value")

    def value(self) -> R.SectorReadiness:
        """What the widgets hold (raises DataError for a note that is too long)."""
        ratings = {k: w.value for k, w in self.rating.items() if w.value}
        evidence = {k: w.value for k, w in self.evidence.items() if w.value.strip()}
        return R.SectorReadiness(self.code, self.title, ratings, evidence)

    def _changed(self, change: dict) -> None:
        if not self.app.is_loading:
            self.app.save_sector(self)


class ReadinessApp(WorksheetPage):
    """The Industry readiness worksheet bound to a region's workspace."""

    title = "Industry readiness: which shortlisted sector is ready?"
    intro = ("For each sector the team shortlisted in the LMI Review, rate how ready its businesses are to "
             "work together, and note the evidence. The ranked shortlist below puts the ratings beside the "
             "labor-market figures.")
    attribution = ("The readiness factors are based on the Next Gen Sector Partnership training toolkit and its "
                   "frequently asked questions; sectorkit's own wording.")
    save_hint = "Ratings and notes save as you make them."
    max_width = "60rem"
    page_class = "sk-readiness"

    def __init__(self, workspace: Workspace):
        self.rows: dict[str, SectorRatings] = {}
        self.workspace = workspace
        self._read()
        super().__init__(workspace)
        stamps = [r.get("saved_at") for r in workspace.records(R.READINESS_KIND).values()]
        stamps = [s for s in stamps if isinstance(s, str)]
        if stamps:
            self.saved(at=max(stamps))
        self.render_ranking()

    def _read(self) -> None:
        """Read the shortlist, the ratings and the LMI figures from the workspace."""
        ws = self.workspace
        self.shortlist = R.shortlist_of(ws)
        self.ratings = R.load_ratings(ws.records(R.READINESS_KIND))
        self.figures, self.problem = None, None
        if self.shortlist:
            settings = ws.records(SETTINGS_KIND).get(SETTINGS_KEY) or {}
            fp = Footprint.from_record(ws.records(FOOTPRINT_KIND).get(FOOTPRINT_KEY))
            counties = ", ".join(fp.included) if fp and fp.included else None
            self.figures, self.problem = R.lmi_figures(settings, [s["industry_code"] for s in self.shortlist],
                                                       counties=counties, folder=folder_of(ws))

    def build(self) -> list[W.Widget]:
        sh = self.styles
        self.ranking = self.html_widget()
        self.body = W.VBox(self._body())
        self.add_code = W.Text(description="Shortlist a sector by its NAICS code", placeholder="for example 62 or 336",
                               layout=sh.layout(width="30rem"), style=sh.text_label("16rem"))
        self.add_button = W.Button(description="Add to the shortlist", layout=sh.auto, style=sh.button,
                                   tooltip="Save this sector as shortlisted, as the LMI Review does")
        self.add_button.on_click(lambda _b: self.add_sector())
        return [self.body, self.html_widget(_h(2, "Add a sector")),
                self.html_widget("<p style='margin:0.2em 0'>The LMI Review is the usual way to shortlist. If the "
                                 "team has already agreed on a sector, you can add it here by its code.</p>"),
                W.HBox([self.add_code, self.add_button])]

    def _body(self) -> list[W.Widget]:
        self.rows = {}
        if not self.shortlist:
            region = html.escape(self.workspace.region)
            return [self.html_widget(notice(
                "No sector is shortlisted yet.",
                "Go to the LMI Review first, mark at least one sector <em>Shortlist</em>, then come back here. "
                f"<a href='sheet.ipynb?sheet=lmi-review&amp;region={region}'>Open the LMI Review</a>."))]
        scale = "; ".join(f"{k} = {v.lower()}" for k, v in R.RATINGS.items())
        body: list[W.Widget] = [
            self.html_widget(_h(2, "1. Rate each shortlisted sector")),
            self.html_widget(f"<p style='margin:0.2em 0;line-height:1.45'>One scale for every factor: "
                             f"{html.escape(scale)}. Leave a factor <em>Not rated</em> until the team has evidence: "
                             f"it is never counted as zero. A sector is ranked once {R.MIN_RATED} of its "
                             f"{len(R.FACTORS)} factors are rated.</p>"),
        ]
        for item in self.shortlist:
            row = SectorRatings(self, item, self.ratings.get(item["industry_code"]))
            self.rows[item["industry_code"]] = row
            body.append(row.box)
        body += [self.html_widget(_h(2, "2. The shortlist, ranked")), self.ranking]
        self._show_figures()
        return body

    @guarded("adding the sector", keep="The code is still in the box.", lead="Not added")
    def add_sector(self) -> bool | None:
        """Shortlist the sector typed in the box (the LMI Review's record) and show it. True if added."""
        code = self.add_code.value.strip()
        titles = industry_titles().set_index("industry_code")["industry_title"]
        if not (code in titles.index and (len(code) == 3 or "-" in code or len(code) == 2) and code != "10"):
            raise DataError(f"{code!r} is not a NAICS sector (2 digits, such as 62 or 31-33) or subsector "
                            "(3 digits, such as 336).")
        if any(s["industry_code"] == code for s in self.shortlist):
            self.say(f"{titles[code]} is already on the shortlist.")
            return True
        title = str(titles[code])
        self.saved(f"{title} added to the shortlist", at=self.workspace.put_record(CHOICE_KIND, code, {
            "decision": "shortlist", "title": title, "naics_digits": 3 if len(code) == 3 else 2,
            "note": "Added in the Industry readiness worksheet.", "saved_at": now_utc("seconds")}))
        self._read()
        self.body.children = self._body()
        self.render_ranking()
        self.add_code.value = ""
        return True

    def _show_figures(self) -> None:
        figs = {}
        if self.figures is not None:
            figs = {str(r["industry_code"]): r for r in self.figures.to_dict("records")}
        for code, row in self.rows.items():
            f = figs.get(code)
            if f is None:
                why = self.problem or "this sector is not in the LMI data for the current settings"
                row.figures.value = f"<p style='margin:0.2em 0'>LMI figures: not available ({html.escape(why)}).</p>"
                continue
            text = R.figures_text(f, self.figures.attrs.get("start_year"), self.figures.attrs.get("end_year"))
            row.figures.value = f"<p style='margin:0.2em 0'>{html.escape(text)}</p>"

    @guarded("saving the ratings", keep="Your ratings and notes are still on the page; try again.")
    def save_sector(self, row: SectorRatings) -> None:
        """Save one sector's ratings and notes (the observers call it), then redraw the ranking."""
        value = row.value()
        self.saved(at=self.workspace.put_record(R.READINESS_KIND, row.code,
                                                {**value.to_record(), "saved_at": now_utc("seconds")}))
        self.ratings[row.code] = value
        self.render_ranking()

    def ranked(self):
        """The ranked shortlist (:func:`sectorkit.lmi.readiness.rank_shortlist`) for what is on the page."""
        return R.rank_shortlist(self.shortlist, self.ratings, self.figures)

    def render_ranking(self) -> None:
        if not self.shortlist:
            self.ranking.value = ""
            return
        note = ""
        if self.problem:
            note = f"<p>The LMI figures could not be computed: {html.escape(self.problem)}</p>"
        self.ranking.value = note + readiness_table_html(self.ranked())
