"""Example and generated universes: the illustrative Step 1 region and random ones for benchmarks.

>>> u = random_universe(12, 10, businesses=3, partners=2, seed=3)
>>> len(u.people), len(u.relationships)
(12, 10)
"""

from __future__ import annotations

import random

from sectorkit.universe.model import Organization, Person, Relationship, RosterEntry, Universe
from sectorkit.universe.vocab import SYSTEMS


def example_universe() -> Universe:
    """A small illustrative universe (made-up names) for the Step 1 module.

    >>> u = example_universe(); len(u.businesses()) > 5 and len(u.partners()) > 4
    True
    """
    O, P, R = Organization.create, Person.create, Relationship.create  # noqa: E741 - short names keep the list readable
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
    rng = random.Random(seed)
    systems = list(SYSTEMS)
    orgs = [Organization.create(name=f"Partner {i:02d}", kind="partner", system=systems[i % len(systems)])
            for i in range(partners)]
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
