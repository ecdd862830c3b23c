"""Voila (standalone, or as a Jupyter server extension) in a subprocess on 127.0.0.1.

Used by the browser tests (through the ``served`` fixture in ``tests/conftest.py``), by
``benchmarks/voila_ttfw.py`` and by ``scripts/record_voila_chunks.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sectorkit.core.paths import REPO_ROOT

__all__ = [
    "JupyterServer", "VoilaServer", "copy_worksheets", "free_port", "jupyter_server", "voila_server", "wait_for_pool",
]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class VoilaServer:
    """A Voila server in a subprocess, serving one folder on 127.0.0.1; its output goes to ``log``."""

    def __init__(self, folder: Path, port: int, proc: subprocess.Popen, log: Path):
        self.folder, self.port, self.proc, self.log = folder, port, proc, log
        self.home: Path | None = None  # the SECTORKIT_HOME it serves, when a fixture set one

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, notebook: str, query: str = "") -> str:
        return f"{self.base}/voila/render/{notebook}" + (f"?{query}" if query else "")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class JupyterServer(VoilaServer):
    """A Jupyter server with Voila as its extension, as Binder and JupyterHub serve worksheets.

    ``url(notebook)`` takes a path below the server's root, e.g. ``worksheets/step2_aar.ipynb``.
    """


@contextmanager
def voila_server(
    folder: Path,
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    extra_args: list[str] | None = None,
    ready_notebook: str | None = None,
    timeout: float = 90,
    command: list[str] | None = None,
) -> Iterator[VoilaServer]:
    """Start ``voila FOLDER`` and wait until it answers (and, if preheating, its pool is full).

    ``cwd`` decides which ``voila.json`` applies: the repository root gives
    sectorkit's settings; an empty folder gives Voila's defaults. With
    ``ready_notebook``, only that notebook is served (from a temporary copy of
    it), and Voila preheats kernels for it alone (as many as voila.json gives its
    one preheated page, ``sheet.ipynb``). ``command`` replaces ``python -m voila``,
    e.g. ``[sys.executable, "-m", "sectorkit.cli", "serve"]`` as ``make demo`` serves.
    """
    with tempfile.TemporaryDirectory(prefix="voila-serve-") as only:
        where = cwd or Path(tempfile.gettempdir())
        pools: list[str] = []
        if ready_notebook:
            shutil.copy(Path(folder) / ready_notebook, Path(only) / ready_notebook)
            folder = Path(only)
            pool = {ready_notebook: {"pool_size": _preheated_pool_size(where)}}
            pools = ["--VoilaKernelManager.kernel_pools_config=" + json.dumps(pool)]
        port = free_port()
        args = (command or [sys.executable, "-m", "voila"]) + [
            str(folder), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", "--Voila.open_browser=False",
        ] + pools + (extra_args or [])
        with _serve(VoilaServer, "Voila", Path(folder), port, args, where, env, "/", timeout) as server:
            if ready_notebook:
                wait_for_pool(server, ready_notebook, time.monotonic() + timeout)
            yield server


def _preheated_pool_size(cwd: Path) -> int:
    """The largest kernel pool ``cwd/voila.json`` configures (1 if it sets none)."""
    try:
        config = json.loads((Path(cwd) / "voila.json").read_text())
    except (OSError, ValueError):
        return 1
    pools = config.get("VoilaKernelManager", {}).get("kernel_pools_config", {})
    sizes = [p.get("pool_size", 0) for p in pools.values()]
    sizes.append(config.get("VoilaConfiguration", {}).get("default_pool_size", 1))
    return max(sizes) or 1


@contextmanager
def jupyter_server(
    root: Path = REPO_ROOT, *, env: dict[str, str] | None = None, timeout: float = 90
) -> Iterator[JupyterServer]:
    """Start ``jupyter server`` in ``root`` (no token, 127.0.0.1 only) with Voila's server extension.

    Like a Binder or JupyterHub session: pages at ``/voila/render/<path>``, voila.json read from
    ``root``, kernels started per page (Voila preheats only when it runs on its own).
    """
    port = free_port()
    args = [
        sys.executable, "-m", "jupyter", "server", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
        "--IdentityProvider.token=", "--ServerApp.password=",
    ] + (["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])
    with _serve(JupyterServer, "Jupyter server", Path(root), port, args, Path(root), env, "/api", timeout) as server:
        yield server


@contextmanager
def _serve(kind, label: str, folder: Path, port: int, args: list[str], cwd: Path, env, probe: str, timeout: float):
    log = Path(tempfile.mkstemp(prefix="voila-", suffix=".log")[1])
    proc_env = {**os.environ, **(env or {})}
    fh = log.open("w")
    proc = subprocess.Popen(args, cwd=cwd, env=proc_env, stdout=fh, stderr=subprocess.STDOUT)
    server = kind(folder, port, proc, log)
    if env and "SECTORKIT_HOME" in env:
        server.home = Path(env["SECTORKIT_HOME"])
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{label} exited early:\n{log.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(server.base + probe, timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{label} did not answer in {timeout}s:\n{log.read_text()[-3000:]}") from None
                time.sleep(0.25)
        yield server
    finally:
        server.stop()
        fh.close()


def wait_for_pool(server: VoilaServer, notebook: str, deadline: float, count: int = 1) -> None:
    """Wait until Voila's log says the kernel pool of ``notebook`` has been filled ``count`` times.

    Voila (0.5) logs ``Kernel pool of <notebook> is filled`` each time preheating completes; this
    is the only signal it gives, so a Voila upgrade that rewords it makes this time out loudly.
    """
    marker = f"Kernel pool of {notebook} is filled"
    while server.log.read_text().count(marker) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel pool for {notebook} not ready:\n{server.log.read_text()[-3000:]}")
        time.sleep(0.2)


def copy_worksheets(dest: Path) -> Path:
    """Copy the worksheet notebooks to ``dest`` (so a test's Voila sees only them)."""
    dest.mkdir(parents=True, exist_ok=True)
    for nb in (REPO_ROOT / "worksheets").glob("*.ipynb"):
        shutil.copy(nb, dest / nb.name)
    return dest
