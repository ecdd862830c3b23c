"""What every spec draws on: options, shared named scales and the curriculum's modules.

Two data files sit beside the specs and are not specs themselves:

``data/worksheets/_scales.yaml``
    Named scales any spec can use with ``scale: <name>`` (a file whose name
    starts with ``_`` is never listed as a spec). A spec's own ``scales:``
    entry of the same name overrides the shared one. A spec folder other than
    the shipped one may hold its own ``_scales.yaml``; without one, the shipped
    scales apply.
``data/modules.yaml``
    The curriculum's modules (``id``, ``title``, ``order``), which a spec's
    ``module:`` must name.

A named scale is either a list of options (for ``choice``, ``multi`` and
``checklist`` questions) or a rating (``min``/``max`` with optional end labels,
for ``scale`` questions; a ``choice`` question can use one too, its options
being the points ``"1"``, ``"2"``...).

>>> Scale.model_validate([{"value": "yes", "label": "Yes"}]).options[0].value
'yes'
>>> rating = Scale(min=1, max=4, min_label="Not at all true", max_label="Fully true")
>>> [o.label for o in rating.as_options()]
['1 (Not at all true)', '2', '3', '4 (Fully true)']
>>> sorted(shared_scales())[:3]
['agreement-4', 'met', 'progress']
>>> [m.id for m in modules()][:3]
['introduction', 'step-1', 'step-2']
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sectorkit.core.errors import SpecError
from sectorkit.core.paths import REPO_ROOT, data_dir

__all__ = [
    "REPORT_SECTIONS",
    "KNOWN_TAGS",
    "SLUG",
    "Module",
    "Option",
    "Scale",
    "format_errors",
    "library_stamp",
    "modules",
    "modules_file",
    "read_data_file",
    "scales_file",
    "shared_scales",
]

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SHIPPED_DATA = REPO_ROOT / "data"
SCALES_FILE = "_scales.yaml"
MODULES_FILE = "modules.yaml"

#: Tags with a meaning sectorkit relies on (``tags:`` on a question or an option must be one of these).
#: Reports and progress views find content by tag, never by question id; add a tag here with its meaning.
KNOWN_TAGS: dict[str, str] = {
    "commitment": "a question whose answer lists what someone promised to do (one action per line, "
                  "ideally with an owner and a date); the region report collects these as commitments",
    "action-team": "a question describing the action teams (how they are formed, led and what they deliver)",
    "due-date": "a question or column holding the date something is due",
    "not-yet": "an option meaning 'not done yet'; progress views count answers with such an option",
    "journey-programs": "a table question listing the programs whose journeys a journey map compares (one row "
                        "per program); the journey engine finds it by this tag",
    "journey-steps": "a table question listing the steps of each program's journey (a program row, a stage, what "
                     "happens, what is received, strong and weak points, an order number); found by this tag",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Model):
    """One answer a ``choice``, ``multi`` or ``checklist`` question offers.

    Attributes
    ----------
    value : str
        What is stored (1-80 characters; keep it a short slug such as ``not-yet``, and never change it
        once teams have answered: stored answers keep the old value).
    label : str
        What the team sees (1-300 characters).
    tags : list of str
        Meanings sectorkit relies on, from :data:`KNOWN_TAGS`; e.g. ``[not-yet]`` on a "Not yet" option.
    """

    value: str = Field(min_length=1, max_length=80)
    label: str = Field(min_length=1, max_length=300)
    tags: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_tags(self) -> Option:
        check_tags(self.tags)
        return self


class Scale(_Model):
    """A named scale: a list of options, or a rating from ``min`` to ``max``.

    Write it in YAML either as a bare list of options (``progress: [{value: yes, label: Yes}, ...]``),
    as ``{options: [...]}``, or as a rating ``{min: 1, max: 4, min_label: ..., max_label: ...}``.

    Attributes
    ----------
    description : str, optional
        What the scale is for (shown to nobody; for spec authors).
    options : list of Option, optional
        The answers of an option scale (values unique).
    min, max : int, optional
        The ends of a rating scale: ``0 <= min < max <= min + 10``. Ratings are stored as ints.
    min_label, max_label : str, optional
        What the ends of a rating mean, e.g. "Not at all true" and "Fully true".
    """

    description: str | None = Field(default=None, max_length=500)
    options: list[Option] | None = None
    min: int | None = None
    max: int | None = None
    min_label: str | None = Field(default=None, max_length=200)
    max_label: str | None = Field(default=None, max_length=200)

    @model_validator(mode="before")
    @classmethod
    def _list_means_options(cls, data: Any) -> Any:
        return {"options": data} if isinstance(data, list) else data

    @model_validator(mode="after")
    def _one_kind(self) -> Scale:
        rating = any(v is not None for v in (self.min, self.max, self.min_label, self.max_label))
        if self.options is not None and rating:
            raise ValueError("a scale has either 'options' or 'min'/'max', not both")
        if self.options is not None:
            if not self.options:
                raise ValueError("an option scale needs at least one option")
            values = [o.value for o in self.options]
            if len(set(values)) != len(values):
                raise ValueError("option values must be unique")
        elif self.min is None or self.max is None:
            raise ValueError("a scale needs 'options', or 'min' and 'max' for a rating")
        elif not 0 <= self.min < self.max <= self.min + 10:
            raise ValueError("a rating scale needs 0 <= min < max <= min + 10")
        return self

    @property
    def is_rating(self) -> bool:
        """True for a ``min``/``max`` rating, False for a list of options."""
        return self.options is None

    def as_options(self) -> list[Option]:
        """The scale's options; a rating gives one option per point, its ends labelled."""
        if self.options is not None:
            return list(self.options)
        out = []
        for v in range(self.min, self.max + 1):
            end = self.min_label if v == self.min else self.max_label if v == self.max else None
            out.append(Option(value=str(v), label=f"{v} ({end})" if end else str(v)))
        return out


