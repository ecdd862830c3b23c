"""Journey maps (employer and jobseeker/student), one engine: measures, bad input, diagram, page, report.

The small maps below are made up; every expected value was worked out by hand from the rows.
"""

from __future__ import annotations

import html
import re
import time

import pytest

from sectorkit.apps import registry
from sectorkit.apps.journeys import JourneyMapPage
from sectorkit.core.errors import SectorkitError, SpecError
from sectorkit.example import ensure_example_workspace
from sectorkit.partnership import journeys as J
from sectorkit.reports.sections import journeys as section
from sectorkit.specs import available_specs, load_spec
from sectorkit.specs.library import KNOWN_TAGS
from sectorkit.specs.models import REPORT_SECTIONS, parse_spec
from sectorkit.store.workspace import Workspace
from sectorkit.views import journeys as V

STAGES = [("first-contact", "First contact"), ("referral", "Referral"), ("intake", "Intake or assessment"),
          ("service", "Service"), ("follow-through", "Follow-through")]
PROGRAMS = {"b": {"name": "Board services", "organization": "tri-county-workforce-board"},
            "c": {"name": "College training"},
            "a": {"name": "Alliance visits"},
            "x": {"name": "Chamber lunch"}}
STEPS = [
    ("s1", {"program": "b", "stage": "intake", "what": "Fills in the hiring needs form.", "order": 2}),
    ("s2", {"program": "b", "stage": "first-contact", "what": "Cold call", "order": 1}),
    ("s3", {"program": "b", "stage": "follow-through", "what": "90-day call", "order": 3}),
    ("s4", {"program": "c", "stage": "intake", "what": "fills in hiring-needs form", "order": 1}),
    ("s5", {"program": "c", "stage": "service", "what": "Custom course"}),          # no order: after numbered
    ("s6", {"program": "c", "stage": "service", "what": "Plant visit", "order": 2}),
    ("s7", {"program": "a", "stage": "first-contact", "what": "Plant visit", "order": 1}),
    ("s8", {"program": "a", "stage": "referral", "what": "Intro to the college", "order": 1}),  # duplicate 1
    ("s9", {"program": "gone", "stage": "service", "what": "Wage subsidy", "order": 1}),        # deleted program
    ("s10", {"program": "", "stage": "service", "what": "Orphan"}),                            # no program
    ("s11", {"program": "c", "stage": "", "what": "Stageless", "order": 3}),                  # no stage
]


@pytest.fixture
def journey() -> J.Journey:
    return J.build_journey(PROGRAMS, STEPS, STAGES)


# -- measures, computed by hand --------------------------------------------------------------------
def test_each_program_has_its_steps_in_order(journey):
    steps = {p.name: [s.what for s in p.steps] for p in journey.programs}
    assert steps == {"Board services": ["Cold call", "Fills in the hiring needs form.", "90-day call"],
                     "College training": ["fills in hiring-needs form", "Plant visit", "Custom course"],
                     "Alliance visits": ["Plant visit", "Intro to the college"],
                     "Chamber lunch": []}
    assert [p.organization for p in journey.programs] == ["tri-county-workforce-board", "", "", ""]
    assert len(journey.steps) == 8


def test_combined_view_by_stage_shared_stages_repeats_and_follow_through(journey):
    assert J.stage_programs(journey) == {
        "first-contact": ["Board services", "Alliance visits"], "referral": ["Alliance visits"],
        "intake": ["Board services", "College training"], "service": ["College training"],
        "follow-through": ["Board services"]}
    assert J.shared_stages(journey) == ["first-contact", "intake"]
    found = [(r.text, r.programs, r.stages) for r in J.repeats(journey)]
    assert found == [("Fills in the hiring needs form.", ("Board services", "College training"),
                      ("Intake or assessment",)),
                     ("Plant visit", ("College training", "Alliance visits"), ("Service", "First contact"))]
    assert J.no_follow_through(journey) == ["College training", "Alliance visits"]
    assert J.unmapped(journey) == ["Chamber lunch"]


