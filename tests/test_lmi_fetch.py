"""BLS open data by county: downloading area slices into the user's cache, and the LMI Review's county picker.

No test reaches the internet: ``tests.support.bls_server`` serves the real QCEW area slices of the shared
folder (``tests.support.QCEW``, see its PROVENANCE.md) on 127.0.0.1 at BLS's addresses, with faults on
demand (a 500, a slow answer, a web page, an oversized body, another area's file). The shared folder has
no U.S. (``US000``) slices, so the nation is a 404 here, as for a year BLS has not published.
"""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest

from sectorkit.apps.lmi_review import LMIReviewApp
from sectorkit.apps.lmi_sources import BLS_LABEL, EXAMPLE_LABEL
from sectorkit.core.errors import DataError
from sectorkit.lmi import fetch, qcew, screen
from sectorkit.lmi import measures as lmi
from sectorkit.lmi.sources import BLS, SETTINGS_KEY, SETTINGS_KIND, load_source, source_data
from sectorkit.lmi.uploads import folder_of
from sectorkit.store.workspace import Workspace
from tests.support.bls_server import OHIO, BLSServer, bls_server
from tests.support.voila import free_port

COUNTIES = ("39041", "39049")  # Delaware and Franklin, Ohio
YEARS = (2022, 2023)


def shared(year: int, area: str) -> bytes:
    f = OHIO / f"morpc-qcew-{year}-a-{area}.csv.gz"
    assert f.is_file(), f"shared QCEW data missing at {OHIO} (set SECTORKIT_SHARED)"
    return gzip.decompress(f.read_bytes())


def cache_listing(cache: Path) -> list[str]:
    return sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*")) if cache.exists() else []


@pytest.fixture(scope="module")
def bls_module():
    with bls_server() as server:
        yield server


@pytest.fixture
def bls(bls_module):
    bls_module.reset()
    return bls_module


@pytest.fixture
def cache(tmp_path) -> Path:
    return fetch.cache_folder(tmp_path / "home")


def get(bls: BLSServer, cache: Path, areas=COUNTIES, years=YEARS, **kw) -> fetch.FetchResult:
    kw.setdefault("backoff", 0.05)
    return fetch.fetch_areas(areas, years, cache, base_url=bls.base_url, **kw)


# --------------------------------------------------------------------------- the library
def test_fetch_downloads_the_slices_and_caches_them_byte_for_byte(bls, cache):
    calls = []
    result = get(bls, cache, progress=lambda done, total, what: calls.append((done, total, what)))
    pairs = [(y, a) for y in YEARS for a in COUNTIES]
    assert result.fetched == pairs and result.from_cache == [] and not result.offline
    assert result.files == [cache / str(y) / f"{a}.csv" for y, a in pairs]
    for y, a in pairs:
        assert (cache / str(y) / f"{a}.csv").read_bytes() == shared(y, a)
    # the nation is always asked for (for location quotients); this server has none: a 404, named, not cached
    assert set(result.failed) == {(y, "US000") for y in YEARS}
    assert all("404" in why for why in result.failed.values())
    assert bls.asked(2023, "US000") >= 1
    assert cache_listing(cache) == ["2022", "2022/39041.csv", "2022/39049.csv", "2023", "2023/39041.csv",
                                    "2023/39049.csv"]
    # progress: one call per file (counties and the nation, each year), then one at the end
    assert [c[:2] for c in calls] == [(i, 6) for i in range(7)]
    assert calls[1][2] == "Franklin County, Ohio, 2022" and calls[-1][2] == "done"
    assert "Downloaded 4 files" in result.summary() and "The U.S., 2022-2023: not on BLS open data" in result.summary()


def test_a_second_fetch_uses_the_cache(bls, cache):
    get(bls, cache)
    before = len(bls.requests)
    again = get(bls, cache)
    assert again.from_cache == [(y, a) for y in YEARS for a in COUNTIES] and again.fetched == []
    assert again.files == [cache / str(y) / f"{a}.csv" for y in YEARS for a in COUNTIES]
    assert [p for p in bls.requests[before:] if "US000" not in p] == []  # only the (uncached) nation is asked again
    assert "4 files already downloaded before" in again.summary()


def test_offline_says_so_and_uses_what_is_cached(bls, cache):
    get(bls, cache, years=[2023])
    nowhere = f"http://127.0.0.1:{free_port()}/cew/data/api"  # nothing listens there: connection refused
    started = time.monotonic()
    result = fetch.fetch_areas(COUNTIES, [2022, 2023], cache, base_url=nowhere, backoff=0.05)
    assert time.monotonic() - started < 10  # gives up at once, not after retrying every file
    assert result.offline
    assert result.from_cache == [(2023, "39041"), (2023, "39049")]
    assert result.files == [cache / "2023" / "39041.csv", cache / "2023" / "39049.csv"]
    assert set(result.failed) == {(2022, "39041"), (2022, "39049"), (2022, "US000"), (2023, "US000")}
    assert "could not be reached" in result.summary() and "already downloaded" in result.summary()


