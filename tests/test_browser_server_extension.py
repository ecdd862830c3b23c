"""A worksheet as Binder and JupyterHub serve it: Voila as an extension of a Jupyter server.

The README's Binder link lands on ``/voila/render/worksheets/step2_aar.ipynb`` of a Jupyter
server started in the repository, not on a standalone Voila. This drives that path in headless
Chromium: the page is interactive, an answer typed reaches the region's workspace and is there
after a reload, the page takes the template's chunk bundle, and nothing is fetched from any host
but the server (no CDN, so it also works in a training room without internet).
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from sectorkit.store.workspace import Workspace
from tests.support.browser import INTERACTIVE
from tests.support.voila import jupyter_server
from tools.voila_bundle.page_bundle import BUNDLE_NAME, chunk_url_path

pytestmark = pytest.mark.browser

PAGE = "worksheets/step2_aar.ipynb"
QID = "footprint-description"
WAIT_MS = 90_000


def test_worksheet_served_by_the_jupyter_server_extension(home, page):
    Workspace.open("binder", home).close()  # pages never create a region named in the address
    with jupyter_server(env={"SECTORKIT_HOME": str(home)}) as server:
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server.url(PAGE, "region=binder"))
        page.wait_for_selector(INTERACTIVE, state="visible", timeout=WAIT_MS)
        box = page.get_by_role("textbox", name="In one line, what area does the footprint cover?")
        box.press_sequentially("Three counties along the river", delay=5)
        expect(page.get_by_text("Saved at")).to_be_visible(timeout=WAIT_MS)

        hosts = {urlparse(u).hostname for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")}
        assert hosts == {"127.0.0.1"}, f"requests left the server: {sorted(hosts)}"
        scripts = [urlparse(u).path for u in requests if urlparse(u).path.endswith(".js")]
        assert any(p.endswith(f"/static/{BUNDLE_NAME}") for p in scripts), scripts
        assert [p for p in map(chunk_url_path, requests) if p] == []
        assert errors == []

        page.reload()
        page.wait_for_selector(INTERACTIVE, state="visible", timeout=WAIT_MS)
        expect(box).to_have_value("Three counties along the river", timeout=WAIT_MS)
    with Workspace.open("binder", home, create=False) as ws:
        assert ws.answers("step2-aar")[QID] == "Three counties along the river"
