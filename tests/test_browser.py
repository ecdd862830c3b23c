"""The AAR worksheet in a real browser: Voila serving it, headless Chromium driving it.

One Voila server (the repository's ``voila.json``: preheated kernel pool) and one
Chromium are shared by the module to keep the run short. Every test drives the
page the way a user would and then checks the region's SQLite workspace on disk.

Chromium comes from Debian (``/usr/bin/chromium``); if it is missing the tests
fail with an install hint (they never skip).
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from sectorkit.core.paths import REPO_ROOT
from sectorkit.specs import load_spec
from sectorkit.store.workspace import Workspace
from tests.support.browser import INTERACTIVE, axe_violations, time_to_first_widget
from tests.support.seed import example_without_answers
from tests.support.voila import voila_server
from tools.voila_bundle.page_bundle import BUNDLE_NAME, chunk_url_path

pytestmark = pytest.mark.browser

NOTEBOOK = "step2_aar.ipynb"
SPEC = load_spec("step2-aar")
QUESTIONS = {q.id: q for q in SPEC.questions()}
OPTIONS = {q.id: {o.value: o.label for o in SPEC.options_for(q)}
           for q in SPEC.questions() if q.type in ("choice", "scale", "multi", "checklist")}
WAIT_MS = 60_000
SHOTS = Path("/tmp/sectorkit-shots")

# What test 1 enters (and what later tests expect to find again).
TEXT_Q, TEXT_A = "footprint-description", "Four river-valley counties plus two towns across the state line"
RADIO_Q, RADIO_A = "ready-for-step3", "ready-with-conditions"
CHECK_Q, CHECK_A = "data-sources", "qcew"


class Served:
    """The module's Voila server over one SECTORKIT_HOME; restartable on the same home."""

    def __init__(self, home: Path):
        self.home = home
        self._cm = None
        self.server = None

    def start(self) -> None:
        self._cm = voila_server(
            REPO_ROOT / "worksheets", cwd=REPO_ROOT, env={"SECTORKIT_HOME": str(self.home)}, ready_notebook=NOTEBOOK
        )
        self.server = self._cm.__enter__()

    def stop(self) -> None:
        if self._cm is not None:
            cm, self._cm = self._cm, None
            cm.__exit__(None, None, None)

    def restart(self) -> None:
        self.stop()
        self.start()

    def url(self, region: str | None = None, raw_query: str | None = None) -> str:
        query = raw_query if raw_query is not None else (f"region={region}" if region else "")
        return self.server.url(NOTEBOOK, query)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """This module's own server (restartable on the same home), in place of conftest's factory."""
    home = tmp_path_factory.mktemp("skhome")
    for region in ("lakeside", "fastreload", "nobundle"):  # pages never create a region named in the address
        Workspace.open(region, home).close()
    example_without_answers(home).close()  # the Step 2 review starts empty in the example region
    s = Served(home)
    s.start()
    yield s
    s.stop()


# -- helpers --------------------------------------------------------------

def open_sheet(page, url: str) -> float:
    """Load the worksheet; wait for the first control and the status line. Returns seconds to first widget."""
    seconds = time_to_first_widget(page, url, timeout_ms=WAIT_MS)
    expect(status(page)).to_contain_text("Answers save as you type", timeout=WAIT_MS)
    return seconds


def status(page):
    return page.locator("[role=status]")


def text_box(page, qid: str):
    return page.get_by_label(QUESTIONS[qid].label, exact=True)


def option_box(page, qid: str, value: str):
    return page.get_by_label(OPTIONS[qid][value], exact=True)


def answers_on_disk(home: Path, region: str) -> dict:
    with Workspace.open(region, home, create=False) as ws:
        return ws.answers(SPEC.id)


def wait_for_disk(home: Path, region: str, expected: dict, timeout: float = 30) -> dict:
    """Poll the workspace until it holds ``expected`` (a subset of the answers)."""
    deadline = time.monotonic() + timeout
    while True:
        got = answers_on_disk(home, region) if (home / region).exists() else {}
        if all(got.get(k) == v for k, v in expected.items()) or time.monotonic() > deadline:
            return got
        time.sleep(0.2)


