"""``sectorkit serve``: Voila with one preheated pool for every worksheet, and the old addresses kept.

Every worksheet is served by the generic page ``sheet.ipynb?sheet=<page id>&region=<region id>``
(:func:`sectorkit.serve.pages.sheet_page`), and ``voila.json`` preheats kernels for that notebook
only, so the number of idle kernels does not grow with the number of worksheets. The addresses
of the worksheet notebooks from before (``/voila/render/step2_aar.ipynb?region=x``, bookmarks,
printed handouts) are answered by a redirect to the generic page, without starting a kernel::

    /voila/render/step2_aar.ipynb?region=x  ->  /voila/render/sheet.ipynb?sheet=step2-aar&region=x

The redirects are tornado handlers placed ahead of Voila's render handler. They are added only
for folders that hold ``sheet.ipynb``. Under a Jupyter server (Binder, JupyterHub: Voila as a
server extension, which never preheats) the old notebooks are two-cell stubs that show the same
page through ``sheet_page("<page id>")``.

Usage: ``sectorkit serve worksheets/ --no-browser --port=8866`` (any ``voila`` option).
"""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import tornado.ioloop
import tornado.web
from jupyter_server.utils import url_path_join
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from sectorkit.apps.registry import GENERIC_NOTEBOOK, legacy_notebooks
from sectorkit.serve.kernels import ForkingKernelSpecManager, KernelReaper, room_capacity, start_page_zygote
from sectorkit.serve.render import cache_templates, quiet_debug
from sectorkit.serve.room import QueuedVoilaHandler, Room, SeatHandler
from sectorkit.serve.static import gzip_static
from sectorkit.serve.voila import STANDALONE_ENV

#: ``SECTORKIT_FORK_KERNELS=0``: start page kernels the usual way (a new Python each)
FORK_ENV = "SECTORKIT_FORK_KERNELS"
#: seconds before a forked kernel refills the pool after a page took one
FORKED_FILL_DELAY = 0.5
#: ``SECTORKIT_ROOM_RENDERS=n``: pages built at once instead of two per core
RENDERS_ENV = "SECTORKIT_ROOM_RENDERS"
#: ``SECTORKIT_GZIP=0``: static files as they are (a reverse proxy in front compresses them)
GZIP_ENV = "SECTORKIT_GZIP"
#: ``SECTORKIT_POOL_SIZE=n``: the preheated pool's size instead of the one sized from the machine
POOL_ENV = "SECTORKIT_POOL_SIZE"

__all__ = ["LegacyRedirect", "SectorkitVoila", "legacy_target", "serve"]


def legacy_target(path: str, query: str, page_id: str) -> str:
    """Where an old worksheet address goes: the generic page beside it, ``?sheet=`` first.

    Any ``sheet`` in the old query is dropped; everything else (``region``, ...) is kept.

    >>> legacy_target("/voila/render/step2_aar.ipynb", "region=lakeside", "step2-aar")
    '/voila/render/sheet.ipynb?sheet=step2-aar&region=lakeside'
    >>> legacy_target("/base/voila/render/ws/lmi_review.ipynb", "sheet=x&region=a%26b", "lmi-review")
    '/base/voila/render/ws/sheet.ipynb?sheet=lmi-review&region=a%26b'
    """
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "sheet"]
    return f"{path.rsplit('/', 1)[0]}/{GENERIC_NOTEBOOK}?{urlencode([('sheet', page_id), *kept])}"


class LegacyRedirect(tornado.web.RequestHandler):
    """Redirects an old worksheet notebook's address to the generic page (302, no kernel)."""

    def initialize(self, pages: dict[str, str]) -> None:
        self.pages = pages

    def get(self, folder: str, name: str) -> None:
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        self.redirect(legacy_target(self.request.path, self.request.query, self.pages[name]), permanent=False)


def legacy_route(server_url: str, root_dir: str | os.PathLike, pages: dict[str, str]) -> str | None:
    """The URL pattern of the old worksheet addresses under ``root_dir``, or None if none apply.

    Only folders (below ``root_dir``) that hold the generic notebook are covered.

    >>> import tempfile; root = Path(tempfile.mkdtemp()); _ = (root / "sheet.ipynb").write_text("{}")
    >>> legacy_route("/", root, {"step2_aar.ipynb": "step2-aar"})
    '/voila/render/()(step2_aar\\\\.ipynb)'
    """
    root = Path(root_dir)
    folders = sorted(
        "" if p.parent == root else p.parent.relative_to(root).as_posix() + "/"
        for p in root.rglob(GENERIC_NOTEBOOK)
        if ".ipynb_checkpoints" not in p.parts
    )
    if not folders or not pages:
        return None
    where = "|".join(re.escape(f) for f in folders)
    names = "|".join(re.escape(n) for n in sorted(pages))
    return url_path_join(server_url, f"/voila/render/({where})({names})")


