"""The training room's server pieces without a browser: admission, the queue page, seats, the reaper, forks."""

from __future__ import annotations

import asyncio
import json
import re
import sys

from sectorkit.serve import kernels as K
from sectorkit.serve import room as R


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_pages_beyond_the_render_limit_wait_in_order_and_go_when_a_seat_frees():
    clock = Clock()
    room = R.Room(renders=2, seats=10, kernels=lambda: 0, clock=clock)
    assert room.enter(None).admitted and room.enter(None).admitted
    third, fourth = room.enter(None), room.enter(None)
    assert (third.admitted, third.position, fourth.position) == (False, 1, 2)
    assert room.status(fourth.ticket) == {"state": "wait", "position": 2}
    room.leave()
    assert room.status(third.ticket) == {"state": "go"}
    assert room.status(fourth.ticket) == {"state": "wait", "position": 1}
    assert not room.enter(None).admitted  # a newcomer queues behind the waiting page
    assert room.enter(third.ticket).admitted  # the seat kept for the ticket
    assert room.rendering == 2


def test_a_page_that_stops_polling_leaves_the_queue_and_a_long_wait_times_out():
    clock = Clock()
    room = R.Room(renders=1, seats=10, kernels=lambda: 0, clock=clock)
    room.enter(None)
    gone, kept = room.enter(None), room.enter(None)
    clock.now += R.TICKET_SECONDS / 2
    room.status(kept.ticket)
    clock.now += R.TICKET_SECONDS / 2 + 1
    assert room.status(gone.ticket) == {"state": "unknown"}
    assert room.status(kept.ticket) == {"state": "wait", "position": 1}
    states = []
    for _ in range(int(R.QUEUE_TIMEOUT // 10) + 2):
        clock.now += 10
        states.append(room.status(kept.ticket)["state"])
    assert "timeout" in states and states[-1] == "unknown"  # told once, then the ticket is gone


def test_seats_count_kernels_not_only_renders():
    running = [3]
    room = R.Room(renders=5, seats=3, kernels=lambda: running[0])
    waiting = room.enter(None)
    assert not waiting.admitted
    running[0] = 2
    room.leave()  # any change re-checks the room
    assert room.status(waiting.ticket) == {"state": "go"}


def test_the_long_poll_answers_when_the_ticket_moves():
    room = R.Room(renders=1, seats=10, kernels=lambda: 0)

    async def scenario():
        room.enter(None)
        waiting = room.enter(None)
        loop = asyncio.get_running_loop()
        loop.call_later(0.2, room.leave)
        start = loop.time()
        state = await room.wait_for_change(waiting.ticket, timeout=5)
        return state, loop.time() - start

    state, took = asyncio.run(scenario())
    assert state == {"state": "go"} and took < 2


def test_tickets_are_checked_before_use():
    assert R.valid_ticket("0123456789abcdef") == "0123456789abcdef"
    for bad in (None, "", "../../etc/passwd", "0123456789ABCDEF", "0123456789abcde", "0123456789abcdef0"):
        assert R.valid_ticket(bad) is None


def test_the_queue_page_escapes_the_address_and_says_the_place():
    page = R.queue_page(3, "0123456789abcdef", "/base/", "/voila/render/sheet.ipynb?sheet=x&region=<b>\"</script>")
    assert "You are number\n<strong id=\"sk-pos\">3</strong>" in page
    assert "</script>\"" not in page and "<b>" not in page
    data = re.search(r'<script id="sk-queue" type="application/json">(.*?)</script>', page, re.S).group(1)
    parsed = json.loads(data)
    assert parsed == {"ticket": "0123456789abcdef", "seat": "/base/sectorkit/seat",
                      "page": "/voila/render/sheet.ipynb?sheet=x&region=<b>\"</script>"}
    assert 'role="status"' in page and 'aria-live="polite"' in page and "Try again now" in page


def test_room_capacity_from_cores_and_memory():
    small = K.room_capacity(cores=2, memory_mb=2048)
    assert small.seats == (2048 - K.RESERVE_MB) // K.KERNEL_MB and small.pool == 2 and small.renders == 4
    assert K.room_capacity(cores=16, memory_mb=10**6).pool == 4
    assert K.room_capacity(cores=1, memory_mb=100).seats == 4


class FakeTask:
    def __init__(self, kid):
        self.kid = kid

    def done(self):
        return True

    def cancelled(self):
        return False

    def exception(self):
        return None

    def result(self):
        return {"kernel_id": self.kid}


class FakeKernels:
    def __init__(self):
        self.connections = {"pooled": 0, "open": 1, "alone": 0}
        self._pools = {"sheet.ipynb": [FakeTask("pooled")]}
        self.shut: list[str] = []

    def list_kernel_ids(self):
        return list(self.connections)

    busy: set[str] = set()

    def kernel_model(self, kid):
        return {"connections": self.connections[kid], "execution_state": "busy" if kid in self.busy else "idle"}

    def notify_connect(self, kid):
        self.notified = [*getattr(self, "notified", []), kid]

    async def shutdown_kernel(self, kid):
        self.shut.append(kid)
        del self.connections[kid]


def test_the_reaper_shuts_down_kernels_alone_past_the_grace_and_keeps_the_rest():
    clock, km = Clock(), FakeKernels()
    reaper = K.KernelReaper(km, grace=60, clock=clock)
    km.connections["alone"] = 1  # its page connected, then went
    assert asyncio.run(reaper.sweep()) == []
    km.connections["alone"] = 0
    assert asyncio.run(reaper.sweep()) == []
    clock.now += 30
    km.connections["open"] = 0  # its browser went away (no leave request)
    assert asyncio.run(reaper.sweep()) == []
    clock.now += 31
    assert asyncio.run(reaper.sweep()) == ["alone"]
    km.connections["open"] = 1  # reconnected within the grace: kept, and its clock starts again
    clock.now += 100
    assert asyncio.run(reaper.sweep()) == []
    assert km.shut == ["alone"] and "pooled" in km.connections
    km.shut.clear()
    # a page that connected between two looks (jupyter_server's notify_connect) counts as connected
    km.connections["brief"] = 0
    reaper.km.notify_connect("brief")
    assert km.notified == ["brief"]
    asyncio.run(reaper.sweep())
    clock.now += 61
    assert asyncio.run(reaper.sweep()) == ["brief"]
    # a kernel building its page (busy, no browser yet) is never alone, however long it takes
    km.connections["building"] = 0
    km.busy = {"building"}
    asyncio.run(reaper.sweep())
    clock.now += 500
    assert asyncio.run(reaper.sweep()) == []
    km.busy = set()
    asyncio.run(reaper.sweep())
    # built, and its browser has not connected yet (a slow browser under a burst): kept past the grace
    clock.now += 61
    assert asyncio.run(reaper.sweep()) == []
    clock.now += K.FIRST_CONNECT_SECONDS - 61
    assert asyncio.run(reaper.sweep()) == ["building"]  # a page that never came still goes


def test_grace_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(K.GRACE_ENV, "2")
    assert K.grace_seconds() == 5.0
    monkeypatch.setenv(K.GRACE_ENV, "90")
    assert K.grace_seconds() == 90.0
    monkeypatch.setenv(K.GRACE_ENV, "soon")
    assert K.grace_seconds() == K.GRACE_SECONDS


def test_voilas_private_pool_is_where_the_reaper_and_the_room_look():
    """The reaper and the room read Voila's pool (``_pools``: notebook -> list of tasks whose result has
    ``kernel_id``); this fails when an upgrade of Voila moves it."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    cls = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)
    source = __import__("inspect").getsource(cls)
    assert "self._pools[notebook_name].pop(0)" in source and '"kernel_id": kernel_id' in source
    # the reaper learns of every page connection through notify_connect (called by jupyter_server's websocket)
    channels = __import__("inspect").getsource(
        __import__("jupyter_server.services.kernels.connection.channels", fromlist=["x"]))
    assert callable(AsyncMappingKernelManager.notify_connect) and ".notify_connect(self.kernel_id)" in channels


def test_a_forked_kernel_runs_python_code_from_the_warm_parent():
    """The spec manager sends Python kernels to the zygote; a kernel forked from it runs code and has
    the worksheet modules imported already, and ipywidgets' comm targets registered (the parent imported
    ipywidgets before there was a kernel; without the control target a page fetches every widget's
    state one message at a time)."""
    from jupyter_client.manager import KernelManager

    assert K.start_page_zygote() is not None
    spec = K.ForkingKernelSpecManager().get_kernel_spec("python3")
    assert spec.argv[:4] == [sys.executable, "-m", K.ZYGOTE_MODULE, "client"]
    km = KernelManager(kernel_name="python3")
    km.kernel_spec_manager = K.ForkingKernelSpecManager()
    km.start_kernel()
    try:
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        out: list[str] = []
        kc.execute_interactive("import sys; print('sectorkit.serve.pages' in sys.modules, 'pandas' in sys.modules)",
                               timeout=60, output_hook=lambda m: out.append(m["content"].get("text", "")))
        assert "True True" in "".join(out)
        out.clear()
        kc.execute_interactive("from comm import get_comm_manager; print(sorted(get_comm_manager().targets))",
                               timeout=60, output_hook=lambda m: out.append(m["content"].get("text", "")))
        assert "'jupyter.widget', 'jupyter.widget.control'" in "".join(out)
        out.clear()  # a page kernel keeps no IPython history (no shared history database in a room)
        kc.execute_interactive("print(get_ipython().history_manager.enabled)", timeout=60,
                               output_hook=lambda m: out.append(m["content"].get("text", "")))
        assert "False" in "".join(out)
        kc.stop_channels()
    finally:
        km.shutdown_kernel(now=True)
