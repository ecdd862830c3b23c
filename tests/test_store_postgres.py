"""The shared PostgreSQL store (``SECTORKIT_DATABASE_URL``), and team writes on both backends.

PostgreSQL comes from ``tests/conftest.py`` (``SECTORKIT_TEST_DATABASE_URL``, else a private
throwaway cluster); each test has a database of its own. Tests taking ``backend`` run on SQLite and
PostgreSQL; the rest are about PostgreSQL (or moving between the two).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import threading
import time
import zipfile

import pytest

from sectorkit.cli import main
from sectorkit.core.errors import EditConflict, WorkspaceError
from sectorkit.statewide import states_present
from sectorkit.store.backends import URL_VARIABLE, DatabaseError, PostgresError
from sectorkit.store.postgres import PostgresConnection, schema_name, translate
from sectorkit.store.schema import MIGRATIONS, SCHEMA_VERSION
from sectorkit.store.workspace import Workspace, import_json, list_regions, workspace_exists
from sectorkit.workspaces.archive import all_workspaces_zip, restore_workspace
from sectorkit.workspaces.regions import create_region, list_region_summaries
from tests.support.postgres import find_bin


def _rows(data: dict) -> dict:
    """Every exported table as a sorted list of JSON rows (row order in an export is not part of it)."""
    return {t: sorted(json.dumps(r, sort_keys=True) for r in rows) for t, rows in data["tables"].items()}


def _schemas(url: str) -> list[str]:
    conn = PostgresConnection(url, "pg_catalog", readonly=True)
    try:
        return sorted(n for (n,) in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'ws%'"))
    finally:
        conn.close()


@pytest.fixture
def pg(pg_database, monkeypatch):
    """This test's own PostgreSQL database as the store (``SECTORKIT_DATABASE_URL``); its URL."""
    monkeypatch.setenv(URL_VARIABLE, pg_database)
    return pg_database


def test_store_sql_is_translated_for_psycopg():
    assert translate("SELECT a FROM answer WHERE q = ? AND v <> '?' AND w LIKE '%x'") == (
        "SELECT a FROM answer WHERE q = %s AND v <> '?' AND w LIKE '%%x'", None)
    assert translate("INSERT INTO conflict (worksheet) VALUES (?)")[1] == "id"  # lastrowid via RETURNING
    assert translate("INSERT INTO answer (q) VALUES (?)") == ("INSERT INTO answer (q) VALUES (%s)", None)
    # an apostrophe in a comment does not hide the placeholders after it
    assert translate("-- the answers' key\nSELECT ?")[0] == "-- the answers' key\nSELECT %s"


def test_a_workspace_moves_between_sqlite_and_postgresql_without_loss(tmp_path, monkeypatch, pg_database):
    monkeypatch.delenv(URL_VARIABLE, raising=False)
    with Workspace.open("riverbend", tmp_path / "a", name="Riverbend «Valley» & Co") as ws, \
            Workspace.open("riverbend", tmp_path / "a") as teammate:
        ws.author, teammate.author = "Ana", "Ben"
        ws.log_coalesce_seconds = 0
        ws.save_answers("step2-aar", {"footprint": "Ash\nBirch", "score": 3.5, "tags": ["a", "ü", "😀"]},
                        spec_version=2)
        ws.save_answer("step2-aar", "footprint", "Ash, Birch", base="Ash\nBirch")
        first = teammate.save_row("w", "invitees", None, {"name": "O'Hara", "n": 2}, spec_version=1)
        teammate.save_row("w", "invitees", None, {"name": "Lee; DROP TABLE answer"})
        teammate.move_row("w", "invitees", first, 1)
        teammate.put_record("sector_choice", "62", {"status": "maybe", "note": "quote ' and <b>"})
        with pytest.raises(EditConflict):
            teammate.save_answer("step2-aar", "score", 9, base=1)  # kept as a conflict, with who and when
        original = ws.to_dict()
        ws.export_json(tmp_path / "from-sqlite.json")
    assert {t: len(r) for t, r in original["tables"].items() if r} == {
        "region": 1, "answer": 3, "answer_log": 4, "record": 1, "table_row": 2, "conflict": 1}

    monkeypatch.setenv(URL_VARIABLE, pg_database)
    with import_json(tmp_path / "from-sqlite.json", tmp_path / "b") as pg:
        assert "schema" in pg.location and _rows(pg.to_dict()) == _rows(original)
        assert pg.answer_by("step2-aar", "footprint")[:2] == ("Ash, Birch", "Ana")
        assert [by for _, by, _ in pg.history_by("step2-aar", "footprint")] == ["Ana", "Ana"]
        assert [(c.value, c.saved_by) for c in pg.conflicts()] == [(9, "Ben")]
        assert [r.value["name"] for r in pg.rows("w", "invitees")] == ["Lee; DROP TABLE answer", "O'Hara"]
        pg.export_json(tmp_path / "from-postgres.json")

    monkeypatch.delenv(URL_VARIABLE)
    with import_json(tmp_path / "from-postgres.json", tmp_path / "c") as back:
        assert back.path.suffix == ".sqlite" and _rows(back.to_dict()) == _rows(original)


