"""The metrics tracker page (Module 5): the ``metrics-tracker`` form, the suggested list, a dashboard, Excel.

The page embeds the spec form (metrics, their dated values, stories) and adds:

* **Add from the suggested list**: the suggested metrics (:func:`~sectorkit.partnership.metrics.suggested_metrics`)
  as checkboxes grouped by category, with a category filter; "Add the ticked metrics" adds one
  metrics row per ticked metric with its code, name, category, kind, definition and unit filled in.
  A metric already in the table (same code, or same name) is never added twice;
* the **dashboard**: per category, a chart of each metric's values against its target with its
  text alternative, and a table (:mod:`sectorkit.views.metrics`), redrawn after every save (a
  category is redrawn only when its metrics changed), and what is incomplete;
* an **Excel download** (:func:`~sectorkit.partnership.metrics.metrics_workbook`) as a ``data:`` link.

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> page = MetricsTrackerApp(Workspace.open("demo-region", root=tempfile.mkdtemp()))
>>> page.choices["companies-engaged"].value = True
>>> page.add_suggested()
>>> [r.value["name"] for r in page.workspace.rows("metrics-tracker", "metrics")]
['Companies taking part']
>>> page.add_suggested(["companies-engaged"])
>>> page.status_text()
'Already in the table, not added again: Companies taking part.'
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import ipywidgets as W

from sectorkit.apps.base import guarded
from sectorkit.apps.spec_page import SpecFormPage
from sectorkit.partnership.metrics import (
    CATEGORIES,
    METRICS,
    METRICS_SPEC,
    VALUES,
    Metric,
    SuggestedMetric,
    metrics_workbook,
    region_metrics,
    region_stories,
    suggested_metrics,
    tracker_problems,
)
from sectorkit.store.workspace import Workspace
from sectorkit.views.html import esc, h2, para
from sectorkit.views.metrics import by_category, category_html, problems_html, stories_html

__all__ = ["MetricsTrackerApp"]

ALL = "all"
#: the dashboard's tables on the page (the report has its own style sheet)
TABLE_CSS = ("<style>.sk-page .sk-table{border-collapse:collapse;margin:0.4em 0 1em}"
             ".sk-page .sk-table th,.sk-page .sk-table td{padding:0.25em 0.7em;text-align:left;vertical-align:top;"
             "border-bottom:1px solid #ccc}.sk-page .sk-table caption{text-align:left;font-weight:600}</style>")
XLSX = "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,"


def _signature(metrics: Sequence[Metric]) -> tuple:
    """What a category's chart and table show: redraw only when this changes."""
    return tuple((m.name, m.kind, m.unit, m.target, m.shared, tuple(m.values)) for m in metrics)


