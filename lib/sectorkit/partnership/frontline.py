"""Module 3: the frontline map: roles, whom they serve, and how demand information reaches them.

The ``frontline-map`` worksheet holds one multi question and three tables (column ids are this
module's schema):

* ``target-populations``: the groups (values of the spec's ``population`` scale) the team wants served;
* **roles**: ``role`` (text), ``organization`` (a Universe of Connections id) or ``organization-name``
  (text), ``populations`` (text: groups separated by commas; the scale's values, labels and a few
  common words are recognised, anything else is kept as written), ``what`` they do;
* **links**: ``from-role`` and ``to-role`` (``row`` cells: row ids of roles), ``kind`` (``overlap``,
  ``referral`` or ``shared-client``), ``note``;
* **demand-paths**: ``source`` (``partnership``, or ``role`` with ``from-role``), ``to-role``,
  ``how-often``, ``what``.

Measures (networkx): the **demand graph** is a directed graph whose nodes are :data:`PARTNERSHIP` and
the role row ids, with one edge per demand path. A role is **reached** when there is a path to it
from the partnership; its **steps** are the length of the shortest one (1: the partnership tells
it directly). **Unserved populations** are target groups no role names. **Overlaps** are pairs of
roles in *different* organizations that serve at least one group in common, and pairs linked as
``overlap`` (any organizations); each says whether the two roles are connected by any link.

A cell naming a role that was deleted is never dropped from the workspace: the row is left out of
the measures and :attr:`FrontlineMap.problems` says which row and what to do.

>>> fm = frontline_from_rows(
...     roles=[("r1", {"role": "Career adviser", "organization-name": "Job center", "populations": "adults, youth"}),
...            ("r2", {"role": "Youth counselor", "organization-name": "Youth works", "populations": "Youth"}),
...            ("r3", {"role": "School counselor", "organization-name": "High school", "populations": "CTE students"})],
...     links=[("l1", {"from-role": "r1", "to-role": "gone", "kind": "referral"})],
...     paths=[("p1", {"source": "partnership", "to-role": "r1"}),
...            ("p2", {"source": "role", "from-role": "r1", "to-role": "r2"})],
...     targets=["youth", "veterans"])
>>> analysis = analyse(fm)
>>> analysis.steps, [r.name for r in analysis.unreached]
({'r1': 1, 'r2': 2}, ['School counselor'])
>>> analysis.unserved, [(o.a, o.b, o.populations) for o in analysis.overlaps]
(['veterans'], [('r1', 'r2', ('youth',))])
>>> print(fm.problems[0])
Link row 1 names a role that was deleted; the row is kept but left out of the map (pick the role again or delete it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import networkx as nx

from sectorkit.specs import load_spec
from sectorkit.specs.tables import resolve_columns

__all__ = ["FRONTLINE_SPEC", "LINKS", "LINK_KINDS", "PARTNERSHIP", "PATHS", "ROLES", "TARGETS", "Analysis",
           "DemandPath", "FrontlineMap", "Link", "Overlap", "Role", "analyse", "demand_graph", "frontline_from_rows",
           "parse_populations", "population_labels", "read_frontline"]

FRONTLINE_SPEC = "frontline-map"
ROLES, LINKS, PATHS, TARGETS = "roles", "links", "demand-paths", "target-populations"
#: the demand graph's source node (never a row id: row ids have no ``:``)
PARTNERSHIP = ":partnership"
LINK_KINDS = ("overlap", "referral", "shared-client")
#: extra words recognised for a population value (besides its value and label), all lower case
ALIASES: dict[str, tuple[str, ...]] = {
    "youth": ("young adults", "young people", "youth", "teens", "out-of-school youth", "in-school youth"),
    "adults": ("adult", "adults", "adult jobseekers", "jobseekers", "job seekers"),
    "dislocated": ("dislocated workers", "laid-off workers", "laid off workers", "dislocated"),
    "veterans": ("veteran", "veterans", "vets", "military"),
    "disabilities": ("people with disabilities", "disabilities", "disabled", "people with a disability"),
    "cte-students": ("cte", "cte students", "students in cte", "career-technical students", "high school students"),
    "college-students": ("college", "college students", "students", "community college students"),
    "incumbent": ("incumbent", "incumbent workers", "current workers", "employees"),
    "reentry": ("reentry", "re-entry", "returning citizens", "people leaving prison", "justice-involved"),
    "english-learners": ("english learners", "ell", "esl", "english language learners", "immigrants"),
    "public-assistance": ("public assistance", "tanf", "snap", "welfare recipients"),
}
_SPLIT = re.compile(r"\s*(?:[,;/\n]|\band\b)\s*", re.IGNORECASE)


def population_labels() -> dict[str, str]:
    """``{value: label}`` of the spec's ``population`` scale, in its order.

    >>> population_labels()["veterans"]
    'Veterans'
    """
    spec = load_spec(FRONTLINE_SPEC)
    return {o.value: o.label for o in spec.options_for(spec.question(TARGETS))}


def _key(text: str) -> str:
    return " ".join(str(text).casefold().replace("\u2019", "'").split())


def _vocabulary() -> dict[str, str]:
    words: dict[str, str] = {}
    for value, label in population_labels().items():
        for word in (value, label, *ALIASES.get(value, ())):
            words.setdefault(_key(word), value)
    return words


def parse_populations(text: Any, vocabulary: Mapping[str, str] | None = None
                      ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split a 'whom they serve' cell into (known population values, other groups as written).

    Groups are separated by commas, semicolons, slashes, new lines or "and"; a group matches a
    population by its value, its label or a common word (:data:`ALIASES`), ignoring case.

    >>> parse_populations("Youth; veterans and people with disabilities, ex-offenders")
    (('youth', 'veterans', 'disabilities'), ('ex-offenders',))
    >>> parse_populations("")
    ((), ())
    """
    words = vocabulary if vocabulary is not None else _vocabulary()
    known: list[str] = []
    other: list[str] = []
    for part in _SPLIT.split(str(text or "")):
        part = part.strip(" .-")
        if not part:
            continue
        value = words.get(_key(part))
        if value is None and _key(part).endswith("s"):
            value = words.get(_key(part)[:-1])
        target, item = (known, value) if value else (other, part)
        if item not in target:
            target.append(item)
    return tuple(known), tuple(other)


