"""Module 2: the outreach map (domain measures, heat map, page, report section, notebook).

Expected numbers are worked out by hand from the small made-up maps each test builds.
"""

from __future__ import annotations

import html

import pytest

from sectorkit.apps import registry
from sectorkit.apps.outreach import OutreachMapApp
from sectorkit.core.paths import REPO_ROOT
from sectorkit.example import ensure_example_workspace
from sectorkit.partnership import outreach as O
from sectorkit.reports.sections import outreach as section
from sectorkit.specs import load_spec
from sectorkit.store.workspace import Workspace
from sectorkit.views import outreach as V
from tests.test_notebooks import _errors, _outputs, _run, _widget_states

SPEC = O.OUTREACH_SPEC

# A made-up map: four programs, five businesses.
#   Veterans  -> Apex (monthly 12), Birch (quarterly 4)
#   Youth     -> Apex (quarterly 4), Cedar (yearly 1)
#   Chamber   -> Apex (monthly 12), Birch (monthly 12), Dune (once 1)
#   College   -> Apex (weekly 52), Birch (no frequency: 1)
PROGRAMS = {"v": {"name": "Veterans", "kind": "workforce-program"}, "y": {"name": "Youth"},
            "c": {"name": "Chamber", "kind": "chamber"}, "k": {"name": "College", "kind": "education"}}
CONTACTS = [
    {"program": "v", "business-name": "Apex", "frequency": "monthly", "why": "Placing veterans"},
    {"program": "v", "business-name": "Birch", "frequency": "quarterly"},
    {"program": "y", "business-name": "Apex", "frequency": "quarterly", "why": "Summer jobs"},
    {"program": "y", "business-name": "Cedar", "frequency": "yearly"},
    {"program": "c", "business-name": "Apex", "frequency": "monthly", "why": "Membership"},
    {"program": "c", "business-name": "Birch", "frequency": "monthly"},
    {"program": "c", "business-name": "Dune", "frequency": "once"},
    {"program": "k", "business-name": "Apex", "frequency": "weekly", "why": "Placing veterans"},
    {"program": "k", "business-name": "Birch", "frequency": None},
]


def small_map(**kw) -> O.OutreachMap:
    return O.build_map(PROGRAMS, CONTACTS, **kw)


def test_burden_counts_programs_rows_and_contacts_a_year():
    got = {b.name: (b.programs, b.contacts, b.per_year) for b in O.burden(small_map())}
    # Apex 12 + 4 + 12 + 52 = 80; Birch 4 + 12 + 1 (blank counted once) = 17; Cedar 1; Dune 1
    assert got == {"Apex": (4, 4, 80.0), "Birch": (3, 3, 17.0), "Cedar": (1, 1, 1.0), "Dune": (1, 1, 1.0)}
    assert [b.name for b in O.burden(small_map())][:2] == ["Apex", "Birch"]
    apex = O.burden(small_map())[0]
    assert apex.program_names == ("Veterans", "Youth", "Chamber", "College")
    assert apex.reasons == ("Placing veterans", "Summer jobs", "Membership")  # distinct, in row order
    assert small_map().problems == ("Contacts row 9: no frequency given; each is counted as one contact a year "
                                    "until one is chosen.",)


def test_crowded_businesses_are_those_three_or_more_programs_reach():
    assert [(b.name, b.programs) for b in O.crowded(small_map())] == [("Apex", 4), ("Birch", 3)]
    assert [b.name for b in O.crowded(small_map(), at_least=4)] == ["Apex"]


def test_overlap_pairs_and_jaccard_by_hand():
    found = {(o.a, o.b): (o.shared, round(o.jaccard, 4)) for o in O.overlaps(small_map())}
    # Veterans {Apex, Birch}, Youth {Apex, Cedar}, Chamber {Apex, Birch, Dune}, College {Apex, Birch}
    assert found == {
        ("Veterans", "Youth"): (("Apex",), round(1 / 3, 4)),
        ("Veterans", "Chamber"): (("Apex", "Birch"), round(2 / 3, 4)),
        ("Veterans", "College"): (("Apex", "Birch"), 1.0),
        ("Youth", "Chamber"): (("Apex",), 0.25),
        ("Youth", "College"): (("Apex",), round(1 / 3, 4)),
        ("Chamber", "College"): (("Apex", "Birch"), round(2 / 3, 4)),
    }
    first = O.overlaps(small_map())[0]
    assert (first.a, first.b) == ("Veterans", "College")  # two shared, Jaccard 1 beats 2/3


