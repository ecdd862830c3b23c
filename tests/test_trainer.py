"""The trainer view: every region's progress, its report, all workspaces as one zip; in a browser too."""

from __future__ import annotations

import base64
import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sectorkit.apps.progress import region_progress
from sectorkit.apps.registry import GENERIC_NOTEBOOK
from sectorkit.serve.pages import sheet_page
from sectorkit.serve.trainer import TrainerView, region_rows
from sectorkit.specs import load_spec
from sectorkit.store.workspace import Workspace
from sectorkit.views.trainer import module_cell
from sectorkit.workspaces.archive import restore_workspace
from tests.support.browser import axe_violations
from tests.support.seed import fill_report_workspace

HOSTILE = "<script>alert('x')</script> & \"Co\""
WAIT_MS = 90_000


def _data_of(markup: str, text: str) -> bytes:
    """The bytes behind the data link whose text is ``text``."""
    for href, inner in re.findall(r"href='data:[^;]+(?:;charset=[^;]+)?;base64,([^']+)'[^>]*>([^<]*)</a>", markup):
        if html.unescape(inner) == text:
            return base64.b64decode(href)
    raise AssertionError(f"no link {text!r} in {markup[:300]}")


def _rows_of(markup: str) -> dict[str, str]:
    """Row header text -> the row's HTML, from the matrix."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", markup, flags=re.S):
        head = re.search(r"<th scope='row'[^>]*>(.*?)<br>", row)
        if head:
            rows[html.unescape(head.group(1))] = row
    return rows


def _seed(home: Path) -> None:
    with Workspace.open("riverbend", home, name="Riverbend Valley") as ws:
        step2 = load_spec("step2-aar")
        first = step2.options_for(step2.question("data-and-knowledge"))[0].value
        ws.save_answers("step2-aar", {"data-and-knowledge": first, "footprint-description": "Three counties"})
        step1 = load_spec("step1-aar")
        ws.save_answers("step1-aar", {q.id: "Done" for q in step1.questions() if q.type in ("text", "long_text")})
    Workspace.open("quiet", home, name=HOSTILE).close()


def test_matrix_shows_each_regions_states_after_answers_are_saved(home):
    _seed(home)
    view = TrainerView(home)
    rows = _rows_of(view.matrix.value)
    assert set(rows) == {"Riverbend Valley", HOSTILE}
    assert "<script>" not in view.matrix.value and "&lt;script&gt;" in view.matrix.value
    assert "nothing saved yet" in rows[HOSTILE] and "Started" not in rows[HOSTILE]

    with Workspace.open("riverbend", home, create=False) as ws:
        progress = {m.module.id: m for m in region_progress(ws)}
    step2 = progress["step-2"]
    state, word, detail = module_cell(step2)
    assert (state, word) == ("started", "Started") and f"review 2/{step2.review.questions}" in detail
    assert html.escape(detail) in rows["Riverbend Valley"]
    assert module_cell(progress["step-3"])[0] == "not started"
    # the step 1 review has every text question answered: its count is shown too
    assert f"review {progress['step-1'].review.answered}/" in rows["Riverbend Valley"]

    with Workspace.open("quiet", home, create=False) as ws:
        ws.save_answer("step3-aar", "expected", "A launch in March")
    view.refresh_clicked()
    assert "Read 2 regions again" in view.status_text()
    quiet = _rows_of(view.matrix.value)[HOSTILE]
    assert "Started" in quiet and "nothing saved yet" not in quiet
    assert "sheet.ipynb?region=quiet" in quiet and "sheet.ipynb?region=riverbend" in rows["Riverbend Valley"]


def test_matrix_columns_are_the_modules_with_pages(home):
    _seed(home)
    columns, rows = region_rows(home)
    ids = [c for c, _ in columns]
    assert [c for c in ids if c.startswith("step-")] == [f"step-{n}" for n in range(1, 7)]
    assert ids[0] == "introduction" and ids.index("step-6") < ids.index("success-metrics") < ids.index("state-roles")
    assert all(len(r.modules) == len(columns) for r in rows)
    markup = TrainerView(home).matrix.value
    assert markup.count("<th scope='col'") == len(columns) + 3 and "<caption" in markup


def test_an_unreadable_workspace_gets_a_row_saying_so(home):
    _seed(home)
    (home / "broken").mkdir()
    (home / "broken" / "workspace.sqlite").write_bytes(b"this is not a database" * 100)
    view = TrainerView(home)
    assert "could not be read" in _rows_of(view.matrix.value)["broken"]
    assert "broken" not in [v for _, v in view.region_pick.options]


def test_no_regions_says_so(home):
    view = TrainerView(home)
    assert "There is no workspace on this server yet" in view.matrix.value
    assert view.report_button.disabled and view.zip_button.disabled


def test_report_button_makes_a_data_link_named_for_the_region(home):
    with Workspace.open("full", home, name="Full & <Region>") as ws:
        fill_report_workspace(ws)
    view = TrainerView(home)
    view.region_pick.value = "full"
    view.make_report()
    assert "is ready" in view.status_text() and not view.status_is_error
    text = "Report for Full & <Region> (HTML)"
    assert html.escape(text) in view.reports.value and "download='full-report-" in view.reports.value
    report = _data_of(view.reports.value, text).decode("utf-8")
    assert "Full &amp; &lt;Region&gt;" in report and "<script>alert" not in report


def test_a_report_that_fails_is_a_message(home):
    _seed(home)
    view = TrainerView(home)
    view.make_report("no-such-region")
    assert view.status_is_error and "report could not be made" in view.status_text().lower()
    assert view.reports.value == "" and not view.report_button.disabled


def test_zip_link_holds_every_workspace(home, tmp_path):
    _seed(home)
    view = TrainerView(home)
    view.make_zip()
    data = _data_of(view.zip_link.value, "Download all workspaces (zip)")
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist() == ["quiet.json", "riverbend.json"]
    assert restore_workspace(archive.read("quiet.json"), "quiet.json", tmp_path).name == HOSTILE
    assert "2 regions" in view.zip_link.value and "ready" in view.status_text()


def test_the_generic_page_shows_the_trainer_view(home):
    _seed(home)
    widget = sheet_page("trainer", region="example", root=home)
    texts = [getattr(w, "value", "") for w in widget.children if isinstance(getattr(w, "value", None), str)]
    assert any("Trainer view" in t for t in texts) and any("Riverbend Valley" in t for t in texts)


# -- in a browser -----------------------------------------------------------------------------------

@pytest.mark.browser
def test_trainer_view_in_a_browser(served, page, tmp_path_factory):
    home = tmp_path_factory.mktemp("trainer-home")
    _seed(home)
    with Workspace.open("full", home, name="Full Region") as ws:
        fill_report_workspace(ws)
    server = served(GENERIC_NOTEBOOK, home)
    page.goto(server.url(GENERIC_NOTEBOOK, "sheet=trainer"), wait_until="commit")
    table = page.get_by_role("table")
    expect(table).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("rowheader", name=re.compile("Riverbend Valley"))).to_be_visible()
    expect(page.get_by_role("rowheader", name=re.compile(re.escape("<script>alert")))).to_be_visible()
    expect(page.get_by_role("columnheader", name=re.compile("^Step 2"))).to_be_visible()
    assert page.evaluate("() => window.__xss === undefined")

    page.get_by_label("Region", exact=True).select_option(label="Full Region (full)")
    page.get_by_role("button", name="Make report").click()
    link = page.get_by_role("link", name="Report for Full Region (HTML)")
    expect(link).to_be_visible(timeout=WAIT_MS)
    with page.expect_download() as got:
        link.click()
    assert got.value.suggested_filename.startswith("full-report-")
    assert "Full Region" in Path(got.value.path()).read_text(encoding="utf-8")

    page.get_by_role("button", name="Download all workspaces (zip)").click()
    zip_link = page.get_by_role("link", name="Download all workspaces (zip)")
    expect(zip_link).to_be_visible(timeout=WAIT_MS)
    with page.expect_download() as got:
        zip_link.click()
    assert zipfile.ZipFile(got.value.path()).namelist() == ["full.json", "quiet.json", "riverbend.json"]

    page.keyboard.press("Home")
    page.screenshot(path="/tmp/h11/trainer.png", full_page=True)
    serious = axe_violations(page)
    assert serious == [], serious
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1100
