"""Module 5: the ``row`` table column, the metrics domain, the workbook, the page, the report section, the notebook.

Expected numbers are worked out by hand from the rows each test saves.
"""

from __future__ import annotations

import base64
import html
import io
import re
from datetime import date, datetime

import pytest
import yaml
from openpyxl import load_workbook

from sectorkit.apps.form import WorksheetApp
from sectorkit.apps.metrics import MetricsTrackerApp
from sectorkit.core.errors import SpecError
from sectorkit.core.paths import REPO_ROOT
from sectorkit.example import ensure_example_workspace
from sectorkit.partnership import metrics as M
from sectorkit.reports.sections import metrics as section
from sectorkit.specs import load_spec, parse_spec
from sectorkit.specs.models import Column
from sectorkit.specs.tables import (
    check_cell,
    display_cell,
    parse_paste,
    read_table,
    resolve_columns,
    row_labels,
    to_csv,
)
from sectorkit.store.workspace import Workspace
from tests.test_notebooks import _errors, _outputs, _run, _widget_states

SPEC = M.METRICS_SPEC
METRIC = Column(id="metric", type="row", of="metrics", label="Metric")
REFS = {"row:metrics": {"a1": "Companies taking part", "b2": "Work experience openings"}}


def tracker(ws: Workspace) -> WorksheetApp:
    return WorksheetApp(load_spec(SPEC), ws)


