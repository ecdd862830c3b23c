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

from sectorkit.errors import SectorkitError
from sectorkit.specs import Question, WorksheetSpec, load_spec
from sectorkit.workspace import Workspace

FULL = W.Layout(width="100%", max_width="46rem")
# The visible question text is an HTML block that wraps; the input keeps the
# same text as its <label for=...> (zero width) so screen readers announce it.
HIDDEN_LABEL = {"description_width": "0px"}


def _p(text: str | None, cls: str = "") -> str:
    if not text:
        return ""
    return f'<p class="{cls}" style="margin:0.2em 0;line-height:1.45">{html.escape(text)}</p>'


class Field:
    """One question's widgets. Subclasses set ``self.input`` and ``self.box``."""

    input: W.DOMWidget
    box: W.Widget

    def __init__(self, question: Question, spec: WorksheetSpec):
        self.question = question
        self.spec = spec
        self.error = W.HTML(value="")
        self._callback: Callable[["Field"], None] | None = None

    def header(self) -> W.HTML:
        q = self.question
        text = f'<div style="font-weight:600;margin-top:0.9em;line-height:1.45">{html.escape(q.label)}</div>'
        return W.HTML(value=text + _p(q.help, "sk-help"))

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
        self.error.value = (
            f'<div role="alert" style="color:#9b1c1c;font-weight:600">{html.escape(message)}</div>' if message else ""
        )


class TextField(Field):
    def __init__(self, question, spec, long: bool = False):
        super().__init__(question, spec)
        cls = W.Textarea if long else W.Text
        kwargs = {"rows": 4} if long else {}
        self.input = cls(
            value="",
            description=question.label,
            continuous_update=True,
            style=HIDDEN_LABEL,
            layout=FULL,
            **kwargs,
        )
        self.box = W.VBox([self.header(), self.input, self.error])

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
    def __init__(self, question, spec):
        super().__init__(question, spec)
        self.options = spec.options_for(question)
        if question.type == "scale":
            labels = []
            for opt in self.options:
                label = opt.label
                if opt.value == str(question.min) and question.min_label:
                    label = f"{label}: {question.min_label}"
                if opt.value == str(question.max) and question.max_label:
                    label = f"{label}: {question.max_label}"
                labels.append(label)
        else:
            labels = [o.label for o in self.options]
        self._by_label = dict(zip(labels, (o.value for o in self.options)))
        self._by_value = {v: k for k, v in self._by_label.items()}
        # Each radio is labelled by its option; the question is the header just above.
        self.input = W.RadioButtons(options=labels, value=None, layout=W.Layout(width="auto"))
        self.clear = W.Button(
            description="Clear answer",
            tooltip=f"Clear the answer to: {question.label}",
            layout=W.Layout(width="fit-content", margin="0.2em 0 0 0"),
        )
        self.clear.on_click(lambda _b: setattr(self.input, "value", None))
        self.box = W.VBox([self.header(), self.input, self.clear, self.error])

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

    def __init__(self, question, spec):
        super().__init__(question, spec)
        self.options = spec.options_for(question)
        self.boxes = [
            W.Checkbox(value=False, description=o.label, indent=False, layout=W.Layout(width="auto"))
            for o in self.options
        ]
        # A hidden aggregate widget carries the value so observers see one change.
        self.input = W.SelectMultiple(options=[o.value for o in self.options], value=())
        for box in self.boxes:
            box.observe(self._sync, names="value")
        self.box = W.VBox([self.header(), W.VBox(self.boxes), self.error])

    def _sync(self, _change: dict) -> None:
        self.input.value = tuple(o.value for o, b in zip(self.options, self.boxes) if b.value)

    def get(self) -> Any:
        return list(self.input.value)

    def set(self, value: Any) -> None:
        chosen = set(value or [])
        for opt, box in zip(self.options, self.boxes):
            box.value = opt.value in chosen
        self.input.value = tuple(o.value for o in self.options if o.value in chosen)

    def empty(self) -> Any:
        return []


FIELD_TYPES: dict[str, Callable[[Question, WorksheetSpec], Field]] = {
    "text": TextField,
    "long_text": lambda q, s: TextField(q, s, long=True),
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
    """

    def __init__(self, spec: WorksheetSpec, workspace: Workspace):
        self.spec = spec
        self.workspace = workspace
        self.fields: dict[str, Field] = {}
        self._loading = False
        self._last_saved: str | None = None
        self._last_error: str | None = None

        self.status = W.HTML(value="")
        sections = []
        for section in spec.sections:
            items: list[W.Widget] = [W.HTML(value=f"<h2 style='font-size:1.25em;margin:1.2em 0 0.2em'>{html.escape(section.title)}</h2>{_p(section.intro)}")]
            for q in section.questions:
                field = FIELD_TYPES[q.type](q, spec)
                field.on_change(self._save_field)
                self.fields[q.id] = field
                items.append(field.box)
            sections.append(W.VBox(items))

        self.header = W.HTML(value=self._header_html())
        self.progress = W.HTML(value="")
        self.container = W.VBox(
            [self.header, self.status, *sections, self.progress, W.HTML(value=_p(spec.attribution, "sk-attribution"))],
            layout=W.Layout(max_width="50rem", padding="0 1rem 2rem 1rem"),
        )
        self.load()

    # -- header and status -------------------------------------------------
    def _header_html(self) -> str:
        ws = self.workspace
        region = html.escape(ws.name)
        badge = ""
        if ws.illustrative:
            badge = (
                "<p style='background:#fff4ce;border-left:4px solid #8a6d00;padding:0.4em 0.8em;margin:0.4em 0'>"
                "<strong>Illustrative example region.</strong> Its data is generated for practice, "
                "not real labor-market data.</p>"
            )
        return (
            f"<h1 style='font-size:1.6em;margin:0.4em 0;line-height:1.3'>{html.escape(self.spec.title)}</h1>"
            f"<p style='margin:0.2em 0'>Region: <strong>{region}</strong></p>{badge}{_p(self.spec.intro)}"
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
        saved = self.workspace.answers(self.spec.id)
        self._loading = True
        try:
            for qid, field in self.fields.items():
                field.set(saved.get(qid, field.empty()))
                field.show_error(None)
        finally:
            self._loading = False
        stamp = self.workspace.last_saved(self.spec.id)
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
            stamp = self.workspace.save_answer(self.spec.id, field.question.id, value)
        except SectorkitError as exc:
            self._last_error = str(exc)
        except Exception as exc:  # a disk or database failure: say so, keep the widget value
            self._last_error = f"the workspace could not be written ({exc.__class__.__name__}: {exc}). Your text is still in the box; try again."
        else:
            self._last_saved = _local_time(stamp)
            self._last_error = None
        self._render_status()
        self._render_progress()

    def answers(self) -> dict[str, Any]:
        """The answers as currently shown in the widgets."""
        return {qid: f.get() for qid, f in self.fields.items()}

    def switch_region(self, workspace: Workspace) -> None:
        """Show another region's answers in the same form."""
        self.workspace = workspace
        self.header.value = self._header_html()
        self.load()


def _local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%H:%M:%S on %d %b %Y")
    except ValueError:
        return iso


def open_worksheet(spec_id: str, region: str = "example", root=None) -> WorksheetApp:
    """Build the worksheet app for ``spec_id`` bound to ``region``'s workspace."""
    from sectorkit.example import ensure_example_workspace

    if region == "example":
        ws = ensure_example_workspace(root)
    else:
        ws = Workspace.open(region, root)
    return WorksheetApp(load_spec(spec_id), ws)
