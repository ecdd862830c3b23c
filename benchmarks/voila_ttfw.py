"""Time to first interactive widget: the AAR worksheet and the home page vs a bare one-slider notebook.

Measured in one run, on this machine, in headless Chromium:

* **floor**: ``benchmarks/notebooks/one_slider.ipynb`` served by plain Voila with
  its defaults (no sectorkit settings), as in ../shared/STACK-NOTES.md;
* **worksheet**: the Step 2 After Action Review through the generic page,
  ``worksheets/sheet.ipynb?sheet=step2-aar``, served the way ``make demo`` serves it
  (``sectorkit serve`` and the repository's ``voila.json``: one preheated kernel pool,
  for the generic page, whose kernels have imported every page and loaded every spec;
  unused lab extensions denied; sectorkit's template, which gives the page Voila's
  front-end chunks in one preloaded script, see ``tools/voila_bundle/page_bundle.py``);
* **home**: the home page, ``worksheets/sheet.ipynb`` with no ``sheet=`` (the curriculum map
  with the region's progress, the region picker and the create form), same server and pool.

Both servers run side by side and the two pages are loaded in turns, N times each
(default 5), each in its own browser tab, first with the HTTP cache disabled (cold:
every script fetched and compiled), then with it enabled (warm reload); the time from
``page.goto`` to the first visible, enabled widget control is taken, and the medians and
their ratio are printed. Between loads the script waits
until Voila has refilled its kernel pool, so each load sees the steady state a
user opening the page sees (rapid reloads faster than a kernel starts drain a
small pool; the pool size is a setting in voila.json) and until the server and
its kernels are idle (see ``wait_until_quiet``).

Goal: worksheet and home page medians <= 0.5 x floor median.

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

from sectorkit.core.paths import REPO_ROOT
from sectorkit.reports.pdf import launch_browser

sys.path.insert(0, str(REPO_ROOT))  # tests.support is not installed
from tests.support.browser import time_to_first_widget  # noqa: E402
from tests.support.procs import cpu_seconds, descendants  # noqa: E402
from tests.support.voila import voila_server, wait_for_pool  # noqa: E402


def wait_until_quiet(pid: int, window: float = 0.5, busy: float = 0.05, timeout: float = 60) -> None:
    """Wait until the server and its kernels use under ``busy`` CPU-seconds per ``window``.

    Voila logs a refilled pool as soon as the new kernel has started, but the
    kernel then still imports and runs the worksheet's first cells, a couple of
    CPU-seconds on this machine. A load timed during that work measures the
    refill, not the page, so each load waits for the machine to settle, as a
    user arriving between two others would find it.
    """
    deadline = time.monotonic() + timeout
    before = cpu_seconds(descendants(pid))
    while time.monotonic() < deadline:
        time.sleep(window)
        now = cpu_seconds(descendants(pid))
        if now - before < busy:
            return
        before = now


class Series:
    """One page being timed: its server, notebook, and a browser tab of its own."""

    def __init__(self, name: str, server, notebook: str, query: str, preheated: bool, browser, warm: bool):
        self.name, self.server, self.notebook, self.query, self.preheated = name, server, notebook, query, preheated
        self.times: list[float] = []
        self.context = browser.new_context()
        self.page = self.context.new_page()
        cdp = self.context.new_cdp_session(self.page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": not warm})


def measure_interleaved(browser, specs: list[tuple], loads: int, warm: bool, served: dict) -> dict[str, list[float]]:
    """``loads`` timed loads of each page, taken in turns (A, B, A, B, ...).

    Each page has its own tab (its own browser context). Cold: the tab's HTTP cache is
    disabled (Chrome DevTools protocol), so every script is fetched and compiled as on a
    first visit. Warm: the cache is on and primed by the untimed first load. Between loads
    a tab shows about:blank. ``served`` counts the pages each server (by port) has served
    so far, across rounds. Taking the pages in turns means a slow minute on the machine
    slows both alike, instead of landing on one page's whole series. One tab per page
    rather than a fresh browser profile per load: opening a profile makes Chromium start a
    window with its own user-interface renderer, about 0.5 s of CPU on this 2-core machine
    that belongs to the browser, not to the page.
    """
    series = [Series(name, server, nb, query, pre, browser, warm) for name, server, nb, query, pre in specs]
    pids = [s.server.proc.pid for s in series]
    for i in range(loads + 1):  # the first load of each primes the server's (and, if warm, the browser's) caches
        for s in series:
            s.page.goto("about:blank")
            if s.preheated:
                # Voila logs "filled" once at start and once per refill; each page served takes a
                # kernel and starts a refill (after voila.json's fill_delay), so wait for all of them
                wait_for_pool(s.server, s.notebook, time.monotonic() + 120, count=1 + served[s.server.port])
            for pid in pids:  # the refilled kernel has run its first cells; the last page's kernel has shut down
                wait_until_quiet(pid)
            seconds = time_to_first_widget(s.page, s.server.url(s.notebook, s.query))
            served[s.server.port] += 1
            if i:
                s.times.append(seconds)
    for s in series:
        s.page.goto("about:blank")  # leaving the page hands its kernel back before the tab closes
        s.context.close()
    return {s.name: s.times for s in series}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loads", type=int, default=5, help="page loads per notebook (median taken)")
    args = parser.parse_args(argv)

    home = Path(tempfile.mkdtemp(prefix="sectorkit-bench-"))
    env = {"SECTORKIT_HOME": str(home)}
    empty = Path(tempfile.mkdtemp(prefix="voila-defaults-"))  # no voila.json here: Voila's defaults
    results = {}
    with (
        sync_playwright() as pw,
        voila_server(REPO_ROOT / "benchmarks" / "notebooks", cwd=empty, env=env) as bare,
        voila_server(
            REPO_ROOT / "worksheets",
            cwd=REPO_ROOT,
            env=env,
            ready_notebook="sheet.ipynb",
            command=[sys.executable, "-m", "sectorkit.cli", "serve"],
        ) as ours,
    ):
        specs = [
            ("floor", bare, "one_slider.ipynb", "", False),
            ("sheet", ours, "sheet.ipynb", "sheet=step2-aar", True),
            ("home", ours, "sheet.ipynb", "", True),
        ]
        served = {bare.port: 0, ours.port: 0}
        for warm in (False, True):
            browser = launch_browser(pw)  # a fresh browser for the cold and for the warm round
            for name, times in measure_interleaved(browser, specs, args.loads, warm, served).items():
                results[name, warm] = times
            browser.close()

    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
        f"{args.loads} timed loads each, taken in turns"
    )
    for warm, label in (
        (False, "cold: HTTP cache disabled, every script fetched and compiled"),
        (True, "warm: HTTP cache on, page loaded again"),
    ):
        floor = results["floor", warm]
        f_med = statistics.median(floor)
        print(f"\n{label}")
        print(
            f"  floor     one_slider.ipynb, plain Voila : median {f_med:.2f} s ({', '.join(f'{t:.2f}' for t in floor)})"
        )
        for name, what in (("sheet", "worksheet sheet.ipynb?sheet=step2-aar"), ("home", "home page sheet.ipynb      ")):
            times = results[name, warm]
            med = statistics.median(times)
            ratio = med / f_med
            print(f"  {what} : median {med:.2f} s ({', '.join(f'{t:.2f}' for t in times)})")
            print(f"  ratio {name}/floor: {ratio:.2f}  (goal <= 0.50: {'met' if ratio <= 0.5 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
