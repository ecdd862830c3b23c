"""The regional workspace: everything a team enters, stored per region.

Each region has its own embedded SQLite database, ``<root>/<region>/workspace.sqlite``.
The root folder is, in order of precedence, the ``root`` argument, the
``SECTORKIT_HOME`` environment variable, or ``~/.sectorkit``.

Guarantees
----------
* Region ids are validated slugs (:func:`validate_region_id`) before they touch a
  path or a query; anything else raises :class:`~sectorkit.core.errors.InvalidRegionId`.
* Every save is one SQLite transaction in WAL mode with ``synchronous=FULL``: a
  crash mid-save leaves the last committed state, never half of a save.
* The schema is versioned (``PRAGMA user_version``) and migrated forward on open.
* :meth:`Workspace.export_json` / :func:`import_json` move a whole workspace
  between machines; an import is all-or-nothing.

>>> import tempfile
>>> root = tempfile.mkdtemp()
>>> ws = Workspace.open("riverbend", root=root, name="Riverbend Region")
>>> saved_at = ws.save_answer("step2-aar", "footprint", "Three counties")
>>> ws.answers("step2-aar")["footprint"]
'Three counties'
>>> ws.close()
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sectorkit.core.atomic import atomic_write
from sectorkit.core.clock import now_utc
from sectorkit.core.errors import WorkspaceError
from sectorkit.core.ids import REGION_ID_PATTERN, suggest_region_id, validate_region_id  # noqa: F401 - exported here too
from sectorkit.core.text import repair_text
from sectorkit.store.activity import Activity
from sectorkit.store.rows import ROW_ID_PATTERN, Row, TableRows  # noqa: F401 - rows of table questions
from sectorkit.store.transfer import COLUMNS as _COLUMNS
from sectorkit.store.transfer import EXPORT_FORMAT, EXPORT_VERSION  # noqa: F401 - format of export_json
from sectorkit.store.transfer import check_export as _check_export

DB_FILENAME = "workspace.sqlite"


def default_root() -> Path:
    """The folder that holds every region's workspace."""
    env = os.environ.get("SECTORKIT_HOME")
    return Path(env).expanduser() if env else Path.home() / ".sectorkit"


def _seconds_between(earlier: str, later: str) -> float:
    try:
        return (datetime.fromisoformat(later) - datetime.fromisoformat(earlier)).total_seconds()
    except ValueError:
        return float("inf")


# Each entry upgrades the schema by one version; index 0 creates version 1.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE region (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        illustrative INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE TABLE answer (
        worksheet TEXT NOT NULL,
        question TEXT NOT NULL,
        value TEXT NOT NULL,          -- JSON
        updated_at TEXT NOT NULL,
        PRIMARY KEY (worksheet, question)
    );
    """,
    """
    -- Every save is also appended here, so a team can see when an answer changed.
    CREATE TABLE answer_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        worksheet TEXT NOT NULL,
        question TEXT NOT NULL,
        value TEXT NOT NULL,
        saved_at TEXT NOT NULL
    );
    CREATE INDEX answer_log_by_question ON answer_log (worksheet, question);
    CREATE TABLE record (
        kind TEXT NOT NULL,           -- e.g. 'sector_choice', 'partner'
        key TEXT NOT NULL,
        value TEXT NOT NULL,          -- JSON
        updated_at TEXT NOT NULL,
        PRIMARY KEY (kind, key)
    );
    """,
    """
    -- Which version of its worksheet spec an answer was given under (NULL: before v3),
    -- so a spec that renames a question can carry old answers forward.
    ALTER TABLE answer ADD COLUMN spec_version INTEGER;
    ALTER TABLE answer_log ADD COLUMN spec_version INTEGER;
    -- Rows of table questions: one row per invitee, action team, program, metric...
    -- Each row is saved on its own, so typing in one row never rewrites another.
    CREATE TABLE table_row (
        worksheet TEXT NOT NULL,      -- the answers' key (spec id, or e.g. a response key)
        question TEXT NOT NULL,       -- the table question's id
        row_id TEXT NOT NULL,         -- stable id of the row (never reused)
        position REAL NOT NULL,       -- sort order (reordering rewrites positions)
        value TEXT NOT NULL,          -- JSON object: column id -> value
        spec_version INTEGER,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (worksheet, question, row_id)
    );
    CREATE INDEX table_row_by_question ON table_row (worksheet, question, position);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

