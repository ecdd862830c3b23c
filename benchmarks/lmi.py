"""Benchmark: the sector screen from BLS files, cold and warm, against pandas only reading the files.

Prints, in one run (medians of interleaved runs; ratios of medians):

1. **Central Ohio, 12 counties, 48 files** (``shared/data/qcew/ohio_morpc_county_annual``):

   * *pandas read*: ``pd.read_csv`` of each file, defaults (the yardstick);
   * *cold screen*: nothing cached (an empty cache folder, nothing in memory): read and check the
     files, store the parsed frame in the cache (:mod:`sectorkit.lmi.cache`), region measures at NAICS
     2 and 3 digits, scores (the cache entry is written after it, :data:`sectorkit.lmi.cache.WRITE_DELAY`
     later or at :func:`~sectorkit.lmi.cache.flush`; its time is printed too). Goal: cold / read <= 1.2;
   * *warm screen*: the files are cached and the team changes the years (look the folder up by its
     files' hashes, then measures and scores) or the weights (look up, then scores: the LMI Review
     keeps the measures while years, counties and level stay). Goal: warm / read <= 0.3;
   * *new kernel*: years changed, with the parsed frame read from the disk cache (nothing in memory).

2. **A synthetic state of 100 counties x 10 years** (1,000 BLS area slices, ``<year>.annual.<fips>.csv``,
   the 38-column layout of ``data.bls.gov/cew/data/api/<year>/a/area/<fips>.csv``; generated in a
   temporary folder from the real Ohio slices, with the county's code and the year written in):
   cold screen of a 12-county region over the 10 years / pandas read (goal <= 1.2), and the peak
   memory (resident set, ``VmHWM`` of ``/proc/self/status``) of a fresh process doing the cold
   screen (and writing the cache entry), next to that of a process only reading the files with
   pandas (keeping them, as the screen keeps its frame).

Usage::

    python benchmarks/lmi.py [--runs 7] [--state-runs 3] [--no-state]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lib"))

from sectorkit.lmi import cache, screen  # noqa: E402
from sectorkit.lmi import measures as lmi  # noqa: E402

SHARED = Path(os.environ.get("SECTORKIT_SHARED", REPO.parent / "shared"))
FOLDER = SHARED / "data" / "qcew" / "ohio_morpc_county_annual"
CROSSWALK = SHARED / "data" / "qcew" / "crosswalk" / "central_ohio_12_county_region.csv"
STATE_YEARS = list(range(2014, 2024))
STATE_COUNTIES = [f"39{c:03d}" for c in range(1, 200, 2)]  # 100 county codes
STATE_REGION = STATE_COUNTIES[20:32]
#: what the team changes between two warm screens: the years (measures and scores again) ...
YEAR_CHANGES = [(2021, 2023), (2020, 2022), (2020, 2023), (2021, 2022)]
#: ... or the weights (scores again: the LMI Review keeps the measures while the years stay)
WEIGHT_CHANGES = [{"growth": 2.0}, {"wages": 3.0, "size": 0.5}, {"concentration": 0.0}, None]


def pandas_read(files: list[Path]) -> None:
    for f in files:
        pd.read_csv(f)


def screen_of(folder: Path, where: Path, region, start: int, end: int, weights=None):
    data = cache.read_folder(folder, cache_dir=where)
    return screen.build_sector_screen(data, region, start, end, digits=(2, 3), national_growth=0.05,
                                      weights=weights)


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def line(label: str, times: list[float]) -> None:
    print(f"  {label:<34}: median {statistics.median(times) * 1000:8.1f} ms  (best {min(times) * 1000:8.1f} ms)")


def ratio(label: str, a: list[float], b: list[float], goal: float) -> None:
    r = statistics.median(a) / statistics.median(b)
    print(f"  {label:<34}: {r:6.2f}   goal <= {goal}: {'met' if r <= goal else 'NOT met'}")


def ohio(runs: int, tmp: Path) -> None:
    files = sorted(FOLDER.glob("*.csv.gz"))
    if len(files) != 48:
        raise SystemExit(f"expected 48 files in {FOLDER}, found {len(files)}")
    region = lmi.Region.from_crosswalk(CROSSWALK, "CENTRAL_OH12")
    where = tmp / "ohio-cache"

    def cold():
        cache.clear_memory()
        for e in where.glob("*"):
            e.unlink()
        screen_of(FOLDER, where, region, 2020, 2023)

    cold()  # warm-up: imports, the file system's cache
    pandas_read(files)
    measures = lmi.region_measures(cache.read_folder(FOLDER, cache_dir=where), region, 2020, 2023,
                                   digits=(2, 3), national_growth=0.05)

    def weights_changed(weights):
        cache.read_folder(FOLDER, cache_dir=where)  # the page looks its data up again
        screen.sector_screen(measures, weights)

    read, cold_t, write_t, years_t, weights_t, disk_t = [], [], [], [], [], []
    for i in range(runs):  # interleaved, to share the machine's noise
        read.append(timed(lambda: pandas_read(files)))
        cold_t.append(timed(cold))
        write_t.append(timed(cache.flush))  # the entry's write, which a kernel does after showing the screen
        start, end = YEAR_CHANGES[i % len(YEAR_CHANGES)]
        years_t.append(timed(lambda: screen_of(FOLDER, where, region, start, end)))
        weights_t.append(timed(lambda: weights_changed(WEIGHT_CHANGES[i % len(WEIGHT_CHANGES)])))
        cache.clear_memory()  # a new kernel: the files are hashed, the parsed frame read from disk
        disk_t.append(timed(lambda: screen_of(FOLDER, where, region, start, end)))
    print(f"Central Ohio: {len(files)} files, 12 counties, 2020-2023 ({FOLDER})")
    line("pandas read_csv only", read)
    line("cold screen (nothing cached)", cold_t)
    line("  then the cache entry's write", write_t)
    line("warm screen, years changed", years_t)
    line("warm screen, weights changed", weights_t)
    line("new kernel (parsed frame on disk)", disk_t)
    ratio("cold screen / pandas read", cold_t, read, 1.2)
    ratio("warm (years) / pandas read", years_t, read, 0.3)
    ratio("warm (weights) / pandas read", weights_t, read, 0.3)
    ratio("new kernel / pandas read", disk_t, read, 0.3)


# --------------------------------------------------------------------------- synthetic state
def make_state(folder: Path) -> list[Path]:
    """1,000 area slices: each county and year from a real Ohio slice, its code and year written in."""
    templates: dict[tuple[str, int], list[bytes]] = {}
    for f in sorted(FOLDER.glob("*.csv.gz")):
        _, _, year, _, fips = f.name[:-7].split("-")
        templates[(fips, int(year))] = gzip.decompress(f.read_bytes()).split(b"\n")
    real = sorted({k[0] for k in templates})
    out = []
    for k, fips in enumerate(STATE_COUNTIES):
        src = real[k % len(real)]
        for y in STATE_YEARS:
            tyear = 2020 + (y - STATE_YEARS[0]) % 4 if y < 2020 else y
            lines = templates[(src, tyear)]
            head, body = lines[0], [ln for ln in lines[1:] if ln]
            old_a, old_y = f"{src},".encode(), f",{tyear},A,".encode()
            new_a, new_y = f"{fips},".encode(), f",{y},A,".encode()
            text = b"\n".join([head] + [new_a + ln[len(old_a):].replace(old_y, new_y, 1) for ln in body]) + b"\n"
            path = folder / f"{y}.annual.{fips}.csv"
            path.write_bytes(text)
            out.append(path)
    return out


CHILD = """
import json, sys, time
sys.path.insert(0, {lib!r})
from pathlib import Path
import pandas as pd
from sectorkit.lmi import cache, screen
from sectorkit.lmi import measures as lmi
folder, where, mode = Path({folder!r}), Path({where!r}), {mode!r}


