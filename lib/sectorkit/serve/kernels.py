"""Kernels for a training room: forked page kernels, seats sized from the machine, and no kernel left behind.

Three pieces, used by ``sectorkit serve`` (:class:`sectorkit.serve.server.SectorkitVoila`):

* **Forked kernels.** :func:`start_page_zygote` starts a fork server
  (:mod:`sectorkit.reports._zygote`, ``pages`` profile) that has imported every worksheet page's
  module, loaded every spec and read the example data. :class:`ForkingKernelSpecManager` gives
  Voila the ``python3`` kernel spec with its command changed to the zygote's small client, so
  every kernel Voila starts, pooled or not, is a fork of that warm process: measured on the 2-core
  demo machine, a page kernel is ready in well under a second instead of importing for seconds, and
  its memory pages are shared with the parent until written (``benchmarks/voila_load.py``).
* **Seats.** :func:`room_capacity` sizes the preheated pool and the number of kernels the server
  runs at once from the cores and the memory available (:class:`Capacity`).
* **Kernels go when people go.** :class:`KernelReaper` shuts down a kernel that has had no browser
  connection for a grace period (:data:`GRACE_SECONDS`, ``SECTORKIT_KERNEL_GRACE``), whether or not
  the page said goodbye; pooled kernels are left alone. Answers are saved as they are typed, so
  nothing is lost. Voila's idle cull (30 minutes, ``voila.json``) stays as the backstop.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyter_client.kernelspec import KernelSpecManager

__all__ = ["GRACE_SECONDS", "Capacity", "ForkingKernelSpecManager", "KernelReaper", "room_capacity",
           "start_page_zygote"]

LOG = logging.getLogger("sectorkit")

#: the module run with ``python -m`` as the fork server and as each kernel's client
ZYGOTE_MODULE = "sectorkit.reports._zygote"
#: seconds a kernel may stay without a browser connection (a reload, a brief network drop) before it goes
GRACE_SECONDS = 120.0
GRACE_ENV = "SECTORKIT_KERNEL_GRACE"
#: resident memory a forked page kernel adds, measured (MB); used to size the room
KERNEL_MB = 110
#: memory kept free for the server, the zygote and the system (MB)
RESERVE_MB = 1024


#: seconds a kernel whose page has never connected is kept (at least the grace): under a burst a
#: browser can take a minute between the page's HTML and its websocket, and reaping the kernel
#: meanwhile breaks a page that is still loading ("Kernel does not exist")
FIRST_CONNECT_SECONDS = 180.0


def grace_seconds() -> float:
    """The grace period: ``SECTORKIT_KERNEL_GRACE`` seconds (at least 5), else :data:`GRACE_SECONDS`."""
    try:
        return max(5.0, float(os.environ[GRACE_ENV]))
    except (KeyError, ValueError):
        return GRACE_SECONDS


# -- forked kernels ----------------------------------------------------------------------------
_ZYGOTE: subprocess.Popen | None = None
_SOCKET = ""


def start_page_zygote(timeout: float = 120.0) -> str | None:
    """Start the page kernels' fork server once per process; return its socket path (None if it failed).

    The zygote imports and warms while the server starts; kernels fork from it once it says ready.
    It stops with this process (atexit) and when this process is gone (it watches its parent).
    """
    global _ZYGOTE, _SOCKET
    if _ZYGOTE is not None and _ZYGOTE.poll() is None:
        return _SOCKET
    folder = tempfile.mkdtemp(prefix="sk-pages-")
    path = os.path.join(folder, "zygote.sock")
    proc = subprocess.Popen([sys.executable, "-m", ZYGOTE_MODULE, "serve", path, "pages"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    started = time.monotonic()
    line = proc.stdout.readline().strip() if proc.stdout else b""
    if line != b"ready":
        proc.kill()
        shutil.rmtree(folder, ignore_errors=True)
        LOG.warning("sectorkit: the page kernel fork server did not start; kernels start the usual way")
        return None
    LOG.info("sectorkit: page kernels fork from a warm process (ready in %.1f s)", time.monotonic() - started)
    _ZYGOTE, _SOCKET = proc, path

    def stop() -> None:
        proc.terminate()
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(stop)
    return path


#: IPython's input history off (it is an SQLite file every kernel of the user writes to)
NO_HISTORY = "--HistoryManager.enabled=False"


def zygote_running() -> bool:
    return _ZYGOTE is not None and _ZYGOTE.poll() is None


class ForkingKernelSpecManager(KernelSpecManager):
    """The kernel specs, with a Python kernel's command started as a fork of the warm zygote.

    ``python -m ipykernel_launcher -f {connection_file}`` becomes ``python -m
    sectorkit.reports._zygote client SOCKET -m ipykernel_launcher -f {connection_file}`` while the
    zygote runs; otherwise (it failed, or it died) the spec is unchanged, so kernels still start.
    A page runs no typed code, so its kernel keeps no IPython history (:data:`NO_HISTORY`): a room's
    kernels do not queue on one history database, and each starts ~20 ms sooner.
    """

    def get_kernel_spec(self, kernel_name: str, *args: Any, **kwargs: Any):
        spec = super().get_kernel_spec(kernel_name, *args, **kwargs)
        argv = list(spec.argv)
        if zygote_running() and len(argv) >= 3 and argv[1:3] == ["-m", "ipykernel_launcher"] \
                and Path(argv[0]).name.startswith("python"):
            spec.argv = [sys.executable, "-m", ZYGOTE_MODULE, "client", _SOCKET, *argv[1:], NO_HISTORY]
        return spec


# -- seats -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Capacity:
    """What the machine can hold: ``cores``; ``memory_mb`` available (MB); ``pool`` preheated
    kernels; ``seats`` kernels at once (pages beyond wait in the queue); ``renders`` pages built at
    once (the rest wait their turn, so the first arrive quickly instead of all arriving late)."""

    cores: int
    memory_mb: int
    pool: int
    seats: int
    renders: int


def available_memory_mb() -> int:
    """MemAvailable from /proc/meminfo in MB (4096 where it cannot be read)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return 4096


