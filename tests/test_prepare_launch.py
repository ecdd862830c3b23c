"""Step 3, prepare to launch: the launch rules (funnel, notice, mix, duplicates, co-chairs, convener),
pre-fill from the Universe, the page driven without a browser, and the report section.

Expectations are counted by hand from the rows written out in each test.
"""

from __future__ import annotations

from collections import Counter

import nbformat
import papermill as pm
import pytest

from sectorkit import reports as report
from sectorkit import universe as nw
from sectorkit.apps import registry
from sectorkit.apps.prepare_launch import SPEC_ID, PrepareLaunchPage
from sectorkit.core.paths import REPO_ROOT
from sectorkit.lmi.sources import CHOICE_KIND
from sectorkit.specs import load_spec
from sectorkit.specs.models import REPORT_SECTIONS
from sectorkit.store.workspace import Workspace
from sectorkit.universe import launch as L
from tests.support.seed import example_without_answers, fill_report_workspace

HOSTILE = "<script>alert('x')</script> & \"q\""


def statuses(**counts: int) -> list[dict]:
    rows = []
    for status, n in counts.items():
        rows += [{"status": None if status == "blank" else status.replace("_", "-")} for _ in range(n)]
    return rows


# -- the funnel against the sizing rule ----------------------------------------------------------
def test_funnel_counts_each_stage_and_checks_the_four_to_one_rule():
    rows = statuses(to_invite=3, blank=1, invited=4, followed_up=2, yes=3, no=2, maybe=1, attended=1)  # 17 rows
    f = L.funnel(rows, target=12)
    # sent = invited 4 + followed up 2 + yes 3 + no 2 + maybe 1 + attended 1 = 13; yes counts attended
    assert (f.listed, f.to_invite, f.invited, f.followed_up, f.yes, f.no, f.maybe, f.attended) == (
        17, 4, 13, 2, 4, 2, 1, 1)
    assert (f.target, f.needed, f.expected) == (12, 48, 4)  # 12 x 4; 17 // 4
    assert len(f.warnings) == 1
    assert "The list has 17 businesses; about 48 invitations are needed to see 12" in f.warnings[0]
    assert "Add about 31 more" in f.warnings[0]


@pytest.mark.parametrize("target, goal", [(None, 25), ("", 25), ("lots", 25), (0, 25), (-3, 25), (30, 30)])
def test_funnel_target_defaults_to_25(target, goal):
    f = L.funnel([], target=target)
    assert (f.target, f.needed, f.listed, f.expected) == (goal, goal * 4, 0, 0)


def test_funnel_meets_the_rule_with_100_invited_for_25():
    f = L.funnel(statuses(invited=100), target=25)
    assert (f.needed, f.expected, f.warnings) == (100, 25, ())


def test_a_target_below_twelve_is_flagged():
    f = L.funnel(statuses(invited=48), target=10)  # 48 // 4 = 12 in the room: only the target is low
    assert f.warnings == ("A target of 10 is below the 12 businesses a launch needs in the room; aim for at "
                          "least 12 (25 to 30 works best).",)
    f = L.funnel(statuses(to_invite=40), target=10)  # enough for 10 (40 = 10 x 4), too few for any launch
    assert f.expected == 10 and f.warnings[1] == ("At about one leader in four, a list of 40 would bring about 10: "
                                                  "fewer than the 12 a launch needs.")


# -- notice ----------------------------------------------------------------------------------------
def test_invitations_with_less_than_four_weeks_notice_are_flagged():
    rows = [
        {"status": "invited", "invited-on": "2026-03-13"},  # 28 days before 10 April: enough
        {"status": "followed-up", "invited-on": "3/14/2026"},  # 27 days: late
        {"status": "yes", "invited-on": None},  # sent, no date
        {"status": "to-invite", "invited-on": "2026-04-01"},  # not sent: its date is not checked
        {"status": "maybe", "invited-on": "2026-04-02"},  # 8 days: late
    ]
    t = L.timing(rows, "2026-04-10", today="2026-03-20")
    assert t.launch.isoformat() == "2026-04-10" and t.days_left == 21
    assert (t.late_rows, t.undated_rows) == ([2, 5], [3])
    assert t.warnings == (
        "2 invitations went out less than four weeks before the launch (rows 2 and 5): call those businesses as well.",
        "The launch is 21 days away: the 1 business still to invite would get less than four weeks’ notice. Send "
        "today and follow up by phone.",
    )
    assert t.notes == ("1 invited row has no 'Invited on' date (row 3), so the notice is not checked there.",)


