"""The home page and regions, without a browser: creating a region (checked, all or nothing), the page
for a region that does not exist (nothing created), progress, the create form, downloads and restore.
"""

from __future__ import annotations

import base64
import io
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import ipywidgets as W
import pytest
from openpyxl import load_workbook

from sectorkit.apps.home import HomePage
from sectorkit.apps.progress import region_progress
from sectorkit.core.errors import InvalidRegionId, WorkspaceError
from sectorkit.specs import load_spec
from sectorkit.specs.library import modules
from sectorkit.store.workspace import Workspace, list_regions, workspace_exists
from sectorkit.views.home import LAB_LINK_TEXT
from sectorkit.views.nav import TEMPORARY_TEXT, home_href, page_href, trainer_href
from sectorkit.workspaces.archive import restore_workspace
from sectorkit.workspaces.regions import create_region, list_region_summaries, region_profile

AAR = "step1-aar"


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []


def page_html(widget) -> str:
    """Every piece of HTML and every label the page shows, in order."""
    parts = []
    if isinstance(widget, (W.HTML, W.HTMLMath)):
        parts.append(widget.value)
    for attr in ("description", "placeholder"):
        if isinstance(getattr(widget, attr, None), str):
            parts.append(getattr(widget, attr))
    if isinstance(widget, W.Text):
        parts.append(widget.value)
    for child in getattr(widget, "children", ()):
        parts.append(page_html(child))
    return "\n".join(parts)


def visible_text(markup: str) -> str:
    return re.sub(r"<[^>]+>", " ", markup)


def item_for(markup: str, href: str) -> str:
    """The list item of the map that links to ``href`` (as it appears in HTML, & escaped)."""
    found = re.search(r"<li[^>]*><a href='" + re.escape(href.replace("&", "&amp;")) + r"'.*?</li>", markup)
    assert found, f"no item for {href}"
    return visible_text(found.group(0))


def upload_value(name: str, data: bytes) -> tuple:
    return ({"name": name, "type": "application/json", "size": len(data), "content": memoryview(data),
             "last_modified": datetime.now(timezone.utc)},)


# -- create_region ---------------------------------------------------------------------------------
def test_create_region_makes_the_id_from_the_name_and_keeps_the_profile(home):
    with create_region("  Riverbend Valley (North) ", home, counties="39049, 39041;39049", state=" oh") as ws:
        assert (ws.region, ws.name) == ("riverbend-valley-north", "Riverbend Valley (North)")
        assert region_profile(ws) == {"counties": ["39049", "39041"], "state": "OH", "scope": "region"}
        assert ws.records("region_profile")["current"] == {"counties": ["39049", "39041"], "state": "OH",
                                                           "scope": "region"}
    with create_region("Other", home, region_id="other-one", counties=["01001"]) as ws:
        assert region_profile(ws) == {"counties": ["01001"], "state": "", "scope": "region"}
    assert list_regions(home) == ["other-one", "riverbend-valley-north"]
    assert not [p for p in home.iterdir() if p.name.startswith(".")], "the staging folder is left behind"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"name": ""}, "Give the region a name"),
    ({"name": "x" * 121}, "at most 120 characters"),
    ({"name": "Valley", "region_id": "Bad Id"}, "not a valid region id"),
    ({"name": "Valley", "region_id": "../etc"}, "not a valid region id"),
    ({"name": "Valley", "counties": "1001"}, "is the leading zero missing? Try '01001'"),
    ({"name": "Valley", "counties": ["39049", "3904x"]}, "'3904x' is not a 5-digit county FIPS code"),
    ({"name": "Valley", "counties": "39000"}, "statewide code"),
    ({"name": "Valley", "counties": "99001"}, "no state has the code 99"),
    ({"name": "Valley", "state": "Ohio"}, "not a 2-letter state code"),
    ({"name": "Valley", "state": "ZZ"}, "not a 2-letter state code"),
    ({"name": "Valley", "scope": "county"}, "not a scope"),
    ({"name": "Ohio state team", "scope": "state"}, "needs its state"),
    ({"name": "Example", "region_id": "example"}, "already a region with the id 'example'"),
])
def test_create_region_refuses_bad_input_and_creates_nothing(home, kwargs, message):
    name = kwargs.pop("name")
    with pytest.raises(WorkspaceError) as info:
        create_region(name, home, **kwargs)
    assert message in str(info.value)
    assert files_under(home) == [] or list_regions(home) == [], files_under(home)
    assert not workspace_exists("valley", home)


