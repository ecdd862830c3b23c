"""Warm-up for the generic worksheet page while a preheated Voila kernel waits for its request.

``worksheets/sheet.ipynb`` runs :func:`warm` in its first cell, before the request arrives: every
page's module is imported (:func:`sectorkit.apps.registry.page_modules`), every spec is loaded
into the spec cache, and the LMI Review's example data are read. The request then only pays for
reading the region's answers and building the widgets, whichever page it asks for.

Nothing here may break a page: a spec that does not load is left for the page to report, and a
missing or failing data warm-up is skipped. A kernel that is not preheated (the pool was empty, or
Voila runs as a Jupyter server extension) already has its request: there :func:`warm` does
nothing, so the page pays only for what it uses.
"""

from __future__ import annotations

import importlib
import logging
import os

from sectorkit.apps.registry import page_modules
from sectorkit.core.errors import SectorkitError
from sectorkit.specs import available_specs, load_spec

__all__ = ["DATA_WARMERS", "preheating", "warm"]

log = logging.getLogger(__name__)

#: ``(module, function)`` pairs called with no arguments to read example data ahead of time.
#: ``views.figures.warm`` draws one chart: a process's first chart costs ~1 s more than the next
DATA_WARMERS: list[tuple[str, str]] = [("sectorkit.lmi.sources", "warm_example"), ("sectorkit.views.figures", "warm")]


def preheating() -> bool:
    """True in a kernel Voila started ahead of its request (one of the preheated pool)."""
    return os.environ.get("VOILA_PREHEAT") == "True"


def warm(*, always: bool = False) -> dict[str, int]:
    """Import every page's module, load every spec and run the data warmers; never raises.

    Parameters
    ----------
    always : bool
        Warm even in a kernel that is not preheated (by default only a preheated kernel warms).

    Returns
    -------
    dict
        ``skipped``: 1 if nothing was done (not preheated); ``modules``: page modules imported;
        ``specs``: specs loaded; ``spec_problems``: specs that did not load (each page says why
        when opened); ``data``: data warmers that ran; ``data_skipped``: warmers missing or failing.

    >>> warm()["skipped"]  # not in a preheated Voila kernel
    1
    >>> result = warm(always=True)
    >>> result["specs"] > 0 and result["spec_problems"] == 0
    True
    """
    result = {"skipped": 0, "modules": 0, "specs": 0, "spec_problems": 0, "data": 0, "data_skipped": 0}
    if not (always or preheating()):
        result["skipped"] = 1
        return result
    for module in page_modules():
        importlib.import_module(module)  # a page module that does not import is a bug: let it show
        result["modules"] += 1
    for spec_id in available_specs():
        try:
            load_spec(spec_id)
            result["specs"] += 1
        except SectorkitError:
            result["spec_problems"] += 1
    for module, name in DATA_WARMERS:
        try:
            getattr(importlib.import_module(module), name)()
            result["data"] += 1
        except Exception as exc:  # noqa: BLE001 - a warm-up is an optimisation: the page still opens without it
            log.info("warm-up %s.%s skipped: %s", module, name, exc)
            result["data_skipped"] += 1
    return result
