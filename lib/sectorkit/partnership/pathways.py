"""Module 4: the region's career pathway map, and whether its programs add up to a system.

The ``pathway-map`` worksheet holds (column ids below are this module's schema):

* **programs**: ``name``, ``institution`` (typed) or ``organization`` (a Universe of Connections id),
  ``institution-type`` (:data:`INSTITUTION_TYPES`), ``credential``, ``level`` (``"1"``..``"5"``,
  :data:`LEVELS`), ``occupations`` (text; several separated by commas or semicolons), ``work-based``
  and ``entry`` (yes/no);
* **links**: ``from`` and ``to`` (``row`` cells: ids of programs rows), ``kind`` (:data:`LINK_KINDS`),
  ``written`` (yes/no).

:func:`build_map` makes a :class:`PathwayMap` whose ``graph`` is a networkx ``DiGraph`` (one node per
program id, one edge per linked pair). Measures (pure functions on the map; :func:`analyse` gives
them all at once):

* **connected across institutions**: the programs with at least one link, in either direction, to a
  program of another institution, and their share of all programs;
* **dead ends**: programs whose credential has no next step (no link out) **and** that prepare for no
  occupation in the sector;
* **missing levels**: the credential levels 1-5 with no program;
* **islands**: the weakly connected components whose programs all belong to one institution (a
  program with no link at all is an island of one);
* **cycles**: each group of programs that lead back to themselves (a strongly connected component
  of two or more, or a program linked to itself), named with one cycle through it. Nothing is dropped:
  the links stay in the worksheet, on the map and in the counts;
* **problems**: a link to a program that was deleted, or with an end not chosen, is kept in the
  worksheet and left out of the map, with a message naming its row; a program with no level is drawn
  in a column of its own.

An institution is the Universe organization when one is picked, else the typed name (case and
spacing do not count), else unknown (each such program counts as its own institution).
:func:`summary` says in words whether the map looks like separate programs or a system.

>>> m = build_map({"a": {"name": "Welding I", "institution": "North High", "level": "1"},
...                "b": {"name": "Welding cert.", "institution": "Valley College", "level": "2",
...                      "occupations": "Welder"}},
...               [{"from": "a", "to": "b", "kind": "articulation", "written": True}])
>>> r = analyse(m)
>>> r.share, r.dead_ends, r.missing_levels, r.islands
(1.0, (), (3, 4, 5), ())

Based on the Next Gen Sector Partnership training toolkit (Module 4); sectorkit's own wording and method.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx

from sectorkit.universe.store import KIND_ORG

__all__ = ["INSTITUTION_TYPES", "LEVELS", "LINKS", "LINK_KINDS", "PATHWAY_SPEC", "PROGRAMS", "Analysis", "Link",
           "PathwayMap", "Program", "analyse", "build_map", "connected_across", "cycles", "dead_ends", "islands",
           "link_counts", "missing_levels", "read_map", "summary"]

#: the worksheet and its tables
PATHWAY_SPEC, PROGRAMS, LINKS = "pathway-map", "programs", "links"
#: credential level -> label (the spec's ``credential-level`` scale, in order)
LEVELS = {1: "High-school CTE certificate or dual credit", 2: "Industry certification or short certificate",
          3: "Certificate of a year or more, or apprenticeship", 4: "Associate degree",
          5: "Bachelor's degree and above"}
#: institution type value -> label (the spec's ``institution-type`` scale)
INSTITUTION_TYPES = {"k12-cte": "K-12 career-technical education", "college": "Community or technical college",
                     "university": "University", "apprenticeship": "Registered apprenticeship",
                     "training-provider": "Training provider", "employer": "Employer"}
#: link kind value -> label (the spec's ``link-kind`` scale)
LINK_KINDS = {"stackable": "Stackable credential", "articulation": "Articulation agreement",
              "dual-enrollment": "Dual enrollment", "referral": "Informal referral"}


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def _yes(value: Any) -> bool:
    return value is True or str(value).strip().casefold() in {"yes", "true", "1", "y"}


@dataclass(frozen=True)
class Program:
    """A programs row: ``id`` (row id), ``row`` (from 1), ``name``, ``institution`` (shown) and
    ``institution_key`` (what counts as one institution), ``kind`` (institution type value),
    ``credential``, ``level`` (1-5 or None), ``occupations``, ``work_based``, ``entry``."""

    id: str
    row: int
    name: str
    institution: str
    institution_key: str
    kind: str = ""
    credential: str = ""
    level: int | None = None
    occupations: tuple[str, ...] = ()
    work_based: bool = False
    entry: bool = False


@dataclass(frozen=True)
class Link:
    """A links row both of whose programs exist: ``row`` (from 1), ``source`` and ``target`` program ids,
    ``kind`` value, ``written``."""

    row: int
    source: str
    target: str
    kind: str = ""
    written: bool = False


@dataclass
class PathwayMap:
    """The programs (by id, in row order), the links counted, the problems found and the graph."""

    programs: dict[str, Program]
    links: list[Link]
    problems: list[str] = field(default_factory=list)
    graph: nx.DiGraph = field(default_factory=nx.DiGraph)

    def name(self, pid: str) -> str:
        """A program's name (its id when unknown)."""
        p = self.programs.get(pid)
        return p.name if p else pid

    @property
    def institutions(self) -> dict[str, str]:
        """Institution key -> the name shown, in order of first appearance."""
        return {p.institution_key: p.institution for p in self.programs.values()}


