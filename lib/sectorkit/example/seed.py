"""Writing the example region's illustrative content into its workspace, once, never over a user's work.

:func:`seed_universe` saves the illustrative Universe of Connections; :func:`seed_answers` saves
the illustrative answers of :mod:`sectorkit.example.answers` (every worksheet, the assessment's
rounds, the custom pages' records). Each writes its marker record (kind
:data:`~sectorkit.example.SEEDED_KIND`) last, so :func:`sectorkit.example.ensure_example_workspace`
runs it once per workspace.

What a user typed wins: a question is filled only while it has no answer, a table only while it has
no row, an assessment only while it has no round, and a page's records only while the workspace
has none of that kind (the LMI settings and the footprint: none under their key).

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> ws = Workspace.open("example", tempfile.mkdtemp(), illustrative=True)
>>> ws.save_answer("step1-aar", "case-accepted", "not-yet")  # doctest: +ELLIPSIS
'...'
>>> counts = seed_answers(ws)
>>> ws.answers("step1-aar")["case-accepted"], counts["rounds"]
('not-yet', 4)
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from sectorkit import assessments as A
from sectorkit import universe as network
from sectorkit.core.clock import now_utc
from sectorkit.core.errors import SectorkitError
from sectorkit.example import SEEDED_KIND
from sectorkit.example.answers import ExampleAnswers, ExampleAnswersError, check_answers, load_answers, value_problem
from sectorkit.lmi.footprint import FOOTPRINT_KEY, FOOTPRINT_KIND, Footprint
from sectorkit.lmi.readiness import READINESS_KIND, SectorReadiness
from sectorkit.lmi.screen import DEFAULT_WEIGHTS
from sectorkit.lmi.sources import CHOICE_KIND, SETTINGS_KEY, SETTINGS_KIND
from sectorkit.lmi.titles import industry_titles
from sectorkit.specs import WorksheetSpec, load_spec
from sectorkit.specs.tables import Refs, check_row, resolve_columns, row_refs
from sectorkit.store.workspace import Workspace
from sectorkit.universe import influence
from sectorkit.universe.store import KIND_ORG, KIND_PERSON

__all__ = ["seed_answers", "seed_universe"]

LOG = logging.getLogger("sectorkit")


def seed_universe(ws: Workspace) -> None:
    """Save the illustrative Universe of Connections (organizations, people, ties, roster) and its marker."""
    universe = network.example_universe()
    for org in universe.organizations.values():
        network.save_organization(ws, org)
    for person in universe.people.values():
        network.save_person(ws, person, universe)
    for rel in universe.relationships.values():
        network.save_relationship(ws, rel, universe)
    for entry in universe.roster.values():
        network.save_roster_entry(ws, entry, universe)
    ws.put_record(SEEDED_KIND, "universe", {"organizations": len(universe.organizations)})


def _refs(ws: Workspace) -> Refs:
    """The organizations and people this workspace's Universe holds (ids -> names)."""
    return {"organization": {k: str(v.get("name") or k) for k, v in ws.records(KIND_ORG).items()},
            "person": {k: str(v.get("name") or k) for k, v in ws.records(KIND_PERSON).items()}}


def _empty(value: Any) -> bool:
    return value in (None, "", [], {})


def _skip(where: str, problem: str) -> None:
    LOG.warning("Example region: the illustrative answer %s is left out: %s", where, problem)


def _fill_worksheet(ws: Workspace, spec: WorksheetSpec, given: dict[str, Any], refs: Refs) -> tuple[int, int]:
    """Save the answers of the questions (and the rows of the tables) nobody has filled; return the counts."""
    saved, plain, rows = ws.answers(spec.id), {}, 0
    for q in spec.questions():
        if q.id not in given:
            continue
        here = refs
        if q.type == "table":  # a ``row`` cell names a row of a table filled above by its label; the id is stored
            here = {**refs, **row_refs(spec, resolve_columns(spec, q), ws, spec.id)}
        problem = value_problem(spec, q, given[q.id], here)
        if problem:
            _skip(f"{spec.id}/{q.id}", problem)
        elif q.type == "table":
            if not ws.rows(spec.id, q.id):
                columns = resolve_columns(spec, q)
                values = [check_row(columns, row, here)[0] for row in given[q.id]]
                rows += len(ws.save_rows(spec.id, q.id, values, spec_version=spec.version))
        elif _empty(saved.get(q.id)):
            plain[q.id] = given[q.id]
    if plain:
        ws.save_answers(spec.id, plain, spec_version=spec.version)
    return len(plain), rows


def _fill_assessment(ws: Workspace, spec: WorksheetSpec, rounds: list[dict[str, Any]], refs: Refs) -> int:
    """Hold the illustrative rounds of an assessment nobody has started; return how many."""
    if A.rounds(ws, spec.id):
        return 0
    questions = {q.id: q for q in spec.questions()}
    for rnd in rounds:
        round_id = A.start_round(ws, spec.id, rnd["date"])
        for person in rnd["respondents"]:
            key = A.open_response(ws, spec.id, round_id, person["name"])
            answers = {qid: v for qid, v in person["answers"].items()
                       if qid in questions and value_problem(spec, questions[qid], v, refs) is None}
            ws.save_answers(key, answers, spec_version=spec.version)
            try:
                A.complete_response(ws, spec, key)
            except SectorkitError as exc:  # a statement left unrated: the response stays a draft
                _skip(key, str(exc))
    return len(rounds)


