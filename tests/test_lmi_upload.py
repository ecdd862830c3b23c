"""LMI files by upload: the library that stores them (names, sizes, gzip, zip, nothing half-written),
the sources that may be read (the example, the region's uploads, the administrator's folder, nothing
else), and the LMI Review page with an uploaded BLS zip and a gzipped CSV.

The data: real BLS QCEW files from the shared folder (``tests.support.QCEW``, see its PROVENANCE.md),
zipped and gzipped here the way BLS distributes them, and the bundled example region.
"""

from __future__ import annotations

import gzip
import io
import os
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from sectorkit.apps.lmi_review import LMIReviewApp
from sectorkit.core.errors import DataError
from sectorkit.lmi import measures as lmi
from sectorkit.lmi import qcew, screen
from sectorkit.lmi import uploads as U
from sectorkit.lmi.sources import SETTINGS_KEY, SETTINGS_KIND, UPLOAD_NOTE, load_source, source_data, source_folder
from sectorkit.store.workspace import Workspace
from tests.support import QCEW

OHIO = QCEW / "ohio_morpc_county_annual"
EXAMPLE = qcew.example_region_path()
ZIPPED = ("39041", "39049")  # counties uploaded in the zip
GZIPPED = "39089"  # the county uploaded as gzipped CSVs


def ohio(county: str) -> list[Path]:
    files = sorted(OHIO.glob(f"morpc-qcew-*-a-{county}.csv.gz"))
    assert len(files) == 4, f"shared QCEW data missing at {OHIO} (set SECTORKIT_SHARED)"
    return files


def bls_zip(counties=ZIPPED, extra: dict[str, bytes] | None = None) -> bytes:
    """A zip laid out like BLS's ``<year>_annual_by_area.zip``: CSVs in a folder, plus what else is asked."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for county in counties:
            for f in ohio(county):
                z.writestr(f"annual.by_area/{f.name[:-3]}", gzip.decompress(f.read_bytes()))
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*")) if folder.exists() else []


@pytest.fixture
def folder(tmp_path):
    return U.region_folder("lakeside", tmp_path / "home")


@pytest.fixture
def ws(tmp_path):
    with Workspace.open("lakeside", tmp_path / "home") as w:
        yield w


def upload(app, *files):
    """Upload ``(name, bytes)`` pairs through the page's FileUpload, as a browser would."""
    now = datetime.now(timezone.utc)
    app.upload.value = tuple({"name": n, "type": "", "size": len(d), "content": memoryview(d), "last_modified": now}
                             for n, d in files)


# --------------------------------------------------------------------------- storing
def test_csv_gzip_and_zip_are_stored_as_csv(folder):
    plain = sorted(EXAMPLE.glob("2023.*99001*.csv"))[0]
    assert [p.name for p in U.store_upload(folder, plain.name, plain.read_bytes())] == [plain.name]
    assert (folder / plain.name).read_bytes() == plain.read_bytes()

    gz = ohio(GZIPPED)[0]
    stored = U.store_upload(folder, gz.name, memoryview(gz.read_bytes()))
    assert [p.name for p in stored] == [gz.name[:-3]] and stored[0].read_bytes() == gzip.decompress(gz.read_bytes())

    extra = {"annual.by_area/README.txt": b"not data", "__MACOSX/annual.by_area/._x.csv": b"\x00\x05",
             "annual.by_area/": b""}
    stored = U.store_upload(folder, "2023_annual_by_area.zip", bls_zip(extra=extra))
    expected = sorted(f.name[:-3] for c in ZIPPED for f in ohio(c))
    assert [p.name for p in stored] == expected  # folders flattened, README and resource forks skipped
    assert [p.name for p in U.list_uploads(folder)] == sorted(expected + [plain.name, gz.name[:-3]])
    assert files_in(folder) == sorted(expected + [plain.name, gz.name[:-3]])  # no staging left behind
    assert qcew.read_area_files(folder)["area_fips"].nunique() == 4  # 99001 + three Ohio counties

    U.remove_upload(folder, plain.name)
    assert plain.name not in files_in(folder)
    with pytest.raises(DataError, match="no uploaded file named"):
        U.remove_upload(folder, plain.name)
    with pytest.raises(DataError, match="has a folder in it"):
        U.remove_upload(folder, "../workspace.sqlite.csv")