def test_bad_rows_are_kept_and_named(journey):
    assert [s.row_id for s in journey.orphans] == ["s9", "s10", "s11"]
    assert journey.problems == (
        "Step 'Wage subsidy' (row 9 of the steps) names a program that was deleted; it is kept, and left out of "
        "the map until you pick a program.",
        "Step 'Orphan' (row 10 of the steps) names no program; it is kept, and left out of the map until you "
        "pick one.",
        "Step 'Stageless' (row 11 of the steps) has no stage; it is kept, and left out of the map until you "
        "choose one.",
        "Alliance visits has two or more steps numbered 1 (rows 7 and 8 of the steps); renumber them so the "
        "order is clear.")


def test_programs_spelled_two_ways_are_named_not_merged():
    j = J.build_journey({"p": {"name": "Job Center North"}, "q": {"name": "job center  north."}},
                        [("s", {"program": "q", "stage": "referral", "what": "Referral"})], STAGES)
    assert [p.name for p in j.programs] == ["Job Center North", "job center north."]
    assert j.problems == ("The programs 'Job Center North' and 'job center north.' look like one program listed 2 "
                          "times; both are kept and drawn apart. Merge their steps into one row and delete the "
                          "other if they are one.",)


def test_step_key_ignores_case_punctuation_spaces_and_articles():
    assert J.step_key("Fills in THE  hiring-needs form!") == J.step_key("fills in hiring needs form")
    assert J.step_key("Fills in a form") != J.step_key("Fills in forms")
    assert J.step_key("") == ""


def test_order_numbers_that_are_not_numbers_count_as_blank():
    j = J.build_journey({"p": {"name": "P"}}, [("a", {"program": "p", "stage": "service", "what": "B", "order": "x"}),
                                               ("b", {"program": "p", "stage": "service", "what": "A", "order": 5})],
                        STAGES)
    assert [s.what for s in j.programs[0].steps] == ["A", "B"] and j.problems == ()


# -- specs: found by tag, never by id -------------------------------------------------------------
def test_both_journey_specs_are_found_by_their_tags():
    assert {"journey-programs", "journey-steps"} <= set(KNOWN_TAGS) and "journeys" in REPORT_SECTIONS
    ids = [s.id for s in J.journey_specs()]
    assert "employer-journey" in ids and "jobseeker-journey" in ids and "communication-strategy" not in ids
    for spec_id, module in (("employer-journey", "business-services"), ("jobseeker-journey", "frontline")):
        spec = load_spec(spec_id)
        assert spec.module == module and spec.report.section == "journeys"
        assert J.journey_tables(spec) == ("programs", "steps", STAGES)


def test_a_spec_with_other_table_ids_still_works_and_one_without_tags_is_refused(ws):
    spec = parse_spec({"id": "my-journey", "version": 1, "title": "My journey", "sections": [{
        "id": "s", "title": "S", "questions": [
            {"id": "orgs", "type": "table", "label": "Orgs", "tags": ["journey-programs"],
             "columns": [{"id": "name", "type": "text", "label": "Name"}]},
            {"id": "moves", "type": "table", "label": "Moves", "tags": ["journey-steps"],
             "columns": [{"id": "program", "type": "row", "of": "orgs", "label": "Org"},
                         {"id": "stage", "type": "choice", "label": "Stage",
                          "options": [{"value": "in", "label": "In"}, {"value": "out", "label": "Out"}]},
                         {"id": "what", "type": "text", "label": "What"}]}]}]})
    (org,) = ws.save_rows("my-journey", "orgs", [{"name": "Org A"}])
    ws.save_rows("my-journey", "moves", [{"program": org, "stage": "out", "what": "Leaves"}])
    j = J.read_journey(ws, spec)
    assert j.stages == (("in", "In"), ("out", "Out")) and [s.what for s in j.steps] == ["Leaves"]
    with pytest.raises(SpecError, match="is not a journey map"):
        J.journey_tables(load_spec("step2-aar"))
    with pytest.raises(SpecError, match="is not a journey map"):
        JourneyMapPage(ws, journey="communication-strategy")


