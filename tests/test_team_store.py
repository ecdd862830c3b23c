"""Team editing in the store: who and when on every save, the change feed, conflicts kept, not lost."""

from __future__ import annotations

import json

import pytest

from sectorkit.core.errors import EditConflict, WorkspaceError
from sectorkit.store.workspace import Workspace

#: every test runs on SQLite and on PostgreSQL (tests/conftest.py ``backend``)
pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def pair(home):
    """Two open workspace objects of one region (two people's pages), Ana's and Ben's."""
    ana = Workspace.open("riverbend", home)
    ben = Workspace.open("riverbend", home)
    ana.author, ben.author = "Ana", "Ben"
    yield ana, ben
    ana.close()
    ben.close()


def test_every_save_records_who_and_when(pair):
    ana, ben = pair
    ana.save_answer("step2-aar", "footprint", "Ash and Birch")
    ben.save_row("prepare-launch", "invitations", "r1", {"name": "Jo"})
    ana.put_record("sector_choice", "31-33", {"decision": "shortlist"})
    value, by, at = ben.answer_by("step2-aar", "footprint")
    assert (value, by) == ("Ash and Birch", "Ana") and at
    data = ana.to_dict()["tables"]
    assert [r["saved_by"] for r in data["table_row"]] == ["Ben"]
    assert [r["saved_by"] for r in data["record"]] == ["Ana"]
    assert [r["saved_by"] for r in data["answer_log"]] == ["Ana"]


def test_history_keeps_each_persons_versions_apart(pair):
    ana, ben = pair
    ana.save_answer("w", "q", "one")
    ana.save_answer("w", "q", "one, two")  # typing: coalesced
    ben.save_answer("w", "q", "Ben's")  # another person: a new entry even within a minute
    ana.save_answer("w", "q", "Ana again")
    assert [(by, v) for _, by, v in ana.history_by("w", "q")] == [("Ana", "one, two"), ("Ben", "Ben's"),
                                                                  ("Ana", "Ana again")]


def test_the_change_feed_names_others_changes_in_order(pair):
    ana, ben = pair
    start = ben.latest_change()
    ana.save_answer("w", "q", "x")
    ana.save_row("w", "t", "r1", {"a": 1})
    ana.delete_row("w", "t", "r1")
    ben.save_answer("w", "q2", "y")
    ana.delete_record("k", "missing")
    seen = ben.changes_since(start, others_only=True)
    assert [(c.kind, c.item, c.row_id, c.saved_by) for c in seen] == [
        ("answer", "q", None, "Ana"), ("row", "t", "r1", "Ana"), ("row", "t", "r1", "Ana"),
        ("record", "missing", None, "Ana")]
    assert [c.seq for c in seen] == sorted(c.seq for c in seen)
    assert ben.changes_since(ben.latest_change()) == []


def test_two_saves_from_one_starting_value_keep_both(pair):
    ana, ben = pair
    ana.save_answer("w", "q", "start")
    ben.save_answer("w", "q", "Ben's version", base="start")
    with pytest.raises(EditConflict) as caught:
        ana.save_answer("w", "q", "Ana's version", base="start")
    assert (caught.value.theirs, caught.value.theirs_by, caught.value.yours) == ("Ben's version", "Ben",
                                                                                  "Ana's version")
    assert ana.answers("w")["q"] == "Ben's version"  # nothing overwritten
    kept = ben.conflicts("w")
    assert [(c.value, c.base, c.saved_by) for c in kept] == [("Ana's version", "start", "Ana")]
    # Ana keeps typing: her kept version follows, still one conflict
    with pytest.raises(EditConflict):
        ana.save_answer("w", "q", "Ana's version, longer", base="start")
    assert [c.value for c in ben.conflicts("w")] == ["Ana's version, longer"]
    # Ben chooses Ana's: saved, settled for everyone, and the history has all three
    ben.resolve_conflict(kept[0].id, keep="kept")
    assert ana.answers("w")["q"] == "Ana's version, longer" and ana.conflicts() == []
    assert [v for _, _, v in ana.history_by("w", "q")][-2:] == ["Ben's version", "Ana's version, longer"]
    with pytest.raises(WorkspaceError, match="already made"):
        ana.resolve_conflict(kept[0].id, keep="saved")


