"""Step 5's action teams: the flow from the launch record to teams (no duplicates) to deliverables with
overdue, unowned and date flags (hand-computed, with a fixed "today"), the page without a browser,
bad input, and the report's tracker section."""

from __future__ import annotations

from datetime import date

from sectorkit.apps.action_teams import ActionTeamsApp
from sectorkit.partnership import deliverable_flags, read_summary, team_board, teams_from_priorities
from sectorkit.reports.sections import action_teams as promised
from sectorkit.reports.sections import action_teams_tracker as tracker
from sectorkit.store.workspace import Workspace

TODAY = date(2027, 6, 1)
HOSTILE = "<b>bold</b> & \"q\""


def seed_launch(ws: Workspace) -> None:
    ws.save_rows("launch-capture", "priorities", [
        {"priority": "Grow our own"}, {"priority": "Shared apprenticeship"}, {"priority": ""}])
    ws.save_rows("launch-capture", "champions", [
        {"name": "Ana Petrov", "company": "Ridgeline", "priority": "grow our own"},
        {"name": "Lin Zhou", "priority": "Grow our own"},
        {"name": "Joe Tanaka", "company": "Corvid", "priority": "Shared apprenticeship"}])


def type_deliverable(page: ActionTeamsApp, row: dict) -> None:
    table = page.form.fields["deliverables"]
    table.add_row()
    n = len(table.views) - 1
    for column, value in row.items():
        table.cell(n, column).value = value


DELIVERABLES = [
    # overdue: due 2027-05-30 < today, under way
    {"team": "Grow our own", "deliverable": "Two plant tours", "owner": "Ana Petrov",
     "start": "2027-04-01", "due": "2027-05-30", "status": "under-way"},
    # done before today: not overdue; no owner: unowned
    {"team": "Grow our own", "deliverable": "Job profiles", "owner": "",
     "start": "2027-04-15", "due": "2027-05-15", "status": "done"},
    # due today: not overdue (strictly before); due before start: dates
    {"team": "Shared apprenticeship", "deliverable": "Draft curriculum", "owner": "Joe Tanaka",
     "start": "2027-06-10", "due": "2027-06-01", "status": "not-started"},
    # no status, due long ago: overdue with "no status"; stuck is not a status here
    {"team": "Transit", "deliverable": "Bus pass pilot", "owner": "Sam", "due": "2027-01-01"},
    # stuck, due later
    {"team": "Shared apprenticeship", "deliverable": "Sign employers", "owner": "Joe Tanaka",
     "due": "2027-07-31", "status": "stuck"},
]


def test_flags_by_hand_with_a_fixed_today():
    flags = deliverable_flags(DELIVERABLES, TODAY, team_names=["Grow our own", "Shared apprenticeship"])
    assert [(f.kind, f.row) for f in flags] == [
        ("overdue", 1), ("unowned", 2), ("dates", 3), ("overdue", 4), ("unknown-team", 4), ("stuck", 5)]
    by_kind = {(f.kind, f.row): f.message for f in flags}
    assert by_kind[("overdue", 1)] == ("Row 1: 'Two plant tours' was due on 2027-05-30, 2 days ago, "
                                       "and is not done (Under way).")
    assert by_kind[("overdue", 4)] == ("Row 4: 'Bus pass pilot' was due on 2027-01-01, 151 days ago, "
                                       "and is not done (no status).")
    assert by_kind[("dates", 3)] == ("Row 3: 'Draft curriculum' is due on 2027-06-01, before it starts on "
                                     "2027-06-10. Check the two dates; both are saved as typed.")
    # the day after, row 3 is overdue too; a day before the first due date nothing is overdue
    assert [f.row for f in deliverable_flags(DELIVERABLES, date(2027, 6, 2)) if f.kind == "overdue"] == [1, 3, 4]
    assert [f.row for f in deliverable_flags(DELIVERABLES, date(2026, 12, 31)) if f.kind == "overdue"] == []
    board = team_board([{"team": "Grow our own", "lead": "Ana"}, {"team": "Shared apprenticeship"}],
                       DELIVERABLES, TODAY)
    assert [(t.team, t.deliverables, t.overdue, t.unowned, t.counts["done"], t.counts["stuck"], t.counts[""])
            for t in board] == [("Grow our own", 2, 1, 1, 1, 0, 0), ("Shared apprenticeship", 2, 0, 0, 0, 1, 0),
                                ("(no team named)", 1, 1, 0, 0, 0, 1)]


