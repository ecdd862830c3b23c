"""Steps 2 to 5 as one flow on the library, for a fresh region, with hand-computed expectations.

Universe of Connections -> the LMI Review's shortlist -> readiness ratings -> the ranked shortlist ->
the geographic footprint (figures equal to ``region_measures`` on the same counties) -> the
invitation list pre-filled from the Universe (funnel counts after setting statuses) -> the influence
map with its paths -> the launch record -> action teams pre-filled from its priorities -> deliverables
flagged against an injected "today" -> the region report's sections show each step's content.

Every step goes through the public page or domain function a team's work goes through (the pages
are driven as a user would, by setting their widgets), and reads what the step before saved.
"""

from __future__ import annotations

import html
import re
import sys
from datetime import date

import pytest

from sectorkit import reports as report
from sectorkit import universe as nw
from sectorkit.apps.action_teams import ActionTeamsApp
from sectorkit.apps.footprint import FootprintApp
from sectorkit.apps.influence import InfluenceMapApp
from sectorkit.apps.launch_capture import LaunchCaptureApp
from sectorkit.apps.lmi_review import LMIReviewApp
from sectorkit.apps.prepare_launch import PrepareLaunchPage
from sectorkit.apps.readiness import ReadinessApp
from sectorkit.lmi import footprint as F
from sectorkit.lmi import readiness as R
from sectorkit.lmi import screen as S
from sectorkit.lmi.measures import Region, region_measures
from sectorkit.lmi.sources import CHOICE_KIND, SETTINGS_KEY, SETTINGS_KIND, load_source, source_data
from sectorkit.partnership import deliverable_flags, read_summary, team_board
from sectorkit.reports.sections import sectors as sectors_section
from sectorkit.store.workspace import Workspace
from sectorkit.universe import influence as inf
from sectorkit.views.partnership import executive_summary_html
from tests.support.seed import small_universe

REGION = "lakeside"
#: the day the launch plan's notice and the deliverables are judged against (never the clock)
PLAN_DAY = date(2027, 2, 1)
REVIEW_DAY = date(2027, 5, 20)
FOOTPRINT = ("99001", "99003", "99005")  # 99007 is taken out


def shortlist_in_the_lmi_review(ws: Workspace) -> None:
    """Shortlist Manufacturing and Health care, and mark Transportation *Maybe*, on the LMI Review page."""
    review = LMIReviewApp(ws)
    rows = {row.code: row for row in review.rows}
    assert {"31-33", "62", "48-49"} <= set(rows), sorted(rows)
    rows["31-33"].decision.value = "Shortlist"
    rows["31-33"].note.value = "Plants share the same skill gaps"
    rows["62"].decision.value = "Shortlist"
    rows["48-49"].decision.value = "Maybe"
    saved = ws.records(CHOICE_KIND)
    assert {c: saved[c]["decision"] for c in saved} == {"31-33": "shortlist", "62": "shortlist", "48-49": "maybe"}
    assert saved["31-33"]["naics_digits"] == 2 and saved["31-33"]["note"] == "Plants share the same skill gaps"
    assert SETTINGS_KEY not in ws.records(SETTINGS_KIND)  # untouched settings: every later step uses the defaults


def rate_readiness(ws: Workspace) -> ReadinessApp:
    """Rate both shortlisted sectors on the readiness page; check the ranking by hand."""
    app = ReadinessApp(ws)
    assert sorted(app.rows) == ["31-33", "62"]  # "Maybe" is not on the shortlist
    manufacturing, health = app.rows["31-33"], app.rows["62"]
    for factor, rating in (("growing", 4), ("shared-fate", 3), ("champions", 4), ("existing-table", 1)):
        manufacturing.rating[factor].value = rating
    manufacturing.evidence["champions"].value = "Ada Stone will sign the invitation"
    for factor, rating in (("growing", 3), ("champions", 2), ("shared-challenges", 3)):
        health.rating[factor].value = rating
    assert ws.records(R.READINESS_KIND)["31-33"]["ratings"] == {"growing": 4, "shared-fate": 3, "champions": 4,
                                                                 "existing-table": 1}
    ranked = app.ranked()
    # by hand: (4 + 3 + 4 + 1) / 4 = 3.0 and (3 + 2 + 3) / 3 = 2.67
    assert ranked[["industry_code", "rank", "readiness", "n_rated"]].values.tolist() == [
        ["31-33", 1, 3.0, 4], ["62", 2, 2.67, 3]]
    why = ranked.set_index("industry_code").loc["31-33", "why"]
    assert why.startswith("Readiness 3.00 of 4 on 4 of 6 factors. Strongest: growing, not contracting (4); "
                          "champions we can name (4). Weakest: an existing table or association (1). Data: ")
    return app