def test_notice_with_time_to_spare_and_without_a_date():
    assert L.timing([{"status": "to-invite"}], "2026-04-10", today="2026-03-01").warnings == ()
    assert L.timing([], "", today="2026-03-01").notes == (
        "No launch date yet, so the notice the invitations give is not checked.",)
    assert "'31/31/2026' is not a date" in L.timing([], "31/31/2026").notes[0]
    assert L.timing([], "2026-01-05", today="2026-02-01").notes == ("The launch date, 2026-01-05, has passed.",)


# -- mix and duplicates -----------------------------------------------------------------------------
def test_mix_by_sub_sector_and_size():
    rows = [{"sub-sector": "Machining", "size": "small"}, {"sub-sector": "machining", "size": "small"},
            {"sub-sector": "Plastics", "size": "large"}, {"sub-sector": "", "size": None},
            {"sub-sector": "Food", "size": "medium"}, {"sub-sector": "Food", "size": "small"}]
    m = L.mix(rows)
    assert m["sub-sector"] == Counter({"Machining": 2, "Food": 2, "Plastics": 1, "not given": 1})
    assert m["size"] == Counter({"small (under 50)": 3, "large (250 or more)": 1, "medium (50 to 249)": 1,
                                 "not given": 1})
    assert L.mix_warnings(rows) == []
    assert L.mix_warnings([{"size": "large"}] * 6) == ["No small or medium firms on the list yet: invite "
                                                        "businesses of every size."]


def test_a_business_listed_twice_is_flagged_by_id_and_by_name():
    orgs = {"apex-precision": {"name": "Apex Precision"}}
    rows = [{"business": "apex-precision"}, {"business-name": "Oak Mill"}, {"business-name": " APEX  precision"},
            {"business": "apex-precision"}, {"business-name": "oak mill"}, {"business-name": "Pine Works"}, {}]
    found = L.duplicates(rows, orgs)
    assert [(d.business, d.rows) for d in found] == [("Apex Precision", (1, 3, 4)), ("Oak Mill", (2, 5))]
    assert found[0].message() == ("Apex Precision is on the list 3 times (rows 1, 3 and 4). Every row is kept; "
                                  "delete the ones you do not need.")


# -- convener and co-chairs ------------------------------------------------------------------------
def example_records() -> tuple[dict, dict]:
    u = nw.example_universe()
    orgs = {k: vars(o) for k, o in u.organizations.items()}
    people = {k: vars(p) for k, p in u.people.items()}
    return orgs, people


def test_convener_decision_and_its_checks():
    orgs, _ = example_records()
    assert L.convener([], orgs).warnings[0].startswith("No convener chosen yet")
    pair = [{"organization": "valley-economic-alliance", "decision": "co-convener", "credibility": "yes"},
            {"organization": "valley-community-college", "decision": "co-convener", "staff-time": "no",
             "neutrality": "no"},
            {"organization": "chamber-of-commerce", "decision": "support"}]
    c = L.convener(pair, orgs)
    assert c.chosen == ("Valley Economic Alliance", "Valley Community College") and c.candidates == 3
    assert c.warnings == ("Valley Community College is rated No on staff time and neutrality: talk it through "
                          "before it convenes.",)
    three = pair[:2] + [{"organization": "chamber-of-commerce", "decision": "convener"}]
    assert L.convener(three, orgs).warnings[0] == ("3 organizations are marked to convene: choose one, or a pair of "
                                                   "co-conveners.")