class MetricsTrackerApp(SpecFormPage):
    """Metrics, values and stories with the suggested list, the dashboard and the Excel download.

    Parameters
    ----------
    workspace : Workspace
        The region's workspace.
    header : bool
        Show the title, region and intro.
    """

    spec_id = METRICS_SPEC

    def __init__(self, workspace: Workspace, *, header: bool = True):
        self._drawn: dict[str, tuple[tuple, str]] = {}
        super().__init__(workspace, header=header)
        self.refresh()

    # -- widgets ------------------------------------------------------------------------------
    def build(self) -> list[W.Widget]:
        sh = self.styles
        self.suggested = suggested_metrics()
        self.category = W.Dropdown(options=[("All categories", ALL)] + [(v, k) for k, v in CATEGORIES.items()],
                                   value=ALL, description="Show suggested metrics for", style=sh.natural,
                                   layout=sh.layout(width="30rem", max_width="100%", margin="0.3em 0"))
        self.category.observe(self.guarded(self._show_category, "showing the suggested metrics"), names="value")
        self.choices: dict[str, W.Checkbox] = {}
        self.groups: dict[str, W.VBox] = {}
        for value, label in CATEGORIES.items():
            boxes = []
            for m in (s for s in self.suggested if s.category == value):
                box = W.Checkbox(value=False, description=self._choice_label(m, False), indent=False,
                                 layout=sh.auto, style=sh.check)
                self.choices[m.code] = box
                boxes.append(box)
            self.groups[value] = W.VBox([self.html_widget(f"<h3 style='font-size:1.05em;margin:0.6em 0 0.1em'>"
                                                          f"{esc(label)}</h3>"), *boxes], layout=sh.block)
        self.add_button = W.Button(description="Add the ticked metrics", style=sh.button,
                                   tooltip="Add a row to the metrics table for each ticked metric",
                                   layout=sh.layout(width="16rem", margin="0.4em 0"))
        self.add_button.on_click(lambda _b: self.add_suggested())
        self.embed_form(lambda _form: self.refresh())
        self.dashboard = self.html_widget()
        self.stories = self.html_widget()
        self.problems = self.html_widget()
        self.download_button = W.Button(description="Prepare the Excel download", style=sh.button,
                                        tooltip="Make a download link for the metrics, values and stories",
                                        layout=sh.layout(width="16rem", margin="0.4em 0"))
        self.download_button.on_click(lambda _b: self.prepare_download())
        self.download = self.html_widget()
        intro = self.html_widget(
            h2("Add from the suggested list")
            + para("Tick the metrics that fit your partnership, then add them; change their wording, choose a "
                   "source and a target in the table below. Metrics marked \u201ccommon\u201d are ones a state "
                   "may ask every partnership to report. A metric already in the table is not added twice."))
        return [intro, self.category, *self.groups.values(), self.add_button, self.status, self.form.container,
                self.html_widget(h2("Dashboard")), self.dashboard, self.problems,
                self.html_widget("<h3 style='font-size:1.05em'>Stories</h3>"), self.stories,
                W.HBox([self.download_button], layout=sh.layout(flex_flow="row wrap")), self.download]

    @staticmethod
    def _choice_label(m: SuggestedMetric, added: bool) -> str:
        tail = " (common)" if m.common else ""
        return f"{m.name}: {m.kind}, {m.unit}{tail}" + (" \u2014 already in the table" if added else "")

    def _show_category(self, change=None) -> None:
        for value, group in self.groups.items():
            group.layout = self.styles.layout(display="flex" if self.category.value in (ALL, value) else "none")

    # -- reading --------------------------------------------------------------------------------
    def _rows(self, question: str) -> list[dict]:
        return [r.value for r in self.workspace.rows(self.form.key, question)]

    def _present(self) -> tuple[set[str], set[str]]:
        rows = self._rows(METRICS)
        codes = {str(r.get("code")).strip() for r in rows if r.get("code")}
        names = {" ".join(str(r.get("name") or "").split()).casefold() for r in rows} - {""}
        return codes, names

    # -- actions --------------------------------------------------------------------------------
    @guarded("redrawing the dashboard", keep="Your answers are saved.", lead="")
    def refresh(self) -> None:
        """Redraw the dashboard, stories and problems from what is saved; mark suggested metrics already added."""
        metrics = region_metrics(self.workspace)
        parts = []
        for label, group in by_category(metrics):
            key = _signature(group)
            if self._drawn.get(label, (None,))[0] != key:
                self._drawn[label] = (key, category_html(label, group))
            parts.append(self._drawn[label][1])
        self.dashboard.value = TABLE_CSS + "".join(parts)
        self.stories.value = stories_html(region_stories(self.workspace))
        self.problems.value = problems_html(tracker_problems(self.workspace))
        codes, names = self._present()
        for m in self.suggested:
            added = m.code in codes or m.name.casefold() in names
            box = self.choices[m.code]
            if box.disabled != added:
                box.description, box.disabled = self._choice_label(m, added), added
                if added:
                    box.value = False

    @guarded("adding metrics from the suggested list", keep="Nothing was added; the metrics table is as it was.",
             lead="Nothing added")
    def add_suggested(self, codes: Sequence[str] | None = None) -> None:
        """Add a metrics row for each ticked suggested metric (or each code in ``codes``), all in one save."""
        wanted = list(codes) if codes is not None else [c for c, box in self.choices.items() if box.value]
        known = {m.code: m for m in self.suggested}
        unknown = [c for c in wanted if c not in known]
        if unknown:
            self.failed(f"no suggested metric has the code {', '.join(unknown)}.", lead="Nothing added")
            return
        if not wanted:
            self.failed("tick at least one suggested metric first.", lead="Nothing added")
            return
        table = self.form.fields[METRICS]
        if any(view.problems for view in table.views):
            self.failed("a cell of the metrics table has a problem that is not saved yet; fix it first, so it is "
                        "not lost.", lead="Nothing added")
            return
        codes_in, names_in = self._present()
        new, skipped = [], []
        for code in wanted:
            m = known[code]
            if code in codes_in or m.name.casefold() in names_in:
                skipped.append(m.name)
            else:
                new.append(m.as_row())
                codes_in.add(code)
        if not new:
            self.say(f"Already in the table, not added again: {', '.join(skipped)}.")
            return
        room = table.question.max_rows - len(table.views)
        if len(new) > room:
            self.failed(f"the metrics table holds at most {table.question.max_rows} rows; {len(new)} more would not "
                        "fit.", lead="Nothing added")
            return
        self.workspace.save_rows(self.form.key, METRICS, new, spec_version=self.spec.version)
        with self.loading():
            table.bind(self.workspace, self.form.key, self.form._field_reported)
            self.form.fields[VALUES].refresh_refs(METRICS)
            for box in self.choices.values():
                box.value = False
        self.form._render_progress()
        self.refresh()
        added = ", ".join(r["name"] for r in new)
        more = f" Already in the table: {', '.join(skipped)}." if skipped else ""
        self.saved(f"{len(new)} metric{'s' if len(new) != 1 else ''} added ({added}); set a source and a target "
                   f"for each.{more}")

    @guarded("preparing the Excel download", keep="Your answers are saved.", lead="")
    def prepare_download(self) -> None:
        """Make the Excel workbook of the tracker and show it as a download link."""
        data = metrics_workbook(self.workspace)
        name = f"{self.workspace.region}-metrics.xlsx"
        self.download.value = (f"<p style='margin:0.3em 0'><a download='{esc(name)}' href='{XLSX}"
                               f"{base64.b64encode(data).decode()}'>Download the metrics workbook ({esc(name)}, "
                               f"{max(1, len(data) // 1024):,} KB)</a>: Summary, Metrics, Values and Stories.</p>")
        self.say("The Excel workbook is ready: use the download link under the dashboard.")
