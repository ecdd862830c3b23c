"""The base of every worksheet page: header, status line, shared styles, guarded handlers.

A page is a class in the Voila example-app pattern: widgets are built in ``__init__``, handlers
are wired with ``observe(..., names="value")`` or ``on_click``, and the one public view is
``.container``. :class:`WorksheetPage` owns what every page repeats:

- the **header**: title, region name, the illustrative-region notice, intro; and the
  **attribution** footer. All of it is plain text, escaped here;
- the **status line** (``role="status"``, ``aria-live="polite"``), set by :meth:`~WorksheetPage.saved`,
  :meth:`~WorksheetPage.failed` and :meth:`~WorksheetPage.say`, read back by
  :meth:`~WorksheetPage.status_text`;
- one :class:`~sectorkit.apps.styles.Styles` (``self.styles``) shared by all the page's widgets;
- :meth:`~WorksheetPage.loading`, a context manager: while it is open, handlers that check
  :attr:`~WorksheetPage.is_loading` do not save (use it whenever code, not a person, sets widget values);
- :func:`guarded` / :meth:`WorksheetPage.guarded`: **any** exception a handler raises becomes a
  message in the status line and a log line on the ``sectorkit`` logger, never a traceback or a
  silent dead button;
- :meth:`~WorksheetPage.for_region`, the factory a Voila page calls with the requested region.

A subclass sets ``title`` (and optionally ``intro``, ``attribution``, ``save_hint``) and
implements :meth:`~WorksheetPage.build`, which returns the body's widgets:

>>> import tempfile
>>> import ipywidgets as W
>>> from sectorkit.store.workspace import Workspace
>>> class Notes(WorksheetPage):
...     title = "Notes <draft>"
...     def build(self):
...         self.note = W.Text(description="Note", style=self.styles.hidden_label)
...         self.note.observe(self.save_note, names="value")
...         return [self.note]
...     @guarded("saving the note")
...     def save_note(self, change):
...         if not self.is_loading:
...             self.saved(at=self.workspace.put_record("note", "one", {"text": self.note.value}))
>>> page = Notes(Workspace.open("demo-region", root=tempfile.mkdtemp()))
>>> "Notes &lt;draft&gt;" in page.header.value
True
>>> page.note.value = "first"
>>> page.status_text().startswith("Saved at")
True
>>> with page.loading():
...     page.note.value = "not saved"
>>> page.workspace.records("note")["one"]["text"]
'first'
"""

from __future__ import annotations

import contextlib
import functools
import html
import logging
import os
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import ipywidgets as W

from sectorkit.apps.live import LiveSync, describe_change
from sectorkit.apps.styles import Styles
from sectorkit.core.clock import local_time
from sectorkit.core.errors import SectorkitError
from sectorkit.example import open_region
from sectorkit.store.backends import DatabaseError
from sectorkit.store.workspace import Change, Workspace
from sectorkit.views.html import illustrative_note

__all__ = ["LOG", "WorksheetPage", "guarded", "local_time"]

#: every page logs handler failures here (with the traceback for unexpected ones)
LOG = logging.getLogger("sectorkit")

OK_COLOR = "#1d5e20"
ERROR_COLOR = "#9b1c1c"
P_STYLE = "margin:0.2em 0;line-height:1.45"
DEFAULT_KEEP = "What you typed is still on the page."

F = TypeVar("F", bound=Callable[..., Any])

#: set by JupyterHub in a user's server: the person every save there is recorded under
HUB_USER_ENV = "JUPYTERHUB_USER"


def _p(text: str | None, cls: str = "", style: str = P_STYLE) -> str:
    if not text:
        return ""
    klass = f' class="{cls}"' if cls else ""
    return f'<p{klass} style="{style}">{html.escape(text)}</p>'


