"""Fixtures shared by the test files. Helpers they import live in ``tests/support/`` (the
shared data folder: ``from tests.support import SHARED, QCEW``).

- ``home``: an empty ``SECTORKIT_HOME`` folder for one test; ``ws``: the ``riverbend`` workspace
  in it. A test file that needs another region or name defines its own ``ws``.
- ``served``: a factory, ``served(notebook, home=None, ...)``, that starts Voila with the
  repository's ``voila.json`` serving one worksheet (only its kernel pool is preheated) over a
  new or given ``SECTORKIT_HOME``; every server it started stops when the test module ends.
- ``browser``: headless Chromium for one test module (``sectorkit.views.pdf.launch_browser``;
  a missing Chromium is an error with the install command, never a skip); ``page``: a new
  context and page for one test, of the module's ``VIEWPORT`` size if it sets one, with the
  messages of any dialog it dismissed in ``page.dialogs``.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pytest

from sectorkit.core.paths import REPO_ROOT
from sectorkit.store.workspace import Workspace
from tests.support.voila import VoilaServer, voila_server

DEFAULT_VIEWPORT = {"width": 1100, "height": 900}


def pytest_configure(config) -> None:
    """No test (doctests included) writes into the user's own ``~/.sectorkit``: the default
    workspace root (and so the LMI caches under it) is a temporary folder for the whole session."""
    import os
    import tempfile

    session = Path(tempfile.mkdtemp(prefix="sk-tests-"))
    os.environ.setdefault("SECTORKIT_HOME", str(session / "home"))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty SECTORKIT_HOME for one test."""
    return tmp_path / "home"


@pytest.fixture
def ws(home: Path):
    """The ``riverbend`` workspace in ``home``, closed after the test."""
    with Workspace.open("riverbend", home) as workspace:
        yield workspace


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``served(notebook, home=None, *, folder=worksheets/, timeout=90, extra_args=None) -> VoilaServer``."""
    with ExitStack() as stack:

        def serve(notebook: str, home: Path | None = None, *, folder: Path = REPO_ROOT / "worksheets",
                  timeout: float = 90, extra_args: list[str] | None = None) -> VoilaServer:
            home = Path(home) if home is not None else tmp_path_factory.mktemp("skhome")
            server = stack.enter_context(voila_server(
                folder, cwd=REPO_ROOT, env={"SECTORKIT_HOME": str(home)}, ready_notebook=notebook,
                timeout=timeout, extra_args=extra_args,
            ))
            return server

        yield serve


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the test module."""
    from playwright.sync_api import sync_playwright

    from sectorkit.views.pdf import launch_browser

    with sync_playwright() as pw:
        chromium = launch_browser(pw)  # raises (test error, not a skip) when Chromium is missing
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser context and page for one test; ``page.dialogs`` lists dismissed dialogs."""
    context = browser.new_context(viewport=getattr(request.module, "VIEWPORT", DEFAULT_VIEWPORT))
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    context.close()
