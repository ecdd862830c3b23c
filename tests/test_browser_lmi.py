"""The LMI Review worksheet in a real browser: Voila serving it, headless Chromium driving it.

One Voila server (the repository's ``voila.json``: preheated kernel pool; it serves a
temporary folder holding only ``lmi_review.ipynb`` so no other notebook's pool competes for
the CPU) and one Chromium are shared by the module. One test marks a sector the way a user
would, reloads, and checks both the page and the region's SQLite workspace on disk; another
uploads a BLS zip and gzipped CSVs through the page's file input, uses them and reads the screen.

Chromium comes from Debian (``/usr/bin/chromium``); if it is missing the tests fail with an
install hint (they never skip).
"""

from __future__ import annotations

import gzip
import time
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sectorkit.core.paths import REPO_ROOT
from sectorkit.lmi import measures as lmi
from sectorkit.lmi import qcew, screen
from sectorkit.store.workspace import Workspace
from tests.support import QCEW
from tests.support.bls_server import bls_server
from tests.support.browser import INTERACTIVE, axe_violations, time_to_first_widget
from tests.support.voila import voila_server

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
def served_page(served, tmp_path_factory):
    """Voila serving only the LMI Review page, over a new SECTORKIT_HOME (``.home``)."""
    home = tmp_path_factory.mktemp("lmihome")
    server = served(NOTEBOOK, home)
    server.home = home
    return server


def open_page(page, url: str) -> None:
    time_to_first_widget(page, url, timeout_ms=WAIT_MS)
    expect(page.locator("[role=status]")).to_contain_text("Choices save as you make them", timeout=WAIT_MS)
    expect(page.locator(".sk-sector-row-0")).to_be_visible(timeout=WAIT_MS)