def test_unreached_lists_the_sectors_universe_businesses_no_contact_names():
    orgs = {"apex": {"name": "Apex", "kind": "business", "sector": "advanced manufacturing"},
            "elm": {"name": "Elm Machining", "kind": "business", "sector": "Manufacturing"},
            "rose": {"name": "Rose Clinic", "kind": "business", "sector": "health care"},
            "board": {"name": "Workforce Board", "kind": "partner", "system": "workforce"}}
    contacts = [{"program": "v", "business": "apex", "frequency": "monthly"},
                {"program": "v", "business-name": "Elm Machining", "frequency": "monthly"}]
    m = O.build_map({"v": {"name": "Veterans"}}, contacts, orgs, sector="manufacturing")
    # Elm is typed by hand, not picked: not reached by id, and the spelling check says so
    assert O.unreached(m) == [("elm", "Elm Machining")]
    assert [s.message() for s in m.spellings] == [
        "'Elm Machining', 'Elm Machining' look like the same business (contacts rows 2). They are counted as "
        "separate businesses until they match. Pick 'Elm Machining' from the Universe in each row; nothing was "
        "merged."]
    every = O.build_map({"v": {"name": "Veterans"}}, contacts, orgs)  # no sector: every Universe business
    assert [oid for oid, _ in O.unreached(every)] == ["elm", "rose"]


def test_name_key_ignores_case_spacing_punctuation_and_legal_endings():
    same = ["Apex Precision", " apex  PRECISION ", "Apex Precision, Inc.", "APEX-Precision LLC",
            "The Apex Precision Co."]
    assert {O.name_key(n) for n in same} == {"apex precision"}
    assert O.name_key("Smith & Sons L.L.C.") == O.name_key("smith and sons")
    assert O.name_key("Apex Tools") != O.name_key("Apex Precision")


def test_differently_spelled_businesses_are_flagged_never_merged():
    contacts = [{"program": "v", "business-name": "Apex Precision", "frequency": "monthly"},
                {"program": "y", "business-name": "apex precision, inc.", "frequency": "monthly"},
                {"program": "c", "business-name": "APEX-Precision LLC", "frequency": "monthly"},
                {"program": "c", "business-name": "Birch", "frequency": "monthly"}]
    m = O.build_map(PROGRAMS, contacts)
    assert len(O.burden(m)) == 4  # each spelling is its own business until the rows match
    assert O.crowded(m) == []  # so no business is (yet) reached by three programs
    (dup,) = m.spellings
    assert dup.spellings == ("Apex Precision", "apex precision, inc.", "APEX-Precision LLC") and dup.rows == (1, 2, 3)
    assert "nothing was merged" in dup.message() and "rows 1, 2, 3" in dup.message()
    page = V.summary_html(V.analysis(m))
    assert "These may be one business written differently" in page and "APEX-Precision LLC" in page


def test_deleted_program_and_missing_business_are_kept_and_reported(home):
    with Workspace.open("riverbend", home) as ws:
        pids = ws.save_rows(SPEC, "programs", [{"name": "Veterans", "kind": "workforce-program"},
                                               {"name": "Youth", "kind": "workforce-program"}])
        ws.save_rows(SPEC, "contacts", [{"program": pids[0], "business-name": "Apex", "frequency": "monthly"},
                                        {"program": pids[1], "business-name": "Apex", "frequency": "weekly"},
                                        {"program": pids[0], "frequency": "weekly"}])
        page = OutreachMapApp(ws)
        assert "Apex" in page.panel.value and "64" in page.panel.value  # 12 + 52
        ws.delete_row(SPEC, "programs", pids[1])
        page.refresh()
        m = O.read_map(ws)
        assert [b.per_year for b in O.burden(m)] == [12.0]
        assert m.problems[:2] == (
            "Contacts row 2: its program was deleted or none is picked. The row is kept but not counted until a "
            "program is picked.",
            "Contacts row 3 names no business: pick one from the Universe or type its name. The row is kept but "
            "not counted.")
        assert len(ws.rows(SPEC, "contacts")) == 3  # nothing lost
        panel = html.unescape(page.panel.value)
        assert "Contacts row 2: its program was deleted" in panel and "Something went wrong" not in page.status_text()


def test_the_page_redraws_after_a_save_in_its_form(home):
    with Workspace.open("riverbend", home) as ws:
        ws.save_rows(SPEC, "programs", [{"name": "Chamber", "kind": "chamber"}])
        page = OutreachMapApp(ws)
        assert "No contact is recorded yet" in page.panel.value
        contacts = page.form.fields["contacts"]
        contacts.add_row()
        (pid,) = [r.row_id for r in ws.rows(SPEC, "programs")]
        contacts.cell(0, "program").value = pid
        contacts.cell(0, "business-name").value = "Oak <Mill>"
        contacts.cell(0, "frequency").value = "quarterly"
        panel = page.panel.value
        assert "<img" in panel and "Oak &lt;Mill&gt;" in panel and "<Mill>" not in panel
        assert "Not saved" not in page.status_text() and "Something went wrong" not in page.status_text()


