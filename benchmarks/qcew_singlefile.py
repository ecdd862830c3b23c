"""Benchmark: read the areas a region needs from a BLS annual single file of 3.5 million rows.

Generates, in a temporary folder, a synthetic ``2023.annual.singlefile.csv`` in the BLS layout
(38 columns, quoted text, every area of a year: the nation, U.S. aggregates, states, MSAs and
counties, about 1,000 rows each), then reads the rows of three counties (and the nation) with
:func:`sectorkit.lmi.qcew.read_area_files` in a fresh Python process, and prints that process's
peak resident memory and the time. Goal: peak memory under 2 GB. ``--zip`` also reads the file
from inside a zip archive (as BLS distributes it).

Usage::

    PYTHONPATH=lib python benchmarks/qcew_singlefile.py [--rows 3500000] [--zip] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEADER = ",".join(f'"{c}"' for c in (
    "area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year", "qtr", "disclosure_code",
    "annual_avg_estabs", "annual_avg_emplvl", "total_annual_wages", "taxable_annual_wages",
    "annual_contributions", "annual_avg_wkly_wage", "avg_annual_pay", "lq_disclosure_code",
    "lq_annual_avg_estabs", "lq_annual_avg_emplvl", "lq_total_annual_wages", "lq_taxable_annual_wages",
    "lq_annual_contributions", "lq_annual_avg_wkly_wage", "lq_avg_annual_pay", "oty_disclosure_code",
    "oty_annual_avg_estabs_chg", "oty_annual_avg_estabs_pct_chg", "oty_annual_avg_emplvl_chg",
    "oty_annual_avg_emplvl_pct_chg", "oty_total_annual_wages_chg", "oty_total_annual_wages_pct_chg",
    "oty_taxable_annual_wages_chg", "oty_taxable_annual_wages_pct_chg", "oty_annual_contributions_chg",
    "oty_annual_contributions_pct_chg", "oty_annual_avg_wkly_wage_chg", "oty_annual_avg_wkly_wage_pct_chg",
    "oty_avg_annual_pay_chg", "oty_avg_annual_pay_pct_chg"))
COUNTIES = ["39041", "39049", "39089"]

READER = """
import json, resource, sys, time
sys.path.insert(0, {lib!r})
from sectorkit.lmi import qcew
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
d = qcew.read_area_files({path!r}, areas={areas!r})
took = time.perf_counter() - t
print(json.dumps({{"rows": len(d), "areas": sorted(d["area_fips"].unique().tolist()), "seconds": took,
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "base_kib": base}}))
"""


def _block(code: str, agg0: int, n: int, seed: int) -> str:
    """``n`` rows of one area: the total, the private total and ``n - 2`` private industries."""
    lines = [f'"{code}","0","10","{agg0}","0","2023","A","",{900 + seed},{10000 + seed},{500000000 + seed},'
             '0,0,962,50000,"",1.0,1.0,1.0,1.0,1.0,1.0,1.0,"",0,0,0,0,0,0,0,0,0,0,0,0,0,0',
             f'"{code}","5","10","{agg0 + 1}","0","2023","A","",850,8500,420000000,0,0,950,49412,"",1.0,1.0,'
             '1.0,1.0,1.0,1.0,1.0,"",0,0,0,0,0,0,0,0,0,0,0,0,0,0']
    for k in range(n - 2):
        code_i = str(111110 + k * 7)
        supp = "N" if (k + seed) % 3 == 0 else ""
        emp = 0 if supp else 5 + (k * 13 + seed) % 400
        lines.append(f'"{code}","5","{code_i}","{agg0 + 8}","0","2023","A","{supp}",{1 + k % 9},{emp},'
                     f'{emp * 52000},0,0,1000,52000,"{supp}",0.5,0.8,0.9,0,0,1.0,1.0,"{supp}",0,0,1,1.5,2,'
                     '2.5,0,0,0,0,1,0.1,10,0.2')
    return "\n".join(lines) + "\n"


def generate(folder: Path, rows: int) -> Path:
    """Write the synthetic single file (about 600 MB for 3.5 million rows) in blocks of one area."""
    per_area = 1000
    n_areas = max(rows // per_area, 10)
    codes = ["US000", "USCMS", "USMSA", "USNMS"] + [f"{s:02d}000" for s in range(1, 57)] \
        + [f"C{1000 + 4 * i}" for i in range(400)]
    state = 1
    while len(codes) < n_areas:
        codes += [f"{state:02d}{c:03d}" for c in range(1, 200, 2)]
        state += 1
    for c in COUNTIES:  # the region's counties are somewhere in the middle
        codes.insert(len(codes) // 2, c)
    codes = list(dict.fromkeys(codes))[:n_areas]
    for c in COUNTIES:
        if c not in codes:
            codes[len(codes) // 2 + COUNTIES.index(c)] = c
    path = folder / "2023.annual.singlefile.csv"
    with path.open("w", encoding="ascii") as f:
        f.write(HEADER + "\n")
        for i, code in enumerate(codes):
            agg0 = 10 if code.startswith("US") else 40 if code.startswith("C") else 50 if code.endswith("000") else 70
            f.write(_block(code, agg0, per_area, i % 97))
    return path


def measure(path: Path) -> dict:
    code = READER.format(lib=str(REPO / "lib"), path=str(path), areas=COUNTIES)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(label: str, r: dict) -> None:
    print(f"{label}: {r['rows']:,} rows of {', '.join(r['areas'])} in {r['seconds']:.1f} s; peak RSS "
          f"{r['peak_kib'] / 1024:,.0f} MB (after imports {r['base_kib'] / 1024:,.0f} MB); goal < 2,048 MB: "
          + ("met" if r["peak_kib"] < 2 * 1024 * 1024 else "NOT met"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=3_500_000)
    ap.add_argument("--zip", action="store_true", help="also read it from inside a zip archive")
    ap.add_argument("--keep", type=Path, help="write the files here (kept) instead of a temporary folder")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        path = generate(folder, args.rows)
        lines = sum(1 for _ in path.open("rb")) - 1
        print(f"generated {path.name}: {lines:,} rows, {path.stat().st_size / 2**20:,.0f} MB "
              f"in {time.perf_counter() - t:.1f} s")
        report("plain CSV", measure(path))
        if args.zip:
            z = folder / "2023_annual_singlefile.zip"
            with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
                zf.write(path, "2023.annual.singlefile.csv")
            os.remove(path)
            print(f"zipped: {z.stat().st_size / 2**20:,.0f} MB")
            report("inside the zip", measure(z))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
