"""A training room in real browsers: kernels go when people go, a reload loses nothing, a full room queues.

``sectorkit serve`` over ``sheet.ipynb`` (the repository's voila.json pool), as ``make demo`` serves it:

* With ``SECTORKIT_KERNEL_GRACE=8``: a page closed without Voila's leave request (Playwright's
  ``context.close()`` runs no ``beforeunload``, like a killed browser or a closed laptop) has its
  kernel shut down by the reaper once the grace has passed, not before; the server's kernel count
  is back to the pool's and the answer typed there is still saved.
* On the same server, through a relay that can cut the connection: a page reloaded within the grace
  shows what was typed and keeps saving; a network drop of 3 s (every connection cut, new ones
  stalled) loses nothing typed during it, the page reconnects to the same kernel and that kernel
  is not shut down. (Chromium's offline emulation, ``context.set_offline``, leaves open WebSockets
  alone, so it cannot stand for a drop.)
* With ``SECTORKIT_ROOM_RENDERS=1``: three pages opened at once; the ones that wait show "Waiting for
  a seat" with their place in the queue (axe-clean), then every page shows its worksheet, the waited
  ones at their address plus ``seat=``.
"""

from __future__ import annotations

import re
import shutil
import socket
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sectorkit.core.paths import REPO_ROOT
from sectorkit.specs import load_spec
from sectorkit.store.workspace import Workspace
from tests.support.browser import INTERACTIVE, axe_violations
from tests.support.procs import kernel_count, wait_for_kernels
from tests.support.voila import voila_server, wait_for_pool

pytestmark = pytest.mark.browser

SPEC = load_spec("step2-aar")
TEXTS = [q for q in SPEC.questions() if q.type in ("text", "long_text")]
GRACE = 8
SWEEP = max(1.0, min(15.0, GRACE / 4))  # how often the reaper looks (serve/server.py)
REAPED, RELOADED, QUEUED = "room-left", "room-reload", "room-queue"
WAIT_MS = 90_000
VIEWPORT = {"width": 1100, "height": 900}
SHOTS = Path("/tmp/h17")
KERNEL_ID = "() => window.jupyterapp.widgetManager.kernel.id"


@pytest.fixture(scope="module")
def room_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("skhome")
    for region in (REAPED, RELOADED, QUEUED):  # pages never create a region named in the address
        Workspace.open(region, home).close()
    return home


@contextmanager
def _serve(home: Path, folder: Path, **env: str):
    shutil.copy(REPO_ROOT / "worksheets" / "sheet.ipynb", folder / "sheet.ipynb")
    serve = [sys.executable, "-m", "sectorkit.cli", "serve"]
    with voila_server(folder, cwd=REPO_ROOT, env={"SECTORKIT_HOME": str(home), **env}, command=serve,
                      timeout=180) as server:
        wait_for_pool(server, "sheet.ipynb", time.monotonic() + 180)
        yield server


@pytest.fixture(scope="module")
def grace_server(room_home, tmp_path_factory):
    with _serve(room_home, tmp_path_factory.mktemp("pages"), SECTORKIT_KERNEL_GRACE=str(GRACE)) as server:
        yield server


@pytest.fixture
def queue_server(room_home, tmp_path_factory):
    with _serve(room_home, tmp_path_factory.mktemp("pages"), SECTORKIT_ROOM_RENDERS="1") as server:
        yield server


class Relay:
    """A TCP relay on 127.0.0.1 to ``port``; ``drop()`` cuts every connection and stalls new ones
    until ``restore()``, as a network that goes away for a moment and comes back."""

    def __init__(self, port: int):
        self.target = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.5)
        self.port = self.listener.getsockname()[1]
        self.up = threading.Event()
        self.up.set()
        self.stopped = False
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self.stopped:
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._relay, args=(conn,), daemon=True).start()

    def _relay(self, conn: socket.socket) -> None:
        self.up.wait()  # a connection made during a drop waits until the network is back
        if self.stopped:
            conn.close()
            return
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target))
        except OSError:
            conn.close()
            return
        with self.lock:
            self.sockets |= {conn, upstream}
        threading.Thread(target=self._pump, args=(upstream, conn), daemon=True).start()
        self._pump(conn, upstream)

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            self._cut(src, dst)

    def _cut(self, *socks: socket.socket) -> None:
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
            with self.lock:
                self.sockets.discard(s)

    def drop(self) -> None:
        self.up.clear()
        with self.lock:
            open_now = list(self.sockets)
        self._cut(*open_now)

    def restore(self) -> None:
        self.up.set()

    def close(self) -> None:
        self.stopped = True
        self.up.set()
        self.listener.close()
        self.drop()


