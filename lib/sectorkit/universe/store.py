"""Storing the Universe of Connections in a region's workspace (one record per item).

Record kinds are named once, here: :data:`KIND_ORG`, :data:`KIND_PERSON`,
:data:`KIND_REL` and :data:`KIND_ROSTER` (all four in :data:`RECORD_KINDS`).
Organizations and roster entries are keyed by organization id, people by
person id, relationships by ``"<a>+<b>"`` (sorted ids).

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> ws = Workspace.open("demo", root=tempfile.mkdtemp())
>>> _ = save_organization(ws, Organization.create(name="Acme", kind="business"))
>>> sorted(load_universe(ws).organizations)
['acme']
"""

from __future__ import annotations

from dataclasses import asdict

from sectorkit.universe.model import NetworkError, Organization, Person, Relationship, RosterEntry, Universe

#: Workspace record kinds of the Universe of Connections.
KIND_ORG, KIND_PERSON, KIND_REL, KIND_ROSTER = "organization", "person", "relationship", "roster"
RECORD_KINDS = (KIND_ORG, KIND_PERSON, KIND_REL, KIND_ROSTER)



def load_universe(ws) -> Universe:
    """Read the region's Universe of Connections from its workspace.

    Records that no longer validate (edited by hand, or pointing at something
    deleted) are left out rather than breaking the page.
    """
    u = Universe()
    for key, raw in ws.records(KIND_ORG).items():
        try:
            u.organizations[key] = Organization.create(
                **{k: raw.get(k, "") for k in ("id", "name", "kind", "system", "sector", "size")})
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
            entry = RosterEntry.create(**{k: raw.get(k, "") for k in ("organization", "role", "credibility",
                                                                         "capacity", "neutrality", "notes")})
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
