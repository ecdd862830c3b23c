"""The Sustainability Self-Assessment in Voila under headless Chromium.

Answer every statement, mark complete, reload and find the answers again, take
a second round as another respondent, and see the comparison.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from sectorkit import assessments as A
from sectorkit.specs import load_spec
from sectorkit.store.workspace import Workspace
from tests.support.browser import INTERACTIVE, axe_violations
from tests.support.seed import example_without_answers

pytestmark = pytest.mark.browser
NOTEBOOK = "sustainability.ipynb"
SPEC = load_spec("sustainability")
ITEMS = A.scored_questions(SPEC)
WAIT = 60_000


@pytest.fixture(scope="module")
def page_and_home(browser, served):
    """One page kept across the module's steps, on Voila serving only the assessment page."""
    server = served(NOTEBOOK)
    example_without_answers(server.home).close()  # the assessment starts with no rounds
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    yield page, server, server.home
    page.close()


def open_page(page, server):
    page.goto(server.url(NOTEBOOK))
    page.wait_for_selector(INTERACTIVE, state="visible", timeout=WAIT)


def take(page, when: str, who: str, pick: int) -> None:
    """Open a response and rate every statement with the option at index ``pick``."""
    page.get_by_label("Date of this round (YYYY-MM-DD)").fill(when)
    page.get_by_label("Your name").fill(who)
    page.get_by_role("button", name="Start or continue my response").click()
    expect(page.get_by_text(f"response for {when} open")).to_be_visible(timeout=WAIT)
    boxes = page.locator(".widget-radio-box")
    expect(boxes).to_have_count(len(ITEMS), timeout=WAIT)
    for i in range(len(ITEMS)):
        boxes.nth(i).locator("input").nth(pick).check()
    expect(page.get_by_text("Saved at").first).to_be_visible(timeout=WAIT)


def test_answer_reload_second_round_and_comparison(page_and_home):
    page, server, home = page_and_home
    open_page(page, server)
    expect(page.get_by_text("No complete assessment yet")).to_be_visible(timeout=WAIT)
    take(page, "2026-08-20", "Ana Ruiz", pick=1)  # every statement rated 2
    page.get_by_role("button", name="Mark my response complete").click()
    expect(page.get_by_text("Marked complete")).to_be_visible(timeout=WAIT)

    # reload: the response is still there
    open_page(page, server)
    page.get_by_label("Date of this round (YYYY-MM-DD)").fill("2026-08-20")
    page.get_by_label("Your name").fill("Ana Ruiz")
    page.get_by_role("button", name="Start or continue my response").click()
    expect(page.get_by_text("response for 2026-08-20 open (complete)")).to_be_visible(timeout=WAIT)
    checked = page.locator(".widget-radio-box input:checked")
    expect(checked).to_have_count(len(ITEMS), timeout=WAIT)
    # the history panel draws after the first control is usable: wait for it, don't race it
    expect(page.get_by_text("Latest round 2026-08-20").first).to_be_visible(timeout=WAIT)

    # a second round, another respondent, higher ratings: the comparison shows improvement
    open_page(page, server)
    take(page, "2026-11-20", "Ben Ode", pick=3)
    page.get_by_role("button", name="Mark my response complete").click()
    expect(page.get_by_text("compared with 2026-08-20")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("improved").first).to_be_visible(timeout=WAIT)
    img = page.locator("img[alt^='Bar chart of']")
    expect(img).to_have_count(1)

    with Workspace.open("example", home) as ws:
        df = A.responses(ws, SPEC)
        assert list(df["status"]) == ["complete", "complete"]
        assert list(df["overall"]) == [2.0, 4.0]
    assert axe_violations(page, "serious") == []
    Path("/tmp/sectorkit-shots").mkdir(exist_ok=True)
    page.screenshot(path="/tmp/sectorkit-shots/assessment.png", full_page=True)


def test_incomplete_response_is_a_draft_in_the_page(page_and_home):
    page, server, home = page_and_home
    open_page(page, server)
    page.get_by_label("Date of this round (YYYY-MM-DD)").fill("2026-12-01")
    page.get_by_label("Your name").fill("Cal")
    page.get_by_role("button", name="Start or continue my response").click()
    expect(page.locator(".widget-radio-box")).to_have_count(len(ITEMS), timeout=WAIT)
    page.locator(".widget-radio-box").nth(0).locator("input").nth(2).check()
    expect(page.get_by_text("Saved at").first).to_be_visible(timeout=WAIT)
    page.get_by_role("button", name="Mark my response complete").click()
    expect(page.get_by_text("so this stays a draft")).to_be_visible(timeout=WAIT)
    with Workspace.open("example", home) as ws:
        df = A.responses(ws, SPEC, "2026-12-01")
        assert list(df["status"]) == ["draft"] and df["overall"].isna().all()
