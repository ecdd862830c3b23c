"""Modules 2 and 3: journey maps (what a business, or a jobseeker or student, goes through with each program).

One engine serves every journey spec (today ``employer-journey`` and ``jobseeker-journey``). A spec is a
journey when it has a table question tagged ``journey-programs`` and one tagged ``journey-steps``; the
tables are found by those tags, never by id. Column ids are this module's schema:

* **programs** (tagged ``journey-programs``): ``name`` (required), ``organization`` (a Universe of
  Connections id, optional), ``notes``;
* **steps** (tagged ``journey-steps``): ``program`` (a ``row`` cell: the id of a programs row),
  ``stage`` (an option of the column's scale; the **last option is the follow-through stage**),
  ``what`` happens, what the business or person ``receives``, ``strong`` and ``weak`` points, and
  ``order`` (a number putting one program's steps in sequence).

Measures (pure functions on a :class:`Journey`):

* each program's **steps in order**: by order number, steps without one after, then by table position;
* **by stage**: for each stage, the programs with a step there (:func:`stage_programs`);
* **shared stages**: stages offered by two or more programs (:func:`shared_stages`);
* **repeats**: the same "what happens" asked by two or more programs, compared after
  :func:`step_key` (case, punctuation, spaces and the words "a", "an", "the" ignored) (:func:`repeats`);
* **no follow-through**: programs with steps but none at the last stage (:func:`no_follow_through`);
* **problems**: a step whose program row was deleted (or never chosen), a step with no stage, two
  steps of one program with the same order number, two programs whose names differ only in spelling.
  A problem step is **kept** in the worksheet and left out of the combined view, with a message.

Nothing here draws or saves; the page is :mod:`sectorkit.apps.journeys`, the diagram
:mod:`sectorkit.views.journeys`.

>>> stages = [("first-contact", "First contact"), ("service", "Service"), ("follow-through", "Follow-through")]
>>> j = build_journey({"p1": {"name": "Job center"}, "p2": {"name": "College"}}, [
...     ("s1", {"program": "p1", "stage": "first-contact", "what": "Fills in a needs form.", "order": 1}),
...     ("s2", {"program": "p2", "stage": "first-contact", "what": "fills in a needs form", "order": 1}),
...     ("s3", {"program": "p2", "stage": "follow-through", "what": "Check-in call", "order": 2}),
...     ("s4", {"program": "gone", "stage": "service", "what": "Training"})], stages)
>>> stage_programs(j)["first-contact"], shared_stages(j)
(['Job center', 'College'], ['first-contact'])
>>> [(r.text, r.programs) for r in repeats(j)], no_follow_through(j)
([('Fills in a needs form.', ('Job center', 'College'))], ['Job center'])
>>> print(j.problems[0])  # doctest: +NORMALIZE_WHITESPACE
Step 'Training' (row 4 of the steps) names a program that was deleted; it is kept, and left out of the map
until you pick a program.

Based on the Next Gen Sector Partnership training toolkit (Modules 2 and 3); sectorkit's own wording and method.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sectorkit.core.errors import SpecError
from sectorkit.specs import WorksheetSpec, available_specs, load_spec
from sectorkit.specs.tables import resolve_columns

__all__ = ["PROGRAMS_TAG", "STEPS_TAG", "Journey", "Program", "Repeat", "Step", "build_journey", "is_journey",
           "journey_specs", "journey_tables", "no_follow_through", "read_journey", "repeats", "shared_stages",
           "stage_programs", "step_key", "unmapped"]

#: the tags that make a spec a journey map (see :data:`sectorkit.specs.library.KNOWN_TAGS`)
PROGRAMS_TAG, STEPS_TAG = "journey-programs", "journey-steps"
_STOP = {"a", "an", "the"}


@dataclass(frozen=True)
class Step:
    """One step of a program's journey.

    ``row`` is its 1-based row number in the steps table (for messages); ``order`` the order number
    (None when blank); ``stage`` an option value ("" when blank or unknown); texts are stripped.
    """

    row_id: str
    row: int
    program: str
    stage: str
    what: str
    receives: str = ""
    strong: str = ""
    weak: str = ""
    order: float | None = None

    @property
    def label(self) -> str:
        """The step's short name: its "what happens" text, else its row number."""
        return self.what or f"step in row {self.row}"