def test_readonly_open_cannot_write_on_postgresql(home, pg):
    with Workspace.open("riverbend", home) as ws:
        ws.save_answer("w", "q", "kept")
    with Workspace.open("riverbend", home, readonly=True) as ro:
        assert ro.readonly and ro.answers("w") == {"q": "kept"}
        with pytest.raises(DatabaseError) as info:
            ro.save_answer("w", "q", "changed")
        assert info.value.sqlstate == "25006"  # read_only_sql_transaction: PostgreSQL itself refused
        for sql in ("DELETE FROM answer", "DROP TABLE answer", "UPDATE answer SET value = '1'"):
            with pytest.raises(PostgresError, match="read-only"):
                ro._conn.execute(sql)
        assert ro.answers("w") == {"q": "kept"}
    # a read-only open of a region that does not exist creates nothing
    with pytest.raises(WorkspaceError, match="No workspace for region 'elsewhere'"):
        Workspace.open("elsewhere", home, readonly=True)
    assert not (home / "elsewhere").exists() and list_regions(home) == ["riverbend"]


def test_a_process_killed_mid_save_loses_only_its_unfinished_save(home, backend):
    with Workspace.open("r", home) as ws:
        ws.save_answer("w", "before", "yes")
        # The child commits one save, then dies inside the next one (SIGKILL-like: no cleanup), holding
        # the region's write lock; this page's save meanwhile waits, then goes through.
        script = textwrap.dedent(f"""
            import os, time
            from sectorkit.store.workspace import Workspace
            ws = Workspace.open("r", {str(home)!r})
            ws.author = "Kim"
            ws.save_answer("w", "committed", "yes")
            real = ws._conn

            class Dying:
                inserts = 0

                def __getattr__(self, name):
                    return getattr(real, name)

                def execute(self, sql, *args):
                    out = real.execute(sql, *args)
                    if sql.startswith("INSERT INTO answer "):
                        Dying.inserts += 1
                        if Dying.inserts == 2:
                            print("holding", flush=True)
                            time.sleep(1.0)
                            os._exit(9)
                    return out

            ws._conn = Dying()
            ws.save_answers("w", {{"half-1": 1, "half-2": 2, "half-3": 3}})
            """)
        child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        try:
            assert child.stdout.readline().strip() == "holding", child.stderr.read()
            started = time.monotonic()
            ws.save_answer("w", "during", "saved after the crash")
            waited = time.monotonic() - started
        finally:
            child.wait(timeout=30)
        assert child.returncode == 9
        assert 0.3 < waited < 9, waited  # it waited for the dying writer, and no longer than needed
        assert ws.answers("w") == {"before": "yes", "committed": "yes", "during": "saved after the crash"}
        assert [(c.item, c.saved_by) for c in ws.changes_since(0)] == [
            ("before", None), ("committed", "Kim"), ("during", None)]


def test_saves_from_the_same_base_at_once_keep_both_versions(home, backend):
    """Two people save the same answer at the same moment from the same value: one is saved, the other
    is kept as a conflict (the base check and the write are one locked transaction)."""
    people = [Workspace.open("r", home) for _ in range(2)]
    try:
        for person, name in zip(people, ("Ana", "Ben")):
            person.author = name
        questions = [f"q{i}" for i in range(8)]
        outcomes: dict[tuple[str, str], str] = {}
        barrier = threading.Barrier(2)

        def work(person: Workspace) -> None:
            for q in questions:
                barrier.wait()
                try:
                    person.save_answer("w", q, f"{person.author}'s", base=None)
                    outcomes[(q, person.author)] = "saved"
                except EditConflict:
                    outcomes[(q, person.author)] = "kept"

        threads = [threading.Thread(target=work, args=(p,)) for p in people]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        for q in questions:
            assert sorted(outcomes[(q, who)] for who in ("Ana", "Ben")) == ["kept", "saved"], q
        saved = people[0].answers("w")
        kept = {c.question: (c.value, c.saved_by) for c in people[0].conflicts("w")}
        assert set(kept) == set(questions)
        for q in questions:  # both versions are there: one saved, the other kept
            assert {saved[q], kept[q][0]} == {"Ana's", "Ben's"}
    finally:
        for p in people:
            p.close()


