"""Region reports: a naive loop of CLI calls against ``sectorkit report --all``.

    python benchmarks/reports.py [--regions 20] [--workers N]

Creates N regions (default 20) in a temporary SECTORKIT_HOME, each a copy of the complete
illustrative example (every worksheet of every module answered, so every section of the region
report is filled), all in one state, then times

* naive: per region, ``papermill`` CLI + ``jupyter nbconvert --to html --no-input``
  + one ``chromium --print-to-pdf`` process (HTML **and** PDF, like the batch);
* batch: ``sectorkit report --all --format html,pdf`` (warm worker pool, a fresh
  kernel per region, PDFs printed in one Chromium session);

prints both times and the ratio, times the state report over the N regions, and checks that every
region's report says the
same thing both ways: the text of each section, the image alt texts and the
charts' count (after removing the "Generated <date>" stamp).

Measured on 2 cores, 20 regions, HTML+PDF both ways, with the complete example report (18 sections,
12 charts), 2026-12-01 (both ways slower than the day before on the same machine, whose naive
loop took 8.87 s/region then; the ratio is what compares): batch 65.3 s (3.27 s/region), naive
323.3 s (16.16 s/region), 4.9x; same content; the state report over the 20 regions 6.9 s (146 KB).
Charts are SVG since that day: a region's 17 sections take ~2.5 s in one process instead of
~4.6 s. The goal is 8x: the batch is CPU-bound, and a region's kernel still spends ~3 s running
its sections (metrics 0.9 s, journeys 0.4 s, outreach 0.4 s: matplotlib's layout of multi-panel
figures) plus ~0.8 s starting and stopping, and the PDF ~0.6 s, which the naive loop pays too.
(Before: 38.7 s against 177.4 s, 4.6x, with PNG charts on
the faster day; with the 7-section report 21.3 s against 130.5 s, 6.1x.)
"""

from __future__ import annotations

import argparse
import html
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sectorkit.core.paths import REPO_ROOT
from sectorkit.example import ensure_example_workspace
from sectorkit.reports.state import build_state_html
from sectorkit.store.workspace import import_json
from sectorkit.views.pdf import CHROMIUM, CHROMIUM_ARGS

sys.path.insert(0, str(REPO_ROOT))  # tests.support is not installed

TEMPLATE = REPO_ROOT / "reports" / "region_report.ipynb"
BIN = Path(sys.executable).parent


def make_regions(home: Path, n: int, state: str = "OH") -> list[str]:
    """N copies of the complete illustrative example (every worksheet of every module answered), in ``state``."""
    with tempfile.TemporaryDirectory(prefix="sk-example-") as tmp:
        with ensure_example_workspace(tmp) as ws:
            exported = ws.export_json(Path(tmp) / "example.json")
        regions = []
        for i in range(1, n + 1):
            region = f"region-{i:02d}"
            with import_json(exported, home, region=region) as ws:
                ws.rename(f"Region {i:02d}")
                ws.put_record("region_profile", "current", {"counties": [], "state": state, "scope": "region"})
            regions.append(region)
    return regions


def naive(regions: list[str], home: Path, out: Path) -> float:
    out.mkdir(parents=True, exist_ok=True)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    t0 = time.perf_counter()
    for region in regions:
        nb = out / f"{region}.ipynb"
        subprocess.run(
            [
                str(BIN / "papermill"),
                str(TEMPLATE),
                str(nb),
                "-p",
                "region",
                region,
                "-p",
                "home",
                str(home),
                "-k",
                "python3",
                "--no-progress-bar",
                "--log-level",
                "ERROR",
            ],
            check=True,
            **quiet,
        )
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)], check=True, **quiet)
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(
                [
                    CHROMIUM,
                    "--headless",
                    *CHROMIUM_ARGS,
                    f"--user-data-dir={profile}",
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={out / (region + '.pdf')}",
                    (out / f"{region}.html").as_uri(),
                ],
                check=True,
                timeout=120,
                **quiet,
            )
    return time.perf_counter() - t0


def batch(home: Path, out: Path, workers: int | None) -> float:
    cmd = [str(BIN / "sectorkit"), "--home", str(home), "report", "--all", "--out", str(out), "--quiet"]
    if workers:
        cmd += ["--workers", str(workers)]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - t0


def content(page: str) -> list[str]:
    """What a report says: each section's text, every image's alt text and the number of charts."""
    page = re.sub(r"Generated \d{4}-\d{2}-\d{2}\.", "", page)
    found = []
    for sec in (
        m.group(0) for m in re.finditer(r'<(header|section)\b[^>]*class="sk-[a-z]+"[^>]*>.*?</\1>', page, flags=re.S)
    ):
        alts = re.findall(r'alt="([^"]*)"', sec)
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<img[^>]*>", " ", sec))).split())
        found.append(text + " | alt: " + " / ".join(html.unescape(a) for a in alts) + f" | images: {len(alts)}")
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--regions", type=int, default=20)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="sk-bench-") as tmp:
        home = Path(tmp) / "home"
        regions = make_regions(home, args.regions)
        print(f"{len(regions)} regions in {home}; {os.cpu_count()} CPU(s)")
        t_batch = batch(home, Path(tmp) / "batch", args.workers)
        print(
            f"sectorkit report --all (HTML+PDF):            {t_batch:6.1f} s  ({t_batch / len(regions):.2f} s/region)"
        )
        t_naive = naive(regions, home, Path(tmp) / "naive")
        print(f"naive papermill + nbconvert + chromium loop: {t_naive:6.1f} s  ({t_naive / len(regions):.2f} s/region)")
        print(f"ratio: {t_naive / t_batch:.1f}x faster (sections per report: "
              f"{len(content((Path(tmp) / 'batch' / f'{regions[0]}.html').read_text(encoding='utf-8')))})")
        t0 = time.perf_counter()
        state = build_state_html("OH", home)
        t_state = time.perf_counter() - t0
        print(f"state report over {len(regions)} regions (HTML, fresh kernel): {t_state:6.1f} s; "
              f"{len(state['html']) // 1024} KB")
        differ = []
        for region in regions:
            a = content((Path(tmp) / "naive" / f"{region}.html").read_text(encoding="utf-8"))
            b = content((Path(tmp) / "batch" / f"{region}.html").read_text(encoding="utf-8"))
            if a != b or len(a) < 10:
                differ.append(region)
        pdfs = all((Path(tmp) / d / f"{r}.pdf").stat().st_size > 0 for d in ("naive", "batch") for r in regions)
        print(
            "same report content both ways: "
            + ("yes" if not differ else "NO: " + ", ".join(differ))
            + f"; every PDF written: {'yes' if pdfs else 'NO'}"
        )
        return 0 if not differ and pdfs else 1


if __name__ == "__main__":
    raise SystemExit(main())
