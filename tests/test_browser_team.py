"""Two people on one region in real browsers: live updates, a field being typed in, two versions kept.

One ``sectorkit serve`` over ``sheet.ipynb`` (the repository's voila.json pool). Ana and Ben each
open the Step 2 review of the same region in their own browser context (their own localStorage):
Ana's name box is remembered by her browser; an answer Ana types appears on Ben's page within 2 s
(measured from the moment her page says it saved), with a note naming her; Ben's box is not
overwritten while he types in it when Ana changes the same answer, and his page shows both versions
with a choice (axe-clean); choosing one shows it in Ben's box.
"""

from __future__ import annotations

import shutil
import sys
import time

import pytest
from playwright.sync_api import expect

from sectorkit.core.paths import REPO_ROOT
from sectorkit.specs import load_spec
from sectorkit.store.workspace import Workspace
from tests.support.browser import INTERACTIVE, axe_violations
from tests.support.voila import voila_server, wait_for_pool

pytestmark = pytest.mark.browser

SPEC = load_spec("step2-aar")
TEXTS = [q for q in SPEC.questions() if q.type in ("text", "long_text")]
FIRST, SECOND = TEXTS[0], TEXTS[1]
REGION = "team-room"
WAIT_MS = 90_000
NAME_LABEL = "Name shown to your team with your changes"


@pytest.fixture(scope="module")
def team_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("skhome")
    Workspace.open(REGION, home).close()
    return home


@pytest.fixture(scope="module")
def team_server(team_home, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    shutil.copy(REPO_ROOT / "worksheets" / "sheet.ipynb", folder / "sheet.ipynb")
    serve = [sys.executable, "-m", "sectorkit.cli", "serve"]
    with voila_server(folder, cwd=REPO_ROOT, env={"SECTORKIT_HOME": str(team_home)}, command=serve,
                      timeout=180) as server:
        wait_for_pool(server, "sheet.ipynb", time.monotonic() + 180)
        yield server


def _open(browser, server, name: str | None = None):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(server.url("sheet.ipynb", f"sheet={SPEC.id}&region={REGION}"), wait_until="commit")
    page.wait_for_selector(INTERACTIVE, state="visible", timeout=WAIT_MS)
    expect(page.get_by_role("heading", name=SPEC.title)).to_be_visible()
    if name:
        box = page.get_by_label(NAME_LABEL, exact=True)
        box.fill(name)
        box.press("Enter")
    return context, page


def test_two_people_on_one_region(team_server, team_home, browser):
    ctx_a, ana = _open(browser, team_server, "Ana")
    ctx_b, ben = _open(browser, team_server, "Ben")
    try:
        # Ana's browser remembers her name: a second page of hers has it filled in already
        ana2 = ctx_a.new_page()
        ana2.goto(team_server.url("sheet.ipynb", f"sheet={SPEC.id}&region={REGION}"), wait_until="commit")
        ana2.wait_for_selector(INTERACTIVE, state="visible", timeout=WAIT_MS)
        expect(ana2.get_by_label(NAME_LABEL, exact=True)).to_have_value("Ana", timeout=10_000)
        ana2.close()

        # 1. what Ana types appears on Ben's page within 2 s, with who changed it
        ana.get_by_label(FIRST.label, exact=True).press_sequentially("Ash and Birch counties", delay=5)
        expect(ana.locator("[role=status]").first).to_contain_text("Saved at", timeout=WAIT_MS)
        with Workspace.open(REGION, team_home, create=False) as ws:
            deadline = time.monotonic() + 10
            while ws.answers(SPEC.id).get(FIRST.id) != "Ash and Birch counties" and time.monotonic() < deadline:
                time.sleep(0.05)
            assert ws.answer_by(SPEC.id, FIRST.id)[1] == "Ana"
        saved = time.monotonic()
        expect(ben.get_by_label(FIRST.label, exact=True)).to_have_value("Ash and Birch counties", timeout=2_000)
        assert time.monotonic() - saved <= 2.0
        expect(ben.get_by_text("Ana changed", exact=False).first).to_be_visible()

        # 2. Ben is typing in the second answer when Ana changes it: his box keeps his text
        ben_box = ben.get_by_label(SECOND.label, exact=True)
        ben_box.press_sequentially("Ben's draft", delay=20)
        ana.get_by_label(SECOND.label, exact=True).fill("Ana's wording")
        expect(ben.get_by_text("Two versions of", exact=False)).to_be_visible(timeout=5_000)
        assert ben_box.input_value() == "Ben's draft"
        panel = ben.locator(".sk-conflict")
        expect(panel).to_contain_text("Ben's draft")
        expect(panel).to_contain_text("Ana's wording")
        assert axe_violations(ben) == []

        # 3. Ben keeps Ana's version: his box shows it, the choice goes on both pages
        panel.get_by_role("button", name="Keep the other one", exact=False).first.click()
        with Workspace.open(REGION, team_home, create=False) as ws:
            deadline = time.monotonic() + 10
            while ws.conflicts() and time.monotonic() < deadline:
                time.sleep(0.1)
            assert ws.conflicts() == []
            chosen = ws.answers(SPEC.id)[SECOND.id]
        expect(ben_box).to_have_value(chosen, timeout=5_000)
        expect(ana.get_by_label(SECOND.label, exact=True)).to_have_value(chosen, timeout=5_000)
        expect(ana.get_by_text("Two versions of", exact=False)).to_have_count(0, timeout=5_000)
    finally:
        ctx_a.close()
        ctx_b.close()
