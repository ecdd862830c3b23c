"""Every worksheet page in a real browser, through the one generic page.

One parametrized test per page id of the registry (every spec and every custom page), so a new
worksheet is covered without a new test file. For a spec page it answers the first question of
each type the spec has (text, long text, number, choice, rating scale, multi, checklist, and a
row of each table), waits until the answers are in the region's workspace on disk, reloads the
page and sees them again. Every page, custom ones included, must pass axe-core with no serious
or critical violation, after a reload as well.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sectorkit.apps import registry
from sectorkit.specs import load_spec
from sectorkit.store.workspace import Workspace
from tests.support.browser import axe_violations, time_to_first_widget

pytestmark = pytest.mark.browser

NOTEBOOK = registry.GENERIC_NOTEBOOK
WAIT_MS = 60_000
SHOTS = Path("/tmp/sectorkit-shots")
PAGES = registry.page_ids()
CUSTOM = set(registry.custom_page_ids())

#: what is typed into the first question of each free-text type
TYPED = {"text": "Three river counties", "long_text": "Meet monthly\nReport to the board", "number": "1250"}


@pytest.fixture(scope="module")
def server(served, tmp_path_factory):
    home = tmp_path_factory.mktemp("pages-home")
    s = served(NOTEBOOK, home)
    s.home = home
    return s


def open_page(page, server, page_id: str, region: str) -> None:
    url = server.url(NOTEBOOK, f"sheet={page_id}&region={region}")
    if registry.is_reference(page_id):  # a page to read may have no input at all (the case studies)
        page.goto(url, wait_until="commit")
    else:
        time_to_first_widget(page, url, timeout_ms=WAIT_MS)
    expect(page.locator("[role=status]").first).to_be_visible(timeout=WAIT_MS)


def radio_group(page, spec, qid: str):
    """The radio group of question ``qid``: radio groups appear in the spec's question order."""
    radios = [q.id for q in spec.questions() if q.type in ("choice", "scale")]
    return page.locator(".widget-radio-box").nth(radios.index(qid))


def text_input(page, spec, q):
    """The input of free-text question ``q`` (labels can repeat across sections: count in spec order)."""
    same = [x for x in spec.questions() if x.type in TYPED and x.label == q.label]
    return page.get_by_label(q.label, exact=True).nth(same.index(q))


def first_of_each_type(spec) -> dict[str, object]:
    found: dict[str, object] = {}
    for q in spec.questions():
        found.setdefault(q.type, q)
    return found


def answer(page, spec, questions: dict) -> dict[str, object]:
    """Answer one question of each type; return what the workspace should then hold."""
    expected: dict[str, object] = {}
    for qtype, q in questions.items():
        if qtype in TYPED:
            text_input(page, spec, q).fill(TYPED[qtype])
            expected[q.id] = int(TYPED[qtype]) if qtype == "number" else TYPED[qtype]
        elif qtype in ("choice", "scale"):
            first = spec.options_for(q)[0]
            radio_group(page, spec, q.id).locator("input[type=radio]").first.check()
            expected[q.id] = int(first.value) if qtype == "scale" else first.value
        elif qtype in ("multi", "checklist"):
            option = spec.options_for(q)[-1]
            boxes = page.get_by_label(option.label, exact=True)
            # the same option text can belong to several questions: take this question's box
            same = [x for x in spec.questions() if x.type in ("multi", "checklist")
                    and option.label in [o.label for o in spec.options_for(x)]]
            boxes.nth(same.index(q)).check()
            expected[q.id] = [option.value]
        elif qtype == "table":
            column = next(c for c in q.columns if c.type in ("text", "long_text"))
            page.get_by_role("button", name="Add a row").first.click()
            cell = page.get_by_label(f"Row 1, {column.label}", exact=True).first
            cell.fill("Regional foundation")
            expected[q.id] = {column.id: "Regional foundation"}
    return expected


def on_disk(home: Path, region: str, spec, questions: dict) -> dict[str, object]:
    if not (home / region).exists():
        return {}
    with Workspace.open(region, home, create=False) as ws:
        got: dict[str, object] = dict(ws.answers(spec.id))
        for q in questions.values():
            if q.type == "table":
                rows = ws.rows(spec.id, q.id)
                got[q.id] = {k: v for k, v in rows[0].value.items() if v not in (None, "")} if rows else None
    return got


def wait_for_disk(home: Path, region: str, spec, questions: dict, expected: dict, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        got = on_disk(home, region, spec, questions)
        if all(got.get(k) == v for k, v in expected.items()) or time.monotonic() > deadline:
            return got
        time.sleep(0.25)


def assert_shown(page, spec, questions: dict) -> None:
    for qtype, q in questions.items():
        if qtype in TYPED:
            expect(text_input(page, spec, q)).to_have_value(TYPED[qtype], timeout=WAIT_MS)
        elif qtype in ("choice", "scale"):
            expect(radio_group(page, spec, q.id).locator("input[type=radio]").first).to_be_checked()
        elif qtype in ("multi", "checklist"):
            option = spec.options_for(q)[-1]
            same = [x for x in spec.questions() if x.type in ("multi", "checklist")
                    and option.label in [o.label for o in spec.options_for(x)]]
            expect(page.get_by_label(option.label, exact=True).nth(same.index(q))).to_be_checked()
        elif qtype == "table":
            column = next(c for c in q.columns if c.type in ("text", "long_text"))
            expect(page.get_by_label(f"Row 1, {column.label}", exact=True).first).to_have_value("Regional foundation")


def assert_accessible(page, page_id: str, when: str) -> None:
    serious = axe_violations(page)
    if serious:
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"axe-{page_id}-{when}.png"), full_page=True)
    assert serious == [], f"{page_id} ({when}): {serious}"


def test_the_registry_lists_every_spec_and_custom_page():
    assert {"step2-aar", "staffing-funding", "lmi-review", "universe"} <= set(PAGES)
    assert any(q.type == "table" for p in PAGES if p not in CUSTOM for q in load_spec(p).questions()), (
        "no shipped worksheet has a table question: the browser test would not cover tables"
    )


@pytest.mark.parametrize("page_id", PAGES)
def test_every_page_saves_reloads_and_passes_axe(server, page, page_id):
    region = f"pages-{page_id}"[:63].rstrip("-")
    Workspace.open(region, server.home).close()  # pages never create a region named in the address
    open_page(page, server, page_id, region)
    assert_accessible(page, page_id, "fresh")
    if page_id == "faq":  # the filter works as you type, in the browser too
        page.get_by_label("Filter the questions").press_sequentially("rural")
        expect(page.get_by_role("status").first).to_have_text(re.compile(r"^\d+ of \d+ questions$"), timeout=WAIT_MS)
        expect(page.get_by_role("status").first).not_to_have_text(re.compile(r"^(\d+) of \1 questions$"))
    if page_id in CUSTOM:
        # custom pages have their own browser tests for their controls; here: they open, reload, pass axe
        page.reload()
        open_page(page, server, page_id, region)
        assert_accessible(page, page_id, "reloaded")
        return
    spec = load_spec(page_id)
    questions = first_of_each_type(spec)
    expected = answer(page, spec, questions)
    got = wait_for_disk(server.home, region, spec, questions, expected)
    assert {k: got.get(k) for k in expected} == expected
    page.reload()
    open_page(page, server, page_id, region)
    assert_shown(page, spec, questions)
    assert_accessible(page, page_id, "answered")