def test_an_existing_id_is_refused_and_left_as_it_was(home):
    with create_region("Riverbend", home, state="OH") as ws:
        ws.save_answer(AAR, "convener-named", "Eight partners")
    before = files_under(home)
    with pytest.raises(WorkspaceError, match="already a region with the id 'riverbend'"):
        create_region("Riverbend", home, state="WV")
    assert files_under(home) == before
    with Workspace.open("riverbend", home, create=False) as ws:
        assert region_profile(ws)["state"] == "OH" and ws.answers(AAR) == {"convener-named": "Eight partners"}


def test_the_region_list_names_every_region_and_the_example_without_creating_it(home):
    region, name, illustrative, last = list_region_summaries(home)[0]
    assert (region, illustrative, last) == ("example", True, None) and "illustrative" in name.lower()
    assert files_under(home) == []
    create_region("Zeta <b>Valley</b>", home).close()
    with create_region("Alpha", home) as ws:
        stamp = ws.save_answer(AAR, "convener-named", "x")
    summaries = list_region_summaries(home)
    assert [s.region for s in summaries] == ["example", "alpha", "zeta-b-valley-b"]
    assert summaries[1].last_activity == stamp and summaries[2].name == "Zeta <b>Valley</b>"


# -- the page for a region with no workspace ----------------------------------------------------------
def test_an_unknown_region_gets_the_create_offer_and_nothing_is_created(home):
    page = HomePage("new-region-x", home)
    markup = page_html(page.container)
    assert "There is no workspace named \u2018new-region-x\u2019. Create it?" in markup
    assert page.workspace is None and files_under(home) == []
    assert page.new_id.value == "new-region-x" and page.new_name.value == "New Region X"
    assert "The curriculum" not in markup and "questions" not in visible_text(markup), "progress shown"
    assert home_href("example") in markup.replace("&amp;", "&")  # the region picker


def test_a_bad_region_id_is_an_error_the_page_can_show(home):
    with pytest.raises(InvalidRegionId):
        HomePage("../etc", home)
    assert files_under(home) == []


# -- progress ----------------------------------------------------------------------------------------
def test_the_map_shows_progress_and_it_changes_after_an_answer(home):
    create_region("Riverbend", home).close()
    href = page_href(AAR, "riverbend")
    questions = len(load_spec(AAR).questions())
    before = item_for(HomePage("riverbend", home).map.value, href)
    assert "Not started" in before and f"0 of {questions} questions" in before
    with Workspace.open("riverbend", home, create=False) as ws:
        ws.save_answer(AAR, "convener-named", "Eight partners")
        ws.save_answer(AAR, "expected", "The board")
        assert [m.review.answered for m in region_progress(ws) if m.module.id == "step-1"] == [2]
    page = HomePage("riverbend", home)
    after = item_for(page.map.value, href)
    assert "Started" in after and f"2 of {questions} questions" in after and "last change" in after
    assert f"After Action Review: 2 of {questions} questions answered" in visible_text(page.map.value)


def test_every_module_is_on_the_map_and_one_can_be_shown_alone(home, monkeypatch):
    create_region("Riverbend", home).close()
    full = HomePage("riverbend", home).map.value
    for module in modules():
        assert module.title.replace("'", "&#x27;") in full
    assert "Worksheets coming soon." not in full  # every module has its worksheets now
    import sectorkit.apps.progress as progress

    real = progress.curriculum
    monkeypatch.setattr(progress, "curriculum", lambda: [(m, [] if m.id == "state-roles" else p) for m, p in real()])
    assert "Worksheets coming soon." in HomePage("riverbend", home).map.value  # a module without pages yet
    step2 = HomePage("riverbend", home, module="step-2").map.value
    assert "The curriculum: Step 2" in step2 and page_href("lmi-review", "riverbend") in step2.replace("&amp;", "&")
    assert "Step 3" not in step2 and "Show all steps and modules" in step2
    unknown = HomePage("riverbend", home, module="<no-such>").map.value
    assert "There is no module \u2018&lt;no-such&gt;\u2019" in unknown and "Step 6" in unknown