def _page_records(pages: dict[str, Any], titles: dict[str, str], stamp: str) -> dict[str, dict[str, Any]]:
    """The custom pages' records, ``{kind: {key: value}}``, as those pages save them."""
    lmi = pages.get("lmi-review") or {}
    found: dict[str, dict[str, Any]] = {}
    if lmi.get("settings"):
        given = lmi["settings"]
        found[SETTINGS_KIND] = {SETTINGS_KEY: {
            "source": "example", "counties": "", "start_year": 2020,
            "end_year": 2023, "own_code": 5, "naics_digits": 2, **given,
            "weights": {**DEFAULT_WEIGHTS, **(given.get("weights") or {})}, "saved_at": stamp}}
    found[CHOICE_KIND] = {str(code): {"decision": c["decision"], "note": c.get("note", ""),
                                      "title": titles.get(str(code), f"NAICS {code}"),
                                      "naics_digits": 3 if str(code).isdigit() and len(str(code)) == 3 else 2,
                                      "saved_at": stamp}
                          for code, c in (lmi.get("sectors") or {}).items()}
    found[READINESS_KIND] = {
        str(code): {**SectorReadiness(str(code), titles.get(str(code), ""), dict(r.get("ratings") or {}),
                                      dict(r.get("evidence") or {})).to_record(), "saved_at": stamp}
        for code, r in (pages.get("industry-readiness") or {}).items()}
    fp = pages.get("footprint")
    if fp:
        counties = {c: (v["in"], v.get("reason", "")) for c, v in fp["counties"].items()}
        found[FOOTPRINT_KIND] = {FOOTPRINT_KEY: {**Footprint(counties, fp.get("sector")).to_record(),
                                                 "saved_at": stamp}}
    people: dict[str, Any] = {}
    for dm in pages.get("influence-map") or []:
        made = influence.DecisionMaker.create(**{**dm, "id": influence.new_id(dm["name"], people)})
        people[made.id] = {k: getattr(made, k) for k in influence.DecisionMaker.__dataclass_fields__}
    found[influence.KIND] = people
    return found


def _fill_records(ws: Workspace, pages: dict[str, Any]) -> int:
    """Save the custom pages' records of every kind (or single key) the workspace does not hold yet."""
    titles = dict(zip(industry_titles()["industry_code"].astype(str), industry_titles()["industry_title"]))
    try:
        found = _page_records(pages, titles, now_utc("seconds"))
    except (SectorkitError, KeyError, TypeError, AttributeError) as exc:
        _skip("pages", str(exc))
        return 0
    written = 0
    for kind, values in found.items():
        existing = ws.records(kind)
        single = kind in (SETTINGS_KIND, FOOTPRINT_KIND)
        if not values or (existing and not single):
            continue
        for key, value in values.items():
            if key not in existing:
                ws.put_record(kind, key, value)
                written += 1
    return written


def seed_answers(ws: Workspace, answers: ExampleAnswers | None = None, *, strict: bool = False,
                 today: date | None = None) -> dict[str, int]:
    """Fill the example workspace with the illustrative answers, only where nothing is saved; write the marker.

    Parameters
    ----------
    ws : Workspace
        The example region's workspace, its Universe already seeded (table cells naming an
        organization or a person are checked against it).
    answers : ExampleAnswers, optional
        Default: :func:`~sectorkit.example.answers.load_answers` with dates resolved to ``today``; when
        that file cannot be read, nothing is written and no marker is set (logged; raised if ``strict``).
    strict : bool
        Raise :class:`~sectorkit.example.answers.ExampleAnswersError` listing every answer that does
        not fit its spec, before writing anything. Otherwise (the default, so that the example still
        opens after a spec changes) such answers are left out and logged on the ``sectorkit`` logger.
    today : date, optional
        The day relative dates count from (default: today).

    Returns
    -------
    dict
        How much was written: ``answers`` (questions), ``rows`` (table rows), ``rounds``
        (assessment rounds) and ``records`` (page records).
    """
    counts = {"answers": 0, "rows": 0, "rounds": 0, "records": 0}
    if answers is None:
        try:
            answers = load_answers(today=today)
        except ExampleAnswersError as exc:
            if strict:
                raise
            LOG.error("Example region: no illustrative answers seeded (tried again next time): %s", exc)
            return counts  # no marker: the example still opens, with its Universe only
    refs = _refs(ws)
    problems = check_answers(answers, refs)
    if problems and strict:
        raise ExampleAnswersError("The example answers do not fit the worksheets:\n" + "\n".join(problems))
    for spec_id, given in answers.worksheets.items():
        try:
            spec = load_spec(spec_id)
        except SectorkitError as exc:
            _skip(spec_id, str(exc))
            continue
        if isinstance(given, dict) and spec.kind != "assessment":
            filled, rows = _fill_worksheet(ws, spec, given, refs)
            counts["answers"] += filled
            counts["rows"] += rows
    for spec_id, rounds in answers.assessments.items():
        try:
            counts["rounds"] += _fill_assessment(ws, load_spec(spec_id), rounds, refs)
        except (SectorkitError, KeyError, TypeError) as exc:
            _skip(f"assessments/{spec_id}", str(exc))
    counts["records"] = _fill_records(ws, answers.pages)
    ws.put_record(SEEDED_KIND, "answers", {**counts, "illustrative": True})
    return counts
