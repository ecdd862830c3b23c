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
returns its widget between two navigation bars (home, its step, previous / next), or a plain
message if something is wrong. Without ``?sheet=`` it is the home page
(:class:`sectorkit.apps.home.HomePage`); ``?sheet=trainer`` is the trainer view
(:class:`sectorkit.serve.trainer.TrainerView`). A region named in the address that has no
workspace is never created: the page says so and links to the create form. The worksheet
notebooks from before the generic page are two-cell stubs that call ``sheet_page("<page id>")``.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from urllib.parse import parse_qs

import ipywidgets as W

from sectorkit.apps.access import AccessPage
from sectorkit.apps.base import HUB_USER_ENV
from sectorkit.apps.form import WorksheetApp, open_worksheet
from sectorkit.apps.home import HomePage
from sectorkit.apps.registry import module_of, neighbours, open_page, page_place, page_title
from sectorkit.core.errors import SectorkitError
from sectorkit.core.text import repair_text
from sectorkit.example import EXAMPLE_REGION
from sectorkit.serve.state import StateView
from sectorkit.serve.trainer import TrainerView
from sectorkit.serve.voila import is_temporary_server, lab_url, query_string, request_region
from sectorkit.store.workspace import validate_region_id, workspace_exists
from sectorkit.views.html import esc
from sectorkit.views.nav import home_href, nav_bar, views_bar
from sectorkit.workspaces.access import may_open, may_oversee

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
    """The generic page: ``sheet.ipynb?sheet=<page id>&region=<region id>``.

    Parameters
    ----------
    page_id : str, optional
        The page to show; default ``?sheet=`` from the request. Without one (or ``home``), the
        home page (:class:`sectorkit.apps.home.HomePage`, with ``?module=`` and ``?create=``);
        ``trainer`` is the trainer view (every region on this server), ``state`` the statewide view
        (``&state=OH``).
    region : str, optional
        The region; default ``?region=`` from the request (see
        :func:`sectorkit.serve.voila.request_region`).
    root : path, optional
        Workspace root folder (default ``SECTORKIT_HOME``).

    Returns
    -------
    ipywidgets.Widget
        The page's container between two navigation bars (home, its step, previous / next);
        or :func:`message_box` naming the problem, never a traceback: a bad region id, an unknown
        or malformed page id (the known pages listed), or a region with no workspace ("There is
        no workspace named ... Create it?", with a link to the create form; nothing is created).
        On a server that asks for access (``SECTORKIT_ACCESS=code`` or ``hub``, see
        :mod:`sectorkit.workspaces.access`), a region's pages and home page, the trainer view and the
        statewide view first check access (:func:`with_access`, :func:`trainers_only`): the access form
        or a message until it is granted, and nothing of the region is read or created before.

    >>> message = sheet_page("../x", region="somewhere").value
    >>> "Known pages:" in message and "step2-aar" in message
    True
    """
    try:
        query = parse_qs(query_string())  # waits for the request in a preheated kernel
        if page_id is None:
            page_id = (query.get("sheet") or [None])[0]
        region = validate_region_id(region) if region is not None else request_region()
        if not page_id or page_id == HOME:
            def show_home() -> W.Widget:
                return home_page(region, root, module=_first(query, "module"), create=_first(query, "create"))
            if region == EXAMPLE_REGION or workspace_exists(region, root):  # a region that exists: ask access
                return with_access(region, root, show_home)
            return show_home()  # no region to protect: the create form
        if page_id == TRAINER:
            return trainers_only(root, lambda: trainer_page(root))
        if page_id == STATE:
            return trainers_only(root, lambda: state_page(_first(query, "state"), root))
        title = page_title(page_id)  # an unknown page is named before the region is looked at
        if region != EXAMPLE_REGION and not workspace_exists(region, root):
            return no_workspace_box(region)
        options = {"topic": _first(query, "topic")} if page_id == FAQ and _first(query, "topic") else {}

        def show() -> W.Widget:  # only once access is granted: nothing of the region is opened before
            page = open_page(page_id, region, root, **options)
            return with_navigation(page.container, page_id, region, title, workspace=getattr(page, "workspace", None))
        return with_access(region, root, show)
    except SectorkitError as exc:
        return message_box(CANNOT_OPEN, str(exc))


HOME, TRAINER, STATE = "home", "trainer", "state"
CANNOT_ENTER = "You cannot open this region"


def _safely(build: Callable[[], W.Widget]) -> Callable[[], W.Widget]:
    def built() -> W.Widget:
        try:
            return build()
        except SectorkitError as exc:
            return message_box(CANNOT_OPEN, str(exc))
    return built


def with_access(region: str, root, build: Callable[[], W.Widget]) -> W.Widget:
    """``build()`` if this person may open ``region`` (:func:`sectorkit.workspaces.access.may_open`), else
    the access form (:class:`sectorkit.apps.access.AccessPage`, which calls ``build`` once the code is right)
    or a message (hub mode: "You are not a member of this region; ask its team or a trainer").

    In open mode (the default) this is ``build()``. Nothing of the region is opened before access is granted.
    """
    decision = may_open(region, root)
    if decision.allowed:
        return build()
    if not decision.ask_code:
        return message_box(CANNOT_ENTER, decision.message)
    return AccessPage(region, lambda **given: may_open(region, root, **given), _safely(build),
                      message=decision.message).view


