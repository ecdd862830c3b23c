"""Analyses of the Universe of Connections on a :mod:`networkx` graph of people.

:func:`build_graph` turns a :class:`~sectorkit.universe.model.Universe` into
the graph; :func:`add_person` and :func:`add_business` build one by hand.
The analyses are plain functions of that graph: :func:`reach`,
:func:`reach_summary`, :func:`gaps`, :func:`brokers`,
:func:`single_points_of_failure`, :func:`system_spread`,
:func:`champion_candidates` and :func:`paths_for`.

>>> G = nx.Graph()
>>> add_person(G, "ana", org="board", kind="partner", system="workforce")
>>> add_business(G, "zenith")
>>> gaps(G)
['zenith']
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from sectorkit.universe.vocab import SYSTEMS

if TYPE_CHECKING:  # the model imports this module (Universe.graph); the type is only an annotation here
    from sectorkit.universe.model import Universe

def build_graph(universe: Universe) -> nx.Graph:
    """The people graph: one node per person, one edge per relationship.

    Node attributes: ``name``, ``org``, ``kind`` (``partner``/``business``),
    ``system``, ``c_suite``. ``G.graph["organizations"]`` holds every
    organization (so businesses with nobody listed still count) and
    ``G.graph["conveners"]`` the convener organizations from the roster.
    """
    G = nx.Graph()
    G.graph["organizations"] = {
        o.id: {"name": o.name, "kind": o.kind, "system": o.system, "sector": o.sector, "size": o.size}
        for o in universe.organizations.values()
    }
    G.graph["conveners"] = universe.conveners()
    G.graph["roles"] = {k: r.role for k, r in universe.roster.items()}
    for p in universe.people.values():
        org = universe.organizations[p.organization]
        G.add_node(p.id, name=p.name, org=org.id, kind=org.kind, system=org.system, c_suite=p.c_suite, title=p.title)
    for r in universe.relationships.values():
        G.add_edge(r.a, r.b, strength=r.strength)
    return G


def add_person(G: nx.Graph, pid: str, *, org: str, kind: str, system: str = "", c_suite: bool = False,
               name: str | None = None) -> None:
    """Add one person (and their organization) to a graph by hand: for tests and small examples."""
    orgs = G.graph.setdefault("organizations", {})
    orgs.setdefault(org, {"name": org, "kind": kind, "system": system, "sector": "", "size": ""})
    G.add_node(pid, name=name or pid, org=org, kind=kind, system=system, c_suite=c_suite, title="")


def add_business(G: nx.Graph, org: str, name: str | None = None) -> None:
    """Add a business that nobody at it is listed for yet (so it can show up as a gap)."""
    G.graph.setdefault("organizations", {}).setdefault(
        org, {"name": name or org, "kind": "business", "system": "", "sector": "", "size": ""})


def organizations_of(G: nx.Graph) -> dict[str, dict]:
    """Every organization of a people graph: ``{id: {"name", "kind", "system", "sector", "size"}}``.

    Organizations listed in ``G.graph["organizations"]`` come first; any other
    organization a person belongs to is added with its id as its name.

    >>> G = nx.Graph(); add_person(G, "ana", org="board", kind="partner", system="workforce")
    >>> organizations_of(G)["board"]["kind"]
    'partner'
    """
    orgs = dict(G.graph.get("organizations", {}))
    for _, d in G.nodes(data=True):
        orgs.setdefault(d["org"], {"name": d["org"], "kind": d["kind"], "system": d.get("system", ""),
                                   "sector": "", "size": ""})
    return orgs


_orgs = organizations_of


def team_people(G: nx.Graph) -> list[str]:
    """People who work for a support partner (the team), sorted.

    >>> G = nx.Graph(); add_person(G, "ana", org="board", kind="partner", system="workforce")
    >>> add_person(G, "bo", org="acme", kind="business"); team_people(G)
    ['ana']
    """
    return sorted(n for n, d in G.nodes(data=True) if d["kind"] == "partner")


def business_ids(G: nx.Graph) -> list[str]:
    """Every business organization, sorted (including those with nobody listed)."""
    return sorted(k for k, o in _orgs(G).items() if o["kind"] == "business")


@dataclass
class BusinessReach:
    """How the team reaches one business.

    ``steps`` is 1 (directly), 2 (through one intermediary) or None (a gap).
    ``paths`` are tuples of people from a team member to someone at the
    business: ``(team, insider)`` or ``(team, middle, insider)``; two-step
    paths are listed only for businesses not reached directly.
    """

    business: str
    steps: int | None
    paths: list[tuple[str, ...]]

    @property
    def contacts(self) -> list[str]:
        """Team members who start a path to this business."""
        return sorted({p[0] for p in self.paths})


def _all_paths(G: nx.Graph) -> dict[str, list[tuple[str, ...]]]:
    """Every path of one or two steps from a team member to a business insider, by business."""
    direct: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    two: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    nodes = G.nodes
    for t in team_people(G):
        for n in G.adj[t]:
            dn = nodes[n]
            if dn["kind"] == "business":
                direct[dn["org"]].append((t, n))
            for m in G.adj[n]:
                if m == t:
                    continue
                dm = nodes[m]
                if dm["kind"] == "business" and dn["org"] != dm["org"]:
                    two[dm["org"]].append((t, n, m))
    return {"direct": direct, "two": two}  # type: ignore[return-value]


def reach(G: nx.Graph) -> dict[str, BusinessReach]:
    """How the team reaches every business: directly, within two steps, or not at all.

    Parameters
    ----------
    G : networkx.Graph
        A people graph from :func:`build_graph` (or :func:`add_person`).

    Returns
    -------
    dict
        ``{business_id: BusinessReach}`` for every business, sorted by id.

    Examples
    --------
    Ana (workforce board) knows Bo at Acme; Bo knows Cy at Birch Foods;
    nobody knows anyone at Zenith.

    >>> G = nx.Graph()
    >>> add_person(G, "ana", org="board", kind="partner", system="workforce")
    >>> add_person(G, "bo", org="acme", kind="business")
    >>> add_person(G, "cy", org="birch", kind="business")
    >>> add_business(G, "zenith")
    >>> G.add_edges_from([("ana", "bo"), ("bo", "cy")], strength="acquainted")
    >>> r = reach(G)
    >>> r["acme"].steps, r["acme"].paths
    (1, [('ana', 'bo')])
    >>> r["birch"].steps, r["birch"].paths
    (2, [('ana', 'bo', 'cy')])
    >>> r["zenith"].steps is None
    True
    """
    found = _all_paths(G)
    result = {}
    for b in business_ids(G):
        if found["direct"].get(b):
            result[b] = BusinessReach(b, 1, sorted(found["direct"][b]))
        elif found["two"].get(b):
            result[b] = BusinessReach(b, 2, sorted(found["two"][b]))
        else:
            result[b] = BusinessReach(b, None, [])
    return result


def reach_summary(G: nx.Graph, reached: Mapping[str, BusinessReach] | None = None) -> dict[str, int]:
    """Counts: businesses, reached directly, reached within two steps (direct included), gaps.

    >>> G = nx.Graph()
    >>> add_person(G, "ana", org="board", kind="partner", system="workforce")
    >>> add_person(G, "bo", org="acme", kind="business"); add_person(G, "cy", org="birch", kind="business")
    >>> G.add_edges_from([("ana", "bo"), ("bo", "cy")])
    >>> reach_summary(G)
    {'businesses': 2, 'direct': 1, 'within_two': 2, 'gaps': 0}
    """
    reached = reach(G) if reached is None else reached
    steps = [r.steps for r in reached.values()]
    return {
        "businesses": len(steps),
        "direct": sum(1 for s in steps if s == 1),
        "within_two": sum(1 for s in steps if s in (1, 2)),
        "gaps": sum(1 for s in steps if s is None),
    }


def gaps(G: nx.Graph, reached: Mapping[str, BusinessReach] | None = None) -> list[str]:
    """Businesses nobody on the team reaches within two steps.

    >>> G = nx.Graph()
    >>> add_person(G, "ana", org="board", kind="partner", system="workforce")
    >>> add_person(G, "bo", org="acme", kind="business"); add_business(G, "zenith")
    >>> gaps(G)
    ['acme', 'zenith']
    """
    reached = reach(G) if reached is None else reached
    return [b for b, r in reached.items() if r.steps is None]


def brokers(G: nx.Graph, top: int = 5) -> list[tuple[str, float]]:
    """The people most often on the shortest paths between others (betweenness centrality).

    Returns up to ``top`` ``(person, score)`` pairs with a score above zero,
    highest first (ties by id). Scores are normalised to 0..1. Above 500
    people the score is estimated from 200 sampled sources (fixed seed).

    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> brokers(G)
    [('b', 0.6667), ('c', 0.6667)]
    """
    if G.number_of_nodes() < 3:
        return []
    k = 200 if G.number_of_nodes() > 500 else None
    scores = nx.betweenness_centrality(G, k=k, seed=7 if k else None, normalized=True)
    ranked = sorted(((p, round(s, 4)) for p, s in scores.items() if s > 1e-12), key=lambda x: (-x[1], x[0]))
    return ranked[:top]


def single_points_of_failure(G: nx.Graph, reached: Mapping[str, BusinessReach] | None = None) -> dict[str, str]:
    """Businesses reached only through one person: ``{business: person}``.

    A person outside the business is a single point of failure for it when
    every path of one or two steps from the team to the business runs through
    them (a sole team contact, or the one go-between). If they left, the
    business would become a gap. When several people qualify, the one nearest
    the business is named.

    >>> G = nx.Graph()
    >>> add_person(G, "ana", org="board", kind="partner", system="workforce")
    >>> add_person(G, "eve", org="college", kind="partner", system="education")
    >>> add_person(G, "bo", org="acme", kind="business"); add_person(G, "cy", org="birch", kind="business")
    >>> G.add_edges_from([("ana", "bo"), ("eve", "bo"), ("bo", "cy")])
    >>> single_points_of_failure(G)
    {'birch': 'bo'}
    """
    found = _all_paths(G)
    result = {}
    reached = reach(G) if reached is None else reached
    for b, r in reached.items():
        if r.steps is None:
            continue
        paths = found["direct"].get(b, []) + found["two"].get(b, [])
        insiders = {n for n, d in G.nodes(data=True) if d["org"] == b}
        common = set(paths[0]) - insiders
        for p in paths[1:]:
            common &= set(p)
            if not common:
                break
        if common:
            # nearest the business: the last common person along any path
            result[b] = max(common, key=lambda n: (paths[0].index(n), n))
    return dict(sorted(result.items()))


@dataclass
class SystemSpread:
    """How the team's direct ties to businesses are spread across systems and organizations."""

    ties_by_system: dict[str, int]
    ties_by_org: dict[str, int]
    businesses_by_system: dict[str, int]
    top_org: str | None
    top_share: float
    concentrated: bool


