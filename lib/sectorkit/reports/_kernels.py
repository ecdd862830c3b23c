"""Kernels for report runs: Unix-socket kernels, and forks of a warm zygote instead of new interpreters.

Two pieces lean on Jupyter internals and live here, in one place:

* :func:`_ipc_kernel_manager` subclasses jupyter_client's ``AsyncKernelManager``
  and overrides its **private** ``_async_launch_kernel(kernel_cmd, **kw)``: the
  kernel talks over Unix sockets in the run's own temporary folder (no port
  clashes between concurrent runs, nothing listening on the network), its
  chatter goes to a log file, and, when this process started a zygote, the
  kernel command becomes ``python -m sectorkit.reports._zygote client ...``.
  The override was checked against the jupyter_client versions in
  :data:`JUPYTER_CLIENT_CHECKED`; ``tests/test_report.py`` fails outside them.
* :func:`start_zygote` starts this process's fork server
  (:mod:`sectorkit.reports._zygote`), which ``fork``\\ s ``IPKernelApp`` kernels.

>>> ZYGOTE_MODULE
'sectorkit.reports._zygote'
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

#: jupyter_client versions the private ``_async_launch_kernel`` override was checked against: [low, high).
JUPYTER_CLIENT_CHECKED = ((8, 10), (9, 0))
#: the module run with ``python -m`` as the fork server and as each kernel's client
ZYGOTE_MODULE = "sectorkit.reports._zygote"

_ZYGOTE: subprocess.Popen | None = None
_ZYGOTE_SOCKET = ""


def start_zygote() -> None:
    """Start this process's kernel fork server (see :mod:`sectorkit.reports._zygote`); later runs fork from it."""
    global _ZYGOTE, _ZYGOTE_SOCKET

    folder = tempfile.mkdtemp(prefix="sk-zygote-")
    _ZYGOTE_SOCKET = os.path.join(folder, "zygote.sock")
    proc = subprocess.Popen([sys.executable, "-m", ZYGOTE_MODULE, "serve", _ZYGOTE_SOCKET],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    if proc.stdout.readline().strip() != b"ready":
        proc.kill()
        return
    _ZYGOTE = proc

    def stop() -> None:
        proc.terminate()
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(stop)


def _ipc_kernel_manager(socket_base: Path):
    """A kernel manager class whose kernel talks over Unix sockets in ``socket_base``'s folder.

    Sockets in the run's own temporary folder cannot clash with another run's
    (TCP ports chosen by concurrent processes can), and nothing listens on the network.
    """
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(socket_base))
            super().__init__(**kwargs)
            if _ZYGOTE is not None:
                # A forked kernel answers shutdown_request but does not leave its event loop
                # (see docs/architecture.md, Reports); the run is over by then, so jupyter_client's
                # SIGTERM, sent after half of this wait, ends it without a 2.5 s pause.
                self.shutdown_wait_time = 0.4

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            if _ZYGOTE is not None and _ZYGOTE.poll() is None and Path(kernel_cmd[0]).name.startswith("python"):
                # a fork of this worker's warm zygote instead of a new interpreter (see sectorkit.reports._zygote)
                kernel_cmd = [kernel_cmd[0], "-m", ZYGOTE_MODULE, "client", _ZYGOTE_SOCKET, *kernel_cmd[1:]]
            # the kernel's own chatter (e.g. "KeyboardInterrupt caught" while a failed run shuts
            # down) goes to a log beside its sockets, not into the batch's terminal
            log = open(str(socket_base) + ".log", "ab")  # noqa: SIM115 - the kernel process owns it
            kw["stdout"] = kw["stderr"] = log
            try:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            finally:
                log.close()

    return IPCKernelManager
