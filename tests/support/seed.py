"""A workspace with something in every report section (tests and ``benchmarks/reports.py``).

Written from the specs and the modules that own each record kind: questions are found by their
tags (``commitment``, ``action-team``, ``not-yet``), record kinds and settings come from
:mod:`sectorkit.lmi.sources` and :mod:`sectorkit.lmi.screen`, sector titles from the shipped NAICS
table, and the Universe of Connections is the example one. A renamed question or tag therefore
fails here loudly instead of silently seeding nothing.
"""

from __future__ import annotations

import os
from datetime import date, timedelta

from sectorkit import assessments as A
from sectorkit import universe as network
from sectorkit.example import EXAMPLE_REGION, SEEDED_KIND, ensure_example_workspace, example_region_name
from sectorkit.lmi import screen
from sectorkit.lmi.footprint import FOOTPRINT_KEY, FOOTPRINT_KIND, Footprint
from sectorkit.lmi.readiness import READINESS_KIND
from sectorkit.lmi.sources import CHOICE_KIND, SETTINGS_KEY, SETTINGS_KIND
from sectorkit.lmi.titles import industry_titles
from sectorkit.partnership import action_teams as teams
from sectorkit.partnership import capture
from sectorkit.specs import WorksheetSpec, load_spec
from sectorkit.store.workspace import Workspace
from sectorkit.universe import influence, launch
from sectorkit.universe.store import KIND_ORG, KIND_PERSON

__all__ = ["example_without_answers", "fill_report_workspace", "small_universe"]

#: sector decisions (NAICS code, LMI Review decision, the team's note)
SECTORS = [
    ("31-33", "shortlist", "Many employers, good wages, shared skill gaps"),
    ("62", "maybe", "Large but the hospital system already convenes"),
    ("48-49", "not-now", "Fast growth, low pay"),
]
#: lines of the commitments written in the Step 1 and Step 5 reviews
STEP1_COMMITMENTS = ["Invite the adult education director (Sam, by 2 May)",
                     "Send the recap to every champion (Ana, Friday)"]
STEP5_COMMITMENTS = ["Hiring pipeline team: first employer call (Raj Iyer, 15 March)",
                     "Supplier team: map shared suppliers (Grace Kim, April)"]
RESPONDENTS = ("Dana Cole", "Lee Park")


def _commitment(spec: WorksheetSpec) -> str:
    """The id of the spec's one question tagged ``commitment``."""
    (question,) = spec.questions_tagged("commitment")
    return question.id


def _action_team_answers(spec: WorksheetSpec) -> dict[str, str]:
    """The first three ``action-team`` questions: the first option, the second, and a ``not-yet`` one."""
    first, second, third = spec.questions_tagged("action-team")[:3]
    return {
        first.id: spec.options_for(first)[0].value,
        second.id: spec.options_for(second)[1].value,
        third.id: sorted(spec.option_values_tagged(third, "not-yet"))[0],
    }


def fill_report_workspace(ws: Workspace, text: str = "") -> None:
    """Give ``ws`` something in every report section.

    ``text`` is appended to every free-text answer, note and name, so a test can
    pass hostile text (markup, quotes, newlines, braces) through every section.
    Deliverable dates are set around today, so one is always overdue in a report made today.
    """
    ws.put_record(SETTINGS_KIND, SETTINGS_KEY, {"source": "example", "folder": "", "counties": "", "crosswalk": "",
                                                "start_year": 2020, "end_year": 2023, "own_code": 5,
                                                "naics_digits": 2, "weights": dict(screen.DEFAULT_WEIGHTS)})
    titles = industry_titles().set_index("industry_code")["industry_title"]
    for code, decision, note in SECTORS:
        ws.put_record(CHOICE_KIND, code, {"decision": decision, "note": note + text, "title": titles[code],
                                          "naics_digits": 2, "saved_at": "2026-01-01T00:00:00+00:00"})
    # Step 2's scope worksheets: the shortlisted sector rated for readiness, and a footprint
    ws.put_record(READINESS_KIND, "31-33", {"title": titles["31-33"], "ratings": {"growing": 3, "champions": 4,
                                                                                  "existing-table": 2},
                                            "evidence": {"champions": "Two plant managers will co-sign" + text}})
    ws.put_record(FOOTPRINT_KIND, FOOTPRINT_KEY, Footprint(
        {"99001": (True, "Most plants" + text), "99003": (True, "Shares the river corridor"),
         "99005": (True, "Commutes into Riverbend"), "99007": (False, "Hires from the next valley" + text)},
        "31-33").to_record())

    universe = network.example_universe()
    for org in universe.organizations.values():
        if text and org.kind == "business":
            org = network.Organization.create(id=org.id, name=org.name + text, kind=org.kind, system=org.system,
                                              sector=org.sector, size=org.size)
        network.save_organization(ws, org)
    for person in universe.people.values():
        network.save_person(ws, person, universe)
    for rel in universe.relationships.values():
        network.save_relationship(ws, rel, universe)

    spec = load_spec("sustainability")
    scored = A.scored_questions(spec)
    for when, base in (("2025-06-01", 2), ("2025-12-01", 3)):
        round_id = A.start_round(ws, spec.id, when)
        for i, who in enumerate((RESPONDENTS[0], RESPONDENTS[1] + text)):
            key = A.open_response(ws, spec.id, round_id, who)
            ws.save_answers(key, {q.id: max(q.min, min(q.max, base + (i + j) % 2)) for j, q in enumerate(scored)})
            A.complete_response(ws, spec, key)

    step1 = load_spec("step1-aar")
    ws.save_answers(step1.id, {_commitment(step1): "\n".join(STEP1_COMMITMENTS) + text})
    step5 = load_spec("step5-aar")
    story = step5.question("what-happened").id  # the reflection the reviews section quotes
    ws.save_answers(step5.id, {**_action_team_answers(step5), story: "Two teams moved fast" + text,
                               _commitment(step5): "\n".join(STEP5_COMMITMENTS) + text})
    _fill_steps_3_to_5(ws, text)


