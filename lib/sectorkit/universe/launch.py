"""Planning the launch (Step 3): the invitation funnel, notice, mix, duplicates, pre-fill, and the whole plan.

The checks on the convener and the co-chairs are in :mod:`sectorkit.universe.launch_roles` (re-exported here).

Pure functions on plain data: the answers of the ``prepare-launch`` worksheet (a table's answer is
its list of row dicts, ``{column id: value}``) and the Universe of Connections' workspace records
(``{id: record dict}`` for kinds ``organization`` and ``person``), so the page, the report and the
tests share one set of rules and nothing here touches widgets or SQL.

The sizing rule (after the Next Gen Sector Partnership training toolkit, Step 3, "how many
businesses should we target"): a launch needs **at least 12** businesses in the room and works best
with **25 to 30**; since many invitees cannot come or do not answer, invite **about four for every
leader you hope to see** (about 100 invitations for 25). Invitations go out **at least four weeks**
ahead (four to six is the advice), followed by phone calls.

>>> rows = [{"business": "apex", "status": "yes", "invited-on": "2026-03-01"},
...         {"business-name": "Zenith Foods", "status": "invited", "invited-on": "2026-03-20"},
...         {"business-name": "Oak Mill", "status": None}]
>>> f = funnel(rows, target=12)
>>> (f.listed, f.invited, f.yes, f.needed)
(3, 2, 1, 48)
>>> t = timing(rows, "2026-04-10", today="2026-03-25")
>>> t.late_rows, t.days_left
([2], 16)

Based on the Next Gen Sector Partnership training toolkit; sectorkit's own wording and method.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sectorkit.specs.models import Column
from sectorkit.specs.tables import check_cell
from sectorkit.universe.launch_roles import CoChairs, Convener, co_chairs, convener, norm_key, plural, venue_warning
from sectorkit.universe.vocab import SIZES

__all__ = [
    "IDEAL_ROOM", "INVITES_PER_ATTENDEE", "MIN_ROOM", "NOTICE_DAYS", "CoChairs", "Convener", "Duplicate", "Funnel",
    "LaunchPlan", "Timing", "business_label", "co_chairs", "convener", "duplicates", "funnel", "mix", "parse_date",
    "plan", "prefill_rows", "sector_matches", "timing", "venue_warning",
]

#: about this many invitations for each business leader in the room
INVITES_PER_ATTENDEE = 4
#: the fewest businesses a launch needs in the room
MIN_ROOM = 12
#: the range that works best
IDEAL_ROOM = (25, 30)
#: the target used when the team gives none
DEFAULT_TARGET = 25
#: invitations should reach businesses at least this many days before the launch (four weeks)
NOTICE_DAYS = 28

#: the worksheet's questions this module reads (the spec ``prepare-launch`` declares them)
Q_CANDIDATES, Q_SUPPORT, Q_CO_CHAIRS = "convener-candidates", "support-roles-agreed", "co-chairs"
Q_SECTOR, Q_DATE, Q_TIME, Q_VENUE, Q_VENUE_KIND = "target-sector", "launch-date", "launch-time", "venue", "venue-kind"
Q_TARGET, Q_INVITATIONS = "target-attendance", "invitations"
QUESTION_IDS = (Q_CANDIDATES, Q_SUPPORT, Q_CO_CHAIRS, Q_SECTOR, Q_DATE, Q_TIME, Q_VENUE, Q_VENUE_KIND, Q_TARGET,
                Q_INVITATIONS)

#: invitation statuses: an invitation has gone out for all but "to-invite" (and a blank status)
SENT = ("invited", "followed-up", "yes", "no", "maybe", "attended")
STATUS_LABELS = {"to-invite": "to invite", "invited": "invited", "followed-up": "followed up", "yes": "yes",
                 "no": "no", "maybe": "maybe", "attended": "attended"}
NOT_GIVEN = "not given"

Records = Mapping[str, Mapping[str, Any]]
_DATE = Column(id="date", type="date", label="Launch date")


def parse_date(value: Any) -> date | None:
    """A date from ``yyyy-mm-dd``, ``m/d/yyyy`` or a :class:`~datetime.date`; None when blank or not a date.

    >>> parse_date("4/10/2026"), parse_date("soon")
    (datetime.date(2026, 4, 10), None)
    """
    if isinstance(value, date):
        return value
    iso, problem = check_cell(_DATE, value)
    return None if problem or iso is None else date.fromisoformat(iso)


def _rows_text(numbers: Sequence[int]) -> str:
    shown = [str(n) for n in numbers]
    return "row " + shown[0] if len(shown) == 1 else "rows " + ", ".join(shown[:-1]) + " and " + shown[-1]


# -- the invitation list -------------------------------------------------------------------------
def business_label(row: Mapping[str, Any], organizations: Records | None = None) -> str:
    """The business a row names: the Universe organization's name, else the typed name, else ""."""
    org = row.get("business")
    if org:
        record = (organizations or {}).get(org) or {}
        return str(record.get("name") or org)
    return " ".join(str(row.get("business-name") or "").split())


