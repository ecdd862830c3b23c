"""Module 5: the metrics a partnership tracks, their dated values, its stories, and the suggested list.

The ``metrics-tracker`` worksheet holds three tables (column ids below are this module's schema):

* **metrics**: one row per chosen metric: ``name``, ``code`` (the suggested metric it follows, if
  any), ``category`` (``business``, ``people``, ``public``: see :data:`CATEGORIES`), ``kind``
  (``process`` or ``impact``), ``definition``, ``unit``, ``source``, ``target`` (a number in the
  unit) and ``shared`` (share with the state);
* **values**: ``metric`` (a ``row`` cell: the id of a metrics row), ``date`` (ISO ``yyyy-mm-dd``),
  ``value`` (a number in the metric's unit) and ``note``;
* **stories**: ``date``, ``what`` happened, ``who``, a ``quote``, ``consent`` (the person agreed to
  the quote being shared), ``consent-on`` (when that was recorded) and ``shared``.

Every metric is read as *higher is better* (the suggested list is written that way: "completers
hired within 90 days", not "days to hire"), so :func:`progress_to_target` is the latest value as a
fraction of the target. Nothing here draws or saves; the page is :mod:`sectorkit.apps.metrics`, the
charts :mod:`sectorkit.views.metrics`, and the statewide rollup reads :func:`region_metrics` and
:func:`region_stories`.

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> ws = Workspace.open("demo-region", root=tempfile.mkdtemp())
>>> (mid,) = ws.save_rows(METRICS_SPEC, METRICS, [{"name": "Companies taking part", "code": "companies-engaged",
...     "category": "business", "kind": "process", "unit": "companies", "target": 40, "shared": True}])
>>> _ = ws.save_rows(METRICS_SPEC, VALUES, [{"metric": mid, "date": "2026-09-30", "value": 30},
...                                         {"metric": mid, "date": "2026-03-31", "value": 18}])
>>> (metric,) = region_metrics(ws)
>>> metric.values, latest_value(metric), progress_to_target(metric)
([('2026-03-31', 18.0), ('2026-09-30', 30.0)], ('2026-09-30', 30.0), 0.75)
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sectorkit.core.errors import SpecError
from sectorkit.core.paths import data_dir
from sectorkit.specs.library import SLUG, format_errors
from sectorkit.workspaces.workbook import safe_text

__all__ = ["CATEGORIES", "KINDS", "METRICS", "METRICS_SPEC", "STORIES", "VALUES", "Metric", "Story",
           "SuggestedMetric", "latest_value", "metrics_workbook", "progress_to_target", "region_metrics",
           "region_stories", "suggested_metrics", "tracker_problems"]

#: the worksheet and its three tables
METRICS_SPEC = "metrics-tracker"
METRICS, VALUES, STORIES = "metrics", "values", "stories"
#: category value -> label (the spec's ``metric-category`` scale), in dashboard order
CATEGORIES = {"business": "Business and industry", "people": "Jobseekers and students",
              "public": "Public programs and resources"}
#: kind value -> label (the spec's ``metric-kind`` scale)
KINDS = {"process": "Process", "impact": "Impact"}
SUGGESTED_FILE = "_metrics.yaml"


class SuggestedMetric(BaseModel):
    """One metric of the suggested list (``data/worksheets/_metrics.yaml``).

    Attributes
    ----------
    code : str
        A slug; a tracked metric keeps it in its ``code`` column so a state can add it up across regions.
    name, definition, unit : str
        Plain text (``unit``: what one is, e.g. "companies", "dollars", "percent of completers").
    category : str
        ``business``, ``people`` or ``public`` (:data:`CATEGORIES`).
    kind : str
        ``process`` (what the partnership does) or ``impact`` (what changes because of it).
    common : bool
        One of the handful a state might gather from every partnership.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=SLUG, max_length=60)
    name: str = Field(min_length=3, max_length=160)
    category: Literal["business", "people", "public"]
    kind: Literal["process", "impact"]
    definition: str = Field(min_length=10, max_length=1000)
    unit: str = Field(min_length=1, max_length=60)
    common: bool = False

    def as_row(self) -> dict[str, Any]:
        """A new row of the metrics table following this metric (source, target and sharing left to the team)."""
        return {"name": self.name, "code": self.code, "category": self.category, "kind": self.kind,
                "definition": self.definition, "unit": self.unit, "source": None, "target": None, "shared": None}


