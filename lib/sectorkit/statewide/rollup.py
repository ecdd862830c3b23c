"""Reading across a state's partnerships: stage, sectors, common metrics, stories, self-assessments.

A state's **regions** are the workspaces under one root whose profile
(:func:`sectorkit.workspaces.regions.region_profile`) names that state with scope ``"region"``; its
**state team** workspaces have scope ``"state"`` and hold the state self-assessment. Every workspace
is opened **read-only** (``Workspace.open(..., readonly=True)``): SQLite refuses any write, so the
statewide view and the state report can never change a region. A workspace that cannot be read is
listed with the reason, never dropped.

What a region **shares** with the state is its choice: metrics and stories marked "share with the
state" in its metrics tracker (:mod:`sectorkit.partnership.metrics`). A region that shares nothing is
shown as "nothing shared yet" and left out of every sum and median, never counted as zero. Its
stage, sectors and self-assessment are read from its worksheets, as the trainer view does.

>>> import tempfile
>>> from sectorkit.workspaces.regions import create_region
>>> root = tempfile.mkdtemp()
>>> create_region("Riverbend Valley", root, state="OH").close()
>>> view = state_rollup("OH", root)
>>> [(r.region, r.stage.label, r.shares_anything) for r in view.regions]
[('riverbend-valley', 'Getting started', False)]
>>> [(m.code, m.reporting, m.total) for m in view.metrics][:1]   # doctest: +ELLIPSIS
[(..., 0, 1)]
"""

from __future__ import annotations

import logging
import os
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from sectorkit.assessments.aar import aar_specs
from sectorkit.assessments.rounds import compare_rounds
from sectorkit.core.errors import WorkspaceError
from sectorkit.lmi.fetch import states
from sectorkit.lmi.sources import CHOICE_KIND
from sectorkit.partnership.metrics import Metric, Story, latest_value, region_metrics, region_stories, suggested_metrics
from sectorkit.specs import available_specs, load_spec
from sectorkit.specs.library import modules
from sectorkit.store.workspace import Workspace, default_root, list_regions
from sectorkit.workspaces.regions import STATES, parse_state, region_profile

__all__ = [
    "REGION_ASSESSMENT",
    "STATE_ASSESSMENT",
    "AssessmentResult",
    "MetricRollup",
    "RegionSnapshot",
    "Stage",
    "StateRollup",
    "read_region",
    "roll_up_metric",
    "stage_of",
    "state_name",
    "state_rollup",
    "states_present",
]

LOG = logging.getLogger("sectorkit")

#: The self-assessment each region keeps (rounds over time) and the one a state team keeps.
REGION_ASSESSMENT = "sustainability"
STATE_ASSESSMENT = "state-self-assessment"


@dataclass(frozen=True)
class Stage:
    """How far a partnership has come, from its After Action Reviews.

    ``step`` is the highest step (1-6) whose After Action Review has every question answered, 0 if
    none; ``reviews_done`` how many of the six are complete; ``label`` says it in words
    ("Step 3 done: Prepare to launch" or "Getting started").
    """

    step: int
    reviews_done: int
    label: str


@dataclass(frozen=True)
class AssessmentResult:
    """The latest scored round of a self-assessment and its change from the round before.

    Scores are on the assessment's rating scale (points, 1-4 for the bundled ones). ``overall`` is the
    mean of the dimensions' team scores; ``change`` is ``overall`` minus the previous round's overall,
    None for a first round. ``dimensions`` maps a dimension title to its team score, ``changes`` to its
    change from the previous round (None where either round did not score it).
    """

    spec_id: str
    round: str
    overall: float
    previous_round: str | None
    change: float | None
    dimensions: dict[str, float] = field(default_factory=dict)
    changes: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class RegionSnapshot:
    """What the statewide view reads from one region's workspace (read-only).

    Fields: ``region`` (id), ``name`` (free text: escape it), ``readable`` and ``problem`` (why not),
    ``stage``, ``sectors`` (titles of the sectors the region shortlisted in its LMI Review),
    ``metrics`` (those the region shares with the state; :class:`~sectorkit.partnership.metrics.Metric`),
    ``stories`` (shared ones; a quote only where consent is recorded), ``assessment`` (the region's
    latest sustainability self-assessment, or None), ``last_activity`` (UTC ISO time or None).
    """

    region: str
    name: str
    readable: bool = True
    problem: str = ""
    stage: Stage = Stage(0, 0, "Getting started")
    sectors: tuple[str, ...] = ()
    metrics: tuple[Metric, ...] = ()
    stories: tuple[Story, ...] = ()
    assessment: AssessmentResult | None = None
    last_activity: str | None = None

    @property
    def shares_anything(self) -> bool:
        """True if the region shares at least one metric with a value, or one story."""
        return any(m.values for m in self.metrics) or bool(self.stories)


