"""The worksheet engine: one class renders any spec as ipywidgets and saves as you type.

Every question type maps to one small field class; :class:`WorksheetApp` lays
the fields out by section, loads the saved answers from the region's
workspace, and saves each change in its own transaction the moment the widget
value changes (text fields sync on every keystroke). A status line says when
the last save happened, or what went wrong, in words.

The app follows the Voila example-app pattern: widgets are built in
``__init__``, handlers are wired with ``observe(..., names="value")`` and the
one public view is ``.container``; it is unit-testable without a browser:

>>> import tempfile
>>> from sectorkit.specs import parse_spec
>>> from sectorkit.store.workspace import Workspace
>>> spec = parse_spec({"id": "demo", "version": 1, "title": "Demo", "sections": [
...     {"id": "s", "title": "S", "questions": [
...         {"id": "q", "type": "text", "label": "Which counties?"}]}]})
>>> ws = Workspace.open("demo-region", root=tempfile.mkdtemp())
>>> app = WorksheetApp(spec, ws)
>>> app.fields["q"].input.value = "Franklin and Delaware"
>>> ws.answers("demo")
{'q': 'Franklin and Delaware'}
>>> app.status_text().startswith("Saved")
True
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any, Callable

import ipywidgets as W

from sectorkit.apps.fields import (  # noqa: F401  (re-exported: the field API)
    FIELD_TYPES,
    ChoiceField,
    Field,
    MultiField,
    NumberField,
    Shared,
    TextField,
    _p,
    html_widget,
)
from sectorkit.core.errors import SectorkitError
from sectorkit.specs import WorksheetSpec, load_spec
from sectorkit.store.workspace import Workspace
from sectorkit.views.html import illustrative_note


class WorksheetApp:
    """A worksheet rendered from its spec and bound to a region's workspace.

    Parameters
    ----------
    spec : WorksheetSpec
        The validated spec (see :mod:`sectorkit.specs`).
    workspace : Workspace
        Where answers load from and save to.
    key : str, optional
        The answers' key in the workspace (default: the spec id).
    header : bool
        Show the title, region and intro (False when an outer app shows them).
    """

    def __init__(self, spec: WorksheetSpec, workspace: Workspace, key: str | None = None, header: bool = True):
        self.spec = spec
        self.workspace = workspace
        #: where the answers live in the workspace: the spec id, or e.g. one respondent's
        #: response to an assessment round (``sustainability/2026-q4/ana``)
        self.key = key or spec.id
        #: callables run after each successful save, e.g. to refresh a progress view
        self.on_saved: list[Callable[["WorksheetApp"], None]] = []
        self.fields: dict[str, Field] = {}
        self._loading = False
        self._last_saved: str | None = None
        self._last_error: str | None = None

        shared = Shared()
        self.status = html_widget(shared)
        items: list[W.Widget] = []
        for section in spec.sections:
            items.append(html_widget(
                shared,
                f"<h2 style='font-size:1.25em;margin:1.2em 0 0.2em;line-height:1.3'>{html.escape(section.title)}</h2>"
                f"{_p(section.intro)}",
            ))
            for q in section.questions:
                field = FIELD_TYPES[q.type](q, spec, shared)
                field.on_change(self._save_field)
                self.fields[q.id] = field
                items.extend(field.widgets())

        self.show_header = header
        self.header = html_widget(shared, self._header_html() if header else "")
        self.progress = html_widget(shared)
        self.container = W.VBox(
            [self.header, self.status, *items, self.progress, html_widget(shared, _p(spec.attribution, "sk-attribution"))],
            layout=W.Layout(max_width="50rem", padding="0 1rem 2rem 1rem"),
        )
        self.load()

    # -- header and status -------------------------------------------------
    def _header_html(self) -> str:
        ws = self.workspace
        region = html.escape(ws.name)
        badge = ""
        if ws.illustrative:
            badge = illustrative_note()
        return (
            f"<h1 style='font-size:1.6em;margin:0.4em 0;line-height:1.3'>{html.escape(self.spec.title)}</h1>"
            f"<p style='margin:0.2em 0;line-height:1.45'>Region: <strong>{region}</strong></p>{badge}{_p(self.spec.intro)}"
        )

    def status_text(self) -> str:
        if self._last_error:
            return f"Not saved: {self._last_error}"
        if self._last_saved:
            return f"Saved at {self._last_saved}. Answers save as you type."
        return "Answers save as you type."

    def _render_status(self) -> None:
        color = "#9b1c1c" if self._last_error else "#1d5e20"
        self.status.value = (
            f'<div role="status" aria-live="polite" style="color:{color};font-weight:600;margin:0.3em 0">'
            f"{html.escape(self.status_text())}</div>"
        )

    def _render_progress(self) -> None:
        answered = sum(1 for f in self.fields.values() if f.get() not in (None, "", []))
        self.progress.value = (
            f"<p style='margin-top:1.2em'>{answered} of {len(self.fields)} questions answered.</p>"
        )

    # -- load and save -----------------------------------------------------
    def load(self) -> None:
        """(Re)load every field from the workspace."""
        saved = self.workspace.answers(self.key)
        self._loading = True
        try:
            for qid, field in self.fields.items():
                field.set(saved.get(qid, field.empty()))
                field.show_error(None)
        finally:
            self._loading = False
        stamp = self.workspace.last_saved(self.key)
        self._last_saved = _local_time(stamp) if stamp else None
        self._last_error = None
        self._render_status()
        self._render_progress()

    def _save_field(self, field: Field) -> None:
        if self._loading:
            return
        value = field.get()
        problem = field.validate(value)
        field.show_error(problem)
        if problem:
            self._last_error = f"{field.question.label} {problem}"
            self._render_status()
            return
        try:
            stamp = self.workspace.save_answer(self.key, field.question.id, value)
        except SectorkitError as exc:
            self._last_error = str(exc)
        except Exception as exc:  # a disk or database failure: say so, keep the widget value
            self._last_error = f"the workspace could not be written ({exc.__class__.__name__}: {exc}). Your text is still in the box; try again."
        else:
            self._last_saved = _local_time(stamp)
            self._last_error = None
            for callback in self.on_saved:
                callback(self)
        self._render_status()
        self._render_progress()

    def answers(self) -> dict[str, Any]:
        """The answers as currently shown in the widgets."""
        return {qid: f.get() for qid, f in self.fields.items()}

    def switch_region(self, workspace: Workspace) -> None:
        """Show another region's answers in the same form."""
        self.workspace = workspace
        if self.show_header:
            self.header.value = self._header_html()
        self.load()


def _local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%H:%M:%S on %d %b %Y")
    except ValueError:
        return iso


def open_worksheet(spec_id: str, region: str = "example", root=None) -> WorksheetApp:
    """Build the worksheet app for ``spec_id`` bound to ``region``'s workspace."""
    from sectorkit.example import open_region

    return WorksheetApp(load_spec(spec_id), open_region(region, root))