@pytest.mark.parametrize("name, why", [
    ("../x.csv", "has a folder in it"),
    ("/etc/passwd", "has a folder in it"),
    ("a/b.csv", "has a folder in it"),
    ("a\\b.csv", "has a folder in it"),
    ("x\x00.csv", "is not allowed"),
    ("..csv", "is not allowed"),
    (".hidden.csv", "is not allowed"),
    ("C:x.csv", "is not allowed"),
    ("notes.txt", "is not a CSV, gzip or zip file"),
    ("", "has no name"),
])
def test_bad_names_are_refused_and_nothing_is_written(folder, name, why):
    data = sorted(EXAMPLE.glob("2023.*99001*.csv"))[0].read_bytes()
    with pytest.raises(DataError, match=why) as err:
        U.store_upload(folder, name, data)
    assert name.replace("\x00", "\\0") in str(err.value)  # the message names the file
    assert files_in(folder) == [] and not folder.exists()


@pytest.mark.parametrize("member", ["../x.csv", "/etc/x.csv", "annual/../../x.csv", "C:/x.csv"])
def test_zip_members_reaching_outside_refuse_the_whole_zip(folder, member):
    with pytest.raises(DataError, match="reaches outside the zip"):
        U.store_upload(folder, "bls.zip", bls_zip(extra={member: b"area_fips\n1\n"}))
    assert files_in(folder) == [] and not (folder.parent / "x.csv").exists()


def test_limits_guard_size_bombs_and_member_counts(folder, tmp_path):
    data = ohio(GZIPPED)[0].read_bytes()
    with pytest.raises(DataError, match="the limit is 0.0 MB per upload"):
        U.store_upload(folder, "a.csv.gz", data, max_bytes=1000)
    # a gzip bomb: a few KB that would unpack to 50 MB stops at the limit (gzip carries no reliable size)
    bomb = gzip.compress(b"area_fips,own_code\n" + b"0" * 50_000_000)
    assert len(bomb) < 100_000
    with pytest.raises(DataError, match="unpacks to more than 1.0 MB"):
        U.store_upload(folder, "bomb.csv.gz", bomb, max_unpacked=2**20)
    with pytest.raises(DataError, match="unpacks to more than 1.0 MB"):
        U.store_upload(folder, "bomb.zip", bls_zip(counties=(), extra={"big.csv": b"0" * 5_000_000}),
                       max_unpacked=2**20)
    many = bls_zip(counties=(), extra={f"f{i}.csv": b"a\n" for i in range(11)})
    with pytest.raises(DataError, match="holds 11 entries; the limit is 10"):
        U.store_upload(folder, "many.zip", many, max_members=10)
    with pytest.raises(DataError, match="is empty"):
        U.store_upload(folder, "a.csv", b"")
    assert files_in(folder) == []