def _fill_steps_3_to_5(ws: Workspace, text: str) -> None:
    """The launch plan (pre-filled from the Universe), the influence map, the launch record and the action teams."""
    plan = load_spec("prepare-launch")
    orgs, people = ws.records(KIND_ORG), ws.records(KIND_PERSON)
    invitations = launch.prefill_rows([], orgs, people, ["advanced manufacturing"])
    for n, row in enumerate(invitations):
        row.update(status=("yes", "yes", "invited", "followed-up", "no")[n] if n < 5 else "to-invite",
                   **({"invited-on": "2027-02-01"} if n < 5 else {}), **{"sub-sector": "Machining" + text})
    invitations.append({"business-name": "Riverside Bakery" + text, "decision-maker": "Pat Doe, Owner" + text,
                        "follow-up": "Maya Chen" + text, "size": "small", "status": "maybe",
                        "invited-on": "2027-03-01"})
    ws.save_rows(plan.id, launch.Q_INVITATIONS, invitations, spec_version=plan.version)
    ws.save_rows(plan.id, launch.Q_CANDIDATES, [
        {"organization": "valley-economic-alliance", "credibility": "yes", "staff-time": "partly", "neutrality": "yes",
         "decision": "convener", "notes": "Its retention visits" + text}], spec_version=plan.version)
    ws.save_rows(plan.id, launch.Q_CO_CHAIRS, [
        {"person": "grace-kim", "asked-by": "Sam Okafor" + text, "status": "agreed"},
        {"name": "Lee Park" + text, "company": "Harbor Robotics", "status": "agreed"}], spec_version=plan.version)
    support = plan.question(launch.Q_SUPPORT)
    ws.save_answers(plan.id, {launch.Q_SECTOR: "advanced manufacturing", launch.Q_DATE: "2027-03-18",
                              launch.Q_TIME: "7:30 to 9:30 am", launch.Q_VENUE: "Apex Precision, Mill Road" + text,
                              launch.Q_VENUE_KIND: "business", launch.Q_TARGET: 25,
                              support.id: plan.options_for(support)[0].value}, spec_version=plan.version)

    for dm in (influence.DecisionMaker.create(name="Nora Weiss", organization="Birchwood Plastics", role="President",
                                              person="nora-weiss", influence="high", interest="medium",
                                              next_move="Invite her to co-host a tour" + text, owner="Tom Becker",
                                              due="2027-03-31"),
               influence.DecisionMaker.create(name="Pat Lee" + text, role="Mayor" + text,
                                              organization="City of Riverbend", influence="high", interest="low")):
        influence.save_decision_maker(ws, dm)

    record = load_spec(capture.CAPTURE_SPEC)
    ws.save_answers(record.id, {"meeting-date": "2027-03-18", "meeting-place": "Apex Precision" + text,
                                "companies-present": 24, "later": "Housing near the plants" + text,
                                "next-steps": "Send the summary by 25 March" + text}, spec_version=record.version)
    ws.save_rows(record.id, capture.PRIORITIES, [
        {"priority": "Grow our own talent" + text, "opportunity": "Plants cannot find machinists" + text,
         "requirements": "Tours for teachers and paid internships" + text},
        {"priority": "Supplier network", "opportunity": "Buy more from each other", "requirements": "A shared list"}],
        spec_version=record.version)
    ws.save_rows(record.id, capture.CHAMPIONS, [
        {"name": "Grace Kim", "company": "Apex Precision" + text, "priority": "Grow our own talent" + text,
         "commitment": "Host two tours this spring" + text},
        {"name": "Raj Iyer", "company": "Harbor Robotics", "priority": "Supplier network",
         "commitment": "Map our shared suppliers"}], spec_version=record.version)

    board = load_spec(teams.TEAMS_SPEC)
    rows = teams.teams_from_priorities(capture.read_summary(ws).priorities, [])
    rows[0].update(lead="Grace Kim" + text, help="A college instructor at the tours" + text,
                   rhythm="Every other Tuesday")
    ws.save_rows(board.id, teams.TEAMS, rows, spec_version=board.version)
    today = date.today()

    def day(offset: int) -> str:
        return (today + timedelta(days=offset)).isoformat()

    ws.save_rows(board.id, teams.DELIVERABLES, [  # overdue; without an owner; due before it starts
        {"team": rows[0]["team"], "deliverable": "Two plant tours for teachers" + text, "owner": "Grace Kim",
         "start": day(-60), "due": day(-10), "status": "under-way"},
        {"team": rows[1]["team"], "deliverable": "A list of shared suppliers" + text, "owner": "",
         "start": day(-20), "due": day(40), "status": "not-started"},
        {"team": rows[0]["team"], "deliverable": "Job profiles", "owner": "Tom Becker" + text,
         "start": day(5), "due": day(1), "status": "done"}], spec_version=board.version)
    ws.save_answers(board.id, {teams.NEXT_QUARTERLY: day(60)}, spec_version=board.version)