def test_heat_matrix_figure_alt_text_and_table():
    programs, businesses, values = O.heat_matrix(small_map())
    assert programs == ["Veterans", "Youth", "Chamber", "College"]
    assert businesses == ["Apex", "Birch", "Cedar", "Dune"]
    assert values == [[12, 4, 0, 0], [4, 0, 1, 0], [12, 12, 0, 1], [52, 1, 0, 0]]
    fig = V.heat_figure(V.analysis(small_map()))
    ax = fig.axes[0]
    assert ax.get_title() == "Contacts a year, by program and business"
    assert ax.get_xlabel().startswith("Business") and ax.get_ylabel() == "Program or organization"
    assert fig.axes[1].get_ylabel().startswith("Contacts a year")  # the colour bar names the unit
    alt = V.heat_alt_text(V.analysis(small_map()))
    assert alt.startswith("Heat map of contacts a year: 4 programs (rows) by 4 businesses (columns).")
    assert "Apex: 80 contacts a year from 4 programs (College 52, Veterans 12, Chamber 12, Youth 4)." in alt
    table = V.heat_table_html(V.analysis(small_map()))
    assert '<th scope="row">All programs</th><td><strong>80</strong></td><td><strong>17</strong></td>' in table
    assert V.heat_figure(V.analysis(O.build_map({}, []))) is None


def test_a_large_map_is_capped_and_says_so():
    # business j is contacted by program j % 60 only: weekly (52) for j < 40, monthly (12) after. The 40 heaviest
    # are businesses 0..39, contacted by programs 0..39 (52 each); the 30 kept are the first 30 of those tied
    # programs, 0..29, so the columns are businesses 0..29: 30 of the 90.
    programs = {f"p{i}": {"name": f"Program {i:02d}"} for i in range(60)}
    contacts = [{"program": f"p{j % 60}", "business-name": f"Business {j:02d}",
                 "frequency": "weekly" if j < 40 else "monthly"} for j in range(90)]
    a = V.analysis(O.build_map(programs, contacts))
    names, businesses, values = a.heat
    assert names == [f"Program {i:02d}" for i in range(30)]
    assert businesses == [f"Business {j:02d}" for j in range(30)]
    assert values == [[52.0 if i == j else 0.0 for j in range(30)] for i in range(30)]
    alt = V.heat_alt_text(a)
    assert "30 of the 90 businesses (among the 40 with the most contacts a year)" in alt
    assert "the 30 programs contacting them most (of 60)" in alt


def test_registered_in_business_services():
    assert "outreach-map" in registry.custom_page_ids()
    assert registry.page_place("outreach-map") == ("business-services", 10)
    assert load_spec(SPEC).module == "business-services"
    assert "Next Gen tool" not in load_spec(SPEC).title


def test_report_section_shows_the_example_region(home, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(section, "show", shown.append)
    section.outreach("example", str(home))
    page = html.unescape(shown[0])
    assert "Outreach to businesses" in page and "<img" in page
    assert "Apex Precision: 5 programs" in page  # the illustrative map: five programs call on Apex
    assert "Elm Street Machining" in page and "Granite Tool and Die" in page  # reached by none
    assert "'Harbor Robotics', 'Harbor Robotics Inc.' look like the same business" in page
    assert "What the team said" in page
    with Workspace.open("blank", home) as ws:
        assert section.status(ws) == ("Outreach to businesses mapped", False,
                                      "no program that reaches out to businesses listed yet")
    shown.clear()
    section.outreach("blank", str(home))
    assert "Not done yet:</strong> no program that reaches out" in shown[0]


def test_example_region_status(home):
    ws = ensure_example_workspace(home)
    assert section.status(ws) == ("Outreach to businesses mapped", True, "9 program(s), 8 business(es) contacted; "
                                  "3 reached by three or more programs, 2 of the sector's not reached")


@pytest.mark.parametrize("region", ["riverbend-team"])
def test_module_notebook_runs_with_the_outreach_page(tmp_path, monkeypatch, region):
    with Workspace.open(region, tmp_path / "home") as ws:
        ws.save_answers(SPEC, {"burden": "SEEDED ANSWER about repeated calls"})
        pid = ws.save_rows(SPEC, "programs", [{"name": "Veterans program", "kind": "workforce-program"}])[0]
        ws.save_rows(SPEC, "contacts", [{"program": pid, "business-name": "Apex", "frequency": "monthly"}])
    nb = _run(REPO_ROOT / "modules" / "07_business_services.ipynb", tmp_path, monkeypatch, region=region)
    assert _errors(nb) == []
    md = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Based on the Next Gen Sector Partnership training toolkit" in md
    assert md.count("<summary>Facilitator's answer") >= 2
    out = "\n".join(_outputs(nb, "text/html"))
    assert "Facilitator notes" in out and "topic=business-services" in out
    states = html.unescape(" ".join(str(m["state"].get("value", "")) for m in _widget_states(nb)))
    assert "SEEDED ANSWER about repeated calls" in states  # the discussion prompt's saved answer
    assert "Heat map of contacts a year: 1 program (rows) by 1 business (columns)." in states