def test_files_that_are_not_qcew_are_named_and_nothing_is_stored(folder):
    with pytest.raises(DataError, match="'notes.csv'.*does not look like a BLS QCEW"):
        U.store_upload(folder, "notes.csv", b"name,phone\nAda,555\n")
    with pytest.raises(DataError, match="'2023.annual.39049.csv.gz' is not a readable gzip file"):
        U.store_upload(folder, "2023.annual.39049.csv.gz", b"plain text")
    with pytest.raises(DataError, match="not a readable zip file"):
        U.store_upload(folder, "bls.zip", b"PK\x03\x04 broken")
    with pytest.raises(DataError, match="holds no .csv file"):
        U.store_upload(folder, "bls.zip", bls_zip(counties=(), extra={"README.txt": b"hello"}))
    # one bad member: the zip's good members are not stored either, and the message names the bad one
    bad = bls_zip(extra={"annual.by_area/2023.annual 39999 Nowhere.csv": b"\x00\x01\x02binary"})
    with pytest.raises(DataError, match="'2023.annual 39999 Nowhere.csv'.*binary"):
        U.store_upload(folder, "bls.zip", bad)
    with pytest.raises(DataError, match="two files named"):
        one = ohio(GZIPPED)[0]
        twice = {f"a/{one.name[:-3]}": gzip.decompress(one.read_bytes()),
                 f"b/{one.name[:-3]}": gzip.decompress(one.read_bytes())}
        U.store_upload(folder, "bls.zip", bls_zip(counties=(), extra=twice))
    assert files_in(folder) == []
    # the server's paths never reach the message
    with pytest.raises(DataError) as err:
        U.store_upload(folder, "notes.csv", b"name,phone\nAda,555\n")
    assert str(folder) not in str(err.value)


def test_a_crosswalk_is_stored_as_crosswalk_csv_and_names_the_region(folder):
    cw = QCEW / "crosswalk" / "central_ohio_12_county_region.csv"
    assert [p.name for p in U.store_upload(folder, cw.name, cw.read_bytes())] == ["crosswalk.csv"]
    for f in ohio(GZIPPED) + ohio("39049"):
        U.store_upload(folder, f.name, f.read_bytes())
    data, region = load_source("uploads", folder, "39049, 39089")
    assert region.counties == ("39049", "39089") and set(data["area_fips"]) == {"39049", "39089"}
    with pytest.raises(DataError, match="no file for county 39041"):  # the crosswalk's region needs all 12
        load_source("uploads", folder, "CENTRAL_OH12")
    assert source_data("uploads", folder)[1] == folder / "crosswalk.csv"


# --------------------------------------------------------------------------- what may be read
def test_only_the_three_folders_can_be_read(folder, tmp_path, monkeypatch):
    monkeypatch.delenv("SECTORKIT_LMI_DIR", raising=False)
    with pytest.raises(DataError, match="no longer reads a folder"):
        load_source("folder", str(OHIO), "39049")
    with pytest.raises(DataError, match="cannot be named by a path"):
        load_source("uploads", str(OHIO), "39049")  # a string (a saved setting) is never a folder
    with pytest.raises(DataError, match="cannot be named by a path"):
        load_source("uploads", OHIO, "39049")  # nor a Path that is not a region's uploads folder
    with pytest.raises(DataError, match="No BLS files are uploaded for this region"):
        load_source("uploads", folder, "39049")
    with pytest.raises(DataError, match="no data folder set up"):
        load_source("server", None, "39049")
    for f in ohio(GZIPPED):
        U.store_upload(folder, f.name, f.read_bytes())
    with pytest.raises(DataError, match="outside the data folder"):
        load_source("uploads", folder, "X", crosswalk=str(QCEW / "crosswalk" / "central_ohio_12_county_region.csv"))
    with pytest.raises(DataError, match="outside the data folder"):
        load_source("uploads", folder, "X", crosswalk="../../../etc/passwd")
    assert load_source("uploads", folder, GZIPPED)[1].counties == (GZIPPED,)
    # a link planted in the folder that points elsewhere stops the read
    outside = tmp_path / "elsewhere.csv"
    outside.write_bytes(gzip.decompress(ohio("39049")[0].read_bytes()))
    os.symlink(outside, folder / "2020.annual.39049.csv")
    with pytest.raises(DataError, match="links outside its folder"):
        load_source("uploads", folder, GZIPPED)
    assert [p.name for p in U.list_uploads(folder)] == sorted(f.name[:-3] for f in ohio(GZIPPED))  # not listed

    server = tmp_path / "state-lmi"
    server.mkdir()
    for f in ohio("39049"):
        (server / f.name).write_bytes(f.read_bytes())
    monkeypatch.setenv("SECTORKIT_LMI_DIR", str(server))
    assert source_folder("server") == server
    assert load_source("server", str(OHIO), "39049")[1].counties == ("39049",)  # the folder argument is ignored


