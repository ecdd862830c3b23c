"""Record which Voila front-end chunks the worksheet pages load, for sectorkit's page bundle.

Serves ``worksheets/`` with Voila, opens every worksheet page in headless Chromium with the
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
import tempfile
from importlib.metadata import version

from playwright.sync_api import sync_playwright

from sectorkit.page_bundle import BUNDLE_NAME, CHUNKS_FILE, chunk_url_path
from sectorkit.core.paths import REPO_ROOT
from sectorkit.testing import INTERACTIVE, launch_browser, voila_server


def record(pages: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    env = {"SECTORKIT_HOME": tempfile.mkdtemp(prefix="sectorkit-record-")}
    no_preheat = ["--VoilaConfiguration.preheat_kernel=False"]  # which chunks load does not depend on it
    with sync_playwright() as pw, voila_server(REPO_ROOT / "worksheets", cwd=REPO_ROOT, env=env, extra_args=no_preheat) as srv:
        browser = launch_browser(pw)
        for nb in pages:
            context = browser.new_context()
            page = context.new_page()
            page.route(f"**/static/{BUNDLE_NAME}*", lambda route: route.fulfill(body="", content_type="text/javascript"))
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
    pages = sorted(p.name for p in (REPO_ROOT / "worksheets").glob("*.ipynb"))
    chunks = record(pages)
    data = {
        "about": "Front-end chunk files the worksheet pages load; written by scripts/record_voila_chunks.py. "
        "scripts/install_voila_template.py bundles them into static/chunks.js (see sectorkit.page_bundle).",
        "recorded_with": {pkg: version(pkg) for pkg in ("voila", "jupyterlab_widgets", "ipywidgets")},
        "pages": pages,
        "chunks": chunks,
    }
    CHUNKS_FILE.write_text(json.dumps(data, indent=1) + "\n")
    print(f"{len(chunks)} chunks from {len(pages)} pages -> {CHUNKS_FILE.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
