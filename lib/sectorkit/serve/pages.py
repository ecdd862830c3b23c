"""Worksheet pages: what a worksheet notebook shows in Voila.

Every worksheet is served by one generic notebook, ``worksheets/sheet.ipynb``::

    from sectorkit.serve.pages import sheet_page
    from sectorkit.serve.warm import warm
    warm()
    ---
    sheet_page()

The first cell does the heavy imports and loads every spec (run ahead of time by the one pool of
preheated Voila kernels); the second waits for the request, reads ``?sheet=<page id>`` and
``?region=<region id>``, opens the page through the registry (:mod:`sectorkit.apps.registry`) and
returns its widget, or a plain message if something is wrong. Without ``?sheet=`` it shows the
list of pages. The worksheet notebooks from before the generic page are two-cell stubs that call
``sheet_page("<page id>")``.
"""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlencode

import ipywidgets as W

from sectorkit.apps.form import WorksheetApp, open_worksheet
from sectorkit.apps.registry import GENERIC_NOTEBOOK, open_page, page_ids, page_title
from sectorkit.core.errors import SectorkitError
from sectorkit.example import open_region
from sectorkit.serve.voila import query_string, request_region
from sectorkit.store.workspace import validate_region_id

CANNOT_OPEN = "This worksheet cannot open"


def message_box(title: str, message: str) -> W.HTML:
    """A readable error panel (escaped text, announced to screen readers)."""
    return W.HTML(
        value=(
            "<div role='alert' style='border-left:4px solid #9b1c1c;padding:0.6em 1em;max-width:46rem'>"
            f"<h1 style='font-size:1.3em;margin:0 0 0.3em'>{html.escape(title)}</h1>"
            f"<p style='white-space:pre-wrap;margin:0'>{html.escape(message)}</p></div>"
        )
    )


def sheet_page(page_id: str | None = None, region: str | None = None, root=None) -> W.Widget:
    """The generic worksheet page: ``sheet.ipynb?sheet=<page id>&region=<region id>``.

    Parameters
    ----------
    page_id : str, optional
        The page to show; default ``?sheet=`` from the request. With neither, the list of
        pages (:func:`front_door`).
    region : str, optional
        The region; default ``?region=`` from the request (see
        :func:`sectorkit.serve.voila.request_region`).
    root : path, optional
        Workspace root folder (default ``SECTORKIT_HOME``).

    Returns
    -------
    ipywidgets.Widget
        The page's container; or :func:`message_box` naming the problem (a bad region id, an
        unknown or malformed page id, with the known pages listed), never a traceback.

    >>> message = sheet_page("../x", region="somewhere").value
    >>> "Known pages:" in message and "step2-aar" in message
    True
    """
    try:
        if page_id is None:
            values = parse_qs(query_string()).get("sheet")  # waits for the request in a preheated kernel
            page_id = values[0] if values else None
        region = validate_region_id(region) if region is not None else request_region()
        if not page_id:
            return front_door(region, root)
        return open_page(page_id, region, root).container
    except SectorkitError as exc:
        return message_box(CANNOT_OPEN, str(exc))


def front_door(region: str, root=None) -> W.HTML:
    """The list of every page as links for ``region`` (titles escaped), with each one's last save.

    Opens (creating if new) the region's workspace to show its name.
    """
    with open_region(region, root) as ws:
        name = ws.name
        items = []
        for pid in page_ids():
            href = f"{GENERIC_NOTEBOOK}?{urlencode({'sheet': pid, 'region': region})}"
            saved = ws.last_saved(pid)
            note = f" <span style='color:#444'>(last saved {html.escape(saved[:16].replace('T', ' '))} UTC)</span>" \
                if saved else ""
            items.append(f"<li><a href='{html.escape(href, quote=True)}'>{html.escape(page_title(pid))}</a>{note}</li>")
    return W.HTML(value=(
        "<div style='max-width:46rem;padding:0 1rem'>"
        "<h1 style='font-size:1.6em;margin:0.4em 0;line-height:1.3'>Worksheets</h1>"
        f"<p style='line-height:1.45'>Region: <strong>{html.escape(name)}</strong></p>"
        "<nav aria-label='Worksheets'><ul style='line-height:1.7'>" + "".join(items) + "</ul></nav></div>"
    ))


def build_worksheet(spec_id: str, region: str | None = None) -> WorksheetApp:
    return open_worksheet(spec_id, region=region or request_region())


def worksheet_page(spec_id: str, region: str | None = None) -> W.Widget:
    """A spec worksheet's container, or a message explaining why it cannot open (see :func:`sheet_page`)."""
    try:
        return build_worksheet(spec_id, region).container
    except SectorkitError as exc:
        return message_box(CANNOT_OPEN, str(exc))


def app_page(factory) -> W.Widget:
    """A custom app's page: ``factory(region)`` returns an object with ``.container``.

    The region comes from the request (see :func:`sectorkit.serve.voila.request_region`);
    a :class:`SectorkitError` becomes a readable message instead of a traceback.
    """
    try:
        return factory(request_region()).container
    except SectorkitError as exc:
        return message_box(CANNOT_OPEN, str(exc))
