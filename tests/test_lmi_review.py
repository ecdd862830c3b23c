"""The LMI Review worksheet without a browser: screen, re-ranking, saved choices and settings,
bad uploads shown in the page, escaping; and the Step 2 module's "Reading the sector screen"."""

from __future__ import annotations

from datetime import datetime, timezone

import nbformat
import papermill as pm
import pytest

from sectorkit.apps.lmi_review import CHOICE_KIND, SETTINGS_KIND, LMIReviewApp
from sectorkit.core.paths import REPO_ROOT
from sectorkit.lmi import measures as lmi
from sectorkit.lmi import qcew, screen
from sectorkit.store.workspace import Workspace
from tests.support import QCEW

EXAMPLE = qcew.example_region_path()


@pytest.fixture(scope="module")
def example():
    data = qcew.read_area_files(EXAMPLE)
    return data, lmi.Region.from_crosswalk(EXAMPLE / "crosswalk.csv", "RIVERBEND4")


@pytest.fixture
def ws(tmp_path):
    with Workspace.open("riverbend-team", tmp_path / "home") as w:
        yield w


def expected_codes(example, start=2020, end=2023, digits=2, weights=None, top=12):
    data, region = example
    s = screen.build_sector_screen(data, region, start, end, digits=digits, weights=weights)
    return s["industry_code"].head(top).tolist()


def shown_codes(app):
    return [r.code for r in app.rows if r.code is not None]


def row_for(app, code):
    return next(r for r in app.rows if r.code == code)


def test_example_screen_table_and_chart(ws, example):
    app = LMIReviewApp(ws)
    assert app.problem is None
    assert app.settings()["source"] == "example"
    assert (app.start.value, app.end.value, app.ownership.value) == (2020, 2023, 5)
    assert list(app.end.options) == [2021, 2022, 2023]
    assert shown_codes(app) == expected_codes(example)
    out = app.results_html
    assert "<table" in out and "sectorkit-ranked" in out
    assert '<img src="data:image/svg+xml;base64,' in out and 'alt="Bubble chart of' in out
    assert "Location quotients" in out
    assert app.results.outputs[0]["data"]["text/html"] == out
    assert app.status_text() == "Choices save as you make them."


def test_years_level_and_weights_rerank(ws, example):
    app = LMIReviewApp(ws)
    default = expected_codes(example)
    heavy = {"size": 0.0, "wages": 5.0, "growth": 1.0, "concentration": 0.0}
    reweighted = expected_codes(example, weights=heavy)
    assert reweighted != default  # the case is a real re-ranking
    for k, v in heavy.items():
        app.weights[k].value = v
    assert shown_codes(app) == reweighted

    app.level.value = "3-digit subsectors"
    three = expected_codes(example, digits=3, weights=heavy)
    assert shown_codes(app) == three and three != reweighted
    assert "NAICS 2022 break" in app.results_html  # 2020-2023 crosses it at 3 digits

    app.start.value = 2022
    later = expected_codes(example, start=2022, digits=3, weights=heavy)
    assert shown_codes(app) == later and later != three
    assert "NAICS 2022 break" not in app.results_html

    app.end.value = 2022  # start 2022, end 2022: explained, not raised
    assert "must be before the end year" in app.results_html
    assert shown_codes(app) == []


