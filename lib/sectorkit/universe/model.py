"""The Universe of Connections data model: organizations, people, relationships, roster entries.

Each record type is a frozen dataclass whose ``create`` classmethod validates
and normalises loose input (a form, a CSV row) and raises :class:`NetworkError`
naming the first problem. :class:`Universe` holds one region's records.

>>> Relationship.create(a="zoe", b="ana").key
'ana+zoe'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from sectorkit.core.errors import DataError
from sectorkit.universe.analysis import build_graph
from sectorkit.universe.vocab import (
    _STRENGTH_ALIASES,
    _SYSTEM_ALIASES,
    ID_PATTERN,
    KINDS,
    MAX_TEXT,
    RATINGS,
    ROLES,
    SIZES,
    STRENGTHS,
    SYSTEMS,
    _norm,
    slugify,
)


class NetworkError(DataError):
    """Universe of Connections data that cannot be saved or read as given."""


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


def _choice(value: Any, allowed: Mapping[str, Any], aliases: Mapping[str, str], what: str,
            blank_ok: bool = False) -> str:
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
    def create(cls, *, name: Any, kind: Any, id: Any = None, system: Any = "", sector: Any = "",
               size: Any = "") -> Organization:
        """Validate and normalise; raise :class:`NetworkError` naming the first problem.

        >>> Organization.create(name="Riverbend College", kind="partner", system="Education").id
        'riverbend-college'
        >>> Organization.create(name="Acme", kind="business", size="huge")
        Traceback (most recent call last):
        ...
        sectorkit.universe.model.NetworkError: size 'huge' is not one of small, medium, large
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
    def create(cls, *, name: Any, organization: Any, id: Any = None, title: Any = "", c_suite: Any = False) -> Person:
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
    def create(cls, *, a: Any, b: Any, strength: Any = "acquainted") -> Relationship:
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
               neutrality: Any = "", notes: Any = "") -> RosterEntry:
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
        return sorted(k for k, r in self.roster.items()
                      if r.role in ("convener", "co-convener") and k in self.organizations)

    def person_label(self, pid: str) -> str:
        p = self.people.get(pid)
        if p is None:
            return pid
        org = self.organizations.get(p.organization)
        return f"{p.name} ({org.name if org else p.organization})"

    def graph(self) -> nx.Graph:
        return build_graph(self)