def guarded(action: str | F | None = None, *, keep: str = DEFAULT_KEEP, lead: str = "Not saved") -> Any:
    """Decorate a :class:`WorksheetPage` method so nothing it raises escapes into the page.

    Use it on every method a button or an observer calls, directly or through a lambda.
    ``@guarded("adding the organization")`` or bare ``@guarded`` (the action is then the
    method's name in words). What a failure shows is described in :meth:`WorksheetPage.show_exception`;
    the method then returns None.

    Parameters
    ----------
    action : str
        What the handler does, as the end of "Something went wrong while ...".
    keep : str
        What is still true for the user after an unexpected failure (e.g. "Your text is still in the box.").
    lead : str
        The status line's prefix for a user-fixable :class:`SectorkitError` ("" for none).
    """
    if callable(action):  # bare @guarded
        return guarded(None)(action)

    def decorate(method: F) -> F:
        what = action or method.__name__.strip("_").replace("_", " ")

        @functools.wraps(method)
        def wrapper(self: WorksheetPage, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - every failure becomes a message
                self.show_exception(exc, what, keep=keep, lead=lead)
                return None

        return wrapper  # type: ignore[return-value]

    return decorate


class WorksheetPage:
    """A worksheet page bound to one region's workspace (see the module docstring).

    Parameters
    ----------
    workspace : Workspace
        Where the page loads from and saves to.
    header : bool
        Show the title, region, notice and intro (False when an outer page shows them).

    Attributes
    ----------
    container : ipywidgets.VBox
        The one public view: header, status line, the body from :meth:`build`, attribution.
    header, status, footer : ipywidgets.HTML
        The parts the base owns.
    styles : Styles
        The page's shared Layout and Style models.
    """

    #: plain text; a subclass sets these (class attributes or properties)
    title: str = ""
    intro: str | None = None
    attribution: str | None = None
    #: the detail of the illustrative-region notice (None: the default detail)
    illustrative_detail: str | None = None
    #: the status line before anything is saved, and after "Saved at ..." when nothing else is said
    save_hint: str = "Changes save as you make them."
    max_width: str = "50rem"
    #: CSS class of the container (``sk-page`` is always added)
    page_class: str | None = None

    def __init__(self, workspace: Workspace, *, header: bool = True):
        self.workspace = workspace
        if workspace is not None and workspace.author is None and os.environ.get(HUB_USER_ENV):
            workspace.author = os.environ[HUB_USER_ENV]  # on a JupyterHub, saves are the hub user's
        self.styles = Styles()
        self.show_header = header
        self._loading_depth = 0
        self._status_message = self.save_hint
        self._status_error = False
        self.header = self.html_widget(self.header_html() if header else "")
        self.status = self.html_widget()
        #: who else changed what in this region while the page was open (a polite live region)
        self.team_line = self.html_widget()
        self._team_notes: list[str] = []
        self.footer = self.html_widget(self.footer_html())
        body = list(self.build())
        top = [self.header] + ([] if any(w is self.status for w in body) else [self.status])
        if header:
            top.append(self.team_line)
        self.container = W.VBox([*top, *body, self.footer],
                                layout=W.Layout(max_width=self.max_width, padding="0 1rem 2rem 1rem"))
        self.container.add_class("sk-page")
        if self.page_class:
            self.container.add_class(self.page_class)
        self._render_status()
        #: teammates' saves reach the page through this (polled on the kernel's loop; ``live.poll()`` in tests)
        self.live: LiveSync | None = None  # None: a page of no one region (home, trainer, statewide)
        if isinstance(workspace, Workspace):
            self.live = LiveSync(workspace, self.guarded(self.apply_changes, "showing your team's changes", keep=""))
            self.live.start()
            self.container.on_msg(self._page_message)

    def _page_message(self, _widget: W.Widget, content: Any, _buffers: Any) -> None:
        """A message from the page's browser: ``{"event": "leaving"}`` (sectorkit's Voila template sends it
        as the page unloads, after the changes still held in the browser)."""
        if isinstance(content, dict) and content.get("event") == "leaving":
            self.left()

    def left(self) -> None:
        """The page's browser has gone (closed, reloaded, navigated away): stop looking for teammates' changes.

        Its kernel may live on a little (until the server's grace period ends it). Polling on would
        waste CPU, and a page nobody looks at must not act for its person: a field it last typed in
        would still count as "being typed in" and make a teammate's change (or the same person's
        edit on the reloaded page) look like a conflict.
        """
        if self.live is not None:
            self.live.stop()

    # -- teammates' changes ------------------------------------------------------------------
    def apply_changes(self, changes: list[Change]) -> None:
        """Show other pages' saves (oldest first) in the team line: who changed what, and when.

        A page that shows data that can change under it overrides this to refresh that data (the
        spec form refreshes its answers and rows) and then calls ``super().apply_changes(changes)``.
        An embedded page (``header=False``) shows no team line; its outer page does.
        """
        if not self.show_header:
            return
        for change in changes:
            note = self.describe_change(change)
            if note and note not in self._team_notes[-1:]:
                self._team_notes.append(note)
        self._team_notes = self._team_notes[-3:]
        items = "".join(f"<li>{html.escape(n)}</li>" for n in self._team_notes)
        self.team_line.value = (
            "<div role='status' aria-live='polite' style='margin:0.2em 0;color:#333;line-height:1.45'>"
            f"<strong>Your team, while this page is open:</strong><ul style='margin:0.1em 0 0 1.2em;padding:0'>"
            f"{items}</ul></div>"
        )

    def describe_change(self, change: Change) -> str | None:
        """One teammate's change in words (see :func:`sectorkit.apps.live.describe_change`)."""
        return describe_change(change)

    def team_notes(self) -> list[str]:
        """The team line's notes, oldest first (plain text; tests read them)."""
        return list(self._team_notes)

    # -- what a subclass provides ------------------------------------------------------------
    def build(self) -> list[W.Widget]:
        """Make the body's widgets and wire their handlers; return them in page order.

        The body may include ``self.status`` to place the status line itself (by default it
        sits under the header).
        """
        return []

    @classmethod
    def for_region(cls, region: str = "example", root=None, **options: Any) -> WorksheetPage:
        """Open ``region``'s workspace (the illustrative one for ``"example"``) and build the page.

        ``options`` go to :meth:`from_workspace` (e.g. ``spec="step2-aar"`` for a spec-driven page).
        Raises :class:`~sectorkit.core.errors.WorkspaceError` for a bad region id.
        """
        return cls.from_workspace(open_region(region, root), **options)

    @classmethod
    def from_workspace(cls, workspace: Workspace, **options: Any) -> WorksheetPage:
        """Build the page on an open workspace (a subclass with other arguments overrides this)."""
        return cls(workspace, **options)

    # -- header and footer -------------------------------------------------------------------
    def header_html(self) -> str:
        """Title, region, the illustrative notice and the intro, every piece of text escaped."""
        ws = self.workspace
        notice = ""
        if ws.illustrative:
            notice = illustrative_note(self.illustrative_detail) if self.illustrative_detail else illustrative_note()
        return (
            f"<h1 style='font-size:1.6em;margin:0.4em 0;line-height:1.3'>{html.escape(self.title)}</h1>"
            f"<p style='{P_STYLE}'>Region: <strong>{html.escape(ws.name)}</strong></p>"
            f"{notice}{_p(self.intro)}"
        )

    def footer_html(self) -> str:
        return _p(self.attribution, "sk-attribution", "color:#444;font-size:0.9em;margin-top:1.5em;line-height:1.45")

    def refresh_header(self) -> None:
        """Redraw the header (after ``self.workspace`` changed)."""
        if self.show_header:
            self.header.value = self.header_html()

    def html_widget(self, value: str = "") -> W.HTML:
        """An HTML widget on the page's shared layout and style (``value`` must already be safe HTML)."""
        return W.HTML(value=value, layout=self.styles.block, style=self.styles.html)

    # -- status line -------------------------------------------------------------------------
    def status_text(self) -> str:
        """What the status line says, as plain text."""
        return self._status_message

    def saved(self, what: str | None = None, at: str | None = None) -> None:
        """Say that a save worked: "Saved at <time>: <what>" (or "Saved at <time>. <save_hint>").

        ``at`` is the workspace's ISO timestamp of the save (default: now).
        """
        when = local_time(at)
        self._set_status(f"Saved at {when}: {what}" if what else f"Saved at {when}. {self.save_hint}", error=False)

    def failed(self, why: str, lead: str = "Not saved") -> None:
        """Say that something did not work: "Not saved: <why>" (no prefix with ``lead=""``)."""
        self._set_status(f"{lead}: {why}" if lead else why, error=True)

    def say(self, text: str | None = None) -> None:
        """Say something neutral (default: the page's ``save_hint``)."""
        self._set_status(text if text is not None else self.save_hint, error=False)

    @property
    def status_is_error(self) -> bool:
        return self._status_error

    def _set_status(self, text: str, error: bool) -> None:
        self._status_message, self._status_error = text, error
        self._render_status()

    def _render_status(self) -> None:
        color = ERROR_COLOR if self._status_error else OK_COLOR
        self.status.value = (
            f'<div role="status" aria-live="polite" style="color:{color};font-weight:600;margin:0.3em 0;'
            'line-height:1.45">'
            f"{html.escape(self._status_message)}</div>"
        )

    # -- handlers ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def loading(self) -> Iterator[None]:
        """While open, :attr:`is_loading` is True, so handlers do not save what code sets (nests)."""
        self._loading_depth += 1
        try:
            yield
        finally:
            self._loading_depth -= 1

    @property
    def is_loading(self) -> bool:
        return self._loading_depth > 0

    def guarded(self, handler: Callable[..., Any], action: str | None = None, *, keep: str = DEFAULT_KEEP,
                lead: str = "Not saved") -> Callable[..., Any]:
        """Wrap ``handler`` (any callable, e.g. for ``on_click``) like the :func:`guarded` decorator.

        >>> import tempfile
        >>> from sectorkit.store.workspace import Workspace
        >>> page = WorksheetPage(Workspace.open("demo-region", root=tempfile.mkdtemp()))
        >>> def boom(button): raise RuntimeError("disk on fire")
        >>> page.guarded(boom, "loading the files")(None)
        >>> page.status_text()
        'Something went wrong while loading the files: RuntimeError: disk on fire. What you typed is still on the page.'
        """
        what = action or getattr(handler, "__name__", "handling that").strip("_").replace("_", " ")

        @functools.wraps(handler)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return handler(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - every failure becomes a message
                self.show_exception(exc, what, keep=keep, lead=lead)
                return None

        return wrapper

    def show_exception(self, exc: BaseException, action: str, keep: str = DEFAULT_KEEP,
                       lead: str = "Not saved") -> None:
        """Put ``exc`` in the status line and the log, in words a participant can act on.

        - a :class:`SectorkitError` (user-fixable) shows its own text after ``lead``, logged at INFO;
        - a database error: "Not saved: the workspace could not be written (<type>: <message>). <keep>";
        - anything else: "Something went wrong while <action>: <type>: <message>. <keep>".

        The last two are logged at ERROR with the traceback.
        """
        region = getattr(self.workspace, "region", "?")
        if isinstance(exc, SectorkitError):
            LOG.info("%s on region %s: %s failed: %s", type(self).__name__, region, action, exc)
            self.failed(str(exc), lead=lead)
            return
        LOG.error("%s on region %s: %s failed", type(self).__name__, region, action, exc_info=exc)
        detail = f"{type(exc).__name__}: {str(exc).rstrip('.')}"
        if isinstance(exc, DatabaseError):
            self.failed(f"the workspace could not be written ({detail}). {keep}".strip(), lead=lead or "Not saved")
        else:
            self.failed(f"Something went wrong while {action}: {detail}. {keep}".strip(), lead="")


class SpecHeader:
    """Mixin for a page whose header comes from ``self.spec`` (a :class:`~sectorkit.specs.WorksheetSpec`):
    title, intro and attribution are the spec's. Used by the form engine and by spec-built pages."""

    spec: Any

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def intro(self) -> str | None:
        return self.spec.intro

    @property
    def attribution(self) -> str | None:
        return self.spec.attribution

