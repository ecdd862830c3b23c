"""Self-check questions: a right answer and what to say about it.

A ``choice`` or ``multi`` question may name its right answer with ``correct:`` and say what the
form shows once it is answered with ``feedback: {right: ..., wrong: ...}`` (question-level: one
explanation for a right answer, one for any other answer)::

    - id: who-sets-agenda
      type: choice
      label: "Who sets the partnership's agenda?"
      options:
        - {value: grant, label: "The grant that pays for it"}
        - {value: business, label: "The business leaders at the table"}
      correct: business                       # a multi question: a list, e.g. [board, college]
      feedback:
        right: "The priorities are the businesses' own, which is why they keep coming."
        wrong: "The agenda comes from the business leaders, not from a program's requirements."

``correct`` must name options of the question (its own ``options`` or its named ``scale``): one
value for ``choice``; for ``multi`` a list of values, right when exactly those are ticked.
``feedback`` needs ``correct``; ``correct`` alone gives a bare "Right." / "Not quite.". The answer
is saved like any other and counts in progress like any other; the form (``apps.feedback``)
shows the verdict under the question when it is answered and again when it reloads.

>>> from sectorkit.specs import parse_spec
>>> spec = parse_spec({"id": "quiz", "version": 1, "title": "Quiz", "sections": [{"id": "s", "title": "S",
...     "questions": [{"id": "q", "type": "multi", "label": "Which?", "correct": ["a", "b"],
...                    "options": [{"value": v, "label": v.upper()} for v in "abc"]}]}]})
>>> q = spec.question("q")
>>> verdict(q, ["b", "a"]), verdict(q, ["a"]), verdict(q, [])
(True, False, None)
>>> parse_spec({"id": "quiz", "version": 1, "title": "Quiz", "sections": [{"id": "s", "title": "S",
...     "questions": [{"id": "q", "type": "choice", "label": "Which?", "correct": "z",
...                    "options": [{"value": "a", "label": "A"}]}]}]}, source="quiz.yaml")
Traceback (most recent call last):
...
sectorkit.core.errors.SpecError: quiz.yaml is not a valid worksheet spec:
  - (top level): sections.0.questions.0 (question 'q'): 'correct' names 'z', which is not one of its options (a)
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from sectorkit.specs.library import _Model

__all__ = ["Feedback", "SelfCheck", "check_correct", "verdict"]

#: the question types that may carry ``correct`` and ``feedback``
SELF_CHECK_TYPES = ("choice", "multi")


class Feedback(_Model):
    """What a self-check question says once answered (``feedback: {right: ..., wrong: ...}``).

    Attributes
    ----------
    right : str
        Shown as "Right: <right>" when the answer is the ``correct`` one (1-1000 characters).
    wrong : str
        Shown as "Not quite: <wrong>" for any other answer: explain the right one (1-1000 characters).
    """

    right: str = Field(min_length=1, max_length=1000)
    wrong: str = Field(min_length=1, max_length=1000)


class SelfCheck(_Model):
    """The self-check fields every :class:`~sectorkit.specs.models.Question` has (its base class).

    Attributes
    ----------
    correct : str or list of str, optional
        The right answer: one option value (``choice``), or a list of option values (``multi``: right
        when exactly those are ticked). Only on ``choice``/``multi`` questions; must name real options.
    feedback : Feedback, optional
        ``{right: ..., wrong: ...}``: what the form says under the question once it is answered.
        Needs ``correct``.
    """

    correct: str | list[str] | None = None
    feedback: Feedback | None = None


def check_correct(spec: Any) -> None:
    """Check every question's ``correct`` and ``feedback`` against its type and options.

    ``spec`` is a :class:`~sectorkit.specs.models.WorksheetSpec` (duck-typed: ``sections`` and
    ``options_for``). Raises ``ValueError`` naming the question and its place
    (``sections.1.questions.0 (question 'who-sets-agenda')``) at the first problem.
    """
    for si, section in enumerate(spec.sections):
        for qi, q in enumerate(section.questions):
            if q.correct is None and q.feedback is None:
                continue
            where = f"sections.{si}.questions.{qi} (question '{q.id}')"
            if q.type not in SELF_CHECK_TYPES:
                raise ValueError(f"{where}: 'correct' and 'feedback' belong to 'choice' and 'multi' questions")
            if q.correct is None:
                raise ValueError(f"{where}: 'feedback' needs 'correct' (the right answer)")
            if q.type == "choice" and not isinstance(q.correct, str):
                raise ValueError(f"{where}: a 'choice' question's 'correct' is one option value, not a list")
            if q.type == "multi" and (isinstance(q.correct, str) or not q.correct):
                raise ValueError(f"{where}: a 'multi' question's 'correct' is a list of option values, e.g. [a, b]")
            named = [q.correct] if isinstance(q.correct, str) else list(q.correct)
            if len(set(named)) != len(named):
                raise ValueError(f"{where}: 'correct' lists a value twice")
            if q.scale is not None and q.scale not in spec.scales:
                continue  # an unknown scale is reported on its own
            values = [o.value for o in spec.options_for(q)]
            for value in named:
                if value not in values:
                    raise ValueError(
                        f"{where}: 'correct' names '{value}', which is not one of its options ({', '.join(values)})"
                    )


def verdict(question: Any, value: Any) -> bool | None:
    """Whether ``value`` (a stored answer) is right: True, False, or None if unanswered or no ``correct``.

    A ``choice`` answer is right when it is the ``correct`` value; a ``multi`` answer (a list) when
    it holds exactly the ``correct`` values, in any order.
    """
    correct = getattr(question, "correct", None)
    if correct is None or value in (None, "", []):
        return None
    if isinstance(correct, str):
        return value == correct
    return isinstance(value, (list, tuple)) and set(value) == set(correct)
