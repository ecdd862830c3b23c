"""The example region's illustrative answers: reading ``answers.yaml`` and checking it against the specs.

The file (``data/example_region/answers.yaml``, layout in its header) holds three parts:

* ``worksheets``: spec id -> question id -> answer; a table question's answer is a list of rows
  (column id -> cell value);
* ``assessments``: spec id -> rounds, each ``{date, respondents: [{name, answers}]}``;
* ``pages``: the custom pages' records by page id: ``lmi-review`` (``settings`` and ``sectors``),
  ``industry-readiness``, ``footprint`` and ``influence-map``.

A string that is exactly ``today``, ``today-N`` or ``today+N`` is a date N days before or after the
day the answers are resolved (:func:`resolve_dates`), so the story stays current.

:func:`check_answers` lists every answer that does not fit its spec (an unknown spec, question or
column, a value of the wrong type, a choice that is not an option, a rating out of range, a bad
date, a reference to nobody in the Universe); :func:`missing_answers` lists every question without
an answer. Both return plain-English lines naming the place, e.g.
``"worksheets/step1-aar/case-accepted: 'maybe' is not one of yes, partly, not-yet"``.

>>> answers = load_answers(today=date(2026, 11, 30))
>>> answers.worksheets["launch-capture"]["meeting-date"] < "2026-11-30"
True
>>> check_answers(answers), missing_answers(answers)
([], [])
>>> resolve_dates({"due": "today+1", "note": "today is fine"}, date(2026, 12, 31))
{'due': '2027-01-01', 'note': 'today is fine'}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from sectorkit.core.errors import SectorkitError, SpecError
from sectorkit.core.paths import data_dir
from sectorkit.lmi.footprint import Footprint
from sectorkit.lmi.readiness import SectorReadiness
from sectorkit.lmi.screen import DEFAULT_WEIGHTS
from sectorkit.lmi.titles import industry_titles
from sectorkit.specs import Question, WorksheetSpec, available_specs, load_spec
from sectorkit.specs.tables import Refs, check_row, missing_required, resolve_columns
from sectorkit.universe.examples import example_universe
from sectorkit.universe.influence import DecisionMaker

__all__ = ["DECISIONS", "PAGES", "ExampleAnswers", "ExampleAnswersError", "check_answers", "example_refs",
           "load_answers", "missing_answers", "resolve_dates", "value_problem"]

#: the custom pages whose records the file holds
PAGES = ("lmi-review", "industry-readiness", "footprint", "influence-map")
#: the LMI Review's sector decisions
DECISIONS = ("shortlist", "maybe", "not-now")
SETTINGS_KEYS = {"source", "counties", "start_year", "end_year", "own_code", "naics_digits",
                 "weights"}
_RELATIVE = re.compile(r"^today(?:([+-])(\d{1,5}))?$")


class ExampleAnswersError(SpecError):
    """The illustrative answers file is missing, not YAML, or does not fit the specs (the message lists why)."""


@dataclass(frozen=True)
class ExampleAnswers:
    """The illustrative answers, dates resolved (see the module docstring for each part's shape)."""

    worksheets: dict[str, dict[str, Any]] = field(default_factory=dict)
    assessments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    pages: dict[str, Any] = field(default_factory=dict)


def resolve_dates(value: Any, today: date) -> Any:
    """``value`` with every string ``today``, ``today-N`` or ``today+N`` replaced by that ISO date (recursively)."""
    if isinstance(value, str):
        m = _RELATIVE.match(value.strip())
        if not m:
            return value
        days = int(m.group(2) or 0) * (-1 if m.group(1) == "-" else 1)
        return (today + timedelta(days=days)).isoformat()
    if isinstance(value, Mapping):
        return {k: resolve_dates(v, today) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_dates(v, today) for v in value]
    return value


def load_answers(path: str | Path | None = None, today: date | None = None) -> ExampleAnswers:
    """Read the answers file (default ``data/example_region/answers.yaml``) with its dates resolved to ``today``.

    Raises :class:`ExampleAnswersError` when the file is missing, is not YAML, or its parts have the
    wrong shape (whether the answers fit the specs is :func:`check_answers`' job).
    """
    path = Path(path) if path is not None else data_dir() / "example_region" / "answers.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ExampleAnswersError(f"The example answers {path} cannot be read: {exc}") from None
    if not isinstance(raw, dict) or set(raw) - {"worksheets", "assessments", "pages"}:
        raise ExampleAnswersError(f"{path}: expected the parts worksheets, assessments and pages at the top.")
    raw = resolve_dates(raw, today or date.today())
    parts = {k: raw.get(k) or {} for k in ("worksheets", "assessments", "pages")}
    for name, part in parts.items():
        if not isinstance(part, dict):
            raise ExampleAnswersError(f"{path}: '{name}' must map ids to answers.")
    return ExampleAnswers(**parts)


def example_refs() -> Refs:
    """What organization and person cells may name: the illustrative Universe's ids -> names."""
    u = example_universe()
    return {"organization": {k: o.name for k, o in u.organizations.items()},
            "person": {k: p.name for k, p in u.people.items()}}


def _options(spec: WorksheetSpec, q: Question) -> list[str]:
    return [o.value for o in spec.options_for(q)]


def value_problem(spec: WorksheetSpec, q: Question, value: Any, refs: Refs | None = None) -> str | None:
    """Why ``value`` is not a valid answer to question ``q`` of ``spec`` (None when it is valid).

    >>> spec = load_spec("step1-aar")
    >>> value_problem(spec, spec.question("case-accepted"), "maybe")
    "'maybe' is not one of yes, partly, not-yet"
    >>> value_problem(spec, spec.question("convener-confidence"), 4) is None
    True
    """
    kind = q.type
    if kind in ("text", "long_text"):
        if not isinstance(value, str) or not value.strip():
            return f"expected text, got {value!r}"
        return f"is {len(value)} characters long; the limit is {q.max_length}" if len(value) > q.max_length else None
    if kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else f"expected a number, got {value!r}"
    if kind == "scale":
        ok = isinstance(value, int) and not isinstance(value, bool) and q.min <= value <= q.max
        return None if ok else f"expected a whole number from {q.min} to {q.max}, got {value!r}"
    if kind == "choice":
        allowed = _options(spec, q)
        return None if value in allowed else f"{value!r} is not one of {', '.join(allowed)}"
    if kind in ("multi", "checklist"):
        allowed = _options(spec, q)
        if not isinstance(value, list) or not value or len(set(map(str, value))) != len(value):
            return f"expected a list of different options, got {value!r}"
        bad = [v for v in value if v not in allowed]
        return f"{', '.join(map(repr, bad))} not among {', '.join(allowed)}" if bad else None
    if kind == "table":
        return _table_problem(spec, q, value, refs)
    return f"questions of type '{kind}' cannot be answered here"


def _table_problem(spec: WorksheetSpec, q: Question, rows: Any, refs: Refs | None) -> str | None:
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        return "expected a list of rows (column id -> value)"
    if len(rows) > q.max_rows:
        return f"has {len(rows)} rows; the limit is {q.max_rows}"
    columns = resolve_columns(spec, q)
    known = {c.id for c in columns}
    found = []
    for n, row in enumerate(rows, 1):
        unknown = sorted(set(row) - known)
        value, problems = check_row(columns, row, refs)
        problems += [f"'{label}' is required" for label in missing_required(columns, value)]
        problems += [f"unknown column(s) {', '.join(unknown)}"] if unknown else []
        found += [f"row {n}: {p}" for p in problems]
    return "; ".join(found) or None


def _worksheet_problems(answers: ExampleAnswers, specs: dict[str, WorksheetSpec], refs: Refs) -> list[str]:
    problems = []
    for spec_id, given in answers.worksheets.items():
        where = f"worksheets/{spec_id}"
        spec = specs.get(spec_id)
        if spec is None or spec.kind == "assessment":
            problems.append(f"{where}: no worksheet spec has this id" if spec is None
                            else f"{where}: an assessment's answers belong under 'assessments'")
            continue
        problems += _answers_problems(where, spec, given, refs)
    return problems


def _answers_problems(where: str, spec: WorksheetSpec, given: Any, refs: Refs) -> list[str]:
    if not isinstance(given, dict):
        return [f"{where}: expected question id -> answer"]
    questions = {q.id: q for q in spec.questions()}
    problems = []
    for qid, value in given.items():
        q = questions.get(qid)
        problem = "no such question" if q is None else value_problem(spec, q, value, refs)
        if problem:
            problems.append(f"{where}/{qid}: {problem}")
    return problems


def _assessment_problems(answers: ExampleAnswers, specs: dict[str, WorksheetSpec], refs: Refs) -> list[str]:
    problems = []
    for spec_id, rounds in answers.assessments.items():
        where = f"assessments/{spec_id}"
        spec = specs.get(spec_id)
        if spec is None or spec.kind != "assessment":
            problems.append(f"{where}: no assessment spec has this id")
            continue
        if not isinstance(rounds, list) or not rounds:
            problems.append(f"{where}: expected a list of rounds")
            continue
        for n, rnd in enumerate(rounds, 1):
            here = f"{where}/round {n}"
            if not isinstance(rnd, dict) or not _is_date(rnd.get("date")):
                problems.append(f"{here}: expected a 'date' (yyyy-mm-dd or today-N)")
                continue
            people = rnd.get("respondents")
            if not isinstance(people, list) or not people:
                problems.append(f"{here}: expected a list of respondents")
                continue
            for person in people:
                name = person.get("name") if isinstance(person, dict) else None
                if not isinstance(name, str) or not name.strip():
                    problems.append(f"{here}: a respondent without a name")
                    continue
                problems += _answers_problems(f"{here}/{name}", spec, person.get("answers"), refs)
    return problems


def _is_date(value: Any) -> bool:
    try:
        return isinstance(value, str) and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _page_problems(pages: Mapping[str, Any], people: set[str]) -> list[str]:
    problems = [f"pages/{p}: no such page with records here (known: {', '.join(PAGES)})" for p in pages
                if p not in PAGES]
    lmi = pages.get("lmi-review") or {}
    settings, sectors = lmi.get("settings") or {}, lmi.get("sectors") or {}
    problems += [f"pages/lmi-review/settings: unknown setting '{k}'" for k in sorted(set(settings) - SETTINGS_KEYS)]
    if settings.get("source", "example") != "example":
        problems.append("pages/lmi-review/settings: the example region uses source 'example'")
    if not set(settings.get("weights") or {}) <= set(DEFAULT_WEIGHTS):
        problems.append(f"pages/lmi-review/settings: weights are named {', '.join(DEFAULT_WEIGHTS)}")
    titles = set(industry_titles()["industry_code"].astype(str))
    for code, choice in sectors.items():
        if str(code) not in titles:
            problems.append(f"pages/lmi-review/sectors/{code}: not a NAICS code of the shipped titles")
        elif not isinstance(choice, dict) or choice.get("decision") not in DECISIONS:
            problems.append(f"pages/lmi-review/sectors/{code}: 'decision' must be one of {', '.join(DECISIONS)}")
    for code, rec in (pages.get("industry-readiness") or {}).items():
        try:
            if str(code) not in sectors:
                raise SectorkitError("rate only sectors chosen in the LMI Review")
            SectorReadiness(str(code), "", dict(rec.get("ratings") or {}), dict(rec.get("evidence") or {}))
        except (SectorkitError, AttributeError) as exc:
            problems.append(f"pages/industry-readiness/{code}: {exc}")
    problems += _footprint_problems(pages.get("footprint"), sectors)
    for n, dm in enumerate(pages.get("influence-map") or [], 1):
        try:
            made = DecisionMaker.create(**dm)
            if made.person and made.person not in people:
                raise SectorkitError(f"no person '{made.person}' in the illustrative Universe")
        except (SectorkitError, TypeError) as exc:
            problems.append(f"pages/influence-map/{n}: {exc}")
    return problems


def _footprint_problems(fp: Any, sectors: Mapping[str, Any]) -> list[str]:
    if fp is None:
        return []
    try:
        made = Footprint({c: (v["in"], v.get("reason", "")) for c, v in fp["counties"].items()}, fp.get("sector"))
    except (SectorkitError, KeyError, TypeError, AttributeError) as exc:
        return [f"pages/footprint: {exc}"]
    crosswalk = (data_dir() / "example_region" / "crosswalk.csv").read_text(encoding="utf-8")
    known = {line.split(",")[0] for line in crosswalk.splitlines()[1:] if line}
    problems = [f"pages/footprint/{c}: not a county of the example region" for c in made.counties if c not in known]
    if made.sector and made.sector not in sectors:
        problems.append(f"pages/footprint: sector {made.sector} is not chosen in the LMI Review")
    return problems


def check_answers(answers: ExampleAnswers, refs: Refs | None = None) -> list[str]:
    """Every answer that does not fit its spec or page, one line each (empty when all fit).

    ``refs`` (organization and person ids -> names) default to the illustrative Universe's.
    """
    refs = refs if refs is not None else example_refs()
    specs = {s: load_spec(s) for s in available_specs()}
    return (_worksheet_problems(answers, specs, refs) + _assessment_problems(answers, specs, refs)
            + _page_problems(answers.pages, set(refs.get("person", {}))))


def missing_answers(answers: ExampleAnswers) -> list[str]:
    """Every question of every spec (in every respondent of an assessment) and every page without an answer."""
    missing = []
    for spec_id in available_specs():
        spec = load_spec(spec_id)
        if spec.kind == "assessment":
            given = [(f"assessments/{spec_id}/round {n}/{p.get('name')}", p.get("answers") or {})
                     for n, rnd in enumerate(answers.assessments.get(spec_id) or [], 1)
                     for p in rnd.get("respondents") or []]
            if not given:
                missing.append(f"assessments/{spec_id}: no round")
        else:
            given = [(f"worksheets/{spec_id}", answers.worksheets.get(spec_id) or {})]
        for where, saved in given:
            missing += [f"{where}/{q.id}" for q in spec.questions() if q.id not in saved]
    return missing + [f"pages/{p}" for p in PAGES if not answers.pages.get(p)]