# --------------------------------------------------------------------------- the page
def expected_codes(files: list[Path], counties: tuple[str, ...]) -> list[str]:
    data = qcew.read_area_files(files)
    s = screen.build_sector_screen(data, lmi.Region.from_counties(counties), 2020, 2023)
    return s["industry_code"].head(12).tolist()


def test_page_with_an_uploaded_bls_zip_and_gzipped_csvs_gives_the_screen(ws):
    app = LMIReviewApp(ws)
    assert "path" not in " ".join(w.description.lower() for w in (app.counties, app.source))
    app.source.value = "Files uploaded for this region"
    assert "No files uploaded for this region yet" in app.files_view.value
    amp = {"annual.by_area/2020.annual 39049 Franklin & Co.csv": gzip.decompress(ohio("39049")[0].read_bytes())}
    upload(app, ("2023_annual_by_area.zip", bls_zip(counties=("39041",), extra=amp)),
           *[(f.name, f.read_bytes()) for f in ohio(GZIPPED)])
    assert app.problem is None, app.problem
    assert app.status_text().startswith("Stored 9 files for this region")
    assert "9 files uploaded for this region" in app.files_view.value
    labels = [r.children[1].value for r in app.file_rows.children]
    assert any("Franklin &amp; Co.csv" in v for v in labels) and not any("Franklin & Co" in v for v in labels)
    assert app.upload.value == ()  # the upload's bytes are not kept in the widget

    # the Franklin file was only one year: remove it again with its Remove button
    row = next(r for r in app.file_rows.children if "Franklin" in r.children[1].value)
    row.children[0].click()
    assert not any("Franklin" in p.name for p in app.region_folder.iterdir())
    assert len(app.file_rows.children) == 8 and app.status_text().startswith("Removed 2020.annual 39049")

    app.counties.value = f"39041, {GZIPPED}"
    app.load_button.click()
    assert app.problem is None and app.screen is not None
    counties = ("39041", GZIPPED)
    assert [r.code for r in app.rows if r.code] == expected_codes(ohio("39041") + ohio(GZIPPED), counties)
    assert "<table" in app.results_html and 'alt="Bubble chart of' in app.results_html
    saved = ws.records(SETTINGS_KIND)[SETTINGS_KEY]
    assert saved["source"] == "uploads" and saved["counties"] == "39041, 39089"
    assert not any("folder" in k or "crosswalk" in k for k in saved)

    app.rows[0].decision.value = "Shortlist"  # decisions work as with the example
    again = LMIReviewApp(ws)
    assert again.source.value == "Files uploaded for this region" and again.problem is None
    assert [r.code for r in again.rows if r.code] == [r.code for r in app.rows if r.code]
    assert again.rows[0].decision.value == "Shortlist" and len(again.file_rows.children) == 8


def test_page_refuses_paths_in_file_names_and_fields(ws, tmp_path):
    app = LMIReviewApp(ws)
    app.source.value = "Files uploaded for this region"
    good = ohio(GZIPPED)[0]
    upload(app, ("../../workspace.csv", good.read_bytes()), ("/etc/passwd", b"root:x:0:0"),
           ("sub/" + good.name, good.read_bytes()))
    assert app.problem.count("has a folder in it") == 3 and "'../../workspace.csv'" in app.problem
    assert app.status_text() == "Not stored: the upload was refused; see the message under Data."
    written = [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.startswith("workspace.sqlite")]
    assert written == [] and files_in(app.region_folder) == []
    for f in ohio(GZIPPED):
        upload(app, (f.name, f.read_bytes()))
    for typed in (str(OHIO), "/etc/passwd", "../../other-region/lmi", "C:\\data"):
        app.counties.value = typed
        assert app.use_files() is False and "not a county FIPS code" in app.problem
        assert app.screen is None
    assert "current" not in ws.records(SETTINGS_KIND)  # nothing typed was saved


