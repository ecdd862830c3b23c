"""Benchmark: build the sector screen for the 12-county Central Ohio region.

Compares (a) the time to build the full screen from the 48 QCEW files
(read + check + region measures at NAICS 2 and 3 digits + scoring) with
(b) the time pandas alone needs to read the same files (``pd.read_csv`` of
each, defaults). Prints both (best and median of several runs) and the ratio
of the medians. Goal: ratio <= 1.5.

Usage::

    PYTHONPATH=lib python benchmarks/lmi.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lib"))

from sectorkit.lmi import measures as lmi  # noqa: E402
from sectorkit.lmi import qcew, screen  # noqa: E402

SHARED = Path(os.environ.get("SECTORKIT_SHARED", REPO.parent / "shared"))
FOLDER = SHARED / "data" / "qcew" / "ohio_morpc_county_annual"
CROSSWALK = SHARED / "data" / "qcew" / "crosswalk" / "central_ohio_12_county_region.csv"


def pandas_only(files):
    for f in files:
        pd.read_csv(f)


def full_screen(files):
    data = qcew.read_area_files(files)
    region = lmi.Region.from_crosswalk(CROSSWALK, "CENTRAL_OH12")
    return screen.build_sector_screen(data, region, 2020, 2023, digits=(2, 3),
                                      national_growth=0.05)


def timeit(fn, files, runs):
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn(files)
        out.append(time.perf_counter() - t)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    files = sorted(FOLDER.glob("*.csv.gz"))
    if len(files) != 48:
        print(f"expected 48 files in {FOLDER}, found {len(files)}", file=sys.stderr)
        return 2
    full_screen(files)  # warm-up (imports, caches, file system)
    pandas_only(files)
    a, b = [], []
    for _ in range(args.runs):  # interleave to share any machine noise
        a += timeit(pandas_only, files, 1)
        b += timeit(full_screen, files, 1)
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"files: {len(files)} ({FOLDER})")
    print(f"pandas read_csv only : best {min(a) * 1000:7.1f} ms, median {ma * 1000:7.1f} ms")
    print(f"full sector screen   : best {min(b) * 1000:7.1f} ms, median {mb * 1000:7.1f} ms")
    print(f"ratio (median)       : {mb / ma:.2f}  (best/best {min(b) / min(a):.2f}; goal <= 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
