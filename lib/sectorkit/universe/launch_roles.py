"""Planning the launch (Step 3): the checks on who convenes, the business co-chairs and the place.

Pure functions on the ``prepare-launch`` worksheet's table rows and the Universe of Connections'
workspace records (``{id: record dict}``); :mod:`sectorkit.universe.launch` gathers them into the
whole plan. A convener is chosen by the whole support team on credibility with companies, staff
time and neutrality; the launch needs at least two co-chairs who are senior *business* leaders; a
business site is the preferred place (after the Next Gen Sector Partnership training toolkit,
Step 3; sectorkit's own wording).

>>> venue_warning("business") is None, convener([]).chosen
(True, ())
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["CoChairs", "Convener", "co_chairs", "convener", "venue_warning"]

Records = Mapping[str, Mapping[str, Any]]


def norm_key(text: Any) -> str:
    """A name for comparing: spacing collapsed, case folded (``" APEX  precision"`` -> ``"apex precision"``)."""
    return " ".join(str(text or "").split()).casefold()


def plural(n: int, one: str, many: str | None = None) -> str:
    """``"1 row"``, ``"2 rows"`` (``many`` for an irregular plural)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


@dataclass(frozen=True)
class Convener:
    """The team's convener decision: the organizations chosen (names) and what to check."""

    chosen: tuple[str, ...]
    candidates: int
    warnings: tuple[str, ...] = ()


CRITERIA_WORDS = {"credibility": "credibility with companies", "staff-time": "staff time", "neutrality": "neutrality"}


def convener(rows: Sequence[Mapping[str, Any]], organizations: Records | None = None) -> Convener:
    """Who the team chose to convene (rows marked convener or co-convener) and the checks on it.

    >>> c = convener([{"organization": "alliance", "decision": "convener", "neutrality": "no"}],
    ...              {"alliance": {"name": "Valley Alliance"}})
    >>> c.chosen, c.warnings
    (('Valley Alliance',), ('Valley Alliance is rated No on neutrality: talk it through before it convenes.',))
    """
    orgs = organizations or {}
    chosen, warnings = [], []
    for row in rows:
        if row.get("decision") not in ("convener", "co-convener"):
            continue
        name = str((orgs.get(row.get("organization")) or {}).get("name") or row.get("organization") or "(no name)")
        chosen.append(name)
        weak = [w for k, w in CRITERIA_WORDS.items() if row.get(k) == "no"]
        if weak:
            warnings.append(f"{name} is rated No on {' and '.join(weak)}: talk it through before it convenes.")
    if not chosen:
        warnings.insert(0, "No convener chosen yet: mark one organization Convener (or two Co-convener).")
    elif len(chosen) > 2:
        warnings.insert(0, f"{len(chosen)} organizations are marked to convene: choose one, or a pair of co-conveners.")
    return Convener(tuple(chosen), len(rows), tuple(warnings))


@dataclass(frozen=True)
class CoChairs:
    """The co-chairs: the business leaders who agreed (labels), how many rows, and what to fix."""

    agreed: tuple[str, ...]
    considered: int
    warnings: tuple[str, ...] = ()


def co_chairs(rows: Sequence[Mapping[str, Any]], organizations: Records | None = None,
              people: Records | None = None) -> CoChairs:
    """Check the co-chairs: each a senior *business* leader, and at least two who agreed.

    A leader chosen from the Universe who works at a support partner (any organization that is not a
    business), or a typed leader whose company is a listed support partner, gets a warning and is not
    counted; so does a typed leader with no company.

    >>> orgs = {"board": {"name": "Workforce Board", "kind": "partner"}, "apex": {"name": "Apex", "kind": "business"}}
    >>> people = {"maya": {"name": "Maya Chen", "organization": "board"}, "grace": {"name": "Grace Kim",
    ...           "organization": "apex"}}
    >>> c = co_chairs([{"person": "grace", "status": "agreed"}, {"person": "maya", "status": "agreed"}], orgs, people)
    >>> c.agreed
    ('Grace Kim (Apex)',)
    >>> print(c.warnings[1][:76])
    Row 2: Maya Chen works at Workforce Board, a support partner, not a business
    """
    orgs, folks = organizations or {}, people or {}
    partner_names = {norm_key(o.get("name")): str(o.get("name")) for o in orgs.values() if o.get("kind") != "business"}
    agreed, warnings = [], []
    for n, row in enumerate(rows, 1):
        pid, typed = row.get("person"), " ".join(str(row.get("name") or "").split())
        company = " ".join(str(row.get("company") or "").split())
        if pid:
            person = folks.get(pid)
            if person is None:
                warnings.append(f"Row {n}: the leader chosen is no longer in the Universe of Connections.")
                continue
            name = str(person.get("name") or pid)
            org = orgs.get(person.get("organization")) or {}
            where = str(org.get("name") or person.get("organization") or "")
            if org.get("kind") != "business":
                warnings.append(f"Row {n}: {name} works at {where}, a support partner, not a business. Co-chairs "
                                f"are senior business leaders; keep {name} on the support team.")
                continue
            label = f"{name} ({where})"
        elif typed:
            if not company:
                warnings.append(f"Row {n}: {typed} has no company: add it, so the team can see they lead a business.")
                continue
            if norm_key(company) in partner_names:
                warnings.append(f"Row {n}: {typed}'s organization, {partner_names[norm_key(company)]}, is a support "
                                "partner, not a business. Co-chairs are senior business leaders.")
                continue
            label = f"{typed} ({company})"
        else:
            continue
        if row.get("status") == "agreed":
            agreed.append(label)
    if len(agreed) < 2:
        warnings.insert(0, f"{plural(len(agreed), 'business co-chair')} agreed so far: the launch needs at least "
                           "two (three or four is better).")
    return CoChairs(tuple(agreed), len(rows), tuple(warnings))


def venue_warning(kind: Any) -> str | None:
    """A reminder unless the launch is at a business site (``kind`` is the ``venue-kind`` answer).

    >>> venue_warning("business") is None
    True
    """
    if kind == "business":
        return None
    if kind == "partner":
        return ("The launch is planned at a partner's or public building: a business site, ideally a co-chair's "
                "company, shows that industry owns the meeting.")
    return "No place chosen yet: a business site, ideally a co-chair's company, is best."