@dataclass(frozen=True)
class MetricRollup:
    """One common metric across a state's regions.

    ``values`` maps a region id to its latest shared value (date ISO, value in ``unit``); ``reporting``
    is how many regions report it, ``total`` how many regions the state has. ``total_value`` (sum) and
    ``median`` are over the reporting regions only (None when none reports): a region that reports
    nothing is never a zero.
    """

    code: str
    name: str
    category: str
    unit: str
    values: dict[str, tuple[str, float]]
    reporting: int
    total: int
    total_value: float | None
    median: float | None


@dataclass(frozen=True)
class StateRollup:
    """The statewide view of one state: regions, common metrics, stories, assessments.

    ``state`` is the 2-letter code, ``state_name`` its display name; ``regions`` one
    :class:`RegionSnapshot` per regional workspace of the state (sorted by name); ``state_teams`` the
    snapshots of state-team workspaces; ``metrics`` one :class:`MetricRollup` per common metric of the
    suggested list; ``stages`` the count of regions at each stage label (in step order);
    ``sectors`` how many regions shortlisted each sector; ``state_assessment`` the state team's latest
    state self-assessment (None if none).
    """

    state: str
    regions: list[RegionSnapshot]
    state_teams: list[RegionSnapshot]
    metrics: list[MetricRollup]
    stages: list[tuple[str, int]]
    sectors: list[tuple[str, int]]
    state_assessment: AssessmentResult | None

    @property
    def state_name(self) -> str:
        return state_name(self.state)

    @property
    def stories(self) -> list[tuple[RegionSnapshot, Story]]:
        """Every shared story with its region, newest first."""
        found = [(r, s) for r in self.regions for s in r.stories]
        return sorted(found, key=lambda pair: pair[1].date or "", reverse=True)


def state_name(code: str) -> str:
    """A state's name from its 2-letter code, read from the shipped BLS area titles (``lmi.fetch.states``).

    >>> state_name("OH"), state_name("ZZ")
    ('Ohio', 'ZZ')
    """
    fips = STATES.get(code)
    return next((name for name, c in states() if c == fips), code)


def _step_titles() -> dict[int, str]:
    out = {}
    for m in modules():
        if m.id.startswith("step-") and m.id[5:].isdigit():
            out[int(m.id[5:])] = m.title.split(": ", 1)[-1]
    return out


def stage_of(ws: Workspace) -> Stage:
    """The partnership's stage from its After Action Reviews (reads only).

    A review is done when every question has an answer; the stage is the highest step done.
    """
    done = []
    for spec in aar_specs():
        saved = ws.answers(spec.id)
        qs = spec.questions()
        if qs and spec.step and all(saved.get(q.id) not in (None, "", []) for q in qs):
            done.append(spec.step)
    if not done:
        return Stage(0, 0, "Getting started")
    step = max(done)
    title = _step_titles().get(step, "")
    return Stage(step, len(done), f"Step {step} done: {title}" if title else f"Step {step} done")


def _assessment(ws: Workspace, spec_id: str) -> AssessmentResult | None:
    if spec_id not in available_specs():
        return None
    table = compare_rounds(ws, load_spec(spec_id))
    if table is None or table.empty:
        return None
    latest = table["latest"].dropna()
    if latest.empty:
        return None
    overall = float(latest.mean())
    previous = table["previous"].dropna() if "previous" in table else []
    prev_round = table["previous_round"].iloc[0]
    change = float(overall - previous.astype(float).mean()) if len(previous) else None
    dims = {str(t): float(v) for t, v in zip(table["title"], table["latest"], strict=True) if v == v}
    changes = {str(t): (round(float(c), 2) if c is not None and c == c else None)
               for t, c in zip(table["title"], table["change"], strict=True)}
    return AssessmentResult(spec_id, str(table["latest_round"].iloc[0]), round(overall, 2),
                            str(prev_round) if prev_round else None,
                            round(change, 2) if change is not None else None, dims, changes)


def _sectors(ws: Workspace) -> tuple[str, ...]:
    picked = [c for c in ws.records(CHOICE_KIND).values() if isinstance(c, dict) and c.get("decision") == "shortlist"]
    return tuple(sorted({str(c.get("title") or "").strip() for c in picked} - {""}))