def build_map(programs: Mapping[str, Mapping[str, Any]], links: Sequence[Mapping[str, Any]],
              orgs: Mapping[str, Mapping[str, Any]] | None = None) -> PathwayMap:
    """A :class:`PathwayMap` from the worksheet's rows.

    Parameters
    ----------
    programs : mapping
        Programs row id -> row value (dict of the columns above), in row order.
    links : sequence of mapping
        The links rows' values, in row order.
    orgs : mapping, optional
        Universe organization id -> its record (``name`` used); an unknown id is shown as typed.

    Returns
    -------
    PathwayMap
        Never raises on bad rows: each is named in ``problems``.

    >>> m = build_map({"a": {"name": "A", "level": "2"}}, [{"from": "a", "to": "gone", "kind": "referral"}])
    >>> m.links, m.problems[0][:58]
    ([], "Links row 1 leads to a program that was deleted (from 'A')")
    """
    orgs = orgs or {}
    out: dict[str, Program] = {}
    problems: list[str] = []
    for i, (pid, v) in enumerate(programs.items(), 1):
        name = _text(v.get("name")) or f"Program in row {i}"
        org = _text(v.get("organization"))
        typed = _text(v.get("institution"))
        if org:
            inst, key = _text((orgs.get(org) or {}).get("name")) or typed or org, f"org:{org}"
        elif typed:
            inst, key = typed, "name:" + typed.casefold()
        else:
            inst, key = "(institution not given)", f"row:{pid}"
        level = _text(v.get("level"))
        lv = int(level) if level.isdigit() and int(level) in LEVELS else None
        if lv is None:
            problems.append(f"Programs row {i} ('{name}') has no credential level; it is drawn in a column of its own.")
        occ = tuple(o for o in (_text(x) for x in re.split(r"[,;\n]", str(v.get("occupations") or ""))) if o)
        out[pid] = Program(pid, i, name, inst, key, _text(v.get("institution-type")), _text(v.get("credential")),
                           lv, occ, _yes(v.get("work-based")), _yes(v.get("entry")))
    # Typed names that match a Universe organization's name count as that organization.
    by_name = {p.institution.casefold(): p.institution_key for p in out.values()
               if p.institution_key.startswith("org:")}
    for pid, p in out.items():
        if p.institution_key.startswith("name:") and p.institution.casefold() in by_name:
            out[pid] = replace(p, institution_key=by_name[p.institution.casefold()])
    kept: list[Link] = []
    for i, v in enumerate(links, 1):
        src, dst = _text(v.get("from")), _text(v.get("to"))
        if not src or not dst:
            problems.append(f"Links row {i} has no {'from' if not src else 'to'} program yet; it is kept and left "
                            "off the map until both ends are chosen.")
            continue
        gone = [end for end, pid in (("from", src), ("to", dst)) if pid not in out]
        if gone:
            other = dst if gone == ["from"] else src
            known = f" ({'to' if gone == ['from'] else 'from'} '{out[other].name}')" if other in out else ""
            what = "both of its programs were deleted" if len(gone) == 2 else "leads to a program that was deleted" \
                if gone == ["to"] else "starts from a program that was deleted"
            problems.append(f"Links row {i} {what}{known}. The row is kept in the worksheet and left off the map "
                            "until you pick the program again.")
            continue
        kept.append(Link(i, src, dst, _text(v.get("kind")), _yes(v.get("written"))))
    g = nx.DiGraph()
    g.add_nodes_from(out)
    for link in kept:
        g.add_edge(link.source, link.target, kind=link.kind, written=link.written, row=link.row)
    return PathwayMap(out, kept, problems, g)


