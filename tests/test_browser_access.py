"""Access in a real browser: a Voila server with ``SECTORKIT_ACCESS=code`` and one coded region.

The region's worksheet first shows the access form (no answer on the page); a wrong code is
refused in the status line; the right code opens the worksheet in place; a second page of the
same region then opens without the form (the browser's remembered pass). axe-core finds no
serious or critical violation on the form, and the code is in neither the page nor localStorage.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from sectorkit.apps import registry
from sectorkit.core.paths import REPO_ROOT
from sectorkit.specs import load_spec
from sectorkit.workspaces.regions import create_region
from tests.support.browser import axe_violations, time_to_first_widget
from tests.support.voila import voila_server

pytestmark = pytest.mark.browser

NOTEBOOK = registry.GENERIC_NOTEBOOK
WAIT_MS = 90_000
CODE = "riverbend-2026"
AAR = load_spec("step1-aar")
QUESTION = next(q for q in AAR.questions() if q.type == "text")
ANSWER = "Only the Riverbend team may read this"
SECOND = load_spec("step2-aar")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("access-home")
    with create_region("Riverbend", home, region_id="riverbend", access_code=CODE) as ws:
        ws.save_answer(AAR.id, QUESTION.id, ANSWER)
    env = {"SECTORKIT_HOME": str(home), "SECTORKIT_ACCESS": "code"}
    with voila_server(REPO_ROOT / "worksheets", cwd=REPO_ROOT, env=env, ready_notebook=NOTEBOOK, timeout=180) as s:
        yield s


def test_the_code_opens_the_region_once_per_browser(server, page):
    time_to_first_widget(page, server.url(NOTEBOOK, f"sheet={AAR.id}&region=riverbend"), timeout_ms=WAIT_MS)
    expect(page.get_by_role("heading", name="Open the region \u2018riverbend\u2019")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_label(QUESTION.label, exact=True)).to_have_count(0)
    assert ANSWER not in page.content()
    assert axe_violations(page) == []

    box = page.get_by_label("Access code", exact=True)
    box.fill("a-wrong-guess")
    page.get_by_role("button", name="Open", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="That code does not open this region.")).to_be_visible(
        timeout=WAIT_MS)
    expect(box).to_have_value("")
    assert ANSWER not in page.content()

    box.fill(CODE)
    page.get_by_role("button", name="Open", exact=True).click()
    expect(page.get_by_label(QUESTION.label, exact=True)).to_have_value(ANSWER, timeout=WAIT_MS)
    page.wait_for_function("() => (localStorage.getItem('sectorkit:pass-riverbend') || '').startsWith('p1.')",
                           timeout=15_000)
    stored = page.evaluate("() => JSON.stringify(Object.assign({}, localStorage))")
    assert CODE not in page.content() and CODE not in stored

    # another page of the region in the same browser: the remembered pass opens it, no form
    time_to_first_widget(page, server.url(NOTEBOOK, f"sheet={SECOND.id}&region=riverbend"), timeout_ms=WAIT_MS)
    expect(page.get_by_role("heading", name=SECOND.title, exact=True)).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_label("Access code", exact=True)).to_have_count(0)
    assert CODE not in page.content()
    assert json.loads(stored)["sectorkit:pass-riverbend"] == page.evaluate(
        "() => localStorage.getItem('sectorkit:pass-riverbend')")