def _saved(home: Path, region: str, qid: str, value: str, timeout: float = 30.0) -> None:
    """Wait until the region's workspace holds ``value`` for question ``qid``."""
    deadline = time.monotonic() + timeout
    with Workspace.open(region, home, create=False) as ws:
        while (got := ws.answers(SPEC.id).get(qid)) != value and time.monotonic() < deadline:
            time.sleep(0.2)
    assert got == value, f"{qid}: saved {got!r}, typed {value!r}"


def _open(context, url: str):
    page = context.new_page()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(INTERACTIVE, state="visible", timeout=WAIT_MS)
    expect(page.get_by_role("heading", name=SPEC.title)).to_be_visible()
    return page


def _type(page, question, text: str) -> None:
    page.get_by_label(question.label, exact=True).press_sequentially(text, delay=5)


def test_a_page_gone_without_a_word_has_its_kernel_shut_down_after_the_grace(grace_server, room_home, browser):
    pid = grace_server.proc.pid
    pool = kernel_count(pid)
    wait_for_kernels(pid, pool, 10, steady=2)  # the pool is full and idle
    assert pool >= 1
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = _open(context, grace_server.url("sheet.ipynb", f"sheet={SPEC.id}&region={REAPED}"))
        kernel = page.evaluate(KERNEL_ID)
        _type(page, TEXTS[0], "Ash and Birch counties")
        expect(page.locator("[role=status]").first).to_contain_text("Saved at", timeout=WAIT_MS)
        _saved(room_home, REAPED, TEXTS[0].id, "Ash and Birch counties")
        wait_for_kernels(pid, pool + 1, 30, steady=1)  # the page's kernel, and the pool refilled
    finally:
        context.close()  # no beforeunload: Voila's leave request is never sent

    waited = wait_for_kernels(pid, pool, GRACE + 20)
    print(f"kernel gone {waited:.1f} s after the page was closed (grace {GRACE} s)")
    assert waited >= GRACE - 1, f"the kernel went after {waited:.1f} s, before the grace of {GRACE} s"
    log = grace_server.log.read_text()
    line = re.search(rf"sectorkit: shutting down kernel {kernel}: no page connected for (\d+) s", log)
    assert line is not None, log[-3000:]
    assert int(line.group(1)) >= GRACE
    _saved(room_home, REAPED, TEXTS[0].id, "Ash and Birch counties", timeout=0)


def test_a_reload_or_a_brief_network_drop_loses_nothing(grace_server, room_home, browser):
    first, second, third, fourth = TEXTS[:4]
    relay = Relay(grace_server.port)
    context = browser.new_context(viewport=VIEWPORT)
    try:
        url = relay.base() + f"/voila/render/sheet.ipynb?sheet={SPEC.id}&region={RELOADED}"
        page = _open(context, url)
        _type(page, first, "Three river counties")
        _saved(room_home, RELOADED, first.id, "Three river counties")

        # a reload: the new page shows what was typed and keeps saving
        page.reload(wait_until="commit")
        page.wait_for_selector(INTERACTIVE, state="visible", timeout=WAIT_MS)
        expect(page.get_by_label(first.label, exact=True)).to_have_value("Three river counties", timeout=WAIT_MS)
        kernel = page.evaluate(KERNEL_ID)
        _type(page, second, "Health care, hospitals and clinics")
        _saved(room_home, RELOADED, second.id, "Health care, hospitals and clinics")

        # a network drop of 3 s: every connection cut, new ones stalled; what is typed meanwhile is kept
        log = grace_server.log
        connects = log.read_text().count(f"Connecting to kernel {kernel}")
        relay.drop()
        dropped = time.monotonic()
        page.get_by_label(third.label, exact=True).fill("Typed while the network was down")
        time.sleep(max(0.0, 3 - (time.monotonic() - dropped)))
        relay.restore()
        _saved(room_home, RELOADED, third.id, "Typed while the network was down")
        assert log.read_text().count(f"Connecting to kernel {kernel}") > connects, "the page never reconnected"
        assert page.evaluate(KERNEL_ID) == kernel  # the same kernel, not a new page

        # past the grace counted from the drop: the kernel is still there and the page still saves
        time.sleep(max(0.0, GRACE + 2 * SWEEP + 1 - (time.monotonic() - dropped)))
        assert f"shutting down kernel {kernel}" not in log.read_text()
        _type(page, fourth, "Thirty seats, two cores")
        _saved(room_home, RELOADED, fourth.id, "Thirty seats, two cores")
        with Workspace.open(RELOADED, room_home, create=False) as ws:
            answers = ws.answers(SPEC.id)
        assert answers[first.id] == "Three river counties"
        assert answers[second.id] == "Health care, hospitals and clinics"
    finally:
        context.close()
        relay.close()