def test_no_notebook_file_name_is_shown_and_lab_links_only_with_lab(home):
    create_region("Riverbend", home).close()
    plain = page_html(HomePage("riverbend", home).container)
    assert ".ipynb" not in visible_text(plain)
    assert set(re.findall(r"[\w.-]*\.ipynb", plain)) == {"sheet.ipynb"}, "only the generic page's own links"
    assert LAB_LINK_TEXT not in plain
    lab = page_html(HomePage("riverbend", home, lab_url="https://hub.example.org/user/ana/lab").container)
    with_notebook = [m for m in modules() if m.notebook]
    assert lab.count(LAB_LINK_TEXT) == len(with_notebook) > 0
    for m in with_notebook:
        assert f"https://hub.example.org/user/ana/lab/tree/modules/{m.notebook}" in lab
    assert ".ipynb" not in visible_text(lab)


def test_user_text_is_escaped_and_the_trainer_view_is_linked(home):
    create_region("<script>alert(1)</script> Valley", home, region_id="valley").close()
    markup = page_html(HomePage("valley", home).container)
    assert "<script>" not in markup and "&lt;script&gt;alert(1)&lt;/script&gt; Valley" in markup
    assert trainer_href() in markup.replace("&amp;", "&")
    assert "Sector partnership curriculum" in markup and "not official Next Gen material" in markup


# -- the create form ---------------------------------------------------------------------------------
def test_the_create_form_end_to_end(home):
    create_region("Riverbend", home).close()
    page = HomePage("riverbend", home)
    page.new_name.value = "Central Ohio / MORPC"
    assert page.new_id.value == "central-ohio-morpc"
    page.new_id.value = "central-ohio"
    page.new_name.value = "Central Ohio"  # the edited id stays
    assert page.new_id.value == "central-ohio"
    page.new_counties.value, page.new_state.value = "39049, 1001", "OH"
    page.create_button.click()
    assert "the leading zero missing" in page.create_result.value and not workspace_exists("central-ohio", home)
    assert page.status_is_error
    page.new_counties.value = "39049, 39041"
    page.create_button.click()
    with Workspace.open("central-ohio", home, create=False) as ws:
        assert ws.name == "Central Ohio"
        assert region_profile(ws) == {"counties": ["39049", "39041"], "state": "OH", "scope": "region"}
    assert "Open Central Ohio\u2019s home page" in page.create_result.value
    assert f"href='{home_href('central-ohio')}'" in page.create_result.value
    assert "central-ohio" in page.regions.value and page.new_name.value == ""
    page.new_name.value = "North Coast"  # cleared form: the id follows the name again
    assert page.new_id.value == "north-coast"


def test_the_create_link_fills_the_form_and_creating_opens_the_region(home):
    page = HomePage("riverbend", home, create="riverbend")
    assert "filled in with the id \u2018riverbend\u2019" in page_html(page.container)
    assert page.new_id.value == "riverbend" and files_under(home) == []
    page.create_button.click()
    assert workspace_exists("riverbend", home) and page.workspace is not None
    assert "Open Riverbend\u2019s home page" in page.notice.value and "There is no workspace" not in page.notice.value


# -- downloads and restore ------------------------------------------------------------------------------
def data_links(markup: str) -> dict[str, bytes]:
    return {m.group(1): base64.b64decode(m.group(2))
            for m in re.finditer(r"download='([^']+)' href='data:[^;]+;base64,([^']+)'", markup)}