def assert_entered_answers_shown(page) -> None:
    expect(text_box(page, TEXT_Q)).to_have_value(TEXT_A, timeout=WAIT_MS)
    expect(option_box(page, RADIO_Q, RADIO_A)).to_be_checked()
    expect(option_box(page, CHECK_Q, CHECK_A)).to_be_checked()
    # and nothing else ticked or chosen by accident
    assert page.locator(".jupyter-widgets input[type=radio]:checked").count() == 1
    assert page.locator(".jupyter-widgets input[type=checkbox]:checked").count() == 1


# -- tests ----------------------------------------------------------------

def test_answers_survive_reload_and_reach_disk(served, page):
    open_sheet(page, served.url())
    expect(page.get_by_text("Illustrative example region.")).to_be_visible()
    expect(text_box(page, TEXT_Q)).to_have_value("")

    text_box(page, TEXT_Q).fill("")
    text_box(page, TEXT_Q).press_sequentially(TEXT_A, delay=5)
    option_box(page, RADIO_Q, RADIO_A).check()
    option_box(page, CHECK_Q, CHECK_A).check()
    expect(status(page)).to_contain_text("Saved at", timeout=WAIT_MS)
    expected = {TEXT_Q: TEXT_A, RADIO_Q: RADIO_A, CHECK_Q: [CHECK_A]}
    on_disk = wait_for_disk(served.home, "example", expected)
    assert {k: on_disk.get(k) for k in expected} == expected
    expect(page.get_by_text(f"3 of {len(QUESTIONS)} questions answered.")).to_be_visible()

    page.reload(wait_until="commit")
    page.wait_for_selector(INTERACTIVE, state="visible", timeout=WAIT_MS)
    expect(status(page)).to_contain_text("Saved at", timeout=WAIT_MS)
    assert_entered_answers_shown(page)

    saved = answers_on_disk(served.home, "example")
    assert saved[TEXT_Q] == TEXT_A
    assert saved[RADIO_Q] == RADIO_A
    assert saved[CHECK_Q] == [CHECK_A]


def test_answers_survive_server_restart(served, page):
    expected = {TEXT_Q: TEXT_A, RADIO_Q: RADIO_A, CHECK_Q: [CHECK_A]}
    if not (served.home / "example").exists() or answers_on_disk(served.home, "example") != expected:
        # run on its own (-k): put test 1's answers in place first, as the browser would have
        with Workspace.open("example", served.home, illustrative=True) as ws:
            ws.save_answers(SPEC.id, expected)
    old = served.server
    served.restart()
    assert old.proc.poll() is not None, "the first Voila server is still running"
    assert served.server.proc.poll() is None

    open_sheet(page, served.url())
    expect(status(page)).to_contain_text("Saved at", timeout=WAIT_MS)
    assert_entered_answers_shown(page)


def test_regions_are_separate(served, page):
    before = answers_on_disk(served.home, "example") if (served.home / "example").exists() else {}
    open_sheet(page, served.url("lakeside"))
    expect(page.get_by_text("Region: lakeside")).to_be_visible()
    expect(page.get_by_text("Illustrative example region.")).to_have_count(0)
    expect(text_box(page, TEXT_Q)).to_have_value("")
    assert page.locator(".jupyter-widgets input[type=radio]:checked").count() == 0
    assert page.locator(".jupyter-widgets input[type=checkbox]:checked").count() == 0
    for area in page.locator(".jupyter-widgets textarea").all():
        assert area.input_value() == ""
    expect(status(page)).to_have_text("Answers save as you type.")

    text_box(page, TEXT_Q).press_sequentially("Lakeside shore towns", delay=5)
    expect(status(page)).to_contain_text("Saved at", timeout=WAIT_MS)
    assert wait_for_disk(served.home, "lakeside", {TEXT_Q: "Lakeside shore towns"})[TEXT_Q] == "Lakeside shore towns"
    assert (served.home / "lakeside" / "workspace.sqlite").is_file()

    after = answers_on_disk(served.home, "example") if (served.home / "example").exists() else {}
    assert after == before
    # and the example page still shows its own answer, not the lakeside one
    open_sheet(page, served.url())
    expect(text_box(page, TEXT_Q)).to_have_value(before.get(TEXT_Q, ""), timeout=WAIT_MS)


