"""Steps 2 to 5 in a real browser, for a fresh region, then the region's report.

One walk through the generic page (``sheet.ipynb?sheet=<page>&region=<region>``), the least that
proves the pages hand their results on: shortlist a sector on the readiness page (its NAICS box, as
the LMI Review would) and rate a factor; change the footprint (take two counties out, add one back
by its code); name the sector on the launch page and pre-fill the invitation list from the Universe,
then mark an invitee Yes; write a priority in the launch record; press "Start from the launch
priorities" on the action-teams page and see the team. The region's report (HTML) then shows each
step. Only the Universe of Connections is seeded through the workspace beforehand
(:func:`tests.support.seed.small_universe`): Step 1 has its own browser test.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sectorkit import reports as report
from sectorkit.apps import registry
from sectorkit.lmi import footprint as F
from sectorkit.lmi.sources import source_data
from sectorkit.store.workspace import Workspace
from tests.support.browser import time_to_first_widget
from tests.support.seed import small_universe

pytestmark = pytest.mark.browser

NOTEBOOK = registry.GENERIC_NOTEBOOK
REGION = "flow-lakeside"
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def server(served, tmp_path_factory):
    home = tmp_path_factory.mktemp("flow-home")
    with Workspace.open(REGION, home, name="Lakeside <flow>") as ws:
        small_universe(ws)
    s = served(NOTEBOOK, home)
    s.home = home
    return s


def open_sheet(page, server, page_id: str) -> None:
    time_to_first_widget(page, server.url(NOTEBOOK, f"sheet={page_id}&region={REGION}"), timeout_ms=WAIT_MS)
    expect(page.locator("[role=status]").first).to_be_visible(timeout=WAIT_MS)


def on_disk(home: Path, read: Callable[[Workspace], object], expected: object, timeout: float = 30) -> object:
    """Poll the region's workspace until ``read(ws) == expected`` (or time out); return the last value read."""
    deadline = time.monotonic() + timeout
    while True:
        with Workspace.open(REGION, home, create=False) as ws:
            got = read(ws)
        if got == expected or time.monotonic() > deadline:
            return got
        time.sleep(0.25)


def text_of(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def test_steps_2_to_5_through_the_pages_then_the_report(server, page):
    home = server.home
    t0 = time.monotonic()

    # Step 2, industry readiness: shortlist Manufacturing by its code, rate one factor
    open_sheet(page, server, "industry-readiness")
    expect(page.get_by_text("No sector is shortlisted yet.")).to_be_visible()
    page.get_by_label("Shortlist a sector by its NAICS code").fill("31-33")
    page.get_by_role("button", name="Add to the shortlist").click()
    growing = page.get_by_label("Growing, not contracting (Manufacturing)", exact=True)
    expect(growing).to_be_visible(timeout=WAIT_MS)
    growing.select_option(label="4: Strong evidence")
    assert on_disk(home, lambda ws: ws.records("readiness").get("31-33", {}).get("ratings"),
                   {"growing": 4}) == {"growing": 4}
    assert on_disk(home, lambda ws: ws.records("sector_choice")["31-33"]["decision"], "shortlist") == "shortlist"

    # Step 2, footprint: every example county starts In; take two out, add one back by its code
    open_sheet(page, server, "footprint")
    for code in ("99005", "99007"):
        box = page.get_by_label(re.compile(rf"^In: .*\({code}\)$"))
        expect(box).to_be_checked(timeout=WAIT_MS)
        box.uncheck()
    page.get_by_label("Add a county by FIPS code").fill("99007")
    page.get_by_role("button", name="Add the county").click()
    expect(page.get_by_text("County 99007 is already listed; it is now In.")).to_be_visible(timeout=WAIT_MS)
    counties = ("99001", "99003", "99007")
    assert on_disk(home, lambda ws: F.saved_counties(ws)[0], counties) == counties
    fig = F.footprint_figures(source_data("example")[0], counties, "31-33", 2020, 2023)
    expect(page.get_by_text(f"Establishments: {fig['establishments']:,.0f}")).to_be_visible(timeout=WAIT_MS)

    # Step 3, prepare to launch: name the sector, pre-fill the invitation list from the Universe, one says yes
    open_sheet(page, server, "prepare-launch")
    page.get_by_label("Which sector is the launch for?", exact=True).fill("Manufacturing")
    assert on_disk(home, lambda ws: ws.answers("prepare-launch").get("target-sector"),
                   "Manufacturing") == "Manufacturing"
    page.get_by_role("button", name="Pre-fill from the Universe").click()
    expect(page.get_by_label("Row 3, Business (from the Universe)", exact=True)).to_be_visible(timeout=WAIT_MS)
    businesses = ["anchor-machining", "bayview-plastics", "cove-robotics"]  # not the hospital
    assert on_disk(home, lambda ws: [r.value["business"] for r in ws.rows("prepare-launch", "invitations")],
                   businesses) == businesses
    page.get_by_label("Row 1, Status", exact=True).last.select_option(label="Yes")
    assert on_disk(home, lambda ws: ws.rows("prepare-launch", "invitations")[0].value["status"], "yes") == "yes"

    # Step 4, launch record: one priority
    open_sheet(page, server, "launch-capture")
    page.get_by_role("button", name="Add a row").first.click()
    page.get_by_label("Row 1, Priority (short name)", exact=True).fill("Grow our own talent")
    assert on_disk(home, lambda ws: [r.value.get("priority") for r in ws.rows("launch-capture", "priorities")],
                   ["Grow our own talent"]) == ["Grow our own talent"]

    # Step 5, action teams: one click makes the team from the launch priority
    open_sheet(page, server, "action-teams")
    page.get_by_role("button", name="Start from the launch priorities").click()
    expect(page.get_by_label("Row 1, Team", exact=True)).to_have_value("Grow our own talent", timeout=WAIT_MS)
    expect(page.get_by_text("1 team added from the launch priorities")).to_be_visible()
    assert on_disk(home, lambda ws: [r.value["team"] for r in ws.rows("action-teams", "teams")],
                   ["Grow our own talent"]) == ["Grow our own talent"]
    walked = time.monotonic() - t0

    # the region's report finds every step
    result = report.build_region_html(REGION, home)
    words = text_of(result["html"])
    assert "Lakeside <flow>" in words and "<flow>" not in result["html"]
    assert "Geographic footprint Done 3 counties in" in words
    assert f"Establishments: {fig['establishments']:,.0f}" in words
    assert "1 Manufacturing (NAICS 31-33) 4.00" not in words  # one factor rated: not ranked yet
    assert "not rated Manufacturing (NAICS 31-33)" in words and "Not rated yet: 1 of 6 factors rated" in words
    assert "3 on the invitation list, 1 invited, 1 said yes" in words
    assert "Grow our own talent" in words and "Deliverables by team on" in words
    assert walked + result["seconds"] < 150, (walked, result["seconds"])