def test_a_page_polling_the_change_feed_misses_no_change(home, backend):
    """Four writers at once; a poller reading ``changes_since(last seen)`` sees all 100 changes (numbers
    commit in order, so none appears behind one already seen)."""
    writers = [Workspace.open("r", home) for _ in range(4)]
    poller = Workspace.open("r", home)
    try:
        seen: list[int] = []
        done = threading.Event()

        def poll() -> None:
            last = 0
            while True:
                finished = done.is_set()
                for change in poller.changes_since(last):
                    seen.append(change.seq)
                    last = change.seq
                if finished:
                    return
                time.sleep(0.002)

        def write(n: int, ws: Workspace) -> None:
            for i in range(25):
                ws.save_answer("w", f"w{n}-{i}", i)

        reader = threading.Thread(target=poll)
        reader.start()
        threads = [threading.Thread(target=write, args=(n, ws)) for n, ws in enumerate(writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        done.set()
        reader.join(timeout=30)
        assert len(seen) == len(set(seen)) == 100 and seen == sorted(seen)
        assert len(poller.answers("w")) == 100
    finally:
        for ws in (*writers, poller):
            ws.close()


def test_long_region_ids_get_distinct_short_schemas(home, pg):
    long_a, long_b = "x" * 63, "x" * 62 + "y"
    assert schema_name(long_a) != schema_name(long_b) and len(schema_name(long_a)) == 63
    for region in (long_a, long_b, "central-ohio"):
        Workspace.open(region, home).close()
    assert list_regions(home) == sorted([long_a, long_b, "central-ohio"])
    assert workspace_exists(long_b, home) and not workspace_exists("x" * 61, home)
    assert _schemas(pg) == sorted(schema_name(r) for r in (long_a, long_b, "central-ohio"))


def test_a_postgresql_workspace_of_schema_1_is_migrated_on_open(home, pg):
    conn = PostgresConnection(pg, schema_name("old"))
    conn.begin()
    conn.prepare()
    for statement in conn.statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("INSERT INTO region VALUES ('old', 'Old region', 0, '2025-01-01T00:00:00+00:00')")
    conn.execute("""INSERT INTO answer VALUES ('w', 'q', '"kept"', '2025-01-01T00:00:00+00:00')""")
    conn.set_schema_version(1)
    conn.finish(True)
    conn.close()
    with pytest.raises(WorkspaceError, match="older sectorkit"):
        Workspace.open("old", home, readonly=True)  # read-only never migrates
    with Workspace.open("old", home) as ws:
        assert ws._conn.schema_version() == SCHEMA_VERSION and ws.answers("w") == {"q": "kept"}
        ws.save_answer("w", "q", "new")
        assert [v for _, v in ws.history("w", "q")] == ["new"]


def test_a_failed_import_leaves_the_workspace_and_no_staging_schema(home, pg):
    with Workspace.open("r", home) as ws:
        ws.save_answer("w", "q", "original")
        data = ws.to_dict()
    data["tables"]["answer"].append(dict(data["tables"]["answer"][0]))  # a duplicate key, mid-import
    (home / "dup.json").write_text(json.dumps(data))
    with pytest.raises(WorkspaceError, match="could not be imported"):
        import_json(home / "dup.json", home, overwrite=True)
    assert _schemas(pg) == ["ws_r"]
    with Workspace.open("r", home) as ws:
        assert ws.answers("w") == {"q": "original"}


def test_regions_statewide_archive_and_cli_work_on_postgresql(tmp_path, pg, capsys):
    home = tmp_path / "home"
    for name in ("Riverbend Valley", "Ash County"):
        create_region(name, home, state="OH").close()
    with pytest.raises(WorkspaceError, match="already a region"):
        create_region("Riverbend Valley", home)
    assert [s.region for s in list_region_summaries(home)] == ["example", "ash-county", "riverbend-valley"]
    assert states_present(home) == [("OH", 2)]
    assert (home / "riverbend-valley").is_dir()  # the region's folder for its files, on PostgreSQL too

    with zipfile.ZipFile(io.BytesIO(all_workspaces_zip(home))) as archive:
        assert archive.namelist() == ["ash-county.json", "riverbend-valley.json"]
        restored = restore_workspace(archive.read("ash-county.json"), "ash.json", home, region="ash-copy")
    assert restored.region == "ash-copy" and "ash-copy" in list_regions(home)

    assert main(["--home", str(home), "init", "central-ohio", "--name", "Central Ohio"]) == 0
    assert 'schema "ws_central-ohio"' in capsys.readouterr().out
    assert main(["--home", str(home), "export", "central-ohio", str(tmp_path / "co.json")]) == 0
    assert main(["--home", str(tmp_path / "elsewhere"), "import", str(tmp_path / "co.json"), "--region", "co"]) == 0
    capsys.readouterr()
    assert main(["--home", str(home), "regions"]) == 0
    assert capsys.readouterr().out.split() == ["ash-copy", "ash-county", "central-ohio", "co", "riverbend-valley"]


def test_missing_postgresql_is_an_error_saying_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="apt-get install -y postgresql"):
        find_bin(tmp_path)


def test_database_address_problems_are_clear_and_keep_the_password_secret(home, monkeypatch):
    monkeypatch.setenv(URL_VARIABLE, "mysql://ana@localhost/hub")
    with pytest.raises(WorkspaceError, match="must be a postgresql://"):
        Workspace.open("r", home)
    monkeypatch.setenv(URL_VARIABLE, "postgresql://ana:s3cret-pw@127.0.0.1:1/hub?connect_timeout=3")
    for attempt in (lambda: Workspace.open("r", home), lambda: list_regions(home)):
        with pytest.raises(WorkspaceError, match="Cannot connect to the workspace database") as info:
            attempt()
        assert "s3cret-pw" not in str(info.value) and "database hub on 127.0.0.1:1" in str(info.value)
    assert not (home / "r").exists()
