"""A training room at once: 1, 10 and 30 people opening worksheets together, then leaving without a word.

Measured in one run, on this machine, against ``sectorkit serve`` as ``make demo`` runs it (the
repository's voila.json; forked page kernels, the room's queue page, the kernel reaper):

* for each wave of N simultaneous opens (default 1, 10, 30), spread over the worksheets, each in its
  own browser context (no cache, its own storage): the time from the request to the first visible,
  enabled widget (taken in the page's own clock against the request's wall-clock start, so a page
  that waited on the queue page counts its wait), p50 and p95, and the failures (no widget within
  ``--timeout`` seconds, or an error page);
* after each wave every context is closed **without** Voila's leave request (as a closed laptop or
  a killed browser leaves), and at the end the script samples the server's kernels (processes
  running ``ipykernel_launcher``) and their memory (PSS of the server and all its descendants, so
  pages shared by forked kernels count once) every 10 s until they are back to the idle baseline or
  ``--settle`` seconds pass.

``--clients headless`` opens the pages without a browser: each client makes the page's own requests
(the HTML, the queue page's seat poll when it gets one, the kernel's websocket with ``kernel_info``, the
``jupyter.widget.control`` comm and ``request_states``) and the time is taken when every widget's
state has arrived, where a browser starts drawing. That is the server's share of a room whose
browsers run on the people's own laptops, measured without thirty Chromium contexts on its cores.

Goals on this 2-core machine (issue 17): 30 at once, p95 <= 8 s and 0 failures; memory back to
the pool baseline within 3 minutes of the last page closing.

Usage: python benchmarks/voila_load.py [--waves 1 10 30] [--timeout 120] [--settle 240] [--grace 120]
       [--clients browser|headless]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from playwright.async_api import async_playwright
from tornado.httpclient import AsyncHTTPClient
from tornado.websocket import websocket_connect

from sectorkit.apps import registry
from sectorkit.core.paths import REPO_ROOT
from sectorkit.views.pdf import CHROMIUM, CHROMIUM_ARGS

sys.path.insert(0, str(REPO_ROOT))  # tests.support is not installed
from tests.support.browser import _FIRST_WIDGET_JS, INTERACTIVE  # noqa: E402
from tests.support.procs import cpu_seconds, descendants  # noqa: E402
from tests.support.voila import copy_worksheets, voila_server, wait_for_pool  # noqa: E402

LAUNCH_ARGS = CHROMIUM_ARGS  # the flags every sectorkit Chromium runs with


def browser_pids() -> list[int]:
    return [p for p in descendants(os.getpid())[1:] if b"chrom" in _cmdline(p)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def kernels_and_memory(pid: int) -> tuple[int, float]:
    """(kernels, MB of PSS) of ``pid`` and its descendants."""
    kernels, pss = 0, 0
    for p in descendants(pid):
        try:
            if b"ipykernel_launcher" in Path(f"/proc/{p}/cmdline").read_bytes():
                kernels += 1
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return kernels, pss / 1024


async def open_one(browser, url: str, timeout: float):
    """(seconds to the first widget or None on failure, the context)."""
    context = await browser.new_context(viewport={"width": 1100, "height": 900})
    page = await context.new_page()
    await page.add_init_script(_FIRST_WIDGET_JS % json.dumps(INTERACTIVE))
    start = time.time()
    try:
        await page.goto(url, wait_until="commit", timeout=timeout * 1000)
        await page.wait_for_selector(INTERACTIVE, state="visible", timeout=timeout * 1000)
        at = await page.evaluate("() => performance.timeOrigin + (window.__skFirstWidget ?? performance.now())")
        return at / 1000 - start, context
    except Exception as exc:  # noqa: BLE001 - a failure is counted, with the context kept for closing
        try:
            text = (await page.inner_text("body"))[:200].replace("\n", " ")
        except Exception:  # noqa: BLE001
            text = "?"
        FAILURES.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]} | {page.url} | {text}")
        return None, context


FAILURES: list[str] = []


def _message(msg_type: str, content: dict, channel: str, session: str, metadata: dict | None = None) -> str:
    """A Jupyter message as the front end sends it over the kernel's websocket (JSON protocol)."""
    header = {"msg_id": uuid.uuid4().hex, "username": "load", "session": session, "msg_type": msg_type,
              "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    return json.dumps({"header": header, "parent_header": {}, "metadata": metadata or {}, "content": content,
                       "channel": channel, "buffers": []})