def draw_footprint(ws: Workspace) -> dict:
    """Take 99007 out on the footprint page; its figures are region_measures' and the county files' sums."""
    app = FootprintApp(ws)
    assert [v for _, v in app.sector.options] == ["31-33", "62"]  # the shortlist
    assert sorted(c for c, r in app.rows.items() if r.inside.value) == ["99001", "99003", "99005", "99007"]
    app.rows["99007"].inside.value = False
    app.rows["99007"].reason.value = "Hires from the next valley"
    assert F.saved_counties(ws)[0] == FOOTPRINT
    fig = app.last_figures
    data, _ = source_data("example")
    expect = region_measures(data, Region.from_counties(list(FOOTPRINT)), 2020, 2023, digits=2,
                             own_code=5).set_index("industry_code").loc["31-33"]
    assert (fig["employment"], fig["establishments"], fig["lq"]) == (
        expect["employment"], expect["establishments"], expect["lq"])
    # by hand from the county files: the three counties' 2023 private manufacturing rows, summed
    rows = data[(data["year"] == 2023) & (data["own_code"] == 5) & (data["industry_code"] == "31-33")
                & data["area_fips"].isin(FOOTPRINT)]
    assert len(rows) == 3 and not rows["suppressed"].any()
    assert fig["employment"] == rows["employment"].sum() and fig["establishments"] == rows["establishments"].sum()
    # the illustrative files hold 343 establishments there: at least the 25 * 4 = 100 invitations a launch needs
    assert fig["establishments"] == 343 and F.size_check(fig["establishments"])[0] == "big enough"
    assert "Big enough: 343 establishments" in app.figures.value
    # the footprint is the region's county set: the LMI Review and the readiness figures now use it
    assert LMIReviewApp(ws).region.counties == FOOTPRINT
    figures = ReadinessApp(ws).figures.set_index("industry_code")
    assert figures.loc["31-33", "employment"] == fig["employment"]
    return fig


