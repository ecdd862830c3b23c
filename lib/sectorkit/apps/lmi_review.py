"""The LMI Review worksheet: read the sector screen and mark sectors to explore.

A team chooses its data (the illustrative example region, BLS QCEW files it
uploads for its region, or a data folder the server's administrator set up; see
:mod:`sectorkit.apps.lmi_sources`: no field takes a path) and its counties, the
years, the ownership, the NAICS level and the weights of the four criteria; it
sees the ranked screen and the bubble chart, and marks each of the top sectors
*Shortlist*, *Maybe* or *Not now* with a note. Every choice is saved the
moment it is made as a workspace record (kind ``sector_choice``, keyed by
industry code, so it survives re-ranking); the settings are saved too (kind
``lmi_settings``, key ``current``; never a path: an old record's ``folder`` is
ignored with a note asking to upload), so a reload shows the same view.

The app is a :class:`~sectorkit.apps.base.WorksheetPage` (header, status line,
shared styles, guarded handlers, ``for_region``) with the
:class:`~sectorkit.apps.lmi_sources.DataSources` mixin; its data comes from
:mod:`sectorkit.lmi.sources`. The results are redrawn inside an ``Output`` and
the one public view is ``.container``. It is unit-testable without a browser:

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> ws = Workspace.open("demo-region", root=tempfile.mkdtemp())
>>> app = LMIReviewApp(ws)
>>> int(app.screen["rank"].iloc[0])
1
>>> row = app.rows[0]
>>> row.decision.value = "Shortlist"
>>> ws.records("sector_choice")[row.code]["decision"]
'shortlist'
>>> app.status_text().startswith("Saved at")
True
"""

from __future__ import annotations

import html
import re
from typing import Any

import ipywidgets as W
import pandas as pd

from sectorkit.apps.base import WorksheetPage, guarded
from sectorkit.apps.lmi_sources import DataSources
from sectorkit.core.clock import now_utc
from sectorkit.core.errors import SectorkitError
from sectorkit.lmi import measures as lmi
from sectorkit.lmi import screen
from sectorkit.lmi.sources import (  # noqa: F401  (re-exported: their old home)
    CHOICE_KIND,
    SETTINGS_KEY,
    SETTINGS_KIND,
    load_source,
    warm_example,
)
from sectorkit.store.workspace import Workspace
from sectorkit.views import charts
from sectorkit.views.figures import figure_html
from sectorkit.views.html import show_html

__all__ = ["CHOICE_KIND", "DECISIONS", "LMIReviewApp", "SETTINGS_KIND", "load_source", "warm"]

#: what a preheated kernel calls to read the example data ahead of the request
warm = warm_example
#: label shown on the radio -> value stored in the record
DECISIONS: dict[str, str | None] = {"No decision": None, "Shortlist": "shortlist", "Maybe": "maybe",
                                    "Not now": "not-now"}
DECISION_LABELS = {v: k for k, v in DECISIONS.items()}
OWNERSHIP = {5: "Private", 0: "Total covered (all ownerships)", 1: "Federal government",
             2: "State government", 3: "Local government"}
LEVELS = {"2-digit sectors": 2, "3-digit subsectors": 3}
WEIGHT_LABELS = {"size": "Size (jobs)", "wages": "Wages", "growth": "Growth",
                 "concentration": "Concentration (LQ)"}
TOP_N = 12
NOTE_LIMIT = 2000

def _h2(text: str) -> str:
    return (f"<h2 style='font-size:1.25em;font-weight:700;margin:1.2em 0 0.3em;line-height:1.3'>"
            f"{html.escape(text)}</h2>")


#: columns of :func:`sectorkit.views.charts.ranked_table` that hold words (left-aligned)
_TEXT_COLUMNS = {1: "min-width:8rem", 2: "", 8: "min-width:14rem"}


