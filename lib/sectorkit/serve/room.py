"""A training room at once: pages wait their turn with their place shown, never on a blank page.

``sectorkit serve`` builds at most :attr:`Room.renders` pages at once (a page's kernel runs its
notebook while its request is open; on 2 cores, thirty at once would all arrive late) and runs at
most :attr:`Room.seats` page kernels (:func:`sectorkit.serve.kernels.room_capacity`). A request
beyond either limit is answered at once with the **queue page**: "All seats are taken for a moment.
You are number 3 in the queue", announced to screen readers, updated by a long poll of
``/sectorkit/seat?ticket=...`` (:class:`SeatHandler`), and replaced by the worksheet as soon as a
seat is free (the same address with ``&seat=<ticket>``, which is let in ahead of newcomers). A ticket
that stops polling (the person left) is dropped after :data:`TICKET_SECONDS`; one that waited
longer than :data:`QUEUE_TIMEOUT` gets "The server is too busy right now" with a Try again link.
Tickets are random tokens and only ever compared, never used as paths.

>>> room = Room(renders=1, seats=10, kernels=lambda: 0)
>>> room.enter(None).admitted, room.enter(None).position
(True, 1)
"""

from __future__ import annotations

import asyncio
import html
import json
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

import tornado.web
from voila.tornado.handler import TornadoVoilaHandler

__all__ = ["QUEUE_TIMEOUT", "TICKET_SECONDS", "Entry", "QueuedVoilaHandler", "Room", "SeatHandler",
           "queue_page"]

#: a waiting page that has not polled for this long (seconds) has left the queue
TICKET_SECONDS = 60.0
#: a seat given to a ticket is kept this long (seconds) for its page to come back and take it (a page that
#: comes later finds its ticket lapsed and queues again by itself)
ADMIT_SECONDS = 20.0
#: a page that waited longer than this (seconds) is told the server is too busy, with a retry
QUEUE_TIMEOUT = 180.0
#: a long poll answers after at most this many seconds even if nothing changed
POLL_SECONDS = 20.0
TICKET_CHARS = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class Entry:
    """The room's answer to a request: ``admitted`` (build the page now), or wait with ``ticket``
    at ``position`` (1 = next)."""

    admitted: bool
    ticket: str | None = None
    position: int = 0