def plan_the_launch(ws: Workspace) -> PrepareLaunchPage:
    """Pre-fill the invitation list from the Universe, set statuses, and count the funnel by hand."""
    page = PrepareLaunchPage(ws, today=PLAN_DAY)
    fields = page.form.fields
    fields["target-sector"].input.value = "Manufacturing"
    fields["launch-date"].input.value = "2027-03-25"
    fields["target-attendance"].input.value = "12"
    assert page.prefill() == 3
    rows = fields["invitations"].get()
    # every Universe business whose sector names manufacturing, sorted by name; not the hospital
    assert [(r["business"], r["decision-maker"], r["size"], r["status"]) for r in rows] == [
        ("anchor-machining", "Ada Stone, Owner", "small", "to-invite"),
        ("bayview-plastics", "Cleo Ward, President", "large", "to-invite"),  # the C-suite person, not Ben Hale
        ("cove-robotics", "Dan Price", "medium", "to-invite")]
    assert page.prefill() == 0  # a second click adds nothing
    assert "already on the list" in page.status_text()

    table = fields["invitations"]
    table.add_row()  # a business not in the Universe, typed
    table.cell(3, "business-name").value = "Harbor Tool"
    for n, (status, invited_on) in enumerate((("yes", "2027-02-01"), ("invited", "2027-03-10"),
                                              ("no", "2027-02-01"), ("maybe", "2027-02-15"))):
        table.cell(n, "status").value = status
        table.cell(n, "invited-on").value = invited_on
    table.cell(0, "follow-up").value = "Maya Chen"
    for label, value in (("convener-candidates", {"organization": "lakeside-workforce-board",
                                                  "decision": "convener"}),
                         ("co-chairs", {"person": "ada-stone", "status": "agreed"}),
                         ("co-chairs", {"person": "maya-chen", "status": "agreed"})):
        field = fields[label]
        field.add_row()
        for column, v in value.items():
            field.cell(len(field.get()) - 1, column).value = v

    plan = page.plan()
    f = plan.funnel
    # by hand: 4 listed, all 4 invited (yes, invited, no, maybe), 1 yes; 12 in the room needs 12 * 4 = 48
    assert (f.listed, f.to_invite, f.invited, f.followed_up, f.yes, f.no, f.maybe, f.attended) == (
        4, 0, 4, 0, 1, 1, 1, 0)
    assert (f.target, f.needed, f.expected) == (12, 48, 1)
    assert f.warnings[0].startswith("The list has 4 businesses; about 48 invitations are needed to see 12")
    # Bayview's invitation (row 2) went out on 10 March, 15 days before the launch: under four weeks
    assert (plan.timing.late_rows, plan.timing.days_left) == ([2], 52)
    assert plan.convener.chosen == ("Lakeside Workforce Board",)
    assert plan.co_chairs.agreed == ("Ada Stone (Anchor Machining)",)  # Maya works at a support partner
    assert any(w.startswith("Row 2: Maya Chen works at Lakeside Workforce Board") for w in plan.co_chairs.warnings)
    assert dict(plan.mix["size"]) == {"small (under 50)": 1, "large (250 or more)": 1, "medium (50 to 249)": 1,
                                      "not given": 1}
    shown = page.summary_text()
    assert "about 48 invitations" in shown
    reloaded = PrepareLaunchPage(ws, today=PLAN_DAY).plan().funnel  # everything typed was saved
    assert (reloaded.listed, reloaded.invited, reloaded.yes) == (4, 4, 1)
    return page


def map_influence(ws: Workspace) -> dict[str, inf.Route]:
    """Add a decision-maker on the influence page (picked from the Universe), two more by the domain API."""
    app = InfluenceMapApp(ws)
    app.person.value = "cleo-ward"  # fills the name and the organization
    assert (app.name.value, app.organization.value) == ("Cleo Ward", "Bayview Plastics")
    app.influence.value, app.interest.value = "high", "medium"
    app.next_move.value = "Ask Ben to introduce Tom before the launch"
    app.owner.value = "Tom Becker"
    app.due.value = "3/1/2027"
    app.save()
    assert app.status_text().startswith("Saved at")
    inf.save_decision_maker(ws, inf.DecisionMaker.create(name="Ada Stone", organization="Anchor Machining",
                                                         person="ada-stone", influence="medium", interest="high",
                                                         next_move="Ask her to co-chair", owner="Maya Chen"))
    inf.save_decision_maker(ws, inf.DecisionMaker.create(name="Pat Lee", role="Mayor", organization="City of Lakeside",
                                                         influence="high", interest="low"))
    dms = inf.load_decision_makers(ws)
    assert sorted(dms) == ["ada-stone", "cleo-ward", "pat-lee"] and dms["cleo-ward"].due == "2027-03-01"
    G = nw.build_graph(nw.load_universe(ws))
    routes = inf.routes_for(dms.values(), G)
    # Tom (team) knows Ben well; Ben is acquainted with Cleo: two steps. Maya (team) knows Ada well: one step.
    assert (routes["cleo-ward"].status, routes["cleo-ward"].paths) == (
        "indirect", [("tom-becker", "ben-hale", "cleo-ward")])
    assert inf.route_words(routes["cleo-ward"], G) == (
        "Tom Becker (Lakeside College) knows Ben Hale (Bayview Plastics) well; Ben Hale is acquainted with Cleo Ward.")
    assert inf.route_words(routes["ada-stone"], G) == "Maya Chen (Lakeside Workforce Board) knows Ada Stone well."
    assert routes["pat-lee"].status == "none"
    assert inf.flags(dms["pat-lee"], routes["pat-lee"], today=PLAN_DAY) == [
        "no next move yet", "high influence and no known path"]
    assert inf.flags(dms["cleo-ward"], routes["cleo-ward"], today=date(2027, 3, 2)) == [
        "the next move was due 2027-03-01"]
    assert inf.summary(dms.values(), routes) == {"decision_makers": 3, "team": 0, "direct": 1, "indirect": 1,
                                                 "none": 1, "owned_moves": 2}
    return routes