def room_capacity(cores: int | None = None, memory_mb: int | None = None) -> Capacity:
    """Size the room from the cores and the available memory.

    Seats: what the memory holds after :data:`RESERVE_MB`, at :data:`KERNEL_MB` per kernel (at least
    4, at most 200). Pool: one preheated kernel per core, 2 to 4. Renders at once: 2 per core.

    >>> room_capacity(cores=2, memory_mb=24_000)
    Capacity(cores=2, memory_mb=24000, pool=2, seats=200, renders=4)
    >>> room_capacity(cores=1, memory_mb=1_500).seats
    4
    """
    cores = cores or os.cpu_count() or 1
    memory_mb = memory_mb if memory_mb is not None else available_memory_mb()
    seats = max(4, min(200, (memory_mb - RESERVE_MB) // KERNEL_MB))
    return Capacity(cores, memory_mb, pool=max(2, min(4, cores)), seats=seats, renders=2 * cores)


# -- kernels go when people go ----------------------------------------------------------------
class KernelReaper:
    """Shuts down kernels with no browser connection for :func:`grace_seconds` (see the module docstring).

    ``kernel_manager`` is Voila's (a jupyter_server ``MappingKernelManager``): ``list_kernel_ids()``
    and ``kernel_model(id)["connections"]`` are public; the preheated pool is Voila's private
    ``_pools`` (checked by ``tests/test_serve_room.py`` against the installed Voila).
    """

    def __init__(self, kernel_manager: Any, grace: float | None = None, clock=time.monotonic, log=LOG):
        self.km, self.log = kernel_manager, log
        self.grace = grace_seconds() if grace is None else grace
        self.clock = clock
        #: kernel id -> when it was first seen without a connection
        self.alone_since: dict[str, float] = {}
        #: kernels a page has connected to at least once (the others get FIRST_CONNECT_SECONDS)
        self.connected: set[str] = set()
        notify = getattr(kernel_manager, "notify_connect", None)
        if callable(notify):  # jupyter_server calls it for every websocket a page opens: seen even if brief
            def connect(kernel_id, _notify=notify):
                self.connected.add(kernel_id)
                return _notify(kernel_id)

            kernel_manager.notify_connect = connect
        self.reaped: list[str] = []

    def pooled(self) -> set[str]:
        ids = set()
        for pool in getattr(self.km, "_pools", {}).values():
            for task in pool:
                try:
                    if task.done() and not task.cancelled() and task.exception() is None:
                        ids.add(task.result()["kernel_id"])
                except Exception:  # noqa: BLE001 - a failed pool start is Voila's to report
                    continue
        return ids

    async def sweep(self) -> list[str]:
        """Look once; shut down the kernels alone for longer than the grace; return their ids."""
        now = self.clock()
        pooled = self.pooled()
        gone = []
        ids = list(self.km.list_kernel_ids())
        for kid in list(self.alone_since):
            if kid not in ids:
                del self.alone_since[kid]
        self.connected &= set(ids)
        for kid in ids:
            try:
                model = self.km.kernel_model(kid)
            except Exception:  # noqa: BLE001 - shutting down meanwhile
                continue
            # busy or starting: building a page inside its request (no browser yet) or about to
            if model.get("connections", 0):
                self.connected.add(kid)
            if kid in pooled or model.get("connections", 0) or model.get("execution_state") in ("busy", "starting"):
                self.alone_since.pop(kid, None)
                continue
            since = self.alone_since.setdefault(kid, now)
            if now - since >= (self.grace if kid in self.connected else max(self.grace, FIRST_CONNECT_SECONDS)):
                self.log.info("sectorkit: shutting down kernel %s: no page connected for %.0f s", kid, now - since)
                self.alone_since.pop(kid, None)
                try:
                    await self.km.shutdown_kernel(kid)
                except Exception:  # noqa: BLE001 - gone already
                    self.log.debug("kernel %s was gone already", kid, exc_info=True)
                gone.append(kid)
        self.reaped.extend(gone)
        return gone