def test_flow_launch_record_to_teams_to_flagged_deliverables(home):
    with Workspace.open("riverbend", home) as ws:
        seed_launch(ws)
        page = ActionTeamsApp(ws, today=TODAY)
        page.start_from_launch()
        assert not page.status_is_error
        assert "2 teams added from the launch priorities (Grow our own, Shared apprenticeship)" in page.status_text()
        teams = [r.value for r in ws.rows("action-teams", "teams")]
        assert [(t["team"], t["priority"], t["members"]) for t in teams] == [
            ("Grow our own", "Grow our own", "Ana Petrov (Ridgeline)\nLin Zhou"),
            ("Shared apprenticeship", "Shared apprenticeship", "Joe Tanaka (Corvid)")]
        table = page.form.fields["teams"]
        assert [table.cell(i, "team").value for i in range(2)] == ["Grow our own", "Shared apprenticeship"]
        # the team edits a pre-filled row; a second click adds nothing and keeps the edit
        table.cell(1, "lead").value = "Joe Tanaka"
        table.cell(0, "team").value = "Grow our own team"
        page.start_from_launch()
        assert page.status_text() == "Every launch priority already has a team; nothing was added."
        assert len(ws.rows("action-teams", "teams")) == 2
        assert ws.rows("action-teams", "teams")[1].value["lead"] == "Joe Tanaka"
        # a new launch priority later: only it is added
        ws.save_rows("launch-capture", "priorities", [{"priority": "Truck parking"}])
        page.start_from_launch()
        assert [r.value["team"] for r in ws.rows("action-teams", "teams")] == [
            "Grow our own team", "Shared apprenticeship", "Truck parking"]

        for row in DELIVERABLES[:3]:
            type_deliverable(page, {**row, "team": row["team"].replace("Grow our own", "Grow our own team")})
        saved = [r.value for r in ws.rows("action-teams", "deliverables")]
        assert [(d["start"], d["due"], d["status"]) for d in saved] == [
            ("2027-04-01", "2027-05-30", "under-way"), ("2027-04-15", "2027-05-15", "done"),
            ("2027-06-10", "2027-06-01", "not-started")]  # due before start: saved as typed, nothing lost
        panel = page.panel.value
        assert "3 deliverables: 1 overdue, 1 without an owner, 0 stuck." in panel
        assert "&#x27;Two plant tours&#x27; was due on 2027-05-30, 2 days ago" in panel
        assert "&#x27;Job profiles&#x27; has no owner" in panel
        assert "&#x27;Draft curriculum&#x27; is due on 2027-06-01, before it starts on 2027-06-10" in panel
        assert "No date is set for the next full-partnership quarterly meeting." in panel
        page.form.fields["deliverables"].cell(1, "owner").value = "Lin Zhou"
        page.form.fields["deliverables"].cell(0, "status").value = "done"
        page.form.fields["next-quarterly"].input.value = "2027-07-15"
        assert "3 deliverables: 0 overdue, 0 without an owner, 0 stuck." in page.panel.value
        assert "quarterly" not in page.panel.value


