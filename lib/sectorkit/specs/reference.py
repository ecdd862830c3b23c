"""Reference material beside the curriculum: the FAQ, the case studies and the facilitator notes.

Three data files in ``data/`` (``SECTORKIT_DATA`` first, else the shipped folder), each checked by
pydantic models here; the FAQ page, the case studies page, the facilitator page and the module
notebooks' ``facilitator_notes`` / ``faq_link`` read them through this module.

``faq.yaml``
    ``questions``: :class:`FAQEntry` (``id``, ``question``, ``answer``, ``modules``, ``tags``).
``case_studies.yaml``
    ``examples`` (:class:`CaseStudy`), ``at_scale`` (:class:`AtScale`) and ``context`` figures.
``facilitator.yaml``
    ``notes``: :class:`FacilitatorNotes`, one per module of ``data/modules.yaml``.

A bad file raises :class:`~sectorkit.core.errors.SpecError` listing every problem, each naming
its entry by id (``question 'how-local': modules: unknown module 'step-9'``). Module ids must be
in ``data/modules.yaml``. Results are cached until the file changes.

>>> len(faq()) >= 18 and all(e.modules for e in faq())
True
>>> [e.id for e in filter_faq(faq(), "rural")][:1]
['rural-partnerships']
>>> facilitator_note("step-1").total_minutes > 60
True
>>> figure_text(Figure(value=30, unit="technology companies", qualifier="over", what="members"))
'over 30 technology companies'
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sectorkit.core.errors import SpecError
from sectorkit.core.paths import data_dir
from sectorkit.specs.library import SHIPPED_DATA, SLUG, format_errors, modules, read_data_file

__all__ = [
    "AtScale",
    "CaseStudies",
    "CaseStudy",
    "Exercise",
    "FAQEntry",
    "FacilitatorNotes",
    "Figure",
    "TimeItem",
    "Voice",
    "case_studies",
    "data_file",
    "facilitator_note",
    "facilitator_notes",
    "faq",
    "faq_for_module",
    "faq_source",
    "figure_text",
    "filter_faq",
    "search_words",
]

FAQ_FILE, CASES_FILE, NOTES_FILE = "faq.yaml", "case_studies.yaml", "facilitator.yaml"
TEXT = 4000  # longest free text of one field (characters)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FAQEntry(_Model):
    """One question of the FAQ.

    Attributes
    ----------
    id : str
        Slug, stable (the page and links use it).
    question : str
        The question as the page shows it (plain text).
    answer : str
        Plain text; paragraphs separated by a blank line (:attr:`paragraphs`).
    modules : list of str
        Ids from ``data/modules.yaml`` where the topic is taught; the first is the main one.
    tags : list of str
        Lowercase slugs the filter also searches.
    """

    id: str = Field(pattern=SLUG, max_length=60)
    question: str = Field(min_length=5, max_length=300)
    answer: str = Field(min_length=20, max_length=TEXT)
    modules: list[str] = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        """The answer's paragraphs, each on one line."""
        return _paragraphs(self.answer)

    @property
    def haystack(self) -> str:
        """What the filter searches: question, answer and tags, casefolded."""
        return " ".join([self.question, self.answer, *self.tags, *(t.replace("-", " ") for t in self.tags)]).casefold()


class Figure(_Model):
    """A number as the source gives it: ``value`` with its ``unit`` (``%``, ``sector partnerships``).

    ``qualifier`` is the source's hedge ("over", "nearly", "all"), shown before the number; ``what`` says
    what it counts (our words); ``group`` groups the results of an :class:`AtScale` entry.
    """

    value: float = Field(ge=0)
    unit: str = Field(min_length=1, max_length=80)
    qualifier: str | None = Field(default=None, max_length=40)
    what: str = Field(min_length=3, max_length=300)
    group: str | None = Field(default=None, max_length=80)


class Voice(_Model):
    """What a participant said, paraphrased by us (``paraphrase``) and attributed (``who``); never a quote."""

    who: str = Field(min_length=3, max_length=200)
    paraphrase: str = Field(min_length=10, max_length=1000)


class CaseStudy(_Model):
    """One partnership example: what it did (``summary``, our words), its ``figures``, ``voices``, ``source``."""

    id: str = Field(pattern=SLUG, max_length=60)
    name: str = Field(min_length=3, max_length=200)
    place: str = Field(min_length=2, max_length=120)
    sector: str = Field(min_length=2, max_length=120)
    source: str = Field(min_length=3, max_length=200)
    summary: str = Field(min_length=20, max_length=TEXT)
    figures: list[Figure] = Field(default_factory=list)
    modules: list[str] = Field(default_factory=list)
    voices: list[Voice] = Field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return _paragraphs(self.summary)


