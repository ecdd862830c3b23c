"""The regional workspace: slugs, transactions, crash safety, migrations, export/import.

Tests taking ``backend`` run on SQLite and on PostgreSQL (``tests/conftest.py``); ``sqlite_only``
ones are about the SQLite file itself. PostgreSQL-only behaviour: ``tests/test_store_postgres.py``.
"""

import json
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from sectorkit.core.errors import InvalidRegionId, WorkspaceError
from sectorkit.store.workspace import (
    DB_FILENAME,
    MIGRATIONS,
    SCHEMA_VERSION,
    Workspace,
    import_json,
    list_regions,
    validate_region_id,
)


@pytest.mark.parametrize(
    "bad",
    ["", "../etc", "..", "a/b", "Central-Ohio", "x" * 64, "a--b", "-a", "a-", "o'hara", 'say"hi',
     "<script>alert(1)</script>", "a b", "región", None, 12, "a\nb", "a;drop table answer"],
)
def test_bad_region_ids_are_rejected_with_a_clear_message(bad, tmp_path):
    with pytest.raises(InvalidRegionId) as info:
        Workspace.open(bad, tmp_path)
    assert "is not a valid region id" in str(info.value)
    assert "lowercase letters" in str(info.value)
    # nothing was created anywhere under the root, nor next to it
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("good", ["a", "example", "central-ohio", "region-12", "x" * 63])
def test_good_region_ids(good):
    assert validate_region_id(good) == good


def test_root_from_environment(tmp_path, monkeypatch, backend):
    monkeypatch.setenv("SECTORKIT_HOME", str(tmp_path / "elsewhere"))
    with Workspace.open("riverbend") as ws:
        assert ws.folder == tmp_path / "elsewhere" / "riverbend" and ws.folder.is_dir()  # the region's files
        assert (ws.path == ws.folder / DB_FILENAME) == (backend == "sqlite")
    assert list_regions() == ["riverbend"]


def test_answers_round_trip_and_persist_across_connections(tmp_path, backend):
    with Workspace.open("riverbend", tmp_path, name="Riverbend <Region>") as ws:
        ws.log_coalesce_seconds = 0  # log every save
        ws.save_answer("step2-aar", "footprint", "Ash & Birch counties")
        ws.save_answers("step2-aar", {"sources": ["qcew", "partner-knowledge"], "confidence": 4})
        ws.save_answer("step2-aar", "footprint", "Ash, Birch & Cedar")
    with Workspace.open("riverbend", tmp_path, create=False) as ws:
        assert ws.name == "Riverbend <Region>"
        assert ws.answers("step2-aar") == {
            "footprint": "Ash, Birch & Cedar",
            "sources": ["qcew", "partner-knowledge"],
            "confidence": 4,
        }
        assert [v for _, v in ws.history("step2-aar", "footprint")] == ["Ash & Birch counties", "Ash, Birch & Cedar"]
        assert ws.last_saved("step2-aar") is not None
        assert ws.answers("other") == {}


def test_keystroke_saves_coalesce_in_the_history(tmp_path, backend):
    with Workspace.open("r", tmp_path) as ws:
        for i in range(1, 30):
            ws.save_answer("w", "notes", "typing"[: i % 7])
        ws.save_answer("w", "other", "x")
        assert len(ws.history("w", "notes")) == 1
        assert ws.history("w", "notes")[0][1] == ws.answers("w")["notes"]
        ws.log_coalesce_seconds = 0
        ws.save_answer("w", "notes", "final")
        assert [v for _, v in ws.history("w", "notes")][-1] == "final"
        assert len(ws.history("w", "notes")) == 2


def test_missing_workspace_without_create(tmp_path, backend):
    with pytest.raises(WorkspaceError, match="No workspace for region 'nowhere'"):
        Workspace.open("nowhere", tmp_path, create=False)


def test_unserialisable_value_is_refused_and_nothing_is_written(tmp_path, backend):
    with Workspace.open("r", tmp_path) as ws:
        ws.save_answer("w", "a", "kept")
        with pytest.raises(WorkspaceError, match="not plain data"):
            ws.save_answers("w", {"a": "changed", "b": object()})
        assert ws.answers("w") == {"a": "kept"}


def test_failure_inside_a_multi_answer_save_rolls_back(tmp_path, backend, monkeypatch):
    with Workspace.open("r", tmp_path) as ws:
        ws.save_answers("w", {"a": 1, "b": 2})
        calls = {"n": 0}

        class Boom(RuntimeError):
            pass

        class FlakyConn:
            """Lets the first answer row through, then fails: a save interrupted midway."""

            def __init__(self, conn):
                self._real = conn

            def __getattr__(self, name):  # begin, finish, location...: the real connection's
                return getattr(self._real, name)

            def execute(self, sql, *args):
                if sql.startswith("INSERT INTO answer "):
                    calls["n"] += 1
                    if calls["n"] == 2:
                        raise Boom("disk unplugged")
                return self._real.execute(sql, *args)

        ws._conn = FlakyConn(ws._conn)
        with pytest.raises(Boom):
            ws.save_answers("w", {"a": 10, "b": 20})
        assert calls["n"] == 2
        ws._conn = ws._conn._real
        assert ws.answers("w") == {"a": 1, "b": 2}
    with Workspace.open("r", tmp_path) as ws:  # and from a new connection
        assert ws.answers("w") == {"a": 1, "b": 2}