def test_communication_strategy_is_a_frontline_spec_with_an_owner_and_rhythm():
    assert "communication-strategy" in available_specs()
    spec = load_spec("communication-strategy")
    (table,) = [q for q in spec.questions() if q.type == "table"]
    types = {c.id: c.type for c in table.columns}
    assert spec.module == "frontline" and registry.page_place("communication-strategy")[0] == "frontline"
    assert types == {"message": "text", "audience": "text", "channel": "text", "owner": "person",
                     "rhythm": "choice", "next": "date"}
    assert [o.value for o in spec.options_for(next(c for c in table.columns if c.id == "rhythm"))][:3] == [
        "weekly", "monthly", "quarterly"]


# -- the diagram, its text alternative and table --------------------------------------------------
def test_alt_text_and_tables_say_what_the_diagram_shows(journey):
    alt = V.journey_alt_text(journey, "Employer journeys")
    assert "one lane per program (4)" in alt and "8 steps" in alt
    assert "First contact (Board services, Alliance visits); Intake or assessment (Board services, " \
           "College training)." in alt
    assert '"Fills in the hiring needs form." (Board services, College training)' in alt
    assert "No follow-through: College training, Alliance visits." in alt
    table = V.journey_table_html(journey)
    assert table.count("<tr>") == 5 and "(offered by 2 programs)" in table
    page = V.journey_html(journey, "Employer journeys")
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "Asked by 2 programs:" in text and "Listed with no step yet: Chamber lunch." in text
    assert "names a program that was deleted" in text
    assert f'alt="{html.escape(alt, quote=True)}"' in page


def test_user_text_is_escaped_everywhere():
    j = J.build_journey({"p": {"name": "<script>alert(1)</script>"}},
                        [("s", {"program": "p", "stage": "service", "what": "<b>x</b>", "strong": "<i>",
                                "weak": "a & b"})], STAGES)
    page = V.journey_html(j, "T <t>")
    assert "<script>" not in page and "<b>x</b>" not in page and "&lt;i&gt;" in page and "a &amp; b" in page


def test_labels_stay_inside_the_drawn_figure(journey):
    fig = V.journey_figure(journey, "Employer journeys")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    width = ax.get_window_extent(renderer).width / len(STAGES)
    assert len(ax.texts) == 8  # one label per placed step, each inside its stage column
    for t in ax.texts:
        ext = t.get_window_extent(renderer)
        column = int(t.get_position()[0])
        left = ax.get_window_extent(renderer).x0 + column * width
        assert left <= ext.x0 and ext.x1 <= left + width, t.get_text()
    box = fig.get_tightbbox(renderer)  # what figure_html saves (bbox_inches="tight"), in inches
    for t in ax.get_yticklabels() + ax.get_xticklabels() + [ax.title, ax.xaxis.label, ax.yaxis.label]:
        ext = t.get_window_extent(renderer)
        assert ext.x0 >= box.x0 * fig.dpi - 1 and ext.y1 <= box.y1 * fig.dpi + 1, t.get_text()
    assert ax.get_xlabel() == "Stage of the journey" and ax.get_ylabel() == "Program (one lane each)"
    assert ax.get_title(loc="left") == "Employer journeys"


