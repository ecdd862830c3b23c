"""The influence map: the decision-makers the partnership needs, and who on the team can reach them.

Steps 3 and 5 of building a sector partnership ask the team to name the people whose decisions the
partnership depends on (an agency head, a college president, an elected official, a CEO), to judge
each one's **influence** over what the partnership needs and **interest** in it, to find who on the
team knows them (or knows someone who does), and to agree the next move, its owner and a date.

* **Data**: :class:`DecisionMaker`, validated by :meth:`DecisionMaker.create` (a missing name or a
  due date that is not a date raises :class:`InfluenceError` naming the problem). Stored one
  workspace record each, kind :data:`KIND` (``decision_maker``), keyed by the decision-maker's id, which
  never changes when the entry is edited. Records, not table rows: each entry may point at a
  Universe of Connections person, and paths, flags and the diagram are computed from the whole
  entry; a record keeps every field typed (levels as ids, the due date as ISO text).
* **Paths**: :func:`route_for` finds who on the team can reach a decision-maker in the
  Universe's people graph (:func:`~sectorkit.universe.analysis.build_graph`): a team member who
  knows them, or a chain of at most :data:`MAX_STEPS` relationships that passes through no other
  team member; :func:`route_words` says it in words.
* **Grid**: :func:`grid_cells` places each decision-maker on the influence x interest grid
  (3 x 3: low, medium, high); :func:`flags` lists what needs attention.

Based on the Next Gen Sector Partnership training toolkit's advice on building relationships with
decision-makers; sectorkit's own wording and method, not official Next Gen material.

>>> G = nx.Graph()
>>> add_person(G, "ana", org="board", kind="partner", system="workforce", name="Ana")
>>> add_person(G, "bo", org="acme", kind="business", name="Bo")
>>> add_person(G, "cy", org="acme", kind="business", name="Cy", c_suite=True)
>>> G.add_edge("ana", "bo", strength="knows-well"); G.add_edge("bo", "cy", strength="acquainted")
>>> dm = DecisionMaker.create(name="Cy", organization="Acme", role="CEO", influence="high", person="cy")
>>> route_words(route_for(dm, G), G)
'Ana (board) knows Bo (acme) well; Bo is acquainted with Cy.'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from sectorkit.core.errors import DataError
from sectorkit.core.ids import slugify
from sectorkit.specs.models import Column
from sectorkit.specs.tables import check_cell
from sectorkit.universe.analysis import add_person, organizations_of, team_people  # noqa: F401 - add_person: examples

__all__ = [
    "KIND", "LEVELS", "MAX_STEPS", "STATUSES", "DecisionMaker", "InfluenceError", "Route",
    "delete_decision_maker", "flags", "grid_cells", "load_decision_makers", "new_id", "ordered", "path_words",
    "route_for", "route_words", "routes_for", "routes_to", "save_decision_maker", "summary",
]

#: The workspace record kind of a decision-maker (the report finds them by this kind).
KIND = "decision_maker"
#: Influence and interest levels, low to high: id -> label.
LEVELS: dict[str, str] = {"low": "Low", "medium": "Medium", "high": "High"}
#: The longest chain of relationships searched (team member, go-betweens..., decision-maker).
MAX_STEPS = 3
#: How the team reaches a decision-maker: status -> label (the diagram's legend says the same).
STATUSES: dict[str, str] = {
    "team": "on the support team",
    "direct": "someone on the team knows them",
    "indirect": "reached through someone else",
    "none": "no known path",
}
MAX_TEXT = 200
MAX_LONG = 2000
_DUE = Column(id="due", type="date", label="Due date")


class InfluenceError(DataError):
    """A decision-maker entry that cannot be saved as given (the message says what to fix)."""


def _text(value: Any, what: str, limit: int = MAX_TEXT) -> str:
    """Text with its spaces tidied (one line; a long text keeps its line breaks)."""
    raw = str(value if value is not None else "")
    if limit == MAX_TEXT:
        text = " ".join(raw.split())
    else:
        text = "\n".join(" ".join(ln.split()) for ln in raw.strip().splitlines())
    if len(text) > limit:
        raise InfluenceError(f"{what} is {len(text)} characters long; the limit is {limit}")
    return text


def _level(value: Any, what: str) -> str:
    key = str(value or "").strip().lower()
    if key in LEVELS:
        return key
    raise InfluenceError(f"{what} '{str(value).strip()}' is not one of low, medium, high")


@dataclass(frozen=True)
class DecisionMaker:
    """Someone whose decisions the partnership needs.

    Attributes
    ----------
    id : str
        A slug, fixed when the entry is first saved (see :func:`new_id`).
    name, organization, role : str
        Plain text (role: "college president", "county commissioner", ...).
    influence, interest : str
        Keys of :data:`LEVELS`: how much they can move what the partnership needs, and how much they
        care about it today.
    person : str
        The id of their entry in the Universe of Connections, or ``""`` if they are not listed there.
    next_move, owner : str
        The next step toward them and who on the team takes it (a name; team members are suggested).
    due : str
        ISO date ``yyyy-mm-dd`` or ``""``.
    """

    id: str
    name: str
    organization: str = ""
    role: str = ""
    influence: str = "medium"
    interest: str = "medium"
    person: str = ""
    next_move: str = ""
    owner: str = ""
    due: str = ""

    @classmethod
    def create(cls, *, name: Any, id: Any = None, organization: Any = "", role: Any = "", influence: Any = "medium",
               interest: Any = "medium", person: Any = "", next_move: Any = "", owner: Any = "",
               due: Any = "") -> DecisionMaker:
        """Validate and normalise loose input (a form, a stored record).

        Raises
        ------
        InfluenceError
            No name; a level that is not low/medium/high; a due date that is not a date; text too long.

        >>> DecisionMaker.create(name=" Pat  Lee ", due="3/31/2027").due
        '2027-03-31'
        >>> DecisionMaker.create(name="", role="Mayor")
        Traceback (most recent call last):
        ...
        sectorkit.universe.influence.InfluenceError: the decision-maker has no name: type who they are \