def system_spread(G: nx.Graph, threshold: float = 0.5) -> SystemSpread:
    """Count direct team-to-business ties by system and by organization.

    ``concentrated`` is True when one organization holds more than
    ``threshold`` of all ties (and there are at least three ties): the
    partnership would lean on that one organization.

    >>> G = nx.Graph()
    >>> add_person(G, "ana", org="board", kind="partner", system="workforce")
    >>> add_person(G, "al", org="board", kind="partner", system="workforce")
    >>> add_person(G, "eve", org="college", kind="partner", system="education")
    >>> for b in ("b1", "b2", "b3"): add_person(G, b, org=b, kind="business")
    >>> G.add_edges_from([("ana", "b1"), ("al", "b2"), ("ana", "b3"), ("eve", "b3")])
    >>> s = system_spread(G)
    >>> s.ties_by_system, s.businesses_by_system
    ({'workforce': 3, 'education': 1}, {'workforce': 3, 'education': 1})
    >>> s.top_org, s.top_share, s.concentrated
    ('board', 0.75, True)
    """
    by_system: Counter = Counter()
    by_org: Counter = Counter()
    biz_by_system: dict[str, set] = defaultdict(set)
    nodes = G.nodes
    for u, v in G.edges():
        du, dv = nodes[u], nodes[v]
        if du["kind"] == dv["kind"]:
            continue
        team, biz = (du, dv) if du["kind"] == "partner" else (dv, du)
        by_system[team["system"]] += 1
        by_org[team["org"]] += 1
        biz_by_system[team["system"]].add(biz["org"])
    total = sum(by_org.values())
    top_org, top_n = min(by_org.items(), key=lambda x: (-x[1], x[0])) if by_org else (None, 0)
    share = round(top_n / total, 4) if total else 0.0
    order = list(SYSTEMS)
    key = lambda s: (order.index(s) if s in order else len(order), s)  # noqa: E731
    return SystemSpread(
        ties_by_system={s: by_system[s] for s in sorted(by_system, key=key)},
        ties_by_org=dict(sorted(by_org.items(), key=lambda x: (-x[1], x[0]))),
        businesses_by_system={s: len(biz_by_system[s]) for s in sorted(biz_by_system, key=key)},
        top_org=top_org,
        top_share=share,
        concentrated=bool(total >= 3 and share > threshold),
    )


