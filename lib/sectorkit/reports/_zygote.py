"""Warm kernel starts: a fork server of pre-imported, never-used kernels (report batches and worksheet pages).

A report worker starts one *zygote* (``python -m sectorkit.reports._zygote serve SOCKET``):
it imports ipykernel and the libraries a report needs, then waits. ``sectorkit serve`` starts one
with the ``pages`` profile (``serve SOCKET pages``): the worksheet pages' modules, every spec and the
example data (:func:`sectorkit.serve.warm.warm`), so a page's kernel starts in a fraction of a
second instead of importing for seconds (:mod:`sectorkit.serve.kernels`). For each
region, jupyter_client launches the small *client* (``python -m sectorkit.reports._zygote
client SOCKET -m ipykernel_launcher -f CONNECTION``) instead of a new Python;
the client asks the zygote to fork, and the fork becomes that region's kernel.

Isolation: the zygote never runs report code or opens a workspace, so every
kernel starts from the same clean, imported state, in its own process, and
exits when its run ends; no kernel is ever reused for a second region. The
client stays alive as the kernel's stand-in for jupyter_client (it forwards
signals, and exits when the kernel does); the zygote kills a kernel whose
client disappears.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time

#: imported by the zygote before it forks: what a report kernel needs (the sections import the rest)
WARM = ("IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "pandas", "matplotlib",
        "matplotlib.figure", "matplotlib.backends.backend_agg", "matplotlib_inline.backend_inline", "networkx", "yaml",
        "pydantic", "sectorkit.reports", "sectorkit.reports.sections")
# ipykernel.debugger (debugpy) is imported by every kernel's init: ~0.1 s a kernel when left to the fork


#: imported by a ``pages`` zygote: what a worksheet page's kernel needs (then ``serve.warm.warm`` runs)
WARM_PAGES = ("IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "ipywidgets", "comm",
              "pandas", "matplotlib", "matplotlib.backends.backend_agg", "matplotlib_inline.backend_inline",
              "sectorkit.serve.pages", "sectorkit.serve.warm", "voila.utils", "websockets")


def serve(path: str, profile: str = "reports") -> None:
    import importlib

    for name in WARM_PAGES if profile == "pages" else WARM:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    try:  # shared read-only data every kernel reads alike (specs, titles, example files, fonts); never a workspace
        if profile == "pages":
            importlib.import_module("sectorkit.serve.warm").warm(always=True)
        else:
            importlib.import_module("sectorkit.reports.sections").warm_shared()
    except Exception:  # noqa: BLE001 - an optimisation only
        pass
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forks are reaped automatically
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(8)
    print("ready", flush=True)
    parent = os.getppid()
    srv.settimeout(1.0)
    while True:
        if os.getppid() != parent:  # the worker that started us is gone
            return
        try:
            conn, _ = srv.accept()
        except TimeoutError:
            continue
        conn.settimeout(None)
        try:  # the client's stdout and stderr come first (SCM_RIGHTS), then its request as one JSON line
            _, fds, _, _ = socket.recv_fds(conn, 1, 2)
            request = json.loads(conn.makefile("r").readline())
        except (OSError, ValueError):
            conn.close()
            continue
        pid = os.fork()
        if pid == 0:  # the region's kernel
            srv.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            os.setsid()
            os.chdir(request["cwd"])
            os.environ.clear()  # the environment the launcher gave the kernel, exactly
            os.environ.update(request["env"])
            # watch the client: when it goes away (killed), this kernel goes too
            watcher = os.fork()
            if watcher == 0:
                try:
                    conn.recv(1)
                finally:
                    os.killpg(0, signal.SIGKILL)
            conn.close()
            for target, fd in zip((1, 2), fds):  # the kernel writes where its launcher expected
                os.dup2(fd, target)
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            sys.argv = ["ipykernel_launcher", *request["argv"]]
            code = 0
            try:
                from ipykernel.kernelapp import IPKernelApp

                app = IPKernelApp.instance()
                app.initialize(request["argv"])
                if "ipywidgets" in sys.modules:
                    # ipywidgets registers its comm targets on import only when a kernel is running; the
                    # zygote imported it before there was one. Without "jupyter.widget.control" the page
                    # fetches every widget's state one by one instead of in one message.
                    sys.modules["ipywidgets"].register_comm_target()
                app.start()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 0
            except BaseException:  # noqa: BLE001
                code = 1
            os.kill(watcher, signal.SIGKILL)
            os._exit(code)
        for fd in fds:
            os.close(fd)
        conn.sendall(f"{pid}\n".encode())
        conn.close()


def client(path: str, argv: list[str]) -> int:
    # argv: the kernel's own arguments after "-m ipykernel_launcher"
    if argv[:2] == ["-m", "ipykernel_launcher"]:
        argv = argv[2:]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    socket.send_fds(s, [b"F"], [1, 2])
    s.sendall((json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}) + "\n").encode())
    pid = int(s.makefile("r").readline())
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGHUP):
        signal.signal(sig, lambda signum, _f: _forward(pid, signum))
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return 0
        time.sleep(0.05)
        # the socket stays open while we live; the kernel's watcher waits on it


def _forward(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass
    if signum != signal.SIGINT:
        try:
            os.killpg(pid, signal.SIGKILL if signum == signal.SIGQUIT else signum)
        except ProcessLookupError:
            pass


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], *sys.argv[3:4])
    else:
        raise SystemExit(client(sys.argv[2], sys.argv[3:]))
