"""The regional workspace: everything a team enters, stored per region.

Each region has its own embedded SQLite database, ``<root>/<region>/workspace.sqlite``; with
``SECTORKIT_DATABASE_URL=postgresql://...`` every region is a schema of that PostgreSQL database
instead (:mod:`sectorkit.store.backends`), and ``<root>/<region>/`` still holds its files.
The root folder is, in order of precedence, the ``root`` argument, the
``SECTORKIT_HOME`` environment variable, or ``~/.sectorkit``.

Guarantees
----------
* Region ids are validated slugs (:func:`validate_region_id`) before they touch a
  path or a query; anything else raises :class:`~sectorkit.core.errors.InvalidRegionId`.
* Every save is one transaction (SQLite: WAL mode with ``synchronous=FULL``; PostgreSQL: under the
  region's lock): a crash mid-save leaves the last committed state, never half of a save.
* The schema is versioned (SQLite ``PRAGMA user_version``, PostgreSQL a ``store_version`` table)
  and migrated forward on open.
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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sectorkit.core.atomic import atomic_write
from sectorkit.core.clock import now_utc
from sectorkit.core.errors import EditConflict, WorkspaceError
from sectorkit.core.ids import REGION_ID_PATTERN, suggest_region_id, validate_region_id  # noqa: F401 - exported here too
from sectorkit.core.text import repair_text
from sectorkit.store import backends
from sectorkit.store.access import Access
from sectorkit.store.activity import Activity
from sectorkit.store.backends import DB_FILENAME, DatabaseError  # noqa: F401 - exported here too
from sectorkit.store.rows import ROW_ID_PATTERN, Row, TableRows  # noqa: F401 - rows of table questions
from sectorkit.store.schema import MIGRATIONS, SCHEMA_VERSION  # noqa: F401 - exported here too
from sectorkit.store.schema import TABLES as _TABLES
from sectorkit.store.team import UNSET, Change, Conflict, Team  # noqa: F401 - team editing
from sectorkit.store.transfer import COLUMNS as _COLUMNS
from sectorkit.store.transfer import EXPORT_FORMAT, EXPORT_VERSION  # noqa: F401 - format of export_json
from sectorkit.store.transfer import check_export as _check_export


def default_root() -> Path:
    """The folder that holds every region's workspace."""
    env = os.environ.get("SECTORKIT_HOME")
    return Path(env).expanduser() if env else Path.home() / ".sectorkit"


def _seconds_between(earlier: str, later: str) -> float:
    try:
        return (datetime.fromisoformat(later) - datetime.fromisoformat(earlier)).total_seconds()
    except ValueError:
        return float("inf")



def _folder(root: str | os.PathLike | None) -> Path:
    return Path(root).expanduser() if root is not None else default_root()


@dataclass(frozen=True)
class Answer:
    """One saved answer."""

    worksheet: str
    question: str
    value: Any
    updated_at: str