def choices_on_disk(home: Path, expected_code: str, region: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        got = {}
        if (home / region).exists():
            with Workspace.open(region, home, create=False) as ws:
                got = ws.records("sector_choice")
        if got.get(expected_code, {}).get("note") == NOTE or time.monotonic() > deadline:
            return got
        time.sleep(0.2)


def test_choice_and_note_survive_reload(served_page, page):
    """A new region (the example region comes with illustrative choices already made) on the example data."""
    code, title = top_sector()
    with Workspace.open("riverside", served_page.home, name="Riverside"):
        pass
    open_page(page, served_page.url(NOTEBOOK, "region=riverside"))
    expect(page.get_by_label("Illustrative example region", exact=True)).to_be_checked()
    row = page.locator(".sk-sector-row-0")
    expect(row).to_contain_text(title)
    expect(row).to_contain_text(f"NAICS {code}")
    expect(page.locator("img[alt^='Bubble chart']")).to_be_visible()
    expect(page.locator("table.sectorkit-ranked")).to_be_visible()

    row.get_by_label("Shortlist", exact=True).check()
    note = row.get_by_label(f"Note on {title}", exact=True)
    note.press_sequentially(NOTE, delay=5)
    expect(page.locator("[role=status]")).to_contain_text("Saved at", timeout=WAIT_MS)
    on_disk = choices_on_disk(served_page.home, code, "riverside")
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


UPLOAD_SHOT = Path("/tmp/h11/lmi_upload.png")
OHIO = QCEW / "ohio_morpc_county_annual"


def ohio(county: str) -> list[Path]:
    files = sorted(OHIO.glob(f"morpc-qcew-*-a-{county}.csv.gz"))
    assert len(files) == 4, f"shared QCEW data missing at {OHIO} (set SECTORKIT_SHARED)"
    return files


def test_upload_a_bls_zip_and_gzipped_csvs_and_see_the_screen(served_page, page, tmp_path):
    with Workspace.open("lakeside", served_page.home, name="Lakeside Workforce Board"):
        pass
    zipped = tmp_path / "2023_annual_by_area.zip"  # laid out as BLS's: the CSVs in a folder
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as z:
        for f in ohio("39041") + ohio("39049"):
            z.writestr(f"annual.by_area/{f.name[:-3]}", gzip.decompress(f.read_bytes()))
    counties = ("39041", "39049", "39089")
    data = qcew.read_area_files([f for c in counties for f in ohio(c)])
    expected = screen.build_sector_screen(data, lmi.Region.from_counties(counties), 2020, 2023)
    top_title = str(expected.loc[0, "industry_title"])

    open_page(page, served_page.url(NOTEBOOK, "region=lakeside"))
    expect(page.get_by_text("Lakeside Workforce Board")).to_be_visible()
    page.get_by_label("Files uploaded for this region", exact=True).check()
    expect(page.get_by_text("No files uploaded for this region yet.")).to_be_visible(timeout=WAIT_MS)
    notes = tmp_path / "contacts <b>list.csv"  # not BLS data: refused, its name shown as text
    notes.write_text("name,phone\nAda,555\n")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload BLS files").click()
    chooser.value.set_files(str(notes))
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The files were not stored.", timeout=WAIT_MS)
    expect(alert).to_contain_text("'contacts <b>list.csv'")
    expect(page.locator("[role=status]")).to_contain_text("Not stored: the upload was refused")
    # the FileUpload's <input type=file> is not in the document: it opens a chooser when its button is pressed
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload BLS files").click()
    assert chooser.value.is_multiple()
    chooser.value.element.set_input_files([str(zipped)] + [str(f) for f in ohio("39089")])
    expect(page.locator("[role=status]")).to_contain_text("Stored 12 files for this region", timeout=WAIT_MS)
    expect(page.locator(".sk-upload-row")).to_have_count(12)
    expect(page.get_by_text("12 files uploaded for this region")).to_be_visible()
    stored = sorted(p.name for p in (served_page.home / "lakeside" / "lmi").iterdir())
    assert stored == sorted(f.name[:-3] for c in counties for f in ohio(c))

    page.get_by_label("Counties", exact=True).fill(", ".join(counties))
    page.get_by_role("button", name="Use these files").click()
    table = page.locator("table.sectorkit-ranked")
    expect(table).to_be_visible(timeout=WAIT_MS)
    expect(table).to_contain_text(top_title)
    expect(page.locator(".sk-sector-row-0")).to_contain_text(top_title)
    expect(page.locator("[role=status]")).to_contain_text("Saved at", timeout=WAIT_MS)
    expect(page.locator("img[alt^='Bubble chart']")).to_be_visible()

    UPLOAD_SHOT.parent.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("document.querySelector('.sk-lmi-review').scrollHeight")
    page.set_viewport_size({"width": 1200, "height": min(int(height) + 200, 12000)})
    page.screenshot(path=str(UPLOAD_SHOT), full_page=True)
    page.set_viewport_size(VIEWPORT)

    problems = axe_violations(page, "serious")
    assert problems == [], problems


FETCH_SHOT = Path("/tmp/h11/lmi_fetch.png")


def test_pick_counties_by_name_fetch_from_bls_open_data_and_see_the_screen(page, tmp_path):
    """BLS open data by county, with a local stand-in for BLS (no test reaches the internet).

    Its own Voila server: the kernels must see ``SECTORKIT_BLS_URL`` pointing at the local server.
    """
    home = tmp_path / "home"
    with Workspace.open("riverton", home, name="Riverton Jobs Council"):
        pass
    counties = ("39041", "39049")
    data = qcew.read_area_files([f for c in counties for f in ohio(c)])
    expected = screen.build_sector_screen(data, lmi.Region.from_counties(counties), 2020, 2023)
    top_title = str(expected.loc[0, "industry_title"])
    with bls_server() as bls, voila_server(REPO_ROOT / "worksheets", cwd=REPO_ROOT, ready_notebook=NOTEBOOK,
                                           env={"SECTORKIT_HOME": str(home), "SECTORKIT_BLS_URL": bls.base_url}
                                           ) as server:
        open_page(page, server.url(NOTEBOOK, "region=riverton"))
        page.get_by_label("BLS open data (download by county)", exact=True).check()
        picker = page.locator(".sk-bls-picker")
        expect(picker).to_be_visible(timeout=WAIT_MS)
        picker.get_by_label("State", exact=True).select_option(label="Ohio")
        expect(picker.get_by_label("Your counties", exact=True).locator("option")).to_have_count(88, timeout=WAIT_MS)
        picker.get_by_label("Your counties", exact=True).select_option(label=["Delaware County", "Franklin County"])
        expect(picker).to_contain_text("Chosen: Delaware County, Franklin County (2 counties).", timeout=WAIT_MS)
        picker.get_by_label("First year", exact=True).select_option(label="2020")
        picker.get_by_label("Last year", exact=True).select_option(label="2023")
        picker.get_by_role("button", name="Fetch from BLS").click()

        table = page.locator("table.sectorkit-ranked")
        expect(table).to_be_visible(timeout=WAIT_MS)
        expect(table).to_contain_text(top_title)
        expect(page.locator(".sk-sector-row-0")).to_contain_text(top_title)
        expect(page.get_by_text("2 counties in Ohio, private employment")).to_be_visible()
        expect(picker).to_contain_text("Downloaded 8 files.")
        expect(page.locator("[role=status]")).to_contain_text("Saved at", timeout=WAIT_MS)
        expect(page.locator("img[alt^='Bubble chart']")).to_be_visible()
        assert sorted(p.relative_to(home / ".cache" / "bls").as_posix()
                      for p in (home / ".cache" / "bls").glob("*/*.csv")) == sorted(
            f"{y}/{c}.csv" for y in range(2020, 2024) for c in counties)
        assert bls.asked(2023, "39049") == 1

        FETCH_SHOT.parent.mkdir(parents=True, exist_ok=True)
        height = page.evaluate("document.querySelector('.sk-lmi-review').scrollHeight")
        page.set_viewport_size({"width": 1200, "height": min(int(height) + 200, 12000)})
        page.screenshot(path=str(FETCH_SHOT), full_page=True)
        page.set_viewport_size(VIEWPORT)

        problems = axe_violations(page, "serious")
        assert problems == [], problems