def test_process_killed_mid_save_leaves_the_last_good_state(tmp_path, backend):
    with Workspace.open("r", tmp_path) as ws:
        ws.save_answers("w", {"a": "good", "b": "good"})
    # A separate process opens the workspace, writes half of a save inside its
    # transaction (holding the write lock) and dies hard (no cleanup, no rollback) before committing.
    script = textwrap.dedent(
        f"""
        import os
        from sectorkit.store.workspace import Workspace
        ws = Workspace.open("r", {str(tmp_path)!r})
        conn = ws._transaction().__enter__()
        conn.execute("UPDATE answer SET value = ? WHERE question = 'a'", ('"half"',))
        os._exit(9)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    with Workspace.open("r", tmp_path) as ws:
        assert ws.answers("w") == {"a": "good", "b": "good"}
        ws.save_answer("w", "a", "after the crash")  # and the workspace is writable again
        assert ws.answers("w")["a"] == "after the crash"


@pytest.mark.sqlite_only
def test_schema_migrates_forward_from_version_one(tmp_path, backend):
    path = tmp_path / "old" / DB_FILENAME
    path.parent.mkdir()
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    conn.execute("INSERT INTO region VALUES ('old', 'Old region', 0, '2025-01-01T00:00:00+00:00')")
    conn.execute("""INSERT INTO answer VALUES ('w', 'q', '"kept"', '2025-01-01T00:00:00+00:00')""")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Workspace.open("old", tmp_path) as ws:
        assert ws._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert ws.answers("w") == {"q": "kept"}
        ws.put_record("sector_choice", "31-33", {"status": "shortlist"})
        assert ws.records("sector_choice") == {"31-33": {"status": "shortlist"}}


def test_newer_schema_is_refused_clearly(tmp_path, backend):
    with Workspace.open("r", tmp_path) as ws:
        ws._conn.set_schema_version(SCHEMA_VERSION + 5)  # PRAGMA user_version, or the store_version table
    with pytest.raises(WorkspaceError, match="newer sectorkit"):
        Workspace.open("r", tmp_path)
    with pytest.raises(WorkspaceError, match="newer sectorkit"):
        Workspace.open("r", tmp_path, readonly=True)


@pytest.mark.sqlite_only
def test_corrupt_database_file_gets_a_clear_message(tmp_path, backend):
    path = tmp_path / "r" / DB_FILENAME
    path.parent.mkdir()
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(WorkspaceError, match="cannot be read as a sectorkit workspace"):
        Workspace.open("r", tmp_path)


def test_export_and_import_move_a_whole_workspace(tmp_path, backend):
    with Workspace.open("riverbend", tmp_path / "a", name="Riverbend") as ws:
        ws.save_answers("step2-aar", {"footprint": "Ash\nBirch", "score": 3})
        ws.put_record("sector_choice", "62", {"status": "maybe", "note": "quote ' and <b>"})
        exported = ws.export_json(tmp_path / "riverbend.json")
    data = json.loads(exported.read_text())
    assert data["format"] == "sectorkit-workspace" and data["region"] == "riverbend"

    with pytest.raises(WorkspaceError, match="already exists"):
        import_json(exported, tmp_path / "a")
    with import_json(exported, tmp_path / "b", region="riverbend-copy") as copy:
        assert copy.region == "riverbend-copy" and copy.name == "Riverbend"
        assert copy.answers("step2-aar") == {"footprint": "Ash\nBirch", "score": 3}
        assert copy.records("sector_choice")["62"]["note"] == "quote ' and <b>"
        assert len(copy.history("step2-aar", "score")) == 1
        copy.log_coalesce_seconds = 0
        copy.save_answer("step2-aar", "score", 4)  # a new history line: the imported numbers are not reused
        assert [v for _, v in copy.history("step2-aar", "score")][-1] == 4
    with pytest.raises(WorkspaceError, match="already exists"):
        import_json(exported, tmp_path / "b", region="riverbend-copy")
    with import_json(exported, tmp_path / "b", region="riverbend-copy", overwrite=True) as again:
        assert again.answers("step2-aar")["score"] == 3


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json at all", "not valid JSON"),
        ('{"format": "something-else"}', "not a sectorkit workspace export"),
        ('{"format": "sectorkit-workspace", "format_version": 99, "tables": {}}', "export format 99"),
        ('{"format": "sectorkit-workspace", "format_version": 1, "region": "../x", "tables": {}}',
         "not a valid region id"),
        ('{"format": "sectorkit-workspace", "format_version": 1, "region": "x", "tables": {"answer": [{"a": 1}]}}',
         "must have exactly the columns"),
    ],
)
def test_bad_imports_are_refused_and_leave_nothing_behind(tmp_path, backend, content, message):
    src = tmp_path / "in.json"
    src.write_text(content)
    with pytest.raises((WorkspaceError, InvalidRegionId), match=message):
        import_json(src, tmp_path / "root")
    assert not (tmp_path / "root").exists() or list_regions(tmp_path / "root") == []


def test_import_that_fails_midway_keeps_the_existing_workspace(tmp_path, backend):
    with Workspace.open("r", tmp_path) as ws:
        ws.save_answer("w", "q", "original")
        data = ws.to_dict()
    # duplicate primary key: the second row fails inside the import transaction
    data["tables"]["answer"].append(dict(data["tables"]["answer"][0]))
    src = tmp_path / "dup.json"
    src.write_text(json.dumps(data))
    with pytest.raises(WorkspaceError, match="could not be imported"):
        import_json(src, tmp_path, overwrite=True)
    with Workspace.open("r", tmp_path) as ws:
        assert ws.answers("w") == {"q": "original"}
    assert [p.name for p in (tmp_path / "r").iterdir() if p.name.startswith(".import")] == []