class _SuggestedFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    metrics: list[SuggestedMetric] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> _SuggestedFile:
        codes = [m.code for m in self.metrics]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise ValueError(f"codes must be unique ({', '.join(twice)} used twice)")
        return self


@lru_cache(maxsize=4)
def _suggested(path: Path, _stamp: int) -> tuple[SuggestedMetric, ...]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return tuple(_SuggestedFile.model_validate(raw).metrics)
    except (OSError, yaml.YAMLError) as exc:
        raise SpecError(f"The suggested metrics {path.name} cannot be read: {exc}") from None
    except ValidationError as exc:
        problems = "\n".join(f"  - {line}" for line in format_errors(exc))
        raise SpecError(f"{path.name} is not a valid list of suggested metrics:\n{problems}") from None


def suggested_metrics(path: str | Path | None = None) -> list[SuggestedMetric]:
    """The suggested metrics, in the file's order (read again only when the file changes).

    Raises :class:`~sectorkit.core.errors.SpecError` naming each problem when the file is missing or invalid.

    >>> found = suggested_metrics()
    >>> sorted({m.category for m in found}), 4 <= sum(m.common for m in found) <= 6
    (['business', 'people', 'public'], True)
    """
    path = Path(path) if path is not None else data_dir() / "worksheets" / SUGGESTED_FILE
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise SpecError(f"The suggested metrics {path.name} cannot be read: {exc}") from None
    return list(_suggested(path, stamp))


@dataclass(frozen=True)
class Metric:
    """A tracked metric with its values.

    ``values`` are ``(ISO date, value)`` in the metric's unit, sorted by date (rows of the same date
    keep their table order); ``target`` is in the unit too (None: not set). ``category`` and ``kind``
    are None when not chosen; ``problems`` name what is incomplete (plain text); ``row`` counts from 1.
    """

    row_id: str
    name: str
    code: str | None
    category: str | None
    kind: str | None
    definition: str
    unit: str
    source: str
    target: float | None
    shared: bool
    values: list[tuple[str, float]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    row: int = 0

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category or "", "No category chosen")

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind or "", "")


@dataclass(frozen=True)
class Story:
    """One story (plain text as typed; ``date``/``consent_on`` ISO or None; ``row`` counts from 1).

    ``quote`` is the quote as typed; :attr:`quote_to_show` is what any report may show: the quote only
    when ``consent`` is True.
    """

    row_id: str
    date: str | None
    what: str
    who: str
    quote: str
    consent: bool
    shared: bool
    consent_on: str | None = None
    row: int = 0

    @property
    def quote_to_show(self) -> str:
        return self.quote if self.consent else ""


def _text(value: Any) -> str:
    return str(value).strip() if value not in (None, "") else ""


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _iso(value: Any) -> str | None:
    try:
        return date.fromisoformat(value).isoformat() if isinstance(value, str) else None
    except ValueError:
        return None


def _blank(value: Mapping[str, Any]) -> bool:
    return all(v in (None, "") for v in value.values())


@dataclass
class _Entry:
    metric: Metric
    date: str
    value: float
    note: str


