"""Step 5: action teams built from the launch priorities, and their 60-day deliverables checked.

The ``action-teams`` worksheet holds a table of **teams** (team, launch priority, business lead,
members, help asked of public partners, quick wins, meeting rhythm), a table of **deliverables**
(team, deliverable, owner, start date, due date, status) and the date of the next
full-partnership quarterly meeting. Date cells are stored as ISO ``yyyy-mm-dd``.

Every check takes ``today`` as an argument, so results never depend on the clock:

>>> from datetime import date
>>> rows = [{"team": "Grow our own", "deliverable": "Two plant tours", "owner": "Ana",
...          "start": "2027-04-01", "due": "2027-05-30", "status": "under-way"},
...         {"team": "Grow our own", "deliverable": "Job profiles", "owner": "",
...          "start": "2027-06-20", "due": "2027-06-15", "status": "done"}]
>>> [(f.kind, f.row) for f in deliverable_flags(rows, today=date(2027, 6, 1))]
[('overdue', 1), ('dates', 2), ('unowned', 2)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sectorkit.partnership.capture import Priority, parse_date, same_name

__all__ = ["DELIVERABLES", "DONE", "NEXT_QUARTERLY", "STATUS_LABELS", "TEAMS", "TEAMS_SPEC", "Flag", "TeamStatus",
           "deliverable_flags", "next_meeting", "team_board", "teams_from_priorities"]

#: the worksheet, its two tables and its date question (column ids below are this module's schema)
TEAMS_SPEC = "action-teams"
TEAMS = "teams"
DELIVERABLES = "deliverables"
NEXT_QUARTERLY = "next-quarterly"
#: a deliverable's status values and their labels (the spec's ``deliverable-status`` scale)
STATUS_LABELS = {"not-started": "Not started", "under-way": "Under way", "done": "Done", "stuck": "Stuck"}
DONE = "done"
NO_TEAM = "(no team named)"
#: the longest a pre-filled team name may be (the ``team`` column's ``max_length``)
TEAM_NAME_MAX = 120


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def teams_from_priorities(priorities: Sequence[Priority], existing: Sequence[Mapping[str, Any]]) -> list[dict]:
    """New team rows, one per launch priority that no existing team already works on.

    Parameters
    ----------
    priorities : sequence of Priority
        From :func:`~sectorkit.partnership.capture.summarize` (each with its champions).
    existing : sequence of mappings
        The team rows already saved; a priority is taken when a row's ``priority`` or ``team``
        has its name (:func:`~sectorkit.partnership.capture.same_name`), so a second click adds nothing.

    Returns
    -------
    list of dict
        Rows ``{team, priority, lead, members, help, quick-wins, rhythm}``: the team is named after
        the priority; members are the champions as "Name (Company)", one per line; the rest is blank
        (the team chooses its own lead).

    >>> from sectorkit.partnership.capture import Champion
    >>> p = [Priority("Grow our own", champions=(Champion("Ana", "Ridgeline"), Champion("Joe"))), Priority("Housing")]
    >>> new = teams_from_priorities(p, [{"team": "Housing team", "priority": "housing"}])
    >>> [(r["team"], r["members"]) for r in new]
    [('Grow our own', 'Ana (Ridgeline)\\nJoe')]
    """
    taken = {same_name(r.get(k)) for r in existing for k in ("priority", "team") if _text(r.get(k))}
    rows = []
    for p in priorities:
        if same_name(p.name) in taken:
            continue
        taken.add(same_name(p.name))
        members = "\n".join(f"{c.name} ({c.company})" if c.company else c.name for c in p.champions)
        rows.append({"team": p.name[:TEAM_NAME_MAX], "priority": p.name[:TEAM_NAME_MAX], "lead": None,
                     "members": members or None, "help": None, "quick-wins": None, "rhythm": None})
    return rows


@dataclass(frozen=True)
class Flag:
    """Something about one deliverable that needs attention.

    Attributes
    ----------
    kind : str
        ``dates`` (due before it starts), ``overdue`` (due before today and not done), ``unowned``
        (no owner), ``stuck`` (status stuck), ``unknown-team`` (its team is not in the teams table).
    row : int
        The deliverable's row, counting from 1.
    team, deliverable : str
        As typed (plain text).
    message : str
        A sentence saying what is wrong and what to do.
    """

    kind: str
    row: int
    team: str
    deliverable: str
    message: str


def _name(row: Mapping[str, Any], n: int) -> str:
    what = _text(row.get("deliverable"))
    return f"'{what[:80]}{'...' if len(what) > 80 else ''}'" if what else f"deliverable {n}"


def deliverable_flags(rows: Sequence[Mapping[str, Any]], today: date,
                      team_names: Iterable[str] | None = None) -> list[Flag]:
    """Check each deliverable row; return its flags in row order (a row may have several).

    Parameters
    ----------
    rows : sequence of mappings
        Deliverable rows ``{team, deliverable, owner, start, due, status}`` (dates as ``yyyy-mm-dd``).
    today : datetime.date
        The day to judge "overdue" against: due strictly before ``today`` and status not ``done``.
    team_names : iterable of str, optional
        The teams' names; when given, a row naming another team is flagged ``unknown-team``.

    Returns
    -------
    list of Flag
        Per row, in this order: ``dates``, ``overdue``, ``unowned``, ``stuck``, ``unknown-team``.
        Blank rows are skipped; a row whose due date is before its start is reported, never changed.
    """
    known = {same_name(t) for t in team_names} if team_names is not None else None
    flags: list[Flag] = []
    for n, row in enumerate(rows, 1):
        if not any(_text(v) for v in row.values()):
            continue
        team, what, name = _text(row.get("team")), _text(row.get("deliverable")), _name(row, n)
        start, due, status = parse_date(row.get("start")), parse_date(row.get("due")), row.get("status")

        def add(kind: str, message: str) -> None:
            flags.append(Flag(kind, n, team, what, f"Row {n}: {message}"))

        if start and due and due < start:
            add("dates", f"{name} is due on {due.isoformat()}, before it starts on {start.isoformat()}. "
                         "Check the two dates; both are saved as typed.")
        if due and due < today and status != DONE:
            days = (today - due).days
            shown = STATUS_LABELS.get(status, "no status")
            add("overdue", f"{name} was due on {due.isoformat()}, {days} day{'s' if days != 1 else ''} ago, "
                           f"and is not done ({shown}).")
        if not _text(row.get("owner")):
            add("unowned", f"{name} has no owner. Name one person.")
        if status == "stuck":
            add("stuck", f"{name} is stuck: ask the team what help it needs.")
        if known is not None and same_name(team) not in known:
            add("unknown-team", f"{name} belongs to {repr(team) if team else 'no team'}, "
                                "which is not in the list of teams.")
    return flags


@dataclass(frozen=True)
class TeamStatus:
    """One team's line on the tracker: its deliverables by status and how many are flagged.

    ``counts`` maps each status value of :data:`STATUS_LABELS` (and ``""`` for no status) to a count.
    """

    team: str
    lead: str = ""
    deliverables: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    unowned: int = 0


def team_board(teams: Sequence[Mapping[str, Any]], deliverables: Sequence[Mapping[str, Any]],
               today: date) -> list[TeamStatus]:
    """Each team's deliverables by status, with overdue and unowned counts (teams in table order).

    Deliverables whose team is not in the teams table are gathered under ``"(no team named)"``, last.

    >>> board = team_board([{"team": "Tours", "lead": "Ana"}],
    ...     [{"team": "tours", "deliverable": "a", "due": "2027-01-01", "status": "under-way", "owner": "Ana"},
    ...      {"team": "Other", "deliverable": "b", "status": "done"}], today=date(2027, 2, 1))
    >>> [(t.team, t.deliverables, t.overdue, t.unowned, t.counts["under-way"]) for t in board]
    [('Tours', 1, 1, 0, 1), ('(no team named)', 1, 0, 1, 0)]
    """
    order: dict[str, tuple[str, str]] = {}
    for row in teams:
        name = _text(row.get("team"))
        if name and same_name(name) not in order:
            order[same_name(name)] = (name, _text(row.get("lead")))
    grouped: dict[str, list[tuple[int, Mapping[str, Any]]]] = {k: [] for k in order}
    for n, row in enumerate(deliverables, 1):
        if not any(_text(v) for v in row.values()):
            continue
        key = same_name(row.get("team"))
        grouped.setdefault(key if key in order else NO_TEAM, []).append((n, row))
    board = []
    for key, items in grouped.items():
        name, lead = order.get(key, (NO_TEAM, ""))
        counts = {s: 0 for s in (*STATUS_LABELS, "")}
        for _, row in items:
            status = row.get("status")
            counts[status if status in STATUS_LABELS else ""] += 1
        flags = deliverable_flags([r for _, r in items], today)
        board.append(TeamStatus(name, lead, len(items), counts, sum(f.kind == "overdue" for f in flags),
                                sum(f.kind == "unowned" for f in flags)))
    return board


def next_meeting(text: Any, today: date) -> tuple[date | None, str | None]:
    """The next quarterly meeting's date and a problem to show (None when all is well).

    >>> next_meeting("2027-03-02", date(2027, 1, 1))
    (datetime.date(2027, 3, 2), None)
    >>> next_meeting("", date(2027, 1, 1))[1]
    'No date is set for the next full-partnership quarterly meeting.'
    >>> next_meeting("March", date(2027, 1, 1))[1]
    "The quarterly meeting date 'March' is not a date (write it as yyyy-mm-dd); it is kept as typed."
    """
    shown = _text(text)
    if not shown:
        return None, "No date is set for the next full-partnership quarterly meeting."
    when = parse_date(shown)
    if when is None:
        return None, (f"The quarterly meeting date '{shown}' is not a date (write it as yyyy-mm-dd); "
                      "it is kept as typed.")
    if when < today:
        return when, f"The quarterly meeting date {when.isoformat()} has passed: set the next one."
    return when, None
