"""Time to first interactive widget: the AAR worksheet vs a bare one-slider notebook.

Measured in one run, on this machine, in headless Chromium:

* **floor**: ``benchmarks/notebooks/one_slider.ipynb`` served by plain Voila with
  its defaults (no sectorkit settings), as in ../shared/STACK-NOTES.md;
* **worksheet**: ``worksheets/step2_aar.ipynb`` served the way ``make demo``
  serves it (the repository's ``voila.json``: preheated kernel pool, unused lab
  extensions denied).

Each is loaded N times (default 5) in a fresh browser context (cold cache), the
time from ``page.goto`` to the first visible, enabled widget control is taken,
and the medians and their ratio are printed. Between loads the script waits
until Voila has refilled its kernel pool, so each load sees the steady state a
user opening the page sees (rapid reloads faster than a kernel starts drain a
small pool; the pool size is a setting in voila.json).

Goal: worksheet median <= 0.6 x floor median.

Usage: python benchmarks/voila_ttfw.py [--loads 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from sectorkit.paths import REPO_ROOT
from sectorkit.testing import launch_browser, time_to_first_widget, voila_server, wait_for_pool


def measure(browser, server, notebook: str, loads: int, preheated: bool, warm: bool) -> list[float]:
    """``loads`` timed page loads; ``warm`` re-uses one browser context (HTTP cache primed)."""
    times = []
    marker = f"Kernel pool of {notebook} is filled"
    base = server.log.read_text().count(marker)  # refills logged before this series
    served = 0
    shared = browser.new_context() if warm else None
    for i in range(loads + 1):  # the first load primes the server's (and, if warm, the browser's) caches
        if preheated:
            wait_for_pool(server, notebook, time.monotonic() + 120, count=base + served)
            time.sleep(1.0)  # let the refilled kernel finish its start-up work (Voila waits fill_delay before refilling)
        else:
            time.sleep(1.0)  # let the previous kernel shut down, as between users
        context = shared or browser.new_context()
        page = context.new_page()
        seconds = time_to_first_widget(page, server.url(notebook))
        served += 1
        page.close()
        if not warm:
            context.close()
        if i:
            times.append(seconds)
    if shared:
        shared.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loads", type=int, default=5, help="page loads per notebook (median taken)")
    args = parser.parse_args(argv)

    home = Path(tempfile.mkdtemp(prefix="sectorkit-bench-"))
    env = {"SECTORKIT_HOME": str(home)}
    empty = Path(tempfile.mkdtemp(prefix="voila-defaults-"))  # no voila.json here: Voila's defaults
    with sync_playwright() as pw:
        browser = launch_browser(pw)
        results = {}
        with voila_server(REPO_ROOT / "benchmarks" / "notebooks", cwd=empty, env=env) as bare:
            for warm in (False, True):
                results["floor", warm] = measure(browser, bare, "one_slider.ipynb", args.loads, False, warm)
        with voila_server(REPO_ROOT / "worksheets", cwd=REPO_ROOT, env=env, ready_notebook="step2_aar.ipynb") as ours:
            for warm in (False, True):
                results["sheet", warm] = measure(browser, ours, "step2_aar.ipynb", args.loads, True, warm)
        browser.close()

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; {args.loads} timed loads each")
    for warm, label in ((False, "new browser profile per load (cold HTTP cache)"), (True, "same browser, page reloaded (warm HTTP cache)")):
        floor, sheet = results["floor", warm], results["sheet", warm]
        f_med, s_med = statistics.median(floor), statistics.median(sheet)
        ratio = s_med / f_med
        print(f"\n{label}")
        print(f"  floor     one_slider.ipynb, plain Voila : median {f_med:.2f} s  ({', '.join(f'{t:.2f}' for t in floor)})")
        print(f"  worksheet step2_aar.ipynb, sectorkit    : median {s_med:.2f} s  ({', '.join(f'{t:.2f}' for t in sheet)})")
        print(f"  ratio worksheet/floor: {ratio:.2f}  (goal <= 0.60: {'met' if ratio <= 0.6 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
