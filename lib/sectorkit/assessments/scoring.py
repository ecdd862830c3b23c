"""Scoring one assessment response (the rule is in :mod:`sectorkit.assessments`).

>>> from sectorkit.specs import parse_spec
>>> spec = parse_spec({"id": "mini", "version": 1, "title": "Mini", "kind": "assessment",
...     "dimensions": [{"id": "lead", "title": "Lead"}],
...     "sections": [{"id": "s", "title": "S", "questions": [
...         {"id": "a", "type": "scale", "min": 1, "max": 4, "label": "Business sets the agenda",
...          "dimension": "lead"}]}]})
>>> score_answers(spec, {"a": 3})
Score(dimensions={'lead': 3.0}, overall=3.0, complete=True, missing=[])
>>> score_answers(spec, {"a": 9}).complete  # out of the scale: not a rating
False
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sectorkit.specs import WorksheetSpec

__all__ = ["Score", "score_answers", "scored_questions"]


@dataclass
class Score:
    """Scores of one response.

    Attributes
    ----------
    dimensions : dict[str, float | None]
        Per dimension id, the mean of its rated statements (on the items' scale), None until all are rated.
    overall : float | None
        The mean of the dimension scores; None unless the response is complete.
    complete : bool
        Every scored statement is rated.
    missing : list[str]
        Ids of the scored statements not rated yet.
    """

    dimensions: dict[str, float | None]
    overall: float | None
    complete: bool
    missing: list[str] = field(default_factory=list)


def scored_questions(spec: WorksheetSpec) -> list:
    """The questions of ``spec`` that score a dimension (``dimension:`` set), in spec order."""
    return [q for q in spec.questions() if q.dimension]


def score_answers(spec: WorksheetSpec, answers: dict[str, Any]) -> Score:
    """Score one response (``answers``: question id -> saved value) by the rule in :mod:`sectorkit.assessments`."""
    items = scored_questions(spec)
    missing = [q.id for q in items if not _is_rating(answers.get(q.id), q)]
    dims: dict[str, float | None] = {}
    for d in spec.dimensions:
        mine = [q for q in items if q.dimension == d.id]
        values = [answers.get(q.id) for q in mine]
        dims[d.id] = (sum(values) / len(values)) if all(_is_rating(v, q) for v, q in zip(values, mine)) else None
    complete = not missing
    overall = sum(dims.values()) / len(dims) if complete and dims else None
    return Score(dims, overall, complete, missing)


def _is_rating(value: Any, question) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and question.min <= value <= question.max