@dataclass
class Champion:
    """A C-suite person at a reachable business who could champion the partnership."""

    person: str
    business: str
    steps: int
    knows_well: int  # team members who know them well
    team_ties: int  # team members who know them at all
    via: list[str]  # for two steps: the go-betweens


def champion_candidates(G: nx.Graph) -> list[Champion]:
    """C-suite people at businesses the team can reach within two steps, best first.

    Ranked by steps (direct first), then how many team members know them
    well, then how many know them at all, then id.

    >>> G = nx.Graph()
    >>> add_person(G, "ana", org="board", kind="partner", system="workforce")
    >>> add_person(G, "ceo1", org="acme", kind="business", c_suite=True)
    >>> add_person(G, "ceo2", org="birch", kind="business", c_suite=True)
    >>> add_person(G, "hr", org="birch", kind="business")
    >>> G.add_edge("ana", "ceo1", strength="acquainted"); G.add_edge("ana", "hr", strength="knows-well")
    >>> G.add_edge("hr", "ceo2", strength="knows-well")
    >>> [(c.person, c.steps, c.via) for c in champion_candidates(G)]
    [('ceo1', 1, []), ('ceo2', 2, ['hr'])]
    """
    nodes = G.nodes
    out = []
    for n, d in G.nodes(data=True):
        if d["kind"] != "business" or not d.get("c_suite"):
            continue
        team_nbrs = [m for m in G.adj[n] if nodes[m]["kind"] == "partner"]
        if team_nbrs:
            well = sum(1 for m in team_nbrs if G.edges[n, m].get("strength") == "knows-well")
            out.append(Champion(n, d["org"], 1, well, len(team_nbrs), []))
            continue
        via = sorted(m for m in G.adj[n] if any(nodes[t]["kind"] == "partner" for t in G.adj[m]))
        if via:
            out.append(Champion(n, d["org"], 2, 0, 0, via))
    return sorted(out, key=lambda c: (c.steps, -c.knows_well, -c.team_ties, c.person))


def paths_for(G: nx.Graph, org: str, reached: Mapping[str, BusinessReach] | None = None) -> list[tuple[str, ...]]:
    """The reach paths that involve one organization (a business, or a partner's people).

    >>> G = nx.Graph()
    >>> add_person(G, "ana", org="board", kind="partner", system="workforce")
    >>> add_person(G, "bo", org="acme", kind="business"); G.add_edge("ana", "bo")
    >>> paths_for(G, "board"), paths_for(G, "acme")
    ([('ana', 'bo')], [('ana', 'bo')])
    """
    reached = reach(G) if reached is None else reached
    if org in reached:
        return list(reached[org].paths)
    members = {n for n, d in G.nodes(data=True) if d["org"] == org}
    return sorted(p for r in reached.values() for p in r.paths if members & set(p))
