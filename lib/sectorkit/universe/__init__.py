"""The Universe of Connections: who on the support team knows whom in the target sector.

Step 1 of building a sector partnership asks the public partners (workforce
development, education, economic development and others) to find out, before
any business is invited, which businesses in the target sector they already
reach and through whom. This module holds that map:

* **Data**: :class:`Organization` (a support partner with its *system*, or a
  business with its sector and size), :class:`Person` (name, organization,
  title, C-suite or not), :class:`Relationship` (two people who know each
  other, ``knows-well`` or ``acquainted``) and :class:`RosterEntry` (a support
  partner's role, and for a convener its rating on credibility, capacity and
  neutrality). They are stored as workspace records (kinds
  ``organization``, ``person``, ``relationship``, ``roster``).
* **Import/export** as CSV files or one Excel workbook (one sheet per table).
  An import keeps every good row and returns one message per bad row.
* **Analysis** as plain functions on a :mod:`networkx` graph of people
  (:func:`build_graph`): :func:`reach`, :func:`reach_summary`, :func:`gaps`,
  :func:`brokers`, :func:`single_points_of_failure`, :func:`system_spread`,
  :func:`champion_candidates`, :func:`paths_for`.
* **The diagram**: :func:`draw_universe` (businesses on the inner table,
  partners around them coloured by system, conveners marked), its text
  alternative :func:`diagram_alt_text`, and the same facts as a table,
  :func:`connections_table` / :func:`connections_table_html`.

Definitions used throughout
---------------------------
*Team*: every person who works for a support partner. A business is reached
*directly* when a team member has a relationship with someone who works
there, and *within two steps* when a team member knows someone who knows
someone there (a warm introduction). A business reached neither way is a
*gap*.

Based on the Next Gen Sector Partnership training toolkit; sectorkit's own
wording and method, not official Next Gen material.

>>> G = nx.Graph()
>>> add_person(G, "ana", org="county-board", kind="partner", system="workforce")
>>> add_person(G, "bo", org="acme", kind="business")
>>> add_business(G, "zenith")
>>> G.add_edge("ana", "bo", strength="knows-well")
>>> reach_summary(G)
{'businesses': 2, 'direct': 1, 'within_two': 1, 'gaps': 1}
"""

from __future__ import annotations

import csv
import html
import io
import math
import os
import re
import textwrap
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from sectorkit.core.errors import DataError

__all__ = [
    "SYSTEMS", "STRENGTHS", "SIZES", "ROLES", "RATINGS",
    "NetworkError", "Organization", "Person", "Relationship", "RosterEntry", "Universe",
    "ImportReport", "slugify",
    "load_universe", "save_organization", "save_person", "save_relationship", "save_roster_entry",
    "delete_organization", "delete_person", "delete_relationship",
    "read_tables", "import_files", "export_csv", "export_excel", "excel_bytes",
    "build_graph", "add_person", "add_business", "team_people", "business_ids",
    "reach", "reach_summary", "gaps", "brokers", "single_points_of_failure", "system_spread",
    "champion_candidates", "paths_for",
    "organization_graph", "draw_universe", "diagram_alt_text", "connections_table",
    "connections_table_html", "roster_table_html", "roster_warnings",
    "example_universe", "random_universe",
]


class NetworkError(DataError):
    """Universe of Connections data that cannot be saved or read as given."""


# -- vocabularies -----------------------------------------------------------

#: Support-partner systems: id -> (label, colour). Colours are Okabe-Ito (colour-blind safe).
SYSTEMS: dict[str, tuple[str, str]] = {
    "workforce": ("Workforce development", "#0072B2"),
    "education": ("Education", "#E69F00"),
    "economic-development": ("Economic development", "#009E73"),
    "community": ("Community and other", "#CC79A7"),
}
_SYSTEM_ALIASES = {
    "workforce-development": "workforce", "wd": "workforce", "workforce-board": "workforce",
    "econ-dev": "economic-development", "economic": "economic-development", "ed": "economic-development",
    "economic-development-organization": "economic-development",
    "other": "community", "community-other": "community", "community-and-other": "community",
    "community-or-other": "community",
}
#: Relationship strengths: id -> label.
STRENGTHS: dict[str, str] = {"knows-well": "knows well", "acquainted": "acquainted"}
_STRENGTH_ALIASES = {"well": "knows-well", "strong": "knows-well", "know-well": "knows-well",
                     "acquaintance": "acquainted", "weak": "acquainted"}
#: Business sizes by employees: id -> label.
SIZES: dict[str, str] = {"small": "small (under 50)", "medium": "medium (50 to 249)", "large": "large (250 or more)"}
#: Support-team roles: id -> label.
ROLES: dict[str, str] = {
    "core": "Core partner",
    "convener": "Convener",
    "co-convener": "Co-convener",
    "supporter": "Network of supporters",
}
#: Convener criteria: id -> label; each rated with RATINGS.
CRITERIA: dict[str, str] = {
    "credibility": "Credibility with business leaders and public partners",
    "capacity": "Capacity: staff time it can commit",
    "neutrality": "Neutrality: can set its own agenda aside",
}
RATINGS: dict[str, str] = {"yes": "Yes", "partly": "Partly", "no": "No"}
KINDS = {"partner": "Support partner", "business": "Business"}

ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,62}$")
MAX_TEXT = 200


def _norm(value: Any) -> str:
    return re.sub(r"[\s_/]+", "-", str(value or "").strip().lower()).strip("-")


def slugify(name: str) -> str:
    """An id for a name: lowercase letters, digits and single hyphens.

    >>> slugify("Riverbend Workforce Board (North)")
    'riverbend-workforce-board-north'
    >>> slugify("  ")
    ''
    """
    return re.sub(r"[^a-z0-9]+", "-", str(name or "").lower()).strip("-")[:63].strip("-")


def _check_id(value: Any, what: str) -> str:
    text = str(value or "").strip()
    if not ID_PATTERN.fullmatch(text):
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise NetworkError(
            f"{what} id '{shown}' is not valid: use lowercase letters, digits and single hyphens "
            "(for example 'riverbend-college')"
        )
    return text


def _check_text(value: Any, what: str, required: bool = False) -> str:
    text = " ".join(str(value if value is not None else "").split())
    if required and not text:
        raise NetworkError(f"{what} is blank")
    if len(text) > MAX_TEXT:
        raise NetworkError(f"{what} is {len(text)} characters long; the limit is {MAX_TEXT}")
    return text


def _choice(value: Any, allowed: Mapping[str, Any], aliases: Mapping[str, str], what: str, blank_ok: bool = False) -> str:
    key = _norm(value)
    key = aliases.get(key, key)
    if key in allowed or (blank_ok and key == ""):
        return key
    names = ", ".join(allowed)
    raise NetworkError(f"{what} '{str(value).strip()}' is not one of {names}")