def read_map(ws) -> PathwayMap:
    """The region's :class:`PathwayMap` from workspace ``ws`` (the worksheet's rows and the Universe's names)."""
    return build_map({r.row_id: r.value for r in ws.rows(PATHWAY_SPEC, PROGRAMS)},
                     [r.value for r in ws.rows(PATHWAY_SPEC, LINKS)], dict(ws.records(KIND_ORG)))


def connected_across(m: PathwayMap) -> tuple[str, ...]:
    """Programs linked (either way) to a program of another institution, in row order.

    >>> m = build_map({"a": {"institution": "X"}, "b": {"institution": "X"}, "c": {"institution": "Y"}},
    ...               [{"from": "a", "to": "b"}, {"from": "b", "to": "c"}])
    >>> connected_across(m)
    ('b', 'c')
    """
    hit: set[str] = set()
    for link in m.links:
        if m.programs[link.source].institution_key != m.programs[link.target].institution_key:
            hit.update((link.source, link.target))
    return tuple(pid for pid in m.programs if pid in hit)


def dead_ends(m: PathwayMap) -> tuple[str, ...]:
    """Programs with no link out and no occupation in the sector, in row order."""
    return tuple(pid for pid, p in m.programs.items() if not p.occupations and m.graph.out_degree(pid) == 0)


def missing_levels(m: PathwayMap) -> tuple[int, ...]:
    """The credential levels (1-5) no program leads to."""
    have = {p.level for p in m.programs.values()}
    return tuple(lv for lv in LEVELS if lv not in have)


def islands(m: PathwayMap) -> tuple[tuple[str, ...], ...]:
    """Weakly connected groups of programs that all belong to one institution (row order, largest first).

    Only when the map has two or more institutions: with one, the whole map is that institution's.

    >>> m = build_map({"a": {"institution": "X"}, "b": {"institution": "X"}, "c": {"institution": "Y"}},
    ...               [{"from": "a", "to": "b"}])
    >>> islands(m)
    (('a', 'b'), ('c',))
    """
    if len(m.institutions) < 2:
        return ()
    order = {pid: i for i, pid in enumerate(m.programs)}
    out = []
    for comp in nx.weakly_connected_components(m.graph):
        if len({m.programs[pid].institution_key for pid in comp}) == 1:
            out.append(tuple(sorted(comp, key=order.__getitem__)))
    return tuple(sorted(out, key=lambda c: (-len(c), order[c[0]])))


def cycles(m: PathwayMap) -> tuple[tuple[str, ...], ...]:
    """One cycle (program ids, first repeated at the end) per group of programs that lead back to themselves.

    >>> m = build_map({"a": {"name": "A"}, "b": {"name": "B"}}, [{"from": "a", "to": "b"}, {"from": "b", "to": "a"}])
    >>> cycles(m)
    (('a', 'b', 'a'),)
    """
    order = {pid: i for i, pid in enumerate(m.programs)}
    out = []
    for comp in nx.strongly_connected_components(m.graph):
        start = min(comp, key=order.__getitem__)
        if len(comp) == 1:
            if m.graph.has_edge(start, start):
                out.append((start, start))
            continue
        sub = m.graph.subgraph(comp)
        path = [start]
        # a shortest way back to the start from one of its successors in the group
        best = min((nx.shortest_path(sub, s, start) for s in sub.successors(start)), key=len)
        path.extend(best)
        out.append(tuple(path))
    return tuple(sorted(out, key=lambda c: order[c[0]]))


@dataclass(frozen=True)
class Analysis:
    """Every measure of one map (program ids; see the module docstring) and the words of :func:`summary`."""

    programs: int
    institutions: int
    connected: tuple[str, ...]
    share: float | None
    dead_ends: tuple[str, ...]
    missing_levels: tuple[int, ...]
    islands: tuple[tuple[str, ...], ...]
    cycles: tuple[tuple[str, ...], ...]
    problems: tuple[str, ...]
    verdict: str
    sentences: tuple[str, ...]


def _names(m: PathwayMap, ids: Sequence[str], limit: int = 8) -> str:
    shown = [f"'{m.name(pid)}'" for pid in ids[:limit]]
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return ", ".join(shown) + more


def _cycle_message(m: PathwayMap, cycle: Sequence[str]) -> str:
    if len(cycle) == 2:
        return (f"'{m.name(cycle[0])}' is linked to itself. The link is kept; check its 'to' program.")
    path = " \u2192 ".join(m.name(pid) for pid in cycle)
    return (f"A pathway goes round in a circle: {path}. The links are kept and drawn; check which way each "
            "one should run (a link goes from the program people finish to the one they go on to).")