@dataclass(frozen=True)
class Role:
    """A frontline role (a roles row): ``id`` is its row id, ``organization`` the name shown (may be "")."""

    id: str
    name: str
    organization: str
    populations: tuple[str, ...] = ()
    other_populations: tuple[str, ...] = ()
    what: str = ""


@dataclass(frozen=True)
class Link:
    """A link between two roles (row ids) of a kind in :data:`LINK_KINDS`."""

    a: str
    b: str
    kind: str
    note: str = ""


@dataclass(frozen=True)
class DemandPath:
    """One demand path: from ``source`` (a role id or :data:`PARTNERSHIP`) to role ``to``."""

    source: str
    to: str
    how_often: str = ""
    what: str = ""


@dataclass
class FrontlineMap:
    """What the worksheet holds, checked: rows naming a deleted role are in ``problems``, not in the lists."""

    roles: list[Role] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    paths: list[DemandPath] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def role(self, role_id: str) -> Role:
        """The role with row id ``role_id`` (KeyError if none)."""
        return self._index()[role_id]

    def _index(self) -> dict[str, Role]:
        return {r.id: r for r in self.roles}


@dataclass(frozen=True)
class Overlap:
    """Two roles (``a`` before ``b`` in table order) that serve the same people.

    ``populations``: the groups they share (values or other names); ``linked_as_overlap``: a link
    says so; ``connected``: any link joins them (in either direction).
    """

    a: str
    b: str
    populations: tuple[str, ...]
    linked_as_overlap: bool
    connected: bool


@dataclass
class Analysis:
    """The measures of one map (see the module docstring).

    ``steps``: role id -> fewest demand-path steps from the partnership (reached roles only);
    ``unreached``: roles with no path, in table order; ``unserved``: target values no role serves;
    ``served_by``: population (value or other name) -> role ids; ``overlaps`` in table order.
    """

    steps: dict[str, int]
    unreached: list[Role]
    unserved: list[str]
    served_by: dict[str, list[str]]
    overlaps: list[Overlap]


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def frontline_from_rows(roles: Iterable[tuple[str, Mapping[str, Any]]],
                        links: Iterable[tuple[str, Mapping[str, Any]]] = (),
                        paths: Iterable[tuple[str, Mapping[str, Any]]] = (),
                        targets: Sequence[str] | None = None,
                        org_names: Mapping[str, str] | None = None) -> FrontlineMap:
    """Build a :class:`FrontlineMap` from ``(row id, row value)`` pairs of the three tables.

    ``org_names`` maps Universe ids to names (an id not in it is shown as the id, and said so).
    Nothing is raised for bad rows: each is named in ``problems`` (row numbers count from 1).
    """
    names = dict(org_names or {})
    vocab = _vocabulary()
    fm = FrontlineMap(targets=[str(t) for t in (targets or []) if str(t).strip()])
    for n, (row_id, value) in enumerate(roles, 1):
        name = _text(value.get("role"))
        if not name:
            if any(_text(v) for v in value.values()):
                fm.problems.append(f"Role row {n} has no role name; it is left out of the map until it has one.")
            continue
        org_id = _text(value.get("organization"))
        org = names.get(org_id, "") if org_id else ""
        if org_id and not org:
            fm.problems.append(f"Role row {n} ({name}) names an organization that is no longer in the Universe of "
                               f"Connections ({org_id}); pick it again or type its name.")
            org = org_id
        org = org or _text(value.get("organization-name"))
        known, other = parse_populations(value.get("populations"), vocab)
        fm.roles.append(Role(row_id, name, org, known, other, _text(value.get("what"))))
    ids = fm._index()

    def check(n: int, what: str, role_id: Any, label: str) -> bool:
        role_id = _text(role_id)
        if not role_id:
            fm.problems.append(f"{what} row {n} has no {label}; the row is kept but left out of the map.")
            return False
        if role_id not in ids:
            fm.problems.append(f"{what} row {n} names a role that was deleted; the row is kept but left out of the "
                               "map (pick the role again or delete it).")
            return False
        return True

    for n, (_row_id, value) in enumerate(links, 1):
        if not any(_text(v) for v in value.values()):
            continue
        if check(n, "Link", value.get("from-role"), "role") and check(n, "Link", value.get("to-role"), "other role"):
            a, b = _text(value.get("from-role")), _text(value.get("to-role"))
            if a == b:
                fm.problems.append(f"Link row {n} links {ids[a].name} to itself; it is left out of the map.")
                continue
            kind = _text(value.get("kind"))
            fm.links.append(Link(a, b, kind if kind in LINK_KINDS else "", _text(value.get("note"))))
    for n, (_row_id, value) in enumerate(paths, 1):
        if not any(_text(v) for v in value.values()):
            continue
        if not check(n, "Demand path", value.get("to-role"), "role it reaches"):
            continue
        if _text(value.get("source")) == "role":
            if not check(n, "Demand path", value.get("from-role"), "role it comes from"):
                continue
            source = _text(value.get("from-role"))
            if source == _text(value.get("to-role")):
                fm.problems.append(f"Demand path row {n} goes from a role to itself; it is left out of the map.")
                continue
        elif _text(value.get("source")) == "partnership":
            source = PARTNERSHIP
        else:
            fm.problems.append(f"Demand path row {n} has no source (the partnership or a role); it is left out.")
            continue
        fm.paths.append(DemandPath(source, _text(value.get("to-role")), _text(value.get("how-often")),
                                   _text(value.get("what"))))
    return fm


