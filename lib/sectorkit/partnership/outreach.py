"""Module 2: who reaches out to the sector's businesses, how often, and where outreach piles up.

The ``outreach-map`` worksheet holds (column ids below are this module's schema):

* **programs**: ``name``, ``organization`` (a Universe of Connections id, optional), ``kind``
  (:data:`KINDS`), ``staff``;
* **contacts**: ``program`` (a ``row`` cell: the id of a programs row), the business as
  ``business`` (a Universe id) **or** ``business-name`` (typed, for a business not in the Universe),
  ``frequency`` (:data:`PER_YEAR`) and ``why``;
* **advisory-tables**: ``name``, ``program`` (row id), ``businesses``, ``rhythm``, ``purpose``;
* ``target-sector`` (text; when blank, the ``prepare-launch`` worksheet's).

Measures (pure functions on an :class:`OutreachMap`):

* **burden** per business: the programs that contact it, the contact rows, and **contacts per
  year**, the sum over its rows of the frequency as a yearly count (weekly 52, monthly 12, quarterly
  4, yearly 1, once 1; a row with no frequency counts 1 and is named in the problems);
* **crowded** businesses, reached by three or more programs;
* **unreached** businesses: the Universe's businesses of the target sector no counted contact names
  (every Universe business when no sector is given);
* **overlap** between programs: each pair sharing a business, with the businesses and the Jaccard
  index (shared / either);
* **spellings**: businesses that look like one under :func:`name_key` (case, spaces, punctuation,
  "Inc."-style endings) but are written differently. They are **never merged**: each spelling is
  counted as its own business until the rows are made to match, and the message names the rows.

A contact whose program was deleted, or which names no business, is kept in the worksheet and left
out of the counts, with a message saying so. Nothing here draws or saves; the page is
:mod:`sectorkit.apps.outreach`, the heat map :mod:`sectorkit.views.outreach`.

>>> m = build_map({"p1": {"name": "Veterans"}, "p2": {"name": "Chamber"}},
...               [{"program": "p1", "business-name": "Apex", "frequency": "monthly"},
...                {"program": "p2", "business-name": "Apex", "frequency": "quarterly"},
...                {"program": "p2", "business-name": "Birch Co.", "frequency": "yearly"}])
>>> [(b.name, b.programs, b.per_year) for b in burden(m)]
[('Apex', 2, 16.0), ('Birch Co.', 1, 1.0)]
>>> [(o.a, o.b, o.shared, round(o.jaccard, 2)) for o in overlaps(m)]
[('Veterans', 'Chamber', ('Apex',), 0.5)]

Based on the Next Gen Sector Partnership training toolkit (Module 2); sectorkit's own wording and method.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from sectorkit.universe.launch import sector_matches
from sectorkit.universe.store import KIND_ORG

__all__ = ["CONTACTS", "CROWDED", "KINDS", "OUTREACH_SPEC", "PER_YEAR", "PROGRAMS", "TABLES", "BusinessBurden",
           "Contact", "OutreachAnalysis", "Overlap", "OutreachMap", "Program", "Spelling", "analyse", "build_map",
           "burden", "crowded", "heat_matrix", "name_key", "overlaps", "read_map", "unreached"]

#: the worksheet and its tables
OUTREACH_SPEC = "outreach-map"
PROGRAMS, CONTACTS, TABLES, SECTOR = "programs", "contacts", "advisory-tables", "target-sector"
#: a program's kind value -> label (the spec's ``program-kind`` scale)
KINDS = {"support-team": "Support team member", "workforce-program": "Workforce program",
         "chamber": "Chamber or business association", "economic-development": "Economic development",
         "education": "University, college or career-technical education", "other": "Other"}
#: contacts a year for each frequency (the spec's ``contact-frequency`` scale); a blank counts 1
PER_YEAR = {"weekly": 52.0, "monthly": 12.0, "quarterly": 4.0, "yearly": 1.0, "once": 1.0}
#: a business reached by at least this many programs is "crowded"
CROWDED = 3
_LEGAL = {"inc", "incorporated", "llc", "ltd", "limited", "co", "corp", "corporation", "company", "plc", "lp",
          "llp", "pc", "pllc"}


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def name_key(name: Any) -> str:
    """A business name for spotting likely duplicates: accents, case, punctuation, spacing, "&" and legal
    endings ("Inc.", "LLC", "Co."...) and a leading "The" do not count. Used to warn, never to merge.

    >>> name_key(" The APEX  Precision, Inc. "), name_key("Apex-Precision"), name_key("Smith & Sons L.L.C.")
    ('apex precision', 'apex precision', 'smith and sons')
    >>> name_key("The Company")
    'the company'
    """
    text = unicodedata.normalize("NFKD", str(name or "")).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("&", " and ").replace(".", "")
    words = re.sub(r"[^\w\s]|_", " ", text).split()
    kept = list(words)
    while kept and kept[-1] in _LEGAL:
        kept.pop()
    if kept and kept[0] == "the":
        kept = kept[1:]
    return " ".join(kept or words)


@dataclass(frozen=True)
class Program:
    """A programs row: ``id`` (row id), ``name``, ``kind`` value, ``organization`` id, ``row`` (from 1)."""

    id: str
    name: str
    kind: str = ""
    organization: str = ""
    row: int = 0


@dataclass(frozen=True)
class Contact:
    """A counted contacts row.

    ``business`` is the business's key: ``org:<Universe id>`` or ``name:<spelling as typed>``;
    ``name`` is how it is shown; ``per_year`` the contacts a year its frequency means.
    """

    row: int
    program: str
    business: str
    name: str
    frequency: str
    per_year: float
    why: str = ""


@dataclass(frozen=True)
class Spelling:
    """Several spellings that look like one business (see :func:`name_key`); nothing is merged."""

    spellings: tuple[str, ...]
    rows: tuple[int, ...]
    universe: tuple[str, ...] = ()

    def message(self) -> str:
        names = ", ".join(f"'{s}'" for s in self.spellings)
        where = f" (contacts rows {', '.join(map(str, self.rows))})" if self.rows else ""
        fix = (f" Pick '{self.universe[0]}' from the Universe in each row" if len(self.universe) == 1
               else " Make the spellings match, or pick the business from the Universe in each row")
        return (f"{names} look like the same business{where}. They are counted as separate businesses until "
                f"they match.{fix}; nothing was merged.")


@dataclass(frozen=True)
class AdvisoryTable:
    """An advisory-tables row: its ``name``, the ``program`` name that runs it, ``businesses`` at it."""

    name: str
    program: str = ""
    businesses: float | None = None
    rhythm: str = ""


@dataclass(frozen=True)
class OutreachMap:
    """Everything the measures need, read from the worksheet and the Universe.

    Attributes
    ----------
    programs : tuple of Program
        In table order.
    contacts : tuple of Contact
        The rows that are counted (a program and a business are known).
    tables : tuple of AdvisoryTable
    sector : str
        The target sector ("" when none is given).
    sector_businesses : tuple of (id, name)
        The Universe's businesses of the sector (all its businesses when ``sector`` is "").
    problems : tuple of str
        Rows kept but not counted, or counted with a caveat, each named by table and row.
    spellings : tuple of Spelling
        Likely duplicate businesses.
    """

    programs: tuple[Program, ...] = ()
    contacts: tuple[Contact, ...] = ()
    tables: tuple[AdvisoryTable, ...] = ()
    sector: str = ""
    sector_businesses: tuple[tuple[str, str], ...] = ()
    problems: tuple[str, ...] = ()
    spellings: tuple[Spelling, ...] = field(default=())

    def program_name(self, program_id: str) -> str:
        return next((p.name for p in self.programs if p.id == program_id), program_id)


def _rows_text(rows: Sequence[int]) -> str:
    shown = ", ".join(map(str, rows[:12])) + (f" and {len(rows) - 12} more" if len(rows) > 12 else "")
    return f"row{'s' if len(rows) != 1 else ''} {shown}"


def build_map(programs: Mapping[str, Mapping[str, Any]], contacts: Sequence[Mapping[str, Any]],
              organizations: Mapping[str, Mapping[str, Any]] | None = None,
              tables: Sequence[Mapping[str, Any]] = (), sector: str = "") -> OutreachMap:
    """Build the :class:`OutreachMap` from the worksheet's rows (plain dicts) and the Universe's organizations.

    Parameters
    ----------
    programs : mapping of row id -> programs row
        In table order.
    contacts, tables : sequences of rows
        The contacts and advisory-tables rows, in table order.
    organizations : mapping of id -> Universe ``organization`` record, optional
    sector : str
        The target sector (free text, matched as the invitation pre-fill does).

    >>> m = build_map({"p": {"name": "Youth"}}, [{"program": "gone", "business-name": "Apex"},
    ...                                         {"program": "p", "business-name": "Apex", "frequency": None}])
    >>> [c.row for c in m.contacts], m.problems[0][:52]
    ([2], 'Contacts row 1: its program was deleted or none is p')
    """
    orgs = organizations or {}
    progs = tuple(Program(pid, _text(r.get("name")) or f"(program in row {n})", str(r.get("kind") or ""),
                          str(r.get("organization") or ""), n) for n, (pid, r) in enumerate(programs.items(), 1))
    known = {p.id for p in progs}
    problems: list[str] = []
    counted: list[Contact] = []
    no_frequency: list[int] = []
    for n, row in enumerate(contacts, 1):
        if not any(_text(v) for v in row.values()):
            continue
        org, typed = str(row.get("business") or ""), _text(row.get("business-name"))
        if row.get("program") not in known:
            problems.append(f"Contacts row {n}: its program was deleted or none is picked. The row is kept but not "
                            "counted until a program is picked.")
            continue
        if not org and not typed:
            problems.append(f"Contacts row {n} names no business: pick one from the Universe or type its name. "
                            "The row is kept but not counted.")
            continue
        if org:
            record = orgs.get(org)
            name = _text((record or {}).get("name")) or org
            if record is None and orgs:
                problems.append(f"Contacts row {n} names '{org}', which is no longer in the Universe of Connections; "
                                "it is counted under that id.")
            elif typed and name_key(typed) != name_key(name):
                problems.append(f"Contacts row {n} has both a business from the Universe ('{name}') and a typed "
                                f"name ('{typed}'); the Universe's is counted.")
            key = f"org:{org}"
        else:
            name, key = typed, f"name:{typed}"
        frequency = str(row.get("frequency") or "")
        if frequency not in PER_YEAR:
            no_frequency.append(n)
        counted.append(Contact(n, str(row["program"]), key, name, frequency, PER_YEAR.get(frequency, 1.0),
                               _text(row.get("why"))))
    if no_frequency:
        problems.append(f"Contacts {_rows_text(no_frequency)}: no frequency given; each is counted as one contact "
                        "a year until one is chosen.")
    names = {p.id: p.name for p in progs}
    advisory = []
    for n, row in enumerate(tables, 1):
        if not _text(row.get("name")):
            continue
        pid = row.get("program")
        if pid and pid not in known:
            problems.append(f"Advisory tables row {n} ('{_text(row.get('name'))}'): the program that runs it was "
                            "deleted; the row is kept.")
        number = row.get("businesses")
        advisory.append(AdvisoryTable(_text(row.get("name")), names.get(pid, ""),
                                      float(number) if isinstance(number, (int, float)) else None,
                                      str(row.get("rhythm") or "")))
    businesses = [(oid, _text(o.get("name")) or oid) for oid, o in orgs.items() if o.get("kind") == "business"]
    in_sector = [b for b in businesses if not _text(sector) or sector_matches(orgs[b[0]].get("sector"), [sector])]
    return OutreachMap(progs, tuple(counted), tuple(advisory), _text(sector),
                       tuple(sorted(in_sector, key=lambda b: name_key(b[1]))), tuple(problems),
                       tuple(_spellings(counted, businesses)))


def _spellings(contacts: Sequence[Contact], businesses: Sequence[tuple[str, str]]) -> list[Spelling]:
    """Groups of differently written businesses with one :func:`name_key` (Universe names included)."""
    groups: dict[str, dict[str, Any]] = {}
    for c in contacts:
        g = groups.setdefault(name_key(c.name), {"keys": {}, "rows": [], "universe": {}})
        g["keys"].setdefault(c.business, c.name)
        g["rows"].append(c.row)
    for oid, name in businesses:
        g = groups.get(name_key(name))
        if g is not None:
            g["universe"][oid] = name
            g["keys"].setdefault(f"org:{oid}", name)
    found = []
    for g in groups.values():
        if len(g["keys"]) > 1:
            found.append(Spelling(tuple(g["keys"].values()), tuple(sorted(set(g["rows"]))),
                                  tuple(g["universe"].values())))
    return sorted(found, key=lambda s: s.rows)


def read_map(ws) -> OutreachMap:
    """The region's :class:`OutreachMap` from workspace ``ws`` (the worksheet's rows and the Universe)."""
    answers = ws.answers(OUTREACH_SPEC)
    sector = _text(answers.get(SECTOR)) or _text(ws.answers("prepare-launch").get(SECTOR))
    return build_map({r.row_id: r.value for r in ws.rows(OUTREACH_SPEC, PROGRAMS)},
                     [r.value for r in ws.rows(OUTREACH_SPEC, CONTACTS)], dict(ws.records(KIND_ORG)),
                     [r.value for r in ws.rows(OUTREACH_SPEC, TABLES)], sector)


@dataclass(frozen=True)
class BusinessBurden:
    """One business's load: ``programs`` (how many different programs), ``contacts`` (rows), ``per_year``
    (contacts a year), ``program_names`` and ``reasons`` (the ``why`` cells, distinct, in row order)."""

    business: str
    name: str
    programs: int
    contacts: int
    per_year: float
    program_names: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


def burden(m: OutreachMap) -> list[BusinessBurden]:
    """Every contacted business with its load, heaviest first (contacts a year, then programs, then name).

    >>> m = build_map({"a": {"name": "A"}}, [{"program": "a", "business-name": "X", "frequency": "weekly"},
    ...                                     {"program": "a", "business-name": "X", "frequency": "once"}])
    >>> burden(m)[0].per_year, burden(m)[0].contacts, burden(m)[0].programs
    (53.0, 2, 1)
    """
    by: dict[str, list[Contact]] = {}
    for c in m.contacts:
        by.setdefault(c.business, []).append(c)
    out = []
    for key, rows in by.items():
        pids = list(dict.fromkeys(c.program for c in rows))
        reasons = tuple(dict.fromkeys(c.why for c in rows if c.why))
        out.append(BusinessBurden(key, rows[0].name, len(pids), len(rows), sum(c.per_year for c in rows),
                                  tuple(m.program_name(p) for p in pids), reasons))
    return sorted(out, key=lambda b: (-b.per_year, -b.programs, name_key(b.name), b.name))


def crowded(m: OutreachMap, at_least: int = CROWDED) -> list[BusinessBurden]:
    """The businesses reached by ``at_least`` (default 3) or more different programs, most programs first."""
    return sorted((b for b in burden(m) if b.programs >= at_least), key=lambda b: (-b.programs, -b.per_year, b.name))


def unreached(m: OutreachMap) -> list[tuple[str, str]]:
    """``(id, name)`` of the sector's Universe businesses that no counted contact names (by Universe id).

    A business typed by name instead of picked from the Universe does not count as reached; the
    spelling check says so when the names match.
    """
    reached = {c.business for c in m.contacts}
    return [(oid, name) for oid, name in m.sector_businesses if f"org:{oid}" not in reached]


@dataclass(frozen=True)
class Overlap:
    """Two programs that contact some of the same businesses: ``a``, ``b`` (names), ``shared`` (business
    names, sorted), ``jaccard`` = shared / businesses either contacts."""

    a: str
    b: str
    shared: tuple[str, ...]
    jaccard: float


def overlaps(m: OutreachMap) -> list[Overlap]:
    """Every pair of programs sharing at least one business, most shared first (then Jaccard, then names).

    Pairs come from each business's programs, so the work grows with the contacts, not with the square
    of the programs.
    """
    reach: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for c in m.contacts:
        reach.setdefault(c.program, set()).add(c.business)
        names[c.business] = c.name
    order = {p.id: p.row for p in m.programs}
    by_business: dict[str, list[str]] = {}
    for pid, businesses in reach.items():
        for b in businesses:
            by_business.setdefault(b, []).append(pid)
    pairs: dict[tuple[str, str], list[str]] = {}
    for b, pids in by_business.items():
        for pa, pb in combinations(sorted(pids, key=order.get), 2):
            pairs.setdefault((pa, pb), []).append(names[b])
    out = [Overlap(m.program_name(pa), m.program_name(pb), tuple(sorted(shared, key=name_key)),
                   len(shared) / len(reach[pa] | reach[pb])) for (pa, pb), shared in pairs.items()]
    return sorted(out, key=lambda o: (-len(o.shared), -o.jaccard, o.a, o.b))


def heat_matrix(m: OutreachMap, max_programs: int | None = None, max_businesses: int | None = None,
                loads: Sequence[BusinessBurden] | None = None) -> tuple[list[str], list[str], list[list[float]]]:
    """``(program names, business names, values)``: contacts a year of each program (row) with each business
    (column); businesses heaviest first, programs in table order. Only programs with a counted contact are
    included; ``max_*`` keep the heaviest (the caller says what was left out), and a business none of the
    kept programs contacts is dropped; ``loads`` is :func:`burden`'s result when the caller has it already.

    >>> m = build_map({"a": {"name": "A"}, "b": {"name": "B"}},
    ...               [{"program": "b", "business-name": "X", "frequency": "monthly"}])
    >>> heat_matrix(m)
    (['B'], ['X'], [[12.0]])
    """
    loads = list(burden(m) if loads is None else loads)
    loads = loads[:max_businesses] if max_businesses else loads
    cols = {b.business: i for i, b in enumerate(loads)}
    per_program: dict[str, float] = {}
    for c in m.contacts:
        if c.business in cols:
            per_program[c.program] = per_program.get(c.program, 0.0) + c.per_year
    progs = [p for p in m.programs if p.id in per_program]
    if max_programs and len(progs) > max_programs:
        keep = set(sorted(per_program, key=lambda p: -per_program[p])[:max_programs])
        progs = [p for p in progs if p.id in keep]
    rows = {p.id: i for i, p in enumerate(progs)}
    values = [[0.0] * len(loads) for _ in progs]
    for c in m.contacts:
        if c.program in rows and c.business in cols:
            values[rows[c.program]][cols[c.business]] += c.per_year
    keep = [j for j in range(len(loads)) if any(row[j] for row in values)]  # a column only left-out programs fill
    return [p.name for p in progs], [loads[j].name for j in keep], [[row[j] for j in keep] for row in values]


@dataclass(frozen=True)
class OutreachAnalysis:
    """Every measure of one map, computed once (what the page, the report and the heat map read).

    Attributes
    ----------
    map : OutreachMap
    burden, crowded : tuple of BusinessBurden
        As :func:`burden` and :func:`crowded` return them.
    unreached : tuple of (id, name)
    overlaps : tuple of Overlap
    heat : (program names, business names, values)
        :func:`heat_matrix` kept to the ``max_programs`` / ``max_businesses`` heaviest.
    programs_contacting : int
        Programs with at least one counted contact (the heat map may show fewer).
    """

    map: OutreachMap
    burden: tuple[BusinessBurden, ...]
    crowded: tuple[BusinessBurden, ...]
    unreached: tuple[tuple[str, str], ...]
    overlaps: tuple[Overlap, ...]
    heat: tuple[list[str], list[str], list[list[float]]]
    programs_contacting: int


def analyse(m: OutreachMap, max_programs: int | None = None, max_businesses: int | None = None,
            at_least: int = CROWDED) -> OutreachAnalysis:
    """All the measures of ``m`` at once (burden is computed once and shared).

    >>> a = analyse(build_map({"p": {"name": "P"}}, [{"program": "p", "business-name": "X", "frequency": "once"}]))
    >>> a.burden[0].per_year, a.crowded, a.heat
    (1.0, (), (['P'], ['X'], [[1.0]]))
    """
    loads = burden(m)
    many = sorted((b for b in loads if b.programs >= at_least), key=lambda b: (-b.programs, -b.per_year, b.name))
    return OutreachAnalysis(m, tuple(loads), tuple(many), tuple(unreached(m)), tuple(overlaps(m)),
                            heat_matrix(m, max_programs, max_businesses, loads), len({c.program for c in m.contacts}))
