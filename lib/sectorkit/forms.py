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
>>> from sectorkit.workspace import Workspace
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
import math
from datetime import datetime
from typing import Any, Callable

import ipywidgets as W
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from sectorkit.errors import SectorkitError
from sectorkit.specs import Question, WorksheetSpec, load_spec
from sectorkit.ui import illustrative_note
from sectorkit.workspace import Workspace

class Shared:
    """Layout and style models shared by all widgets of one app.

    Every ipywidget otherwise brings its own Layout and Style model, and the
    browser must fetch each from the kernel before the page is interactive;
    sharing them cuts the models a worksheet sends by about two thirds.
    """

    def __init__(self) -> None:
        self.full = W.Layout(width="100%", max_width="46rem")
        self.auto = W.Layout(width="auto")
        self.block = W.Layout()
        # The visible question is the HTML header above the input; the input
        # keeps the same text as its <label for=...> at zero width, so screen
        # readers announce the question when the input takes focus.
        self.hidden_label = TextStyle(description_width="0px")
        self.area_label = TextStyle(description_width="0px")
        self.html = HTMLStyle()
        self.check = CheckboxStyle()
        self.radio = DescriptionStyle()


def _p(text: str | None, cls: str = "") -> str:
    if not text:
        return ""
    return f'<p class="{cls}" style="margin:0.2em 0;line-height:1.45">{html.escape(text)}</p>'


def html_widget(shared: Shared, value: str = "") -> W.HTML:
    return W.HTML(value=value, layout=shared.block, style=shared.html)


class Field:
    """One question: an HTML header (question, help, error) and its input widgets."""

    input: W.DOMWidget

    def __init__(self, question: Question, spec: WorksheetSpec, shared: Shared):
        self.question = question
        self.spec = spec
        self.shared = shared
        self.error_message: str | None = None
        self.header = html_widget(shared, self._header_html())
        self._callback: Callable[["Field"], None] | None = None

    def _header_html(self) -> str:
        q = self.question
        text = f'<div style="font-weight:600;margin-top:0.9em;line-height:1.45">{html.escape(q.label)}</div>'
        text += _p(q.help, "sk-help")
        if self.error_message:
            text += (
                '<div role="alert" style="color:#9b1c1c;font-weight:600;line-height:1.45">'
                f"{html.escape(self.error_message)}</div>"
            )
        return text

    def widgets(self) -> list[W.Widget]:
        """The widgets to lay out, in order."""
        return [self.header, self.input]

    # value conversion: widget <-> stored JSON value
    def get(self) -> Any:
        return self.input.value

    def set(self, value: Any) -> None:
        self.input.value = value

    def empty(self) -> Any:
        return ""

    def validate(self, value: Any) -> str | None:
        """Return a message if ``value`` cannot be saved, else None."""
        return None

    def on_change(self, callback: Callable[["Field"], None]) -> None:
        self._callback = callback
        self.input.observe(self._changed, names="value")

    def _changed(self, change: dict) -> None:
        if self._callback is not None:
            self._callback(self)

    def show_error(self, message: str | None) -> None:
        if message != self.error_message:
            self.error_message = message
            self.header.value = self._header_html()


class TextField(Field):
    def __init__(self, question, spec, shared, long: bool = False):
        super().__init__(question, spec, shared)
        if long:
            self.input = W.Textarea(value="", description=question.label, continuous_update=True, rows=4,
                                    style=shared.area_label, layout=shared.full)
        else:
            self.input = W.Text(value="", description=question.label, continuous_update=True,
                                style=shared.hidden_label, layout=shared.full)

    def set(self, value: Any) -> None:
        self.input.value = "" if value is None else str(value)

    def validate(self, value: Any) -> str | None:
        if len(value) > self.question.max_length:
            return f"This answer is {len(value):,} characters long; the limit is {self.question.max_length:,}. It was not saved."
        return None


class NumberField(TextField):
    """A number typed as text, so a bad entry can be explained instead of refused silently."""

    def get(self) -> Any:
        raw = self.input.value.strip().replace(",", "")
        if raw == "":
            return None
        try:
            number = float(raw)
        except ValueError:
            return raw  # validate() explains
        return int(number) if number.is_integer() and abs(number) < 2**53 else number

    def empty(self) -> Any:
        return None

    def validate(self, value: Any) -> str | None:
        if isinstance(value, str) or (isinstance(value, float) and not math.isfinite(value)):
            return f"'{self.input.value.strip()}' is not a number. Type digits only, for example 1250 or 12.5. It was not saved."
        return None


class ChoiceField(Field):
    """Pick one option (or one point of a rating scale) from radio buttons."""

    def __init__(self, question, spec, shared):
        super().__init__(question, spec, shared)
        self.options = spec.options_for(question)
        labels = []
        for opt in self.options:
            label = opt.label
            if question.type == "scale":
                if opt.value == str(question.min) and question.min_label:
                    label = f"{label} ({question.min_label})"
                if opt.value == str(question.max) and question.max_label:
                    label = f"{label} ({question.max_label})"
            labels.append(label)
        self._by_label = dict(zip(labels, (o.value for o in self.options)))
        self._by_value = {v: k for k, v in self._by_label.items()}
        # Each radio is labelled by its option; the question is the header just above.
        self.input = W.RadioButtons(options=labels, value=None, layout=shared.auto, style=shared.radio)

    def get(self) -> Any:
        value = self._by_label.get(self.input.value) if self.input.value is not None else None
        if value is not None and self.question.type == "scale":
            return int(value)
        return value

    def set(self, value: Any) -> None:
        self.input.value = self._by_value.get(str(value)) if value is not None else None

    def empty(self) -> Any:
        return None


class MultiField(Field):
    """Several checkboxes; the stored value is the list of ticked option values."""

    def __init__(self, question, spec, shared):
        super().__init__(question, spec, shared)
        self.options = spec.options_for(question)
        self.boxes = [
            W.Checkbox(value=False, description=o.label, indent=False, layout=shared.auto, style=shared.check)
            for o in self.options
        ]
        self._setting = False

    def widgets(self) -> list[W.Widget]:
        return [self.header, *self.boxes]

    def get(self) -> Any:
        return [o.value for o, b in zip(self.options, self.boxes) if b.value]

    def set(self, value: Any) -> None:
        chosen = set(value or [])
        self._setting = True
        try:
            for opt, box in zip(self.options, self.boxes):
                box.value = opt.value in chosen
        finally:
            self._setting = False

    def empty(self) -> Any:
        return []

    def on_change(self, callback: Callable[["Field"], None]) -> None:
        self._callback = callback
        for box in self.boxes:
            box.observe(self._box_changed, names="value")

    def _box_changed(self, change: dict) -> None:
        if not self._setting:
            self._changed(change)


FIELD_TYPES: dict[str, Callable[..., Field]] = {
    "text": TextField,
    "long_text": lambda q, s, sh: TextField(q, s, sh, long=True),
    "number": NumberField,
    "choice": ChoiceField,
    "scale": ChoiceField,
    "multi": MultiField,
    "checklist": MultiField,
}


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