class Workspace(TableRows, Activity, Team, Access):
    """A region's workspace. Open it with :meth:`Workspace.open`."""

    #: Saves of one answer within this many seconds of its last logged save
    #: update that log entry instead of adding one (typing saves every keystroke).
    log_coalesce_seconds: float = 60.0

    #: True when opened with ``readonly=True``: the database refuses every write (``backends.DatabaseError``).
    readonly: bool = False

    def __init__(self, region: str, path: Path, conn):
        self.region = region
        #: ``<root>/<region>/workspace.sqlite``; on PostgreSQL ``.../workspace.postgresql``, a name with no file.
        #: Its folder (:attr:`folder`) holds the region's files on both backends.
        self.path = path
        self._conn = conn

    @property
    def folder(self) -> Path:
        """The region's folder under the root (uploads, PDFs), on both backends."""
        return self.path.parent

    @property
    def location(self) -> str:
        """Where the workspace is kept, for messages: the SQLite file, or the PostgreSQL schema (no password)."""
        return self._conn.location

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
            Read only (the statewide view, the state report): never created or migrated; the database
            refuses every write. Missing, or saved by another schema version: :class:`WorkspaceError`.

        The backend is chosen by ``SECTORKIT_DATABASE_URL`` (:mod:`sectorkit.store.backends`).
        """
        region = validate_region_id(region)
        folder = _folder(root)
        store = backends.current()
        conn = store.connect(region, folder, create=create, readonly=readonly)
        path = store.path(region, folder)
        ws = cls(region, path, conn)
        ws.readonly = readonly
        try:
            if not readonly and ws._region_row() is None:
                ws._add_region_row(name, illustrative)
        except BaseException:
            conn.close()
            raise
        return ws

    def _add_region_row(self, name: str | None, illustrative: bool) -> None:
        with self._transaction() as conn:  # processes opening a new region at once add it once
            conn.execute(
                "INSERT INTO region (id, name, illustrative, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO NOTHING",
                (self.region, repair_text(name or self.region), int(illustrative), now_utc()),
            )

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
        """One write transaction (SQLite ``BEGIN IMMEDIATE``; PostgreSQL ``BEGIN`` + the region's lock)."""

        def __init__(self, conn):
            self.conn = conn

        def __enter__(self):
            self.conn.begin()
            return self.conn

        def __exit__(self, exc_type, exc, tb) -> None:
            self.conn.finish(exc_type is None)

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

    def save_answer(self, worksheet: str, question: str, value: Any, *, spec_version: int | None = None,
                    base: Any = UNSET) -> str:
        """Save one answer in its own transaction; return the save time (UTC ISO).

        ``spec_version`` is the version of the spec the answer was given under (stored with the
        answer and its history, so a later spec that renames the question can move it). ``base`` is
        the value the person started from: if a teammate saved another value meanwhile, nothing is
        overwritten, this value is kept as a conflict and :class:`~sectorkit.core.errors.EditConflict`
        is raised (see :mod:`sectorkit.store.team`); a value equal to the one saved meanwhile is no
        conflict (two pages that reached the same text). The author is :attr:`author`.
        """
        bases = {} if base is UNSET else {question: base}
        return self.save_answers(worksheet, {question: value}, spec_version=spec_version, base=bases)

    def save_answers(self, worksheet: str, values: Mapping[str, Any], *, spec_version: int | None = None,
                     base: Mapping[str, Any] | None = None) -> str:
        """Save several answers of one worksheet atomically: all or none.

        ``spec_version``: see :meth:`save_answer`; ``base`` maps question ids to the values they were
        typed over (checked as in :meth:`save_answer`; on a conflict nothing of this call is saved).
        """
        encoded = [(q, self._encode(v, f"{worksheet}/{q}")) for q, v in values.items()]
        base = base or {}
        stamp = now_utc()
        conflict: EditConflict | None = None
        with self._transaction() as conn:
            for question, value in encoded:
                if question not in base:
                    continue
                stored = conn.execute("SELECT value, saved_by, updated_at FROM answer WHERE worksheet = ? AND "
                                      "question = ?", (worksheet, question)).fetchone()
                current = stored[0] if stored else None
                if self._differs(current, base[question]) and self._differs(current, json.loads(value)):
                    self._keep_conflict(conn, worksheet, question, None, value, base[question], stamp)
                    conflict = conflict or EditConflict(worksheet, question, None, values[question],
                                                        json.loads(stored[0]), stored[1], stored[2])
            if conflict is None:
                for question, value in encoded:
                    self._save_one(conn, worksheet, question, value, stamp, spec_version)
        if conflict is not None:
            raise conflict
        return stamp

    def _save_one(self, conn, worksheet: str, question: str, value: str, stamp: str, spec_version: int | None):
        conn.execute(
            "INSERT INTO answer (worksheet, question, value, updated_at, spec_version, saved_by) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (worksheet, question) DO UPDATE SET value = excluded.value, "
            "updated_at = excluded.updated_at, spec_version = excluded.spec_version, saved_by = excluded.saved_by",
            (worksheet, question, value, stamp, spec_version, self.author),
        )
        last = conn.execute(
            "SELECT seq, saved_at, saved_by FROM answer_log WHERE worksheet = ? AND question = ? "
            "ORDER BY seq DESC LIMIT 1",
            (worksheet, question),
        ).fetchone()
        if last and last[2] == self.author and _seconds_between(last[1], stamp) < self.log_coalesce_seconds:
            conn.execute(
                "UPDATE answer_log SET value = ?, saved_at = ?, spec_version = ? WHERE seq = ?",
                (value, stamp, spec_version, last[0]),
            )
        else:
            conn.execute(
                "INSERT INTO answer_log (worksheet, question, value, saved_at, spec_version, saved_by) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (worksheet, question, value, stamp, spec_version, self.author),
            )
        self._feed(conn, "answer", worksheet, question, None, stamp)

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
                "INSERT INTO record (kind, key, value, updated_at, saved_by) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, "
                "saved_by = excluded.saved_by",
                (kind, key, encoded, stamp, self.author),
            )
            self._feed(conn, "record", kind, key, None, stamp)
        return stamp

    def records(self, kind: str) -> dict[str, Any]:
        rows = self._conn.execute("SELECT key, value FROM record WHERE kind = ? ORDER BY key", (kind,)).fetchall()
        return {k: json.loads(v) for k, v in rows}

    def delete_record(self, kind: str, key: str) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM record WHERE kind = ? AND key = ?", (kind, key))
            self._feed(conn, "record", kind, key, None, now_utc())

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
    folder = _folder(root)
    store = backends.current()
    exists = WorkspaceError(
        f"A workspace for region '{target_region}' already exists; import under another id or allow overwrite.")
    if not overwrite and store.exists(target_region, folder):
        raise exists
    try:  # built beside the target (a hidden file, or a temporary schema) and moved into place in one step
        with store.staged(target_region, folder, overwrite=overwrite) as conn:
            conn.begin()
            try:
                for table, cols in _COLUMNS.items():
                    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"  # noqa: S608
                    for row in data["tables"].get(table, []):
                        values = [row.get(c) for c in cols]
                        if table == "region":
                            values[0] = target_region
                        conn.execute(sql, values)
            except BaseException:
                conn.finish(False)
                raise
            conn.finish(True)
    except FileExistsError:
        raise exists from None
    except DatabaseError as exc:
        raise WorkspaceError(f"{source} could not be imported: {exc}.") from exc
    return Workspace.open(target_region, folder)