@dataclass(frozen=True)
class Funnel:
    """Counts of the invitation list against the sizing rule.

    Attributes
    ----------
    listed, to_invite, invited : int
        Rows; rows not yet invited (status "to invite" or blank); rows with an invitation sent
        (any later status).
    followed_up, yes, no, maybe, attended : int
        Rows at each status; ``yes`` counts "attended" too (they said yes).
    target : int
        Businesses hoped for in the room (the team's number, else 25).
    needed : int
        ``target * INVITES_PER_ATTENDEE`` invitations.
    expected : int
        About how many would come once the whole list is invited: the rows divided by four, rounded down.
    warnings : tuple of str
    """

    listed: int
    to_invite: int
    invited: int
    followed_up: int
    yes: int
    no: int
    maybe: int
    attended: int
    target: int
    needed: int
    expected: int
    warnings: tuple[str, ...] = ()


def funnel(rows: Iterable[Mapping[str, Any]], target: Any = None) -> Funnel:
    """Count the invitation list and check it against the rule (about four invited per leader in the room).

    Parameters
    ----------
    rows : iterable of mappings
        Invitation rows; only ``status`` is read.
    target : int, optional
        Businesses the team hopes to see (blank or not a positive number: 25).

    >>> f = funnel([{"status": "yes"}] * 10 + [{"status": "to-invite"}] * 30, target=25)
    >>> f.needed, f.expected
    (100, 10)
    >>> print(f.warnings[0][:77])
    The list has 40 businesses; about 100 invitations are needed to see 25 in the
    """
    statuses = [r.get("status") for r in rows]
    count = Counter(statuses)
    try:
        goal = int(target) if target not in (None, "") and int(target) > 0 else DEFAULT_TARGET
    except (TypeError, ValueError):
        goal = DEFAULT_TARGET
    invited = sum(count[s] for s in SENT)
    listed = len(statuses)
    needed = goal * INVITES_PER_ATTENDEE
    expected = listed // INVITES_PER_ATTENDEE
    warnings = []
    if goal < MIN_ROOM:
        warnings.append(f"A target of {goal} is below the {MIN_ROOM} businesses a launch needs in the room; "
                        f"aim for at least {MIN_ROOM} ({IDEAL_ROOM[0]} to {IDEAL_ROOM[1]} works best).")
    if listed < needed:
        warnings.append(f"The list has {plural(listed, 'business', 'businesses')}; about {needed} invitations are "
                        f"needed to see {goal} in the room (four for each). Add about {needed - listed} more, or, in "
                        "a small sector, invite nearly every firm and make more calls.")
    elif listed and expected < MIN_ROOM:  # long enough for the team's target, too short for any launch
        warnings.append(f"At about one leader in four, a list of {listed} would bring about {expected}: fewer than "
                        f"the {MIN_ROOM} a launch needs.")
    return Funnel(listed, listed - invited, invited, count["followed-up"], count["yes"] + count["attended"],
                  count["no"], count["maybe"], count["attended"], goal, needed, expected, tuple(warnings))


