"""One script for the front-end chunks a worksheet page needs (fewer requests on a first visit).

Voila's front end is built with webpack: ``voila.js`` is a small runtime that then fetches
its code in about 70 chunk files, and each lab extension (the widget manager) fetches its own
chunks after its ``remoteEntry``. On a first visit that is ~90 requests, several levels deep,
served one after another by Voila's single-threaded server while the page waits; on a 2-core
machine that was most of the time to the first widget.

A webpack (or rspack) chunk file does nothing but register module factories:
``(self.webpackChunkNAME = self.webpackChunkNAME || []).push([[ids], {modules}])``. A runtime
that starts later finds chunks already pushed onto its global and never fetches them. So
concatenating the chunk files a page will ask for into one script, loaded just before
``voila.js``, gives the same modules from one request. Nothing runs earlier than before
(factories run only when required), and a chunk left out is simply fetched as before: the
list of chunks affects speed, never correctness.

The list (``CHUNKS_FILE``) is recorded from what the worksheet pages load in Chromium
(``scripts/record_voila_chunks.py``); the bundle is built from the files installed in the
running environment (``scripts/install_voila_template.py``), so it always matches the
installed Voila and widget versions. Only files of the chunk shape above are included.

Build-time code: it imports Voila's internals and finds the template in the repository, so it
lives outside the installed ``sectorkit`` package and is used only by ``scripts/`` and tests.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from sectorkit.core.atomic import atomic_write

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIR = REPO_ROOT / "share" / "jupyter" / "voila" / "templates" / "sectorkit"
CHUNKS_FILE = TEMPLATE_DIR / "chunks.json"
BUNDLE_NAME = "chunks.js"  # under the installed template's static/ folder

# `(self.X=self.X||[]).push([[` or `(self["X"]=self["X"]||[]).push([[`, optionally after a license
# comment (`/*! ... */`) and "use strict";
_CHUNK_START = re.compile(
    r"""^(?P<license>/\*![^*]*(?:\*(?!/)[^*]*)*\*/\s*)?(?P<strict>"use strict";)?"""
    r"""\(self(?P<ref>\.[\w$]+|\["[^"\\]+"\])=self(?P=ref)\|\|\[\]\)\.push\(\[\["""
)
_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S+\s*$")


@dataclass
class BundleReport:
    """What :func:`build_bundle` did."""

    path: Path
    included: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # not installed here: fetched by the page as usual
    rejected: list[str] = field(default_factory=list)  # not a chunk file: never bundled

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def is_chunk(text: str) -> bool:
    """True if ``text`` is a webpack/rspack JSONP chunk (only registers module factories)."""
    return bool(_CHUNK_START.match(text))


RUNTIMES = ("voila.js", "treepage.js", "reveal.js")  # Voila's entry points: they run code, never bundled


def chunk_url_path(url: str) -> str | None:
    """``voila/static/5764.voila.js`` for the URL of a front-end chunk Voila serves; else None."""
    path = urlparse(url).path.lstrip("/")
    name = path.rsplit("/", 1)[-1]
    if not name.endswith(".js") or name in RUNTIMES or name.startswith("remoteEntry."):
        return None
    if path.startswith("voila/static/") or path.startswith("voila/labextensions/"):
        return path
    return None


def search_roots(template: str = "sectorkit") -> dict[str, list[Path]]:
    """Where Voila finds the files behind its URL prefixes, in the order it looks.

    Voila's own functions give the folders, so a file is taken from exactly where the server
    would serve it (a user-level copy of an extension, which Voila prefers, included): a chunk
    from another build than the one the page runs would register the wrong modules.
    """
    from voila.paths import collect_static_paths
    from voila.utils import get_voila_labextensions_path

    static = [Path(p) for p in collect_static_paths(["voila", "nbconvert"], template)]
    labext = [Path(p) for p in get_voila_labextensions_path()]
    dedupe = lambda paths: list(dict.fromkeys(p for p in paths if p.is_dir()))  # noqa: E731
    return {"voila/static/": dedupe(static), "voila/labextensions/": dedupe(labext)}


def resolve(entry: str, roots: dict[str, list[Path]]) -> Path | None:
    """The installed file for a recorded URL path such as ``voila/static/5764.voila.js``."""
    for url_prefix, folders in roots.items():
        if entry.startswith(url_prefix):
            rel = entry[len(url_prefix):]
            if not rel or ".." in Path(rel).parts or rel.startswith("/"):
                return None
            for folder in folders:
                candidate = folder / rel
                if candidate.is_file():
                    return candidate
    return None


def _wrap(text: str) -> str:
    """One chunk file as a statement of the bundle, exactly as strict as it was on its own.

    A ``"use strict"`` directive counts only at the start of a script, so in a concatenation it
    would either be lost (mid-file) or make every chunk after it strict (first in the file).
    Each chunk therefore runs in its own function, whose body starts with the chunk's own
    directive, if any, called with ``this`` = ``self`` as at a script's top level. A chunk
    declares nothing at its top level (it is one ``push`` call), so no global changes scope.
    """
    match = _CHUNK_START.match(text)
    license_comment = match.group("license") or ""
    body = _SOURCE_MAP.sub("", text[len(license_comment):].rstrip())
    return f"{license_comment.strip()}\n(function () {{\n{body}\n}}).call(self);\n".lstrip("\n")


def recorded_chunks(path: Path = CHUNKS_FILE) -> list[str]:
    return list(json.loads(path.read_text())["chunks"])


def build_bundle(entries: list[str], dest: Path, roots: dict[str, list[Path]]) -> BundleReport:
    """Concatenate the chunk files for ``entries`` into ``dest`` (written whole, then renamed)."""
    report = BundleReport(path=Path(dest))
    parts = [
        "/* sectorkit: Voila front-end chunks a worksheet page needs, in one file (see\n"
        "   tools/voila_bundle/page_bundle.py). Generated by scripts/install_voila_template.py; do not edit. */\n"
    ]
    for entry in entries:
        found = resolve(entry, roots)
        if found is None:
            report.missing.append(entry)
            continue
        text = found.read_text(encoding="utf-8")
        if not is_chunk(text):
            report.rejected.append(entry)
            continue
        parts.append(_wrap(text))
        report.included.append(entry)
    # served to every user of a shared server, like Voila's own files
    atomic_write(dest, "".join(parts), mode=0o644)
    return report
