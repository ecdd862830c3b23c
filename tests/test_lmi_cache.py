"""The cache of parsed QCEW folders (sectorkit.lmi.cache): hits, misses on change, region isolation,
broken entries, and figures from the cache equal to a fresh read of the real BLS files."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sectorkit.core.errors import DataError
from sectorkit.lmi import cache, qcew, screen
from sectorkit.lmi import measures as lmi
from sectorkit.lmi.sources import load_source
from tests.support import QCEW, REPO_ROOT

OHIO = QCEW / "ohio_morpc_county_annual"
CROSSWALK = QCEW / "crosswalk" / "central_ohio_12_county_region.csv"


@pytest.fixture(autouse=True)
def fresh_memory(monkeypatch):
    """Each test starts with nothing in memory and no SECTORKIT_LMI_CACHE setting."""
    monkeypatch.delenv("SECTORKIT_LMI_CACHE", raising=False)
    cache.clear_memory()
    yield
    cache.clear_memory()


def plain_copies(folder: Path, county: str) -> list[Path]:
    """The four years of a real county as plain CSV files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for f in sorted(OHIO.glob(f"morpc-qcew-*-a-{county}.csv.gz")):
        out.append(folder / f.name[:-3])
        out[-1].write_bytes(gzip.decompress(f.read_bytes()))
    assert len(out) == 4, f"shared QCEW data missing at {OHIO} (set SECTORKIT_SHARED)"
    return out


def total_jobs(data: pd.DataFrame, county: str, year: int) -> float:
    row = data[(data["area_fips"] == county) & (data["year"] == year) & (data["own_code"] == 0)
               & (data["industry_code"] == "10")]
    return float(row["employment"].iloc[0])


def bump_total_jobs(path: Path) -> tuple[int, int]:
    """Rewrite the file in place with the county's total employment changed, same size and mtime.

    Returns (old, new) total employment."""
    st = path.stat()
    lines = path.read_bytes().split(b"\n")
    i = next(k for k, line in enumerate(lines) if line.split(b",")[1:4] == [b"0", b"10", b"70"])
    cells = lines[i].split(b",")
    old = cells[9]
    new = old[:-1] + str((int(old[-1:]) + 1) % 10).encode()
    cells[9] = new
    lines[i] = b",".join(cells)
    with path.open("r+b") as f:  # same inode
        f.write(b"\n".join(lines))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (st.st_size, st.st_mtime_ns, st.st_ino)
    return int(old), int(new)


def test_a_folder_is_parsed_once_then_served_from_memory_then_from_disk(tmp_path):
    folder = tmp_path / "files"
    plain_copies(folder, "39049")
    where = tmp_path / "cache"
    first, origin = cache.load(folder, cache_dir=where)
    assert origin == "read"
    cache.flush()  # the entry is written on a background thread
    entries = list(where.glob("*.npz"))
    assert [e.name for e in entries] == [f"{cache.folder_key(folder)}.npz"]
    again, origin = cache.load(folder, cache_dir=where)
    assert origin == "memory" and again is first
    cache.clear_memory()  # a new kernel: the entry on disk is read, not the files
    from_disk, origin = cache.load(folder, cache_dir=where)
    assert origin == "disk"
    pd.testing.assert_frame_equal(from_disk, first, check_exact=True)
    assert from_disk.attrs == first.attrs
    assert [p.suffix for p in where.iterdir()] == [".npz"]  # no temporary file left
    # another areas= choice is another entry
    assert cache.load(folder, areas=["39049"], cache_dir=where)[1] == "read"