def _align_table(table: str) -> str:
    """Left-align the word columns of the ranked table (numbers stay right-aligned)."""
    def row(m: re.Match) -> str:
        cells = iter(range(100))

        def cell(c: re.Match) -> str:
            i = next(cells)
            extra = _TEXT_COLUMNS.get(i)
            align = f"text-align:left;{extra}" if extra is not None else "text-align:right"
            return f"<{c.group(1)} style='{align};vertical-align:top'>"

        return re.sub(r"<(td|th)>", cell, m.group(0))

    table = table.replace('<tr style="text-align: right;">', "<tr>")
    return re.sub(r"<tr>.*?</tr>", row, table, flags=re.S)


def _p(text: str, style: str = "") -> str:
    return f"<p style='margin:0.3em 0;line-height:1.45;{style}'>{text}</p>"


# --------------------------------------------------------------------------- one sector row
class SectorRow:
    """The decision and note widgets of one ranked sector (reused as the ranking changes)."""

    def __init__(self, index: int, app: "LMIReviewApp"):
        self.index = index
        self.app = app
        self.code: str | None = None
        self.title = ""
        self.digits = 2
        sh = app.styles
        self.header = W.HTML(layout=sh.block, style=sh.html)
        self.decision = W.RadioButtons(options=list(DECISIONS), value="No decision",
                                       orientation="horizontal", layout=sh.auto, style=sh.natural)
        self.note = W.Text(value="", description="Note", placeholder="Note (optional): why?",
                           continuous_update=True, layout=sh.full, style=sh.hidden_label)
        self.box = W.VBox([self.header, self.decision, self.note],
                          layout=W.Layout(margin="0 0 0.6em 0"))
        self.box.add_class("sk-sector-row")
        self.box.add_class(f"sk-sector-row-{index}")
        self.decision.observe(self._changed, names="value")
        self.note.observe(self._changed, names="value")

    def show(self, row: dict | None, saved: dict | None) -> None:
        """Bind this row to one sector of the screen (``None`` hides it)."""
        if row is None:
            self.code = None
            self.box.layout.display = "none"
            return
        self.box.layout.display = None
        self.code = str(row["industry_code"])
        self.title = str(row.get("industry_title") or f"NAICS {self.code}")
        self.digits = int(row.get("naics_digits") or (3 if len(self.code) == 3 else 2))
        rank = row.get("rank")
        rank_text = f"{int(rank)}." if rank is not None and not pd.isna(rank) else "Not ranked:"
        score = row.get("total_score")
        score_text = f", score {score:.0f}" if score is not None and not pd.isna(score) else ""
        self.header.value = (
            f"<div style='font-weight:600;margin-top:0.5em'>{html.escape(rank_text)} "
            f"{html.escape(self.title)} <span style='font-weight:400'>(NAICS "
            f"{html.escape(self.code)}{score_text})</span></div>"
        )
        self.note.description = f"Note on {self.title}"
        saved = saved or {}
        self.decision.value = DECISION_LABELS.get(saved.get("decision"), "No decision")
        self.note.value = str(saved.get("note") or "")

    def _changed(self, change: dict) -> None:
        if self.code is not None and not self.app.is_loading:
            self.app._save_choice(self)