@dataclass(frozen=True)
class Program:
    """A program (a programs row) with its steps in order (order number, then table position)."""

    row_id: str
    name: str
    organization: str = ""
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Journey:
    """A journey map: its stages ``(value, label)`` in order, its programs, and what could not be placed.

    ``orphans`` are steps kept in the worksheet but left out of the view (deleted or missing program,
    no stage); ``problems`` are messages in plain text, one per problem.
    """

    stages: tuple[tuple[str, str], ...]
    programs: tuple[Program, ...]
    orphans: tuple[Step, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def steps(self) -> list[Step]:
        """Every placed step, program by program."""
        return [s for p in self.programs for s in p.steps]

    def stage_label(self, value: str) -> str:
        return dict(self.stages).get(value, value)


@dataclass(frozen=True)
class Repeat:
    """The same thing asked by several programs: the text as first written, its :func:`step_key`,
    the programs (names, first-seen order) and the stages (labels) where it happens."""

    text: str
    key: str
    programs: tuple[str, ...]
    stages: tuple[str, ...]


def _text(raw: Any) -> str:
    return " ".join(str(raw).split()) if raw not in (None, "") else ""


def _number(raw: Any) -> float | None:
    if isinstance(raw, bool) or raw in (None, ""):
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def step_key(text: str) -> str:
    """What two "what happens" texts are compared by: accents, case, punctuation, spaces and "a/an/the" ignored.

    >>> step_key("  Fills in THE hiring-needs form! "), step_key("Fills in hiring needs form")
    ('fills in hiring needs form', 'fills in hiring needs form')
    """
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()
    return " ".join(w for w in re.sub(r"[^a-z0-9]+", " ", plain).split() if w not in _STOP)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def build_journey(programs: Mapping[str, Mapping[str, Any]], steps: Iterable[tuple[str, Mapping[str, Any]]],
                  stages: Sequence[tuple[str, str]]) -> Journey:
    """A :class:`Journey` from the programs rows ``{row id: cells}``, the steps rows ``[(row id, cells)]``
    in table order, and the stages ``[(value, label)]`` in order (the last is the follow-through).

    Never raises on bad rows: a step naming a deleted or no program, or no known stage, is an orphan
    with a message; duplicate order numbers within a program and program names that differ only in
    spelling are messages too.

    >>> j = build_journey({"p": {"name": "Board"}}, [("a", {"program": "p", "stage": "x", "what": "Visit", "order": 2}),
    ...                    ("b", {"program": "p", "stage": "x", "what": "Call", "order": 2})], [("x", "X")])
    >>> [s.what for s in j.programs[0].steps]
    ['Visit', 'Call']
    >>> print(*j.problems)  # doctest: +NORMALIZE_WHITESPACE
    Board has two or more steps numbered 2 (rows 1 and 2 of the steps); renumber them so the order is clear.
    """
    stage_values = {v for v, _ in stages}
    problems: list[str] = []
    placed: dict[str, list[Step]] = {pid: [] for pid in programs}
    orphans: list[Step] = []
    for n, (row_id, cells) in enumerate(steps, 1):
        stage = _text(cells.get("stage"))
        step = Step(row_id, n, _text(cells.get("program")), stage if stage in stage_values else "",
                    _text(cells.get("what")), _text(cells.get("receives")), _text(cells.get("strong")),
                    _text(cells.get("weak")), _number(cells.get("order")))
        where = f"Step '{step.label}' (row {n} of the steps)" if step.what else f"The step in row {n} of the steps"
        if not step.program:
            problems.append(f"{where} names no program; it is kept, and left out of the map until you pick one.")
            orphans.append(step)
        elif step.program not in placed:
            problems.append(f"{where} names a program that was deleted; it is kept, and left out of the map "
                            "until you pick a program.")
            orphans.append(step)
        elif not step.stage:
            problems.append(f"{where} has {'an unknown' if stage else 'no'} stage; it is kept, and left out of the "
                            "map until you choose one.")
            orphans.append(step)
        else:
            placed[step.program].append(step)
    built = []
    for pid, cells in programs.items():
        name = _text(cells.get("name")) or "(a program with no name)"
        ordered = sorted(placed[pid], key=lambda s: (s.order is None, s.order or 0.0, s.row))
        numbers: dict[float, list[int]] = {}
        for s in ordered:
            if s.order is not None:
                numbers.setdefault(s.order, []).append(s.row)
        for number, rows in numbers.items():
            if len(rows) > 1:
                listed = ", ".join(str(r) for r in rows[:-1]) + f" and {rows[-1]}"
                problems.append(f"{name} has two or more steps numbered {_num(number)} (rows {listed} of the "
                                "steps); renumber them so the order is clear.")
        built.append(Program(pid, name, _text(cells.get("organization")), tuple(ordered)))
    spellings: dict[str, list[str]] = {}
    for p in built:
        if step_key(p.name):
            spellings.setdefault(step_key(p.name), []).append(p.name)
    for names in spellings.values():
        if len(names) > 1:
            shown = " and ".join(f"'{n}'" for n in dict.fromkeys(names))
            problems.append(f"The programs {shown} look like one program listed {len(names)} times; both are kept "
                            "and drawn apart. Merge their steps into one row and delete the other if they are one.")
    return Journey(tuple(stages), tuple(built), tuple(orphans), tuple(problems))


def stage_programs(journey: Journey) -> dict[str, list[str]]:
    """For each stage (in order), the names of the programs with a step there (program order)."""
    return {v: [p.name for p in journey.programs if any(s.stage == v for s in p.steps)] for v, _ in journey.stages}


def shared_stages(journey: Journey) -> list[str]:
    """The stage values offered by two or more programs, in stage order."""
    return [v for v, names in stage_programs(journey).items() if len(names) >= 2]


def repeats(journey: Journey) -> list[Repeat]:
    """What two or more programs ask of the same business or person (same :func:`step_key`), most programs first."""
    seen: dict[str, tuple[str, dict[str, None], dict[str, None]]] = {}
    for p in journey.programs:
        for s in p.steps:
            key = step_key(s.what)
            if key:
                text, names, stages = seen.setdefault(key, (s.what, {}, {}))
                names[p.name] = None
                stages[journey.stage_label(s.stage)] = None
    found = [Repeat(text, key, tuple(names), tuple(stages)) for key, (text, names, stages) in seen.items()
             if len(names) >= 2]
    return sorted(found, key=lambda r: -len(r.programs))


def no_follow_through(journey: Journey) -> list[str]:
    """Programs with at least one step but none at the last stage (the follow-through)."""
    if not journey.stages:
        return []
    last = journey.stages[-1][0]
    return [p.name for p in journey.programs if p.steps and not any(s.stage == last for s in p.steps)]


def unmapped(journey: Journey) -> list[str]:
    """Programs listed with no step yet."""
    return [p.name for p in journey.programs if not p.steps]


# -- specs and workspaces ---------------------------------------------------------------------------------
def is_journey(spec: WorksheetSpec) -> bool:
    """True when ``spec`` has a table tagged ``journey-programs`` and one tagged ``journey-steps``.

    >>> is_journey(load_spec("employer-journey")), is_journey(load_spec("step2-aar"))
    (True, False)
    """
    return bool(spec.questions_tagged(PROGRAMS_TAG)) and bool(spec.questions_tagged(STEPS_TAG))


def journey_specs() -> list[WorksheetSpec]:
    """Every shipped journey spec, by id.

    >>> [s.id for s in journey_specs()][:2]
    ['employer-journey', 'jobseeker-journey']
    """
    return [spec for spec in (load_spec(s) for s in sorted(available_specs())) if is_journey(spec)]


def journey_tables(spec: WorksheetSpec) -> tuple[str, str, list[tuple[str, str]]]:
    """``(programs question id, steps question id, stages [(value, label)])`` of a journey spec.

    Raises :class:`~sectorkit.core.errors.SpecError` when the spec is not a journey (no tagged tables)
    or its steps table has no ``stage`` choice column.
    """
    programs, steps = spec.questions_tagged(PROGRAMS_TAG), spec.questions_tagged(STEPS_TAG)
    if not programs or not steps:
        raise SpecError(f"'{spec.id}' is not a journey map: it needs a table tagged '{PROGRAMS_TAG}' and one "
                        f"tagged '{STEPS_TAG}'.")
    stage = next((c for c in resolve_columns(spec, steps[0]) if c.id == "stage"), None)
    if stage is None or not stage.options:
        raise SpecError(f"'{spec.id}': the table '{steps[0].id}' needs a 'stage' column with options.")
    return programs[0].id, steps[0].id, [(o.value, o.label) for o in stage.options]


def read_journey(ws: Any, spec: WorksheetSpec | str) -> Journey:
    """The journey saved in workspace ``ws`` (duck-typed: ``rows(key, question)``) for a journey spec."""
    spec = load_spec(spec) if isinstance(spec, str) else spec
    programs_q, steps_q, stages = journey_tables(spec)
    programs = {r.row_id: r.value for r in ws.rows(spec.id, programs_q)}
    return build_journey(programs, [(r.row_id, r.value) for r in ws.rows(spec.id, steps_q)], stages)