def test_choices_saved_restored_and_kept_across_reranking(ws, example):
    app = LMIReviewApp(ws)
    first, fourth = app.rows[0], app.rows[3]
    first.decision.value = "Shortlist"
    first.note.value = "Employers asked us first"
    fourth.decision.value = "Not now"
    saved = ws.records(CHOICE_KIND)
    assert saved[first.code]["decision"] == "shortlist"
    assert saved[first.code]["note"] == "Employers asked us first"
    assert saved[first.code]["title"] == first.title and saved[first.code]["naics_digits"] == 2
    assert saved[fourth.code]["decision"] == "not-now" and "saved_at" in saved[fourth.code]
    assert app.status_text().startswith("Saved at")
    code1, code4 = first.code, fourth.code

    # re-rank: the choices follow the industry, not the row
    app.weights["size"].value = 0.0
    app.weights["growth"].value = 5.0
    assert shown_codes(app) != expected_codes(example)
    assert row_for(app, code1).decision.value == "Shortlist"
    assert row_for(app, code1).note.value == "Employers asked us first"
    if code4 in shown_codes(app):
        assert row_for(app, code4).decision.value == "Not now"
    assert "Shortlist (1)" in app.summary.value and "Not now (1)" in app.summary.value

    # a new app on the same workspace (a reload) shows them again, with the same settings
    again = LMIReviewApp(ws)
    assert again.settings() == app.settings()
    assert shown_codes(again) == shown_codes(app)
    assert row_for(again, code1).decision.value == "Shortlist"
    assert row_for(again, code1).note.value == "Employers asked us first"
    assert again.status_text().startswith("Saved at")
    assert "Employers asked us first" in again.summary.value

    # clearing a decision keeps the note; an empty record drops out of the summary
    row_for(again, code1).decision.value = "No decision"
    row_for(again, code1).note.value = ""
    assert ws.records(CHOICE_KIND)[code1]["decision"] is None
    assert "Shortlist (" not in again.summary.value


def test_settings_saved_and_restored(ws, example):
    app = LMIReviewApp(ws)
    app.level.value = "3-digit subsectors"
    app.start.value = 2021
    app.weights["wages"].value = 3.5
    saved = ws.records(SETTINGS_KIND)["current"]
    assert saved["naics_digits"] == 3 and saved["start_year"] == 2021
    assert saved["weights"]["wages"] == 3.5
    again = LMIReviewApp(ws)
    assert again.level.value == "3-digit subsectors" and again.start.value == 2021
    assert again.weights["wages"].value == 3.5
    assert shown_codes(again) == expected_codes(
        example, start=2021, digits=3, weights={**screen.DEFAULT_WEIGHTS, "wages": 3.5})


def test_ownership_choices_come_from_the_data(ws):
    app = LMIReviewApp(ws)
    codes = [v for _, v in app.ownership.options]
    assert codes[0] == 5 and set(codes) == {5, 1, 2, 3}  # no own_code 0 industry rows in the example
    app.ownership.value = 3
    assert app.screen is not None and (app.measures["own_code"] == 3).all()
    assert "local government" in app.results_html


def upload(app, *files):
    """Upload ``(name, bytes)`` pairs through the page's FileUpload, as a browser would."""
    now = datetime.now(timezone.utc)
    app.upload.value = tuple({"name": n, "type": "", "size": len(d), "content": memoryview(d), "last_modified": now}
                             for n, d in files)


def test_bad_upload_and_bad_counties_are_shown_not_raised(ws):
    app = LMIReviewApp(ws)
    app.source.value = "Files uploaded for this region"
    assert app.folder_box.layout.display is None and app.upload_box.layout.display is None
    app.counties.value = "39049"
    assert app.use_files() is False and "No BLS files are uploaded" in app.problem

    upload(app, ("2023.annual.39049 <script>.csv", b"x"))  # a name with markup is refused, and escaped
    assert "<script>" not in app.message.value and "&lt;script&gt;" in app.message.value
    assert "role='alert'" in app.message.value and app.status_text().startswith("Not stored")

    upload(app, ("2023.annual.39049.csv", b'"area_fips","own_code"\n"39049",<script>\n'))
    assert "2023.annual.39049.csv" in app.problem and "<script>" not in app.message.value
    assert list(app.region_folder.glob("*")) == []  # refused: nothing stored
    assert shown_codes(app) == [] and app.screen is None

    app.counties.value = "Franklin"
    assert app.use_files() is False and "not a county FIPS code" in app.problem
    # a failed load saves nothing; choosing the example again works
    assert "current" not in ws.records(SETTINGS_KIND)
    app.source.value = "Illustrative example region"
    assert app.problem is None and app.screen is not None


