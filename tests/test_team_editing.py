"""Team editing on pages: two people's pages of one region, live updates, conflicts, who changed what."""

from __future__ import annotations

import pytest

from sectorkit.apps import live
from sectorkit.apps.form import WorksheetApp
from sectorkit.serve.pages import name_box
from sectorkit.specs import parse_spec
from sectorkit.store.workspace import Workspace

#: every test runs on SQLite and on PostgreSQL (tests/conftest.py ``backend``)
pytestmark = pytest.mark.usefixtures("backend")

SPEC = parse_spec({
    "id": "team-demo", "version": 1, "title": "Team demo", "sections": [
        {"id": "s", "title": "S", "questions": [
            {"id": "footprint", "type": "long_text", "label": "Which counties?"},
            {"id": "stage", "type": "choice", "label": "Stage",
             "options": [{"value": "early", "label": "Early"}, {"value": "late", "label": "Late"}]},
            {"id": "invites", "type": "table", "label": "Invitations", "columns": [
                {"id": "name", "type": "text", "label": "Name"},
                {"id": "role", "type": "text", "label": "Role"}]}]}]})


@pytest.fixture
def pages(home):
    """Ana's and Ben's pages of one region, each on its own workspace connection."""
    wa, wb = Workspace.open("riverbend", home), Workspace.open("riverbend", home)
    wa.author, wb.author = "Ana", "Ben"
    yield WorksheetApp(SPEC, wa), WorksheetApp(SPEC, wb)
    wa.close()
    wb.close()


def test_a_teammates_answer_appears_and_says_who(pages):
    ana, ben = pages
    ana.fields["footprint"].input.value = "Ash and Birch"
    ana.fields["stage"].input.value = "Late"
    assert ben.fields["footprint"].input.value == ""  # not before the page polls
    news = ben.live.poll()
    assert {c.item for c in news} == {"footprint", "stage"}
    assert ben.fields["footprint"].input.value == "Ash and Birch" and ben.fields["stage"].get() == "late"
    assert any(n.startswith("Ana changed \u201cWhich counties?\u201d at") for n in ben.team_notes())
    assert "Ana changed" in ben.team_line.value
    assert ana.live.poll() == []  # its own saves are not news
    # Ben's page saves on top of what it now shows: no conflict
    ben.fields["footprint"].input.value = "Ash, Birch and Cedar"
    assert ben.status_text().startswith("Saved") and ben.workspace.conflicts() == []


def test_a_field_being_typed_in_is_not_overwritten_and_both_versions_are_kept(pages):
    ana, ben = pages
    ana.fields["footprint"].input.value = "start"
    ben.live.poll()
    ben.fields["footprint"].input.value = "start, Ben typing"  # Ben is typing ...
    ana.live.poll()
    children = ana.container.children
    ana.fields["footprint"].input.value = "start, Ana typing"  # ... and so is Ana: her save conflicts
    # the choice appears in the answer's own slot; the page's list of widgets is untouched, so a
    # browser re-creates nothing (the box being typed in keeps its focus and the next keys)
    assert ana.container.children == children
    assert ana.fields["footprint"].input.value == "start, Ana typing"  # kept in her box
    assert ana.status_text().startswith("Not saved yet: Ben changed")
    assert ana.workspace.answers("team-demo")["footprint"] == "start, Ben typing"
    assert len(ana.conflicts.panels) == 1
    kids = list(ana.container.children)  # the choice sits right under the answer being typed in
    slot = ana.conflicts.slot("footprint")
    assert kids.index(slot) == kids.index(ana.fields["footprint"].input) + 1
    assert slot.children == ana.conflicts.panels
    panel = ana.conflicts.panels[0].children[0].value
    assert "start, Ben typing" in panel and "start, Ana typing" in panel
    # Ben's page learns of the second version and shows the same choice; his box is untouched
    ben.live.poll()
    assert ben.fields["footprint"].input.value == "start, Ben typing"
    assert len(ben.conflicts.panels) == 1
    # Ben keeps Ana's version: saved, and both pages show it
    keep_other = ben.conflicts.panels[0].children[1].children[1]
    keep_other.click()
    assert ben.workspace.answers("team-demo")["footprint"] == "start, Ana typing"
    assert ben.fields["footprint"].input.value == "start, Ana typing" and ben.conflicts.panels == ()
    ana.live.poll()
    assert ana.conflicts.panels == () and ana.fields["footprint"].input.value == "start, Ana typing"


def test_a_teammates_change_to_a_field_just_typed_in_becomes_a_choice(pages, monkeypatch):
    ana, ben = pages
    ben.fields["footprint"].input.value = "Ben's text"  # Ben typed a moment ago
    ana.live.poll()
    ana.fields["footprint"].input.value = "Ana's text"  # Ana saw it and changes it
    ben.live.poll()  # Ben is still "typing": his box keeps his text, and a choice appears
    assert ben.fields["footprint"].input.value == "Ben's text"
    assert [c.value for c in ben.workspace.conflicts()] == ["Ben's text"]
    assert len(ben.conflicts.panels) == 1
    # later (not typing), a change simply shows
    monkeypatch.setattr(live, "TYPING_SECONDS", 0.0)
    ben.conflicts.choose(ben.workspace.conflicts()[0], "saved")
    ana.fields["footprint"].input.value = "Ana's second"
    ben.live.poll()
    assert ben.fields["footprint"].input.value == "Ana's second"


