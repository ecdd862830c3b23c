"""The page bundle: Voila's front-end chunks in one script (tools/voila_bundle/page_bundle.py).

Unit tests on small chunk files of each shape webpack and rspack write, one test that runs a
built bundle in Chromium (strict and sloppy chunks keep their mode, modules register), and
checks that this environment's installed template carries the bundle of the recorded list.
"""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest

from tools.voila_bundle.page_bundle import (
    BUNDLE_NAME,
    CHUNKS_FILE,
    build_bundle,
    chunk_url_path,
    is_chunk,
    recorded_chunks,
    resolve,
    search_roots,
)

# Each factory reports whether it runs in strict mode (``this`` is undefined in a plain call).
STRICT = ('"use strict";(self.webpackChunk_t=self.webpackChunk_t||[])'
          '.push([[1],{11:function(){return (function(){return this===undefined})()}}]);')
SLOPPY = ('(self.webpackChunk_t=self.webpackChunk_t||[])'
          '.push([[2],{22:function(){return (function(){return this===undefined})()}}]);'
          '\n//# sourceMappingURL=2.voila.js.map')
LICENSED = ('/*! For license information please see 3.voila.js.LICENSE.txt */\n'
            '"use strict";(self["rspackChunk@x/y"]=self["rspackChunk@x/y"]||[])'
            '.push([[3],{33:function(){return (function(){return this===undefined})()}}]);')
RUNTIME = 'var _JUPYTERLAB;(()=>{alert("I run code")})();'


def fake_install(root: Path) -> dict[str, list[Path]]:
    static = root / "static"
    labext = root / "labext" / "@x" / "y" / "static"
    static.mkdir(parents=True)
    labext.mkdir(parents=True)
    (static / "1.voila.js").write_text(STRICT)
    (static / "2.voila.js").write_text(SLOPPY)
    (static / "voila.js").write_text(RUNTIME)
    (labext / "3.abc.js").write_text(LICENSED)
    (root / "secret.js").write_text(SLOPPY)
    return {"voila/static/": [static], "voila/labextensions/": [root / "labext"]}


ENTRIES = [
    "voila/static/1.voila.js",
    "voila/static/2.voila.js",
    "voila/labextensions/@x/y/static/3.abc.js",
    "voila/static/404.voila.js",
    "voila/static/voila.js",
]


@pytest.mark.parametrize("text", [STRICT, SLOPPY, LICENSED])
def test_chunk_shapes_are_recognised(text):
    assert is_chunk(text)


@pytest.mark.parametrize(
    "text",
    [
        RUNTIME,
        "",
        'alert(1);(self.webpackChunk_t=self.webpackChunk_t||[]).push([[1],{}]);',
        '(self.webpackChunk_a=self.webpackChunk_b||[]).push([[1],{}]);',  # two different globals
        '/* not a license comment */(self.webpackChunk_t=self.webpackChunk_t||[]).push([[1],{}]);',
    ],
)
def test_anything_else_is_not_a_chunk(text):
    assert not is_chunk(text)


def test_chunk_url_paths():
    base = "http://127.0.0.1:8866/"
    assert chunk_url_path(base + "voila/static/5764.voila.js") == "voila/static/5764.voila.js"
    labext = "voila/labextensions/@x/y/static/84.09c6.js"
    assert chunk_url_path(base + labext + "?v=09c6") == labext
    for other in ("voila/static/voila.js", "voila/labextensions/@x/y/static/remoteEntry.c8c9.js",
                  "voila/templates/sectorkit/static/chunks.js", "api/kernels/abc", "voila/static/labvariables.css"):
        assert chunk_url_path(base + other) is None, other


def test_resolve_stays_inside_the_install(tmp_path):
    roots = fake_install(tmp_path)
    assert resolve("voila/static/1.voila.js", roots) == tmp_path / "static" / "1.voila.js"
    assert resolve("voila/static/../secret.js", roots) is None
    assert resolve("voila/static//etc/passwd", roots) is None
    assert resolve("elsewhere/1.voila.js", roots) is None


def test_build_reports_what_it_did_and_writes_a_readable_file(tmp_path):
    roots = fake_install(tmp_path)
    report = build_bundle(ENTRIES, tmp_path / "out" / BUNDLE_NAME, roots)
    assert report.included == ENTRIES[:3]
    assert report.missing == ["voila/static/404.voila.js"]
    assert report.rejected == ["voila/static/voila.js"]
    text = report.path.read_text()
    assert "I run code" not in text and "sourceMappingURL" not in text
    assert "For license information please see 3.voila.js.LICENSE.txt" in text
    assert report.path.stat().st_mode & stat.S_IROTH  # served to every user of a shared server
    assert [p.name for p in report.path.parent.iterdir()] == [BUNDLE_NAME]  # no temporary file left


def test_a_failed_build_keeps_the_previous_bundle(tmp_path, monkeypatch):
    roots = fake_install(tmp_path)
    dest = tmp_path / "out" / BUNDLE_NAME
    build_bundle(ENTRIES[:1], dest, roots)
    before = dest.read_text()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("sectorkit.core.atomic.os.replace", broken)
    with pytest.raises(OSError):
        build_bundle(ENTRIES, dest, roots)
    assert dest.read_text() == before
    assert [p.name for p in dest.parent.iterdir()] == [BUNDLE_NAME]


@pytest.mark.browser
def test_bundle_registers_every_chunk_in_its_own_mode(tmp_path):
    """Run the built bundle in Chromium: three chunks pushed, each factory as strict as its file."""
    from playwright.sync_api import sync_playwright

    from sectorkit.reports.pdf import launch_browser

    roots = fake_install(tmp_path)
    report = build_bundle(ENTRIES, tmp_path / BUNDLE_NAME, roots)
    with sync_playwright() as pw:
        browser = launch_browser(pw)
        try:
            page = browser.new_page()
            page.set_content("<html lang='en'><body></body></html>")
            page.add_script_tag(content=report.path.read_text())
            modes = page.evaluate(
                """() => {
                  const out = {};
                  for (const name of ['webpackChunk_t', 'rspackChunk@x/y'])
                    for (const [ids, modules] of self[name])
                      for (const [id, factory] of Object.entries(modules)) out[id] = factory();
                  return out;
                }"""
            )
        finally:
            browser.close()
    assert modes == {"11": True, "22": False, "33": True}


def test_recorded_list_is_installed_here_and_bundled():
    """Every recorded chunk exists in this environment, and the installed template has the bundle.

    Fails after an upgrade of Voila or ipywidgets that renames chunks: record again with
    ``python scripts/record_voila_chunks.py``, then rebuild with ``make`` (or
    ``python scripts/install_voila_template.py``).
    """
    data = json.loads(CHUNKS_FILE.read_text())
    entries = recorded_chunks()
    assert entries and len(entries) == len(set(entries))
    assert all(chunk_url_path("http://h/" + e) == e for e in entries)
    roots = search_roots()
    missing = [e for e in entries if resolve(e, roots) is None]
    assert missing == [], f"recorded with {data['recorded_with']}; not installed here: {missing[:5]}"
    installed = Path(sys.prefix) / "share" / "jupyter" / "voila" / "templates" / "sectorkit" / "static" / BUNDLE_NAME
    text = installed.read_text()
    for entry in entries:
        source = resolve(entry, roots).read_text()
        first_line = source.split("\n", 2)[1 if source.startswith("/*!") else 0]
        assert first_line[:200] in text, f"{entry} is not in {installed}"