_TABLES = ("region", "answer", "answer_log", "record", "table_row")


def _connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    if readonly:  # SQLite itself refuses every write on this connection ("attempt to write a readonly database")
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10, isolation_level=None,
                               check_same_thread=False)
        conn.execute("PRAGMA query_only=ON")
        return conn
    conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise WorkspaceError(
            f"The workspace at {path} was written by a newer sectorkit (schema {version}, "
            f"this one knows {SCHEMA_VERSION}); upgrade sectorkit to open it."
        )
    for target in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[target].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _check_readable(conn: sqlite3.Connection, path: Path) -> None:  # read-only cannot migrate
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version != SCHEMA_VERSION:
        conn.close()
        newer = "newer" if version > SCHEMA_VERSION else "older"
        raise WorkspaceError(f"The workspace at {path} was saved by a {newer} sectorkit (schema {version}, this one "
                             f"reads {SCHEMA_VERSION}); open it once in a worksheet page to bring it up to date.")


@dataclass(frozen=True)
class Answer:
    """One saved answer."""

    worksheet: str
    question: str
    value: Any
    updated_at: str


class Workspace(TableRows, Activity):
    """A region's workspace. Open it with :meth:`Workspace.open`."""

    #: Saves of one answer within this many seconds of its last logged save
    #: update that log entry instead of adding one (typing saves every keystroke).
    log_coalesce_seconds: float = 60.0

    #: True when opened with ``readonly=True``: every write raises ``sqlite3.OperationalError``.
    readonly: bool = False

    def __init__(self, region: str, path: Path, conn: sqlite3.Connection):
        self.region = region
        self.path = path
        self._conn = conn

    # -- opening -----------------------------------------------------------
    @classmethod
    def open(
        cls,
        region: str,
        root: str | os.PathLike | None = None,
        *,
        name: str | None = None,
        illustrative: bool = False,
        create: bool = True,
        readonly: bool = False,
    ) -> "Workspace":
        """Open (and by default create) the workspace of ``region``.

        Parameters
        ----------
        region : str
            Region id, a slug such as ``"central-ohio"``.
        root : path, optional
            Folder holding all workspaces; defaults to :func:`default_root`.
        name : str, optional
            Display name stored when the workspace is created.
        illustrative : bool
            Mark the region as illustrative (the bundled example).
        create : bool
            If False, a missing workspace raises :class:`WorkspaceError`.
        readonly : bool
            Read only (the statewide view, the state report): never created or migrated; SQLite refuses
            every write. Missing, or saved by another schema version: :class:`WorkspaceError`.
        """
        region = validate_region_id(region)
        folder = Path(root).expanduser() if root is not None else default_root()
        path = folder / region / DB_FILENAME
        if not path.exists():
            if not create or readonly:
                raise WorkspaceError(
                    f"No workspace for region '{region}' in {folder}. Create it first "
                    f"(sectorkit init {region}) or check SECTORKIT_HOME."
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise WorkspaceError(f"Cannot create the workspace folder {path.parent}: {exc.strerror}.") from exc
        try:
            conn = _connect(path, readonly)
            if readonly:
                _check_readable(conn, path)
            else:
                _migrate(conn, path)
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(f"The workspace file {path} cannot be read as a sectorkit workspace ({exc}).") from exc
        ws = cls(region, path, conn)
        ws.readonly = readonly
        if ws._region_row() is None and not readonly:
            with ws._transaction():
                conn.execute(
                    "INSERT INTO region (id, name, illustrative, created_at) VALUES (?, ?, ?, ?)",
                    (region, repair_text(name or region), int(illustrative), now_utc()),
                )
        return ws

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workspace({self.region!r}, path={str(self.path)!r})"

    # -- transactions ------------------------------------------------------
    class _Tx:
        def __init__(self, conn: sqlite3.Connection):
            self.conn = conn

        def __enter__(self) -> sqlite3.Connection:
            self.conn.execute("BEGIN IMMEDIATE")
            return self.conn

        def __exit__(self, exc_type, exc, tb) -> None:
            if exc_type is None:
                self.conn.execute("COMMIT")
            else:
                self.conn.execute("ROLLBACK")

    def _transaction(self) -> "Workspace._Tx":
        return Workspace._Tx(self._conn)

    # -- region info -------------------------------------------------------
    def _region_row(self) -> tuple | None:
        return self._conn.execute(
            "SELECT id, name, illustrative, created_at FROM region WHERE id = ?", (self.region,)
        ).fetchone()

    @property
    def name(self) -> str:
        """The region's display name (free text; escape it before showing as HTML)."""
        row = self._region_row()
        return row[1] if row else self.region

    @property
    def illustrative(self) -> bool:
        row = self._region_row()
        return bool(row[2]) if row else False

    def rename(self, name: str) -> None:
        if not isinstance(name, str) or not name.strip():
            raise WorkspaceError("A region name cannot be empty.")
        with self._transaction() as conn:
            conn.execute("UPDATE region SET name = ? WHERE id = ?", (repair_text(name.strip()), self.region))

    # -- answers -----------------------------------------------------------
    @staticmethod
    def _encode(value: Any, where: str) -> str:
        try:  # a broken character (half an emoji) is stored as U+FFFD (see core.text)
            return repair_text(json.dumps(value, ensure_ascii=False, allow_nan=False))
        except (TypeError, ValueError) as exc:
            raise WorkspaceError(f"Cannot save {where}: the value is not plain data ({exc}).") from exc

    def save_answer(self, worksheet: str, question: str, value: Any, *, spec_version: int | None = None) -> str:
        """Save one answer in its own transaction; return the save time (UTC ISO).

        ``spec_version`` is the version of the spec the answer was given under (stored with the
        answer and its history, so a later spec that renames the question can move it).
        """
        return self.save_answers(worksheet, {question: value}, spec_version=spec_version)

    def save_answers(self, worksheet: str, values: Mapping[str, Any], *, spec_version: int | None = None) -> str:
        """Save several answers of one worksheet atomically: all or none (``spec_version``: see :meth:`save_answer`)."""
        encoded = [(q, self._encode(v, f"{worksheet}/{q}")) for q, v in values.items()]
        stamp = now_utc()
        with self._transaction() as conn:
            for question, value in encoded:
                conn.execute(
                    "INSERT INTO answer (worksheet, question, value, updated_at, spec_version) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (worksheet, question) DO UPDATE SET value = excluded.value, "
                    "updated_at = excluded.updated_at, spec_version = excluded.spec_version",
                    (worksheet, question, value, stamp, spec_version),
                )
                last = conn.execute(
                    "SELECT seq, saved_at FROM answer_log WHERE worksheet = ? AND question = ? "
                    "ORDER BY seq DESC LIMIT 1",
                    (worksheet, question),
                ).fetchone()
                if last and _seconds_between(last[1], stamp) < self.log_coalesce_seconds:
                    conn.execute(
                        "UPDATE answer_log SET value = ?, saved_at = ?, spec_version = ? WHERE seq = ?",
                        (value, stamp, spec_version, last[0]),
                    )
                else:
                    conn.execute(
                        "INSERT INTO answer_log (worksheet, question, value, saved_at, spec_version) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (worksheet, question, value, stamp, spec_version),
                    )
        return stamp

    def move_answers(self, worksheet: str, moves: Iterable[tuple[str, str, int]]) -> dict[str, int]:
        """Move answers, their history and table rows from old question ids to new ones, in one transaction.

        Only data saved under a spec version lower than the move's (or before versions were recorded,
        ``NULL``) moves, so running this twice moves nothing the second time. If the new id already has
        an answer, the more recently saved one is kept as the current answer; both histories are kept.
        A table row whose id already exists under the new question stays where it is.

        Parameters
        ----------
        worksheet : str
            The answers' key (a spec id, or e.g. an assessment response key).
        moves : iterable of (old_id, new_id, version)
            ``version`` is the spec version that introduced the rename.

        Returns
        -------
        dict
            ``{old_id: number of answers, log entries and rows moved}`` for the ids that moved anything.
        """
        moved: dict[str, int] = {}
        older = "(spec_version IS NULL OR spec_version < ?)"
        with self._transaction() as conn:
            for old, new, version in moves:
                n = 0
                row = conn.execute(
                    f"SELECT updated_at FROM answer WHERE worksheet = ? AND question = ? AND {older}",
                    (worksheet, old, version),
                ).fetchone()
                if row is not None:
                    kept = conn.execute(
                        "SELECT updated_at FROM answer WHERE worksheet = ? AND question = ?", (worksheet, new)
                    ).fetchone()
                    if kept is not None and kept[0] >= row[0]:
                        conn.execute("DELETE FROM answer WHERE worksheet = ? AND question = ?", (worksheet, old))
                    else:
                        conn.execute("DELETE FROM answer WHERE worksheet = ? AND question = ?", (worksheet, new))
                        conn.execute(
                            "UPDATE answer SET question = ? WHERE worksheet = ? AND question = ?", (new, worksheet, old)
                        )
                    n += 1
                n += conn.execute(
                    f"UPDATE answer_log SET question = ? WHERE worksheet = ? AND question = ? AND {older}",
                    (new, worksheet, old, version),
                ).rowcount
                n += conn.execute(
                    f"UPDATE table_row SET question = ? WHERE worksheet = ? AND question = ? AND {older} "
                    "AND NOT EXISTS (SELECT 1 FROM table_row t WHERE t.worksheet = table_row.worksheet "
                    "AND t.question = ? AND t.row_id = table_row.row_id)",
                    (new, worksheet, old, version, new),
                ).rowcount
                if n:
                    moved[old] = n
        return moved

    def answers(self, worksheet: str) -> dict[str, Any]:
        """The current answers of one worksheet, ``{question_id: value}``."""
        rows = self._conn.execute("SELECT question, value FROM answer WHERE worksheet = ?", (worksheet,)).fetchall()
        return {q: json.loads(v) for q, v in rows}

    def answer_records(self, worksheet: str | None = None) -> list[Answer]:
        """Answers with their save times, optionally for one worksheet."""
        sql = "SELECT worksheet, question, value, updated_at FROM answer"
        args: tuple = ()
        if worksheet is not None:
            sql += " WHERE worksheet = ?"
            args = (worksheet,)
        return [
            Answer(w, q, json.loads(v), t)
            for w, q, v, t in self._conn.execute(sql + " ORDER BY worksheet, question", args)
        ]

    # -- records (structured data other than answers) ----------------------
    def put_record(self, kind: str, key: str, value: Any) -> str:
        stamp = now_utc()
        encoded = self._encode(value, f"{kind}/{key}")
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO record (kind, key, value, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (kind, key, encoded, stamp),
            )
        return stamp

    def records(self, kind: str) -> dict[str, Any]:
        rows = self._conn.execute("SELECT key, value FROM record WHERE kind = ? ORDER BY key", (kind,)).fetchall()
        return {k: json.loads(v) for k, v in rows}

    def delete_record(self, kind: str, key: str) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM record WHERE kind = ? AND key = ?", (kind, key))

    # -- export / import ---------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The whole workspace as plain data (what :meth:`export_json` writes)."""
        tables = {}
        for table in _TABLES:
            cur = self._conn.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            cols = [c[0] for c in cur.description]
            tables[table] = [dict(zip(cols, row)) for row in cur.fetchall()]
        return {
            "format": EXPORT_FORMAT,
            "format_version": EXPORT_VERSION,
            "schema_version": SCHEMA_VERSION,
            "region": self.region,
            "exported_at": now_utc(),
            "tables": tables,
        }

    def export_json(self, path: str | os.PathLike) -> Path:
        """Write the whole workspace to a JSON file (atomically) and return its path."""
        target = Path(path)
        data = json.dumps(self.to_dict(), ensure_ascii=False, indent=1)
        atomic_write(target, data)
        return target


def import_json(
    path: str | os.PathLike,
    root: str | os.PathLike | None = None,
    *,
    region: str | None = None,
    overwrite: bool = False,
) -> Workspace:
    """Create a workspace from an export file; all-or-nothing.

    Parameters
    ----------
    path : path
        A file written by :meth:`Workspace.export_json`.
    root : path, optional
        Workspace root folder; defaults to :func:`default_root`.
    region : str, optional
        Import under another region id (default: the id in the file).
    overwrite : bool
        Replace an existing workspace of that region.
    """
    source = Path(path)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise WorkspaceError(f"No such file: {source}.") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise WorkspaceError(f"{source} is not valid JSON ({exc}).") from exc
    original = _check_export(data, str(source))
    target_region = validate_region_id(region or original)
    folder = Path(root).expanduser() if root is not None else default_root()
    final = folder / target_region / DB_FILENAME
    if final.exists() and not overwrite:
        raise WorkspaceError(
            f"A workspace for region '{target_region}' already exists; import under another id or allow overwrite."
        )
    final.parent.mkdir(parents=True, exist_ok=True)
    # Build the database beside the target, then move it into place in one step.
    fd, tmp_name = tempfile.mkstemp(prefix=".import.", suffix=".sqlite", dir=final.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            for target in range(SCHEMA_VERSION):
                for statement in MIGRATIONS[target].split(";"):
                    if statement.strip():
                        conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("BEGIN")
            for table, cols in _COLUMNS.items():
                for row in data["tables"].get(table, []):
                    values = [row.get(c) for c in cols]
                    if table == "region":
                        values[0] = target_region
                    conn.execute(
                        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",  # noqa: S608
                        values,
                    )
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise WorkspaceError(f"{source} could not be imported: {exc}.") from exc
        finally:
            conn.close()
        for suffix in ("-wal", "-shm"):
            Path(str(final) + suffix).unlink(missing_ok=True)
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Workspace.open(target_region, folder)


def workspace_exists(region: str, root: str | os.PathLike | None = None) -> bool:
    """True if ``region`` (a valid id, else :class:`InvalidRegionId`) has a workspace under ``root``.

    Never creates anything: pages ask this before opening a region named in an address.
    """
    region = validate_region_id(region)
    folder = Path(root).expanduser() if root is not None else default_root()
    return (folder / region / DB_FILENAME).is_file()


def list_regions(root: str | os.PathLike | None = None) -> list[str]:
    """Region ids that have a workspace under ``root``."""
    folder = Path(root).expanduser() if root is not None else default_root()
    if not folder.is_dir():
        return []
    return sorted(
        p.name for p in folder.iterdir() if REGION_ID_PATTERN.fullmatch(p.name) and (p / DB_FILENAME).exists()
    )


def iter_answers(ws: Workspace, worksheets: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Answers of several worksheets at once, ``{worksheet: {question: value}}``."""
    return {w: ws.answers(w) for w in worksheets}
