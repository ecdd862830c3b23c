"""Fields of the worksheet engine: one small class per question type.

Each field owns an HTML header (question, help, error message) and its input
widgets, converts between the widget value and the stored JSON value, and
validates a value before it is saved. :data:`FIELD_TYPES` maps a spec's
question ``type`` to its field class; :class:`~sectorkit.apps.form.WorksheetApp`
builds one field per question.
"""

from __future__ import annotations

import html
import math
from typing import Any, Callable

import ipywidgets as W

from sectorkit.apps.feedback import FeedbackLine
from sectorkit.apps.styles import Styles
from sectorkit.core.text import broken_unicode_note, has_broken_unicode, repair_text
from sectorkit.specs import Question, WorksheetSpec

#: the page's shared Layout/Style models (old name of :class:`~sectorkit.apps.styles.Styles`)
Shared = Styles


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
        #: a note for the page's status line about the last change (e.g. a repaired character)
        self.notice: str | None = None
        self.header = html_widget(shared, self._header_html())
        self._callback: Callable[["Field"], None] | None = None
        #: "Right: ..." / "Not quite: ..." under a self-check question (``correct:`` in the spec)
        self.feedback = FeedbackLine(question, shared)

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
        return [self.header, self.input, *self.feedback.widgets()]

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

    def take_notice(self) -> str | None:
        """The pending :attr:`notice` (plain text), cleared, so the page says it once."""
        notice, self.notice = self.notice, None
        return notice


class TextField(Field):
    """A one-line or long text answer.

    Text with a broken character (half an emoji: an unpaired UTF-16 surrogate, which cannot be
    stored) is repaired in the box itself, the broken half becoming U+FFFD, and :attr:`notice`
    names the question once, for the status line; later keystrokes then save as usual.
    """

    def __init__(self, question, spec, shared, long: bool = False):
        super().__init__(question, spec, shared)
        if long:
            self.input = W.Textarea(
                value="",
                description=question.label,
                continuous_update=True,
                rows=4,
                style=shared.area_label,
                layout=shared.full,
            )
        else:
            self.input = W.Text(
                value="",
                description=question.label,
                continuous_update=True,
                style=shared.hidden_label,
                layout=shared.full,
            )

    def set(self, value: Any) -> None:
        self.input.value = "" if value is None else repair_text(str(value))

    def get(self) -> Any:
        return repair_text(self.input.value)

    def _changed(self, change: dict) -> None:
        if has_broken_unicode(change.get("new")):
            self.notice = broken_unicode_note(f"'{self.question.label}'")
            self.input.value = repair_text(change["new"])  # observed again: that change saves
            return
        super()._changed(change)

    def validate(self, value: Any) -> str | None:
        if len(value) > self.question.max_length:
            return (
                f"This answer is {len(value):,} characters long; the "
                f"limit is {self.question.max_length:,}. It was not saved."
            )
        return None


class NumberField(TextField):
    """A number typed as text, so a bad entry can be explained instead of refused silently."""

    def get(self) -> Any:
        raw = repair_text(self.input.value).strip().replace(",", "")
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
            return (
                f"'{self.input.value.strip()}' is not a number. Type "
                "digits only, for example 1250 or 12.5. It was not saved."
            )
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
        if self.feedback.widget is not None:  # on every change, a saved answer's load included
            self.input.observe(lambda _: self.feedback.show(self.get()), names="value")

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
        return [self.header, *self.boxes, *self.feedback.widgets()]

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
        self.feedback.show(self.get())

    def empty(self) -> Any:
        return []

    def on_change(self, callback: Callable[["Field"], None]) -> None:
        self._callback = callback
        for box in self.boxes:
            box.observe(self._box_changed, names="value")

    def _box_changed(self, change: dict) -> None:
        if not self._setting:
            self.feedback.show(self.get())
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

# The table field (apps/table.py) builds on Field above; imported as a module so either file may be imported first.
from sectorkit.apps import table as _table  # noqa: E402

FIELD_TYPES["table"] = lambda q, s, sh: _table.TableField(q, s, sh)