def read_frontline(ws, spec_id: str = FRONTLINE_SPEC) -> FrontlineMap:
    """The map saved in workspace ``ws`` (duck-typed: ``rows``, ``answers``, ``records``).

    Organization names come from the Universe's ``organization`` records.
    """
    org_names = {k: _text(v.get("name")) or k for k, v in ws.records("organization").items() if isinstance(v, Mapping)}
    targets = ws.answers(spec_id).get(TARGETS) or []

    def rows(question: str) -> list[tuple[str, Mapping[str, Any]]]:
        return [(r.row_id, r.value) for r in ws.rows(spec_id, question)]

    return frontline_from_rows(rows(ROLES), rows(LINKS), rows(PATHS),
                               targets if isinstance(targets, list) else [], org_names)


def demand_graph(fm: FrontlineMap) -> nx.DiGraph:
    """Nodes: :data:`PARTNERSHIP` and every role id; one edge per distinct demand path (source -> role)."""
    g = nx.DiGraph()
    g.add_node(PARTNERSHIP)
    g.add_nodes_from(r.id for r in fm.roles)
    g.add_edges_from((p.source, p.to) for p in fm.paths)
    return g


def analyse(fm: FrontlineMap) -> Analysis:
    """Reach from the partnership, unserved target groups and overlaps (see the module docstring)."""
    g = demand_graph(fm)
    lengths = nx.single_source_shortest_path_length(g, PARTNERSHIP)
    steps = {r.id: lengths[r.id] for r in fm.roles if r.id in lengths}
    unreached = [r for r in fm.roles if r.id not in steps]
    served_by: dict[str, list[str]] = {}
    for r in fm.roles:
        for p in (*r.populations, *r.other_populations):
            served_by.setdefault(p, []).append(r.id)
    unserved = [t for t in fm.targets if t not in served_by]
    connected: set[frozenset[str]] = set()
    overlap_links: set[frozenset[str]] = set()
    for link in fm.links:
        pair = frozenset((link.a, link.b))
        connected.add(pair)
        if link.kind == "overlap":
            overlap_links.add(pair)
    order = {r.id: i for i, r in enumerate(fm.roles)}
    orgs = {r.id: r.organization.casefold() for r in fm.roles}
    shared: dict[tuple[str, str], list[str]] = {}
    for pop, ids in served_by.items():
        for a, b in combinations(ids, 2):
            if orgs[a] != orgs[b] or not orgs[a]:
                shared.setdefault((a, b) if order[a] < order[b] else (b, a), []).append(pop)
    for pair in overlap_links:
        a, b = sorted(pair, key=order.__getitem__)
        shared.setdefault((a, b), [])
    overlaps = [Overlap(a, b, tuple(pops), frozenset((a, b)) in overlap_links, frozenset((a, b)) in connected)
                for (a, b), pops in sorted(shared.items(), key=lambda kv: (order[kv[0][0]], order[kv[0][1]]))]
    return Analysis(steps, unreached, unserved, served_by, overlaps)


def resolve_role_columns() -> list[str]:
    """The column ids of the roles table (a check that the spec and this module agree).

    >>> resolve_role_columns()
    ['role', 'organization', 'organization-name', 'populations', 'what']
    """
    spec = load_spec(FRONTLINE_SPEC)
    return [c.id for c in resolve_columns(spec, spec.question(ROLES))]
