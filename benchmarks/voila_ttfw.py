"""Time to first interactive widget: the AAR worksheet vs a bare one-slider notebook.

Measured in one run, on this machine, in headless Chromium:

* **floor**: ``benchmarks/notebooks/one_slider.ipynb`` served by plain Voila with
  its defaults (no sectorkit settings), as in ../shared/STACK-NOTES.md;
* **worksheet**: ``worksheets/step2_aar.ipynb`` served the way ``make demo``
  serves it (the repository's ``voila.json``: preheated kernel pool, unused lab
  extensions denied).

Each is loaded N times (default 5) in one browser tab, first with the HTTP
cache disabled (cold: every script fetched and compiled), then with it enabled
(warm reload); the time from ``page.goto`` to the first visible, enabled widget
control is taken, and the medians and their ratio are printed. Between loads the script waits
until Voila has refilled its kernel pool, so each load sees the steady state a
user opening the page sees (rapid reloads faster than a kernel starts drain a
small pool; the pool size is a setting in voila.json) and until the server and
its kernels are idle (see ``wait_until_quiet``).

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


def _cpu_seconds(pid: int) -> float:
    """CPU time of ``pid`` and all its descendants (Linux /proc; 0 elsewhere)."""
    total, todo = 0.0, [pid]
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                todo.extend(int(c) for c in children)
        except (OSError, IndexError, ValueError):
            continue
    return total


def wait_until_quiet(pid: int, window: float = 0.5, busy: float = 0.05, timeout: float = 60) -> None:
    """Wait until the server and its kernels use under ``busy`` CPU-seconds per ``window``.

    Voila logs a refilled pool as soon as the new kernel has started, but the
    kernel then still imports and runs the worksheet's first cells, a couple of
    CPU-seconds on this machine. A load timed during that work measures the
    refill, not the page, so each load waits for the machine to settle, as a
    user arriving between two others would find it.
    """
    deadline = time.monotonic() + timeout
    before = _cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(window)
        now = _cpu_seconds(pid)
        if now - before < busy:
            return
        before = now


def measure(browser, server, notebook: str, loads: int, preheated: bool, warm: bool) -> list[float]:
    """``loads`` timed page loads in one browser tab.

    Cold: the tab's HTTP cache is disabled (Chrome DevTools protocol), so every
    script is fetched and compiled as on a first visit. Warm: the cache is on and
    primed by the untimed first load. Between loads the tab shows about:blank.
    One tab rather than a fresh browser profile per load: opening a profile makes
    Chromium start a window with its own user-interface renderer, about 0.5 s of
    CPU on this 2-core machine that belongs to the browser, not to the page.
    """
    times = []
    marker = f"Kernel pool of {notebook} is filled"
    base = server.log.read_text().count(marker)  # refills logged before this series
    served = 0
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": not warm})
    for i in range(loads + 1):  # the first load primes the server's (and, if warm, the browser's) caches
        page.goto("about:blank")
        if preheated:
            wait_for_pool(server, notebook, time.monotonic() + 120, count=base + served)
        wait_until_quiet(server.proc.pid)  # the refilled kernel has run its first cells; the last one has shut down
        seconds = time_to_first_widget(page, server.url(notebook))
        served += 1
        if i:
            times.append(seconds)
    context.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loads", type=int, default=5, help="page loads per notebook (median taken)")
    args = parser.parse_args(argv)

    home = Path(tempfile.mkdtemp(prefix="sectorkit-bench-"))
    env = {"SECTORKIT_HOME": str(home)}
    empty = Path(tempfile.mkdtemp(prefix="voila-defaults-"))  # no voila.json here: Voila's defaults
    results = {}
    with sync_playwright() as pw:
        # a fresh browser for every series: pages of both servers are the same site
        # (127.0.0.1), so one browser would carry a renderer's state from one series to the next
        with voila_server(REPO_ROOT / "benchmarks" / "notebooks", cwd=empty, env=env) as bare:
            for warm in (False, True):
                browser = launch_browser(pw)
                results["floor", warm] = measure(browser, bare, "one_slider.ipynb", args.loads, False, warm)
                browser.close()
        with voila_server(REPO_ROOT / "worksheets", cwd=REPO_ROOT, env=env, ready_notebook="step2_aar.ipynb") as ours:
            for warm in (False, True):
                browser = launch_browser(pw)
                results["sheet", warm] = measure(browser, ours, "step2_aar.ipynb", args.loads, True, warm)
                browser.close()

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; {args.loads} timed loads each")
    for warm, label in ((False, "cold: HTTP cache disabled, every script fetched and compiled"), (True, "warm: HTTP cache on, page loaded again")):
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