class Room:
    """Admission of page requests (see the module docstring); one per server, used on its event loop.

    Parameters
    ----------
    renders : int
        Pages built at once.
    seats : int
        Page kernels at once.
    kernels : callable
        ``kernels()`` -> the number of page kernels running now (the pool not counted).
    """

    def __init__(self, renders: int, seats: int, kernels: Callable[[], int],
                 clock: Callable[[], float] = time.monotonic):
        self.renders, self.seats, self.kernels, self.clock = max(1, renders), max(1, seats), kernels, clock
        self.rendering = 0
        #: ticket -> (joined, last poll)
        self.waiting: OrderedDict[str, list[float]] = OrderedDict()
        #: ticket -> when its seat was given
        self.admitted: dict[str, float] = {}
        self._changed: asyncio.Event | None = None

    # -- admission -----------------------------------------------------------------------------
    def _has_room(self) -> bool:
        return self.rendering + len(self.admitted) < self.renders and self.kernels() < self.seats

    def enter(self, ticket: str | None) -> Entry:
        """A page request (``ticket``: the ``seat=`` of its address, if it waited)."""
        self._tidy()
        if ticket is not None and ticket in self.admitted:
            del self.admitted[ticket]
            self.rendering += 1
            return Entry(True)
        if ticket is not None and ticket in self.waiting:
            self.waiting[ticket][1] = self.clock()
            return Entry(False, ticket, self.position(ticket))
        if not self.waiting and self._has_room():
            self.rendering += 1
            return Entry(True)
        ticket = secrets.token_hex(8)
        now = self.clock()
        self.waiting[ticket] = [now, now]
        return Entry(False, ticket, len(self.waiting))

    def leave(self) -> None:
        """A page finished building (or failed): its render slot is free."""
        self.rendering = max(0, self.rendering - 1)
        self._promote()

    def position(self, ticket: str) -> int:
        for n, t in enumerate(self.waiting, start=1):
            if t == ticket:
                return n
        return 0

    def status(self, ticket: str) -> dict:
        """``{"state": "go"}``, ``{"state": "wait", "position": n}``, ``{"state": "timeout"}`` or
        ``{"state": "unknown"}`` (never issued, or lapsed)."""
        self._tidy()
        if ticket in self.admitted:
            return {"state": "go"}
        if ticket not in self.waiting:
            return {"state": "unknown"}
        joined, _ = self.waiting[ticket]
        now = self.clock()
        self.waiting[ticket][1] = now
        if now - joined > QUEUE_TIMEOUT:
            del self.waiting[ticket]
            self._notify()
            return {"state": "timeout"}
        return {"state": "wait", "position": self.position(ticket)}

    async def wait_for_change(self, ticket: str, timeout: float = POLL_SECONDS) -> dict:
        """The ticket's status once it changes (or after ``timeout``): the long poll."""
        before = self.status(ticket)
        deadline = self.clock() + timeout
        while before["state"] == "wait":
            if self._changed is None:
                self._changed = asyncio.Event()
            event = self._changed
            left = deadline - self.clock()
            if left <= 0:
                break
            try:
                await asyncio.wait_for(event.wait(), min(left, 1.0))
            except asyncio.TimeoutError:
                pass
            now = self.status(ticket)
            if now != before:
                return now
        return self.status(ticket)

    # -- bookkeeping ---------------------------------------------------------------------------
    def _promote(self) -> None:
        self._tidy(promote=False)
        moved = False
        while self.waiting and self._has_room():
            ticket, _ = self.waiting.popitem(last=False)
            self.admitted[ticket] = self.clock()
            moved = True
        if moved or self.waiting:
            self._notify()

    def _tidy(self, promote: bool = True) -> None:
        now = self.clock()
        stale = [t for t, (_, seen) in self.waiting.items() if now - seen > TICKET_SECONDS]
        lapsed = [t for t, at in self.admitted.items() if now - at > ADMIT_SECONDS]
        for t in stale:
            del self.waiting[t]
        for t in lapsed:
            del self.admitted[t]
        if (stale or lapsed) and promote:
            self._promote()

    def _notify(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = None  # waiters hold the old event; the next wait makes a new one


def valid_ticket(ticket: str | None) -> str | None:
    """A ticket from an address, or None when it is not one (16 hex characters)."""
    if ticket and len(ticket) == 16 and set(ticket) <= TICKET_CHARS:
        return ticket
    return None


def queue_page(position: int, ticket: str, base_url: str, page_url: str) -> str:
    """The waiting page: place in the queue (a polite live region), a long-poll script, a retry link.

    ``page_url`` is the worksheet's address (path and query, without ``seat``); all values are escaped.
    """
    seat_url = base_url.rstrip("/") + "/sectorkit/seat"
    # JSON inside <script> is not HTML-decoded: escape what could end the element, as JSON escapes
    data = (json.dumps({"ticket": ticket, "seat": seat_url, "page": page_url})
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
    retry = html.escape(page_url, quote=True)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Waiting for a seat</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5;
color:#222}}
a{{color:#0b4f8a}}</style></head>
<body><main><h1>Waiting for a seat</h1>
<p id="sk-wait" role="status" aria-live="polite">All seats are taken for a moment. You are number
<strong id="sk-pos">{int(position)}</strong> in the queue; this page opens by itself when a seat is free.</p>
<p>Your answers are safe: everything you typed before is saved.</p>
<p><a id="sk-retry" href="{retry}">Try again now</a></p></main>
<script id="sk-queue" type="application/json">{data}</script>
<script>
(function () {{
  const q = JSON.parse(document.getElementById("sk-queue").textContent);
  const say = (text) => {{ document.getElementById("sk-wait").textContent = text; }};
  async function poll() {{
    for (;;) {{
      let s;
      try {{
        const r = await fetch(q.seat + "?ticket=" + encodeURIComponent(q.ticket), {{cache: "no-store"}});
        s = await r.json();
      }} catch (e) {{ await new Promise((ok) => setTimeout(ok, 2000)); continue; }}
      if (s.state === "go") {{
        const sep = q.page.includes("?") ? "&" : "?";
        window.location.replace(q.page + sep + "seat=" + encodeURIComponent(q.ticket));
        return;
      }}
      if (s.state === "wait") {{
        document.getElementById("sk-pos").textContent = String(s.position);
        continue;
      }}
      if (s.state === "unknown") {{ window.location.replace(q.page); return; }}  // lapsed: a new place
      say("The server is too busy right now. Wait a minute, then use Try again.");
      return;
    }}
  }}
  poll();
}})();
</script></body></html>"""


class QueuedVoilaHandler(TornadoVoilaHandler):
    """Voila's page handler, admitted through the server's :class:`Room` (``settings["sectorkit_room"]``)."""

    @tornado.web.authenticated
    async def get(self, path=None):
        room: Room | None = self.settings.get("sectorkit_room")
        if room is None:
            return await super().get(path)
        entry = room.enter(valid_ticket(self.get_query_argument("seat", None)))
        if not entry.admitted:
            kept = [(k, v) for k, v in parse_qsl(self.request.query, keep_blank_values=True) if k != "seat"]
            page_url = self.request.path + (f"?{urlencode(kept)}" if kept else "")
            self.log.info("sectorkit: queued a page at position %d (%d building)", entry.position, room.rendering)
            self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
            self.finish(queue_page(entry.position, entry.ticket or "", self.base_url, page_url))
            return None
        try:
            return await super().get(path)
        finally:
            room.leave()


    def should_use_rendered_notebook(self, notebook_data, pool_size, template_name, theme, request_args) -> bool:
        """A pooled kernel only when one is ready: waiting behind a refill would serialize a burst of
        pages on the pool, while a fresh (forked) kernel renders the page at once."""
        if not super().should_use_rendered_notebook(notebook_data, pool_size, template_name, theme, request_args):
            return False
        pools = getattr(self.kernel_manager, "_pools", None)
        if not isinstance(pools, dict):
            return True
        return any(t.done() and not t.cancelled() and t.exception() is None for pool in pools.values() for t in pool)


class SeatHandler(tornado.web.RequestHandler):
    """``GET /sectorkit/seat?ticket=...``: the ticket's state as JSON, answered when it changes (long poll)."""

    def initialize(self, room: Room) -> None:
        self.room = room

    async def get(self) -> None:
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        self.set_header("Content-Type", "application/json")
        ticket = valid_ticket(self.get_query_argument("ticket", None))
        state = {"state": "unknown"} if ticket is None else await self.room.wait_for_change(ticket)
        self.finish(json.dumps(state))
