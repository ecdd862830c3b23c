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

Storage on both backends (SQLite files, and PostgreSQL with ``SECTORKIT_DATABASE_URL``):

- ``backend``: ``"sqlite"`` or ``"postgresql"``. A test (or a module, with
  ``pytestmark = pytest.mark.usefixtures("backend")``) that uses it runs once per backend; on
  ``postgresql`` the test has a database of its own (``SECTORKIT_DATABASE_URL`` points at it), so
  tests never see each other's regions. ``@pytest.mark.sqlite_only`` keeps a test that is about
  the SQLite file itself (PRAGMAs, a corrupt file) on SQLite alone. ``ws`` follows ``backend``.
- ``make_ws``: ``make_ws(region="riverbend", **open_kwargs) -> Workspace`` opened in ``home`` on the
  test's backend (SQLite when the test does not use ``backend``), closed after the test.
- ``postgres_server`` (session): the server's URL: ``SECTORKIT_TEST_DATABASE_URL`` (a role that may
  CREATE DATABASE) or a private throwaway cluster started once (``tests.support.postgres``; a
  missing PostgreSQL is an error saying how to install it, never a skip). ``pg_database``: a new
  empty database on it for one test.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pytest

from sectorkit.core.paths import REPO_ROOT
from sectorkit.store.backends import URL_VARIABLE
from sectorkit.store.workspace import Workspace
from tests.support.postgres import fresh_database, server_url
from tests.support.voila import VoilaServer, voila_server

BACKENDS = ("sqlite", "postgresql")

DEFAULT_VIEWPORT = {"width": 1100, "height": 900}


def pytest_configure(config) -> None:
    """No test (doctests included) writes into the user's own ``~/.sectorkit``: the default
    workspace root (and so the LMI caches under it) is a temporary folder for the whole session."""
    import os
    import tempfile

    session = Path(tempfile.mkdtemp(prefix="sk-tests-"))
    os.environ.setdefault("SECTORKIT_HOME", str(session / "home"))
    # never the user's own database: a PostgreSQL test gets its own (the `backend` fixture)
    os.environ.pop(URL_VARIABLE, None)
    config.addinivalue_line("markers", "sqlite_only: a storage test about the SQLite file itself (not run on "
                            "PostgreSQL by the `backend` fixture)")


def pytest_generate_tests(metafunc) -> None:
    """Run every test that uses ``backend`` once per backend (SQLite only when marked ``sqlite_only``)."""
    if "backend" in metafunc.fixturenames:
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("backend", BACKENDS[:1] if only_sqlite else BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def postgres_server():
    """The PostgreSQL server URL for this test session (see the module docstring)."""
    with server_url() as url:
        yield url


@pytest.fixture
def pg_database(postgres_server):
    """A new, empty PostgreSQL database for one test (its URL), dropped afterwards."""
    with fresh_database(postgres_server) as url:
        yield url


@pytest.fixture
def backend(request, monkeypatch):
    """``"sqlite"`` or ``"postgresql"`` (parametrized by ``pytest_generate_tests``); on PostgreSQL
    ``SECTORKIT_DATABASE_URL`` names a database of this test's own."""
    name = getattr(request, "param", "sqlite")
    if name == "postgresql":
        monkeypatch.setenv(URL_VARIABLE, request.getfixturevalue("pg_database"))
    else:
        monkeypatch.delenv(URL_VARIABLE, raising=False)
    return name


@pytest.fixture
def make_ws(request, home: Path):
    """``make_ws(region="riverbend", **kwargs)``: a workspace in ``home`` on the test's backend, closed after."""
    if "backend" in request.fixturenames:
        request.getfixturevalue("backend")
    opened: list[Workspace] = []

    def make(region: str = "riverbend", **kwargs) -> Workspace:
        ws = Workspace.open(region, kwargs.pop("root", home), **kwargs)
        opened.append(ws)
        return ws

    yield make
    for ws in opened:
        ws.close()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty SECTORKIT_HOME for one test."""
    return tmp_path / "home"


@pytest.fixture
def ws(request, home: Path):
    """The ``riverbend`` workspace in ``home`` (on the test's ``backend`` if it has one), closed after the test."""
    if "backend" in request.fixturenames:
        request.getfixturevalue("backend")
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