def test_bad_input_gets_a_message_and_nothing_is_lost(home):
    with Workspace.open("riverbend", home) as ws:
        page = ActionTeamsApp(ws, today=TODAY)
        page.start_from_launch()
        assert page.status_is_error and page.status_text() == (
            "Nothing added: the launch record (Step 4) has no priorities yet; write them there first.")
        type_deliverable(page, {"team": "Tours", "deliverable": "Book buses", "due": "31/31/2027"})
        form = page.form
        assert form.status_is_error and "'Due date' is not a date: '31/31/2027'" in form.status_text()
        assert form.fields["deliverables"].cell(0, "due").value == "31/31/2027"  # kept in the box
        assert ws.rows("action-teams", "deliverables")[0].value["deliverable"] == "Book buses"
        form.fields["next-quarterly"].input.value = "next spring"
        assert "The quarterly meeting date &#x27;next spring&#x27; is not a date" in page.panel.value
        assert ws.answers("action-teams")["next-quarterly"] == "next spring"
        form.fields["next-quarterly"].input.value = "2027-01-10"
        assert "2027-01-10 has passed: set the next one." in page.panel.value
        # a teams cell that could not be saved blocks the pre-fill, so it is not wiped by the reload
        seed_launch(ws)
        teams = form.fields["teams"]
        teams.add_row()
        teams.cell(0, "team").value = "x" * 130
        page.start_from_launch()
        assert page.status_is_error and "fix it first" in page.status_text()
        assert teams.cell(0, "team").value == "x" * 130


def test_prefill_keeps_team_names_within_the_column_limit():
    from sectorkit.partnership import Priority

    (row,) = teams_from_priorities([Priority("p" * 200)], [])
    assert len(row["team"]) == 120


def test_tracker_section_by_tags_with_a_fixed_today(home, monkeypatch):
    with Workspace.open("riverbend", home) as ws:
        assert tracker.status(ws, TODAY) == ("Action team deliverables", False, "none tracked yet")
        ws.save_rows("action-teams", "teams", [{"team": f"Grow {HOSTILE}", "lead": f"Ana {HOSTILE}"},
                                               {"team": "Shared apprenticeship"}])
        ws.save_rows("action-teams", "deliverables",
                     [{**d, "team": d["team"].replace("Grow our own", f"Grow {HOSTILE}")} for d in DELIVERABLES])
        ws.save_answer("action-teams", "next-quarterly", "2027-07-15")
        assert tracker.status(ws, TODAY) == ("Action team deliverables", True,
                                             "5 deliverable(s), 2 overdue, 1 without an owner")
    shown: list[str] = []
    monkeypatch.setattr(tracker, "show", shown.append)
    tracker.action_team_tracker("riverbend", str(home), today=TODAY)
    (out,) = shown
    assert "<b>bold</b>" not in out and "Grow &lt;b&gt;bold&lt;/b&gt; &amp; &quot;q&quot;" in out
    assert "Deliverables by team on 2027-06-01" in out
    assert "<th scope='row'>(no team named)</th>" in out
    assert "Bus pass pilot" in out and "151 days ago" in out and "is stuck" in out
    assert "Date of the next full-partnership quarterly meeting: <strong>2027-07-15</strong>" in out
    # the rows themselves are in "What the action teams promised", picked up by the tables' tags
    monkeypatch.setattr(promised, "show", shown.append)
    promised.action_teams("riverbend", str(home))
    assert "Action teams and their 60-day deliverables: What each team committed to deliver" in shown[1]
    assert "Action teams and their 60-day deliverables: One row per action team" in shown[1]


def test_tracker_section_on_an_empty_region(home, monkeypatch):
    Workspace.open("empty", home).close()
    shown: list[str] = []
    monkeypatch.setattr(tracker, "show", shown.append)
    tracker.action_team_tracker("empty", str(home), today=TODAY)
    assert "Not done yet:</strong> no action team or deliverable is written down yet." in shown[0]


def test_read_summary_feeds_the_prefill(home):
    with Workspace.open("riverbend", home) as ws:
        seed_launch(ws)
        s = read_summary(ws)
        assert [p.name for p in s.priorities] == ["Grow our own", "Shared apprenticeship"]
        assert teams_from_priorities(s.priorities, [{"team": "", "priority": "GROW OUR OWN"}])[0]["team"] == \
            "Shared apprenticeship"
