"""Static files go out gzip-compressed, compressed once per version (sectorkit.serve.static)."""

from __future__ import annotations

import asyncio
import gzip
import os
import socket

import tornado.httpclient
import tornado.httpserver
import tornado.web

from sectorkit.serve import static as S


def _serve_and_fetch(folder, requests):
    """Serve ``folder`` with the gzip handler; fetch each (path, headers); return the responses."""

    async def run():
        app = tornado.web.Application([(r"/static/(.*)", S.gzip_static(tornado.web.StaticFileHandler),
                                        {"path": str(folder)})])
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        sock.setblocking(False)
        server = tornado.httpserver.HTTPServer(app)
        server.add_sockets([sock])
        port = sock.getsockname()[1]
        client = tornado.httpclient.AsyncHTTPClient(force_instance=True)
        out = []
        try:
            for path, headers in requests:
                out.append(await client.fetch(f"http://127.0.0.1:{port}{path}", headers=headers,
                                              decompress_response=False, raise_error=False))
        finally:
            client.close()
            server.stop()
        return out

    return asyncio.run(run())


def test_a_script_is_sent_compressed_to_a_browser_that_accepts_gzip_and_plain_to_one_that_does_not(tmp_path):
    script = tmp_path / "chunks.js"
    body = b"".join(b"define(%d, function (m) { return m.exports; });\n" % i for i in range(3000))
    script.write_bytes(body)
    gz, plain, refused = _serve_and_fetch(tmp_path, [
        ("/static/chunks.js", {"Accept-Encoding": "gzip, deflate, br"}),
        ("/static/chunks.js", {}),
        ("/static/chunks.js", {"Accept-Encoding": "gzip;q=0, identity"}),
    ])
    assert gz.code == 200 and gz.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz.body) == body and len(gz.body) < len(body) / 5
    assert int(gz.headers["Content-Length"]) == len(gz.body)
    assert gz.headers["Vary"] == "Accept-Encoding" and gz.headers["Content-Type"].endswith("javascript")
    assert plain.code == 200 and "Content-Encoding" not in plain.headers and plain.body == body
    assert plain.headers["Vary"] == "Accept-Encoding"
    assert refused.body == body and "Content-Encoding" not in refused.headers
    assert gz.headers["Etag"] != plain.headers["Etag"] and gz.headers["Etag"].endswith('-gzip"')


def test_a_cached_copy_answers_304_and_a_changed_file_is_compressed_again(tmp_path):
    script = tmp_path / "app.css"
    script.write_text("body { color: black; }\n" * 200)
    first, = _serve_and_fetch(tmp_path, [("/static/app.css", {"Accept-Encoding": "gzip"})])
    again, = _serve_and_fetch(tmp_path, [("/static/app.css", {"Accept-Encoding": "gzip",
                                                               "If-None-Match": first.headers["Etag"]})])
    assert again.code == 304
    script.write_text("body { color: navy; }\n" * 200)
    os.utime(script, ns=(1, 10**18))  # a new version even on a coarse clock
    changed, = _serve_and_fetch(tmp_path, [("/static/app.css", {"Accept-Encoding": "gzip"})])
    assert changed.code == 200 and gzip.decompress(changed.body).startswith(b"body { color: navy; }")
    assert S.gzipped(str(script)) is S.gzipped(str(script))  # compressed once per version


def test_small_files_images_ranges_and_missing_files_go_through_tornado_unchanged(tmp_path):
    (tmp_path / "tiny.js").write_text("x=1")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG" + bytes(4000))
    (tmp_path / "big.js").write_text("var a = 1;\n" * 1000)
    tiny, png, ranged, missing, escape = _serve_and_fetch(tmp_path, [
        ("/static/tiny.js", {"Accept-Encoding": "gzip"}),
        ("/static/logo.png", {"Accept-Encoding": "gzip"}),
        ("/static/big.js", {"Accept-Encoding": "gzip", "Range": "bytes=0-9"}),
        ("/static/none.js", {"Accept-Encoding": "gzip"}),
        ("/static/../test_secret.js", {"Accept-Encoding": "gzip"}),
    ])
    assert tiny.body == b"x=1" and "Content-Encoding" not in tiny.headers
    assert png.body.startswith(b"\x89PNG") and "Content-Encoding" not in png.headers
    assert ranged.code == 206 and ranged.body == b"var a = 1;"
    assert missing.code == 404 and escape.code in (403, 404)


def test_only_static_handlers_are_wrapped():
    assert S.gzip_static(tornado.web.RequestHandler) is tornado.web.RequestHandler
    wrapped = S.gzip_static(tornado.web.StaticFileHandler)
    assert issubclass(wrapped, S.GzipStatic) and S.gzip_static(wrapped) is wrapped
    assert S._accepts_gzip("br, gzip") and S._accepts_gzip("*") and not S._accepts_gzip("gzip;q=0")
    assert not S._accepts_gzip("identity") and not S._accepts_gzip("")
