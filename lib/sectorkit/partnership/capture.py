"""Step 4: what business leaders said at the launch, gathered for the meeting's executive summary.

The ``launch-capture`` worksheet holds a table of **priorities** (short name, the opportunity and
the requirements, in the leaders' words) and a table of **champions** (name, company, the
priority they will work on, what they committed to). :func:`summarize` puts each champion under
the priority they named (names compared without case or extra spaces, :func:`same_name`) and lists
what a facilitator should fix before the summary goes out: a priority nobody signed up for, a
champion whose priority is not in the list, a row without a name, a date that is not a date.
Nothing here changes what was saved; problems are only reported.

>>> s = summarize({"meeting-date": "3/18/2027", "companies-present": 24},
...     [{"priority": "Grow our own", "requirements": "Plant tours"}, {"priority": "Housing"}],
...     [{"name": "Ana Petrov", "company": "Ridgeline", "priority": " GROW our own "},
...      {"name": "Joe", "priority": "Transit"}], region_name="Riverbend")
>>> s.meeting_date.isoformat(), s.companies, [c.name for c in s.priorities[0].champions]
('2027-03-18', 24, ['Ana Petrov'])
>>> [c.name for c in s.unassigned]
['Joe']
>>> for problem in s.problems: print(problem)
No champion has signed up for 'Housing' yet.
Champion Joe (row 2) names a priority that is not in the list: 'Transit'.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sectorkit.specs.models import Column
from sectorkit.specs.tables import check_cell
from sectorkit.store.workspace import Workspace

__all__ = ["CAPTURE_SPEC", "CHAMPIONS", "PRIORITIES", "Champion", "LaunchSummary", "Priority", "parse_date",
           "read_summary", "same_name", "summarize"]

#: the worksheet and its two tables (their column ids are this module's schema)
CAPTURE_SPEC = "launch-capture"
PRIORITIES = "priorities"
CHAMPIONS = "champions"
_DATE = Column(id="date", type="date", label="Date")


def same_name(text: Any) -> str:
    """The form in which two names are compared: case and runs of spaces ignored.

    >>> same_name("  Grow   OUR own ") == same_name("grow our own")
    True
    """
    return " ".join(str(text or "").split()).casefold()


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def _long(value: Any) -> str:
    return str(value).strip() if value not in (None, "") else ""


def parse_date(value: Any) -> date | None:
    """A date from ``yyyy-mm-dd`` or ``m/d/yyyy`` text (or a date), else None.

    >>> parse_date("2027-01-31"), parse_date("1/31/2027"), parse_date("31/31/2027"), parse_date("")
    (datetime.date(2027, 1, 31), datetime.date(2027, 1, 31), None, None)
    """
    if value in (None, ""):
        return None
    iso, problem = check_cell(_DATE, value)
    return None if problem or iso is None else date.fromisoformat(iso)


@dataclass(frozen=True)
class Champion:
    """A business leader who signed up at the launch (plain text, as typed; ``row`` counts from 1)."""

    name: str
    company: str = ""
    priority: str = ""
    commitment: str = ""
    row: int = 0


@dataclass(frozen=True)
class Priority:
    """A priority the room chose, with the champions who named it (``row`` counts from 1)."""

    name: str
    opportunity: str = ""
    requirements: str = ""
    champions: tuple[Champion, ...] = ()
    row: int = 0


@dataclass(frozen=True)
class LaunchSummary:
    """The content of the launch meeting's executive summary.

    Attributes
    ----------
    region_name : str
        The region's display name.
    meeting_date : datetime.date or None
        The meeting's date, when ``meeting_date_text`` is a date.
    meeting_date_text, place : str
        As typed.
    companies : int or None
        Companies in the room.
    priorities : tuple of Priority
        In worksheet order, each with its champions (rows without a name are left out).
    unassigned : tuple of Champion
        Champions whose priority is blank or matches no priority.
    later, next_steps : tuple of str
        The non-blank lines of the "later" list and of the next steps.
    problems : tuple of str
        What to fix before sending (plain sentences); empty when the record is complete.
    """

    region_name: str = ""
    meeting_date: date | None = None
    meeting_date_text: str = ""
    place: str = ""
    companies: int | None = None
    priorities: tuple[Priority, ...] = ()
    unassigned: tuple[Champion, ...] = ()
    later: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def champion_count(self) -> int:
        """Every named champion, assigned or not."""
        return sum(len(p.champions) for p in self.priorities) + len(self.unassigned)


def _lines(text: Any) -> tuple[str, ...]:
    return tuple(ln.strip(" -*\t") for ln in str(text or "").splitlines() if ln.strip(" -*\t"))


def summarize(answers: Mapping[str, Any], priority_rows: Sequence[Mapping[str, Any]],
              champion_rows: Sequence[Mapping[str, Any]], region_name: str = "") -> LaunchSummary:
    """Gather the launch record into a :class:`LaunchSummary` (pure; nothing is changed).

    Parameters
    ----------
    answers : mapping
        The worksheet's answers (``meeting-date``, ``meeting-place``, ``companies-present``, ``later``,
        ``next-steps``); missing ones are blank.
    priority_rows, champion_rows : sequences of mappings
        The two tables' rows in order, ``{column id: value}`` (``Workspace.rows(...)[i].value``).
    region_name : str
        Shown in the summary's heading.

    Returns
    -------
    LaunchSummary
        Champions sit under the first priority whose name matches theirs (:func:`same_name`);
        the rest are ``unassigned``. ``problems`` lists, in this order: the date, rows without a
        name, priorities listed twice, priorities without a champion, champions without a known priority.
    """
    problems: list[str] = []
    date_text = _text(answers.get("meeting-date"))
    meeting = parse_date(date_text)
    if date_text and meeting is None:
        problems.append(f"The meeting date '{date_text}' is not a date (write it as yyyy-mm-dd); it is kept as typed.")
    companies = answers.get("companies-present")
    companies = int(companies) if isinstance(companies, (int, float)) and not isinstance(companies, bool) else None

    named: list[tuple[int, Mapping[str, Any]]] = []
    seen: dict[str, int] = {}
    for n, row in enumerate(priority_rows, 1):
        name = _text(row.get("priority"))
        if not name:
            if any(_long(v) for v in row.values()):
                problems.append(f"Priority row {n} has no short name, so the summary leaves it out.")
            continue
        if same_name(name) in seen:
            problems.append(f"'{name}' is listed twice (priority rows {seen[same_name(name)]} and {n}); "
                            "its champions go under the first.")
            continue
        seen[same_name(name)] = n
        named.append((n, row))

    champions: list[Champion] = []
    for n, row in enumerate(champion_rows, 1):
        name = _text(row.get("name"))
        if not name:
            if any(_long(v) for v in row.values()):
                problems.append(f"Champion row {n} has no name, so the summary leaves it out.")
            continue
        champions.append(Champion(name, _text(row.get("company")), _text(row.get("priority")),
                                  _long(row.get("commitment")), n))

    by_priority: dict[str, list[Champion]] = {same_name(_text(r.get("priority"))): [] for _, r in named}
    unassigned = []
    for c in champions:
        (by_priority[same_name(c.priority)] if same_name(c.priority) in by_priority else unassigned).append(c)
    priorities = tuple(
        Priority(_text(r.get("priority")), _long(r.get("opportunity")), _long(r.get("requirements")),
                 tuple(by_priority[same_name(_text(r.get("priority")))]), n)
        for n, r in named
    )
    problems += [f"No champion has signed up for '{p.name}' yet." for p in priorities if not p.champions]
    for c in unassigned:
        problems.append(f"Champion {c.name} (row {c.row}) names a priority that is not in the list: '{c.priority}'."
                        if c.priority else f"Champion {c.name} (row {c.row}) has no priority named.")
    return LaunchSummary(region_name, meeting, date_text, _text(answers.get("meeting-place")), companies,
                         priorities, tuple(unassigned), _lines(answers.get("later")),
                         _lines(answers.get("next-steps")), tuple(problems))


def read_summary(ws: Workspace, spec_id: str = CAPTURE_SPEC) -> LaunchSummary:
    """:func:`summarize` the launch record saved in ``ws`` (the region's name comes from the workspace)."""
    return summarize(ws.answers(spec_id), [r.value for r in ws.rows(spec_id, PRIORITIES)],
                     [r.value for r in ws.rows(spec_id, CHAMPIONS)], region_name=ws.name)