def test_a_page_whose_browser_left_raises_no_conflict_with_its_reloaded_page(home):
    """A reload leaves the old page's kernel running for a while; the person goes on typing on the new page.

    The old page last typed in the answer a moment ago, so it would take the new page's saves for a
    teammate's change over a field being typed in and keep its old text as a second version. Told
    that its browser left (sectorkit's template sends ``{"event": "leaving"}``), it takes no part.
    """
    wa, wb = Workspace.open("riverbend", home), Workspace.open("riverbend", home)
    try:
        old, new = WorksheetApp(SPEC, wa), None
        old.fields["footprint"].input.value = "Ash and Birch"
        old.container._handle_custom_msg({"event": "leaving"}, [])  # what the browser sends as it unloads
        assert old.live.stopped
        new = WorksheetApp(SPEC, wb)
        assert new.fields["footprint"].input.value == "Ash and Birch"
        new.fields["footprint"].input.value = "Ash, Birch and Cedar"
        assert old.live.poll() == []
        assert wa.conflicts() == [] and wb.answers("team-demo")["footprint"] == "Ash, Birch and Cedar"
        # other messages from a page change nothing
        new.container._handle_custom_msg({"event": "something else"}, [])
        new.container._handle_custom_msg("not a dict", [])
        assert not new.live.stopped
    finally:
        wa.close()
        wb.close()


def test_table_rows_follow_a_teammate_and_a_row_being_edited_is_kept(pages, monkeypatch):
    ana, ben = pages
    table_a, table_b = ana.fields["invites"], ben.fields["invites"]
    table_a.add_row()
    table_a.cell(0, "name").value = "Jo Park"
    table_a.add_row()
    ben.live.poll()
    assert [v.value["name"] for v in table_b.views] == ["Jo Park", None]
    # Ben sets row 1's role; Ana, whose page has not caught up, sets it too: her version is kept apart
    table_b.cell(0, "role").value = "CEO"
    table_a.cell(0, "role").value = "Owner"
    assert ana.status_text().startswith("Not saved yet: Ben changed")
    assert table_a.cell(0, "role").value == "Owner"  # still in her box
    conflict = ana.workspace.conflicts()[0]
    assert conflict.row_id == table_a.views[0].row_id and conflict.value == {"name": "Jo Park", "role": "Owner"}
    ben.live.poll()
    assert len(ben.conflicts.panels) == 1 and table_b.cell(0, "role").value == "CEO"
    ben.conflicts.choose(conflict, "kept")  # Ben keeps Ana's
    assert [r.value for r in ben.workspace.rows("team-demo", "invites")][0] == {"name": "Jo Park", "role": "Owner"}
    assert table_b.cell(0, "role").value == "Owner"
    ana.live.poll()
    assert ana.conflicts.panels == () and table_a.views[0].base == {"name": "Jo Park", "role": "Owner"}
    # Ana deletes row 2: it goes from Ben's page
    table_a._delete(table_a.views[1])
    ben.live.poll()
    assert len(table_b.views) == 1
    # Ben edits row 1 after Ana deleted it (his page not caught up): his row is kept as a version
    table_a._delete(table_a.views[0])
    monkeypatch.setattr(live, "TYPING_SECONDS", 0.0)
    table_b.cell(0, "name").value = "Jo Park-Lee"
    assert ben.status_text().startswith("Not saved yet: Ana deleted a row of \u201cInvitations\u201d")
    assert ben.workspace.rows("team-demo", "invites") == []
    ana.live.poll()
    ana.conflicts.choose(ana.workspace.conflicts()[0], "kept")  # Ana brings Ben's row back
    assert [r.value["name"] for r in ana.workspace.rows("team-demo", "invites")] == ["Jo Park-Lee"]
    assert [v.value["name"] for v in table_a.views] == ["Jo Park-Lee"]


def test_history_names_who_changed_an_answer(pages):
    ana, ben = pages
    ana.fields["footprint"].input.value = "Ash"
    ben.live.poll()
    ben.fields["footprint"].input.value = "Ash & <Birch>"
    ana.history_pick.value = "footprint"
    shown = ana.history_view.value
    assert shown.index("Ben") < shown.index("Ana")  # newest first
    assert "&lt;Birch&gt;" in shown and "<Birch>" not in shown


def test_the_name_box_sets_who_saves(home):
    with Workspace.open("riverbend", home) as ws:
        box = name_box(ws)
        assert "sk-remember" in box._dom_classes and "sk-key-name" in box._dom_classes
        box.value = "  Dana <script>  "
        assert ws.author == "Dana <script>"
        ws.save_answer("w", "q", "x")
        assert ws.answer_by("w", "q")[1] == "Dana <script>"
        box.value = ""
        assert ws.author is None


def test_a_hub_user_is_who_saves(home, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    with Workspace.open("riverbend", home) as ws:
        app = WorksheetApp(SPEC, ws)
        app.fields["footprint"].input.value = "x"
        assert ws.answer_by("team-demo", "footprint")[1] == "ana"


def test_a_failing_poll_is_a_message_not_a_traceback(pages, monkeypatch):
    ana, ben = pages
    ana.fields["footprint"].input.value = "x"

    def broken(*a, **k):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(ben, "_show_stored", broken)
    ben.live.poll()
    assert "Something went wrong while showing your team's changes" in ben.status_text()
