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