PRIORITIES = ("Grow our own talent", "Supplier network", "Broadband for plants")


def capture_the_launch(ws: Workspace):
    """Write the launch record on its page: three priorities, three champions (one names no listed priority)."""
    page = LaunchCaptureApp(ws)
    form = page.form
    form.fields["meeting-date"].input.value = "2027-03-25"
    form.fields["companies-present"].input.value = "14"
    priorities = form.fields["priorities"]
    for n, name in enumerate(PRIORITIES):
        priorities.add_row()
        priorities.cell(n, "priority").value = name
    priorities.cell(0, "requirements").value = "Plant tours for teachers; paid summer jobs"
    champions = form.fields["champions"]
    for n, (name, company, priority) in enumerate((("Ada Stone", "Anchor Machining", " grow OUR own talent"),
                                                    ("Cleo Ward", "Bayview Plastics", "Supplier network"),
                                                    ("Dan Price", "Cove Robotics", "Transit"))):
        champions.add_row()
        for column, value in (("name", name), ("company", company), ("priority", priority)):
            champions.cell(n, column).value = value
    summary = read_summary(ws)
    assert summary.companies == 14 and summary.meeting_date == date(2027, 3, 25)
    assert [(p.name, [c.name for c in p.champions]) for p in summary.priorities] == [
        ("Grow our own talent", ["Ada Stone"]), ("Supplier network", ["Cleo Ward"]), ("Broadband for plants", [])]
    assert [c.name for c in summary.unassigned] == ["Dan Price"]
    assert summary.problems == (
        "No champion has signed up for 'Broadband for plants' yet.",
        "Champion Dan Price (row 3) names a priority that is not in the list: 'Transit'.")
    assert "3 priorities, 3 champions" in page.panel.value
    doc = executive_summary_html(summary, made_on=date(2027, 3, 26))
    assert "Grow our own talent" in doc and "Ada Stone" in doc and "Plant tours for teachers" in doc
    return summary


DELIVERABLES = [  # team, deliverable, owner, start, due, status
    ("Grow our own talent", "Two plant tours for teachers", "Ada Stone", "2027-04-01", "2027-05-15", "under-way"),
    ("Supplier network", "List of shared suppliers", "", "2027-04-10", "2027-06-30", "not-started"),
    ("Grow our own talent", "Job profiles", "Tom Becker", "2027-06-01", "2027-05-30", "done"),
    ("Supplier network", "Supplier survey", "Cleo Ward", "2027-04-01", "2027-05-01", "done"),
]


def form_action_teams(ws: Workspace) -> ActionTeamsApp:
    """"Start from the launch priorities", then the deliverables; flags against REVIEW_DAY by hand."""
    page = ActionTeamsApp(ws, today=REVIEW_DAY)
    page.start_from_launch()
    teams = [r.value for r in ws.rows("action-teams", "teams")]
    assert [(t["team"], t["priority"], t["members"]) for t in teams] == [
        ("Grow our own talent", "Grow our own talent", "Ada Stone (Anchor Machining)"),
        ("Supplier network", "Supplier network", "Cleo Ward (Bayview Plastics)"),
        ("Broadband for plants", "Broadband for plants", None)]
    assert page.status_text().startswith("Saved at") and "3 teams added" in page.status_text()
    page.start_from_launch()
    assert page.status_text() == "Every launch priority already has a team; nothing was added."
    assert len(ws.rows("action-teams", "teams")) == 3

    page.form.fields["teams"].cell(0, "lead").value = "Ada Stone"
    table = page.form.fields["deliverables"]
    columns = ("team", "deliverable", "owner", "start", "due", "status")
    for n, row in enumerate(DELIVERABLES):
        table.add_row()
        for column, value in zip(columns, row):
            if value:
                table.cell(n, column).value = value
    page.form.fields["next-quarterly"].input.value = "2027-08-15"
    saved = [r.value for r in ws.rows("action-teams", "deliverables")]
    assert [(r["team"], r["due"], r["status"]) for r in saved] == [(t, d, s) for t, _, _, _, d, s in DELIVERABLES]
    # by hand on 20 May 2027: row 1 was due 15 May (5 days ago) and is under way; row 2 has no owner;
    # row 3 is due before it starts (done, so not overdue); row 4 was due 1 May but is done
    flags = deliverable_flags(saved, REVIEW_DAY, team_names=[t["team"] for t in teams])
    assert [(f.kind, f.row) for f in flags] == [("overdue", 1), ("unowned", 2), ("dates", 3)]
    assert flags[0].message == ("Row 1: 'Two plant tours for teachers' was due on 2027-05-15, 5 days ago, "
                                "and is not done (Under way).")
    board = team_board(teams, saved, REVIEW_DAY)
    assert [(b.team, b.deliverables, b.overdue, b.unowned) for b in board] == [
        ("Grow our own talent", 2, 1, 0), ("Supplier network", 2, 0, 1), ("Broadband for plants", 0, 0, 0)]
    assert "5 days ago" in page.panel.value and "has no owner" in page.panel.value
    return page