def test_downloads_are_made_on_request_and_restore_into_an_empty_root(home, tmp_path):
    with create_region("Riverbend", home) as ws:
        ws.save_answer(AAR, "convener-named", "Eight partners")
    page = HomePage("riverbend", home)
    assert page.downloads.value == ""  # nothing heavy at build
    page.prepare()
    links = data_links(page.downloads.value)
    json_name = next(n for n in links if n.endswith(".json"))
    xlsx_name = next(n for n in links if n.endswith(".xlsx"))
    assert json_name.startswith("riverbend-") and "Download all answers (Excel)" in page.downloads.value
    assert load_workbook(io.BytesIO(links[xlsx_name])).sheetnames[0] == "Contents"
    assert json.loads(links[json_name])["region"] == "riverbend"

    empty = tmp_path / "elsewhere"
    other = HomePage("riverbend", empty)  # the region does not exist there: restore it by upload
    other.upload.value = upload_value(json_name, links[json_name])
    assert other.upload.value == ()
    assert "Restored Riverbend" in other.restore_result.value and "1 answers" in other.restore_result.value
    with Workspace.open("riverbend", empty, create=False) as ws:
        assert ws.answers(AAR) == {"convener-named": "Eight partners"}
    assert "Started" in item_for(other.map.value, page_href(AAR, "riverbend"))

    # again: the workspace exists now, so it asks; ticking the box replaces it
    with Workspace.open("riverbend", empty, create=False) as ws:
        ws.save_answer(AAR, "expected", "changed since the download")
    other.upload.value = upload_value(json_name, links[json_name])
    assert "already exists" in other.restore_result.value and "still chosen" in other.restore_result.value
    other.replace.value = True
    other.restore_button.click()
    assert "Restored Riverbend" in other.restore_result.value
    with Workspace.open("riverbend", empty, create=False) as ws:
        assert ws.answers(AAR) == {"convener-named": "Eight partners"}
    assert other.workspace.answers(AAR) == {"convener-named": "Eight partners"}  # the page reopened it

    # under another id
    other.replace.value, other.restore_id.value = False, "riverbend-copy"
    other.restore_file("copy.json", links[json_name])
    assert workspace_exists("riverbend-copy", empty) and "riverbend-copy" in other.regions.value


def test_a_bad_file_is_refused_with_a_message_and_nothing_written(home):
    page = HomePage("somewhere", home)
    page.upload.value = upload_value("notes.json", b'{"hello": 1}')
    assert "not a sectorkit workspace" in page.restore_result.value and page.status_is_error
    page.restore_button.click()  # the file is still chosen: same answer, no traceback
    assert "not a sectorkit workspace" in page.restore_result.value
    assert files_under(home) == []
    page.restore_file("x.json", b"\xff\xfe not json")
    assert files_under(home) == [] and "Not restored" in page.status_text()


def test_restore_without_a_file_says_so(home):
    page = HomePage("somewhere", home)
    page.restore_button.click()
    assert "Choose a workspace file" in page.restore_result.value


def test_a_temporary_server_says_so_at_the_top_with_the_download(home):
    create_region("Riverbend", home).close()
    page = HomePage("riverbend", home, temporary=True)
    assert TEMPORARY_TEXT.split(":")[0] in page.notice.value
    children = list(page.container.children)
    assert children.index(page.top_prepare) < children.index(page.map)
    page.top_prepare.click()
    links = data_links(page.top_downloads.value)
    restored = restore_workspace(next(v for k, v in links.items() if k.endswith(".json")), "r.json",
                                 home / "again")
    assert restored.region == "riverbend"
    assert HomePage("riverbend", home).top_prepare is None



def test_the_create_form_makes_a_state_teams_workspace(home):
    page = HomePage("example", home)
    page.new_name.value = "Ohio state team"
    page.new_state.value = "oh"
    page.new_scope.value = "state"
    page.create_button.click()
    with Workspace.open("ohio-state-team", home, create=False) as ws:
        assert region_profile(ws) == {"counties": [], "state": "OH", "scope": "state"}
    page.new_name.value = "Kentucky team"
    page.new_scope.value = "state"
    page.create_button.click()
    assert "needs its state" in page.create_result.value and not workspace_exists("kentucky-team", home)