def create_workspace(region: str, root: str | os.PathLike | None = None, *, name: str, illustrative: bool = False,
                     setup: Callable[[Workspace], None] | None = None) -> Workspace:
    """Create ``region``'s workspace with its display name, filled by ``setup(workspace)``, all or nothing,
    never over an existing one; return it open.

    Built like an import (beside the target, then moved into place in one step), so a region that is
    half made is never seen; anything ``setup`` raises leaves nothing behind. Raises
    ``FileExistsError`` when ``region`` already has a workspace (also one created by another process
    meanwhile), :class:`WorkspaceError` when it cannot be written.

    >>> import tempfile
    >>> root = tempfile.mkdtemp()
    >>> with create_workspace("riverbend", root, name="Riverbend", setup=lambda ws: ws.put_record("k", "a", 1)) as ws:
    ...     ws.name, ws.records("k")
    ('Riverbend', {'a': 1})
    >>> create_workspace("riverbend", root, name="Again")
    Traceback (most recent call last):
    ...
    FileExistsError: riverbend
    """
    region = validate_region_id(region)
    folder = _folder(root)
    store = backends.current()
    if store.exists(region, folder):
        raise FileExistsError(region)
    with store.staged(region, folder, overwrite=False) as conn:
        staging = Workspace(region, store.path(region, folder), conn)
        staging._add_region_row(name, illustrative)
        if setup is not None:
            setup(staging)
    return Workspace.open(region, folder, create=False)


def workspace_exists(region: str, root: str | os.PathLike | None = None) -> bool:
    """True if ``region`` (a valid id, else :class:`InvalidRegionId`) has a workspace under ``root``
    (on PostgreSQL: in the database).

    Never creates anything: pages ask this before opening a region named in an address.
    """
    region = validate_region_id(region)
    return backends.current().exists(region, _folder(root))


def list_regions(root: str | os.PathLike | None = None) -> list[str]:
    """Region ids that have a workspace under ``root`` (on PostgreSQL: in the database), sorted."""
    return backends.current().regions(_folder(root))


def iter_answers(ws: Workspace, worksheets: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Answers of several worksheets at once, ``{worksheet: {question: value}}``."""
    return {w: ws.answers(w) for w in worksheets}
