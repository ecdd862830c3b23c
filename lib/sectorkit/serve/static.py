"""Static files sent gzip-compressed, each compressed once: a training room on one venue network.

A worksheet page's first visit fetches about 4.9 MB of front-end code (``static/chunks.js`` alone
is 4.3 MB), uncompressed: Voila's static handlers are tornado ``StaticFileHandler`` s, which never
compress. Thirty people opening a worksheet together pull ~150 MB through the room's network.
:func:`gzip_static` gives each of ``sectorkit serve``'s static handlers a subclass that sends
compressible files (scripts, stylesheets, JSON, SVG, HTML; 1 KB and up) gzip-compressed to a
browser that accepts it (``Accept-Encoding: gzip``): chunks.js travels as 1.2 MB. Each file is
compressed at most once per version (path, size and modification time), in memory, so a request
costs no compression; a changed file is compressed again. Everything else (a client without gzip,
range requests, fonts and images) goes through tornado's own handler unchanged.

>>> import tornado.web
>>> gzip_static(tornado.web.StaticFileHandler).__name__
'GzipStaticFileHandler'
>>> gzip_static(tornado.web.RequestHandler) is tornado.web.RequestHandler
True
"""

from __future__ import annotations

import gzip
import os
import threading
from collections import OrderedDict

import tornado.web

__all__ = ["COMPRESSIBLE", "GzipStatic", "gzip_static", "gzipped"]

#: file name endings sent compressed (already-compressed formats like PNG, WOFF2 gain nothing)
COMPRESSIBLE = (".js", ".mjs", ".css", ".json", ".map", ".svg", ".html", ".txt", ".ttf", ".otf")
#: files smaller than this (bytes) are sent as they are: a gzip header would be most of it
MIN_SIZE = 1024
#: compressed versions kept in memory, the most recently used (a page loads ~8 files)
KEEP = 64
_lock = threading.Lock()
_cache: OrderedDict[tuple[str, int, int], bytes] = OrderedDict()


def gzipped(path: str) -> bytes | None:
    """The gzip-compressed content of the file at ``path`` (level 6), or None if not worth it.

    None for a name not ending in :data:`COMPRESSIBLE`, a file under :data:`MIN_SIZE` bytes, or a
    file that cannot be read. The result is cached by (path, size, modification time in ns), so each
    version of a file is compressed once.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.js"; _ = p.write_text("var x = 1;\\n" * 500)
    >>> import gzip as g; g.decompress(gzipped(str(p))) == p.read_bytes()
    True
    >>> gzipped(str(p)) is gzipped(str(p))
    True
    """
    if not path.lower().endswith(COMPRESSIBLE):
        return None
    try:
        st = os.stat(path)
        if st.st_size < MIN_SIZE:
            return None
        key = (path, st.st_size, st.st_mtime_ns)
        with _lock:
            if key in _cache:
                _cache.move_to_end(key)
                return _cache[key]
        with open(path, "rb") as f:
            raw = f.read()
    except OSError:
        return None
    data = gzip.compress(raw, compresslevel=6, mtime=0)
    with _lock:
        _cache[key] = data
        while len(_cache) > KEEP:
            _cache.popitem(last=False)
    return data


def _accepts_gzip(header: str) -> bool:
    """Whether an ``Accept-Encoding`` header accepts gzip (``gzip;q=0`` refuses it)."""
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = params.strip()
            return not (q.startswith("q=") and q[2:].strip() in ("0", "0.0", "0.00", "0.000"))
    return False


class GzipStatic:
    """Mixin for a tornado ``StaticFileHandler``: compressible files go out gzip-compressed, cached.

    The ETag of the compressed variant is the file's own with ``-gzip`` added, so a cache never
    mixes the two encodings; ``Vary: Accept-Encoding`` is sent with both.
    """

    async def get(self, path: str, include_body: bool = True) -> None:
        if self.request.headers.get("Range") or not _accepts_gzip(self.request.headers.get("Accept-Encoding", "")):
            self.set_header("Vary", "Accept-Encoding")
            return await super().get(path, include_body)
        self.path = self.parse_url_path(path)
        absolute_path = self.get_absolute_path(self.root, self.path)
        self.absolute_path = self.validate_absolute_path(self.root, absolute_path)
        if self.absolute_path is None:
            return None
        data = gzipped(self.absolute_path)
        if data is None:
            self.set_header("Vary", "Accept-Encoding")
            return await super().get(path, include_body)
        self.modified = self.get_modified_time()
        self.set_headers()
        etag = self._headers.get("Etag")
        if etag:
            self.set_header("Etag", etag[:-1] + '-gzip"' if etag.endswith('"') else etag + "-gzip")
        self.set_header("Vary", "Accept-Encoding")
        if self.should_return_304():
            self.set_status(304)
            return None
        self.set_header("Content-Encoding", "gzip")
        self.set_header("Content-Length", len(data))
        if include_body:
            self.write(data)
        return None


def gzip_static(cls: type) -> type:
    """``cls`` with :class:`GzipStatic` mixed in when it serves static files, else ``cls`` itself."""
    if not (isinstance(cls, type) and issubclass(cls, tornado.web.StaticFileHandler)) or issubclass(cls, GzipStatic):
        return cls
    return type("Gzip" + cls.__name__, (GzipStatic, cls), {"__module__": __name__})