def trainers_only(root, build: Callable[[], W.Widget]) -> W.Widget:
    """``build()`` for a trainer (:func:`sectorkit.workspaces.access.may_oversee`: the trainer code, a
    trainer pass, or a hub user in ``SECTORKIT_TRAINERS``), else the trainer code form or a message."""
    decision = may_oversee(root)
    if decision.allowed:
        return build()
    if not decision.ask_code:
        return message_box("This view is for trainers", decision.message)

    def check(code=None, token=None, trainer_token=None):
        return may_oversee(root, code=code, trainer_token=trainer_token)
    return AccessPage(None, check, _safely(build), message=decision.message).view
FAQ = "faq"  # the one page that reads an extra parameter: ?topic=<module id> (checked by the page)


def _first(query: dict, name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None


def no_workspace_box(region: str) -> W.HTML:
    """"There is no workspace named ..." with a link to the home page's create form (``region`` is a valid id)."""
    return W.HTML(value=(
        "<div role='alert' style='border-left:4px solid #9b1c1c;padding:0.6em 1em;max-width:46rem'>"
        f"<h1 style='font-size:1.3em;margin:0 0 0.3em'>There is no workspace named \u201c{esc(region)}\u201d</h1>"
        "<p style='margin:0 0 0.4em;line-height:1.45'>Nothing has been created. Check the spelling in the "
        "address, pick your region on the home page, or create this one.</p>"
        f"<p style='margin:0'><a href='{esc(home_href(create=region))}'>Create it?</a> \u00b7 "
        f"<a href='{esc(home_href())}'>Go to the home page</a></p></div>"
    ))


def navigation_html(page_id: str, region: str, *, bottom: bool = False) -> str:
    """The navigation bar for ``page_id``: home, its module, previous / next (titles escaped)."""
    part_of, _ = page_place(page_id)
    module = module_of(part_of)
    before, after = neighbours(page_id)
    return nav_bar(
        region,
        (module.id, module.title) if module else None,
        (before, page_title(before)) if before else None,
        (after, page_title(after)) if after else None,
        temporary=is_temporary_server() and not bottom,
        label="Previous and next worksheet" if bottom else "Worksheet navigation",
    )


def with_navigation(container: W.Widget, page_id: str, region: str, title: str | None = None, *,
                    workspace=None) -> W.Widget:
    """``container`` between the navigation bars (the bottom one says where to go next).

    With the page's ``workspace``, a "Name shown to your team" box comes first (not on a JupyterHub, where saves are
    the hub user's): see :func:`name_box`.
    """
    top = W.HTML(value=navigation_html(page_id, region))
    bottom = W.HTML(value=navigation_html(page_id, region, bottom=True))
    name = name_box(workspace) if workspace is not None and not os.environ.get(HUB_USER_ENV) else None
    return W.VBox([top, *([name] if name else []), container, bottom])


#: the longest name kept with a save
NAME_LIMIT = 60


def name_box(workspace) -> W.Text:
    """"Name shown to your team": who the page's saves are recorded under, shown to teammates with what they change.

    The browser remembers it (the template's remembered fields, key ``name``), so a person types it
    once; it sets ``workspace.author`` (trimmed, at most :data:`NAME_LIMIT` characters, broken
    characters repaired). Saves before a name is given are recorded without one.
    """
    box = W.Text(value=workspace.author or "", description="Name shown to your team with your changes",
                 placeholder="e.g. Ana Ruiz", continuous_update=False,
                 style={"description_width": "initial"}, layout=W.Layout(width="34rem", max_width="100%"))
    box.add_class("sk-remember")
    box.add_class("sk-key-name")

    def named(change: dict) -> None:
        text = repair_text(str(change["new"] or "")).strip()[:NAME_LIMIT]
        workspace.author = text or None

    box.observe(named, names="value")
    return box


def home_page(region: str, root=None, *, module: str | None = None, create: str | None = None) -> W.Widget:
    """The home page for ``region`` (see :class:`sectorkit.apps.home.HomePage`)."""
    return HomePage(region, root, module=module, create=create, temporary=is_temporary_server(),
                    lab_url=lab_url()).container


def trainer_page(root=None) -> W.Widget:
    """The trainer view: every region under ``root`` (see :mod:`sectorkit.serve.trainer`)."""
    return TrainerView(root, temporary=is_temporary_server()).container


def state_page(state: str | None = None, root=None) -> W.Widget:
    """The statewide view of ``state`` (``?sheet=state&state=OH``; see :mod:`sectorkit.serve.state`)."""
    page = StateView(state, root, temporary=is_temporary_server())
    return W.VBox([W.HTML(value=views_bar()), page.container])


def build_worksheet(spec_id: str, region: str | None = None) -> WorksheetApp:
    return open_worksheet(spec_id, region=region or request_region())


def worksheet_page(spec_id: str, region: str | None = None) -> W.Widget:
    """A spec worksheet's container, or a message explaining why it cannot open (see :func:`sheet_page`).

    On a server that asks for access (:mod:`sectorkit.workspaces.access`) the region's access is checked first.
    """
    try:
        region = validate_region_id(region) if region else request_region()
        return with_access(region, None, _safely(lambda: build_worksheet(spec_id, region).container))
    except SectorkitError as exc:
        return message_box(CANNOT_OPEN, str(exc))


def app_page(factory) -> W.Widget:
    """A custom app's page: ``factory(region)`` returns an object with ``.container``.

    The region comes from the request (see :func:`sectorkit.serve.voila.request_region`);
    a :class:`SectorkitError` becomes a readable message instead of a traceback. Access is checked first,
    as in :func:`sheet_page`.
    """
    try:
        region = request_region()
        return with_access(region, None, _safely(lambda: factory(region).container))
    except SectorkitError as exc:
        return message_box(CANNOT_OPEN, str(exc))