def _read(ws: Any) -> tuple[list[Metric], list[_Entry], list[str]]:
    """The metrics (values attached), every good value entry, and the value rows that name no metric."""
    rows = [(n, r) for n, r in enumerate(ws.rows(METRICS_SPEC, METRICS), 1) if not _blank(r.value)]
    metrics, by_id, by_name = [], {}, {}
    for n, r in rows:
        v = r.value
        name = _text(v.get("name"))
        category = v.get("category") if v.get("category") in CATEGORIES else None
        kind = v.get("kind") if v.get("kind") in KINDS else None
        problems = [p for p, bad in (("no name", not name), ("no category", category is None),
                                     ("not marked process or impact", kind is None)) if bad]
        metric = Metric(r.row_id, name or f"Row {n} (unnamed)", _text(v.get("code")) or None, category, kind,
                        _text(v.get("definition")), _text(v.get("unit")), _text(v.get("source")),
                        _number(v.get("target")), v.get("shared") is True, problems=problems, row=n)
        metrics.append(metric)
        by_id[r.row_id] = metric
        by_name.setdefault(name.casefold(), metric)
    entries, orphans = [], []
    for n, r in enumerate(ws.rows(METRICS_SPEC, VALUES), 1):
        v = r.value
        if _blank(v):
            continue
        ref = _text(v.get("metric"))
        metric = by_id.get(ref) or (by_name.get(ref.casefold()) if ref else None)
        when, number = _iso(v.get("date")), _number(v.get("value"))
        if metric is None:
            why = "names no metric" if not ref else "names a metric that was deleted or is not in the metrics table"
            orphans.append(f"values row {n} {why}; it is left out")
        elif when is None or number is None:
            missing = " and no ".join(w for w, bad in (("date", when is None), ("value", number is None)) if bad)
            metric.problems.append(f"values row {n} has no {missing}; it is left out")
        else:
            entries.append(_Entry(metric, when, number, _text(v.get("note"))))
    for entry in sorted(entries, key=lambda e: e.date):  # stable: same-date rows keep their table order
        entry.metric.values.append((entry.date, entry.value))
    return metrics, entries, orphans


def region_metrics(ws: Any) -> list[Metric]:
    """Every tracked metric of the region, in table order, with its dated values.

    Parameters
    ----------
    ws : Workspace
        The region's workspace (only ``ws.rows`` is called, so a read-only one works).

    Returns
    -------
    list of Metric
        Empty rows are skipped; an incomplete row is kept with its ``problems`` ("no category",
        "values row 4 has no date; it is left out"). A value naming a deleted metric is in
        :func:`tracker_problems`, never silently attached elsewhere.
    """
    return _read(ws)[0]


def tracker_problems(ws: Any) -> list[str]:
    """Everything incomplete in the tracker, one plain-text line each (each metric's problems, then stray values).

    >>> import tempfile
    >>> from sectorkit.store.workspace import Workspace
    >>> ws = Workspace.open("demo-region", root=tempfile.mkdtemp())
    >>> _ = ws.save_rows(METRICS_SPEC, VALUES, [{"metric": "gone", "date": "2026-01-01", "value": 1}])
    >>> tracker_problems(ws)
    ['values row 1 names a metric that was deleted or is not in the metrics table; it is left out']
    """
    metrics, _, orphans = _read(ws)
    return [f"{m.name}: {p}" for m in metrics for p in m.problems] + orphans


def region_stories(ws: Any) -> list[Story]:
    """The region's stories in table order (empty rows skipped); a quote counts as consented only when ``consent``
    is Yes. A story missing ``what`` happened is still listed (its ``what`` is "")."""
    stories = []
    for n, r in enumerate(ws.rows(METRICS_SPEC, STORIES), 1):
        v = r.value
        if _blank(v):
            continue
        stories.append(Story(r.row_id, _iso(v.get("date")), _text(v.get("what")), _text(v.get("who")),
                             _text(v.get("quote")), v.get("consent") is True, v.get("shared") is True,
                             _iso(v.get("consent-on")), row=n))
    return stories


def latest_value(metric: Metric) -> tuple[str, float] | None:
    """The latest ``(ISO date, value)`` of a metric, or None when it has no value yet."""
    return metric.values[-1] if metric.values else None


def progress_to_target(metric: Metric) -> float | None:
    """The latest value as a fraction of the target (0.75 is three quarters of the way; above 1 is past it).

    None when there is no value, no target, or a target of zero or less (no fraction makes sense).

    >>> m = Metric("r1", "Openings", None, "people", "process", "", "openings", "", 50.0, False, [("2026-01-01", 60.0)])
    >>> progress_to_target(m), progress_to_target(Metric("r2", "X", None, None, None, "", "", "", None, False))
    (1.2, None)
    """
    latest = latest_value(metric)
    if latest is None or metric.target is None or metric.target <= 0:
        return None
    return latest[1] / metric.target


def _sheet(book, title: str, headings: list[str], widths: list[int]):
    from openpyxl.styles import Font

    sheet = book.create_sheet(title)
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = width
    return sheet