def test_uploaded_real_files_with_a_crosswalk(ws):
    folder = QCEW / "ohio_morpc_county_annual"
    assert folder.is_dir(), f"shared QCEW data missing at {QCEW} (set SECTORKIT_SHARED)"
    app = LMIReviewApp(ws)
    app.source.value = "Files uploaded for this region"
    crosswalk = QCEW / "crosswalk" / "central_ohio_12_county_region.csv"
    upload(app, *[(f.name, f.read_bytes()) for f in sorted(folder.glob("*.csv.gz"))],
           (crosswalk.name, crosswalk.read_bytes()))
    assert app.problem is None, app.problem
    assert sorted(p.name for p in app.region_folder.iterdir()) == sorted(
        [f.name[:-3] for f in folder.glob("*.csv.gz")] + ["crosswalk.csv"])
    app.counties.value = "CENTRAL_OH12"
    assert app.use_files(), app.problem
    assert app.measures.attrs["lq_method"] == "implied from county LQs"
    assert len(app.region.counties) == 12 and app.end.value == 2023
    app.level.value = "3-digit subsectors"
    assert "Suppressed data." in app.results_html and "NAICS 2022 break" in app.results_html
    again = LMIReviewApp(ws)  # the uploads source and its settings come back
    assert again.settings()["source"] == "uploads" and again.problem is None
    assert shown_codes(again) == shown_codes(app)
    assert "folder" not in ws.records(SETTINGS_KIND)["current"]


def test_hostile_note_is_escaped_and_long_note_refused(ws):
    app = LMIReviewApp(ws)
    row = app.rows[1]
    row.decision.value = "Maybe"
    row.note.value = "<script>alert('x')</script> & <b>bold</b>"
    assert "<script>" not in app.summary.value and "<b>bold" not in app.summary.value
    assert "&lt;script&gt;" in app.summary.value
    assert ws.records(CHOICE_KIND)[row.code]["note"] == "<script>alert('x')</script> & <b>bold</b>"
    row.note.value = "x" * 2001
    assert app.status_text().startswith("Not saved:")
    assert ws.records(CHOICE_KIND)[row.code]["note"].startswith("<script>")


def test_for_region_opens_the_workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("SECTORKIT_HOME", str(tmp_path / "home"))
    app = LMIReviewApp.for_region("example")
    assert app.workspace.illustrative and "Illustrative example region." in app.header.value
    other = LMIReviewApp.for_region("lakeside")
    assert other.workspace.region == "lakeside" and not other.workspace.illustrative
    assert (tmp_path / "home" / "lakeside" / "workspace.sqlite").is_file()


def test_step2_module_reads_the_screen(tmp_path, monkeypatch):
    monkeypatch.setenv("SECTORKIT_HOME", str(tmp_path / "home"))
    src = REPO_ROOT / "modules" / "02_define_scope.ipynb"
    nb = nbformat.read(src, as_version=4)
    md = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert any(s.startswith("## Reading the sector screen") and "LQ" in s for s in md)
    assert any("LMI Review" in s for s in md)
    out = tmp_path / src.name
    pm.execute_notebook(str(src), str(out), parameters={"region": "riverbend-team"},
                        cwd=str(src.parent), progress_bar=False, kernel_name="python3",
                        log_output=False)
    ran = nbformat.read(out, as_version=4)
    cell = next(c for c in ran.cells if c.source.strip() == "lessons.show_screen_reasons(region)")
    html_out = "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)
    assert "The top 3 sectors and why" in html_out
    assert "Strong and growing</strong>:" in html_out
    assert "NAICS 2022 break:</strong> growth is not comparable" in html_out
    assert "Suppressed data:</strong>" in html_out
    assert not [o for c in ran.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


def test_module_cells_show_each_view_once(tmp_path, monkeypatch):
    """show_* calls display and return nothing, so no DataFrame is echoed after the view."""
    from IPython.display import display  # noqa: F401  (display works outside a kernel too)

    from sectorkit import lessons

    assert lessons.show_screen_reasons("example") is None
    assert lessons.show_example_region("example") is None