def test_keeping_the_saved_version_changes_nothing_but_the_conflict(pair):
    ana, ben = pair
    ben.save_answer("w", "q", "saved")
    with pytest.raises(EditConflict):
        ana.save_answer("w", "q", "mine", base=None)
    ana.resolve_conflict(ana.conflicts()[0].id, keep="saved")
    assert ben.answers("w")["q"] == "saved" and ben.conflicts() == []


def test_an_unchanged_base_saves_and_empty_values_count_as_no_answer(pair):
    ana, ben = pair
    ana.save_answer("w", "q", "a", base=None)
    ana.save_answer("w", "q", "ab", base="a")
    ana.save_answer("w", "empty", "", base=None)
    ana.save_answer("w", "empty", "x", base="")
    assert ana.answers("w") == {"q": "ab", "empty": "x"} and ana.conflicts() == []


def test_a_save_equal_to_what_a_teammate_saved_meanwhile_is_no_conflict(pair):
    """Two pages that reached the same text (a reloaded page and the one it replaced) agree: nothing to choose."""
    ana, ben = pair
    ana.save_answer("w", "q", "start")
    ben.save_answer("w", "q", "start, more", base="start")
    ana.save_answer("w", "q", "start, more", base="start")  # started from "start" too, and got to the same
    rid = ana.save_row("w", "t", None, {"name": "Jo", "role": ""})
    ben.save_row("w", "t", rid, {"name": "Jo", "role": "CEO"}, base={"name": "Jo", "role": ""})
    ana.save_row("w", "t", rid, {"name": "Jo", "role": "CEO"}, base={"name": "Jo", "role": ""})
    assert ana.conflicts() == [] and ben.answers("w")["q"] == "start, more"
    with pytest.raises(EditConflict):  # a different value still conflicts
        ana.save_answer("w", "q", "start, other", base="start")


def test_rows_conflict_when_a_teammate_changed_or_deleted_them(pair):
    ana, ben = pair
    rid = ana.save_row("w", "t", None, {"name": "Jo", "role": ""})
    ben.save_row("w", "t", rid, {"name": "Jo", "role": "CEO"}, base={"name": "Jo", "role": ""})
    with pytest.raises(EditConflict) as caught:
        ana.save_row("w", "t", rid, {"name": "Jo Smith", "role": ""}, base={"name": "Jo", "role": ""})
    assert caught.value.theirs == {"name": "Jo", "role": "CEO"} and caught.value.row_id == rid
    assert [r.value for r in ben.rows("w", "t")] == [{"name": "Jo", "role": "CEO"}]
    ben.delete_row("w", "t", rid)
    with pytest.raises(EditConflict) as deleted:
        ana.save_row("w", "t", rid, {"name": "Jo S", "role": ""}, base={"name": "Jo", "role": "CEO"})
    assert deleted.value.theirs is None
    conflict = next(c for c in ben.conflicts("w") if c.value == {"name": "Jo S", "role": ""})
    ben.resolve_conflict(conflict.id, keep="kept")  # the deleted row comes back with Ana's version
    assert [r.value for r in ana.rows("w", "t")] == [{"name": "Jo S", "role": ""}]
    assert ana.conflicts("w") == []


def test_a_conflict_saves_nothing_of_a_multi_answer_save(pair):
    ana, ben = pair
    ben.save_answer("w", "a", "Ben")
    with pytest.raises(EditConflict):
        ana.save_answers("w", {"a": "Ana", "b": "Ana b"}, base={"a": None})
    assert ana.answers("w") == {"a": "Ben"}


def test_who_and_conflicts_travel_in_export_and_import(pair, home, tmp_path):
    ana, ben = pair
    ana.save_answer("w", "q", "x")
    with pytest.raises(EditConflict):
        ben.save_answer("w", "q", "y", base=None)
    path = ana.export_json(tmp_path / "out.json")
    from sectorkit.store.workspace import import_json

    with import_json(path, home, region="copy") as copy:
        assert copy.answer_by("w", "q")[:2] == ("x", "Ana")
        assert [(c.value, c.saved_by) for c in copy.conflicts()] == [("y", "Ben")]
    assert "region_access" not in json.loads(path.read_text())["tables"]
