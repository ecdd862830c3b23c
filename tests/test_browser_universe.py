"""The Universe of Connections worksheet in a real browser: Voila serving it, headless Chromium driving it.

One Voila server (the repository's voila.json, so preheated kernels) over a temporary
SECTORKIT_HOME, and one Chromium, shared by the module. Chromium comes from Debian
(/usr/bin/chromium); if it is missing the tests fail with an install hint (they never skip).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sectorkit import universe as nw
from sectorkit.store.workspace import Workspace
from tests.support.browser import INTERACTIVE, axe_violations

pytestmark = pytest.mark.browser

NOTEBOOK = "universe.ipynb"
VIEWPORT = {"width": 1100, "height": 1000}
REGION = "riverbend"
WAIT_MS = 90_000
SHOTS = Path("/tmp/sectorkit-shots")


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("skhome")
    with Workspace.open(REGION, home, name="Riverbend <Region>") as ws:
        nw.import_files(ws, [
            ("organizations.csv", b"name,kind,system,sector,size\nCounty Board,partner,workforce,,\n"
                                  b"Valley College,partner,education,,\nAcme Tools,business,,manufacturing,small\n"
                                  b"Birch Foods,business,,food,medium\n"),
            ("people.csv", b"name,organization,title\nLee Park,county-board,Business services\n"
                           b"Eve Stone,valley-college,Dean\nCy Moss,birch-foods,Owner\n"),
            ("relationships.csv", b"person_a,person_b,strength\neve-stone,cy-moss,acquainted\n"),
        ])
    return home


@pytest.fixture(scope="module")
def served_page(served, home):
    """Voila serving only the Universe page (one kernel pool) over ``home``."""
    return served(NOTEBOOK, home, timeout=180)


def open_page(page, url: str) -> None:
    page.goto(url, wait_until="commit")
    try:
        page.wait_for_selector(INTERACTIVE, state="visible", timeout=WAIT_MS)
    except Exception:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "universe-failed.png"), full_page=True)
        print(page.inner_text("body")[:2000])
        raise
    expect(page.locator("[data-reach=direct]")).to_be_visible(timeout=WAIT_MS)


def reach(page) -> dict[str, int]:
    return {k: int(page.locator(f"[data-reach={k}]").inner_text()) for k in ("direct", "within_two", "gaps")}


def options(page, label: str) -> list[str]:
    """The texts of a select's options (non-breaking spaces as spaces)."""
    return [o.replace("\xa0", " ") for o in page.get_by_label(label, exact=True).locator("option").all_inner_texts()]


def status(page):
    return page.locator("[role=status]")


def test_add_person_and_relationship_survive_reload(served_page, home, page):
    url = served_page.url(NOTEBOOK, f"region={REGION}")
    open_page(page, url)
    expect(page.get_by_text("Region: Riverbend <Region>")).to_be_visible()
    before = reach(page)
    assert before == {"direct": 1, "within_two": 1, "gaps": 1}

    page.get_by_label("Person's name", exact=True).fill("Dana Ortiz")
    page.get_by_label("Works at", exact=True).select_option(label="Acme Tools (business)")
    page.get_by_role("button", name="Add person").click()
    expect(status(page)).to_contain_text("Saved at", timeout=WAIT_MS)
    expect(status(page)).to_contain_text("Dana Ortiz (Acme Tools)")

    page.get_by_label("This person", exact=True).select_option(label="Lee Park (County Board)")
    page.get_by_label("knows this person", exact=True).select_option(label="Dana Ortiz (Acme Tools)")
    page.get_by_label("How well", exact=True).select_option(label="knows well")
    page.get_by_role("button", name="Add relationship").click()
    expect(status(page)).to_contain_text("added: Dana Ortiz and Lee Park (knows well)", timeout=WAIT_MS)
    expect(page.locator("[data-reach=gaps]")).to_have_text("0", timeout=WAIT_MS)
    after = reach(page)
    assert after == {"direct": 2, "within_two": 2, "gaps": 0} and after != before

    deadline = time.monotonic() + 20
    while True:
        with Workspace.open(REGION, home, create=False) as ws:
            people, rels = ws.records("person"), ws.records("relationship")
        if ("dana-ortiz" in people and "dana-ortiz+lee-park" in rels) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert people["dana-ortiz"]["organization"] == "acme-tools"
    assert rels["dana-ortiz+lee-park"]["strength"] == "knows-well"

    page.reload(wait_until="commit")
    page.wait_for_selector(INTERACTIVE, state="visible", timeout=WAIT_MS)
    expect(page.locator("[data-reach=direct]")).to_have_text("2", timeout=WAIT_MS)
    assert reach(page) == after
    # ipywidgets draws option labels with non-breaking spaces
    person_options = options(page, "Listed person")
    assert "Dana Ortiz (Acme Tools)" in person_options
    rel_options = options(page, "Listed relationship")
    assert any(re.fullmatch(r"Dana Ortiz and Lee Park \(knows well\)", o) for o in rel_options)
    img = page.locator("img[alt^='Universe of Connections diagram.']")
    expect(img).to_be_visible()
    assert "2 businesses directly" in img.get_attribute("alt")


def test_accessibility_and_screenshot(served_page, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1100, "height": 1400})
    try:
        pg = context.new_page()
        open_page(pg, served_page.url(NOTEBOOK, f"region={REGION}"))
        pg.wait_for_timeout(500)
        found = axe_violations(pg, "minor")
        print("axe violations (all impacts):", found)
        serious = [v for v in found if v["impact"] in ("serious", "critical")]
        assert serious == [], f"axe found serious problems: {serious}"
        # keyboard: Tab reaches the first form field, typing works
        pg.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
        for _ in range(40):
            pg.keyboard.press("Tab")
            label = pg.evaluate("() => document.activeElement?.labels?.[0]?.textContent")
            if label == "Organization name":
                break
        assert label == "Organization name"
        pg.screenshot(path=str(SHOTS / "universe.png"), full_page=True)
        assert (SHOTS / "universe.png").stat().st_size > 20_000
    finally:
        context.close()