class Module(_Model):
    """One module of the curriculum (``data/modules.yaml``), which specs name with ``module:``.

    Attributes
    ----------
    id : str
        Slug, e.g. ``step-2`` or ``business-services``.
    title : str
        The module's title, e.g. "Step 2: Define the scope of industry focus".
    order : int
        Where it comes in the curriculum; lists, reviews and reports sort by it.
    summary : str
        One plain-text line on what the module is for (the home page shows it under the title).
    notebook : str or None
        The module's notebook file name in ``modules/`` (e.g. ``02_define_scope.ipynb``), or None
        while it has none. The home page links it in JupyterLab; the name is never shown to a user.
    """

    id: str = Field(pattern=SLUG, max_length=60)
    title: str = Field(min_length=1, max_length=200)
    order: int
    summary: str = Field(default="", max_length=300)
    notebook: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*\.ipynb$", max_length=100)


class _ScalesFile(_Model):
    scales: dict[str, Scale] = Field(default_factory=dict)


class _ModulesFile(_Model):
    modules: list[Module] = Field(min_length=1)


def check_tags(tags: list[str]) -> None:
    """Raise ``ValueError`` naming any tag that is not in :data:`KNOWN_TAGS` (or repeated)."""
    unknown = [t for t in tags if t not in KNOWN_TAGS]
    if unknown:
        raise ValueError(f"unknown tag(s) {', '.join(map(repr, unknown))}; known tags: {', '.join(KNOWN_TAGS)}")
    if len(set(tags)) != len(tags):
        raise ValueError("a tag is listed twice")


def format_errors(exc: ValidationError) -> list[str]:
    """One line per pydantic error: ``where: what``, in words a spec author can act on."""
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


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def read_data_file(path: str | os.PathLike) -> Any:
    """Parse a YAML (or ``.json``) data file, cached until the file changes.

    Raises
    ------
    SpecError
        If the file is missing, unreadable, or not valid YAML/JSON.
    """
    path = Path(path)
    return _read(str(path), _mtime(path))


@lru_cache(maxsize=256)
def _read(name: str, mtime: int | None) -> Any:
    path = Path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(f"Spec file not found: {path}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"Cannot read spec file {path}: {exc}.") from None
    try:
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, ValueError) as exc:
        raise SpecError(f"{path.name} is not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {exc}") from None