def test_co_chairs_must_be_business_leaders_and_at_least_two():
    orgs, people = example_records()
    rows = [
        {"person": "grace-kim", "status": "agreed"},  # CEO, Apex Precision (a business)
        {"person": "maya-chen", "status": "agreed"},  # Tri-County Workforce Board: a support partner
        {"name": "Dana Ruiz", "company": "", "status": "asked"},  # no company
        {"name": "Jo Lind", "company": "chamber of commerce", "status": "agreed"},  # a partner, typed
        {"name": "Lee Mills", "company": "Mills Foods", "status": "agreed"},  # a business not in the Universe
        {"person": "nobody-now", "status": "agreed"},  # deleted from the Universe
    ]
    c = L.co_chairs(rows, orgs, people)
    assert c.agreed == ("Grace Kim (Apex Precision)", "Lee Mills (Mills Foods)")
    assert c.warnings == (
        "Row 2: Maya Chen works at Tri-County Workforce Board, a support partner, not a business. Co-chairs are "
        "senior business leaders; keep Maya Chen on the support team.",
        "Row 3: Dana Ruiz has no company: add it, so the team can see they lead a business.",
        "Row 4: Jo Lind's organization, Chamber of Commerce, is a support partner, not a business. Co-chairs are "
        "senior business leaders.",
        "Row 6: the leader chosen is no longer in the Universe of Connections.",
    )
    one = L.co_chairs(rows[:2], orgs, people)
    assert one.warnings[0] == ("1 business co-chair agreed so far: the launch needs at least two (three or four "
                               "is better).")


def test_venue_prefers_a_business_site():
    assert L.venue_warning("business") is None
    assert "business site" in L.venue_warning("partner") and "No place chosen" in L.venue_warning(None)


# -- pre-fill from the Universe ---------------------------------------------------------------------
def small_universe(ws: Workspace) -> None:
    org, person = nw.Organization.create, nw.Person.create
    orgs = [org(name="Zenith Tool", kind="business", sector="Advanced manufacturing", size="small"),
            org(name="Apex Precision", kind="business", sector="advanced manufacturing", size="medium"),
            org(name="Birch Plastics", kind="business", sector="plastics manufacturing", size="large"),
            org(name="Valley Clinic", kind="business", sector="health care", size="small"),
            org(name="County Board", kind="partner", system="workforce")]
    for o in orgs:
        nw.save_organization(ws, o)
    for p in [person(name="Hal Staff", organization="apex-precision", title="HR manager"),
              person(name="Ann Boss", organization="apex-precision", title="President", c_suite=True),
              person(name="Bo Birch", organization="birch-plastics"),
              person(name="Maya Board", organization="county-board", title="Director")]:
        nw.save_person(ws, p)


def test_prefill_rows_from_records():
    orgs = {"a": {"name": "Apex", "kind": "business", "sector": "Food processing", "size": "tiny"},
            "b": {"name": "Birch", "kind": "business", "sector": "food", "size": "large"},
            "c": {"name": "Clinic", "kind": "business", "sector": "health"},
            "p": {"name": "Partner", "kind": "partner", "sector": "food"}}
    people = {"x": {"name": "Xu", "organization": "b", "title": ""}}
    new = L.prefill_rows([{"business-name": "apex"}], orgs, people, ["Food"])
    assert new == [{"business": "b", "business-name": None, "decision-maker": "Xu", "sub-sector": None,
                    "size": "large", "follow-up": None, "status": "to-invite", "invited-on": None}]
    assert L.prefill_rows([], orgs, people, [""]) == []


def test_prefill_button_adds_the_sectors_businesses_once(home):
    ws = Workspace.open("prefill-region", home)
    small_universe(ws)
    page = PrepareLaunchPage(ws, today="2026-03-01")
    page.prefill_button.click()
    assert page.status_text().startswith("Nothing added: name the sector in section 3")
    assert ws.rows(SPEC_ID, "invitations") == []

    page.form.fields["target-sector"].input.value = "Manufacturing"
    page.prefill_button.click()
    rows = [r.value for r in ws.rows(SPEC_ID, "invitations")]
    assert [(r["business"], r["decision-maker"], r["size"], r["status"]) for r in rows] == [
        ("apex-precision", "Ann Boss, President", "medium", "to-invite"),  # the C-suite person, not HR
        ("birch-plastics", "Bo Birch", "large", "to-invite"),
        ("zenith-tool", None, "small", "to-invite"),  # nobody listed there
    ]
    assert "added 3 businesses in Manufacturing from the Universe: Apex Precision, Birch Plastics, Zenith Tool" in (
        page.status_text())
    assert len(page.form.fields["invitations"].views) == 3
    assert "On the list 3" in " ".join(page.summary_text().split())

    page.prefill_button.click()  # a second click adds nothing
    assert len(ws.rows(SPEC_ID, "invitations")) == 3
    assert page.status_text() == ("Nothing to add: every business the Universe lists in Manufacturing is already "
                                  "on the list.")
    page.form.fields["target-sector"].input.value = "Retail"
    page.prefill_button.click()
    assert "lists no business in Retail" in page.status_text()
    ws.close()


