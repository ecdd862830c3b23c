"""Helpers for worksheets served by Voila.

Voila can pre-run worksheet notebooks in a pool of kernels ("preheating") so a
page is interactive quickly. A preheated kernel ran *before* the request, so
anything that must be fresh (the region asked for, the answers saved since)
is read after :func:`request_region` returns, which waits for the request.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

from sectorkit.store.workspace import validate_region_id

DEFAULT_REGION_ENV = "SECTORKIT_REGION"


_received: str | None = None


def query_string() -> str:
    """The page's query string in Voila (waiting for the request if preheated); '' elsewhere.

    A kernel serves one page view, so the first answer is kept: asking Voila twice would wait
    for a second request that never comes.
    """
    global _received
    if os.environ.get("VOILA_PREHEAT") == "True" or "VOILA_KERNEL_ID" in os.environ:
        if _received is None:
            from voila.utils import get_query_string

            _received = get_query_string() or ""
        return _received
    return os.environ.get("QUERY_STRING", "")


def request_region(default: str | None = None) -> str:
    """The region a worksheet page is for.

    Order: ``?region=...`` in the page URL, then ``SECTORKIT_REGION``, then
    ``default``, then ``"example"``. The id is validated; a bad one raises
    :class:`~sectorkit.core.errors.InvalidRegionId` with a clear message.
    """
    values = parse_qs(query_string()).get("region")
    region = values[0] if values else os.environ.get(DEFAULT_REGION_ENV) or default or "example"
    return validate_region_id(region)


#: Set (to anything) when the server is temporary, if Binder's own variables are not there.
TEMPORARY_ENV = "SECTORKIT_TEMPORARY"
#: Set by ``sectorkit serve``: Voila runs on its own, with no JupyterLab beside it.
STANDALONE_ENV = "SECTORKIT_STANDALONE"
#: Overrides where JupyterLab is (``https://hub.example.org/user/ana/lab``); "" for none.
LAB_URL_ENV = "SECTORKIT_LAB_URL"
_BINDER_ENV = ("BINDER_LAUNCH_HOST", "BINDER_REPO_URL", "BINDER_REQUEST", "BINDER_REF_URL")


def is_temporary_server() -> bool:
    """True on Binder (its environment variables) or when ``SECTORKIT_TEMPORARY`` is set to 1/true/yes.

    >>> import os; os.environ[TEMPORARY_ENV] = "1"; is_temporary_server()
    True
    >>> os.environ[TEMPORARY_ENV] = "0"; is_temporary_server() in (True, False)
    True
    """
    flag = os.environ.get(TEMPORARY_ENV, "").strip().lower()
    if flag in ("1", "true", "yes"):
        return True
    if flag in ("0", "false", "no"):
        return False
    return any(os.environ.get(name) for name in _BINDER_ENV)


def lab_url() -> str | None:
    """Where JupyterLab is for module notebook links (``.../lab``), or None when there is none.

    ``SECTORKIT_LAB_URL`` wins; under ``sectorkit serve`` (standalone Voila) there is no JupyterLab;
    otherwise Voila runs inside a Jupyter server (Binder, a hub, ``jupyter lab``), whose base URL
    Voila gives its kernels as ``VOILA_BASE_URL``.
    """
    if LAB_URL_ENV in os.environ:
        return os.environ[LAB_URL_ENV].rstrip("/") or None
    if os.environ.get(STANDALONE_ENV):
        return None
    base = os.environ.get("VOILA_BASE_URL")
    if base is None:
        return None
    return base.rstrip("/") + "/lab"
