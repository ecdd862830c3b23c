"""The spec language: worksheets, reviews, checklists and assessments declared as data.

A spec is a YAML (or JSON) file under ``data/worksheets/``, validated by the
pydantic models below; a bad spec raises :class:`~sectorkit.core.errors.SpecError`
naming the file and every problem with its place. Facilitators write specs
against the attribute lists of :class:`WorksheetSpec`, :class:`Section` and
:class:`Question` (and :class:`~sectorkit.specs.library.Scale` for named scales).

A minimal spec in YAML::

    id: step2-aar                # slug, unique among specs; never change it once teams answered
    version: 1                   # raise it when questions change; saved answers record it
    title: "Step 2 After Action Review"
    kind: after_action_review    # worksheet | after_action_review | assessment | checklist
    module: step-2               # an id from data/modules.yaml
    report: {section: reviews, order: 2}
    sections:
      - id: reflection
        title: "Looking back"
        questions:
          - {id: sector-agreed, type: choice, label: "Have the partners agreed on the sector?", scale: progress}
          - {id: next-actions, type: long_text, label: "List the next actions.", tags: [commitment]}

>>> spec = parse_spec({
...     "id": "demo", "version": 1, "title": "Demo", "kind": "worksheet", "module": "step-1",
...     "sections": [{"id": "s", "title": "S", "questions": [
...         {"id": "q", "type": "text", "label": "Your region?"},
...         {"id": "done", "type": "choice", "label": "Done yet?", "scale": "progress"}]}]})
>>> [q.id for q in spec.questions()], spec.step
(['q', 'done'], 1)
>>> spec.option_values_tagged(spec.question("done"), "not-yet")
{'not-yet'}
>>> parse_spec({"id": "demo", "title": "Demo", "sections": []}, source="demo.yaml")
Traceback (most recent call last):
...
sectorkit.core.errors.SpecError: demo.yaml is not a valid worksheet spec:
  - version: field required
  - sections: a worksheet needs at least one section
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import (
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from sectorkit.core.errors import SpecError
from sectorkit.specs.feedback import SelfCheck, check_correct
from sectorkit.specs.library import (  # noqa: F401  (Option, Scale, Module are part of this module's API)
    KNOWN_TAGS,
    REPORT_SECTIONS,
    SLUG,
    Module,
    Option,
    Scale,
    _Model,
    check_tags,
    format_errors,
    modules,
    shared_scales,
)

QuestionType = Literal["text", "long_text", "choice", "multi", "checklist", "scale", "number", "table"]
#: cell types of a ``table`` question's columns
ColumnType = Literal["text", "long_text", "number", "choice", "yes_no", "date", "organization", "person", "row"]


class Column(_Model):
    """One column of a ``table`` question: a typed cell in every row.

    ``number`` cells may name a ``unit`` ("jobs", "dollars per year"); ``choice`` cells need ``options`` or a
    named ``scale``; ``date`` cells store ISO ``yyyy-mm-dd``; ``organization``/``person`` cells store a Universe
    of Connections id; ``row`` cells store the id of a row of the table question ``of`` of the same spec.
    """

    id: str = Field(pattern=SLUG, max_length=60)
    type: ColumnType
    label: str = Field(min_length=1, max_length=200)
    help: str | None = Field(default=None, max_length=600)
    required: bool = False
    max_length: int = Field(default=2000, ge=1, le=100_000)
    options: list[Option] | None = None
    scale: str | None = None
    unit: str | None = Field(default=None, min_length=1, max_length=60)
    of: str | None = Field(default=None, pattern=SLUG, max_length=60)

    @model_validator(mode="after")
    def _check_column(self) -> Column:
        if self.type == "choice" and not (self.options or self.scale):
            raise ValueError(f"column '{self.id}': a 'choice' column needs 'options' or 'scale'")
        if self.type != "choice" and (self.options or self.scale):
            raise ValueError(f"column '{self.id}': only 'choice' columns take 'options' or 'scale'")
        if self.options and self.scale:
            raise ValueError(f"column '{self.id}': give either 'options' or 'scale', not both")
        if self.unit is not None and self.type != "number":
            raise ValueError(f"column '{self.id}': only 'number' columns take a 'unit'")
        if self.options is not None and len({o.value for o in self.options}) != len(self.options):
            raise ValueError(f"column '{self.id}': option values must be unique")
        return self


class Question(SelfCheck):
    """One question of a spec.

    Attributes
    ----------
    id : str
        Slug unique in the spec (``next-actions``). Answers are stored under it: to change it after
        teams have answered, raise the spec's ``version`` and declare a ``renames`` entry.
    type : str
        ``text`` (one line), ``long_text`` (paragraphs), ``number``, ``choice`` (pick one),
        ``multi`` / ``checklist`` (tick several; stored as a list of values), ``scale`` (a rating,
        stored as an int), ``table`` (repeating rows with ``columns``).
    label : str
        The question as the team reads it (3-600 characters).
    help : str, optional
        A hint shown under the question.
    options : list of Option, optional
        The answers of a ``choice``/``multi``/``checklist`` question; or name a ``scale`` instead.
    scale : str, optional
        Name of a scale from the spec's ``scales`` or the shared ``_scales.yaml``. Works on ``choice``,
        ``multi`` and ``checklist`` questions (an option scale, or a rating whose points become options)
        and on ``scale`` questions (a rating scale: it supplies ``min``/``max`` and the end labels).
    min, max : int, optional
        The ends of a ``scale`` question without a named scale: ``0 <= min < max <= min + 10``.
    min_label, max_label : str, optional
        What the ends of a ``scale`` question mean; they override a named scale's labels.
    max_length : int
        Longest text accepted (``text``/``long_text``), default 5000.
    required : bool
        Whether the question must be answered for the worksheet to count as complete.
    dimension : str, optional
        In an assessment: the ``dimensions`` id this ``scale`` item scores.
    tags : list of str
        Meanings sectorkit relies on (see :data:`~sectorkit.specs.library.KNOWN_TAGS`): ``commitment``
        (the answer lists promised actions), ``action-team``, ``due-date``.
    correct, feedback : optional
        Self-check ``choice``/``multi`` questions: the right option(s) and what to say, see :class:`SelfCheck`.
    """

    id: str = Field(pattern=SLUG, max_length=60)
    type: QuestionType
    label: str = Field(min_length=3, max_length=600)
    help: str | None = Field(default=None, max_length=600)
    options: list[Option] | None = None
    scale: str | None = None
    min: int | None = None
    max: int | None = None
    min_label: str | None = None
    max_label: str | None = None
    max_length: int = Field(default=5000, ge=1, le=100_000)
    required: bool = False
    #: for assessments: the dimension this item scores (an id from the spec's ``dimensions``)
    dimension: str | None = Field(default=None, pattern=SLUG)
    #: meanings sectorkit relies on (known tags only)
    tags: list[str] = Field(default_factory=list)
    #: for ``table`` questions: the columns, and the most rows a table may hold
    columns: list[Column] | None = None
    max_rows: int = Field(default=200, ge=1, le=1000)

    @model_validator(mode="after")
    def _check_table(self) -> Question:
        if self.type != "table":
            if self.columns is not None or "max_rows" in self.model_fields_set:
                raise ValueError("'columns' and 'max_rows' belong to 'table' questions")
            return self
        if not self.columns:
            raise ValueError(f"table '{self.id}' needs 'columns' (at least one)")
        ids = [c.id for c in self.columns]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"table '{self.id}': column ids must be unique ({', '.join(twice)} used twice)")
        return self

    @model_validator(mode="after")
    def _check_kind(self) -> Question:
        check_tags(self.tags)
        needs_options = self.type in ("choice", "multi", "checklist")
        if needs_options and not (self.options or self.scale):
            raise ValueError(f"a '{self.type}' question needs 'options' or 'scale'")
        if self.type == "scale" and self.options:
            raise ValueError("a 'scale' question takes no 'options' (name a rating 'scale', or give 'min' and 'max')")
        if not needs_options and self.type != "scale" and (self.options or self.scale):
            raise ValueError(f"a '{self.type}' question takes no 'options' or 'scale'")
        if self.options and self.scale:
            raise ValueError("give either 'options' or 'scale', not both")
        if self.type == "scale":
            if self.min is None or self.max is None:
                if self.scale is not None:
                    return self  # filled from the named scale, or explained, by WorksheetSpec
                raise ValueError("a 'scale' question needs 'min' and 'max' (or 'scale:' naming a rating scale)")
            if not 0 <= self.min < self.max <= self.min + 10:
                raise ValueError("a 'scale' needs 0 <= min < max <= min + 10")
        elif any(v is not None for v in (self.min, self.max, self.min_label, self.max_label)):
            raise ValueError("'min', 'max', 'min_label' and 'max_label' belong to 'scale' questions")
        if self.options is not None:
            values = [o.value for o in self.options]
            if len(set(values)) != len(values):
                raise ValueError("option values must be unique")
        return self


class Section(_Model):
    """A titled group of questions, shown in order.

    Attributes
    ----------
    id : str
        Slug unique in the spec.
    title : str
        Heading shown above the questions.
    intro : str, optional
        A paragraph under the heading.
    questions : list of Question
        At least one.
    """

    id: str = Field(pattern=SLUG, max_length=60)
    title: str = Field(min_length=1, max_length=200)
    intro: str | None = Field(default=None, max_length=2000)
    questions: list[Question] = Field(min_length=1)


class Dimension(_Model):
    """A scored dimension of an assessment (items point to it with ``dimension:``; ``group``: a family heading)."""

    id: str = Field(pattern=SLUG, max_length=60)
    title: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=1000)
    group: str | None = Field(default=None, min_length=1, max_length=120)




class ReportPlacement(_Model):
    """Where the region report shows a spec's content.

    Attributes
    ----------
    section : str
        One of :data:`REPORT_SECTIONS`: ``standing``, ``sectors``, ``universe``, ``assessments``,
        ``reviews``, ``action-teams``.
    order : int
        Position among the specs of that section (smaller first), default 0.
    """

    section: str
    order: int = 0

    @field_validator("section")
    @classmethod
    def _known_section(cls, section: str) -> str:
        if section not in REPORT_SECTIONS:
            raise ValueError(f"unknown report section '{section}'; known: {', '.join(REPORT_SECTIONS)}")
        return section


class Rename(_Model):
    """A question id changed in a later version of the spec; saved answers follow it.

    Written ``{from: old-id, to: new-id, version: 2}``. When a worksheet opens, answers (and table
    rows, and their history) stored under ``from`` by an earlier spec version (or before versions
    were recorded) move to ``to``; see :mod:`sectorkit.specs.migrate`.

    Attributes
    ----------
    from : str
        The old question id; no longer a question of the spec.
    to : str
        The new question id; must be a question of the spec (no chains: rename straight to the
        final id).
    version : int
        The spec version that introduced the rename (>= 2, <= the spec's ``version``).
    """

    old: str = Field(alias="from", pattern=SLUG, max_length=60)
    to: str = Field(pattern=SLUG, max_length=60)
    version: int = Field(ge=2)


class WorksheetSpec(_Model):
    """A worksheet, After Action Review, checklist or assessment (one YAML file).

    Attributes
    ----------
    id : str
        Slug unique among specs; answers are stored under it. Never change it once teams answered.
    version : int
        Starts at 1; raise it when questions change. Saved answers record the version they were given
        under, which is how ``renames`` know what to move.
    title : str
        Shown at the top of the page.
    kind : str
        ``worksheet`` (default), ``after_action_review``, ``assessment`` (scored; needs
        ``dimensions``) or ``checklist``.
    module : str, optional
        The curriculum module it belongs to: an id from ``data/modules.yaml`` (``introduction``,
        ``step-1`` ... ``step-6``, ``business-services``, ``frontline``, ``career-pathways``,
        ``success-metrics``, ``state-roles``). Lists and reports sort by the module's order.
    step : int, optional
        Old form of ``module`` (1-6): ``step: 2`` means ``module: step-2``; with ``module: step-N``
        it is filled in for you. Prefer ``module``.
    report : ReportPlacement, optional
        ``{section: <slug>, order: <int>}``: which region-report section shows this spec.
    order : int, optional
        Place among its module's pages (home page, previous / next links); default 50, an After
        Action Review 90 (it closes the step).
    intro, attribution : str, optional
        A paragraph under the title; where the content comes from.
    scales : dict of str to Scale
        The spec's own named scales. After loading it also holds the shared scales of
        ``_scales.yaml`` (the spec's own win on a name clash).
    dimensions : list of Dimension
        The scored dimensions of an assessment.
    renames : list of Rename
        Question ids changed by later versions, ``{from, to, version}``.
    sections : list of Section
        At least one.
    """

    id: str = Field(pattern=SLUG, max_length=60)
    version: int = Field(ge=1)
    title: str = Field(min_length=1, max_length=200)
    kind: Literal["worksheet", "after_action_review", "assessment", "checklist"] = "worksheet"
    module: str | None = Field(default=None, pattern=SLUG, max_length=60)
    step: int | None = Field(default=None, ge=1, le=6)
    report: ReportPlacement | None = None
    order: int | None = Field(default=None, ge=0, le=1000)
    intro: str | None = Field(default=None, max_length=2000)
    attribution: str | None = Field(default=None, max_length=500)
    scales: dict[str, Scale] = Field(default_factory=dict)
    dimensions: list[Dimension] = Field(default_factory=list)
    renames: list[Rename] = Field(default_factory=list)
    sections: list[Section]

    @model_validator(mode="before")
    @classmethod
    def _resolve(cls, data: Any, info: ValidationInfo) -> Any:
        """Merge the shared scales, map ``step`` <-> ``module``, fill rating questions from their scale."""
        if not isinstance(data, dict):
            return data
        context = info.context or {}
        shared = context.get("scales")
        data = dict(data)
        own = data.get("scales") or {}
        if isinstance(own, dict):
            data["scales"] = {**(shared_scales() if shared is None else shared), **own}
        step, module = data.get("step"), data.get("module")
        if module is None and isinstance(step, int) and not isinstance(step, bool):
            data["module"] = f"step-{step}"
        elif step is None and isinstance(module, str) and re.fullmatch(r"step-[1-6]", module):
            data["step"] = int(module[-1])
        if isinstance(data.get("scales"), dict) and isinstance(data.get("sections"), list):
            data["sections"] = [_fill_ratings(s, data["scales"]) for s in data["sections"]]
        return data

    @field_validator("sections")
    @classmethod
    def _some_sections(cls, sections: list[Section]) -> list[Section]:
        if not sections:
            raise ValueError("a worksheet needs at least one section")
        return sections

    @model_validator(mode="after")
    def _check_refs(self) -> WorksheetSpec:
        seen: set[str] = set()
        for section in self.sections:
            for q in section.questions:
                if q.id in seen:
                    raise ValueError(f"question id '{q.id}' is used twice")
                seen.add(q.id)
                if q.scale is not None and q.scale not in self.scales:
                    known = ", ".join(sorted(self.scales)) or "none defined"
                    raise ValueError(f"question '{q.id}' uses scale '{q.scale}', which is not defined (known: {known})")
                if q.dimension is not None:
                    if q.dimension not in {d.id for d in self.dimensions}:
                        raise ValueError(f"question '{q.id}' scores dimension '{q.dimension}', which is not defined")
                    if q.type != "scale":
                        raise ValueError(f"question '{q.id}' has a dimension but only 'scale' questions are scored")
        check_correct(self)  # self-check questions: 'correct' names real options
        if self.kind == "assessment":
            scored = {q.dimension for q in self.questions() if q.dimension}
            empty = [d.id for d in self.dimensions if d.id not in scored]
            if not self.dimensions or empty:
                raise ValueError(
                    "an assessment needs dimensions, each scored by at least one 'scale' question"
                    + (f" (no items for: {', '.join(empty)})" if empty else "")
                )
        return self

    @model_validator(mode="after")
    def _check_column_scales(self) -> WorksheetSpec:
        for q in self.questions():
            for col in q.columns or ():
                if col.scale is not None and col.scale not in self.scales:
                    known = ", ".join(sorted(self.scales)) or "none defined"
                    raise ValueError(
                        f"column '{col.id}' of table '{q.id}' uses scale "
                        f"'{col.scale}', which is not defined (known: {known})"
                    )
                tables = {None} | {t.id for t in self.questions() if t.type == "table"}
                if (col.type == "row") != (col.of is not None) or col.of not in tables:
                    raise ValueError(f"column '{col.id}' of '{q.id}': 'row' columns (only) need 'of' naming a table")
        return self

    @model_validator(mode="after")
    def _check_ratings(self) -> WorksheetSpec:
        for q in self.questions():
            if q.type != "scale" or q.scale is None or q.scale not in self.scales:
                continue
            named = self.scales[q.scale]
            if not named.is_rating:
                raise ValueError(
                    f"question '{q.id}' is a 'scale' question, but scale '{q.scale}' is a list of "
                    "options; name a rating scale (min/max) or make the question a 'choice'"
                )
            if (q.min, q.max) != (named.min, named.max):
                raise ValueError(
                    f"question '{q.id}' gives min/max {q.min}-{q.max} but its scale '{q.scale}' runs "
                    f"{named.min}-{named.max}; drop 'min'/'max' or the 'scale'"
                )
        return self

    @model_validator(mode="after")
    def _check_module(self, info: ValidationInfo) -> WorksheetSpec:
        if self.module is None:
            return self
        known = [m.id for m in ((info.context or {}).get("modules") or modules())]
        if self.module not in known:
            raise ValueError(f"module '{self.module}' is not in modules.yaml (known: {', '.join(known)})")
        if self.step is not None and self.module != f"step-{self.step}":
            raise ValueError(f"'step: {self.step}' and 'module: {self.module}' disagree; give 'module' only")
        return self

    @model_validator(mode="after")
    def _check_renames(self) -> WorksheetSpec:
        ids = {q.id for q in self.questions()}
        targets = {r.to: r.old for r in self.renames}
        seen: set[str] = set()
        for r in self.renames:
            where = f"rename '{r.old}' -> '{r.to}'"
            if r.old == r.to:
                raise ValueError(f"{where}: 'from' and 'to' are the same id")
            if r.old in targets:
                raise ValueError(
                    f"{where}: '{r.old}' is itself the target of rename '{targets[r.old]}' -> '{r.old}'; "
                    f"chains are not allowed, rename '{targets[r.old]}' straight to '{r.to}'"
                )
        for r in self.renames:
            where = f"rename '{r.old}' -> '{r.to}'"
            if r.old in ids:
                raise ValueError(f"{where}: '{r.old}' is still a question of this spec, so its answers cannot move")
            if r.to not in ids:
                raise ValueError(f"{where}: '{r.to}' is not a question of this spec")
            if r.version > self.version:
                raise ValueError(f"{where}: version {r.version} is later than the spec's version {self.version}")
            if r.old in seen:
                raise ValueError(f"{where}: '{r.old}' is renamed twice")
            seen.add(r.old)
        moved_in = [r.to for r in self.renames]
        twice = sorted({t for t in moved_in if moved_in.count(t) > 1})
        if twice:
            raise ValueError(f"two renames move answers into '{twice[0]}'; keep one (answers cannot be merged)")
        return self

    def questions(self) -> list[Question]:
        """Every question, in the order shown."""
        return [q for s in self.sections for q in s.questions]

    def question(self, question_id: str) -> Question:
        """The question with this id (``KeyError`` naming the spec if there is none)."""
        for q in self.questions():
            if q.id == question_id:
                return q
        raise KeyError(f"spec '{self.id}' has no question '{question_id}'")

    def options_for(self, question: Any) -> list[Option]:
        """The options of a question (or table column), resolving named scales.

        A ``scale`` question (or a ``choice`` naming a rating scale) gives one option per point,
        values ``"1"``, ``"2"``...; text and number questions give ``[]``.
        """
        if getattr(question, "options", None) is not None:
            return list(question.options)
        name = getattr(question, "scale", None)
        if name is not None and getattr(question, "type", None) != "scale":
            return self.scales[name].as_options()
        if getattr(question, "type", None) == "scale":
            return [Option(value=str(v), label=str(v)) for v in range(question.min, question.max + 1)]
        return []

    def questions_tagged(self, tag: str) -> list[Question]:
        """The questions carrying ``tag``, in order.

        Raises
        ------
        ValueError
            If ``tag`` is not one of :data:`~sectorkit.specs.library.KNOWN_TAGS` (a typo would find nothing).
        """
        check_tags([tag])
        return [q for q in self.questions() if tag in q.tags]

    def option_values_tagged(self, question: Question, tag: str) -> set[str]:
        """The stored values of ``question``'s options that carry ``tag`` (e.g. ``{"not-yet"}``).

        Raises
        ------
        ValueError
            If ``tag`` is not a known tag.
        """
        check_tags([tag])
        return {o.value for o in self.options_for(question) if tag in o.tags}


def _fill_ratings(section: Any, scales: dict[str, Any]) -> Any:
    """Copy ``min``/``max``/end labels of named rating scales into the ``scale`` questions naming them."""
    if not isinstance(section, dict) or not isinstance(section.get("questions"), list):
        return section
    questions = []
    for q in section["questions"]:
        named = scales.get(q.get("scale")) if isinstance(q, dict) and q.get("type") == "scale" else None
        if isinstance(named, (dict, list)):
            try:
                named = Scale.model_validate(named)
            except ValidationError:
                named = None  # reported where the spec's own scales are validated
        if isinstance(named, Scale) and named.is_rating:
            q = dict(q)
            for key in ("min", "max", "min_label", "max_label"):
                if q.get(key) is None and getattr(named, key) is not None:
                    q[key] = getattr(named, key)
        questions.append(q)
    return {**section, "questions": questions}


def module_order(spec: WorksheetSpec) -> tuple[int, str]:
    """Sort key for specs: the module's order in the curriculum (``modules.yaml``), then the id.

    Specs without a module come last. (Within a report section, sort by ``spec.report.order``.)

    >>> from sectorkit.specs import load_spec
    >>> sorted(["sustainability", "step2-aar", "step1-aar"], key=lambda i: module_order(load_spec(i)))
    ['step1-aar', 'step2-aar', 'sustainability']
    """
    order = {m.id: m.order for m in modules()}
    return (order.get(spec.module, 10**6) if spec.module else 10**6, spec.id)


def parse_spec(
    data: Any, source: str = "spec", *, scales: dict[str, Scale] | None = None, modules: list[Module] | None = None
) -> WorksheetSpec:
    """Validate already-loaded spec data.

    Parameters
    ----------
    data : dict
        The spec as read from YAML/JSON.
    source : str
        Name used in error messages (usually the file name).
    scales : dict of str to Scale, optional
        Shared named scales; default: the shipped ``_scales.yaml``.
    modules : list of Module, optional
        The curriculum's modules ``module:`` must name; default: ``data/modules.yaml``.

    Raises
    ------
    SpecError
        With every problem and where it is, e.g. ``sections.0.questions.2.scale: ...``.
    """
    if not isinstance(data, dict):
        raise SpecError(f"{source} is not a valid worksheet spec: the top level must be a mapping of fields.")
    try:
        return WorksheetSpec.model_validate(data, context={"scales": scales, "modules": modules})
    except ValidationError as exc:
        problems = "\n".join(f"  - {line}" for line in format_errors(exc))
        raise SpecError(f"{source} is not a valid worksheet spec:\n{problems}") from None