def test_prefill_falls_back_on_the_lmi_shortlist(home):
    ws = Workspace.open("shortlist-region", home)
    small_universe(ws)
    page = PrepareLaunchPage(ws)
    assert page.prefill() == 0 and page.status_text().startswith("Nothing added: name the sector")
    ws.put_record(CHOICE_KIND, "62", {"decision": "shortlist", "title": "Health Care and Social Assistance"})
    ws.put_record(CHOICE_KIND, "31-33", {"decision": "maybe", "title": "Manufacturing"})  # not shortlisted
    assert page.prefill() == 1  # the NAICS title contains the business's "health care"
    assert [r.value["business"] for r in ws.rows(SPEC_ID, "invitations")] == ["valley-clinic"]
    ws.close()


# -- the page, driven without a browser --------------------------------------------------------------
def test_page_is_registered_and_opens_from_the_registry(home):
    assert SPEC_ID in registry.custom_page_ids()
    example_without_answers(home).close()
    page = registry.open_page(SPEC_ID, "example", root=home)
    assert isinstance(page, PrepareLaunchPage)
    assert "Getting ready for the launch" in page.header.value and "Illustrative example region" in page.header.value
    assert "Pre-fill from the Universe" == page.prefill_button.description
    assert page.status.value == "" and page.status_text() == "Answers save as you type."


def test_bad_input_gets_a_clear_message_and_nothing_is_lost(home):
    example_without_answers(home).close()
    page = registry.open_page(SPEC_ID, "example", root=home)  # the example region holds the example Universe
    ws = page.workspace
    chairs = page.form.fields["co-chairs"]
    chairs.add_row()
    chairs.cell(0, "person").value = "maya-chen"  # a workforce board staffer
    chairs.cell(0, "status").value = "agreed"
    assert "Check: Row 1: Maya Chen works at Tri-County Workforce Board, a support partner" in page.status_text()
    assert ws.rows(SPEC_ID, "co-chairs")[0].value["person"] == "maya-chen"  # kept

    invites = page.form.fields["invitations"]
    for name in ("Oak <Mill>", "Pine Works", "oak <mill>"):
        invites.add_row()
        invites.cell(len(invites.views) - 1, "business-name").value = name
    assert "Check: Oak <Mill> is on the list 2 times (rows 1 and 3)" in page.status_text()
    assert [r.value["business-name"] for r in ws.rows(SPEC_ID, "invitations")] == ["Oak <Mill>", "Pine Works",
                                                                                     "oak <mill>"]
    assert "Oak &lt;Mill&gt; is on the list 2 times" in page.summary.value and "<Mill>" not in page.summary.value

    invites.cell(1, "invited-on").value = "31/31/2026"  # not a date: named, not saved, still in the box
    assert "'Invited on' is not a date" in page.status_text()
    assert invites.cell(1, "invited-on").value == "31/31/2026"
    ws.close()


def test_summary_recomputes_as_rows_change_and_survives_a_reload(home):
    ws = Workspace.open("summary-region", home)
    page = PrepareLaunchPage(ws, today="2026-03-20")
    form = page.form
    form.fields["launch-date"].input.value = "2026-04-10"
    form.fields["target-attendance"].input.value = "12"
    form.fields["venue-kind"].set("partner")  # the radio labelled "A partner's or public building"
    invites = form.fields["invitations"]
    for n, (status, sent) in enumerate([("yes", "2026-03-01"), ("invited", "2026-03-16"), ("to-invite", "")]):
        invites.add_row()
        invites.cell(n, "business-name").value = f"Firm {n + 1}"
        invites.cell(n, "status").value = status
        invites.cell(n, "invited-on").value = sent
    plan = page.plan()
    assert (plan.funnel.listed, plan.funnel.invited, plan.funnel.yes, plan.funnel.needed) == (3, 2, 1, 48)
    assert plan.timing.late_rows == [2] and plan.timing.days_left == 21
    text = " ".join(page.summary_text().split())
    assert "Said yes 1" in text and "Days to the launch: 21" in text
    assert "1 invitation went out less than four weeks before the launch (row 2)" in text
    assert "partner's or public building" in text

    invites.cell(1, "invited-on").value = "2026-03-10"  # 31 days ahead: no longer late
    assert "went out less than four weeks" not in page.summary_text()

    again = PrepareLaunchPage(Workspace.open("summary-region", home), today="2026-03-20")
    assert [r["business-name"] for r in again.form.answers()["invitations"]] == ["Firm 1", "Firm 2", "Firm 3"]
    assert again.summary.value == page.summary.value
    again.workspace.close()
    ws.close()