def peak_kib():  # this process's peak resident set (ru_maxrss would count the parent's, kept across exec)
    return int(next(ln for ln in open("/proc/self/status") if ln.startswith("VmHWM")).split()[1])


base = peak_kib()
t = time.perf_counter()
if mode == "screen":
    data = cache.read_folder(folder, cache_dir=where)
    s = screen.build_sector_screen(data, lmi.Region.from_counties({region!r}), {start}, {end}, digits=(2, 3),
                                   national_growth=0.05)
    n = len(data)
else:
    frames = [pd.read_csv(f) for f in sorted(folder.glob("*.csv"))]
    n = sum(len(f) for f in frames)
took = time.perf_counter() - t
cache.flush()
print(json.dumps({{"rows": n, "seconds": took, "peak_kib": peak_kib(), "base_kib": base}}))
"""


def child(folder: Path, where: Path, mode: str) -> dict:
    code = CHILD.format(lib=str(REPO / "lib"), folder=str(folder), where=str(where), mode=mode,
                        region=STATE_REGION, start=STATE_YEARS[0], end=STATE_YEARS[-1])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def state(runs: int, tmp: Path) -> None:
    folder = tmp / "state"
    folder.mkdir()
    t = time.perf_counter()
    files = make_state(folder)
    size = sum(f.stat().st_size for f in files)
    print(f"\nSynthetic state: {len(STATE_COUNTIES)} counties x {len(STATE_YEARS)} years = {len(files)} area slices, "
          f"{size / 2**20:,.0f} MB of CSV (made in {time.perf_counter() - t:.1f} s); region of "
          f"{len(STATE_REGION)} counties, {STATE_YEARS[0]}-{STATE_YEARS[-1]}")
    region = lmi.Region.from_counties(STATE_REGION)
    where = tmp / "state-cache"

    def cold():
        cache.clear_memory()
        for e in where.glob("*"):
            e.unlink()
        screen_of(folder, where, region, STATE_YEARS[0], STATE_YEARS[-1])

    read, cold_t, write_t = [], [], []
    for _ in range(runs):
        read.append(timed(lambda: pandas_read(files)))
        cold_t.append(timed(cold))
        write_t.append(timed(cache.flush))
    warm_t = [timed(lambda: screen_of(folder, where, region, start, STATE_YEARS[-1]))
              for start in STATE_YEARS[1:runs + 1]]
    line("pandas read_csv only", read)
    line("cold screen (nothing cached)", cold_t)
    line("  then the cache entry's write", write_t)
    line("warm screen, years changed", warm_t)
    ratio("cold screen / pandas read", cold_t, read, 1.2)
    ratio("warm (years) / pandas read", warm_t, read, 0.3)
    entry = sum(e.stat().st_size for e in where.glob("*.npz"))
    print(f"  disk cache entry                  : {entry / 2**20:8.1f} MB")
    for e in where.glob("*"):
        e.unlink()
    s, p = child(folder, where, "screen"), child(folder, where, "pandas")
    print(f"  peak memory, cold screen          : {s['peak_kib'] / 1024:8.0f} MB resident "
          f"({(s['peak_kib'] - s['base_kib']) / 1024:,.0f} MB over the imports; {s['rows']:,} rows, "
          f"{s['seconds']:.1f} s, fresh process)")
    print(f"  peak memory, pandas read only     : {p['peak_kib'] / 1024:8.0f} MB resident "
          f"({(p['peak_kib'] - p['base_kib']) / 1024:,.0f} MB over the imports; all {p['rows']:,} rows kept)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7, help="interleaved runs for the Ohio files")
    ap.add_argument("--state-runs", type=int, default=3, help="runs for the synthetic state")
    ap.add_argument("--no-state", action="store_true", help="skip the synthetic state")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ohio(args.runs, Path(tmp))
        if not args.no_state:
            state(args.state_runs, Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
