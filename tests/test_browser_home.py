"""The home page in a real browser (one Voila server on ``sheet.ipynb``, its own SECTORKIT_HOME).

The issue's walk: start at the home page, create a region, follow the link to its home page, open
its Step 1 After Action Review, answer a question, go home by the navigation bar and see the
progress change, download the workspace, restore it into an empty workspace root and see the
answers (and restore it by upload under another id, in the browser). An unknown region in the
address creates nothing on disk. axe-core finds no serious or critical violation on the home page;
a keyboard-only walk reaches the create form and creates a region with Enter and Space.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sectorkit.apps import registry
from sectorkit.specs import load_spec
from sectorkit.store.workspace import Workspace, workspace_exists
from sectorkit.views.home import HOME_TITLE
from sectorkit.workspaces.archive import restore_workspace
from tests.support.browser import INTERACTIVE, axe_violations, time_to_first_widget

pytestmark = pytest.mark.browser

NOTEBOOK = registry.GENERIC_NOTEBOOK
WAIT_MS = 90_000
SHOT = Path("/tmp/h11/home.png")
AAR = load_spec("step1-aar")
QUESTION = next(q for q in AAR.questions() if q.type == "text")
ANSWER = "The regional workforce board"


@pytest.fixture(scope="module")
def server(served, tmp_path_factory):
    home = tmp_path_factory.mktemp("home-page")
    s = served(NOTEBOOK, home, timeout=180)
    s.home = home
    return s


def open_url(page, url: str) -> None:
    time_to_first_widget(page, url, timeout_ms=WAIT_MS)
    expect(page.locator("[role=status]").first).to_be_visible(timeout=WAIT_MS)


def go(page, link) -> None:
    """Follow a link to another Voila page and wait for its widgets."""
    with page.expect_navigation(wait_until="commit", timeout=WAIT_MS):
        link.click()
    page.wait_for_selector(INTERACTIVE, state="visible", timeout=WAIT_MS)
    expect(page.locator("[role=status]").first).to_be_visible(timeout=WAIT_MS)


def answers(home: Path, region: str) -> dict:
    if not workspace_exists(region, home):
        return {}
    with Workspace.open(region, home, create=False) as ws:
        return ws.answers(AAR.id)


def wait_for(check, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while not (result := check()) and time.monotonic() < deadline:
        time.sleep(0.25)
    return result


def aar_item(page):
    return page.locator("li").filter(has=page.get_by_role("link", name=AAR.title, exact=True))


def test_create_answer_see_progress_download_and_restore(server, page, tmp_path):
    open_url(page, server.url(NOTEBOOK))
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_TITLE)

    page.get_by_label("Region name", exact=True).press_sequentially("Riverbend Valley", delay=10)
    expect(page.get_by_label("Region id", exact=True)).to_have_value("riverbend-valley", timeout=WAIT_MS)
    page.get_by_label("State (optional)", exact=True).fill("OH")
    page.get_by_role("button", name="Create the region").click()
    link = page.get_by_role("link", name="Open Riverbend Valley\u2019s home page")
    expect(link).to_be_visible(timeout=WAIT_MS)
    assert workspace_exists("riverbend-valley", server.home)

    go(page, link)
    assert "region=riverbend-valley" in page.url
    expect(page.get_by_text("Riverbend Valley", exact=True).first).to_be_visible()
    expect(aar_item(page)).to_contain_text("Not started")

    go(page, page.get_by_role("link", name=AAR.title, exact=True))
    expect(page.get_by_role("heading", name=AAR.title)).to_be_visible(timeout=WAIT_MS)
    page.get_by_label(QUESTION.label, exact=True).press_sequentially(ANSWER, delay=5)
    assert wait_for(lambda: answers(server.home, "riverbend-valley").get(QUESTION.id) == ANSWER)

    go(page, page.get_by_role("link", name="Home: all steps and worksheets").first)
    item = aar_item(page)
    expect(item).to_contain_text("Started")
    expect(item).to_contain_text(f"1 of {len(AAR.questions())} questions")

    page.get_by_role("button", name="Prepare downloads", exact=True).click()
    download_link = page.get_by_role("link", name="Download the workspace (JSON)")
    expect(download_link).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("link", name="Download all answers (Excel)")).to_be_visible()
    with page.expect_download(timeout=WAIT_MS) as info:
        download_link.click()
    assert re.fullmatch(r"riverbend-valley-workspace-\d{4}-\d\d-\d\d\.json", info.value.suggested_filename)
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)

    empty = tmp_path / "fresh-home"  # a fresh, empty SECTORKIT_HOME
    result = restore_workspace(saved.read_bytes(), saved.name, empty)
    assert (result.region, result.name) == ("riverbend-valley", "Riverbend Valley")
    assert answers(empty, "riverbend-valley") == {QUESTION.id: ANSWER}

    # the same file restored by upload in the browser, under another id: its worksheet shows the answer
    page.get_by_label("Restore under another id", exact=True).fill("riverbend-copy")
    with page.expect_file_chooser(timeout=WAIT_MS) as chooser:
        page.get_by_role("button", name=re.compile("Choose a workspace file")).click()
    chooser.value.set_files(str(saved))
    restored = page.get_by_role("link", name="Open Riverbend Valley\u2019s home page")
    expect(restored).to_be_visible(timeout=WAIT_MS)
    assert answers(server.home, "riverbend-copy") == {QUESTION.id: ANSWER}
    open_url(page, server.url(NOTEBOOK, f"sheet={AAR.id}&region=riverbend-copy"))
    expect(page.get_by_label(QUESTION.label, exact=True)).to_have_value(ANSWER, timeout=WAIT_MS)


def test_an_unknown_region_in_the_address_creates_nothing(server, page):
    open_url(page, server.url(NOTEBOOK, "region=no-such-region"))
    expect(page.get_by_text("There is no workspace named \u2018no-such-region\u2019. Create it?")).to_be_visible()
    expect(page.get_by_label("Region id", exact=True)).to_have_value("no-such-region")
    page.goto(server.url(NOTEBOOK, f"sheet={AAR.id}&region=no-such-region-2"), wait_until="commit")
    expect(page.get_by_role("link", name="Create it?")).to_be_visible(timeout=WAIT_MS)
    for region in ("no-such-region", "no-such-region-2"):
        assert not (server.home / region).exists()


def test_home_page_passes_axe_and_looks_right(server, page):
    open_url(page, server.url(NOTEBOOK, "region=example"))
    expect(page.get_by_role("heading", name="The curriculum", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    SHOT.parent.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1100, "height": 3200})  # the page scrolls inside Voila's own box
    page.screenshot(path=str(SHOT))
    open_url(page, server.url(NOTEBOOK, "region=not-here-yet"))
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOT.with_name("home-unknown.png")))
    assert not (server.home / "not-here-yet").exists()


def focused(page) -> dict:
    return page.evaluate("""() => {
      const el = document.activeElement;
      return {tag: el.tagName, label: el.labels && el.labels.length ? el.labels[0].textContent.trim() : "",
              text: (el.textContent || "").trim(), title: el.getAttribute("title") || ""};
    }""")


def tab_to(page, accept, limit: int = 250, key: str = "Tab") -> dict:
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        if accept(now):
            return now
    raise AssertionError(f"Tab never reached the control (last: {focused(page)})")


def test_keyboard_only_walk_creates_a_region(server, page):
    open_url(page, server.url(NOTEBOOK, "region=example"))
    page.locator("body").click(position={"x": 2, "y": 2})
    tab_to(page, lambda f: f["label"] == "Region name")
    page.keyboard.type("Keyboard County")
    tab_to(page, lambda f: f["label"] == "Region id", limit=2)
    expect(page.get_by_label("Region id", exact=True)).to_have_value("keyboard-county", timeout=WAIT_MS)
    tab_to(page, lambda f: f["label"] == "Counties (optional)", limit=2)
    page.keyboard.type("39049")
    tab_to(page, lambda f: f["label"] == "State (optional)", limit=2)
    page.keyboard.type("OH")
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Create the region", limit=2)
    # the front end holds a text box's later keystrokes until the kernel has the first; a click does
    # not wait for them, so give the last box's update a moment (a person takes longer than this)
    page.wait_for_timeout(1500)
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Open Keyboard County\u2019s home page")).to_be_visible(timeout=WAIT_MS)
    assert wait_for(lambda: workspace_exists("keyboard-county", server.home))
    # Space works on the downloads button too (it comes before the form: walk back)
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Prepare downloads", key="Shift+Tab")
    page.keyboard.press("Space")
    expect(page.get_by_role("link", name="Download the workspace (JSON)")).to_be_visible(timeout=WAIT_MS)