def scales_file(folder: str | os.PathLike | None = None) -> Path | None:
    """The ``_scales.yaml`` that applies to specs in ``folder``: its own, else the shipped one."""
    own = Path(folder or data_dir() / "worksheets") / SCALES_FILE
    for candidate in (own, SHIPPED_DATA / "worksheets" / SCALES_FILE):
        if candidate.is_file():
            return candidate
    return None


def modules_file() -> Path | None:
    """``modules.yaml`` in the data folder (``SECTORKIT_DATA``), else the shipped one."""
    for candidate in (data_dir() / MODULES_FILE, SHIPPED_DATA / MODULES_FILE):
        if candidate.is_file():
            return candidate
    return None


def library_stamp(folder: str | os.PathLike | None = None) -> tuple:
    """Which library files apply and when they changed (a cache key for parsed specs)."""
    files = (scales_file(folder), modules_file())
    return tuple((str(p), _mtime(p)) if p else None for p in files)


def _validated(path: Path | None, model: type[BaseModel]) -> BaseModel:
    if path is None:
        return model()
    return _validate(str(path), _mtime(path), model)


@lru_cache(maxsize=32)
def _validate(name: str, mtime: int | None, model: type[BaseModel]) -> BaseModel:
    data = read_data_file(name)
    if not isinstance(data, dict):
        raise SpecError(f"{Path(name).name} must be a mapping at the top level.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "\n".join(f"  - {line}" for line in format_errors(exc))
        raise SpecError(f"{Path(name).name} is not valid:\n{problems}") from None


def shared_scales(folder: str | os.PathLike | None = None) -> dict[str, Scale]:
    """The shared named scales for specs in ``folder`` (default: the shipped specs).

    Raises
    ------
    SpecError
        If ``_scales.yaml`` is unreadable or a scale in it is invalid (the message names it).
    """
    return dict(_validated(scales_file(folder), _ScalesFile).scales)


def modules() -> list[Module]:
    """The curriculum's modules in order (from ``modules.yaml``).

    Raises
    ------
    SpecError
        If ``modules.yaml`` is unreadable or invalid, or two modules share an id.
    """
    path = modules_file()
    if path is None:
        raise SpecError("modules.yaml not found in the data folder; it lists the curriculum's modules.")
    found = _validated(path, _ModulesFile).modules
    ids = [m.id for m in found]
    if len(set(ids)) != len(ids):
        raise SpecError(f"{path.name} lists a module id twice.")
    return sorted(found, key=lambda m: (m.order, m.id))


#: Sections of the region report a spec can be placed in with ``report: {section: ..., order: ...}``.
REPORT_SECTIONS: dict[str, str] = {
    "standing": "Where the region stands: the overview of each part of the work, and health checklists",
    "sectors": "Sectors chosen and why (the LMI Review)",
    "readiness": "How ready each shortlisted sector is (Industry readiness), ranked beside its LMI figures",
    "footprint": "The geographic footprint: counties in and out, and the sector's figures for them",
    "universe": "Who the team reaches (the Universe of Connections)",
    "launch-plan": "Ready to launch: convener, co-chairs, date and place, the invitations against the sizing rule",
    "influence": "The decision-makers the partnership needs and who on the team can reach them (influence map)",
    "launch-capture": "What business leaders said at the launch: priorities, requirements, champions",
    "action-team-tracker": "Action teams and their 60-day deliverables (overdue and unowned flagged)",
    "assessments": "How the self-assessments moved",
    "reviews": "After Action Reviews",
    "action-teams": "What the action teams promised",
    "outreach": "Outreach to businesses: who contacts which businesses, how often, and where outreach overlaps",
    "journeys": "Journeys through our programs: each program's steps by stage, where journeys overlap or repeat",
    "frontline": "The frontline: roles, whom they serve, and how demand information from the partnership reaches them",
    "pathways": "Career pathways: programs by institution and level, the links between them, dead ends and islands",
    "metrics": "Measuring success: metrics by category against their targets, and stories shared with consent",
}
