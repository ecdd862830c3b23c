"""Record which Voila front-end chunks the worksheet pages load, for sectorkit's page bundle.

Serves ``worksheets/`` with Voila, opens every worksheet page (``sheet.ipynb?sheet=<page id>``,
one per id in :mod:`sectorkit.apps.registry`) in headless Chromium with the
bundle switched off (its request answered with an empty script, so the page fetches each chunk
itself), waits for the first widget and then for the network to go quiet, and writes the union
of the chunk files requested to ``share/jupyter/voila/templates/sectorkit/chunks.json``.

Run it after upgrading Voila or ipywidgets, then ``python scripts/install_voila_template.py``
(or ``make``) to rebuild the bundle. ``tests/test_browser.py`` fails when the AAR page still
fetches chunks on its own, which is the sign the list is out of date.

Usage: python scripts/record_voila_chunks.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tools/ and tests/ are not installed

from sectorkit.apps.registry import GENERIC_NOTEBOOK, page_ids  # noqa: E402
from sectorkit.core.paths import REPO_ROOT  # noqa: E402
from sectorkit.reports.pdf import launch_browser  # noqa: E402
from tests.support.browser import INTERACTIVE  # noqa: E402
from tests.support.voila import voila_server  # noqa: E402
from tools.voila_bundle.page_bundle import BUNDLE_NAME, CHUNKS_FILE, chunk_url_path  # noqa: E402


def record(pages: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    env = {"SECTORKIT_HOME": tempfile.mkdtemp(prefix="sectorkit-record-")}
    no_preheat = ["--VoilaConfiguration.preheat_kernel=False"]  # which chunks load does not depend on it
    worksheets = REPO_ROOT / "worksheets"
    with sync_playwright() as pw, voila_server(worksheets, cwd=REPO_ROOT, env=env, extra_args=no_preheat) as srv:
        browser = launch_browser(pw)
        for nb in pages:
            context = browser.new_context()
            page = context.new_page()
            no_bundle = lambda route: route.fulfill(body="", content_type="text/javascript")  # noqa: E731
            page.route(f"**/static/{BUNDLE_NAME}*", no_bundle)
            found: list[str] = []
            page.on("request", lambda r: found.append(r.url) if r.resource_type == "script" else None)
            page.goto(srv.url(nb))
            page.wait_for_selector(INTERACTIVE, state="visible", timeout=90_000)
            try:
                page.wait_for_load_state("networkidle", timeout=15_000)
            except Exception:  # a page that keeps polling: what it loaded so far is enough
                pass
            chunks = [p for p in map(chunk_url_path, found) if p]
            print(f"{nb}: {len(chunks)} chunks")
            seen.update(dict.fromkeys(chunks))
            page.goto("about:blank")
            context.close()
        browser.close()
    return list(seen)


def main() -> int:
    pages = [f"{GENERIC_NOTEBOOK}?sheet={page_id}" for page_id in page_ids()]  # every worksheet is served there
    chunks = record(pages)
    data = {
        "about": "Front-end chunk files the worksheet pages load; written by scripts/record_voila_chunks.py. "
        "scripts/install_voila_template.py bundles them into static/chunks.js (see tools/voila_bundle/page_bundle.py).",
        "recorded_with": {pkg: version(pkg) for pkg in ("voila", "jupyterlab_widgets", "ipywidgets")},
        "pages": pages,
        "chunks": chunks,
    }
    CHUNKS_FILE.write_text(json.dumps(data, indent=1) + "\n")
    print(f"{len(chunks)} chunks from {len(pages)} pages -> {CHUNKS_FILE.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