def summary(m: PathwayMap, measures: Mapping[str, Any] | None = None) -> tuple[str, tuple[str, ...]]:
    """"Program or system?": a short verdict and the sentences behind it, from the measures.

    >>> summary(build_map({"a": {"name": "A", "institution": "X", "level": "1"}}, []))[0]
    'Programs at one institution: a career pathway program at most, not yet a system.'
    """
    n = len(m.programs)
    if not n:
        return "No program is on the map yet.", ("Add the region's programs for the sector, then the links "
                                                 "between them.",)
    got = dict(measures) if measures is not None else {}
    conn = got["connected"] if "connected" in got else connected_across(m)
    ends = got["dead_ends"] if "dead_ends" in got else dead_ends(m)
    gaps = got["missing_levels"] if "missing_levels" in got else missing_levels(m)
    isl = got["islands"] if "islands" in got else islands(m)
    insts = len(m.institutions)
    share = len(conn) / n
    across = [k for k in m.links if m.programs[k.source].institution_key != m.programs[k.target].institution_key]
    written = sum(1 for k in across if k.written and k.kind in ("stackable", "articulation", "dual-enrollment"))
    wbl = sum(1 for p in m.programs.values() if p.work_based)
    entries = sum(1 for p in m.programs.values() if p.entry)
    if insts < 2:
        verdict = "Programs at one institution: a career pathway program at most, not yet a system."
    elif share >= 0.6 and not ends and len(isl) <= 1 and written:
        verdict = "A system taking shape: most programs connect across institutions."
    elif share >= 0.25:
        verdict = "Between programs and a system: some programs connect across institutions, others stand alone."
    else:
        verdict = "Mostly separate programs: few links cross from one institution to another."
    s = [f"{n} program{'s' if n != 1 else ''} at {insts} institution{'s' if insts != 1 else ''}; "
         f"{len(conn)} ({share:.0%}) {'is' if len(conn) == 1 else 'are'} linked to a program of another institution."]
    s.append(f"Of {len(across)} link{'s' if len(across) != 1 else ''} across institutions, {written} "
             f"{'is a' if written == 1 else 'are'} stackable, articulation or dual-enrollment "
             f"link{'s' if written != 1 else ''} written down; credits transfer reliably only where it is.")
    s.append(f"{wbl} of {n} program{'s' if n != 1 else ''} offer work-based learning; {entries} "
             f"{'is an entry point' if entries == 1 else 'are entry points'}."
             + (" Mark where people can start." if not entries else ""))
    if ends:
        s.append(f"Dead ends ({len(ends)}): {_names(m, ends)} lead{'s' if len(ends) == 1 else ''} to no next step "
                 "and no occupation in the sector.")
    if gaps:
        s.append("No program leads to level " + ", ".join(f"{lv} ({LEVELS[lv].lower()})" for lv in gaps) + ".")
    if isl:
        s.append(f"{len(isl)} island{'s' if len(isl) != 1 else ''} within a single institution: "
                 + "; ".join(f"{m.programs[c[0]].institution}: {_names(m, c, 4)}" for c in isl[:5])
                 + (f"; and {len(isl) - 5} more" if len(isl) > 5 else "") + ".")
    s.append("The map cannot show advising: ask who helps people move between these institutions.")
    return verdict, tuple(s)


def analyse(m: PathwayMap) -> Analysis:
    """Every measure of the map at once, the cycle messages added to its problems (nothing is dropped).

    >>> m = build_map({"a": {"name": "A", "institution": "X", "level": "1"},
    ...                "b": {"name": "B", "institution": "Y", "level": "3"}},
    ...               [{"from": "a", "to": "b", "kind": "referral"}, {"from": "b", "to": "a"}])
    >>> r = analyse(m)
    >>> r.cycles, r.dead_ends, r.problems[0][:39]
    ((('a', 'b', 'a'),), (), 'A pathway goes round in a circle: A → B')
    """
    conn, ends, gaps, isl, cyc = connected_across(m), dead_ends(m), missing_levels(m), islands(m), cycles(m)
    verdict, sentences = summary(m, {"connected": conn, "dead_ends": ends, "missing_levels": gaps, "islands": isl})
    problems = tuple([_cycle_message(m, c) for c in cyc] + m.problems)
    n = len(m.programs)
    return Analysis(n, len(m.institutions), conn, len(conn) / n if n else None, ends, gaps, isl, cyc, problems,
                    verdict, sentences)


def link_counts(m: PathwayMap) -> Counter:
    """Links by kind value ("" when not given)."""
    return Counter(k.kind for k in m.links)