@pytest.mark.parametrize(
    "raw_query, shown",
    [
        ("region=..%2F..%2Fetc", "'../../etc' is not a valid region id"),
        ("region=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "'<script>alert(1)</script>' is not a valid region id"),
    ],
    ids=["path-traversal", "script-tag"],
)
def test_bad_region_is_refused(served, page, raw_query, shown):
    before = sorted(p.name for p in served.home.iterdir())
    page.goto(served.url(raw_query=raw_query), wait_until="commit")
    expect(page.get_by_role("alert")).to_contain_text("This worksheet cannot open", timeout=WAIT_MS)
    expect(page.get_by_role("alert")).to_contain_text(shown)
    assert page.locator(INTERACTIVE).count() == 0
    assert page.locator("script:text('alert(1)')").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert sorted(p.name for p in served.home.iterdir()) == before
    assert not (served.home.parent / "etc").exists()


def test_leaving_the_page_shuts_its_kernel_down(served, page):
    """A page opened by its direct link hands its kernel back when the user leaves.

    Voila's front end posts the shutdown with the _xsrf cookie, which a direct
    /voila/render/ link never received; without sectorkit's template the server
    refused it (403) and every visit left a kernel running.
    """
    log = served.server.log
    start = len(log.read_text())
    open_sheet(page, served.url())
    used = re.findall(r"Using pre-heated kernel: ([0-9a-f-]+)", log.read_text()[start:])
    assert len(used) == 1, log.read_text()[start:]
    page.goto("about:blank")
    deadline = time.monotonic() + 30
    while f"Kernel shutdown: {used[0]}" not in log.read_text()[start:] and time.monotonic() < deadline:
        time.sleep(0.2)
    tail = log.read_text()[start:]
    assert f"Kernel shutdown: {used[0]}" in tail, tail[-2000:]
    assert "403 POST" not in tail


def test_reloading_right_after_typing_keeps_every_character(served, page):
    """Type fast and reload at once: the whole answer reaches the workspace, every time.

    The widget front end holds updates while one is in flight, and Voila shuts the kernel down as
    the page unloads; before sectorkit's template handled both, 4 reloads in 5 cut the answer short.
    The person goes on typing on the reloaded page at once: the old page's kernel, which may live on
    when the reload came before the kernel confirmed every change, is told its browser left and
    raises no conflict with them (it once did, and the choice that appeared re-drew the page under
    the person's fingers, losing the rest of what they typed).
    """
    leaving_to = ("[...window.jupyterapp.widgetManager._modelsSync.values()]"
                  ".filter((m) => (m.get('_dom_classes') || []).includes('sk-page')).length")
    for attempt in range(3):
        open_sheet(page, served.url("fastreload"))
        assert page.evaluate(leaving_to) >= 1  # the pages the template tells as it unloads
        box = text_box(page, TEXT_Q)
        box.fill("")
        text = f"Attempt {attempt}: three counties along the river and two towns"
        box.press_sequentially(text, delay=5)
        page.reload(wait_until="commit")
        assert wait_for_disk(served.home, "fastreload", {TEXT_Q: text})[TEXT_Q] == text
        box = text_box(page, TEXT_Q)
        expect(box).to_have_value(text, timeout=WAIT_MS)
        box.press("End")
        box.press_sequentially(" and a lake", delay=5)
        text += " and a lake"
        assert wait_for_disk(served.home, "fastreload", {TEXT_Q: text})[TEXT_Q] == text
    page.wait_for_timeout(2500)  # two polls of any old page still running
    with Workspace.open("fastreload", served.home, create=False) as ws:
        assert ws.conflicts() == []
    open_sheet(page, served.url("fastreload"))
    expect(text_box(page, TEXT_Q)).to_have_value(text)
    assert page.locator(".sk-conflict").count() == 0


def test_front_end_chunks_come_in_one_script(served, page):
    """The page takes Voila's front-end chunks from the template's bundle, not one request each.

    If this fails after upgrading Voila or ipywidgets, record the list again
    (``python scripts/record_voila_chunks.py``) and rebuild (``make``).
    """
    scripts: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_sheet(page, served.url())
    page.wait_for_load_state("networkidle")
    bundles = [u for u in scripts if urlparse(u).path.endswith(f"/static/{BUNDLE_NAME}")]
    assert len(bundles) == 1, scripts
    fetched_alone = [p for p in map(chunk_url_path, scripts) if p]
    assert fetched_alone == [], f"{len(fetched_alone)} chunks fetched one by one, e.g. {fetched_alone[:3]}"
    assert len(scripts) <= 6, scripts  # bundle, voila-style.js, voila.js, one remoteEntry per lab extension
    assert errors == []


def test_page_works_without_the_bundle(served, page):
    """A bundle that is missing (or lacks a chunk) costs speed, never function: voila.js fetches the chunks."""
    page.route(f"**/static/{BUNDLE_NAME}*", lambda route: route.fulfill(status=404, body=""))
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    open_sheet(page, served.url("nobundle"))
    assert len([p for p in map(chunk_url_path, scripts) if p]) > 20
    text_box(page, TEXT_Q).press_sequentially("typed without the bundle", delay=5)
    expect(status(page)).to_contain_text("Saved at", timeout=WAIT_MS)
    typed = {TEXT_Q: "typed without the bundle"}
    assert wait_for_disk(served.home, "nobundle", typed)[TEXT_Q] == typed[TEXT_Q]


def test_accessibility_axe_and_keyboard(served, page):
    open_sheet(page, served.url())
    found = axe_violations(page, "minor")
    print("axe violations (all impacts):", found)
    serious = [v for v in found if v["impact"] in ("serious", "critical")]
    assert serious == [], f"axe found serious problems: {serious}"
    # sectorkit's Voila template gives the page a main landmark and a language
    assert found == [], f"axe found problems: {found}"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("[role=main] .jupyter-widgets").count() > 0

    # Keyboard only: Tab from the top of the page (past the team name box) to the first question's text
    # field, type, saved.
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    tag = None
    for presses in range(1, 61):
        page.keyboard.press("Tab")
        tag = page.evaluate(
            """() => { const e = document.activeElement;
                if (!e) return null;
                if (e.labels && e.labels[0] && e.labels[0].textContent.startsWith('Name shown to your team')) {
                    return null;  // the team name box (labelled, reached first) is not a question
                }
                if (e.tagName === 'TEXTAREA') return 'textarea';
                if (e.tagName === 'INPUT' && (e.type === 'text' || e.type === '')) return 'text';
                return null; }"""
        )
        if tag:
            break
    assert tag, "no text field reached with 60 presses of Tab"
    print(f"first text field reached after {presses} Tab presses")
    label = page.evaluate("() => document.activeElement.labels && document.activeElement.labels[0]?.textContent")
    assert label == QUESTIONS[TEXT_Q].label, f"first text field reached by Tab is labelled {label!r}"
    before = text_box(page, TEXT_Q).input_value()
    page.keyboard.press("End")
    page.keyboard.type(" (typed with the keyboard)", delay=5)
    expected = before + " (typed with the keyboard)"
    expect(text_box(page, TEXT_Q)).to_have_value(expected)
    expect(status(page)).to_contain_text("Saved at", timeout=WAIT_MS)
    assert wait_for_disk(served.home, "example", {TEXT_Q: expected})[TEXT_Q] == expected


def test_screenshot(served, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1100, "height": 3000})
    try:
        pg = context.new_page()
        open_sheet(pg, served.url())
        pg.wait_for_timeout(500)
        pg.screenshot(path=str(SHOTS / "aar-full.png"), full_page=True)
        area = pg.locator(".jp-OutputArea").first
        area.screenshot(path=str(SHOTS / "aar-output.png"))
        assert (SHOTS / "aar-full.png").stat().st_size > 10_000
        # A phone-width view of the same page, to look at how long labels wrap.
        pg.set_viewport_size({"width": 390, "height": 4200})
        pg.wait_for_timeout(500)
        pg.screenshot(path=str(SHOTS / "aar-narrow.png"), full_page=True)
        overflow = pg.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        print(f"horizontal overflow at 390px wide: {overflow}px")
    finally:
        context.close()