def report_sections(home, monkeypatch, today: date) -> dict[str, str]:
    """Every registered report section for the region, rendered as the template calls it: id -> HTML."""
    shown: dict[str, str] = {}
    for section in report.SECTIONS.values():
        module = sys.modules[section.render.__module__]
        monkeypatch.setattr(module, "show", lambda markup, _id=section.id: shown.__setitem__(_id, markup))
    report.header(REGION, str(home), 2020, 2023)
    report.sectors(REGION, str(home), 2020, 2023)
    report.readiness(REGION, str(home), 2020, 2023)
    report.footprint(REGION, str(home), 2020, 2023)
    report.universe(REGION, str(home))
    report.launch_plan(REGION, str(home))
    report.influence(REGION, str(home))
    report.launch_capture(REGION, str(home))
    report.action_team_tracker(REGION, str(home), today=today)
    report.assessments(REGION, str(home))
    report.reviews(REGION, str(home))
    report.action_teams(REGION, str(home))
    report.outreach(REGION, str(home))
    report.journeys(REGION, str(home))
    report.frontline(REGION, str(home))
    report.pathways(REGION, str(home))
    report.metrics(REGION, str(home))
    assert set(shown) == set(report.SECTIONS)
    return shown


def text_of(markup: str) -> str:
    """The words of an HTML fragment (tags dropped, entities decoded, spaces collapsed)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def test_steps_2_to_5_flow_for_a_fresh_region(tmp_path, monkeypatch):
    home = tmp_path / "home"
    with Workspace.open(REGION, home, name="Lakeside") as ws:
        small_universe(ws)
        shortlist_in_the_lmi_review(ws)
        rate_readiness(ws)
        fig = draw_footprint(ws)
        plan_the_launch(ws)
        map_influence(ws)
        capture_the_launch(ws)
        form_action_teams(ws)

    shown = report_sections(home, monkeypatch, today=REVIEW_DAY)
    words = {k: text_of(v) for k, v in shown.items()}
    # Step 2: the footprint's counties and figures, the top-ranked sector, the sectors' reasons on the footprint
    footprint = words["footprint"]
    for code in FOOTPRINT:
        assert re.search(rf"\b{code} In no reason given", footprint), code
    assert re.search(r"\b99007 Out Hires from the next valley", footprint), footprint
    assert "Manufacturing (NAICS 31-33) in the 3 counties in" in footprint
    assert f"Establishments: {fig['establishments']:,.0f}" in footprint
    assert f"Jobs in 2023: {fig['employment']:,.0f}" in footprint
    readiness = words["readiness"]
    assert re.search(r"1 Manufacturing \(NAICS 31-33\) 3\.00 \(4 of 6 factors\) " + f"{fig['employment']:,.0f}",
                     readiness), readiness
    assert "2 Health care and social assistance (NAICS 62) 2.67 (3 of 6 factors)" in readiness
    assert "Ada Stone will sign the invitation" in readiness
    assert "The data's reasons are for the team's geographic footprint: 3 counties (99001, 99003, 99005)." in (
        words["sectors"])
    # Step 3: the funnel and the convener; Steps 3 and 5: a decision-maker and the path to them
    launch = words["launch-plan"]
    assert "Lakeside Workforce Board" in launch and "Ada Stone (Anchor Machining)" in launch
    assert "about 48 invitations" in launch
    assert "4 on the invitation list, 4 invited, 1 said yes" in words["standing"]
    influence = words["influence"]
    assert "Cleo Ward" in influence and "Tom Becker (Lakeside College) knows Ben Hale" in influence
    assert "High influence, no known path yet: Pat Lee (Mayor, City of Lakeside)." in influence
    # Step 4: the priorities in the leaders' words, the champions
    capture = words["launch-capture"]
    assert all(p in capture for p in PRIORITIES) and "Plant tours for teachers; paid summer jobs" in capture
    assert "Cleo Ward" in capture and "Bayview Plastics" in capture
    # Step 5: the teams, the deliverables and their flags on the review day
    tracker = words["action-team-tracker"]
    assert "Deliverables by team on 2027-05-20" in tracker
    assert "'Two plant tours for teachers' was due on 2027-05-15, 5 days ago" in tracker
    assert "'List of shared suppliers' has no owner" in tracker
    assert "is due on 2027-05-30, before it starts on 2027-06-01" in tracker
    assert "2027-08-15" in tracker
    assert "Two plant tours for teachers" in words["action-teams"]
    assert "<script" not in "".join(shown.values())


def test_sectors_section_uses_the_saved_footprint(tmp_path, monkeypatch):
    """The sectors section's reasons are the screen's on the footprint's counties once one is saved."""
    home = tmp_path / "home"
    settings = {"source": "example", "folder": "", "counties": "", "crosswalk": "", "start_year": 2020,
                "end_year": 2023, "own_code": 5, "naics_digits": 2, "weights": dict(S.DEFAULT_WEIGHTS),
                "saved_at": "2026-01-01T00:00:00+00:00"}
    with Workspace.open("riverside", home) as ws:
        ws.put_record(SETTINGS_KIND, SETTINGS_KEY, settings)
        ws.put_record(CHOICE_KIND, "31-33", {"decision": "shortlist", "title": "Manufacturing", "naics_digits": 2})
    shown: list[str] = []
    monkeypatch.setattr(sectors_section, "show", shown.append)

    def why(counties: str) -> str:
        data, region = load_source("example", counties=counties)
        screen = S.build_sector_screen(data, region, 2020, 2023, digits=2, own_code=5,
                                       weights=settings["weights"])
        return html.escape(screen.set_index("industry_code").loc["31-33", "why"])

    whole, small = why(""), why("99003, 99007")
    assert whole != small  # the two county sets tell different stories: the test can tell them apart
    sectors_section.sectors("riverside", str(home))
    assert whole in shown[-1] and "The data's reasons are for Riverbend Valley (4 illustrative counties)." in (
        shown[-1])
    with Workspace.open("riverside", home) as ws:
        ws.put_record(F.FOOTPRINT_KIND, F.FOOTPRINT_KEY, {**F.Footprint(
            {"99003": (True, ""), "99007": (True, ""), "99001": (False, "far")}, "31-33").to_record(),
            "saved_at": "2026-02-01T00:00:00+00:00"})
    sectors_section.sectors("riverside", str(home))
    assert small in shown[-1] and whole not in shown[-1]
    assert "The data's reasons are for the team's geographic footprint: 2 counties (99003, 99007)." in shown[-1]


@pytest.mark.parametrize(("settings", "footprint", "at", "expected"), [
    ({"source": "example"}, ("99001",), None, "99001"),
    ({"source": "folder", "counties": ""}, ("39049",), None, "39049"),
    ({"source": "folder", "counties": "39041", "saved_at": "2026-03-01"}, ("39049",), "2026-02-01", "39041"),
    ({"source": "folder", "counties": "39041", "saved_at": "2026-01-01"}, ("39049", "39089"), "2026-02-01",
     "39049, 39089"),
])
def test_report_picks_the_counties_as_the_lmi_review_does(settings, footprint, at, expected):
    assert sectors_section.region_counties(settings, footprint, at) == expected