class SectorkitVoila(Voila):
    """Voila for a training room: forked page kernels, a pool and seats sized from the machine, a queue
    page instead of a blank one, kernels shut down when their page has gone (:mod:`sectorkit.serve.kernels`,
    :mod:`sectorkit.serve.room`), templates compiled once (:mod:`sectorkit.serve.render`), and redirects
    from the old worksheet notebooks to the generic page."""

    room: Room | None = None
    reaper: KernelReaper | None = None

    def init_settings(self) -> dict:
        capacity = room_capacity()
        # a page's fixed costs in this process, paid once: templates compiled once, no unwritten debug records
        if not cache_templates():
            self.log.warning("sectorkit: this Voila has no exporter hook to cache its compiled templates")
        quiet_debug(self.log)
        if os.environ.get(FORK_ENV, "1") != "0" and start_page_zygote():
            self.voila_configuration.kernel_spec_manager_class = ForkingKernelSpecManager
            # a fork costs a fraction of a second: refill the pool at once, not after voila.json's delay
            # (which keeps a new Python's imports off the CPU while a page opens)
            self.config.VoilaKernelManager.fill_delay = FORKED_FILL_DELAY
        pools = self.config.get("VoilaKernelManager", {}).get("kernel_pools_config", {})
        # the one shared pool, sized from the machine (voila.json names it); a pool given on the command
        # line is a string until traitlets parses it, and is left as given
        for conf in (pools.values() if isinstance(pools, dict) else ()):
            if not isinstance(conf, dict):
                continue
            if conf.get("pool_size", 0) > 0 and not os.environ.get(POOL_ENV):
                conf["pool_size"] = capacity.pool
            elif conf.get("pool_size", 0) > 0:
                conf["pool_size"] = max(1, int(os.environ[POOL_ENV]))
        settings = super().init_settings()
        self.reaper = KernelReaper(self.kernel_manager, log=self.log)
        renders = int(os.environ[RENDERS_ENV]) if os.environ.get(RENDERS_ENV, "").isdigit() else capacity.renders
        self.room = Room(renders, capacity.seats,
                         kernels=lambda: len(self.kernel_manager.list_kernel_ids()) - len(self.reaper.pooled()))
        settings["sectorkit_room"] = self.room
        self.log.info("sectorkit: %d cores, %d MB available: pool %d, %d pages built at once, %d kernels at most; "
                      "a kernel with no page connected goes after %.0f s", capacity.cores, capacity.memory_mb,
                      capacity.pool, capacity.renders, capacity.seats, self.reaper.grace)
        reaper = self.reaper
        tornado.ioloop.PeriodicCallback(lambda: asyncio.ensure_future(reaper.sweep()),
                                        1000 * max(1.0, min(15.0, reaper.grace / 4))).start()
        return settings

    def init_handlers(self) -> list:
        # front-end code gzip-compressed (compressed once per file): a room shares one network;
        # SECTORKIT_GZIP=0 leaves it to a reverse proxy that compresses
        handlers = super().init_handlers()
        if os.environ.get(GZIP_ENV, "1") != "0":
            handlers = [(h[0], gzip_static(h[1]), *h[2:]) if len(h) > 1 else h for h in handlers]
        if self.room is not None:  # pages through the room; its seat poll beside them
            handlers = [(h[0], QueuedVoilaHandler, *h[2:]) if len(h) > 1 and h[1] is TornadoVoilaHandler else h
                        for h in handlers]
            handlers.insert(0, (url_path_join(self.server_url, "/sectorkit/seat"), SeatHandler, {"room": self.room}))
        if self.notebook_path:  # one notebook served: no render folder, nothing to redirect
            return handlers
        pages = legacy_notebooks()
        route = legacy_route(self.server_url, self.root_dir, pages)
        if route is None:
            return handlers
        self.log.info("sectorkit: %d old worksheet addresses redirect to %s", len(pages), GENERIC_NOTEBOOK)
        return [(route, LegacyRedirect, {"pages": pages}), *handlers]


def serve(argv: list[str]) -> int:
    """Run :class:`SectorkitVoila` with ``argv`` (the ``voila`` command's arguments) until stopped.

    Sets ``SECTORKIT_STANDALONE`` for its kernels: no JupyterLab runs beside this server, so the
    home page does not link module notebooks into one.
    """
    os.environ.setdefault(STANDALONE_ENV, "1")
    SectorkitVoila.launch_instance(argv=argv)
    return 0