def test_old_settings_with_a_folder_are_ignored_with_a_note(ws):
    ws.put_record(SETTINGS_KIND, SETTINGS_KEY, {
        "source": "folder", "folder": str(OHIO), "counties": "39049",
        "crosswalk": str(QCEW / "crosswalk" / "central_ohio_12_county_region.csv"),
        "start_year": 2021, "end_year": 2023, "own_code": 5, "naics_digits": 2,
        "saved_at": "2026-01-01T00:00:00+00:00"})
    app = LMIReviewApp(ws)
    assert app.source.value == "Files uploaded for this region" and app.counties.value == "39049"
    assert "no longer reads folders by path" in app.legacy_note.value and "Upload" in app.legacy_note.value
    assert app.data is None and app.screen is None  # the folder was not read
    assert "No screen until the files are uploaded" in app.results_html
    for f in ohio("39049"):
        upload(app, (f.name, f.read_bytes()))
    assert app.use_files() and app.legacy_note.value == ""
    assert app.start.value == 2020  # a load by the button starts from the defaults
    saved = ws.records(SETTINGS_KIND)[SETTINGS_KEY]
    assert "folder" not in saved and "crosswalk" not in saved and saved["source"] == "uploads"

    # an example-source record with an old folder: the example loads, with the note
    ws.put_record(SETTINGS_KIND, SETTINGS_KEY, {"source": "example", "folder": "/srv/old"})
    app = LMIReviewApp(ws)
    assert app.source.value == "Illustrative example region" and app.screen is not None
    assert "no longer reads folders by path" in app.legacy_note.value
    # old folder records read elsewhere (the report) give the upload note, not a read
    with pytest.raises(DataError) as err:
        load_source("folder", "/srv/old", "39049")
    assert str(err.value) == UPLOAD_NOTE


def test_counties_come_from_the_region_profile(ws):
    ws.put_record("region_profile", "current", {"counties": ["39049", "39041"], "state": "OH"})
    app = LMIReviewApp(ws)
    assert app.counties.value == "39049, 39041"
    app.counties.value = "39041"
    app.source.value = "Files uploaded for this region"
    for f in ohio("39041"):
        upload(app, (f.name, f.read_bytes()))
    assert app.use_files()
    assert LMIReviewApp(ws).counties.value == "39041"  # the saved choice wins over the profile


def test_server_folder_is_shown_by_its_label_only(ws, tmp_path, monkeypatch):
    monkeypatch.delenv("SECTORKIT_LMI_DIR", raising=False)
    assert list(LMIReviewApp(ws).source.options) == ["Illustrative example region", "Files uploaded for this region",
                                                     "BLS open data (download by county)"]
    server = tmp_path / "state-lmi-secret-path"
    server.mkdir()
    for f in ohio("39049") + ohio("39041"):
        (server / f.name[:-3]).write_bytes(gzip.decompress(f.read_bytes()))
    monkeypatch.setenv("SECTORKIT_LMI_DIR", str(server))
    monkeypatch.setenv("SECTORKIT_LMI_LABEL", "Ohio QCEW <state office>")
    app = LMIReviewApp(ws)
    assert app.source.options[-1] == "Ohio QCEW <state office>"
    app.source.value = "Ohio QCEW <state office>"
    assert app.upload_box.layout.display == "none" and "Ohio QCEW &lt;state office&gt;" in app.server_note.value
    app.counties.value = "39049, 39041"
    assert app.use_files(), app.problem
    assert [r.code for r in app.rows if r.code] == expected_codes(ohio("39049") + ohio("39041"), ("39049", "39041"))
    widgets_html = " ".join(str(getattr(w, "value", "")) for w in app.container.children) + app.results_html
    assert "secret-path" not in widgets_html
    assert ws.records(SETTINGS_KIND)[SETTINGS_KEY]["source"] == "server"
    monkeypatch.delenv("SECTORKIT_LMI_DIR")  # the administrator removed it: the page falls back, no error
    again = LMIReviewApp(ws)
    assert again.source.value == "Illustrative example region" and again.screen is not None