# -- the spec and the report section -----------------------------------------------------------------
def test_the_spec_declares_every_question_the_rules_read():
    spec = load_spec(SPEC_ID)
    ids = {q.id for q in spec.questions()}
    assert set(L.QUESTION_IDS) <= ids
    assert spec.report.section == "launch-plan" and spec.module == "step-3"
    status = next(c for c in spec.question(L.Q_INVITATIONS).columns if c.id == "status")
    assert [o.value for o in status.options] == ["to-invite", *L.SENT]
    size = next(c for c in spec.question(L.Q_INVITATIONS).columns if c.id == "size")
    assert [o.value for o in size.options] == list(nw.SIZES)


def test_report_section_shows_the_plan_escaped(home, monkeypatch, capsys):
    shown: list[str] = []
    monkeypatch.setattr("sectorkit.reports.sections.launch_plan.show", shown.append)
    assert "launch-plan" in REPORT_SECTIONS and "launch-plan" in report.SECTIONS
    with Workspace.open("empty-region", home) as ws:  # nothing entered yet
        assert report.SECTIONS["launch-plan"].status(ws) == ("Launch plan (Step 3)", False, "not started yet")
    report.launch_plan("empty-region", str(home))
    assert "Not done yet:" in shown[-1]
    with Workspace.open("report-region", home) as ws:  # the report seed fills this worksheet too
        fill_report_workspace(ws)
        assert report.SECTIONS["launch-plan"].status(ws)[1] is True
        # start this worksheet over (the seed's Universe stays), so the counts below are this test's own
        for q in load_spec(SPEC_ID).questions():
            if q.type == "table":
                for row in ws.rows(SPEC_ID, q.id):
                    ws.delete_row(SPEC_ID, q.id, row.row_id)
        ws.save_answers(SPEC_ID, {q.id: None for q in load_spec(SPEC_ID).questions() if q.type != "table"})

    with Workspace.open("report-region", home) as ws:
        ws.save_answers(SPEC_ID, {"venue": HOSTILE, "launch-date": "2026-04-10", "target-attendance": 12})
        ws.save_rows(SPEC_ID, "invitations", [
            {"business": "apex-precision", "status": "yes", "invited-on": "2026-03-01"},
            {"business-name": "apex precision", "status": "invited", "invited-on": "2026-03-30"}])
        ws.save_rows(SPEC_ID, "convener-candidates", [{"organization": "valley-economic-alliance",
                                                       "decision": "convener"}])
        assert report.SECTIONS["launch-plan"].status(ws) == (
            "Launch plan (Step 3)", True,
            "2 on the invitation list, 2 invited, 1 said yes (aim: 12 in the room, about 48 invitations)")
    report.launch_plan("report-region", str(home))
    out = shown[-1]
    assert out.startswith('<section class="sk-section" id="launch-plan"')
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "Valley Economic Alliance" in out and "Apex Precision is on the list 2 times" in out
    assert "1 invitation went out less than four weeks before the launch (row 2)" in out


def test_step3_module_embeds_the_page(tmp_path, monkeypatch):
    path = REPO_ROOT / "modules" / "03_prepare_to_launch.ipynb"
    with Workspace.open("module-region", tmp_path / "home") as ws:
        ws.save_answer(SPEC_ID, "venue", "Apex Precision <plant 2>")
    monkeypatch.setenv("SECTORKIT_HOME", str(tmp_path / "home"))
    out = tmp_path / path.name
    pm.execute_notebook(str(path), str(out), parameters={"region": "module-region"}, cwd=str(path.parent),
                        progress_bar=False, kernel_name="python3", log_output=False)
    nb = nbformat.read(out, as_version=4)
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"].values()
    values = [m["state"].get("value") for m in state] + [m["state"].get("description") for m in state]
    assert "Pre-fill from the Universe" in values and "Apex Precision <plant 2>" in values
    assert any("Where the launch plan stands" in str(v) for v in values)