async def open_headless(url: str, timeout: float):
    """What the browser asks of the server for one page, without a browser: (seconds or None, websocket).

    The page's HTML (following the queue page's seat poll, as its script does), then the kernel's
    websocket: ``kernel_info``, the ``jupyter.widget.control`` comm and ``request_states``; the time
    is taken when every widget's state has arrived, where a browser would start drawing. The
    websocket is returned open, to be dropped without a leave request.
    """
    client = AsyncHTTPClient(force_instance=True)
    start = time.time()
    deadline = start + timeout
    base = url.split("/voila/", 1)[0]
    page = url
    try:
        while True:
            body = (await client.fetch(page, request_timeout=max(1, deadline - time.time()))).body.decode()
            found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', body)
            if found:
                break
            ticket = re.search(r'"ticket":\s*"([0-9a-f]+)"', body)
            if not ticket:
                raise RuntimeError("neither a worksheet nor the queue page: " + body[:120])
            while True:  # the queue page's long poll
                state = json.loads((await client.fetch(f"{base}/sectorkit/seat?ticket={ticket.group(1)}",
                                                       request_timeout=max(1, deadline - time.time()))).body)
                if state["state"] in ("go", "unknown"):
                    break
                if state["state"] == "timeout" or time.time() > deadline:
                    raise TimeoutError("still waiting for a seat")
            page = url + (f"&seat={ticket.group(1)}" if state["state"] == "go" else "")
        session = uuid.uuid4().hex
        ws_url = base.replace("http", "ws", 1) + f"/api/kernels/{found.group(1)}/channels?session_id={session}"
        ws = await websocket_connect(ws_url, max_message_size=300 * 2**20)
        await ws.write_message(_message("kernel_info_request", {}, "shell", session))
        comm = uuid.uuid4().hex
        await ws.write_message(_message("comm_open", {"comm_id": comm, "target_name": "jupyter.widget.control",
                                                      "data": {}}, "shell", session, {"version": "1.0.0"}))
        await ws.write_message(_message("comm_msg", {"comm_id": comm, "data": {"method": "request_states"}},
                                        "shell", session))
        while True:
            raw = await asyncio.wait_for(ws.read_message(), max(0.1, deadline - time.time()))
            if raw is None:
                raise RuntimeError("the kernel's websocket closed")
            if isinstance(raw, str) and '"update_states"' in raw:
                msg = json.loads(raw)
                if msg["content"].get("comm_id") == comm and msg["content"]["data"].get("states"):
                    return time.time() - start, ws
    except Exception as exc:  # noqa: BLE001 - a failure is counted
        FAILURES.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''} | {page}")
        return None, None
    finally:
        client.close()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def run(args) -> None:
    home = Path(tempfile.mkdtemp(prefix="sk-load-home-"))
    folder = copy_worksheets(Path(tempfile.mkdtemp(prefix="sk-load-pages-")))
    env = {"SECTORKIT_HOME": str(home), "SECTORKIT_KERNEL_GRACE": str(args.grace)}
    subprocess.run([sys.executable, "-m", "sectorkit.cli", "init-example"], env={**os.environ, **env}, check=True,
                   capture_output=True)
    pages = list(registry.page_sequence())
    serve = [sys.executable, "-m", "sectorkit.cli", "serve"]
    with voila_server(folder, cwd=REPO_ROOT, env=env, command=serve, timeout=240) as server:
        wait_for_pool(server, "sheet.ipynb", time.monotonic() + 240)
        time.sleep(3)
        base_kernels, base_mb = kernels_and_memory(server.proc.pid)
        print(f"idle: {base_kernels} kernels, {base_mb:.0f} MB (server, fork server, pool)")
        async with async_playwright() as pw:
            browser = None
            if args.clients == "browser":
                browser = await pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            n = 0
            for wave in args.waves:
                urls = [server.url("sheet.ipynb", f"sheet={pages[(n + i) % len(pages)]}&region=example")
                        for i in range(wave)]
                n += wave
                cpu_server, cpu_browser = cpu_seconds(descendants(server.proc.pid)), cpu_seconds(browser_pids())
                cpu_voila = cpu_seconds([server.proc.pid])
                if browser is not None:
                    results = await asyncio.gather(*(open_one(browser, u, args.timeout) for u in urls))
                else:
                    results = await asyncio.gather(*(open_headless(u, args.timeout) for u in urls))
                cpu_server = cpu_seconds(descendants(server.proc.pid)) - cpu_server
                cpu_voila = cpu_seconds([server.proc.pid]) - cpu_voila
                cpu_browser = cpu_seconds(browser_pids()) - cpu_browser
                times = [t for t, _ in results if t is not None]
                failures = sum(1 for t, _ in results if t is None)
                k, mb = kernels_and_memory(server.proc.pid)
                client = f"browser {cpu_browser:.1f}" if browser is not None else "no browser"
                if times:
                    print(f"{wave:>3} at once: p50 {statistics.median(times):5.2f} s  p95 {pct(times, 0.95):5.2f} s  "
                          f"max {max(times):5.2f} s  failures {failures}   ({k} kernels, {mb:.0f} MB; CPU s: "
                          f"server and kernels {cpu_server:.1f} (server {cpu_voila:.1f}), {client})")
                else:
                    print(f"{wave:>3} at once: every page failed ({failures})")
                for _, held in results:  # closed without the leave request
                    if held is not None:
                        await held.close() if browser is not None else held.close()
                await asyncio.sleep(2)
            if browser is not None:
                await browser.close()
        closed = time.monotonic()
        print(f"every page closed without a leave request; grace {args.grace:.0f} s")
        while True:
            await asyncio.sleep(10)
            k, mb = kernels_and_memory(server.proc.pid)
            waited = time.monotonic() - closed
            print(f"  after {waited:5.0f} s: {k} kernels, {mb:.0f} MB")
            if (k <= base_kernels and mb <= base_mb * 1.15) or waited > args.settle:
                break
        for failure in FAILURES:
            print("  failed:", failure)
        back = k <= base_kernels and mb <= base_mb * 1.15
        print(f"memory {'back to' if back else 'NOT back to'} the pool baseline (within 15 %) after {waited:.0f} s "
              f"(goal: within 180 s)")
        log = server.log.read_text()
        if FAILURES:
            (Path(tempfile.gettempdir()) / "voila_load_server.log").write_text(log)
            print(f"  server log kept in {Path(tempfile.gettempdir()) / 'voila_load_server.log'}")
        print(f"queue pages served: {log.count('sectorkit: queued')}; kernels shut down for having no page: "
              f"{log.count('no page connected for')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--waves", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--settle", type=float, default=240.0)
    parser.add_argument("--grace", type=float, default=120.0)
    parser.add_argument("--clients", choices=("browser", "headless"), default="browser",
                        help="headless: no browser, the page's HTTP and websocket requests only (the server's share)")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
