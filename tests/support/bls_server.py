"""A local stand-in for BLS's open-data server, on 127.0.0.1, for the fetch tests (no test reaches the internet).

It serves the real QCEW area slices of the shared folder (``tests.support.QCEW``:
``ohio_morpc_county_annual/morpc-qcew-<year>-a-<area>.csv.gz``, see its PROVENANCE.md) at BLS's
addresses, ``<base_url>/<year>/a/area/<area>.csv``, as plain CSV (``text/csv``), like
``https://data.bls.gov/cew/data/api``. Anything else is a 404 (as BLS answers for a file it does not
have; the shared folder holds no ``US000`` slices, so the nation is always a 404 here).

Faults are queued per address with :meth:`BLSServer.fail`, each used by one request, in order:

- ``"500"`` (or any status code): that status, a short text body;
- ``"slow:<seconds>"``: wait, then answer normally (a client with a shorter timeout gives up);
- ``"html"``: a web page with status 200 (as a proxy or a maintenance page answers);
- ``"huge:<bytes>"``: a CSV-looking body of that size, with no Content-Length (streamed);
- ``"other:<area>"``: the file of another area (a wrong file behind the right address).

``requests`` lists every path asked for. Used as a context manager::

    with bls_server() as bls:
        bls.fail(2023, "39049", "500")
        fetch_areas(["39049"], [2023], cache, base_url=bls.base_url)
"""

from __future__ import annotations

import gzip
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.support import QCEW

__all__ = ["OHIO", "PREFIX", "BLSServer", "bls_server"]

OHIO = QCEW / "ohio_morpc_county_annual"
PREFIX = "/cew/data/api"


class BLSServer:
    """The server (see the module docstring); ``base_url`` is what ``SECTORKIT_BLS_URL`` should be."""

    def __init__(self, folder: Path = OHIO):
        self.folder = Path(folder)
        self.requests: list[str] = []
        self._faults: dict[str, list[str]] = defaultdict(list)
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="bls-server", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}{PREFIX}"

    @staticmethod
    def path(year: int, area: str) -> str:
        return f"{PREFIX}/{year}/a/area/{area}.csv"

    def fail(self, year: int, area: str, *faults: str) -> None:
        """Queue faults for the next requests of one file (see the module docstring)."""
        with self._lock:
            self._faults[self.path(year, area)].extend(faults)

    def reset(self) -> None:
        """Forget the requests and the queued faults (between tests sharing one server)."""
        with self._lock:
            self.requests.clear()
            self._faults.clear()

    def asked(self, year: int, area: str) -> int:
        """How many times a file was requested."""
        return self.requests.count(self.path(year, area))

    def file_body(self, year: str | int, area: str) -> bytes | None:
        f = self.folder / f"morpc-qcew-{year}-a-{area}.csv.gz"
        return gzip.decompress(f.read_bytes()) if f.is_file() else None

    def _next_fault(self, path: str) -> str | None:
        with self._lock:
            queue = self._faults.get(path)
            return queue.pop(0) if queue else None

    def start(self) -> BLSServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def _handler(server: BLSServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet, the test reads `requests`
            pass

        def _send(self, status: int, body: bytes, ctype: str = "text/csv", length: bool = True) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            if length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            path = self.path.split("?", 1)[0]
            server.requests.append(path)
            fault = server._next_fault(path)
            parts = path[len(PREFIX):].strip("/").split("/") if path.startswith(PREFIX + "/") else []
            ok = len(parts) == 4 and parts[1:3] == ["a", "area"] and parts[3].endswith(".csv")
            year, area = (parts[0], parts[3][:-4]) if ok else ("", "")
            if fault and fault.startswith("slow:"):
                time.sleep(float(fault.split(":", 1)[1]))
                fault = None
            if fault and fault.isdigit():
                return self._send(int(fault), f"error {fault}\n".encode(), "text/plain")
            if fault == "html":
                page = b"<!DOCTYPE html><html><head><title>Access Denied</title></head><body>Try later</body></html>"
                return self._send(200, page, "text/html; charset=utf-8")
            if fault and fault.startswith("huge:"):
                size = int(fault.split(":", 1)[1])
                line = b'"39049","5","10","71","0","2023","A","",1,2,3,4,5,6,7\n'
                self.send_response(200)
                self.send_header("Content-Type", "text/csv")
                self.end_headers()
                try:
                    sent = 0
                    while sent < size:
                        self.wfile.write(line * 1000)
                        sent += len(line) * 1000
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return None
            if fault and fault.startswith("other:"):
                area = fault.split(":", 1)[1]
            body = server.file_body(year, area) if ok else None
            if body is None:
                return self._send(404, b"Not Found\n", "text/plain")
            return self._send(200, body)

    return Handler


@contextmanager
def bls_server(folder: Path = OHIO) -> Iterator[BLSServer]:
    """A :class:`BLSServer` running for the ``with`` block."""
    server = BLSServer(folder).start()
    try:
        yield server
    finally:
        server.stop()