def _cells(values: list[Any]) -> list[Any]:
    """Text made safe for a spreadsheet (never run as a formula); numbers, dates and None kept."""
    return [safe_text(v) if isinstance(v, str) else v for v in values]


def metrics_workbook(ws: Any) -> bytes:
    """The tracker as an Excel workbook (``.xlsx`` bytes): sheets Summary, Metrics, Values and Stories.

    Summary has one row per metric (category, kind, unit, target, latest date and value, progress
    as a percentage cell, number of values) and, below, every problem of :func:`tracker_problems`.
    Dates are date cells, numbers numbers; text that starts like a formula gets a leading
    apostrophe (:func:`~sectorkit.workspaces.workbook.safe_text`). A quote without recorded consent
    is left out (its cell says so).

    >>> import io, tempfile
    >>> from openpyxl import load_workbook
    >>> from sectorkit.store.workspace import Workspace
    >>> ws = Workspace.open("demo-region", root=tempfile.mkdtemp())
    >>> _ = ws.save_rows(METRICS_SPEC, METRICS, [{"name": "=1+1", "category": "public", "kind": "impact"}])
    >>> book = load_workbook(io.BytesIO(metrics_workbook(ws)))
    >>> book.sheetnames, book["Metrics"]["A2"].value
    (['Summary', 'Metrics', 'Values', 'Stories'], "'=1+1")
    """
    from openpyxl import Workbook  # loads only when a workbook is made

    metrics, entries, orphans = _read(ws)
    book = Workbook()
    book.remove(book.active)
    summary = _sheet(book, "Summary", ["Category", "Metric", "Process or impact", "Unit", "Target", "Latest date",
                                       "Latest value", "Progress to target", "Values", "Share with the state"],
                     [28, 40, 16, 22, 12, 14, 14, 18, 10, 18])
    for m in metrics:
        latest, progress = latest_value(m), progress_to_target(m)
        summary.append(_cells([m.category_label, m.name, m.kind_label, m.unit, m.target,
                               date.fromisoformat(latest[0]) if latest else None, latest[1] if latest else None,
                               progress, len(m.values), "Yes" if m.shared else "No"]))
        summary.cell(row=summary.max_row, column=6).number_format = "yyyy-mm-dd"
        summary.cell(row=summary.max_row, column=8).number_format = "0%"
    problems = [f"{m.name}: {p}" for m in metrics for p in m.problems] + orphans
    if problems:
        summary.append([])
        summary.append(["Needs attention"])
        for p in problems:
            summary.append(_cells([p]))
    sheet = _sheet(book, "Metrics", ["Metric", "Suggested-list code", "Category", "Process or impact", "Definition",
                                     "Unit", "Source", "Target", "Share with the state"],
                   [40, 22, 28, 16, 50, 22, 30, 12, 18])
    for m in metrics:
        sheet.append(_cells([m.name, m.code, m.category_label, m.kind_label, m.definition, m.unit, m.source,
                             m.target, "Yes" if m.shared else "No"]))
    sheet = _sheet(book, "Values", ["Metric", "Suggested-list code", "Date", "Value", "Unit", "Note"],
                   [40, 22, 14, 14, 22, 40])
    for e in sorted(entries, key=lambda e: (e.metric.row, e.date)):
        sheet.append(_cells([e.metric.name, e.metric.code, date.fromisoformat(e.date), e.value, e.metric.unit,
                             e.note or None]))
        sheet.cell(row=sheet.max_row, column=3).number_format = "yyyy-mm-dd"
    sheet = _sheet(book, "Stories", ["Date", "What happened", "Who", "Quote", "The person agreed to the quote",
                                     "Consent recorded on", "Share with the state"], [14, 60, 26, 50, 16, 16, 18])
    for s in region_stories(ws):
        quote = s.quote_to_show or ("(not included: no consent recorded)" if s.quote else None)
        sheet.append(_cells([date.fromisoformat(s.date) if s.date else None, s.what, s.who, quote,
                             "Yes" if s.consent else "No",
                             date.fromisoformat(s.consent_on) if s.consent_on else None, "Yes" if s.shared else "No"]))
        for column in (1, 6):
            sheet.cell(row=sheet.max_row, column=column).number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
