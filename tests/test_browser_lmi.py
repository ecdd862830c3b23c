"""The LMI Review worksheet in a real browser: Voila serving it, headless Chromium driving it.

One Voila server (the repository's ``voila.json``: preheated kernel pool; it serves a
temporary folder holding only ``lmi_review.ipynb`` so no other notebook's pool competes for
the CPU) and one Chromium are shared by the module. The test marks a sector the way a user
would, reloads, and checks both the page and the region's SQLite workspace on disk.

Chromium comes from Debian (``/usr/bin/chromium``); if it is missing the tests fail with an
install hint (they never skip).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sectorkit.lmi import measures as lmi
from sectorkit.lmi import qcew, screen
from sectorkit.store.workspace import Workspace
from tests.support.browser import INTERACTIVE, axe_violations, time_to_first_widget

pytestmark = pytest.mark.browser

NOTEBOOK = "lmi_review.ipynb"
VIEWPORT = {"width": 1200, "height": 900}
WAIT_MS = 60_000
SHOTS = Path("/tmp/sectorkit-shots")
NOTE = "Three large employers <b>already</b> asked us about technicians & nurses"


def top_sector() -> tuple[str, str]:
    """Code and title of the rank-1 sector of the example region's default screen."""
    folder = qcew.example_region_path()
    data = qcew.read_area_files(folder)
    region = lmi.Region.from_crosswalk(folder / "crosswalk.csv", "RIVERBEND4")
    s = screen.build_sector_screen(data, region, 2020, 2023)
    return str(s.loc[0, "industry_code"]), str(s.loc[0, "industry_title"])


@pytest.fixture(scope="module")
def served_page(served):
    """Voila serving only the LMI Review page, over a new SECTORKIT_HOME (``.home``)."""
    return served(NOTEBOOK)


def open_page(page, url: str) -> None:
    time_to_first_widget(page, url, timeout_ms=WAIT_MS)
    expect(page.locator("[role=status]")).to_contain_text("Choices save as you make them", timeout=WAIT_MS)
    expect(page.locator(".sk-sector-row-0")).to_be_visible(timeout=WAIT_MS)


def choices_on_disk(home: Path, expected_code: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        got = {}
        if (home / "example").exists():
            with Workspace.open("example", home, create=False) as ws:
                got = ws.records("sector_choice")
        if got.get(expected_code, {}).get("note") == NOTE or time.monotonic() > deadline:
            return got
        time.sleep(0.2)


def test_choice_and_note_survive_reload(served_page, page):
    code, title = top_sector()
    open_page(page, served_page.url(NOTEBOOK))
    expect(page.get_by_text("Illustrative example region.")).to_be_visible()
    row = page.locator(".sk-sector-row-0")
    expect(row).to_contain_text(title)
    expect(row).to_contain_text(f"NAICS {code}")
    expect(page.locator("img[alt^='Bubble chart']")).to_be_visible()
    expect(page.locator("table.sectorkit-ranked")).to_be_visible()

    row.get_by_label("Shortlist", exact=True).check()
    note = row.get_by_label(f"Note on {title}", exact=True)
    note.press_sequentially(NOTE, delay=5)
    expect(page.locator("[role=status]")).to_contain_text("Saved at", timeout=WAIT_MS)
    on_disk = choices_on_disk(served_page.home, code)
    assert on_disk[code]["decision"] == "shortlist"
    assert on_disk[code]["note"] == NOTE
    assert on_disk[code]["title"] == title
    summary = page.locator(".sk-lmi-review").get_by_text("Your shortlist")
    expect(summary).to_be_visible()
    expect(page.get_by_text(f"{title} (NAICS {code}): {NOTE}")).to_be_visible()  # shown as text, escaped

    page.reload(wait_until="commit")
    page.wait_for_selector(INTERACTIVE, state="visible", timeout=WAIT_MS)
    expect(page.locator("[role=status]")).to_contain_text("Saved at", timeout=WAIT_MS)
    row = page.locator(".sk-sector-row-0")
    expect(row.get_by_label("Shortlist", exact=True)).to_be_checked(timeout=WAIT_MS)
    expect(row.get_by_label(f"Note on {title}", exact=True)).to_have_value(NOTE)
    # only that one sector is marked
    shortlisted = page.locator(".sk-sector-row label", has_text="Shortlist").locator("input:checked")
    assert shortlisted.count() == 1
    expect(page.get_by_text(f"{title} (NAICS {code}): {NOTE}")).to_be_visible()

    SHOTS.mkdir(parents=True, exist_ok=True)
    # Voila scrolls inside the page, so a full-page shot needs a viewport as tall as the app
    height = page.evaluate("document.querySelector('.sk-lmi-review').scrollHeight")
    page.set_viewport_size({"width": 1200, "height": min(int(height) + 200, 12000)})
    page.screenshot(path=str(SHOTS / "lmi-review.png"), full_page=True)
    page.set_viewport_size({"width": 1200, "height": 900})

    problems = axe_violations(page, "serious")
    assert problems == [], problems