def words(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


# -- the ``row`` column type ---------------------------------------------------------------------
def _spec_with(column: dict) -> dict:
    return {"id": "d", "version": 1, "title": "D", "sections": [{"id": "s", "title": "S", "questions": [
        {"id": "things", "type": "table", "label": "Things", "columns": [{"id": "name", "type": "text", "label": "N"}]},
        {"id": "notes", "type": "text", "label": "A note"},
        {"id": "links", "type": "table", "label": "Links", "columns": [column]}]}]}


@pytest.mark.parametrize("column", [
    {"id": "thing", "type": "row", "label": "Thing"},                      # no 'of'
    {"id": "thing", "type": "row", "of": "nowhere", "label": "Thing"},     # no such question
    {"id": "thing", "type": "row", "of": "notes", "label": "Thing"},       # not a table
    {"id": "thing", "type": "text", "of": "things", "label": "Thing"},     # 'of' on another type
])
def test_a_row_column_must_name_a_table_of_the_same_spec(column):
    with pytest.raises(SpecError, match="column 'thing' of 'links': 'row' columns \\(only\\) need 'of'"):
        parse_spec(_spec_with(column))
    assert parse_spec(_spec_with({"id": "thing", "type": "row", "of": "things", "label": "Thing"}))


def test_a_row_cell_takes_an_id_or_a_label_and_a_gone_row_shows_deleted():
    assert check_cell(METRIC, "b2", REFS) == ("b2", None)
    assert check_cell(METRIC, "  companies TAKING part ", REFS) == ("a1", None)
    value, problem = check_cell(METRIC, "Jobs filled", REFS)
    assert value is None and problem.startswith("'Metric' names no row of the table it points to: 'Jobs filled'")
    assert check_cell(METRIC, "Jobs filled") == ("Jobs filled", None)  # no refs: kept as given
    assert check_cell(METRIC, "Jobs filled", {"organization": {}}) == ("Jobs filled", None)  # no row refs either
    assert display_cell(METRIC, "a1", REFS) == "Companies taking part"
    assert display_cell(METRIC, "zz9", REFS) == "(deleted)"
    assert display_cell(METRIC, "zz9") == "zz9"
    cols = [Column(id="n", type="number", label="N"), Column(id="name", type="text", label="Name")]
    assert row_labels(cols, [("x", {"name": "  Two   spaces "}), ("y", {"n": 3})]) == {"x": "Two spaces",
                                                                                        "y": "Row 2 (unnamed)"}


def test_paste_and_csv_name_the_row_by_its_label_and_csv_round_trips():
    columns = [METRIC, Column(id="value", type="number", label="Value")]
    found = parse_paste("Metric\tValue\nwork experience openings\t12\nNobody\t3\n", columns, REFS)
    assert found.rows == [{"metric": "b2", "value": 12}]
    assert found.problems == ["row 3: 'Metric' names no row of the table it points to: 'Nobody' (add that row "
                              "there first, or check the spelling)"]
    data = to_csv(columns, [{"metric": "a1", "value": 5}, {"metric": "gone", "value": 1}], REFS)
    assert data.decode("utf-8-sig").splitlines() == ["Metric,Value", "Companies taking part,5", "(deleted),1"]
    back = read_table("values.csv", data, columns, REFS)
    assert back.rows == [{"metric": "a1", "value": 5}]
    assert back.problems[0].startswith("row 3: 'Metric' names no row")  # a deleted row cannot come back by name


def test_the_form_lists_the_metrics_and_follows_renames_deletes_and_undo(ws):
    app = tracker(ws)
    table, values = app.fields["metrics"], app.fields["values"]
    table.add_row()
    table.cell(0, "name").value = "Companies taking part"
    (row_id,) = [r.row_id for r in ws.rows(SPEC, "metrics")]
    values.add_row()
    box = values.cell(0, "metric")
    assert box.options == (("(none)", None), ("Companies taking part", row_id))  # refreshed on the same page
    box.value = row_id
    values.cell(0, "date").value = "3/31/2026"
    values.cell(0, "value").value = "18"
    assert ws.rows(SPEC, "values")[0].value == {"metric": row_id, "date": "2026-03-31", "value": 18, "note": None}
    table.cell(0, "name").value = "Companies engaged"
    assert box.options[1] == ("Companies engaged", row_id) and box.value == row_id
    table._delete(table.views[0])
    assert box.options[-1] == ("(deleted)", row_id) and box.value == row_id  # kept, shown as deleted
    assert ws.rows(SPEC, "values")[0].value["metric"] == row_id  # nothing was saved by the refresh
    table._on_undo()
    assert box.options == (("(none)", None), ("Companies engaged", row_id))
    assert "Something went wrong" not in app.status_text()
    # a paste and a CSV import name the metric by its label
    values.paste_box.value = "companies engaged\t2026-06-30\t21\n"
    values._on_paste()
    values.import_file("more.csv", b"Metric,Date,Value\nCompanies Engaged,9/30/2026,24\n")
    assert [(r.value["metric"], r.value["date"], r.value["value"]) for r in ws.rows(SPEC, "values")] == [
        (row_id, "2026-03-31", 18), (row_id, "2026-06-30", 21), (row_id, "2026-09-30", 24)]
    # a page opened later shows a value whose metric is gone as "(deleted)", without failing
    ws.delete_row(SPEC, "metrics", row_id)
    later = tracker(ws).fields["values"].cell(0, "metric")
    assert later.options[-1] == ("(deleted)", row_id) and later.value == row_id


# -- the domain ---------------------------------------------------------------------------------
def seed(ws: Workspace) -> dict[str, str]:
    """Three metrics (one without a category), values in no particular order, a stray value, three stories."""
    ids = ws.save_rows(SPEC, "metrics", [
        {"name": "Companies taking part", "code": "companies-engaged", "category": "business", "kind": "process",
         "unit": "companies", "target": 40, "shared": True, "source": "Sign-in sheets"},
        {"name": "Completers hired within 90 days", "code": "quick-hires", "category": "people", "kind": "impact",
         "unit": "percent of completers", "target": 80, "shared": False},
        {"name": "=HYPERLINK(\"http://x\")", "kind": "process", "unit": "tours"},
        {"name": None, "code": None, "target": None}])  # an empty row: skipped
    companies, hires, tours, _ = ids
    ws.save_rows(SPEC, "values", [
        {"metric": companies, "date": "2026-09-30", "value": 30, "note": "After the supplier day"},
        {"metric": companies, "date": "2026-03-31", "value": 18},
        {"metric": hires, "date": "2026-06-30", "value": 60},
        {"metric": hires, "date": None, "value": 70},                       # no date: left out, reported
        {"metric": "gone-row", "date": "2026-06-30", "value": 5},           # a deleted metric: reported
        {"metric": companies, "date": "2026-06-30", "value": 24},
        {"metric": None, "date": None, "value": None, "note": None}])       # empty: skipped
    ws.save_rows(SPEC, "stories", [
        {"date": "2026-05-01", "what": "Two teachers toured a plant", "who": "Ana <Lopez>",
         "quote": "Now I know what to tell my students.", "consent": True, "consent-on": "2026-05-03", "shared": True},
        {"date": "2026-07-01", "what": "A shop hired two completers", "who": "Shop",
         "quote": "SECRET QUOTE without consent", "consent": False, "shared": False},
        {"what": "", "who": "", "quote": None, "consent": None}])
    return {"companies": companies, "hires": hires, "tours": tours}


def test_region_metrics_have_sorted_values_latest_progress_and_problems(ws):
    ids = seed(ws)
    companies, hires, tours = M.region_metrics(ws)
    assert (companies.row_id, companies.code, companies.category, companies.kind) == (
        ids["companies"], "companies-engaged", "business", "process")
    assert companies.values == [("2026-03-31", 18.0), ("2026-06-30", 24.0), ("2026-09-30", 30.0)]
    assert M.latest_value(companies) == ("2026-09-30", 30.0)
    assert M.progress_to_target(companies) == 0.75                       # 30 / 40
    assert (companies.target, companies.shared, companies.problems) == (40.0, True, [])
    assert hires.values == [("2026-06-30", 60.0)] and M.progress_to_target(hires) == 0.75  # 60 / 80
    assert hires.problems == ["values row 4 has no date; it is left out"]
    assert (tours.category, tours.target, M.latest_value(tours), M.progress_to_target(tours)) == (
        None, None, None, None)
    assert tours.problems == ["no category"] and tours.category_label == "No category chosen"
    assert M.tracker_problems(ws) == [
        "Completers hired within 90 days: values row 4 has no date; it is left out",
        '=HYPERLINK("http://x"): no category',
        "values row 5 names a metric that was deleted or is not in the metrics table; it is left out"]
    zero = M.Metric("z", "Z", None, "public", "impact", "", "", "", 0.0, False, [("2026-01-01", 3.0)])
    assert M.progress_to_target(zero) is None


def test_region_stories_keep_consent_and_show_a_quote_only_with_it(ws):
    seed(ws)
    first, second = M.region_stories(ws)
    assert (first.date, first.who, first.consent, first.consent_on, first.shared, first.row) == (
        "2026-05-01", "Ana <Lopez>", True, "2026-05-03", True, 1)
    assert first.quote_to_show == "Now I know what to tell my students."
    assert second.quote == "SECRET QUOTE without consent" and second.quote_to_show == "" and not second.consent


def test_the_suggested_list_covers_every_category_and_kind_with_a_few_common(tmp_path):
    found = M.suggested_metrics()
    codes = [m.code for m in found]
    assert len(codes) == len(set(codes)) >= 12
    for category in M.CATEGORIES:
        assert {m.kind for m in found if m.category == category} == {"process", "impact"}
    common = [m for m in found if m.common]
    assert 4 <= len(common) <= 6 and {m.category for m in common} == set(M.CATEGORIES)
    assert found[0].as_row()["code"] == found[0].code and found[0].as_row()["target"] is None
    # the tracker's choices are the list's categories and kinds
    spec = load_spec(SPEC)
    cols = {c.id: c for c in resolve_columns(spec, spec.question("metrics"))}
    assert [o.value for o in cols["category"].options] == list(M.CATEGORIES)
    assert [o.value for o in cols["kind"].options] == list(M.KINDS)
    bad = tmp_path / "_metrics.yaml"
    raw = yaml.safe_load((REPO_ROOT / "data" / "worksheets" / "_metrics.yaml").read_text(encoding="utf-8"))
    raw["metrics"][2]["kind"] = "output"
    bad.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(SpecError, match="metrics.2.kind: Input should be 'process' or 'impact'"):
        M.suggested_metrics(bad)
    raw["metrics"][2]["kind"] = "impact"
    raw["metrics"][1]["code"] = raw["metrics"][0]["code"]
    bad.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(SpecError, match=f"codes must be unique \\({raw['metrics'][0]['code']} used twice\\)"):
        M.suggested_metrics(bad)
    with pytest.raises(SpecError, match="cannot be read"):
        M.suggested_metrics(tmp_path / "missing.yaml")


def test_the_workbook_opens_with_its_sheets_numbers_and_no_unconsented_quote(ws):
    seed(ws)
    book = load_workbook(io.BytesIO(M.metrics_workbook(ws)))
    assert book.sheetnames == ["Summary", "Metrics", "Values", "Stories"]
    summary = list(book["Summary"].iter_rows(values_only=True))
    assert summary[0][:8] == ("Category", "Metric", "Process or impact", "Unit", "Target", "Latest date",
                              "Latest value", "Progress to target")
    assert summary[1] == ("Business and industry", "Companies taking part", "Process", "companies", 40,
                          datetime(2026, 9, 30), 30, 0.75, 3, "Yes")
    assert book["Summary"]["H2"].number_format == "0%"
    assert summary[3][1] == "'=HYPERLINK(\"http://x\")"  # never a live formula
    assert ("Needs attention",) == summary[5][:1] and len([r for r in summary[6:] if r[0]]) == 3
    values = list(book["Values"].iter_rows(values_only=True))
    assert values[1:] == [
        ("Companies taking part", "companies-engaged", datetime(2026, 3, 31), 18, "companies", None),
        ("Companies taking part", "companies-engaged", datetime(2026, 6, 30), 24, "companies", None),
        ("Companies taking part", "companies-engaged", datetime(2026, 9, 30), 30, "companies",
         "After the supplier day"),
        ("Completers hired within 90 days", "quick-hires", datetime(2026, 6, 30), 60, "percent of completers", None)]
    stories = list(book["Stories"].iter_rows(values_only=True))
    assert stories[1][3] == "Now I know what to tell my students." and stories[2][3].startswith("(not included")
    every = " ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row)
    assert "SECRET QUOTE" not in every


# -- the page -------------------------------------------------------------------------------------
def test_the_page_adds_from_the_suggested_list_once_and_redraws_the_dashboard(ws):
    page = MetricsTrackerApp(ws)
    assert "No metric chosen in business and industry yet." in page.dashboard.value
    page.add_suggested()
    assert page.status_text() == "Nothing added: tick at least one suggested metric first."
    page.category.value = "people"
    assert page.groups["business"].layout.display == "none" and page.groups["people"].layout.display == "flex"
    page.choices["work-experience"].value = True
    page.choices["quick-hires"].value = True
    page.add_suggested()
    rows = [r.value for r in ws.rows(SPEC, "metrics")]
    wanted = {m.code: m for m in M.suggested_metrics()}
    assert [r["code"] for r in rows] == ["work-experience", "quick-hires"]
    for r in rows:
        m = wanted[r["code"]]
        assert (r["name"], r["category"], r["kind"], r["definition"], r["unit"]) == (
            m.name, m.category, m.kind, m.definition, m.unit)
    assert page.status_text().startswith("Saved at") and "2 metrics added" in page.status_text()
    assert page.choices["work-experience"].disabled and not page.choices["work-experience"].value
    assert "already in the table" in page.choices["quick-hires"].description
    page.add_suggested(["work-experience", "companies-engaged"])
    assert [r.value["code"] for r in ws.rows(SPEC, "metrics")] == ["work-experience", "quick-hires",
                                                                    "companies-engaged"]
    assert "Already in the table: Work experience openings." in page.status_text()
    # the values table can name the new metrics at once, and the dashboard follows each save
    values = page.form.fields["values"]
    values.add_row()
    options = dict(values.cell(0, "metric").options)
    assert list(options)[1:] == ["Work experience openings", "Completers hired within 90 days",
                                 "Companies taking part"]
    page.form.fields["metrics"].cell(0, "target").value = "60"
    values.cell(0, "metric").value = options["Work experience openings"]
    values.cell(0, "date").value = "2026-03-31"
    values.cell(0, "value").value = "45"
    alts = re.findall(r'alt="([^"]*)"', page.dashboard.value)
    assert alts == ["Chart of Jobseekers and students, one panel per metric. Work experience openings (openings, "
                    "process): 1 value; latest 45 on 2026-03-31; target 60 (75% of target)."]
    table = words(page.dashboard.value)
    assert "Work experience openings Process openings 45 2026-03-31 60 75% 1 No" in table
    assert "Completers hired within 90 days Impact percent of completers no value yet" in table


def test_the_page_prepares_an_excel_download(ws):
    seed(ws)
    page = MetricsTrackerApp(ws)
    page.prepare_download()
    link = re.search(r"<a download='riverbend-metrics.xlsx' href='data:application/vnd.openxmlformats-officedocument"
                     r"\.spreadsheetml\.sheet;base64,([^']+)'", page.download.value)
    book = load_workbook(io.BytesIO(base64.b64decode(link.group(1))))
    assert book.sheetnames == ["Summary", "Metrics", "Values", "Stories"]
    assert "SECRET QUOTE" not in page.stories.value and "Now I know what to tell my students." in page.stories.value
    assert "values row 5 names a metric that was deleted" in page.problems.value


# -- the report section and the example region ---------------------------------------------------
def test_the_report_section_shows_metrics_charts_and_only_consented_quotes(home, monkeypatch):
    with Workspace.open("riverbend", home) as ws:
        seed(ws)
        assert section.status(ws) == ("Success metrics and stories", True,
                                      "2 of 3 metric(s) with values, in 2 of 3 categories; 2 stories")
    shown: list[str] = []
    monkeypatch.setattr(section, "show", shown.append)
    section.metrics("riverbend", str(home))
    page = shown[0]
    assert '<h2 id="metrics-h">Measuring success</h2>' in page
    assert len(re.findall(r'<img [^>]*alt="Chart of ', page)) == 2  # business and jobseekers have values
    text = words(page)
    assert "Companies taking part Process companies 30 2026-09-30 40 75% 3 Yes" in text
    assert "No values recorded for these metrics yet." in text  # the metric without a category
    assert "Ana <Lopez>" in text and "Now I know what to tell my students." in text
    assert "SECRET QUOTE" not in page and "1 quote was left out for that reason" in text
    assert "=HYPERLINK" in text and "<script" not in page


def test_the_report_section_says_not_done_for_an_empty_tracker(home, monkeypatch):
    Workspace.open("blank", home).close()
    shown: list[str] = []
    monkeypatch.setattr(section, "show", shown.append)
    section.metrics("blank", str(home))
    assert "Not done yet:</strong> no metric or story is recorded in the metrics tracker yet." in shown[0]
    with Workspace.open("blank", home) as ws:
        assert section.status(ws) == ("Success metrics and stories", False, "no metric or story recorded yet")


def test_the_example_region_tracks_metrics_in_every_category_with_a_quote_held_back(tmp_path):
    ws = ensure_example_workspace(tmp_path)
    found = M.region_metrics(ws)
    assert M.tracker_problems(ws) == []  # every illustrative value found its metric by name
    assert {m.category for m in found} == set(M.CATEGORIES) and len(found) >= 5
    assert all(len(m.values) >= 3 for m in found)
    assert all(date.fromisoformat(m.values[-1][0]) > date.fromisoformat(m.values[0][0]) for m in found)
    stories = M.region_stories(ws)
    assert len(stories) == 2 and [s.consent for s in stories] == [True, False]


# -- the notebook ---------------------------------------------------------------------------------
def test_module_notebook_runs_with_the_page_and_the_facilitator_notes(tmp_path, monkeypatch):
    with Workspace.open("riverbend-team", tmp_path / "home") as ws:
        seed(ws)
    nb = _run(REPO_ROOT / "modules" / "10_success_metrics.ipynb", tmp_path, monkeypatch, region="riverbend-team")
    assert _errors(nb) == []
    md = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Based on the Next Gen Sector Partnership training toolkit" in md
    assert md.count("<summary>Facilitator's answer") == 3
    assert "47 / 60 = **0.78**" in md  # Exercise 5.2, worked by hand
    out = "\n".join(_outputs(nb, "text/html"))
    assert "Facilitator notes" in out and "Questions people ask" in out and "topic=success-metrics" in out
    assert len(_outputs(nb, "application/vnd.jupyter.widget-view+json")) == 1
    states = " ".join(str(m["state"].get("value", "")) for m in _widget_states(nb))
    assert "Chart of Business and industry, one panel per metric. Companies taking part (companies, process): " \
           "3 values from 2026-03-31 to 2026-09-30" in html.unescape(states)
    shown = " ".join(str(m["state"].get("value", "")) for m in _widget_states(nb) if m["model_name"] == "HTMLModel")
    assert "A quote was recorded but is not shown" in shown and "SECRET QUOTE" not in shown  # only its input box has it


@pytest.mark.parametrize("values, target, unit", [
    ([("2025-03-31", 4500.0), ("2026-09-30", 34200.0)], 40000.0, "dollars"),
    ([("2025-03-31", 1200000.0), ("2026-09-30", 2250000.0)], 2500000.0, "dollars per year invested by employers"),
    ([("2025-03-31", -125000.0), ("2026-09-30", 15.0)], 0.0, "positions"),
    ([("2025-03-31", 0.42), ("2026-09-30", 0.615)], 0.8, "fraction"),
], ids=["thousands", "millions-long-unit", "negative", "fractions"])
def test_dashboard_chart_holds_every_label_without_cropping(values, target, unit):
    """The category chart is laid out from its text and saved uncropped: no label may fall outside it."""
    from sectorkit.partnership.metrics import Metric
    from sectorkit.views.metrics import category_figure

    long_name = "Dollars of employer investment in training programs across the region per year"
    members = Metric("b", "Members", "y", "business", "process", "", "companies", "", None, True,
                     [("2025-03-31", 12.0), ("2026-09-30", 31.0)])
    wide = Metric("a", long_name, "x", "business", "impact", "", unit, "", target, True, values)
    shown = [members, wide, wide]  # the wide labels in both columns: the right edge and the gap
    fig = category_figure("Business and industry", shown)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_window_extent"))
             if t.get_visible() and t.get_text()]
    assert len(texts) > 10
    for t in texts:
        e = t.get_window_extent(renderer)
        assert box.x0 - 1 <= e.x0 and e.x1 <= box.x1 + 1 and box.y0 - 1 <= e.y0 and e.y1 <= box.y1 + 1, t.get_text()