def test_a_500_is_retried_and_then_the_file_arrives(bls, cache):
    bls.fail(2023, "39049", "500", "503")
    result = get(bls, cache, areas=["39049"], years=[2023], retries=3)
    assert (2023, "39049") in result.fetched
    assert bls.asked(2023, "39049") == 3
    assert (cache / "2023" / "39049.csv").read_bytes() == shared(2023, "39049")


def test_a_server_that_keeps_failing_is_given_up_and_nothing_is_cached(bls, cache):
    bls.fail(2022, "39041", "500", "500", "500")
    result = get(bls, cache, areas=["39041"], years=[2022], retries=2)
    assert result.failed[(2022, "39041")] == "the server answered 500, 3 tries"
    assert bls.asked(2022, "39041") == 3
    assert cache_listing(cache) == []


def test_a_slow_answer_times_out_and_a_retry_can_succeed(bls, cache):
    bls.fail(2022, "39049", "slow:3")
    started = time.monotonic()
    result = get(bls, cache, areas=["39049"], years=[2022], timeout=0.5, retries=0)
    assert time.monotonic() - started < 2.5
    assert result.failed[(2022, "39049")] == "no answer within 0.5 s, 1 tries"
    assert not (cache / "2022" / "39049.csv").exists()
    bls.fail(2022, "39049", "slow:3")
    result = get(bls, cache, areas=["39049"], years=[2022], timeout=0.5, retries=1)
    assert (2022, "39049") in result.fetched
    assert (cache / "2022" / "39049.csv").read_bytes() == shared(2022, "39049")


def test_an_oversized_file_is_stopped_and_not_cached(bls, cache):
    bls.fail(2023, "39041", "huge:5000000")  # streamed, no Content-Length: stopped once past the limit
    result = get(bls, cache, areas=["39041"], years=[2023], max_bytes=1_000_000)
    assert result.failed[(2023, "39041")] == "the file is larger than 977 KB"
    # a real file announced larger than the limit (Content-Length) is refused before its body is read
    result = get(bls, cache, areas=["39049"], years=[2023], max_bytes=100_000)
    assert result.failed[(2023, "39049")] == "the file is larger than 98 KB"
    assert cache_listing(cache) == []


def test_a_web_page_or_another_area_is_refused_and_not_cached(bls, cache):
    bls.fail(2023, "39041", "html")
    bls.fail(2023, "39049", "other:39041")  # a wrong file behind the right address
    result = get(bls, cache, years=[2023])
    assert result.failed[(2023, "39041")] == "the server sent a web page, not a CSV file"
    assert result.failed[(2023, "39049")] == ("the file holds Delaware County, Ohio 2023, not Franklin County, "
                                             "Ohio 2023")
    assert result.fetched == [] and cache_listing(cache) == ["2023"]  # no file, no temporary folder left


def test_bad_area_codes_years_and_addresses_are_refused_before_any_request(bls, cache):
    before = len(bls.requests)
    for bad in ("../../etc/passwd", "3904", "39049/../x", "US000;", "C1814", "", True):
        with pytest.raises(DataError, match="is not a county code"):
            get(bls, cache, areas=[bad])
    for bad in (1889, "2023/..", 3000):
        with pytest.raises(DataError, match="is not a year"):
            get(bls, cache, years=[bad])
    with pytest.raises(DataError, match="not an http"):
        fetch.fetch_areas(COUNTIES, YEARS, cache, base_url="file:///etc")
    assert len(bls.requests) == before and not cache.exists()
    assert fetch.check_area(39049) == "39049"


def test_the_address_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv(fetch.ENV_URL, raising=False)
    assert fetch.bls_url() == "https://data.bls.gov/cew/data/api"
    monkeypatch.setenv(fetch.ENV_URL, "http://127.0.0.1:9/mirror/")
    assert fetch.bls_url() == "http://127.0.0.1:9/mirror"


def test_the_cached_files_are_the_bls_source(bls, tmp_path):
    home = tmp_path / "home"
    with Workspace.open("lakeside", home) as ws:
        uploads = folder_of(ws)
    cache = fetch.cache_folder(home)
    with pytest.raises(DataError, match="No BLS data is downloaded yet for Delaware County, Ohio"):
        load_source(BLS, uploads, "39041, 39049")
    get(bls, cache, years=[2020, 2021, 2022, 2023])
    data, region = load_source(BLS, uploads, "39041, 39049")
    assert region.name == "2 counties in Ohio" and region.counties == COUNTIES
    expected = qcew.read_area_files([OHIO / f"morpc-qcew-{y}-a-{c}.csv.gz" for y in (2020, 2021, 2022, 2023)
                                     for c in COUNTIES])
    assert len(data) == len(expected) and sorted(data["area_fips"].unique()) == list(COUNTIES)
    ours = screen.build_sector_screen(data, region, 2020, 2023)
    theirs = screen.build_sector_screen(expected, lmi.Region.from_counties(COUNTIES), 2020, 2023)
    assert ours["industry_code"].tolist() == theirs["industry_code"].tolist()
    everything, crosswalk = source_data(BLS, uploads)
    assert sorted(everything["area_fips"].unique()) == list(COUNTIES) and crosswalk is None
    with pytest.raises(DataError, match="folder cannot be named by a path"):
        load_source(BLS, "/etc", "39041")