def test_the_entry_is_written_in_the_background_and_before_python_exits(tmp_path):
    folder = tmp_path / "files"
    plain_copies(folder, "39049")
    where = tmp_path / "cache"
    cache.load(folder, cache_dir=where)
    entry = cache.entry_path(cache.folder_key(folder), where)
    deadline = time.monotonic() + cache.WRITE_DELAY + 20
    while not entry.exists() and time.monotonic() < deadline:  # no flush: the writer thread gets there
        time.sleep(0.05)
    assert entry.exists()
    # a process that reads and exits at once still leaves its entry behind
    other = tmp_path / "other-cache"
    code = (f"import sys; sys.path.insert(0, {str(REPO_ROOT / 'lib')!r}); from sectorkit.lmi import cache; "
            f"print(cache.load({str(folder)!r}, cache_dir={str(other)!r})[1])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "read"
    cache.clear_memory()
    assert cache.load(folder, cache_dir=other)[1] == "disk"


def test_the_figures_from_the_cache_equal_a_fresh_read_of_the_real_files(tmp_path):
    fresh = qcew.read_area_files(OHIO)
    cache.load(OHIO, cache_dir=tmp_path)
    cache.clear_memory()
    cached, origin = cache.load(OHIO, cache_dir=tmp_path)
    assert origin == "disk"
    pd.testing.assert_frame_equal(cached, fresh, check_exact=True)
    assert cached.attrs == fresh.attrs
    region = lmi.Region.from_crosswalk(CROSSWALK, "CENTRAL_OH12")
    args = dict(digits=(2, 3), national_growth=0.05)
    pd.testing.assert_frame_equal(screen.build_sector_screen(cached, region, 2020, 2023, **args),
                                  screen.build_sector_screen(fresh, region, 2020, 2023, **args), check_exact=True)


def test_a_file_rewritten_with_the_same_size_and_mtime_gives_new_figures(tmp_path):
    folder = tmp_path / "files"
    files = plain_copies(folder, "39049")
    where = tmp_path / "cache"
    before = cache.read_folder(folder, cache_dir=where)
    key = cache.folder_key(folder)
    old, new = bump_total_jobs(files[0])  # 2020
    assert total_jobs(before, "39049", 2020) == old
    after, origin = cache.load(folder, cache_dir=where)
    assert origin == "read" and cache.folder_key(folder) != key
    assert total_jobs(after, "39049", 2020) == new
    assert total_jobs(qcew.read_area_files(folder), "39049", 2020) == new
    cache.clear_memory()  # the disk holds both contents; the current one is served
    assert total_jobs(cache.read_folder(folder, cache_dir=where), "39049", 2020) == new
    # a file added or removed is another content too
    shutil.copy(OHIO / "morpc-qcew-2020-a-39041.csv.gz", folder)
    assert cache.load(folder, cache_dir=where)[1] == "read"
    (folder / "morpc-qcew-2020-a-39041.csv.gz").unlink()
    assert cache.load(folder, cache_dir=where)[1] in ("memory", "disk")


def test_a_file_changed_while_the_folder_is_read_is_not_kept(tmp_path, monkeypatch):
    folder = tmp_path / "files"
    files = plain_copies(folder, "39049")
    where = tmp_path / "cache"
    real = qcew.read_area_files

    def read_while_another_process_writes(*args, **kwargs):
        out = real(*args, **kwargs)
        time.sleep(0.05)  # past the file system clock's tick
        bump_total_jobs(files[0])
        return out

    monkeypatch.setattr(qcew, "read_area_files", read_while_another_process_writes)
    assert cache.load(folder, cache_dir=where)[1] == "read"
    monkeypatch.undo()
    cache.flush()
    assert not where.exists() or not list(where.iterdir())  # nothing stored under the old content's key
    data, origin = cache.load(folder, cache_dir=where)
    assert origin == "read" and total_jobs(data, "39049", 2020) == total_jobs(real(folder), "39049", 2020)


def test_two_regions_with_files_of_the_same_names_never_share_figures(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("SECTORKIT_HOME", str(home))
    a, b = home / "lakeside" / "lmi", home / "riverbend" / "lmi"
    plain_copies(a, "39049")
    for f in plain_copies(tmp_path / "other", "39041"):  # another county's rows under the same names
        text = f.read_text().replace("39041,", "39049,")
        (b / f.name.replace("39041", "39049")).parent.mkdir(parents=True, exist_ok=True)
        (b / f.name.replace("39041", "39049")).write_text(text)
    assert sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir())
    data_a, _ = load_source("uploads", a, "39049")
    data_b, _ = load_source("uploads", b, "39049")
    assert total_jobs(data_a, "39049", 2023) != total_jobs(data_b, "39049", 2023)
    cache.clear_memory()  # from disk (each region's root), still apart
    assert total_jobs(load_source("uploads", a, "39049")[0], "39049", 2023) == total_jobs(data_a, "39049", 2023)
    assert total_jobs(load_source("uploads", b, "39049")[0], "39049", 2023) == total_jobs(data_b, "39049", 2023)
    assert len(list(cache.default_dir(home).glob("*.npz"))) == 2
    # the same bytes in two folders are two entries, each naming its own folder
    shutil.rmtree(b)
    shutil.copytree(a, b)
    assert cache.folder_key(a) != cache.folder_key(b)
    # an entry put under another folder's key (a copied cache) is refused, and the folder parsed
    where = tmp_path / "cache"
    cache.clear_memory()
    cache.read_folder(a, cache_dir=where)
    cache.flush()
    shutil.copy(cache.entry_path(cache.folder_key(a), where), cache.entry_path(cache.folder_key(b), where))
    cache.clear_memory()
    assert cache.load(b, cache_dir=where)[1] == "read"


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_broken_entry_is_ignored_and_rebuilt(tmp_path, damage):
    folder = tmp_path / "files"
    plain_copies(folder, "39049")
    where = tmp_path / "cache"
    good = cache.read_folder(folder, cache_dir=where)
    cache.flush()
    entry = cache.entry_path(cache.folder_key(folder), where)
    raw = entry.read_bytes()
    entry.write_bytes({"garbage": b"not a cache entry" * 100, "truncated": raw[: len(raw) // 2],
                       "empty": b""}[damage])
    cache.clear_memory()
    again, origin = cache.load(folder, cache_dir=where)
    assert origin == "read"
    pd.testing.assert_frame_equal(again, good, check_exact=True)
    cache.clear_memory()
    assert cache.load(folder, cache_dir=where)[1] == "disk"  # rebuilt


def test_a_flipped_byte_inside_an_entry_is_caught(tmp_path):
    folder = tmp_path / "files"
    plain_copies(folder, "39049")
    where = tmp_path / "cache"
    good = cache.read_folder(folder, cache_dir=where)
    cache.flush()
    entry = cache.entry_path(cache.folder_key(folder), where)
    raw = bytearray(entry.read_bytes())
    raw[len(raw) // 2] ^= 0xFF  # inside an array: the zip's checksum no longer matches
    entry.write_bytes(bytes(raw))
    cache.clear_memory()
    again, origin = cache.load(folder, cache_dir=where)
    assert origin == "read"
    pd.testing.assert_frame_equal(again, good, check_exact=True)


def test_a_cache_that_cannot_be_written_or_is_off_only_costs_speed(tmp_path, monkeypatch):
    folder = tmp_path / "files"
    plain_copies(folder, "39049")
    blocked = tmp_path / "a-file"
    blocked.write_text("x")  # the cache folder's place is taken by a file
    data, origin = cache.load(folder, cache_dir=blocked / "cache")
    assert origin == "read" and total_jobs(data, "39049", 2023) > 0
    cache.flush()  # the failed write is logged, not raised
    assert blocked.read_text() == "x"
    monkeypatch.setenv("SECTORKIT_LMI_CACHE", "off")
    assert cache.default_dir(tmp_path) is None
    cache.clear_memory()
    assert cache.load(folder)[1] == "read"
    monkeypatch.setenv("SECTORKIT_LMI_CACHE", str(tmp_path / "mine"))
    assert cache.default_dir() == tmp_path / "mine"


def test_a_bad_file_raises_and_nothing_is_cached(tmp_path):
    folder = tmp_path / "files"
    files = plain_copies(folder, "39049")
    files[0].write_text("area_fips,own_code\n39049,0\n")
    where = tmp_path / "cache"
    with pytest.raises(DataError):
        cache.read_folder(folder, cache_dir=where)
    cache.flush()
    assert not where.exists() or not list(where.iterdir())
    with pytest.raises(DataError, match="file not found"):
        cache.read_folder(tmp_path / "missing", cache_dir=where)
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="holds no .csv"):
        cache.read_folder(tmp_path / "empty", cache_dir=where)


def test_changing_the_years_on_one_frame_gives_the_figures_of_a_fresh_frame():
    """The per-year national shares kept beside a frame (lmi.memo) never change a figure."""
    data = qcew.read_area_files(OHIO)
    region = lmi.Region.from_crosswalk(CROSSWALK, "CENTRAL_OH12")
    args = dict(digits=(2, 3), national_growth=0.05)
    for start, end in [(2020, 2023), (2021, 2023), (2020, 2022), (2021, 2022), (2020, 2023)]:
        again = lmi.region_measures(data, region, start, end, **args)  # reuses the years seen before
        fresh = lmi.region_measures(data.copy(), region, start, end, **args)  # a new frame: nothing kept
        pd.testing.assert_frame_equal(again, fresh, check_exact=True)
