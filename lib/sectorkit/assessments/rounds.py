"""Rounds and responses of an assessment, and the team's scores over time.

A **round** is one sitting of an assessment, keyed by its date
(``record("assessment_round", "<spec>/<date>")``); each **respondent**'s answers are saved by the
worksheet engine under ``<spec>/<date>/<respondent>``, and ``record("assessment_response", <that key>)``
holds their name and whether the response is a draft or complete. Only complete responses are
scored (see :mod:`sectorkit.assessments`).

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> ws = Workspace.open("demo-region", root=tempfile.mkdtemp())
>>> start_round(ws, "sustainability", "2026-11-20")
'2026-11-20'
>>> open_response(ws, "sustainability", "2026-11-20", "Ana Ruiz")
'sustainability/2026-11-20/ana-ruiz'
>>> start_round(ws, "sustainability", "20 Nov")
Traceback (most recent call last):
...
sectorkit.core.errors.SectorkitError: '20 Nov' is not a date; type it as YYYY-MM-DD, for example 2026-11-20.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from sectorkit.assessments.scoring import Score, score_answers, scored_questions
from sectorkit.core.clock import now_utc
from sectorkit.core.errors import SectorkitError
from sectorkit.specs import WorksheetSpec, load_spec
from sectorkit.store.workspace import Workspace, suggest_region_id

__all__ = ["CHANGE_THRESHOLD", "RESPONSE", "ROUND", "assessment_summary", "compare_rounds", "complete_response",
           "open_response", "response_key", "responses", "round_summary", "rounds", "start_round"]

ROUND = "assessment_round"
RESPONSE = "assessment_response"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: a change in a team score smaller than this is reported as "about the same"
CHANGE_THRESHOLD = 0.25


def _slug(text: str, what: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise SectorkitError(f"Please type a {what}.")
    if len(text) > 100:
        raise SectorkitError(f"The {what} is too long (at most 100 characters).")
    return suggest_region_id(text)


# -- rounds and responses ---------------------------------------------------------
def start_round(ws: Workspace, spec_id: str, when: str | None = None, label: str | None = None) -> str:
    """Create (or reuse) the round held on ``when`` (YYYY-MM-DD; default today); return its id."""
    when = when or date.today().isoformat()
    if not DATE_RE.match(when):
        raise SectorkitError(f"'{when}' is not a date; type it as YYYY-MM-DD, for example 2026-11-20.")
    try:
        date.fromisoformat(when)
    except ValueError:
        raise SectorkitError(f"'{when}' is not a real calendar date.") from None
    round_id = when
    key = f"{spec_id}/{round_id}"
    if key not in ws.records(ROUND):
        ws.put_record(ROUND, key, {"spec": spec_id, "round": round_id, "date": when, "label": label or when})
    return round_id


def rounds(ws: Workspace, spec_id: str) -> list[dict]:
    """The rounds of one assessment, oldest first."""
    found = [v for k, v in ws.records(ROUND).items() if k.startswith(f"{spec_id}/")]
    return sorted(found, key=lambda r: r["date"])


def response_key(spec_id: str, round_id: str, respondent_id: str) -> str:
    return f"{spec_id}/{round_id}/{respondent_id}"


def open_response(ws: Workspace, spec_id: str, round_id: str, respondent: str) -> str:
    """Register ``respondent`` in a round (as a draft if new); return the answers key."""
    rid = _slug(respondent, "name for the respondent")
    key = response_key(spec_id, round_id, rid)
    existing = ws.records(RESPONSE)
    if key not in existing:
        ws.put_record(RESPONSE, key, {"spec": spec_id, "round": round_id, "respondent": respondent.strip(),
                                      "respondent_id": rid, "status": "draft", "completed_at": None})
    return key


def complete_response(ws: Workspace, spec: WorksheetSpec, key: str) -> Score:
    """Mark a response complete if every scored statement is rated; else raise with what is missing."""
    score = score_answers(spec, ws.answers(key))
    record = ws.records(RESPONSE).get(key)
    if record is None:
        raise SectorkitError("This response was not started; type a name and start it first.")
    if not score.complete:
        labels = {q.id: q.label for q in spec.questions()}
        listed = "; ".join(labels[m] for m in score.missing[:3]) + (" ..." if len(score.missing) > 3 else "")
        raise SectorkitError(
            f"{len(score.missing)} statement(s) are not rated yet, so this stays a draft: {listed}"
        )
    record.update(status="complete", completed_at=now_utc("seconds"))
    ws.put_record(RESPONSE, key, record)
    return score


def responses(ws: Workspace, spec: WorksheetSpec, round_id: str | None = None) -> pd.DataFrame:
    """One row per response: round, respondent, status, overall and dimension scores."""
    rows = []
    for key, rec in ws.records(RESPONSE).items():
        if rec["spec"] != spec.id or (round_id and rec["round"] != round_id):
            continue
        score = score_answers(spec, ws.answers(key))
        scored = rec["status"] == "complete" and score.complete
        row = {"round": rec["round"], "respondent": rec["respondent"], "status": rec["status"],
               "rated": len(scored_questions(spec)) - len(score.missing), "items": len(scored_questions(spec)),
               "overall": score.overall if scored else None}
        for d, v in score.dimensions.items():
            row[d] = v if scored else None
        rows.append(row)
    cols = ["round", "respondent", "status", "rated", "items", "overall", *[d.id for d in spec.dimensions]]
    return pd.DataFrame(rows, columns=cols).sort_values(["round", "respondent"], ignore_index=True)


def round_summary(ws: Workspace, spec: WorksheetSpec, round_id: str) -> pd.DataFrame:
    """Per dimension (spec order): its title and group, the team score (mean of complete responses), min, max,
    spread, n."""
    df = responses(ws, spec, round_id)
    done = df[df["status"] == "complete"]
    rows = []
    for d in spec.dimensions:
        vals = done[d.id].dropna().astype(float)
        rows.append({"dimension": d.id, "title": d.title, "group": d.group, "n": len(vals),
                     "team": vals.mean() if len(vals) else None, "min": vals.min() if len(vals) else None,
                     "max": vals.max() if len(vals) else None,
                     "spread": (vals.max() - vals.min()) if len(vals) else None})
    return pd.DataFrame(rows)


def compare_rounds(ws: Workspace, spec: WorksheetSpec) -> pd.DataFrame | None:
    """The latest round with complete responses against the one before: change per dimension.

    Returns None when fewer than one round has a complete response.
    """
    scored = [r["round"] for r in rounds(ws, spec.id) if round_summary(ws, spec, r["round"])["n"].max() > 0]
    if not scored:
        return None
    latest = round_summary(ws, spec, scored[-1]).set_index("dimension")
    out = latest[["title", "group", "team", "min", "max", "spread", "n"]].rename(columns={"team": "latest"})
    out.insert(0, "latest_round", scored[-1])
    if len(scored) > 1:
        prev = round_summary(ws, spec, scored[-2]).set_index("dimension")
        out["previous_round"] = scored[-2]
        out["previous"] = prev["team"]
        out["change"] = out["latest"] - out["previous"]
        out["trend"] = [
            "improved" if c > CHANGE_THRESHOLD else "slipped" if c < -CHANGE_THRESHOLD else "about the same"
            for c in out["change"].fillna(0)
        ]
    else:
        out["previous_round"] = None
        out["previous"] = None
        out["change"] = None
        out["trend"] = "first assessment"
    return out.reset_index()


def _num(value) -> float | None:
    """A float, or None for a missing value (None or NaN)."""
    return None if value is None or pd.isna(value) else float(value)


def _mean(values: list[float | None]) -> float | None:
    return sum(values) / len(values) if values and all(v is not None for v in values) else None


def _diff(new: float | None, old: float | None) -> float | None:
    return None if new is None or old is None else new - old


def assessment_summary(ws: Workspace, spec_id: str) -> dict | None:
    """The latest scored round of assessment ``spec_id`` in ``ws``, and its change since the scored round before.

    A round is *scored* once at least one of its responses is complete; drafts never count and a blank is
    never a zero (see :mod:`sectorkit.assessments`). Every score is a team score in **scale points** (the
    items' own scale, e.g. 1 to 4): a dimension's is the mean of the complete responses' scores for it, the
    overall the mean of the dimension scores, a group's the mean of its dimensions' scores (dimensions with a
    ``group``, e.g. the state self-assessment's "Nine actions for states"). A change is latest minus previous,
    in scale points; it is None when there is no previous scored round. Only reads ``ws``.

    Returns
    -------
    dict or None
        None when no round has a complete response; otherwise::

            {"spec": str, "title": str, "scale": {"min": int, "max": int},
             "date": "YYYY-MM-DD",                # the latest scored round
             "respondents": int,                  # complete responses in it
             "overall": float,
             "previous_date": str | None, "previous_overall": float | None, "overall_change": float | None,
             "dimensions": {dimension id: {"title": str, "group": str | None, "score": float | None,
                                           "previous": float | None, "change": float | None,
                                           "trend": "improved" | "slipped" | "about the same"
                                                    | "first assessment"}},      # spec order
             "groups": {group: {"score": float | None, "previous": float | None,
                                "change": float | None}}}                         # {} without groups

    Raises
    ------
    SpecError
        No spec has the id ``spec_id``.
    SectorkitError
        The spec is not an assessment (``kind: assessment``).

    >>> import tempfile
    >>> ws = Workspace.open("demo-state", root=tempfile.mkdtemp())
    >>> spec = load_spec("state-self-assessment")
    >>> assessment_summary(ws, spec.id) is None  # no round yet
    True
    >>> for when, rating in [("2026-01-15", 2), ("2026-07-15", 3)]:
    ...     key = open_response(ws, spec.id, start_round(ws, spec.id, when), "Dana Ortiz")
    ...     _ = ws.save_answers(key, {q.id: rating for q in scored_questions(spec)})
    ...     _ = complete_response(ws, spec, key)
    >>> s = assessment_summary(ws, spec.id)
    >>> s["date"], s["respondents"], s["overall"], s["previous_date"], s["overall_change"]
    ('2026-07-15', 1, 3.0, '2026-01-15', 1.0)
    >>> s["dimensions"]["action-funding"]["change"], s["groups"]["Nine actions for states"]["score"]
    (1.0, 3.0)
    """
    spec = load_spec(spec_id)
    if spec.kind != "assessment":
        raise SectorkitError(f"'{spec_id}' is not an assessment (kind: {spec.kind}).")
    comp = compare_rounds(ws, spec)
    if comp is None:
        return None
    rows = comp.set_index("dimension")
    dims = {}
    for d in spec.dimensions:
        r = rows.loc[d.id]
        score, prev = _num(r["latest"]), _num(r["previous"])
        dims[d.id] = {"title": d.title, "group": d.group, "score": score, "previous": prev,
                      "change": _diff(score, prev), "trend": r["trend"]}
    groups = {}
    for d in spec.dimensions:
        if d.group and d.group not in groups:
            mine = [v for v in dims.values() if v["group"] == d.group]
            score, prev = _mean([v["score"] for v in mine]), _mean([v["previous"] for v in mine])
            groups[d.group] = {"score": score, "previous": prev, "change": _diff(score, prev)}
    overall = _mean([v["score"] for v in dims.values()])
    previous_date = comp["previous_round"].iloc[0]
    previous = _mean([v["previous"] for v in dims.values()]) if previous_date else None
    items = scored_questions(spec)
    return {"spec": spec.id, "title": spec.title,
            "scale": {"min": min(q.min for q in items), "max": max(q.max for q in items)},
            "date": comp["latest_round"].iloc[0], "respondents": int(rows["n"].max()), "overall": overall,
            "previous_date": previous_date or None, "previous_overall": previous,
            "overall_change": _diff(overall, previous), "dimensions": dims, "groups": groups}
