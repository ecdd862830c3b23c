"""A workspace with something in every report section (tests and ``benchmarks/reports.py``).

Written from the specs and the modules that own each record kind: questions are found by their
tags (``commitment``, ``action-team``, ``not-yet``), record kinds and settings come from
:mod:`sectorkit.lmi.sources` and :mod:`sectorkit.lmi.screen`, sector titles from the shipped NAICS
table, and the Universe of Connections is the example one. A renamed question or tag therefore
fails here loudly instead of silently seeding nothing.
"""

from __future__ import annotations

from sectorkit import assessments as A
from sectorkit import universe as network
from sectorkit.lmi import screen
from sectorkit.lmi.footprint import FOOTPRINT_KEY, FOOTPRINT_KIND, Footprint
from sectorkit.lmi.readiness import READINESS_KIND
from sectorkit.lmi.sources import CHOICE_KIND, SETTINGS_KEY, SETTINGS_KIND
from sectorkit.lmi.titles import industry_titles
from sectorkit.specs import WorksheetSpec, load_spec
from sectorkit.store.workspace import Workspace

__all__ = ["fill_report_workspace"]

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