@dataclass(frozen=True)
class Timing:
    """The notice the invitations give.

    Attributes
    ----------
    launch : date or None
        The launch date (None when blank or not a date).
    days_left : int or None
        Days from ``today`` to the launch (negative once it has passed).
    late_rows : list of int
        Rows (1-based) invited less than :data:`NOTICE_DAYS` days before the launch.
    undated_rows : list of int
        Rows marked as invited without an "Invited on" date.
    warnings, notes : tuple of str
    """

    launch: date | None
    days_left: int | None
    late_rows: list[int] = field(default_factory=list)
    undated_rows: list[int] = field(default_factory=list)
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def timing(rows: Sequence[Mapping[str, Any]], launch_date: Any, today: Any = None) -> Timing:
    """Check that invitations give at least four weeks' notice (:data:`NOTICE_DAYS`).

    Parameters
    ----------
    rows : sequence of mappings
        Invitation rows; ``status`` and ``invited-on`` (ISO date) are read.
    launch_date : str or date
        The launch date as typed; blank or unreadable gives a note, not a warning.
    today : str or date, optional
        Default: today's date (tests pass one).

    >>> t = timing([{"status": "to-invite"}], "2026-04-10", today="2026-03-27")
    >>> print(t.warnings[0][:83])
    The launch is 14 days away: the 1 business still to invite would get less than four
    """
    launch = parse_date(launch_date)
    now = parse_date(today) if today is not None else date.today()
    if launch is None:
        typed = str(launch_date or "").strip()
        note = (f"The launch date '{typed}' is not a date (type yyyy-mm-dd or m/d/yyyy), so the notice is not checked."
                if typed else "No launch date yet, so the notice the invitations give is not checked.")
        return Timing(None, None, notes=(note,))
    late, undated, warnings, notes = [], [], [], []
    for n, row in enumerate(rows, 1):
        if row.get("status") not in SENT:
            continue
        sent = parse_date(row.get("invited-on"))
        if sent is None:
            undated.append(n)
        elif (launch - sent).days < NOTICE_DAYS:
            late.append(n)
    if late:
        warnings.append(f"{plural(len(late), 'invitation')} went out less than four weeks before the launch "
                        f"({_rows_text(late)}): call those businesses as well.")
    if undated:
        notes.append(f"{plural(len(undated), 'invited row')} {'has' if len(undated) == 1 else 'have'} no "
                     f"'Invited on' date ({_rows_text(undated)}), so the notice is not checked there.")
    days_left = (launch - now).days
    waiting = sum(1 for r in rows if r.get("status") not in SENT)
    if days_left < 0:
        notes.append(f"The launch date, {launch.isoformat()}, has passed.")
    elif days_left < NOTICE_DAYS and waiting:
        still = plural(waiting, "business", "businesses")
        warnings.append(f"The launch is {plural(days_left, 'day')} away: the {still} still to invite"
                        " would get less than four weeks’ notice. Send today and follow up by phone.")
    return Timing(launch, days_left, late, undated, tuple(warnings), tuple(notes))


def mix(rows: Iterable[Mapping[str, Any]]) -> dict[str, Counter]:
    """The list's mix: ``{"sub-sector": Counter, "size": Counter}`` (blank cells count as "not given").

    Sizes are counted by their labels (:data:`sectorkit.universe.vocab.SIZES`).

    >>> m = mix([{"sub-sector": "Machining", "size": "small"}, {"sub-sector": " machining ", "size": None}])
    >>> dict(m["sub-sector"]), dict(m["size"])
    ({'Machining': 2}, {'small (under 50)': 1, 'not given': 1})
    """
    subs: Counter = Counter()
    shown: dict[str, str] = {}
    sizes: Counter = Counter()
    for row in rows:
        text = " ".join(str(row.get("sub-sector") or "").split())
        name = shown.setdefault(text.casefold(), text) if text else NOT_GIVEN
        subs[name] += 1
        size = row.get("size")
        sizes[SIZES.get(size, NOT_GIVEN) if size else NOT_GIVEN] += 1
    return {"sub-sector": subs, "size": sizes}