# --------------------------------------------------------------------------- the app
class LMIReviewApp(DataSources, WorksheetPage):
    """The LMI Review worksheet bound to a region's workspace.

    Parameters
    ----------
    workspace : Workspace
        Where the sector choices and the settings are loaded from and saved to.
    top : int, default 12
        How many of the top-ranked sectors get a decision row.
    """

    title = "LMI Review: which sectors should we explore?"
    intro = ("Compare industries on size, wages, growth and concentration, then mark the ones worth a "
             "conversation with business leaders. The data opens the conversation; what employers tell "
             "you decides it.")
    save_hint = "Choices save as you make them."
    max_width = "60rem"
    page_class = "sk-lmi-review"

    def __init__(self, workspace: Workspace, top: int = TOP_N):
        self.top = top
        self.data: pd.DataFrame | None = None
        self.region: lmi.Region | None = None
        self.measures: pd.DataFrame | None = None
        self.screen: pd.DataFrame | None = None
        self.results_html = ""
        self.problem: str | None = None
        self._measures_key: tuple | None = None
        self.choices: dict[str, dict] = dict(workspace.records(CHOICE_KIND))
        super().__init__(workspace)
        with self.loading():
            self._restore_settings()
        stamps = [r.get("saved_at") for r in self.choices.values()]
        stamps.append((workspace.records(SETTINGS_KIND).get(SETTINGS_KEY) or {}).get("saved_at"))
        stamps = [s for s in stamps if isinstance(s, str)]
        if stamps:
            self.saved(at=max(stamps))
        self._render_summary()

    def build(self) -> list[W.Widget]:
        """The data source, settings, weights, results and one decision row per top sector."""
        sh, top = self.styles, self.top
        label = sh.label("11rem")
        field = sh.layout(width="24rem")
        sources = self._build_sources()
        # settings
        self.start = W.Dropdown(description="Start year", options=[], layout=field, style=label)
        self.end = W.Dropdown(description="End year", options=[], layout=field, style=label)
        self.ownership = W.Dropdown(description="Ownership", options=[], layout=field, style=label)
        self.level = W.Dropdown(description="NAICS level", options=list(LEVELS),
                                value="2-digit sectors", layout=field, style=label)
        self.weights = {
            k: W.BoundedFloatText(value=1.0, min=0.0, max=5.0, step=0.5,
                                  description=f"Weight: {WEIGHT_LABELS[k]}",
                                  layout=sh.layout(width="19rem"), style=sh.label("13rem"))
            for k in screen.CRITERIA
        }
        self.results = W.Output(layout=W.Layout(width="100%"))
        self.rows = [SectorRow(i, self) for i in range(top)]
        self.rows_intro = self.html_widget()
        self.summary = self.html_widget()

        for w in (self.start, self.end, self.ownership, self.level):
            w.observe(self._settings_changed, names="value")
        for w in self.weights.values():
            w.observe(self._weights_changed, names="value")

        html_w = self.html_widget
        return [
            html_w(_h2("1. Data")), *sources,
            html_w(_h2("2. Years, ownership and level")),
            html_w(_p("Levels are for the end year; growth is from the start year to the end year.")),
            self.start, self.end, self.ownership, self.level,
            html_w(_h2("3. Weights of the four criteria")),
            html_w(_p("From 0 (ignore) to 5. Raise a weight to rank by what matters most to your "
                      "team; the table and chart update when you leave the box or press Enter.")),
            *self.weights.values(),
            self.results,
            html_w(_h2("5. Mark the sectors to explore")), self.rows_intro,
            *(r.box for r in self.rows),
            self.summary,
        ]

    def show_message(self, problem: str | None, lead: str = "The data could not be used.") -> None:
        """Show a data problem in the page (escaped, under the bold ``lead``), or clear it."""
        self.problem = problem
        if not problem:
            self.message.value = ""
            return
        self.message.value = (
            "<div role='alert' style='border-left:4px solid #9b1c1c;padding:0.5em 1em;margin:0.5em 0;"
            f"max-width:46rem'><strong>{html.escape(lead)}</strong>"
            f"<p style='white-space:pre-wrap;margin:0.3em 0 0'>{html.escape(problem)}</p></div>"
        )

    # -- settings -------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        """The current settings as saved in the workspace."""
        return {
            "source": self.source_id,
            "counties": self.counties.value.strip(),
            "start_year": self.start.value,
            "end_year": self.end.value,
            "own_code": self.ownership.value,
            "naics_digits": LEVELS[self.level.value],
            "weights": {k: float(w.value) for k, w in self.weights.items()},
            "bls": self.bls_choice(),  # the BLS county picker (state, counties, years) as last fetched
        }

    def _save_settings(self) -> None:
        if self.is_loading:
            return
        self._put(SETTINGS_KIND, SETTINGS_KEY, {**self.settings(), "saved_at": now_utc("seconds")})

    def _put(self, kind: str, key: str, value: dict) -> None:
        """Save one record; a failure propagates to the guarded handler, which says so in the status."""
        self.saved(at=self.workspace.put_record(kind, key, value))

    def _restore_settings(self) -> None:
        saved = self.workspace.records(SETTINGS_KIND).get(SETTINGS_KEY) or {}
        for k, w in self.weights.items():
            try:
                w.value = min(max(float(saved.get("weights", {}).get(k, 1.0)), 0.0), 5.0)
            except (TypeError, ValueError, AttributeError):
                w.value = 1.0
        if self._restore_source(saved):
            self._activate_source(saved)
        else:
            self._clear_results("No screen until the files are uploaded.")

    def _activate_source(self, saved: dict) -> bool:
        """Load the chosen data, fill the year/ownership choices and draw the screen."""
        with self.loading():
            try:
                data, region = self._load_chosen(load_source)
            except SectorkitError as exc:
                self._fail(str(exc))
                return False
            except Exception as exc:  # noqa: BLE001 - never a traceback in the page
                self._fail(f"The files could not be read ({exc.__class__.__name__}: {exc}).")
                self.show_exception(exc, "reading the data files", keep="Nothing was changed.")
                return False
            self.data, self.region = data, region
            self._measures_key = None
            self.show_message(None)
            self._fill_choices(saved)
        return self._recompute()

    def _fail(self, problem: str) -> None:
        self.data = self.region = self.measures = self.screen = None
        self._measures_key = None
        self.show_message(problem)
        self._clear_results("No screen to show until the data loads.")

    def _fill_choices(self, saved: dict) -> None:
        data, region = self.data, self.region
        in_region = data[data["area_fips"].isin(region.counties)]
        totals = in_region[(in_region["own_code"] == 0) & (in_region["industry_code"] == "10")]
        per_year = totals.groupby("year")["area_fips"].nunique()
        years = sorted(int(y) for y, n in per_year.items() if n == len(region.counties))
        if len(years) < 2:
            raise_msg = (f"The data holds complete county totals for {len(years)} year(s) "
                         f"({', '.join(map(str, years)) or 'none'}); the screen needs two years.")
            self._fail(raise_msg)
            return
        own = in_region[in_region["naics_digits"].isin([2, 3])]["own_code"].unique().tolist()
        own_opts = [(OWNERSHIP.get(int(o), f"Ownership {o}"), int(o))
                    for o in sorted(set(int(x) for x in own), key=lambda o: (o != 5, o != 0, o))]
        if not own_opts:
            self._fail("The data holds no industry rows at NAICS 2 or 3 digits.")
            return
        self.start.options = years[:-1]
        self.end.options = years[1:]
        end = saved.get("end_year") if saved.get("end_year") in years[1:] else years[-1]
        start = saved.get("start_year")
        if start not in years or start >= end:
            start = max([y for y in years if y <= end - 3] or [years[0]])
        self.start.value, self.end.value = start, end
        self.ownership.options = own_opts
        codes = [v for _, v in own_opts]
        self.ownership.value = saved.get("own_code") if saved.get("own_code") in codes else codes[0]
        level = {v: k for k, v in LEVELS.items()}.get(saved.get("naics_digits"), "2-digit sectors")
        self.level.value = level

    # -- computing and drawing --------------------------------------------------
    @guarded("updating the screen", keep="Try another setting.")
    def _settings_changed(self, change: dict) -> None:
        if self.is_loading:
            return
        self._recompute()
        self._save_settings()

    @guarded("updating the screen", keep="Try another weight.")
    def _weights_changed(self, change: dict) -> None:
        if self.is_loading:
            return
        self._recompute()
        self._save_settings()

    def _recompute(self) -> bool:
        """Measures once per data/years/ownership/level; the screen once per weights change."""
        if self.data is None:
            return False
        s = self.settings()
        start, end = s["start_year"], s["end_year"]
        if start is None or end is None:
            return False
        if start >= end:
            self.screen = None
            self._clear_results(f"The start year ({start}) must be before the end year ({end}). "
                                "Choose another start or end year.")
            return False
        key = (id(self.data), self.region, start, end, s["own_code"], s["naics_digits"])
        try:
            if key != self._measures_key:
                self.measures = lmi.region_measures(self.data, self.region, start, end,
                                                    digits=s["naics_digits"], own_code=s["own_code"])
                self._measures_key = key
            self.screen = screen.sector_screen(self.measures, s["weights"])
        except SectorkitError as exc:
            self.screen = None
            self._clear_results(str(exc))
            return False
        self._render_results()
        self._bind_rows()
        return True

    def _redraw(self, body: str) -> None:
        """Replace what the results Output shows (by state: see :func:`sectorkit.views.html.show_html`)."""
        self.results_html = body
        show_html(self.results, body, "LMI screen")

    def _clear_results(self, why: str) -> None:
        self._redraw(_h2("4. The sector screen") + _p(html.escape(why)))
        for row in self.rows:
            row.show(None, None)
        self.rows_intro.value = _p("Load data to mark sectors.")

    def _notes_html(self) -> str:
        sc, m = self.screen, self.measures
        a = m.attrs
        digits = LEVELS[self.level.value]
        own = OWNERSHIP.get(self.ownership.value, str(self.ownership.value)).lower()
        notes = []
        method = a.get("lq_method", "")
        method_text = {
            "national file": "computed from the U.S. file in the data",
            "implied from county LQs": "measured against the national shares implied by the "
                                       "published county LQs (accurate to about the rounding of "
                                       "those LQs)",
            "published (BLS)": "the LQs BLS publishes for this county",
        }.get(method, method)
        notes.append(f"Location quotients: {html.escape(method_text)}. An LQ above 1 means the "
                     "industry's share of local jobs is larger than its share of U.S. jobs.")
        supp = sc[sc["n_counties_suppressed"] > 0] if "n_counties_suppressed" in sc else sc.iloc[:0]
        unassigned = a.get("unassigned_share", {}).get(digits)
        if len(supp):
            names = ", ".join(html.escape(str(t)) for t in supp["industry_title"].head(5))
            more = f" and {len(supp) - 5} more" if len(supp) > 5 else ""
            notes.append(
                f"<strong>Suppressed data.</strong> BLS withholds figures that could reveal a single "
                f"employer. {len(supp)} of the {len(sc)} industries are withheld in at least one "
                f"county ({names}{more}); their job counts are lower bounds, and the <em>why</em> "
                "column says what share of the region's jobs sit in those counties.")
        else:
            notes.append("No industry at this level is withheld (suppressed) in any of the counties.")
        if unassigned is not None and pd.notna(unassigned) and unassigned > 0:
            notes.append(f"At this level, {unassigned:.1%} of the region's {html.escape(own)} jobs "
                         "are in industries withheld everywhere, so they appear in no row.")
        nc = sc[~sc["growth_comparable"]] if "growth_comparable" in sc else sc.iloc[:0]
        if len(nc):
            items = ", ".join(f"{html.escape(str(r['industry_title']))} ({html.escape(r['industry_code'])})"
                              for _, r in nc.head(6).iterrows())
            more = f" and {len(nc) - 6} more" if len(nc) > 6 else ""
            notes.append(
                "<strong>NAICS 2022 break.</strong> Industry codes changed in 2022, so growth from "
                f"{a['start_year']} to {a['end_year']} is not comparable for {items}{more}. Their "
                "growth is unknown (not zero); choose a start year of 2022 or later to compare them.")
        unranked = int(sc["rank"].isna().sum())
        if unranked:
            notes.append(f"{unranked} industries are listed but not ranked: too few of their four "
                         "measures are known.")
        return "<ul style='line-height:1.45;max-width:50rem'>" + "".join(
            f"<li>{n}</li>" for n in notes) + "</ul>"

    def _render_results(self) -> None:
        sc = self.screen
        a = self.measures.attrs
        name = a.get("region_name") or a.get("region")
        own = OWNERSHIP.get(self.ownership.value, "").lower()
        level = self.level.value.split(" ", 1)[1]
        period = f"{a['start_year']}-{a['end_year']}"
        shown = min(self.top, len(sc))
        caption = f"{name}: top {shown} {own} {level} by combined score, {period}"
        table = charts.ranked_table_html(sc, top=self.top, caption=caption)
        fig = charts.bubble_chart(sc, title=f"{name}: concentration vs growth, {period}")
        try:
            alt = charts.bubble_chart_alt_text(sc)
            chart = figure_html(fig, alt, caption=alt)
        finally:
            fig.clear()
            del fig
        body = (
            _h2("4. The sector screen")
            + _p(f"{html.escape(str(name))}, {html.escape(own)} employment, {html.escape(level)}, "
                 f"{period}. Rank 1 has the highest combined score; the <em>why</em> column "
                 "explains each score in words.")
            + self._notes_html()
            # a scrollable box must take keyboard focus (and then needs a name)
            + "<div tabindex='0' role='region' aria-label='Ranked table (scrolls sideways on narrow "
              "screens)' style='overflow-x:auto;max-width:100%'>" + _align_table(table) + "</div>"
            + "<h3 style='font-size:1.1em;margin:1em 0 0.2em'>Concentration against growth</h3>"
            + _p("Top right: concentrated and growing. Top left: concentrated but slowing. "
                 "Bottom right: emerging. Bottom left: neither. Bubble area is jobs.")
            + chart
        )
        self._redraw(body)

    def _bind_rows(self) -> None:
        sc = self.screen
        top = sc.head(self.top).to_dict("records")
        with self.loading():
            for i, row in enumerate(self.rows):
                r = top[i] if i < len(top) else None
                row.show(r, self.choices.get(str(r["industry_code"])) if r else None)
        self.rows_intro.value = _p(
            f"The top {len(top)} industries of the current screen, in rank order. For each, choose "
            "Shortlist, Maybe or Not now and add a note on why. Choices are kept per industry, "
            "so they stay when you change the weights or years.")

    # -- sector choices --------------------------------------------------------
    @guarded("saving your choice", keep="Your choice and note are still on the page; try again.")
    def _save_choice(self, row: SectorRow) -> None:
        decision = DECISIONS.get(row.decision.value)
        note = row.note.value
        if len(note) > NOTE_LIMIT:
            self.failed(f"the note on {row.title} is {len(note):,} characters long; the limit is {NOTE_LIMIT:,}.")
            return
        record = {"decision": decision, "note": note, "title": row.title,
                  "naics_digits": row.digits, "saved_at": now_utc("seconds")}
        self._put(CHOICE_KIND, row.code, record)
        self.choices[row.code] = record
        self._render_summary()

    def shortlist(self) -> dict[str, list[dict]]:
        """Saved choices grouped by decision (``shortlist``, ``maybe``, ``not-now``, ``None``)."""
        groups: dict[Any, list[dict]] = {v: [] for v in DECISIONS.values()}
        for code, rec in sorted(self.choices.items()):
            if rec.get("decision") is None and not rec.get("note"):
                continue
            groups.setdefault(rec.get("decision"), []).append({"industry_code": code, **rec})
        return groups

    def _render_summary(self) -> None:
        groups = self.shortlist()
        parts = [_h2("Your shortlist")]
        if not any(groups.values()):
            parts.append(_p("No sector marked yet. Your choices above are listed here, and they "
                            "stay when the ranking changes."))
        heads = [("shortlist", "Shortlist"), ("maybe", "Maybe"), ("not-now", "Not now"),
                 (None, "Notes without a decision")]
        for key, head in heads:
            items = groups.get(key) or []
            if not items:
                continue
            lis = []
            for rec in items:
                note = rec.get("note") or ""
                note_html = f": {html.escape(note)}" if note else ""
                lis.append(f"<li><strong>{html.escape(str(rec.get('title') or rec['industry_code']))}"
                           f"</strong> (NAICS {html.escape(rec['industry_code'])}){note_html}</li>")
            parts.append(f"<h3 style='font-size:1.05em;margin:0.8em 0 0.2em'>{head} ({len(items)})</h3>"
                         f"<ul style='line-height:1.45;margin:0'>{''.join(lis)}</ul>")
        self.summary.value = "".join(parts)