def test_a_big_map_is_drawn_compact_within_the_budget():
    programs = {f"p{i}": {"name": f"Program {i}"} for i in range(200)}
    steps = [(f"s{n}", {"program": f"p{n % 200}", "stage": STAGES[n % 5][0], "what": f"Step {n % 37}",
                        "order": n // 200}) for n in range(2000)]
    start = time.perf_counter()
    j = J.build_journey(programs, steps, STAGES)
    J.repeats(j)
    page = V.journey_html(j, "Big")
    elapsed = time.perf_counter() - start
    assert len(j.steps) == 2000 and j.problems == ()
    assert "The diagram draws the first 60 programs" in page and page.count("<tr>") == 201
    assert V.journey_figure(j, "Big").axes[0].get_title(loc="left").endswith(
        "The first 60 of 200 programs; the table lists every one")
    assert elapsed < 5  # the 1 s budget is measured by benchmarks/journeys.py; a shared CI box gets slack


def test_an_empty_journey_says_what_to_do():
    j = J.build_journey({}, [], STAGES)
    assert V.journey_html(j, "T") == ("<p>No program has a step yet: add programs, then their steps, to see the "
                                      "journeys side by side.</p>")


# -- the page ---------------------------------------------------------------------------------------
def test_the_page_serves_either_spec_and_redraws_after_a_save(ws):
    page = JourneyMapPage(ws, journey="jobseeker-journey")
    assert page.title == load_spec("jobseeker-journey").title and "No program has a step yet" in page.panel.value
    programs = page.form.fields["programs"]
    ws.save_rows("jobseeker-journey", "programs", [{"name": "Job center"}, {"name": "College"}])
    ids = [r.row_id for r in ws.rows("jobseeker-journey", "programs")]
    ws.save_rows("jobseeker-journey", "steps", [
        {"program": ids[0], "stage": "intake", "what": "Skills test", "order": 1},
        {"program": ids[1], "stage": "intake", "what": "skills test", "order": 1}])
    programs.bind(ws, page.form.key, page.form._field_reported)
    page.refresh()
    text = html.unescape(page.panel.value)
    assert "<img" in page.panel.value and "Asked by 2 programs: <strong>“Skills test”</strong>" in text
    # a program row deleted: its step stays saved and is named, the page does not break
    ws.delete_row("jobseeker-journey", "programs", ids[1])
    page.refresh()
    assert len(ws.rows("jobseeker-journey", "steps")) == 2
    assert "Step 'skills test' (row 2 of the steps) names a program that was deleted" in html.unescape(
        page.panel.value)
    assert "Something went wrong" not in page.status_text()


def test_the_page_is_registered_twice_with_its_module(home):
    assert registry.page_place("employer-journey") == ("business-services", 20)
    assert registry.page_place("jobseeker-journey") == ("frontline", 10)
    assert "sectorkit.apps.journeys" in registry.page_modules()
    employer = registry.open_page("employer-journey", "example", root=home)
    jobseeker = registry.open_page("jobseeker-journey", "example", root=home)
    assert isinstance(employer, JourneyMapPage) and employer.spec.id == "employer-journey"
    assert jobseeker.spec.id == "jobseeker-journey"
    assert "Job Center North employer liaison" in employer.panel.value
    with pytest.raises(SectorkitError):
        registry.open_page("employer-journey", "Not A Region", root=home)


# -- the report section and the example region ---------------------------------------------------
def test_the_report_section_shows_both_journeys_of_the_example(home, monkeypatch):
    with ensure_example_workspace(str(home)) as ws:
        assert section.status(ws) == ("Journey maps", True, "Employer journey map: 5 program(s), 16 step(s); "
                                      "Jobseeker and student journey map: 4 program(s), 14 step(s)")
        employer = J.read_journey(ws, "employer-journey")
        assert employer.problems == ()
        assert J.no_follow_through(employer) == ["Job Center North employer liaison", "Chamber HR roundtable"]
        assert [r.text for r in J.repeats(employer)] == ["Fills in a hiring needs form",
                                                         "Company visit to talk about workforce needs"]
        messages = ws.rows("communication-strategy", "messages")
        assert len(messages) == 4 and messages[0].value["owner"] == "maya-chen"
    shown: list[str] = []
    monkeypatch.setattr(section, "show", shown.append)
    section.journeys("example", str(home))
    page = shown[0]
    assert '<h2 id="journeys-h">Journeys through our programs</h2>' in page
    assert len(re.findall(r'<img [^>]*alt="[^"]*swimlane diagram', page)) == 2
    assert "Not done yet" not in page


def test_the_report_section_says_not_done_for_an_empty_workspace(home, monkeypatch):
    Workspace.open("blank", home).close()
    shown: list[str] = []
    monkeypatch.setattr(section, "show", shown.append)
    section.journeys("blank", str(home))
    assert shown[0].count("Not done yet:</strong> no step is recorded in") == 2
    with Workspace.open("blank", home) as ws:
        assert section.status(ws) == ("Journey maps", False, "no journey is mapped yet")