class AtScale(_Model):
    """Statewide results (e.g. Colorado's): each result a :class:`Figure` with its ``group``."""

    id: str = Field(pattern=SLUG, max_length=60)
    state: str = Field(min_length=2, max_length=80)
    source: str = Field(min_length=3, max_length=200)
    summary: str = Field(min_length=20, max_length=TEXT)
    results: list[Figure] = Field(min_length=1)
    modules: list[str] = Field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return _paragraphs(self.summary)


class CaseStudies(_Model):
    """The whole case studies file: the shared ``source``, national ``context``, ``examples``, ``at_scale``."""

    source: str = Field(min_length=3, max_length=200)
    context: list[Figure] = Field(default_factory=list)
    examples: list[CaseStudy] = Field(default_factory=list)
    at_scale: list[AtScale] = Field(default_factory=list)


class TimeItem(_Model):
    """One activity of a module's plan and how long it takes (``minutes``, 1-600)."""

    activity: str = Field(min_length=3, max_length=200)
    minutes: int = Field(ge=1, le=600)


class Exercise(_Model):
    """How to run one exercise: ``title``, ``minutes`` and the ``steps`` in order."""

    title: str = Field(min_length=3, max_length=200)
    minutes: int = Field(ge=1, le=600)
    steps: list[str] = Field(min_length=1)


class FacilitatorNotes(_Model):
    """A module's facilitator notes: time plan, materials, exercises, tips (plain text)."""

    module: str = Field(pattern=SLUG, max_length=60)
    summary: str = Field(min_length=10, max_length=500)
    time: list[TimeItem] = Field(min_length=1)
    materials: list[str] = Field(min_length=1)
    exercises: list[Exercise] = Field(default_factory=list)
    tips: list[str] = Field(default_factory=list)

    @property
    def total_minutes(self) -> int:
        """The sum of the plan's activities, in minutes."""
        return sum(t.minutes for t in self.time)


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


# -- files ------------------------------------------------------------------------------------
def data_file(name: str) -> Path:
    """``name`` in the data folder (``SECTORKIT_DATA``), else the shipped one. Raises SpecError if neither."""
    for candidate in (data_dir() / name, SHIPPED_DATA / name):
        if candidate.is_file():
            return candidate
    raise SpecError(f"{name} not found in the data folder.")


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _entries(data: Any, key: str, model: type[BaseModel], label: str, id_field: str | None,
             problems: list[str]) -> list[Any]:
    """Validate ``data[key]`` entry by entry; each problem names its entry (by ``id_field`` when it has one,
    else by its position); ids must be unique and module ids known."""
    items = data.get(key, [])
    if not isinstance(items, list):
        problems.append(f"{key}: must be a list")
        return []
    out, seen, known = [], set(), {m.id for m in modules()}
    for i, item in enumerate(items, 1):
        name = item.get(id_field) if isinstance(item, dict) and id_field else None
        where = f"{label} {name!r}" if isinstance(name, str) and name else f"{label} {i}"
        try:
            entry = model.model_validate(item)
        except ValidationError as exc:
            problems += [f"{where}: {line}" for line in format_errors(exc)]
            continue
        ident = getattr(entry, id_field) if id_field else i
        if ident in seen:
            problems.append(f"{where}: the id is used twice")
        seen.add(ident)
        listed = list(getattr(entry, "modules", None) or []) + ([ident] if id_field == "module" else [])
        problems += [f"{where}: modules: unknown module {m!r} (known: {', '.join(sorted(known))})"
                     for m in listed if m not in known]
        out.append(entry)
    return out


def _load(path: Path, key_models: list[tuple[str, type[BaseModel], str, str | None]]) -> tuple[dict, dict[str, list]]:
    data = read_data_file(path)
    if not isinstance(data, dict):
        raise SpecError(f"{path.name} must be a mapping at the top level.")
    problems: list[str] = []
    found = {key: _entries(data, key, model, label, id_field, problems)
             for key, model, label, id_field in key_models}
    if problems:
        raise SpecError(f"{path.name} is not valid:\n" + "\n".join(f"  - {p}" for p in problems))
    return data, found


@lru_cache(maxsize=8)
def _faq(name: str, mtime: int | None) -> tuple[str, tuple[FAQEntry, ...]]:
    data, found = _load(Path(name), [("questions", FAQEntry, "question", "id")])
    if not found["questions"]:
        raise SpecError(f"{Path(name).name} is not valid:\n  - questions: at least one question is needed")
    return str(data.get("source") or ""), tuple(found["questions"])


