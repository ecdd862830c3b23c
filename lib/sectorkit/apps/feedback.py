"""The feedback line under a self-check question: "Right: ..." or "Not quite: ...".

A ``choice`` or ``multi`` question whose spec names a ``correct`` answer (see
:mod:`sectorkit.specs.feedback`) gets a :class:`FeedbackLine` under its options. Whenever the answer
changes, and when a saved answer is loaded, the line says whether it is right, followed by the
spec's explanation, in a polite live region (``role="status"``) so a screen reader reads it out.
It is an HTML widget whose value is set, so it works the same in Voila and JupyterLab. The answer
itself is saved by the form like any other; a question without ``correct`` gets no line at all.

>>> from sectorkit.apps.styles import Styles
>>> from sectorkit.specs import parse_spec
>>> spec = parse_spec({"id": "quiz", "version": 1, "title": "Quiz", "sections": [{"id": "s", "title": "S",
...     "questions": [{"id": "q", "type": "choice", "label": "Who leads?", "correct": "biz",
...                    "feedback": {"right": "Business drives.", "wrong": "It is <business>."},
...                    "options": [{"value": "biz", "label": "Business"}, {"value": "gov", "label": "Grant"}]}]}]})
>>> line = FeedbackLine(spec.question("q"), Styles())
>>> line.show("gov"); line.text
'Not quite: It is <business>.'
>>> "It is &lt;business&gt;." in line.widget.value and 'role="status"' in line.widget.value
True
>>> line.show(None); line.text
''
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from sectorkit.apps.styles import Styles
from sectorkit.specs.feedback import verdict
from sectorkit.views.html import esc

__all__ = ["FeedbackLine", "feedback_html", "feedback_text"]

RIGHT_COLOR = "#1d5e20"  # dark green, 7:1 on white
WRONG_COLOR = "#8a4b00"  # dark amber, 6:1 on white: "not quite" is advice, not an error
_BOX = "margin:0.3em 0 0.2em;padding:0.3em 0.7em;line-height:1.45;max-width:46rem;border-left:4px solid {color}"


def _parts(question: Any, value: Any) -> tuple[str, str, str] | None:
    """(lead, explanation, colour) for ``value``, or None when there is nothing to say."""
    right = verdict(question, value)
    if right is None:
        return None
    feedback = question.feedback
    if right:
        return "Right", feedback.right if feedback else "", RIGHT_COLOR
    return "Not quite", feedback.wrong if feedback else "", WRONG_COLOR


def feedback_text(question: Any, value: Any) -> str:
    """What the line says for ``value`` (a stored answer), as plain text; "" when unanswered.

    "Right: <feedback.right>", "Not quite: <feedback.wrong>", or "Right." / "Not quite." when the
    question has ``correct`` but no ``feedback``.
    """
    parts = _parts(question, value)
    if parts is None:
        return ""
    lead, why, _ = parts
    return f"{lead}: {why}" if why else f"{lead}."


def feedback_html(question: Any, value: Any) -> str:
    """The line as HTML: a polite live region, empty when unanswered; every text escaped."""
    parts = _parts(question, value)
    if parts is None:
        return '<div role="status" aria-live="polite"></div>'
    lead, why, color = parts
    body = f"<strong style='color:{color}'>{esc(lead)}{':' if why else '.'}</strong>"
    if why:
        body += f" {esc(why)}"
    return f'<div role="status" aria-live="polite" style="{_BOX.format(color=color)}">{body}</div>'


class FeedbackLine:
    """The feedback under one question (nothing for a question without ``correct``).

    Attributes
    ----------
    widget : ipywidgets.HTML or None
        The line; None when the question has no ``correct`` answer.
    text : str
        What it says now, as plain text ("" before an answer).
    """

    def __init__(self, question: Any, shared: Styles):
        self.question = question
        self.text = ""
        self.widget: W.HTML | None = None
        if getattr(question, "correct", None) is not None:
            self.widget = W.HTML(value=feedback_html(question, None), layout=shared.block, style=shared.html)

    def widgets(self) -> list[W.Widget]:
        """``[widget]`` to place under the question's options, or ``[]``."""
        return [self.widget] if self.widget is not None else []

    def show(self, value: Any) -> None:
        """Say whether ``value`` (the answer as stored) is right; clear the line when unanswered."""
        if self.widget is None:
            return
        self.text = feedback_text(self.question, value)
        self.widget.value = feedback_html(self.question, value)