# --------------------------------------------------------------------------- the page
@pytest.fixture
def page_ws(tmp_path, bls, monkeypatch):
    monkeypatch.setenv(fetch.ENV_URL, bls.base_url)
    with Workspace.open("lakeside", tmp_path / "home", name="Lakeside") as ws:
        yield ws


def pick(app: LMIReviewApp, counties=COUNTIES, years=(2020, 2023)) -> None:
    app.source.value = BLS_LABEL
    app.bls_state.value = "39"
    app.bls_counties.value = tuple(counties)
    app.bls_first.value, app.bls_last.value = years


def test_the_page_picks_counties_by_name_fetches_and_shows_the_screen(page_ws):
    app = LMIReviewApp(page_ws)
    assert BLS_LABEL in app.source.options and app.bls_box.layout.display == "none"
    app.source.value = BLS_LABEL
    assert app.bls_box.layout.display is None and app.folder_box.layout.display == "none"
    assert "Press Fetch from BLS" in app.results_html.replace("press", "Press")
    app.bls_state.value = "39"
    names = dict(app.bls_counties.options)
    assert names["Franklin County"] == "39049" and len(names) == 88
    pick(app)
    assert "Delaware County, Franklin County" in app.bls_chosen.value
    assert app.fetch_bls() is True
    assert app.region.name == "2 counties in Ohio" and app.region.counties == COUNTIES
    assert (app.start.value, app.end.value) == (2020, 2023)
    assert "2 counties in Ohio" in app.results_html and "sectorkit-ranked" in app.results_html
    assert app.rows[0].code == str(app.screen.loc[0, "industry_code"])
    assert app.fetch_progress.value == app.fetch_progress.max == 12
    assert app.fetch_progress.bar_style == "success"  # every county file came; only the U.S. is missing
    assert "Downloaded 8 files" in app.fetch_note.value and "implied" in app.fetch_note.value
    assert app.status_text().startswith("Saved at")
    saved = page_ws.records(SETTINGS_KIND)[SETTINGS_KEY]
    assert saved["source"] == "bls" and saved["counties"] == "39041, 39049"
    assert saved["bls"] == {"state": "39", "counties": list(COUNTIES), "first_year": 2020, "last_year": 2023}
    cache = fetch.cache_folder(page_ws.path.parent.parent)
    assert len(list(cache.glob("*/*.csv"))) == 8

    again = LMIReviewApp(page_ws)  # a reload: the same choice, drawn from the cache (no download)
    assert again.source.value == BLS_LABEL and again.bls_state.value == "39"
    assert again.bls_counties.value == COUNTIES and (again.bls_first.value, again.bls_last.value) == (2020, 2023)
    assert again.region == app.region and again.screen is not None


def test_the_page_says_what_is_missing_and_what_failed(page_ws, bls, monkeypatch):
    app = LMIReviewApp(page_ws)
    app.source.value = BLS_LABEL
    assert app.fetch_bls() is False and app.status_text() == "Not fetched: choose a state first."
    app.bls_state.value = "39"
    assert app.fetch_bls() is False and app.status_text() == "Not fetched: choose at least one county."
    pick(app, years=(2023, 2023))
    assert app.fetch_bls() is False and "choose a last year after the first year" in app.status_text()
    assert page_ws.records(SETTINGS_KIND) == {}

    monkeypatch.setenv(fetch.ENV_URL, f"http://127.0.0.1:{free_port()}/cew")  # offline, nothing cached
    pick(app, counties=["39047"], years=(2022, 2023))
    assert app.fetch_bls() is False
    assert "could not be reached" in app.fetch_note.value
    assert "No BLS data is downloaded yet for Fayette County, Ohio" in app.message.value
    assert app.screen is None and app.status_text().startswith("Not fetched: BLS could not be reached")

    monkeypatch.setenv(fetch.ENV_URL, bls.base_url)  # back online: fetch; then offline again: the cache serves
    assert app.fetch_bls() is True
    monkeypatch.setenv(fetch.ENV_URL, f"http://127.0.0.1:{free_port()}/cew")
    assert app.fetch_bls() is True and app.region.name == "Fayette County, Ohio"
    assert "could not be reached" in app.fetch_note.value and "2 files already downloaded" in app.fetch_note.value
    app.source.value = EXAMPLE_LABEL  # back to the example: the picker is hidden, the choice kept in the settings
    assert app.bls_box.layout.display == "none"
    assert page_ws.records(SETTINGS_KIND)[SETTINGS_KEY]["bls"]["counties"] == ["39047"]
