"""``sectorkit serve``: Voila with one preheated pool for every worksheet, and the old addresses kept.

Every worksheet is served by the generic page ``sheet.ipynb?sheet=<page id>&region=<region id>``
(:func:`sectorkit.serve.pages.sheet_page`), and ``voila.json`` preheats kernels for that notebook
only, so the number of idle kernels does not grow with the number of worksheets. The addresses
of the worksheet notebooks from before (``/voila/render/step2_aar.ipynb?region=x``, bookmarks,
printed handouts) are answered by a redirect to the generic page, without starting a kernel::

    /voila/render/step2_aar.ipynb?region=x  ->  /voila/render/sheet.ipynb?sheet=step2-aar&region=x

The redirects are tornado handlers placed ahead of Voila's render handler. They are added only
for folders that hold ``sheet.ipynb``. Under a Jupyter server (Binder, JupyterHub: Voila as a
server extension, which never preheats) the old notebooks are two-cell stubs that show the same
page through ``sheet_page("<page id>")``.

Usage: ``sectorkit serve worksheets/ --no-browser --port=8866`` (any ``voila`` option).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import tornado.web
from jupyter_server.utils import url_path_join
from voila.app import Voila

from sectorkit.apps.registry import GENERIC_NOTEBOOK, legacy_notebooks
from sectorkit.serve.voila import STANDALONE_ENV

__all__ = ["LegacyRedirect", "SectorkitVoila", "legacy_target", "serve"]


def legacy_target(path: str, query: str, page_id: str) -> str:
    """Where an old worksheet address goes: the generic page beside it, ``?sheet=`` first.

    Any ``sheet`` in the old query is dropped; everything else (``region``, ...) is kept.

    >>> legacy_target("/voila/render/step2_aar.ipynb", "region=lakeside", "step2-aar")
    '/voila/render/sheet.ipynb?sheet=step2-aar&region=lakeside'
    >>> legacy_target("/base/voila/render/ws/lmi_review.ipynb", "sheet=x&region=a%26b", "lmi-review")
    '/base/voila/render/ws/sheet.ipynb?sheet=lmi-review&region=a%26b'
    """
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "sheet"]
    return f"{path.rsplit('/', 1)[0]}/{GENERIC_NOTEBOOK}?{urlencode([('sheet', page_id), *kept])}"


class LegacyRedirect(tornado.web.RequestHandler):
    """Redirects an old worksheet notebook's address to the generic page (302, no kernel)."""

    def initialize(self, pages: dict[str, str]) -> None:
        self.pages = pages

    def get(self, folder: str, name: str) -> None:
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        self.redirect(legacy_target(self.request.path, self.request.query, self.pages[name]), permanent=False)


def legacy_route(server_url: str, root_dir: str | os.PathLike, pages: dict[str, str]) -> str | None:
    """The URL pattern of the old worksheet addresses under ``root_dir``, or None if none apply.

    Only folders (below ``root_dir``) that hold the generic notebook are covered.

    >>> import tempfile; root = Path(tempfile.mkdtemp()); _ = (root / "sheet.ipynb").write_text("{}")
    >>> legacy_route("/", root, {"step2_aar.ipynb": "step2-aar"})
    '/voila/render/()(step2_aar\\\\.ipynb)'
    """
    root = Path(root_dir)
    folders = sorted(
        "" if p.parent == root else p.parent.relative_to(root).as_posix() + "/"
        for p in root.rglob(GENERIC_NOTEBOOK)
        if ".ipynb_checkpoints" not in p.parts
    )
    if not folders or not pages:
        return None
    where = "|".join(re.escape(f) for f in folders)
    names = "|".join(re.escape(n) for n in sorted(pages))
    return url_path_join(server_url, f"/voila/render/({where})({names})")


class SectorkitVoila(Voila):
    """Voila, plus redirects from the old worksheet notebooks to the generic page."""

    def init_handlers(self) -> list:
        handlers = super().init_handlers()
        if self.notebook_path:  # one notebook served: no render folder, nothing to redirect
            return handlers
        pages = legacy_notebooks()
        route = legacy_route(self.server_url, self.root_dir, pages)
        if route is None:
            return handlers
        self.log.info("sectorkit: %d old worksheet addresses redirect to %s", len(pages), GENERIC_NOTEBOOK)
        return [(route, LegacyRedirect, {"pages": pages}), *handlers]


def serve(argv: list[str]) -> int:
    """Run :class:`SectorkitVoila` with ``argv`` (the ``voila`` command's arguments) until stopped.

    Sets ``SECTORKIT_STANDALONE`` for its kernels: no JupyterLab runs beside this server, so the
    home page does not link module notebooks into one.
    """
    os.environ.setdefault(STANDALONE_ENV, "1")
    SectorkitVoila.launch_instance(argv=argv)
    return 0