(pick them from the Universe list, or type a name)
        >>> DecisionMaker.create(name="Pat", due="31/31/2027")
        Traceback (most recent call last):
        ...
        sectorkit.universe.influence.InfluenceError: 'Due date' is not a date: '31/31/2027' \
(type yyyy-mm-dd or m/d/yyyy, for example 2026-03-31)
        """
        name = _text(name, "the name")
        if not name:
            raise InfluenceError("the decision-maker has no name: type who they are "
                                 "(pick them from the Universe list, or type a name)")
        due_text = str(due if due is not None else "").strip()
        iso = ""
        if due_text:
            iso, problem = check_cell(_DUE, due_text)
            if problem:
                raise InfluenceError(problem)
        person = str(person or "").strip()
        dm_id = str(id or "").strip() or slugify(name) or "decision-maker"
        return cls(dm_id, name, _text(organization, "the organization"), _text(role, "the role"),
                   _level(influence, "influence"), _level(interest, "interest"), person,
                   _text(next_move, "the next move", MAX_LONG), _text(owner, "the owner"), iso or "")

    @property
    def label(self) -> str:
        """``"Name (role, organization)"`` with the parts that are filled in.

        >>> DecisionMaker.create(name="Pat", role="Mayor", organization="City of Lake").label
        'Pat (Mayor, City of Lake)'
        """
        extra = ", ".join(x for x in (self.role, self.organization) if x)
        return f"{self.name} ({extra})" if extra else self.name


def new_id(name: str, taken: Iterable[str]) -> str:
    """An id for a new decision-maker: the name as a slug, with ``-2``, ``-3``... if taken.

    >>> new_id("Pat Lee", ["pat-lee"]), new_id("!!", [])
    ('pat-lee-2', 'decision-maker')
    """
    taken = set(taken)
    base = (slugify(name) or "decision-maker")[:58].strip("-")
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


# -- storage ---------------------------------------------------------------------------------
def load_decision_makers(ws) -> dict[str, DecisionMaker]:
    """Every saved decision-maker, by id (records that no longer validate are left out)."""
    found = {}
    for key, raw in ws.records(KIND).items():
        try:
            found[key] = DecisionMaker.create(**{**{k: raw.get(k, "") for k in DecisionMaker.__dataclass_fields__},
                                                 "id": key})
        except (InfluenceError, AttributeError, TypeError):
            continue
    return found


def save_decision_maker(ws, dm: DecisionMaker) -> str:
    """Save (add or replace) one decision-maker; return the save time."""
    return ws.put_record(KIND, dm.id, asdict(dm))


def delete_decision_maker(ws, dm_id: str) -> None:
    ws.delete_record(KIND, dm_id)


# -- paths -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    """How the team reaches one decision-maker.

    ``status`` is a key of :data:`STATUSES`. ``paths`` run from a team member to the decision-maker
    (``(team, decision-maker)``, or with go-betweens), best first. For ``none``, ``leads`` are paths
    to other people at the decision-maker's organization, when it is in the Universe.
    """

    status: str
    paths: list[tuple[str, ...]] = field(default_factory=list)
    leads: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def has_path(self) -> bool:
        return self.status != "none"


def _strength(G: nx.Graph, path: tuple[str, ...]) -> int:
    return sum(1 for a, b in zip(path, path[1:]) if G.edges[a, b].get("strength") == "knows-well")


def routes_to(G: nx.Graph, person: str, max_steps: int = MAX_STEPS, limit: int = 5) -> list[tuple[str, ...]]:
    """Paths from team members to ``person``, at most ``max_steps`` relationships, best first.

    A path never passes through another team member (that member's own, shorter path is listed).
    Best: fewest steps, then most "knows well" ties, then names. At most ``limit`` paths.

    >>> G = nx.path_graph(["ana", "bo", "cy", "dee"])
    >>> for n in G: G.nodes[n].update(kind="business", org="x", name=n)
    >>> G.nodes["ana"]["kind"] = "partner"
    >>> routes_to(G, "cy"), routes_to(G, "dee", max_steps=2)
    ([('ana', 'bo', 'cy')], [])
    """
    if person not in G:
        return []
    team = set(team_people(G))
    # breadth-first from the decision-maker over people outside the team: distance, and the
    # neighbours one step closer (so every shortest path back is known)
    dist, closer, frontier = {person: 0}, {person: []}, [person]
    for d in range(1, max_steps):
        reached = []
        for u in frontier:
            for v in G.adj[u]:
                if v in team:
                    continue
                if v not in dist:
                    dist[v], closer[v] = d, [u]
                    reached.append(v)
                elif dist[v] == d:
                    closer[v].append(u)
        frontier = reached

    def back(n: str) -> list[tuple[str, ...]]:
        return [(person,)] if n == person else [(n, *rest) for m in closer[n] for rest in back(m)]

    found: set[tuple[str, ...]] = set()
    for t in sorted(team - {person}):
        for n in G.adj[t]:
            if n in dist and dist[n] + 1 <= max_steps:
                found.update((t, *rest) for rest in back(n))
    ranked = sorted(found, key=lambda p: (len(p), -_strength(G, p), [G.nodes[x].get("name", x) for x in p]))
    return ranked[:limit]


def _org_in_universe(G: nx.Graph, organization: str) -> str | None:
    key = " ".join(organization.split()).lower()
    if not key:
        return None
    for oid, o in organizations_of(G).items():
        if key in (oid, str(o.get("name", "")).lower()):
            return oid
    return None


def route_for(dm: DecisionMaker, G: nx.Graph, max_steps: int = MAX_STEPS) -> Route:
    """How the team reaches ``dm`` in the people graph ``G`` (see :class:`Route`).

    A decision-maker linked to a Universe person is looked up by that person; otherwise (or when nobody
    reaches them) the organization, theirs in the Universe or the one typed (matched by id or name, any
    case), gives up to three leads: the best path to each colleague there, or the team members who work there.

    >>> G = nx.Graph()
    >>> add_person(G, "ana", org="board", kind="partner", system="workforce", name="Ana")
    >>> add_person(G, "bo", org="acme", kind="business", name="Bo"); G.add_edge("ana", "bo")
    >>> route_for(DecisionMaker.create(name="Cy", organization="ACME"), G)
    Route(status='none', paths=[], leads=[('ana', 'bo')])
    """
    if dm.person and dm.person in G:
        if G.nodes[dm.person].get("kind") == "partner":
            return Route("team", [(dm.person,)])
        paths = routes_to(G, dm.person, max_steps)
        if paths:
            return Route("direct" if len(paths[0]) == 2 else "indirect", paths)
    org = G.nodes[dm.person]["org"] if dm.person in G else _org_in_universe(G, dm.organization)
    if org is None:
        return Route("none")
    if organizations_of(G)[org].get("kind") == "partner":
        leads = [(n,) for n in sorted(team_people(G)) if G.nodes[n]["org"] == org]
    else:
        colleagues = sorted(n for n, d in G.nodes(data=True) if d["org"] == org and n != dm.person)
        leads = sorted((p for n in colleagues for p in routes_to(G, n, max_steps, limit=1)),
                       key=lambda p: (len(p), -_strength(G, p), [G.nodes[x].get("name", x) for x in p]))
    return Route("none", leads=leads[:3])


def routes_for(dms: Iterable[DecisionMaker], G: nx.Graph) -> dict[str, Route]:
    """:func:`route_for` of every decision-maker, by id."""
    return {dm.id: route_for(dm, G) for dm in dms}


def _who(G: nx.Graph, n: str, first: bool) -> str:
    d = G.nodes[n]
    if not first:
        return d.get("name", n)
    org = organizations_of(G).get(d.get("org", ""), {}).get("name", d.get("org", ""))
    return f"{d.get('name', n)} ({org})" if org else d.get("name", n)


def path_words(G: nx.Graph, path: tuple[str, ...]) -> str:
    """One path in words: who knows whom, and how well (each organization named once).

    >>> G = nx.Graph()
    >>> add_person(G, "ana", org="board", kind="partner", system="workforce", name="Ana")
    >>> add_person(G, "bo", org="acme", kind="business", name="Bo")
    >>> G.add_edge("ana", "bo", strength="acquainted")
    >>> path_words(G, ("ana", "bo"))
    'Ana (board) is acquainted with Bo.'
    """
    if len(path) == 1:
        return f"{_who(G, path[0], True)} is on the support team."
    parts = []
    for i, (a, b) in enumerate(zip(path, path[1:])):
        last = i == len(path) - 2
        who_b = _who(G, b, not last)
        if G.edges[a, b].get("strength") == "knows-well":
            parts.append(f"{_who(G, a, i == 0)} knows {who_b} well")
        else:
            parts.append(f"{_who(G, a, i == 0)} is acquainted with {who_b}")
    return "; ".join(parts) + "."


def route_words(route: Route, G: nx.Graph, limit: int = 2) -> str:
    """The route in words: the best ``limit`` paths, or "No known path: who could find one?" and any leads."""
    if route.has_path:
        text = " Or: ".join(path_words(G, p) for p in route.paths[:limit])
        more = len(route.paths) - limit
        return text + (f" ({more} more path{'s' if more != 1 else ''}.)" if more > 0 else "")
    text = "No known path: who could find one?"
    if route.leads:
        text += " Leads at their organization: " + " ".join(path_words(G, p) for p in route.leads)
    return text


# -- the grid and what needs attention -------------------------------------------------------
def grid_cells(dms: Iterable[DecisionMaker]) -> dict[tuple[str, str], list[DecisionMaker]]:
    """The 3 x 3 grid: ``{(influence, interest): [decision-makers, by name]}`` for all nine cells.

    >>> cells = grid_cells([DecisionMaker.create(name="Pat", influence="high", interest="low")])
    >>> [d.name for d in cells[("high", "low")]], len(cells), cells[("low", "low")]
    (['Pat'], 9, [])
    """
    cells: dict[tuple[str, str], list[DecisionMaker]] = {(a, b): [] for a in LEVELS for b in LEVELS}
    for dm in sorted(dms, key=lambda d: (d.name.lower(), d.id)):
        cells[(dm.influence, dm.interest)].append(dm)
    return cells


def ordered(dms: Iterable[DecisionMaker]) -> list[DecisionMaker]:
    """Decision-makers most influential first, then most interested, then by name (the numbering everywhere)."""
    rank = {k: i for i, k in enumerate(LEVELS)}
    return sorted(dms, key=lambda d: (-rank[d.influence], -rank[d.interest], d.name.lower(), d.id))


def flags(dm: DecisionMaker, route: Route | None = None, today: date | None = None) -> list[str]:
    """What needs attention for one decision-maker, in words (empty when nothing does).

    >>> dm = DecisionMaker.create(name="Pat", influence="high", next_move="Call", due="2020-01-01")
    >>> flags(dm, Route("none"), today=date(2026, 1, 1))
    ['the next move has no owner', 'the next move was due 2020-01-01', 'high influence and no known path']
    """
    today = today or date.today()
    out = []
    if dm.next_move and not dm.owner:
        out.append("the next move has no owner")
    if dm.owner and not dm.next_move:
        out.append("an owner but no next move")
    if not dm.next_move and not dm.owner:
        out.append("no next move yet")
    if dm.due and dm.next_move and date.fromisoformat(dm.due) < today:
        out.append(f"the next move was due {dm.due}")
    if route is not None and not route.has_path and dm.influence == "high":
        out.append("high influence and no known path")
    return out


def summary(dms: Iterable[DecisionMaker], routes: Mapping[str, Route]) -> dict[str, int]:
    """Counts: decision-makers, by route status, and those with a next move that has an owner.

    >>> summary([DecisionMaker.create(name="Pat", next_move="Call", owner="Ana")], {"pat": Route("none")})
    {'decision_makers': 1, 'team': 0, 'direct': 0, 'indirect': 0, 'none': 1, 'owned_moves': 1}
    """
    dms = list(dms)
    counts = {"decision_makers": len(dms), **{s: 0 for s in STATUSES}, "owned_moves": 0}
    for dm in dms:
        counts[routes[dm.id].status if dm.id in routes else "none"] += 1
        counts["owned_moves"] += bool(dm.next_move and dm.owner)
    return counts