def small_universe(ws: Workspace) -> None:
    """A small Universe for a fresh region: two support partners, three manufacturers and a hospital.

    Made-up names. Its people: Maya Chen (workforce board) and Tom Becker (college) on the team; Ada Stone
    (owner, Anchor Machining), Ben Hale (plant manager) and Cleo Ward (president) at Bayview Plastics, Dan
    Price at Cove Robotics, Eve Moss (CEO, Dune Hospital). Ties: Maya knows Ada well, Tom knows Ben well,
    Ben is acquainted with Cleo (the flow tests compute paths and pre-fills from these by hand).
    """
    Org, P, Rel = network.Organization.create, network.Person.create, network.Relationship.create
    for org in (Org(name="Lakeside Workforce Board", kind="partner", system="workforce"),
                Org(name="Lakeside College", kind="partner", system="education"),
                Org(name="Anchor Machining", kind="business", sector="advanced manufacturing", size="small"),
                Org(name="Bayview Plastics", kind="business", sector="Manufacturing", size="large"),
                Org(name="Cove Robotics", kind="business", sector="robotics manufacturing", size="medium"),
                Org(name="Dune Hospital", kind="business", sector="health care", size="large")):
        network.save_organization(ws, org)
    universe = network.load_universe(ws)
    for person in (P(name="Maya Chen", organization="lakeside-workforce-board", title="Business services lead"),
                   P(name="Tom Becker", organization="lakeside-college", title="Dean"),
                   P(name="Ada Stone", organization="anchor-machining", title="Owner", c_suite=True),
                   P(name="Ben Hale", organization="bayview-plastics", title="Plant manager"),
                   P(name="Cleo Ward", organization="bayview-plastics", title="President", c_suite=True),
                   P(name="Dan Price", organization="cove-robotics"),
                   P(name="Eve Moss", organization="dune-hospital", title="CEO", c_suite=True)):
        network.save_person(ws, person, universe)
    universe = network.load_universe(ws)
    for a, b, strength in (("maya-chen", "ada-stone", "knows-well"), ("tom-becker", "ben-hale", "knows-well"),
                           ("ben-hale", "cleo-ward", "acquainted")):
        network.save_relationship(ws, Rel(a=a, b=b, strength=strength), universe)


def example_without_answers(root: str | os.PathLike) -> Workspace:
    """The example region's workspace under ``root`` with its Universe of Connections but none of the
    illustrative answers, for a test that starts from empty worksheets in the example region.

    It marks the answers as seeded before the example is first opened (the marker
    :func:`sectorkit.example.ensure_example_workspace` reads), so they are never added. Close the result.
    """
    with Workspace.open(EXAMPLE_REGION, root, name=example_region_name(), illustrative=True) as ws:
        if "answers" not in ws.records(SEEDED_KIND):
            ws.put_record(SEEDED_KIND, "answers", {"skipped": "a test wants empty worksheets"})
    return ensure_example_workspace(root)
