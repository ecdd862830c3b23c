"""The generic worksheet page in a real browser, served as ``make demo`` serves it (``sectorkit serve``).

One server over a folder holding ``sheet.ipynb`` and the old ``step2_aar.ipynb`` stub, with the
repository's voila.json (one preheated pool, for ``sheet.ipynb`` only): an answer typed on
``sheet.ipynb?sheet=step2-aar&region=<fresh>`` reaches the region's workspace; the old address
``step2_aar.ipynb?region=<fresh>`` is redirected to the same worksheet for the same region and
shows the answer, served by a kernel of the generic page's pool; the page takes the front-end
chunks in one script; without ``?sheet=`` the page lists every worksheet (axe-clean).
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from sectorkit.apps import registry
from sectorkit.core.paths import REPO_ROOT
from sectorkit.specs import load_spec
from sectorkit.store.workspace import Workspace
from tests.support.browser import INTERACTIVE, axe_violations
from tests.support.voila import voila_server, wait_for_pool
from tools.voila_bundle.page_bundle import BUNDLE_NAME, chunk_url_path

pytestmark = pytest.mark.browser

SPEC = load_spec("step2-aar")
QID = "footprint-description"
LABEL = next(q.label for q in SPEC.questions() if q.id == QID)
ANSWER = "Three river counties and the college town"
REGION = "sheet-fresh"
WAIT_MS = 90_000


@pytest.fixture(scope="module")
def sheet_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("skhome")
    for region in (REGION, "front-door"):  # pages never create a region named in the address
        Workspace.open(region, home).close()
    return home


@pytest.fixture(scope="module")
def sheet_server(sheet_home, tmp_path_factory):
    """``sectorkit serve`` over sheet.ipynb and the old step2_aar.ipynb, its pool full."""
    folder = tmp_path_factory.mktemp("pages")
    for name in ("sheet.ipynb", "step2_aar.ipynb"):
        shutil.copy(REPO_ROOT / "worksheets" / name, folder / name)
    serve = [sys.executable, "-m", "sectorkit.cli", "serve"]
    env = {"SECTORKIT_HOME": str(sheet_home)}
    with voila_server(folder, cwd=REPO_ROOT, env=env, command=serve, timeout=180) as server:
        wait_for_pool(server, "sheet.ipynb", time.monotonic() + 180)
        yield server


def _answers(home, region: str) -> dict:
    if not (home / region).exists():
        return {}
    with Workspace.open(region, home, create=False) as ws:
        return ws.answers(SPEC.id)


def test_generic_page_saves_and_the_old_address_lands_on_the_same_worksheet(sheet_server, sheet_home, page):
    scripts: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(sheet_server.url("sheet.ipynb", f"sheet=step2-aar&region={REGION}"), wait_until="commit")
    page.wait_for_selector(INTERACTIVE, state="visible", timeout=WAIT_MS)
    expect(page.get_by_role("heading", name=SPEC.title)).to_be_visible()
    box = page.get_by_label(LABEL, exact=True)
    expect(box).to_have_value("")
    box.press_sequentially(ANSWER, delay=5)
    expect(page.locator("[role=status]")).to_contain_text("Saved at", timeout=WAIT_MS)
    deadline = time.monotonic() + 30
    while _answers(sheet_home, REGION).get(QID) != ANSWER and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _answers(sheet_home, REGION)[QID] == ANSWER

    # the page bundle covers the generic page: Voila's chunks come in one script, none one by one
    page.wait_for_load_state("networkidle")
    assert len([u for u in scripts if urlparse(u).path.endswith(f"/static/{BUNDLE_NAME}")]) == 1, scripts
    assert [p for p in map(chunk_url_path, scripts) if p] == []
    assert errors == []

    # the old address: redirected (no kernel of its own) to the same worksheet, same region
    page.goto("about:blank")
    start = len(sheet_server.log.read_text())
    response = page.goto(sheet_server.url("step2_aar.ipynb", f"region={REGION}"), wait_until="commit")
    assert response.request.redirected_from is not None
    assert urlparse(response.request.redirected_from.url).path == "/voila/render/step2_aar.ipynb"
    assert page.url == sheet_server.url("sheet.ipynb", f"sheet=step2-aar&region={REGION}")
    page.wait_for_selector(INTERACTIVE, state="visible", timeout=WAIT_MS)
    expect(page.get_by_role("heading", name=SPEC.title)).to_be_visible()
    expect(page.get_by_label(LABEL, exact=True)).to_have_value(ANSWER, timeout=WAIT_MS)
    expect(page.get_by_text(f"Region: {REGION}")).to_be_visible()
    log = sheet_server.log.read_text()[start:]
    assert re.findall(r"Using pre-heated kernel: [0-9a-f-]+ for (\S+)", log) == ["sheet.ipynb"], log[-2000:]
    assert "step2_aar.ipynb is not trusted" not in log  # Voila never rendered the old notebook


def test_without_a_sheet_the_home_page_links_every_worksheet(sheet_server, page):
    page.goto(sheet_server.url("sheet.ipynb", "region=front-door"), wait_until="commit")
    link = page.get_by_role("link", name=SPEC.title)
    expect(link).to_be_visible(timeout=WAIT_MS)
    assert link.get_attribute("href") == "sheet.ipynb?sheet=step2-aar&region=front-door"
    for pid in registry.page_sequence():
        expect(page.locator(f"a[href='sheet.ipynb?sheet={pid}&region=front-door']")).to_have_count(1)
    assert axe_violations(page) == []
    link.focus()
    page.keyboard.press("Enter")  # a link works by keyboard and opens the worksheet for the same region
    page.wait_for_selector(INTERACTIVE, state="visible", timeout=WAIT_MS)
    expect(page.get_by_role("heading", name=SPEC.title)).to_be_visible()
    expect(page.get_by_text("Region: front-door")).to_be_visible()
    # the navigation bar leads back home and on to the next page, region kept
    nav = page.get_by_role("navigation", name="Worksheet navigation")
    assert nav.get_by_role("link", name="Home: all steps and worksheets").get_attribute("href") == \
        "sheet.ipynb?region=front-door"
    assert "region=front-door" in nav.get_by_role("link", name=re.compile("^Next:")).get_attribute("href")
