"""Worksheet specs: questions, scales and checklists declared as data.

A spec is a YAML (or JSON) file under ``data/worksheets/``. It is validated on
load by the pydantic models below; a bad spec raises
:class:`~sectorkit.core.errors.SpecError` naming the file and the exact place.

>>> spec = parse_spec({
...     "id": "demo", "version": 1, "title": "Demo", "kind": "worksheet",
...     "sections": [{"id": "s", "title": "S", "questions": [
...         {"id": "q", "type": "text", "label": "Your region?"}]}]})
>>> [q.id for q in spec.questions()]
['q']
>>> parse_spec({"id": "demo", "title": "Demo", "sections": []}, source="demo.yaml")
Traceback (most recent call last):
...
sectorkit.core.errors.SpecError: demo.yaml is not a valid worksheet spec:
  - version: field required
  - sections: a worksheet needs at least one section
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sectorkit.core.errors import SpecError
from sectorkit.core.paths import data_dir

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
QuestionType = Literal["text", "long_text", "choice", "multi", "checklist", "scale", "number"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Model):
    value: str = Field(min_length=1, max_length=80)
    label: str = Field(min_length=1, max_length=300)


class Question(_Model):
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

    @model_validator(mode="after")
    def _check_kind(self) -> "Question":
        needs_options = self.type in ("choice", "multi", "checklist")
        if needs_options and not (self.options or self.scale):
            raise ValueError(f"a '{self.type}' question needs 'options' or 'scale'")
        if not needs_options and (self.options or self.scale):
            raise ValueError(f"a '{self.type}' question takes no 'options' or 'scale'")
        if self.options and self.scale:
            raise ValueError("give either 'options' or 'scale', not both")
        if self.type == "scale":
            if self.min is None or self.max is None:
                raise ValueError("a 'scale' question needs 'min' and 'max'")
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
    id: str = Field(pattern=SLUG, max_length=60)
    title: str = Field(min_length=1, max_length=200)
    intro: str | None = Field(default=None, max_length=2000)
    questions: list[Question] = Field(min_length=1)


class Dimension(_Model):
    """A scored dimension of an assessment (items point to it with ``dimension:``)."""

    id: str = Field(pattern=SLUG, max_length=60)
    title: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=1000)


class WorksheetSpec(_Model):
    id: str = Field(pattern=SLUG, max_length=60)
    version: int = Field(ge=1)
    title: str = Field(min_length=1, max_length=200)
    kind: Literal["worksheet", "after_action_review", "assessment", "checklist"] = "worksheet"
    step: int | None = Field(default=None, ge=1, le=6)
    intro: str | None = Field(default=None, max_length=2000)
    attribution: str | None = Field(default=None, max_length=500)
    scales: dict[str, list[Option]] = Field(default_factory=dict)
    dimensions: list[Dimension] = Field(default_factory=list)
    sections: list[Section]

    @field_validator("sections")
    @classmethod
    def _some_sections(cls, sections: list[Section]) -> list[Section]:
        if not sections:
            raise ValueError("a worksheet needs at least one section")
        return sections

    @model_validator(mode="after")
    def _check_refs(self) -> "WorksheetSpec":
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
        if self.kind == "assessment":
            scored = {q.dimension for q in self.questions() if q.dimension}
            empty = [d.id for d in self.dimensions if d.id not in scored]
            if not self.dimensions or empty:
                raise ValueError(
                    "an assessment needs dimensions, each scored by at least one 'scale' question"
                    + (f" (no items for: {', '.join(empty)})" if empty else "")
                )
        return self

    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    def options_for(self, question: Question) -> list[Option]:
        """The options of a choice, multi or checklist question (resolving named scales)."""
        if question.options is not None:
            return list(question.options)
        if question.scale is not None:
            return list(self.scales[question.scale])
        if question.type == "scale":
            return [Option(value=str(v), label=str(v)) for v in range(question.min, question.max + 1)]
        return []


def _format_errors(exc: ValidationError) -> list[str]:
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = err["msg"]
        if err["type"] == "missing":
            msg = "field required"
        elif err["type"] == "extra_forbidden":
            msg = "unknown field (check its spelling)"
        msg = msg.removeprefix("Value error, ")
        lines.append(f"{where}: {msg}")
    return lines


def parse_spec(data: Any, source: str = "spec") -> WorksheetSpec:
    """Validate already-loaded spec data; raise :class:`SpecError` with every problem."""
    if not isinstance(data, dict):
        raise SpecError(f"{source} is not a valid worksheet spec: the top level must be a mapping of fields.")
    try:
        return WorksheetSpec.model_validate(data)
    except ValidationError as exc:
        problems = "\n".join(f"  - {line}" for line in _format_errors(exc))
        raise SpecError(f"{source} is not a valid worksheet spec:\n{problems}") from None


def load_spec_file(path: str | os.PathLike) -> WorksheetSpec:
    """Read and validate one spec file (``.yaml``, ``.yml`` or ``.json``)."""
    path = Path(path)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = None
    return _load_spec_file(str(path), mtime)


@lru_cache(maxsize=256)
def _load_spec_file(name: str, mtime: int | None) -> WorksheetSpec:
    path = Path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(f"Spec file not found: {path}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"Cannot read spec file {path}: {exc}.") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, ValueError) as exc:
        raise SpecError(f"{path.name} is not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {exc}") from None
    return parse_spec(data, source=path.name)


def spec_dir() -> Path:
    return data_dir() / "worksheets"


@lru_cache(maxsize=None)
def _index(folder: str) -> dict[str, Path]:
    index: dict[str, Path] = {}
    for path in sorted(Path(folder).glob("*.y*ml")) + sorted(Path(folder).glob("*.json")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.suffix != ".json" else json.loads(path.read_text())
        spec_id = data.get("id") if isinstance(data, dict) else None
        if isinstance(spec_id, str):
            index[spec_id] = path
    return index


def available_specs(folder: str | os.PathLike | None = None) -> list[str]:
    """Ids of the worksheet specs shipped under ``data/worksheets``."""
    return sorted(_index(str(folder or spec_dir())))


def load_spec(spec_id: str, folder: str | os.PathLike | None = None) -> WorksheetSpec:
    """Load the spec with this id from ``data/worksheets`` (or ``folder``)."""
    index = _index(str(folder or spec_dir()))
    if spec_id not in index:
        known = ", ".join(sorted(index)) or "none"
        raise SpecError(f"No worksheet spec with id '{spec_id}'. Known specs: {known}.")
    return load_spec_file(index[spec_id])
