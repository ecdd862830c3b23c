"""Worksheet pages: what a worksheet notebook shows in Voila.

A worksheet notebook is two cells::

    from sectorkit.serve.pages import worksheet_page
    worksheet_page("step2-aar")

The first cell does the heavy imports (run ahead of time by a preheated Voila
kernel); the second waits for the request, reads ``?region=`` and the saved
answers, and returns the form, or a plain message if something is wrong.
"""

from __future__ import annotations

import html

import ipywidgets as W

from sectorkit.core.errors import SectorkitError
from sectorkit.apps.form import WorksheetApp, open_worksheet
from sectorkit.specs import available_specs, load_spec


def message_box(title: str, message: str) -> W.HTML:
    """A readable error panel (escaped text, announced to screen readers)."""
    return W.HTML(
        value=(
            "<div role='alert' style='border-left:4px solid #9b1c1c;padding:0.6em 1em;max-width:46rem'>"
            f"<h1 style='font-size:1.3em;margin:0 0 0.3em'>{html.escape(title)}</h1>"
            f"<p style='white-space:pre-wrap;margin:0'>{html.escape(message)}</p></div>"
        )
    )


def build_worksheet(spec_id: str, region: str | None = None) -> WorksheetApp:
    from sectorkit.serve.voila import request_region

    return open_worksheet(spec_id, region=region or request_region())


def worksheet_page(spec_id: str, region: str | None = None) -> W.Widget:
    """The worksheet's container, or a message explaining why it cannot open."""
    try:
        return build_worksheet(spec_id, region).container
    except SectorkitError as exc:
        return message_box("This worksheet cannot open", str(exc))


def app_page(factory) -> W.Widget:
    """A custom app's page: ``factory(region)`` returns an object with ``.container``.

    The region comes from the request (see :func:`sectorkit.serve.voila.request_region`);
    a :class:`SectorkitError` becomes a readable message instead of a traceback.
    """
    from sectorkit.serve.voila import request_region

    try:
        return factory(request_region()).container
    except SectorkitError as exc:
        return message_box("This worksheet cannot open", str(exc))


# Warm the spec cache while a preheated kernel waits for its request.
for _spec_id in available_specs():
    try:
        load_spec(_spec_id)
    except SectorkitError:
        pass