def test_the_front_end_code_travels_compressed(grace_server, browser):
    """A room shares one network: the page's scripts and stylesheets arrive gzip-compressed (chunks.js,
    4.3 MB, as about 1.2 MB) and the page works."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        sizes: dict[str, tuple[str, int]] = {}

        def seen(response) -> None:
            if "/static/" in response.url and response.ok:
                sizes[response.url.split("?")[0]] = (response.headers.get("content-encoding", ""),
                                                     response.request.sizes()["responseBodySize"])

        page.on("response", seen)
        page.goto(grace_server.url("sheet.ipynb", f"sheet={SPEC.id}&region={RELOADED}"))
        page.wait_for_selector(INTERACTIVE, state="visible", timeout=WAIT_MS)
        chunks = [v for k, v in sizes.items() if k.endswith("/static/chunks.js")]
        assert chunks and chunks[0][0] == "gzip" and chunks[0][1] < 2_000_000, sizes
        scripts = {k: v for k, v in sizes.items() if k.endswith((".js", ".css"))}
        assert all(enc == "gzip" for enc, _ in scripts.values()), scripts
        assert sum(n for _, n in sizes.values()) < 2_000_000, sizes
    finally:
        context.close()


def test_a_full_room_shows_the_queue_then_every_page(queue_server, browser):
    url = queue_server.url("sheet.ipynb", f"sheet={SPEC.id}&region={QUEUED}")
    contexts = [browser.new_context(viewport=VIEWPORT) for _ in range(3)]
    held, released = [], threading.Event()  # the queue pages' seat polls, held while a queue page is looked at

    def hold(route) -> None:
        if released.is_set():
            route.continue_()
        else:
            held.append(route)

    try:
        for context in contexts:
            context.route("**/sectorkit/seat*", hold)
        pages = [context.new_page() for context in contexts]
        start = time.monotonic()
        # the three requests leave at the same moment (goto would wait for each response to start)
        at = pages[0].evaluate("Date.now()") + 500
        for page in pages:
            page.evaluate("([url, at]) => { setTimeout(() => { window.location.href = url; }, at - Date.now()); }",
                          [url, at])
        for page in pages:
            page.wait_for_url(re.compile(r"/voila/render/sheet\.ipynb"), wait_until="domcontentloaded",
                              timeout=WAIT_MS)
        waiting = [p for p in pages if p.get_by_role("heading", name="Waiting for a seat").count()]
        assert waiting, "no page was queued:\n" + queue_server.log.read_text()[-4000:]
        assert "sectorkit: queued a page at position" in queue_server.log.read_text()
        positions = []
        for page in waiting:
            status = page.get_by_role("status")
            expect(status).to_contain_text(re.compile(r"All seats are taken for a moment\. You are number\s+\d+\s+"
                                                      r"in the queue"))
            positions.append(int(page.locator("#sk-pos").inner_text()))
            retry = page.get_by_role("link", name="Try again now")
            expect(retry).to_be_visible()
            assert retry.get_attribute("href") == f"/voila/render/sheet.ipynb?sheet={SPEC.id}&region={QUEUED}"
        assert all(1 <= n <= 2 for n in positions), positions
        shown = waiting[-1]
        SHOTS.mkdir(parents=True, exist_ok=True)
        shown.screenshot(path=str(SHOTS / "queue.png"))
        assert axe_violations(shown) == []

        released.set()
        moved = time.monotonic()
        for route in held:
            route.continue_()
        for page in pages:
            page.wait_for_selector(INTERACTIVE, state="visible", timeout=max(1, WAIT_MS - 1000 *
                                                                            (time.monotonic() - moved)))
            expect(page.get_by_role("heading", name=SPEC.title)).to_be_visible()
        print(f"{len(waiting)} of 3 queued (positions {positions}); every worksheet shown "
              f"{time.monotonic() - moved:.1f} s after the queue moved on ({time.monotonic() - start:.1f} s in all)")
        for page in waiting:
            assert "seat=" in page.url, page.url
            assert f"region={QUEUED}" in page.url
    finally:
        for context in contexts:
            context.close()