def mix_warnings(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Firm sizes missing from a list of six or more (a launch should hear from every size)."""
    if len(rows) < 6:
        return []
    have = {r.get("size") for r in rows}
    missing = [SIZES[s].split(" (")[0] for s in SIZES if s not in have]
    if not missing:
        return []
    return [f"No {' or '.join(missing)} firms on the list yet: invite businesses of every size."]


@dataclass(frozen=True)
class Duplicate:
    """One business on the list more than once: its name and its rows (1-based)."""

    business: str
    rows: tuple[int, ...]

    def message(self) -> str:
        return (f"{self.business} is on the list {len(self.rows)} times ({_rows_text(self.rows)}). Every row is "
                "kept; delete the ones you do not need.")


def duplicates(rows: Sequence[Mapping[str, Any]], organizations: Records | None = None) -> list[Duplicate]:
    """Businesses named on more than one row, by Universe id or by name (case and spacing ignored).

    A row naming a Universe organization and a row typing the same name count as the same business.

    >>> orgs = {"apex": {"name": "Apex Precision"}}
    >>> [d.message() for d in duplicates([{"business": "apex"}, {"business-name": "apex  precision"}], orgs)]
    ['Apex Precision is on the list 2 times (rows 1 and 2). Every row is kept; delete the ones you do not need.']
    """
    seen: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for n, row in enumerate(rows, 1):
        label = business_label(row, organizations)
        if not label:
            continue
        seen.setdefault(norm_key(label), []).append(n)
        names.setdefault(norm_key(label), label)
    return [Duplicate(names[k], tuple(ns)) for k, ns in seen.items() if len(ns) > 1]


# -- pre-fill from the Universe ------------------------------------------------------------------
def sector_matches(business_sector: Any, sectors: Iterable[Any]) -> bool:
    """Whether a business's sector (free text) is one of ``sectors``: equal, or one contains the other.

    >>> sector_matches("Advanced manufacturing", ["Manufacturing"]), sector_matches("Health care", ["Retail"])
    (True, False)
    """
    mine = norm_key(business_sector)
    if not mine:
        return False
    return any(k and (k == mine or k in mine or mine in k) for k in (norm_key(s) for s in sectors))


def _decision_maker(org_id: str, people: Records) -> str | None:
    staff = [p for p in people.values() if p.get("organization") == org_id and p.get("name")]
    if not staff:
        return None
    best = sorted(staff, key=lambda p: (not p.get("c_suite"), not p.get("title"), norm_key(p.get("name"))))[0]
    title = " ".join(str(best.get("title") or "").split())
    return f"{best['name']}, {title}" if title else str(best["name"])


def prefill_rows(rows: Sequence[Mapping[str, Any]], organizations: Records, people: Records,
                 sectors: Iterable[Any]) -> list[dict[str, Any]]:
    """New invitation rows for the Universe's businesses in ``sectors`` that are not on the list yet.

    Each new row names the business (its Universe id), its size, a decision-maker from the Universe's
    people there (a C-suite person first, then someone with a title; "Name, Title"), and status
    "to invite". A business already on the list, by id or by name, is left out, so running it twice
    adds nothing the second time. Rows come sorted by business name.

    Parameters
    ----------
    rows : sequence of mappings
        The invitation list as it is.
    organizations, people : mapping of id to record
        The Universe's ``organization`` and ``person`` records.
    sectors : iterable of str
        The chosen sector(s), matched with :func:`sector_matches`.

    >>> orgs = {"apex": {"name": "Apex", "kind": "business", "sector": "advanced manufacturing", "size": "medium"},
    ...         "board": {"name": "Board", "kind": "partner"}}
    >>> people = {"g": {"name": "Grace Kim", "organization": "apex", "title": "CEO", "c_suite": True}}
    >>> prefill_rows([], orgs, people, ["Manufacturing"])[0]["decision-maker"]
    'Grace Kim, CEO'
    >>> prefill_rows([{"business-name": "APEX"}], orgs, people, ["Manufacturing"])
    []
    """
    wanted = [s for s in sectors if norm_key(s)]
    on_list = {norm_key(business_label(r, organizations)) for r in rows} | {r.get("business") for r in rows}
    new = []
    for oid, org in sorted(organizations.items(), key=lambda kv: norm_key(kv[1].get("name"))):
        if org.get("kind") != "business" or not sector_matches(org.get("sector"), wanted):
            continue
        if oid in on_list or norm_key(org.get("name")) in on_list:
            continue
        size = org.get("size") if org.get("size") in SIZES else None
        new.append({"business": oid, "business-name": None, "decision-maker": _decision_maker(oid, people),
                    "sub-sector": None, "size": size, "follow-up": None, "status": "to-invite", "invited-on": None})
    return new


# -- everything at once --------------------------------------------------------------------------
@dataclass(frozen=True)
class LaunchPlan:
    """The whole Step 3 picture, from the worksheet's answers and the Universe's records."""

    convener: Convener
    co_chairs: CoChairs
    funnel: Funnel
    timing: Timing
    mix: dict[str, Counter]
    duplicates: list[Duplicate]
    sector: str
    launch_date: str
    launch_time: str
    venue: str
    venue_warning: str | None
    support_agreed: Any
    mix_warnings: tuple[str, ...] = ()

    def warnings(self) -> list[str]:
        """Every warning, in page order: convener, co-chairs, venue, funnel, notice, mix, duplicates."""
        found = [*self.convener.warnings, *self.co_chairs.warnings]
        if self.venue_warning:
            found.append(self.venue_warning)
        found += [*self.funnel.warnings, *self.timing.warnings, *self.mix_warnings]
        return found + [d.message() for d in self.duplicates]


def plan(answers: Mapping[str, Any], organizations: Records | None = None, people: Records | None = None,
         today: Any = None) -> LaunchPlan:
    """Build the :class:`LaunchPlan` from the worksheet's answers (tables as lists of row dicts).

    >>> p = plan({"invitations": [{"business-name": "Oak"}, {"business-name": "oak"}], "target-attendance": 12})
    >>> p.funnel.listed, [d.rows for d in p.duplicates]
    (2, [(1, 2)])
    """
    orgs = organizations or {}
    invites = [r for r in answers.get(Q_INVITATIONS) or [] if isinstance(r, Mapping)]

    def text(qid: str) -> str:
        return " ".join(str(answers.get(qid) or "").split())

    return LaunchPlan(
        convener=convener([r for r in answers.get(Q_CANDIDATES) or [] if isinstance(r, Mapping)], orgs),
        co_chairs=co_chairs([r for r in answers.get(Q_CO_CHAIRS) or [] if isinstance(r, Mapping)], orgs, people),
        funnel=funnel(invites, answers.get(Q_TARGET)),
        timing=timing(invites, answers.get(Q_DATE), today=today),
        mix=mix(invites),
        duplicates=duplicates(invites, orgs),
        sector=text(Q_SECTOR), launch_date=text(Q_DATE), launch_time=text(Q_TIME), venue=text(Q_VENUE),
        venue_warning=venue_warning(answers.get(Q_VENUE_KIND)),
        support_agreed=answers.get(Q_SUPPORT),
        mix_warnings=tuple(mix_warnings(invites)),
    )