def _yes_no(value: Any, what: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    key = _norm(value)
    if key in ("yes", "y", "true", "1", "x", "c-suite"):
        return True
    if key in ("no", "n", "false", "0", ""):
        return False
    raise NetworkError(f"{what} '{str(value).strip()}' should be yes or no")


# -- data model -------------------------------------------------------------

@dataclass(frozen=True)
class Organization:
    """A support partner (with its ``system``) or a business (with ``sector`` and ``size``)."""

    id: str
    name: str
    kind: str  # "partner" | "business"
    system: str = ""  # partners: a key of SYSTEMS
    sector: str = ""  # businesses: free text, e.g. "advanced manufacturing"
    size: str = ""  # businesses: a key of SIZES or ""

    @classmethod
    def create(cls, *, name: Any, kind: Any, id: Any = None, system: Any = "", sector: Any = "", size: Any = "") -> "Organization":
        """Validate and normalise; raise :class:`NetworkError` naming the first problem.

        >>> Organization.create(name="Riverbend College", kind="partner", system="Education").id
        'riverbend-college'
        >>> Organization.create(name="Acme", kind="business", size="huge")
        Traceback (most recent call last):
        ...
        sectorkit.universe.NetworkError: size 'huge' is not one of small, medium, large
        """
        name = _check_text(name, "name", required=True)
        kind = _choice(kind, KINDS, {"support-partner": "partner", "support": "partner", "company": "business",
                                     "employer": "business"}, "kind")
        oid = _check_id(id if str(id or "").strip() else slugify(name), "organization")
        if kind == "partner":
            if not str(system or "").strip():
                raise NetworkError("a support partner needs a system (" + ", ".join(SYSTEMS) + ")")
            system = _choice(system, SYSTEMS, _SYSTEM_ALIASES, "system")
            return cls(oid, name, kind, system, "", "")
        size = _choice(size, SIZES, {"s": "small", "m": "medium", "l": "large"}, "size", blank_ok=True)
        return cls(oid, name, kind, "", _check_text(sector, "sector"), size)


@dataclass(frozen=True)
class Person:
    """Someone at a support partner or a business."""

    id: str
    name: str
    organization: str
    title: str = ""
    c_suite: bool = False

    @classmethod
    def create(cls, *, name: Any, organization: Any, id: Any = None, title: Any = "", c_suite: Any = False) -> "Person":
        """Validate and normalise (the organization's existence is checked by the caller).

        >>> Person.create(name="Dana Ortiz", organization="acme", c_suite="yes")
        Person(id='dana-ortiz', name='Dana Ortiz', organization='acme', title='', c_suite=True)
        """
        name = _check_text(name, "name", required=True)
        org = _check_id(organization, "organization") if str(organization or "").strip() else ""
        if not org:
            raise NetworkError("organization is blank")
        pid = _check_id(id if str(id or "").strip() else slugify(name), "person")
        return cls(pid, name, org, _check_text(title, "title"), _yes_no(c_suite, "c_suite"))


@dataclass(frozen=True)
class Relationship:
    """Two people who know each other; stored once per pair, ids in sorted order."""

    a: str
    b: str
    strength: str = "acquainted"

    @classmethod
    def create(cls, *, a: Any, b: Any, strength: Any = "acquainted") -> "Relationship":
        """
        >>> Relationship.create(a="zoe", b="ana", strength="Knows well")
        Relationship(a='ana', b='zoe', strength='knows-well')
        """
        a = _check_id(a, "person")
        b = _check_id(b, "person")
        if a == b:
            raise NetworkError(f"a relationship needs two different people (both are '{a}')")
        strength = _choice(strength, STRENGTHS, _STRENGTH_ALIASES, "strength")
        a, b = sorted((a, b))
        return cls(a, b, strength)

    @property
    def key(self) -> str:
        return f"{self.a}+{self.b}"


@dataclass(frozen=True)
class RosterEntry:
    """A support partner's role on the team; conveners also carry the three criteria."""

    organization: str
    role: str = ""
    credibility: str = ""
    capacity: str = ""
    neutrality: str = ""
    notes: str = ""

    @classmethod
    def create(cls, *, organization: Any, role: Any = "", credibility: Any = "", capacity: Any = "",
               neutrality: Any = "", notes: Any = "") -> "RosterEntry":
        """
        >>> RosterEntry.create(organization="county-board", role="Convener", neutrality="partly").role
        'convener'
        """
        org = _check_id(organization, "organization")
        role = _choice(role, ROLES, {"core-partner": "core", "network-supporter": "supporter",
                                     "network-of-supporters": "supporter", "coconvener": "co-convener"},
                       "role", blank_ok=True)
        ratings = {k: _choice(v, RATINGS, {}, k, blank_ok=True)
                   for k, v in (("credibility", credibility), ("capacity", capacity), ("neutrality", neutrality))}
        notes = str(notes or "").strip()
        if len(notes) > 2000:
            raise NetworkError(f"notes are {len(notes)} characters long; the limit is 2000")
        return cls(org, role, notes=notes, **ratings)


@dataclass
class Universe:
    """Everything in one region's Universe of Connections."""

    organizations: dict[str, Organization] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    relationships: dict[str, Relationship] = field(default_factory=dict)
    roster: dict[str, RosterEntry] = field(default_factory=dict)

    def partners(self) -> list[Organization]:
        return [o for o in self.organizations.values() if o.kind == "partner"]

    def businesses(self) -> list[Organization]:
        return [o for o in self.organizations.values() if o.kind == "business"]

    def conveners(self) -> list[str]:
        return sorted(k for k, r in self.roster.items() if r.role in ("convener", "co-convener") and k in self.organizations)

    def person_label(self, pid: str) -> str:
        p = self.people.get(pid)
        if p is None:
            return pid
        org = self.organizations.get(p.organization)
        return f"{p.name} ({org.name if org else p.organization})"

    def graph(self) -> nx.Graph:
        return build_graph(self)


# -- storage in the workspace ----------------------------------------------

KIND_ORG, KIND_PERSON, KIND_REL, KIND_ROSTER = "organization", "person", "relationship", "roster"


def load_universe(ws) -> Universe:
    """Read the region's Universe of Connections from its workspace.

    Records that no longer validate (edited by hand, or pointing at something
    deleted) are left out rather than breaking the page.
    """
    u = Universe()
    for key, raw in ws.records(KIND_ORG).items():
        try:
            u.organizations[key] = Organization.create(**{k: raw.get(k, "") for k in ("id", "name", "kind", "system", "sector", "size")})
        except (NetworkError, AttributeError, TypeError):
            continue
    for key, raw in ws.records(KIND_PERSON).items():
        try:
            p = Person.create(**{k: raw.get(k, "") for k in ("id", "name", "organization", "title", "c_suite")})
        except (NetworkError, AttributeError, TypeError):
            continue
        if p.organization in u.organizations:
            u.people[key] = p
    for key, raw in ws.records(KIND_REL).items():
        try:
            r = Relationship.create(a=raw.get("a"), b=raw.get("b"), strength=raw.get("strength"))
        except (NetworkError, AttributeError, TypeError):
            continue
        if r.a in u.people and r.b in u.people:
            u.relationships[r.key] = r
    for key, raw in ws.records(KIND_ROSTER).items():
        try:
            entry = RosterEntry.create(**{k: raw.get(k, "") for k in ("organization", "role", "credibility", "capacity", "neutrality", "notes")})
        except (NetworkError, AttributeError, TypeError):
            continue
        org = u.organizations.get(entry.organization)
        if org is not None and org.kind == "partner":
            u.roster[key] = entry
    return u


def save_organization(ws, org: Organization) -> str:
    """Save (add or replace) one organization; return the save time."""
    return ws.put_record(KIND_ORG, org.id, asdict(org))


def save_person(ws, person: Person, universe: Universe | None = None) -> str:
    """Save one person; the organization must already be listed."""
    orgs = (universe or load_universe(ws)).organizations
    if person.organization not in orgs:
        raise NetworkError(f"organization '{person.organization}' is not listed; add it first")
    return ws.put_record(KIND_PERSON, person.id, asdict(person))


def save_relationship(ws, rel: Relationship, universe: Universe | None = None) -> str:
    """Save one relationship; both people must already be listed."""
    people = (universe or load_universe(ws)).people
    for pid in (rel.a, rel.b):
        if pid not in people:
            raise NetworkError(f"person '{pid}' is not listed; add them first")
    return ws.put_record(KIND_REL, rel.key, asdict(rel))


def save_roster_entry(ws, entry: RosterEntry, universe: Universe | None = None) -> str:
    """Save a support partner's role (and convener criteria)."""
    org = (universe or load_universe(ws)).organizations.get(entry.organization)
    if org is None or org.kind != "partner":
        raise NetworkError(f"'{entry.organization}' is not a listed support partner")
    return ws.put_record(KIND_ROSTER, entry.organization, asdict(entry))


def delete_organization(ws, org_id: str) -> None:
    """Delete an organization that has no people left in it."""
    u = load_universe(ws)
    members = [p.name for p in u.people.values() if p.organization == org_id]
    if members:
        raise NetworkError(
            f"'{org_id}' still has {len(members)} {'person' if len(members) == 1 else 'people'} "
            f"({', '.join(sorted(members)[:3])}{'...' if len(members) > 3 else ''}); delete them first"
        )
    ws.delete_record(KIND_ROSTER, org_id)
    ws.delete_record(KIND_ORG, org_id)


def delete_person(ws, person_id: str) -> int:
    """Delete a person and their relationships; return how many relationships went with them."""
    gone = [k for k, r in ws.records(KIND_REL).items() if person_id in (r.get("a"), r.get("b"))]
    for key in gone:
        ws.delete_record(KIND_REL, key)
    ws.delete_record(KIND_PERSON, person_id)
    return len(gone)


def delete_relationship(ws, key: str) -> None:
    ws.delete_record(KIND_REL, key)


# -- import and export ------------------------------------------------------

TABLES: dict[str, tuple[str, ...]] = {
    "organizations": ("id", "name", "kind", "system", "sector", "size"),
    "people": ("id", "name", "organization", "title", "c_suite"),
    "relationships": ("person_a", "person_b", "strength"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "organizations": ("name", "kind"),
    "people": ("name", "organization"),
    "relationships": ("person_a", "person_b", "strength"),
}


@dataclass
class Table:
    """Rows of one table as read from a file: ``rows`` are ``(row_number, {column: text})``."""

    name: str
    source: str  # how messages name it, e.g. "people.csv" or "universe.xlsx sheet 'people'"
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


@dataclass
class ImportReport:
    """What an import did: counts of rows saved per table, and one message per problem."""

    saved: dict[str, int] = field(default_factory=lambda: {t: 0 for t in TABLES})
    messages: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.messages

    def summary(self) -> str:
        parts = [f"{n} {t if n != 1 else t.rstrip('s').replace('peopl', 'person')}" for t, n in self.saved.items()]
        text = "Imported " + ", ".join(parts) + "."
        if self.messages:
            text += f" {len(self.messages)} row{'s' if len(self.messages) != 1 else ''} or file{'s' if len(self.messages) != 1 else ''} had problems and were skipped."
        return text


def _table_for(name: str, columns: Iterable[str]) -> str | None:
    stem = _norm(Path(name).stem)
    for table, aliases in (("organizations", ("organization", "org")), ("people", ("person",)),
                           ("relationships", ("relationship", "connection", "tie"))):
        if stem.startswith(table) or any(stem.startswith(a) for a in aliases) or stem.endswith(table):
            return table
    cols = set(columns)
    if {"person_a", "person_b"} <= cols:
        return "relationships"
    if "organization" in cols:
        return "people"
    if "kind" in cols:
        return "organizations"
    return None


def _clean_header(cells: Iterable[Any]) -> list[str]:
    return [_norm(c).replace("-", "_") for c in cells]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_to_table(name: str, source: str, header: list[Any], body: Iterable[tuple[int, list[Any]]]) -> Table:
    columns = _clean_header(header)
    rows = []
    for number, cells in body:
        values = [_cell_text(c) for c in cells]
        if not any(values):
            continue  # blank lines are not rows
        rows.append((number, {col: (values[i] if i < len(values) else "") for i, col in enumerate(columns) if col}))
    return Table(name, source, columns, rows)


def read_tables(filename: str, data: bytes) -> tuple[list[Table], list[str]]:
    """Parse one uploaded file into tables; return ``(tables, messages)``.

    A ``.csv`` file is one table, named by its file name (``people.csv``) or
    recognised from its columns; an ``.xlsx`` workbook has one sheet per table.
    Anything else is refused with a message.

    >>> tables, problems = read_tables("people.csv", b"name,organization\\nDana Ortiz,acme\\n")
    >>> tables[0].name, tables[0].rows
    ('people', [(2, {'name': 'Dana Ortiz', 'organization': 'acme'})])
    >>> read_tables("notes.txt", b"hello")[1]
    ['notes.txt: not a CSV (.csv) or Excel (.xlsx) file; nothing was read from it']
    """
    label = Path(filename).name
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                return [], [f"{label}: cannot be read as text; save it as CSV (UTF-8) and try again"]
        reader = list(csv.reader(io.StringIO(text)))
        if not reader:
            return [], [f"{label}: the file is empty"]
        header, body = reader[0], [(i + 2, row) for i, row in enumerate(reader[1:])]
        columns = _clean_header(header)
        table = _table_for(label, columns)
        if table is None:
            return [], [f"{label}: cannot tell which table this is; name it organizations.csv, people.csv or relationships.csv"]
        return [_rows_to_table(table, label, header, body)], []
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            return [], [f"{label}: cannot be opened as an Excel workbook ({exc.__class__.__name__}); save it as .xlsx and try again"]
        tables, messages = [], []
        try:
            for ws in wb.worksheets:
                rows = list(ws.iter_rows(values_only=True))
                source = f"{label} sheet '{ws.title}'"
                if not rows or not any(c not in (None, "") for c in rows[0]):
                    continue
                columns = _clean_header(rows[0])
                table = _table_for(ws.title, columns)
                if table is None:
                    messages.append(f"{source}: not one of the sheets organizations, people, relationships; skipped")
                    continue
                tables.append(_rows_to_table(table, source, list(rows[0]), ((i + 2, list(r)) for i, r in enumerate(rows[1:]))))
        finally:
            wb.close()
        if not tables and not messages:
            messages.append(f"{label}: no sheet named organizations, people or relationships was found")
        return tables, messages
    return [], [f"{label}: not a CSV (.csv) or Excel (.xlsx) file; nothing was read from it"]


def import_files(ws, files: Iterable[tuple[str, bytes]] | Iterable[str | os.PathLike]) -> ImportReport:
    """Import CSV/Excel files into the workspace; keep good rows, report bad ones.

    ``files`` are ``(filename, bytes)`` pairs (an upload) or paths. Organizations
    are imported first, then people, then relationships, so one upload can
    hold all three. A row whose id is already in the workspace replaces it; an
    id repeated within one import is kept once, at its first row.

    Examples
    --------
    >>> import tempfile
    >>> from sectorkit.store.workspace import Workspace
    >>> ws = Workspace.open("demo", root=tempfile.mkdtemp())
    >>> report = import_files(ws, [("people.csv", b"name,organization\\nDana,acme\\n"),
    ...     ("organizations.csv", b"name,kind,system\\nAcme,business,\\nBoard,partner,workforce\\n")])
    >>> report.saved, report.messages
    ({'organizations': 2, 'people': 1, 'relationships': 0}, [])
    """
    report = ImportReport()
    tables: list[Table] = []
    for item in files:
        if isinstance(item, tuple):
            name, data = item
        else:
            path = Path(item).expanduser()
            try:
                name, data = path.name, path.read_bytes()
            except OSError as exc:
                report.messages.append(f"{path}: cannot be read ({exc.strerror or exc})")
                continue
        found, problems = read_tables(name, bytes(data))
        tables.extend(found)
        report.messages.extend(problems)

    universe = load_universe(ws)
    order = {t: i for i, t in enumerate(TABLES)}
    for table in sorted(tables, key=lambda t: order[t.name]):
        missing = [c for c in REQUIRED[table.name] if c not in table.columns]
        if missing:
            report.messages.append(
                f"{table.source}: missing column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(repr(c) for c in missing)}; none of its rows were imported "
                f"(expected columns: {', '.join(TABLES[table.name])})"
            )
            continue
        seen: dict[str, int] = {}
        for number, row in table.rows:
            where = f"{table.source} row {number}"
            try:
                if table.name == "organizations":
                    item = Organization.create(**{k: row.get(k, "") for k in TABLES["organizations"]})
                    key = item.id
                elif table.name == "people":
                    item = Person.create(**{k: row.get(k, "") for k in TABLES["people"]})
                    key = item.id
                    if item.organization not in universe.organizations:
                        raise NetworkError(f"organization '{item.organization}' is not listed")
                else:
                    item = Relationship.create(a=row.get("person_a"), b=row.get("person_b"), strength=row.get("strength"))
                    key = item.key
                    for pid in (item.a, item.b):
                        if pid not in universe.people:
                            raise NetworkError(f"person '{pid}' is not listed")
                if key in seen:
                    raise NetworkError(f"'{key}' is already in this file at row {seen[key]}; this row was skipped")
            except NetworkError as exc:
                report.messages.append(f"{where}: {exc}")
                continue
            seen[key] = number
            if table.name == "organizations":
                save_organization(ws, item)
                universe.organizations[key] = item
            elif table.name == "people":
                ws.put_record(KIND_PERSON, key, asdict(item))
                universe.people[key] = item
            else:
                ws.put_record(KIND_REL, key, asdict(item))
                universe.relationships[key] = item
            report.saved[table.name] += 1
    return report


def _table_rows(u: Universe) -> dict[str, list[list[Any]]]:
    return {
        "organizations": [[o.id, o.name, o.kind, o.system, o.sector, o.size] for o in sorted(u.organizations.values(), key=lambda o: o.id)],
        "people": [[p.id, p.name, p.organization, p.title, "yes" if p.c_suite else "no"] for p in sorted(u.people.values(), key=lambda p: p.id)],
        "relationships": [[r.a, r.b, r.strength] for r in sorted(u.relationships.values(), key=lambda r: r.key)],
    }


def export_csv(universe: Universe, folder: str | os.PathLike) -> list[Path]:
    """Write ``organizations.csv``, ``people.csv`` and ``relationships.csv`` into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table, rows in _table_rows(universe).items():
        path = folder / f"{table}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(TABLES[table])
            w.writerows(rows)
        written.append(path)
    return written


def excel_bytes(universe: Universe) -> bytes:
    """The universe as an Excel workbook (one sheet per table), as bytes."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for table, rows in _table_rows(universe).items():
        sheet = wb.create_sheet(table)
        sheet.append(list(TABLES[table]))
        for row in rows:
            sheet.append(row)
        for i, col in enumerate(TABLES[table]):
            sheet.column_dimensions[chr(ord("A") + i)].width = max(12, len(col) + 4) if col not in ("name", "title", "sector") else 30
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_excel(universe: Universe, path: str | os.PathLike) -> Path:
    """Write the universe to one ``.xlsx`` workbook; return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(excel_bytes(universe))
    return path


# -- the graph --------------------------------------------------------------

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


def _orgs(G: nx.Graph) -> dict[str, dict]:
    orgs = dict(G.graph.get("organizations", {}))
    for _, d in G.nodes(data=True):
        orgs.setdefault(d["org"], {"name": d["org"], "kind": d["kind"], "system": d.get("system", ""), "sector": "", "size": ""})
    return orgs


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


# -- the diagram --------------------------------------------------------------

def organization_graph(G: nx.Graph) -> nx.Graph:
    """Collapse the people graph to organizations: edge ``ties`` counts relationships, ``well`` the strong ones."""
    H = nx.Graph()
    for oid, o in _orgs(G).items():
        H.add_node(oid, **o)
    nodes = G.nodes
    for u, v, d in G.edges(data=True):
        a, b = nodes[u]["org"], nodes[v]["org"]
        if a == b:
            continue
        if H.has_edge(a, b):
            H.edges[a, b]["ties"] += 1
        else:
            H.add_edge(a, b, ties=1, well=0)
        if d.get("strength") == "knows-well":
            H.edges[a, b]["well"] += 1
    return H


def _ring(ids: list[str], radius: float, start: float = math.pi / 2) -> dict[str, tuple[float, float]]:
    n = len(ids)
    if n == 1 and radius < 1.5:
        return {ids[0]: (0.0, 0.0)}
    return {k: (radius * math.cos(start - 2 * math.pi * i / n), radius * math.sin(start - 2 * math.pi * i / n))
            for i, k in enumerate(ids)}


def _node_label(text: str, width: int = 22, lines: int = 2) -> str:
    """A diagram label: one line if it fits, else up to ``lines`` lines, cut with "…" past those.

    "Tri-County Workforce Board" reads whole on two lines where one line of 24 characters
    cut it to "Tri-County Workforce Bo…". Full names are always in the alt text and the table.
    """
    if len(text) <= width + 2:
        return text
    if lines == 1:
        return text[: width + 1].rstrip() + "…"
    return "\n".join(textwrap.wrap(text, width=width, max_lines=lines, placeholder="…"))


def draw_universe(G: nx.Graph, *, title: str = "Universe of Connections", reached: Mapping[str, BusinessReach] | None = None,
                  max_labels: int = 36, focus: str | None = None):
    """Draw the universe: businesses on the inner table, partners around them.

    Businesses sit on an inner circle (filled if the team reaches them within
    two steps, hollow if they are a gap); support partners sit on an outer
    ring grouped and coloured by system; conveners are drawn as diamonds
    with a thick black outline. Lines join organizations whose people know
    each other (darker when someone knows someone well). Node size grows with
    the number of ties. Above ``max_labels`` organizations only the most
    connected ones, the conveners and the gaps are labelled.

    Returns a matplotlib ``Figure`` (Agg; nothing is shown).

    >>> G = nx.Graph()
    >>> add_person(G, "ana", org="board", kind="partner", system="workforce")
    >>> add_person(G, "bo", org="acme", kind="business"); G.add_edge("ana", "bo")
    >>> fig = draw_universe(G, title="Tiny")
    >>> fig.axes[0].get_title()
    'Tiny'
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    reached = reach(G) if reached is None else reached
    H = organization_graph(G)
    conveners = set(G.graph.get("conveners", []))
    order = list(SYSTEMS)
    biz = sorted((k for k, d in H.nodes(data=True) if d["kind"] == "business"),
                 key=lambda k: (H.nodes[k].get("sector", ""), k))
    partners = sorted((k for k, d in H.nodes(data=True) if d["kind"] == "partner"),
                      key=lambda k: (order.index(H.nodes[k]["system"]) if H.nodes[k]["system"] in order else 9, k))
    n_total = len(biz) + len(partners)
    inner = 1.0
    outer = 2.05 if n_total <= 40 else 2.3
    if len(biz) > 22:
        # two staggered inner rings so squares do not overlap
        ring = _ring(biz, 1.0)
        pos = {k: (x * (0.72 if i % 2 else 1.12), y * (0.72 if i % 2 else 1.12)) for i, (k, (x, y)) in enumerate(ring.items())}
        inner = 1.12
    else:
        pos = _ring(biz, inner)
    pos.update(_ring(partners, outer))
    degree = {k: sum(d["ties"] for _, _, d in H.edges(k, data=True)) for k in H.nodes}

    size = 7.5 if n_total <= 40 else 9.5
    fig = Figure(figsize=(size, size))
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0.02, 0.1, 0.96, 0.84])
    ax.set_aspect("equal")
    ax.axis("off")
    lim = outer + 0.75
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    # the "inner table"
    from matplotlib.patches import Circle
    ax.add_patch(Circle((0, 0), inner + 0.28, facecolor="#f3f3f3", edgecolor="#bbbbbb", lw=1, zorder=0))

    focus_nodes = set()
    if focus:
        focus_nodes = {G.nodes[n]["org"] for p in paths_for(G, focus, reached) for n in p} | {focus}
    strong, weak, faint = [], [], []
    for a, b, d in H.edges(data=True):
        seg = [pos[a], pos[b]]
        if H.nodes[a]["kind"] == "partner" and H.nodes[b]["kind"] == "partner":
            continue  # partner-to-partner ties would hide the picture; the table lists them
        if focus and not (a in focus_nodes and b in focus_nodes):
            faint.append(seg)
        elif d["well"]:
            strong.append(seg)
        else:
            weak.append(seg)
    dense = len(strong) + len(weak) > 120
    if faint:
        ax.add_collection(LineCollection(faint, colors="#dddddd", linewidths=0.5, zorder=1))
    if weak:
        ax.add_collection(LineCollection(weak, colors="#a8a8a8", linewidths=0.5 if dense else 0.8, linestyles=(0, (3, 2)),
                                         alpha=0.45 if dense else 1.0, zorder=1))
    if strong:
        ax.add_collection(LineCollection(strong, colors="#4d4d4d", linewidths=0.6 if dense else 1.2,
                                         alpha=0.55 if dense else 1.0, zorder=2))

    top_degree = max(degree.values(), default=1) or 1

    def area(k: str) -> float:
        share = math.sqrt(degree.get(k, 0) / top_degree)
        if H.nodes[k]["kind"] == "business":
            return (35 + 110 * share) if len(biz) > 22 else (60 + 160 * share)
        return (60 + 220 * share) if n_total > 40 else (90 + 260 * share)

    # businesses
    reached_b = [b for b in biz if reached.get(b) and reached[b].steps]
    gap_b = [b for b in biz if b not in reached_b]
    if reached_b:
        ax.scatter([pos[b][0] for b in reached_b], [pos[b][1] for b in reached_b], s=[area(b) for b in reached_b],
                   marker="s", c="#5a5a5a", edgecolors="white", linewidths=0.8, zorder=4)
    if gap_b:
        ax.scatter([pos[b][0] for b in gap_b], [pos[b][1] for b in gap_b], s=[area(b) for b in gap_b],
                   marker="s", facecolors="white", edgecolors="#c0392b", linewidths=1.6, zorder=4)
    # partners by system
    for sys_id, (label, color) in SYSTEMS.items():
        ks = [k for k in partners if H.nodes[k]["system"] == sys_id]
        plain = [k for k in ks if k not in conveners]
        conv = [k for k in ks if k in conveners]
        if plain:
            ax.scatter([pos[k][0] for k in plain], [pos[k][1] for k in plain], s=[area(k) for k in plain],
                       c=color, edgecolors="white", linewidths=0.8, zorder=4)
        if conv:
            ax.scatter([pos[k][0] for k in conv], [pos[k][1] for k in conv], s=[area(k) * 1.8 + 120 for k in conv],
                       marker="D", c=color, edgecolors="black", linewidths=2.4, zorder=5)
    if focus and focus in pos:
        ax.scatter([pos[focus][0]], [pos[focus][1]], s=area(focus) * 2.5 + 200, facecolors="none",
                   edgecolors="#111111", linewidths=1.5, linestyles="--", zorder=6)

    # labels: everything when small; otherwise the most connected, conveners, gaps and the focus
    if n_total <= max_labels:
        labelled = set(H.nodes)
    else:
        budget_b = max(6, max_labels // 3)
        budget_p = max_labels - budget_b
        labelled = set(sorted(biz, key=lambda k: (-degree[k], k))[:budget_b])
        labelled |= set(sorted(partners, key=lambda k: (-degree[k], k))[:budget_p])
        labelled |= conveners | set(gap_b[:10]) | focus_nodes
    fs = 8 if n_total <= 40 else 7
    for k in labelled:
        if k not in pos:
            continue
        x, y = pos[k]
        r = math.hypot(x, y) or 1.0
        ux, uy = x / r, y / r
        kind = H.nodes[k]["kind"]
        # partners: label outside the ring; businesses: inside, toward the centre
        shift = 0.16 if kind == "partner" else (-0.12 if r < 0.9 else 0.12)
        if kind == "business" and len(biz) == 1:
            ux, uy, shift = 0.0, -1.0, 0.2
        tx, ty = x + ux * shift, y + uy * shift
        ha = "left" if (ux * shift) > 0.02 else "right" if (ux * shift) < -0.02 else "center"
        va = "bottom" if (uy * shift) > 0.02 else "top" if (uy * shift) < -0.02 else "center"
        # the inner table is crowded in a large universe: its labels stay on one line there
        lines = 1 if kind == "business" and n_total > max_labels else 2
        ax.text(tx, ty, _node_label(H.nodes[k]["name"], lines=lines), fontsize=fs, ha=ha, va=va, zorder=7,
                fontweight="bold" if k in conveners else "normal",
                bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.8))

    summary = reach_summary(G, reached)
    ax.set_title(title, fontsize=13, fontweight="bold", loc="center", pad=20)
    ax.text(0.5, 1.0, f"{summary['businesses']} businesses on the inner table: {summary['direct']} reached directly, "
             f"{summary['within_two']} within two steps, {summary['gaps']} not reached",
             ha="center", va="bottom", fontsize=9, color="#333333", transform=ax.transAxes)
    handles = [Line2D([], [], marker="o", ls="", color=c, markersize=8, label=lbl) for lbl, c in SYSTEMS.values()]
    handles += [
        Line2D([], [], marker="D", ls="", markerfacecolor="#dddddd", markeredgecolor="black", markeredgewidth=2, markersize=8, label="Convener or co-convener"),
        Line2D([], [], marker="s", ls="", color="#5a5a5a", markersize=8, label="Business reached (within two steps)"),
        Line2D([], [], marker="s", ls="", markerfacecolor="white", markeredgecolor="#c0392b", markeredgewidth=1.6, markersize=8, label="Business not reached (gap)"),
        Line2D([], [], color="#4d4d4d", lw=1.2, label="Someone knows someone well"),
        Line2D([], [], color="#a8a8a8", lw=0.9, ls=(0, (3, 2)), label="Acquainted only"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8, frameon=False, bbox_to_anchor=(0.5, 0.0))
    return fig


def _names(G: nx.Graph, ids: Iterable[str]) -> str:
    orgs = _orgs(G)
    return ", ".join(orgs.get(i, {}).get("name", i) for i in ids)


def diagram_alt_text(G: nx.Graph, reached: Mapping[str, BusinessReach] | None = None, limit: int = 12) -> str:
    """A text alternative for :func:`draw_universe` (what a screen reader reads).

    >>> G = nx.Graph()
    >>> add_person(G, "ana", org="board", kind="partner", system="workforce")
    >>> add_person(G, "bo", org="acme", kind="business"); G.add_edge("ana", "bo"); add_business(G, "zen")
    >>> print(diagram_alt_text(G))
    Universe of Connections diagram. 2 businesses sit at the centre and 1 support partner around them (1 workforce development). The team reaches 1 business directly and 1 within two steps; 1 is not reached: zen. Convener: none marked yet.
    """
    reached = reach(G) if reached is None else reached
    orgs = _orgs(G)
    s = reach_summary(G, reached)
    partners = [o for o in orgs.values() if o["kind"] == "partner"]
    counts = Counter(o["system"] for o in partners)
    by_sys = ", ".join(f"{counts[k]} {SYSTEMS[k][0].lower()}" for k in SYSTEMS if counts[k])
    gap_ids = gaps(G, reached)
    gap_text = _names(G, gap_ids[:limit]) + (f" and {len(gap_ids) - limit} more" if len(gap_ids) > limit else "")
    conv = G.graph.get("conveners", [])
    text = (
        f"Universe of Connections diagram. {s['businesses']} business{'es' if s['businesses'] != 1 else ''} sit at the centre "
        f"and {len(partners)} support partner{'s' if len(partners) != 1 else ''} around them"
        + (f" ({by_sys})" if by_sys else "")
        + f". The team reaches {s['direct']} business{'es' if s['direct'] != 1 else ''} directly and {s['within_two']} within two steps"
        + (f"; {s['gaps']} {'is' if s['gaps'] == 1 else 'are'} not reached: {gap_text}." if s["gaps"] else "; every business is reached.")
        + f" Convener: {_names(G, conv) if conv else 'none marked yet'}."
    )
    return text


def connections_table(G: nx.Graph, reached: Mapping[str, BusinessReach] | None = None):
    """The diagram in words: one row per business (a pandas DataFrame).

    Columns: business, sector, size, reached (``directly`` / ``within two
    steps`` / ``not reached``), through whom, team contacts, systems, single
    point of failure, C-suite contacts.
    """
    import pandas as pd

    reached = reach(G) if reached is None else reached
    orgs = _orgs(G)
    spof = single_points_of_failure(G, reached)
    nodes = G.nodes
    label = {1: "directly", 2: "within two steps", None: "not reached"}
    rows = []
    for b, r in reached.items():
        o = orgs[b]
        if r.steps == 1:
            how = "; ".join(f"{nodes[p[0]]['name']} ({orgs[nodes[p[0]]['org']]['name']}) knows {nodes[p[-1]]['name']}" for p in r.paths[:4])
        elif r.steps == 2:
            how = "; ".join(f"{nodes[p[0]]['name']} ({orgs[nodes[p[0]]['org']]['name']}) via {nodes[p[1]]['name']} to {nodes[p[2]]['name']}" for p in r.paths[:3])
        else:
            how = ""
        more = len(r.paths) - (4 if r.steps == 1 else 3)
        if r.steps and more > 0:
            how += f"; and {more} more"
        systems = sorted({nodes[p[0]]["system"] for p in r.paths}, key=lambda s: list(SYSTEMS).index(s) if s in SYSTEMS else 9)
        csuite = sorted({nodes[n]["name"] for n, d in G.nodes(data=True) if d["org"] == b and d.get("c_suite")})
        rows.append({
            "business": o["name"], "sector": o.get("sector", ""), "size": o.get("size", ""),
            "reached": label[r.steps], "through whom": how, "team contacts": len(r.contacts),
            "systems": ", ".join(SYSTEMS[s][0] for s in systems if s in SYSTEMS),
            "single point of failure": nodes[spof[b]]["name"] if b in spof else "",
            "C-suite contacts": ", ".join(csuite),
        })
    order = {"directly": 0, "within two steps": 1, "not reached": 2}
    df = pd.DataFrame(rows, columns=["business", "sector", "size", "reached", "through whom", "team contacts", "systems",
                                     "single point of failure", "C-suite contacts"])
    if len(df):
        df = df.sort_values(["reached", "business"], key=lambda c: c.map(order) if c.name == "reached" else c.str.lower()).reset_index(drop=True)
    return df


def connections_table_html(G: nx.Graph, reached: Mapping[str, BusinessReach] | None = None, caption: str | None = None) -> str:
    """:func:`connections_table` as an accessible HTML table (every cell escaped).

    >>> G = nx.Graph(); add_person(G, "ana", org="board", kind="partner", system="workforce")
    >>> add_business(G, "x", name="<b>Acme</b>")
    >>> "&lt;b&gt;Acme&lt;/b&gt;" in connections_table_html(G)
    True
    """
    df = connections_table(G, reached)
    cap = caption or "Every business in the universe: whether and how the team reaches it"
    head = "".join(f"<th scope='col' style='text-align:left;padding:0.25em 0.5em;border-bottom:2px solid #444'>{html.escape(c)}</th>" for c in df.columns)
    body = []
    for _, row in df.iterrows():
        cells = []
        for i, c in enumerate(df.columns):
            value = html.escape(str(row[c]))
            if i == 0:
                cells.append(f"<th scope='row' style='text-align:left;padding:0.25em 0.5em;font-weight:600'>{value}</th>")
            else:
                cells.append(f"<td style='padding:0.25em 0.5em;vertical-align:top'>{value}</td>")
        body.append(f"<tr style='border-bottom:1px solid #ddd'>{''.join(cells)}</tr>")
    if not body:
        body.append(f"<tr><td colspan='{len(df.columns)}'>No businesses listed yet.</td></tr>")
    return (
        "<div style='overflow-x:auto;max-width:100%'><table style='border-collapse:collapse;font-size:0.9em'>"
        f"<caption style='text-align:left;font-weight:600;padding:0.3em 0'>{html.escape(cap)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def roster_warnings(universe: Universe) -> list[str]:
    """Plain-English checks on the roster: a convener chosen, criteria met, all systems represented.

    >>> u = Universe(organizations={"b": Organization.create(name="B", kind="partner", system="workforce")})
    >>> roster_warnings(u)[0]
    'No convener or co-conveners chosen yet.'
    """
    out = []
    conv = universe.conveners()
    if not conv:
        out.append("No convener or co-conveners chosen yet.")
    roles = Counter(r.role for r in universe.roster.values())
    if roles["convener"] > 1:
        out.append("More than one organization is marked convener; if they share the job, mark them co-conveners.")
    if roles["co-convener"] == 1 and not roles["convener"]:
        out.append("Only one co-convener is marked: name its partner, or mark it convener.")
    if roles["convener"] + roles["co-convener"] > 3:
        out.append("More than three conveners: a small convening group keeps the partnership on track.")
    for k in conv:
        r = universe.roster[k]
        name = universe.organizations[k].name
        for c in CRITERIA:
            v = getattr(r, c)
            if v == "":
                out.append(f"{name}: {c} not yet rated.")
            elif v == "no":
                out.append(f"{name}: rated No on {c}; discuss whether another organization, or a pair, fits better.")
    core_systems = {universe.organizations[k].system for k, r in universe.roster.items() if r.role in ("core", "convener", "co-convener")}
    missing = [SYSTEMS[s][0].lower() for s in ("workforce", "education", "economic-development") if s not in core_systems]
    if missing and universe.roster:
        out.append("No core partner or convener from " + ", ".join(missing) + " yet.")
    return out


def roster_table_html(universe: Universe) -> str:
    """The support team roster as an escaped HTML table: partner, system, role, criteria, notes."""
    head = "".join(f"<th scope='col' style='text-align:left;padding:0.25em 0.5em;border-bottom:2px solid #444'>{h}</th>"
                   for h in ("Support partner", "System", "Role", "Credibility", "Capacity", "Neutrality", "Notes"))
    rows = []
    role_order = {"convener": 0, "co-convener": 1, "core": 2, "supporter": 3, "": 4}
    partners = sorted(universe.partners(), key=lambda o: (role_order[universe.roster.get(o.id, RosterEntry(o.id)).role], o.name.lower()))
    for o in partners:
        r = universe.roster.get(o.id, RosterEntry(o.id))
        crit = [RATINGS.get(getattr(r, c), "") if r.role in ("convener", "co-convener") else "" for c in CRITERIA]
        cells = [o.name, SYSTEMS[o.system][0], ROLES.get(r.role, "not assigned"), *crit, r.notes]
        rows.append("<tr style='border-bottom:1px solid #ddd'>" + "".join(
            (f"<th scope='row' style='text-align:left;padding:0.25em 0.5em'>{html.escape(c)}</th>" if i == 0 else
             f"<td style='padding:0.25em 0.5em;vertical-align:top'>{html.escape(c)}</td>") for i, c in enumerate(cells)) + "</tr>")
    if not rows:
        rows.append("<tr><td colspan='7'>No support partners listed yet.</td></tr>")
    return ("<div style='overflow-x:auto'><table style='border-collapse:collapse;font-size:0.9em'>"
            "<caption style='text-align:left;font-weight:600;padding:0.3em 0'>Support team roster</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


# -- example and generated universes ---------------------------------------

def example_universe() -> Universe:
    """A small illustrative universe (made-up names) for the Step 1 module.

    >>> u = example_universe(); len(u.businesses()) > 5 and len(u.partners()) > 4
    True
    """
    O, P, R = Organization.create, Person.create, Relationship.create
    orgs = [
        O(name="Tri-County Workforce Board", kind="partner", system="workforce"),
        O(name="Job Center North", kind="partner", system="workforce"),
        O(name="Valley Community College", kind="partner", system="education"),
        O(name="Riverside School District", kind="partner", system="education"),
        O(name="Valley Economic Alliance", kind="partner", system="economic-development"),
        O(name="Chamber of Commerce", kind="partner", system="economic-development"),
        O(name="Neighborhood Works", kind="partner", system="community"),
        O(name="Apex Precision", kind="business", sector="advanced manufacturing", size="medium"),
        O(name="Birchwood Plastics", kind="business", sector="advanced manufacturing", size="large"),
        O(name="Cedar Fabrication", kind="business", sector="advanced manufacturing", size="small"),
        O(name="Delta Controls", kind="business", sector="advanced manufacturing", size="medium"),
        O(name="Elm Street Machining", kind="business", sector="advanced manufacturing", size="small"),
        O(name="Foundry Nine", kind="business", sector="advanced manufacturing", size="large"),
        O(name="Granite Tool and Die", kind="business", sector="advanced manufacturing", size="small"),
        O(name="Harbor Robotics", kind="business", sector="advanced manufacturing", size="medium"),
    ]
    u = Universe(organizations={o.id: o for o in orgs})
    people = [
        P(name="Maya Chen", organization="tri-county-workforce-board", title="Business services lead"),
        P(name="Luis Ortega", organization="tri-county-workforce-board", title="Executive director"),
        P(name="Priya Shah", organization="job-center-north", title="Employer liaison"),
        P(name="Tom Becker", organization="valley-community-college", title="Dean of technical programs"),
        P(name="Ruth Adams", organization="riverside-school-district", title="CTE coordinator"),
        P(name="Sam Okafor", organization="valley-economic-alliance", title="Business retention manager"),
        P(name="Jo Lindqvist", organization="chamber-of-commerce", title="President"),
        P(name="Ana Flores", organization="neighborhood-works", title="Program director"),
        P(name="Grace Kim", organization="apex-precision", title="CEO", c_suite=True),
        P(name="Dev Patel", organization="apex-precision", title="HR manager"),
        P(name="Owen Burke", organization="birchwood-plastics", title="Plant manager"),
        P(name="Nora Weiss", organization="birchwood-plastics", title="President", c_suite=True),
        P(name="Carl Meyer", organization="cedar-fabrication", title="Owner", c_suite=True),
        P(name="Iris Novak", organization="delta-controls", title="Chief operating officer", c_suite=True),
        P(name="Ben Ross", organization="elm-street-machining", title="Owner", c_suite=True),
        P(name="Lena Park", organization="foundry-nine", title="Training manager"),
        P(name="Raj Iyer", organization="harbor-robotics", title="CEO", c_suite=True),
    ]
    u.people = {p.id: p for p in people}
    ties = [
        ("maya-chen", "dev-patel", "knows-well"), ("maya-chen", "owen-burke", "acquainted"),
        ("luis-ortega", "grace-kim", "acquainted"), ("priya-shah", "lena-park", "acquainted"),
        ("tom-becker", "owen-burke", "knows-well"), ("tom-becker", "lena-park", "knows-well"),
        ("tom-becker", "iris-novak", "acquainted"), ("sam-okafor", "grace-kim", "knows-well"),
        ("sam-okafor", "iris-novak", "knows-well"), ("jo-lindqvist", "carl-meyer", "acquainted"),
        ("owen-burke", "nora-weiss", "knows-well"), ("iris-novak", "raj-iyer", "acquainted"),
        ("maya-chen", "tom-becker", "knows-well"), ("sam-okafor", "jo-lindqvist", "knows-well"),
        ("ruth-adams", "tom-becker", "knows-well"), ("ana-flores", "priya-shah", "acquainted"),
    ]
    u.relationships = {r.key: r for r in (R(a=a, b=b, strength=s) for a, b, s in ties)}
    u.roster = {
        "valley-economic-alliance": RosterEntry.create(organization="valley-economic-alliance", role="co-convener",
                                                       credibility="yes", capacity="partly", neutrality="yes",
                                                       notes="Trusted by manufacturers; can give one day a week."),
        "valley-community-college": RosterEntry.create(organization="valley-community-college", role="co-convener",
                                                       credibility="yes", capacity="yes", neutrality="partly",
                                                       notes="Agrees to set curriculum requests aside at meetings."),
        "tri-county-workforce-board": RosterEntry.create(organization="tri-county-workforce-board", role="core"),
        "chamber-of-commerce": RosterEntry.create(organization="chamber-of-commerce", role="core"),
        "job-center-north": RosterEntry.create(organization="job-center-north", role="supporter"),
        "riverside-school-district": RosterEntry.create(organization="riverside-school-district", role="supporter"),
        "neighborhood-works": RosterEntry.create(organization="neighborhood-works", role="supporter"),
    }
    return u


def random_universe(people: int = 300, relationships: int = 1500, *, businesses: int = 45, partners: int = 25,
                    seed: int = 0) -> Universe:
    """A generated universe of the given size (for benchmarks and readability checks).

    About two thirds of the people work at businesses and one third at
    support partners; ties are drawn at random, a third of them ``knows-well``.

    >>> u = random_universe(40, 60, businesses=8, partners=5, seed=1)
    >>> len(u.people), len(u.relationships)
    (40, 60)
    """
    import random

    rng = random.Random(seed)
    systems = list(SYSTEMS)
    orgs = [Organization.create(name=f"Partner {i:02d}", kind="partner", system=systems[i % len(systems)]) for i in range(partners)]
    orgs += [Organization.create(name=f"Business {i:02d}", kind="business", sector="manufacturing",
                                 size=("small", "medium", "large")[i % 3]) for i in range(businesses)]
    u = Universe(organizations={o.id: o for o in orgs})
    partner_ids = [o.id for o in orgs if o.kind == "partner"]
    biz_ids = [o.id for o in orgs if o.kind == "business"]
    n_team = max(1, people // 3)
    staffed = biz_ids[: max(1, len(biz_ids) - len(biz_ids) // 10)]  # the rest have nobody listed: gaps
    for i in range(people):
        org = partner_ids[i % len(partner_ids)] if i < n_team else staffed[(i - n_team) % len(staffed)]
        p = Person.create(name=f"Person {i:03d}", organization=org, c_suite=(i >= n_team and rng.random() < 0.2))
        u.people[p.id] = p
    ids = list(u.people)
    max_pairs = len(ids) * (len(ids) - 1) // 2
    target = min(relationships, max_pairs)
    while len(u.relationships) < target:
        a, b = rng.sample(ids, 2)
        r = Relationship.create(a=a, b=b, strength="knows-well" if rng.random() < 0.33 else "acquainted")
        u.relationships.setdefault(r.key, r)
    # a few conveners for the diagram
    for k in partner_ids[:2]:
        u.roster[k] = RosterEntry.create(organization=k, role="co-convener")
    return u
