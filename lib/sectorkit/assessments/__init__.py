"""Self-assessments over time: rounds, respondents, scores, comparisons, exports (data only, no widgets).

A **round** is one sitting of an assessment (e.g. the quarterly meeting on
2026-11-20). In a round, each **respondent** fills in the assessment spec
(``kind: assessment``); their answers are stored by the worksheet engine under
the key ``<spec>/<round>/<respondent>``, and a record holds their name and
whether their response is a draft or complete (:mod:`.rounds`). The After Action
Reviews' progress across the steps is :mod:`.aar`; the Excel/CSV export :mod:`.exports`.
The HTML views are in :mod:`sectorkit.views.assessments`, the pages in :mod:`sectorkit.apps.assessment`.

Scoring rule (also stated in the spec's intro)
----------------------------------------------
Each scored statement is rated on the item's scale (``min``..``max``). A
dimension's score is the mean of its rated statements; the overall score is
the mean of the dimension scores. A response is scored only when every
scored statement is rated; until then it is a draft and has no scores: blanks
are never counted as zeros. A round's team score per dimension is the mean of
its complete responses' scores; the spread is their range (max - min).

>>> from sectorkit.specs import parse_spec
>>> spec = parse_spec({"id": "mini", "version": 1, "title": "Mini", "kind": "assessment",
...     "dimensions": [{"id": "lead", "title": "Lead"}, {"id": "act", "title": "Act"}],
...     "sections": [{"id": "s", "title": "S", "questions": [
...         {"id": "a", "type": "scale", "min": 1, "max": 4, "label": "Business sets the agenda",
...          "dimension": "lead"},
...         {"id": "b", "type": "scale", "min": 1, "max": 4, "label": "Business chairs meetings",
...          "dimension": "lead"},
...         {"id": "c", "type": "scale", "min": 1, "max": 4, "label": "Actions are followed up",
...          "dimension": "act"}]}]})
>>> score = score_answers(spec, {"a": 4, "b": 3, "c": 2})
>>> score.dimensions, score.overall, score.complete
({'lead': 3.5, 'act': 2.0}, 2.75, True)
>>> draft = score_answers(spec, {"a": 4})
>>> draft.complete, draft.overall, draft.dimensions["lead"], draft.missing
(False, None, None, ['b', 'c'])
"""

from sectorkit.assessments.aar import aar_progress, aar_specs
from sectorkit.assessments.exports import assessment_frame, export
from sectorkit.assessments.rounds import (
    CHANGE_THRESHOLD,
    DATE_RE,
    RESPONSE,
    ROUND,
    assessment_summary,
    compare_rounds,
    complete_response,
    open_response,
    response_key,
    responses,
    round_summary,
    rounds,
    start_round,
)
from sectorkit.assessments.scoring import Score, score_answers, scored_questions

__all__ = [
    "CHANGE_THRESHOLD",
    "DATE_RE",
    "RESPONSE",
    "ROUND",
    "Score",
    "aar_progress",
    "aar_specs",
    "assessment_frame",
    "assessment_summary",
    "compare_rounds",
    "complete_response",
    "export",
    "open_response",
    "response_key",
    "responses",
    "round_summary",
    "rounds",
    "score_answers",
    "scored_questions",
    "start_round",
]

#: names that lived here before the package split, and where they are now
_MOVED = {
    name: "sectorkit.apps.assessment"
    for name in ("AssessmentApp", "AARHubApp", "assessment", "show_history", "show_aar_progress", "sustainability_page")
}
_MOVED.update(
    {
        name: "sectorkit.views.assessments"
        for name in ("comparison_chart", "comparison_alt_text", "comparison_html", "aar_progress_html")
    }
)


def __getattr__(name: str):
    if name in _MOVED:
        raise AttributeError(
            f"sectorkit.assessments.{name} moved to {_MOVED[name]} (the assessments package holds "
            f"the data only): use `from {_MOVED[name]} import {name}`"
        )
    raise AttributeError(f"module 'sectorkit.assessments' has no attribute {name!r}")