def read_region(region: str, root: str | os.PathLike | None = None) -> RegionSnapshot:
    """Read one workspace read-only into a :class:`RegionSnapshot` (an unreadable one says why).

    Never raises for a workspace problem: it is reported in ``problem`` with ``readable=False``.
    """
    try:
        ws = Workspace.open(region, root, readonly=True)
    except WorkspaceError as exc:
        return RegionSnapshot(region, region, readable=False, problem=str(exc))
    try:
        metrics = tuple(m for m in region_metrics(ws) if m.shared)
        stories = tuple(s for s in region_stories(ws) if s.shared)
        return RegionSnapshot(region, ws.name, stage=stage_of(ws), sectors=_sectors(ws), metrics=metrics,
                              stories=stories, assessment=_assessment(ws, REGION_ASSESSMENT),
                              last_activity=ws.activity()["last"])
    except Exception as exc:  # noqa: BLE001 - one damaged workspace must not hide the state's other regions
        LOG.exception("statewide: region %s could not be read", region)
        return RegionSnapshot(region, ws.name, readable=False, problem=f"{type(exc).__name__}: {exc}")
    finally:
        ws.close()


def _profiles(root: Path) -> list[tuple[str, dict]]:
    found = []
    for rid in list_regions(root):
        try:
            with Workspace.open(rid, root, readonly=True) as ws:
                found.append((rid, region_profile(ws)))
        except WorkspaceError:
            continue
    return found


def states_present(root: str | os.PathLike | None = None) -> list[tuple[str, int]]:
    """The states named by region profiles under ``root``: ``[(code, number of regional workspaces)]``.

    A state with only a state team is listed with 0 regions.
    """
    folder = Path(root).expanduser() if root is not None else default_root()
    counts: dict[str, int] = {}
    for _rid, profile in _profiles(folder):
        if profile["state"]:
            counts[profile["state"]] = counts.get(profile["state"], 0) + (profile["scope"] == "region")
    return sorted(counts.items())


def roll_up_metric(code: str, name: str, category: str, unit: str, regions: list[RegionSnapshot]) -> MetricRollup:
    """Sum and median of the latest shared value of metric ``code`` over the regions that report it.

    >>> roll_up_metric("x", "X", "people", "people", []).reporting
    0
    """
    values: dict[str, tuple[str, float]] = {}
    for snap in regions:
        for metric in snap.metrics:
            if metric.code == code and (got := latest_value(metric)) is not None:
                if snap.region not in values or got[0] > values[snap.region][0]:
                    values[snap.region] = got
    numbers = [v for _d, v in values.values()]
    return MetricRollup(code, name, category, unit, values, len(values), len(regions),
                        float(sum(numbers)) if numbers else None,
                        float(statistics.median(numbers)) if numbers else None)


def state_rollup(state: str, root: str | os.PathLike | None = None) -> StateRollup:
    """The statewide view of ``state`` (a 2-letter code) over every workspace under ``root``.

    Raises
    ------
    WorkspaceError
        If ``state`` is not a 2-letter state code.
    """
    code = parse_state(state)
    if not code:
        raise WorkspaceError("Name the state (a 2-letter code, for example OH).")
    folder = Path(root).expanduser() if root is not None else default_root()
    profiles = [(rid, p) for rid, p in _profiles(folder) if p["state"] == code]
    regions = sorted((read_region(rid, folder) for rid, p in profiles if p["scope"] == "region"),
                     key=lambda s: (s.name.casefold(), s.region))
    teams = [read_region(rid, folder) for rid, p in profiles if p["scope"] == "state"]
    metrics = [roll_up_metric(s.code, s.name, s.category, s.unit, regions) for s in suggested_metrics() if s.common]
    stage_counts: dict[tuple[int, str], int] = {}
    for snap in regions:
        if snap.readable:
            stage_counts[(snap.stage.step, snap.stage.label)] = stage_counts.get((snap.stage.step, snap.stage.label),
                                                                                 0) + 1
    sectors: dict[str, int] = {}
    for snap in regions:
        for title in snap.sectors:
            sectors[title] = sectors.get(title, 0) + 1
    state_assessment = None
    for rid, p in profiles:
        if p["scope"] == "state":
            with Workspace.open(rid, folder, readonly=True) as ws:
                found = _assessment(ws, STATE_ASSESSMENT)
            if found and (state_assessment is None or found.round > state_assessment.round):
                state_assessment = found
    return StateRollup(code, regions, teams, metrics,
                       [(label, n) for (_step, label), n in sorted(stage_counts.items())],
                       sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0])), state_assessment)