@lru_cache(maxsize=8)
def _cases(name: str, mtime: int | None) -> CaseStudies:
    path = Path(name)
    data, found = _load(path, [("examples", CaseStudy, "example", "id"), ("at_scale", AtScale, "at-scale entry", "id"),
                               ("context", Figure, "context figure", None)])
    try:
        return CaseStudies(source=data.get("source", ""), **found)
    except ValidationError as exc:
        raise SpecError(f"{path.name} is not valid:\n" + "\n".join(f"  - {p}" for p in format_errors(exc))) from None


@lru_cache(maxsize=8)
def _notes(name: str, mtime: int | None) -> tuple[FacilitatorNotes, ...]:
    return tuple(_load(Path(name), [("notes", FacilitatorNotes, "notes for module", "module")])[1]["notes"])


def _path(path: str | os.PathLike | None, name: str) -> Path:
    return Path(path) if path is not None else data_file(name)


def faq(path: str | os.PathLike | None = None) -> list[FAQEntry]:
    """Every FAQ entry in file order (``path``: another file than ``data/faq.yaml``).

    Raises
    ------
    SpecError
        The file is missing or not valid YAML, or an entry is invalid: each problem names the entry
        (``question 'how-local': modules: unknown module 'step-9' ...``).
    """
    p = _path(path, FAQ_FILE)
    return list(_faq(str(p), _mtime(p))[1])


def faq_source(path: str | os.PathLike | None = None) -> str:
    """The FAQ file's ``source`` line (plain text)."""
    p = _path(path, FAQ_FILE)
    return _faq(str(p), _mtime(p))[0]


def case_studies(path: str | os.PathLike | None = None) -> CaseStudies:
    """The case studies file (examples, at-scale results, context). Raises SpecError like :func:`faq`."""
    p = _path(path, CASES_FILE)
    return _cases(str(p), _mtime(p))


def facilitator_notes(path: str | os.PathLike | None = None) -> list[FacilitatorNotes]:
    """Every module's facilitator notes, in curriculum order. Raises SpecError like :func:`faq`."""
    p = _path(path, NOTES_FILE)
    order = {m.id: i for i, m in enumerate(modules())}
    return sorted(_notes(str(p), _mtime(p)), key=lambda n: order.get(n.module, len(order)))


def facilitator_note(module_id: str, path: str | os.PathLike | None = None) -> FacilitatorNotes:
    """The notes of one module.

    Raises
    ------
    SpecError
        No notes for ``module_id`` (the message lists the modules that have notes), or a bad file.

    >>> facilitator_note("no-such-module")
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.SpecError: There are no facilitator notes for module 'no-such-module'. ...
    """
    notes = facilitator_notes(path)
    for note in notes:
        if note.module == module_id:
            return note
    raise SpecError(f"There are no facilitator notes for module {module_id!r}. "
                    f"Modules with notes: {', '.join(n.module for n in notes)}.")


# -- the filter -------------------------------------------------------------------------------
def search_words(text: str | None) -> list[str]:
    """The words of a filter box's text: letters and digits, casefolded (punctuation splits words).

    >>> search_words("  Low-road EMPLOYERS? ")
    ['low', 'road', 'employers']
    """
    return re.findall(r"\w+", (text or "").casefold())


def filter_faq(entries: list[FAQEntry], text: str | None = "", module: str | None = None) -> list[FAQEntry]:
    """The entries whose question, answer or tags contain **every** word of ``text`` (as a part of a
    word: ``employ`` finds "employers"), and, with ``module``, that are filed under that module.
    Empty ``text`` and no ``module``: every entry. Order is kept.

    >>> entries = faq()
    >>> len(filter_faq(entries, "")) == len(entries)
    True
    >>> all("convener" in e.haystack for e in filter_faq(entries, "Convener"))
    True
    >>> filter_faq(entries, "rural no-such-word")
    []
    """
    words = search_words(text)
    return [e for e in entries
            if (not module or module in e.modules) and all(w in e.haystack for w in words)]


def faq_for_module(module_id: str, entries: list[FAQEntry] | None = None) -> list[FAQEntry]:
    """The FAQ entries filed under ``module_id`` (in file order)."""
    return [e for e in (faq() if entries is None else entries) if module_id in e.modules]


def figure_text(figure: Figure) -> str:
    """A figure as a person reads it: ``82%``, ``over 20 sector partnerships``, ``all 14 economic ...``.

    >>> figure_text(Figure(value=82, unit="%", what="of partnerships ..."))
    '82%'
    """
    number = f"{figure.value:g}"
    body = f"{number}%" if figure.unit == "%" else f"{number} {figure.unit}"
    return f"{figure.qualifier} {body}" if figure.qualifier else body
