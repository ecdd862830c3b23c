"""Where workspaces are kept: one SQLite file per region (the default), or one PostgreSQL database.

Without ``SECTORKIT_DATABASE_URL`` every region is ``<root>/<region>/workspace.sqlite`` (embedded
SQLite, nothing to set up). With ``SECTORKIT_DATABASE_URL=postgresql://user:password@host:5432/db``
every region of the server lives in that database, one schema per region (``"ws_<region id>"``,
see :func:`sectorkit.store.postgres.schema_name`), so the hub users' servers on different
machines share their regions. The region's folder under the root (LMI uploads, summary PDFs) is
made on both backends.

The store's SQL (:mod:`~sectorkit.store.workspace`, ``rows``, ``activity``, ``team``, ``access``)
is written once, with ``?`` placeholders, and runs unchanged on both: each backend's connection
offers

- ``execute(sql, params=())`` returning a cursor (``fetchone``, ``fetchall``, iteration,
  ``description``, ``rowcount``; ``lastrowid`` after an ``INSERT`` into a table with an
  autoincrement key);
- ``begin()`` / ``finish(ok)``: one write transaction. SQLite: ``BEGIN IMMEDIATE`` (one writer
  per file). PostgreSQL: ``BEGIN ISOLATION LEVEL READ COMMITTED`` and an advisory lock of the
  region (:func:`pg_advisory_xact_lock`), so writes of one region run one at a time: the change
  feed's numbers commit in order and a save's check of the value it started from sees every
  committed save;
- ``schema_version()``, ``set_schema_version(n)``, ``statements(migration)`` (the migration's SQL
  for this backend) and ``close()``; ``location``: where it is, for messages (never a password).

A read-only workspace is refused every write by the database itself (SQLite ``mode=ro`` and
``query_only``; PostgreSQL a read-only session). Database errors of either backend are caught with
:data:`DatabaseError`.

>>> import tempfile
>>> store = current()
>>> store.name, store.exists("riverbend", Path(tempfile.mkdtemp()))
('sqlite', False)
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sectorkit.core.errors import WorkspaceError
from sectorkit.core.ids import REGION_ID_PATTERN
from sectorkit.store.schema import MIGRATIONS, SCHEMA_VERSION

__all__ = ["DB_FILENAME", "DatabaseError", "PostgresError", "SQLiteBackend", "URL_VARIABLE", "current",
           "database_url", "migrate"]

DB_FILENAME = "workspace.sqlite"
#: the environment variable naming the shared PostgreSQL database
URL_VARIABLE = "SECTORKIT_DATABASE_URL"


class PostgresError(Exception):
    """A database error of the PostgreSQL backend; ``sqlstate`` is its five-character code (e.g. ``25006``,
    a write in a read-only transaction) and the driver's exception is its ``__cause__``."""

    def __init__(self, message: str, sqlstate: str | None = None):
        super().__init__(message)
        self.sqlstate = sqlstate


#: Catch this for any database error of either backend (``except DatabaseError``).
DatabaseError = (sqlite3.Error, PostgresError)


def database_url() -> str | None:
    """``SECTORKIT_DATABASE_URL`` (read on every call), or None for SQLite files.

    Raises :class:`WorkspaceError` when it is set to something that is not a ``postgresql://`` URL.
    """
    url = os.environ.get(URL_VARIABLE, "").strip()
    if not url:
        return None
    if not url.startswith(("postgresql://", "postgres://")):
        raise WorkspaceError(f"{URL_VARIABLE} must be a postgresql://user:password@host:port/database address "
                             "(or unset, for one SQLite file per region).")
    return url


def current() -> "SQLiteBackend":
    """The backend ``SECTORKIT_DATABASE_URL`` chooses now (a PostgreSQL backend has the same methods)."""
    url = database_url()
    if url is None:
        return SQLITE
    # psycopg adds ~70 ms to an import: loaded only when a PostgreSQL database is configured
    from sectorkit.store.postgres import PostgresBackend

    return PostgresBackend(url)


# -- migrations (both backends) -------------------------------------------------------------------
def _newer(where: str, version: int) -> WorkspaceError:
    return WorkspaceError(f"The workspace at {where} was written by a newer sectorkit (schema {version}, "
                          f"this one knows {SCHEMA_VERSION}); upgrade sectorkit to open it.")


def migrate(conn) -> None:
    """Bring the workspace on ``conn`` to :data:`SCHEMA_VERSION` in one write transaction (all steps or none).

    The version is read again inside the transaction, so processes opening a new workspace at
    once create it once. Raises :class:`WorkspaceError` for a workspace of a newer schema.
    """
    if conn.schema_version() == SCHEMA_VERSION:
        return
    conn.begin()
    try:
        conn.prepare()
        version = conn.schema_version()
        if version > SCHEMA_VERSION:
            raise _newer(conn.location, version)
        for target in range(version, SCHEMA_VERSION):
            for statement in conn.statements(MIGRATIONS[target]):
                conn.execute(statement)
        if version != SCHEMA_VERSION:
            conn.set_schema_version(SCHEMA_VERSION)
    except BaseException:
        conn.finish(False)
        raise
    conn.finish(True)


def check_readable(conn) -> None:
    """Refuse (:class:`WorkspaceError`) a read-only workspace of another schema version: it cannot be migrated."""
    version = conn.schema_version()
    if version != SCHEMA_VERSION:
        newer = "newer" if version > SCHEMA_VERSION else "older"
        raise WorkspaceError(f"The workspace at {conn.location} was saved by a {newer} sectorkit (schema {version}, "
                             f"this one reads {SCHEMA_VERSION}); open it once in a worksheet page to bring it up to "
                             "date.")


def missing(region: str, where: str, setting: str) -> WorkspaceError:
    return WorkspaceError(f"No workspace for region '{region}' in {where}. Create it first (sectorkit init {region}) "
                          f"or check {setting}.")


# -- SQLite ----------------------------------------------------------------------------------------
class SQLiteConnection(sqlite3.Connection):
    """``sqlite3.Connection`` with the backend methods (``execute`` and cursors are sqlite3's own)."""

    location = ""

    def begin(self) -> None:
        self.execute("BEGIN IMMEDIATE")

    def finish(self, ok: bool) -> None:
        if self.in_transaction:
            self.execute("COMMIT" if ok else "ROLLBACK")

    def prepare(self) -> None:
        """Nothing to make before the first migration (the file is the workspace)."""

    def schema_version(self) -> int:
        return self.execute("PRAGMA user_version").fetchone()[0]

    def set_schema_version(self, version: int) -> None:
        self.execute(f"PRAGMA user_version = {int(version)}")

    @staticmethod
    def statements(migration: str) -> list[str]:
        return [s for s in migration.split(";") if s.strip()]


def _sqlite(path: Path, readonly: bool = False) -> SQLiteConnection:
    if readonly:  # SQLite itself refuses every write on this connection ("attempt to write a readonly database")
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10, isolation_level=None,
                               check_same_thread=False, factory=SQLiteConnection)
        conn.execute("PRAGMA query_only=ON")
    else:
        conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False,
                               factory=SQLiteConnection)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
    conn.location = str(path)
    return conn


class SQLiteBackend:
    """One SQLite file per region: ``<root>/<region>/workspace.sqlite``."""

    name = "sqlite"
    #: what to check in an error message about a missing workspace
    setting = "SECTORKIT_HOME"

    @staticmethod
    def path(region: str, folder: Path) -> Path:
        return folder / region / DB_FILENAME

    def location(self, region: str, folder: Path) -> str:
        return str(self.path(region, folder))

    def exists(self, region: str, folder: Path) -> bool:
        return self.path(region, folder).is_file()

    def regions(self, folder: Path) -> list[str]:
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir()
                      if REGION_ID_PATTERN.fullmatch(p.name) and (p / DB_FILENAME).exists())

    def connect(self, region: str, folder: Path, *, create: bool, readonly: bool) -> SQLiteConnection:
        """Open ``region``'s database, creating and migrating it unless ``readonly`` (see ``Workspace.open``)."""
        path = self.path(region, folder)
        if not path.exists():
            if not create or readonly:
                raise missing(region, str(folder), self.setting)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise WorkspaceError(f"Cannot create the workspace folder {path.parent}: {exc.strerror}.") from exc
        conn = None
        try:
            conn = _sqlite(path, readonly)
            if readonly:
                check_readable(conn)
            else:
                migrate(conn)
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
            raise WorkspaceError(f"The workspace file {path} cannot be read as a sectorkit workspace ({exc}).") from exc
        except BaseException:
            if conn is not None:
                conn.close()
            raise
        return conn

    @contextmanager
    def staged(self, region: str, folder: Path, *, overwrite: bool) -> Iterator[SQLiteConnection]:
        """A new, empty, migrated workspace to fill; put in place as ``region``'s when the block ends well.

        It is built in a hidden file beside the target and renamed into place in one step, so a
        failure (anything raised in the block) never touches an existing workspace and leaves no
        file behind. Raises ``FileExistsError`` when ``region`` exists and ``overwrite`` is False.
        """
        final = self.path(region, folder)
        made = [p for p in (folder, final.parent) if not p.exists()]
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=".import.", suffix=".sqlite", dir=final.parent)
            os.close(fd)
        except OSError as exc:
            raise WorkspaceError(f"Cannot create the workspace folder {final.parent}: {exc.strerror or exc}.") from exc
        tmp = Path(name)
        try:
            conn = _sqlite(tmp)
            try:
                migrate(conn)
                yield conn
            finally:
                conn.close()
            if overwrite:
                for suffix in ("-wal", "-shm"):
                    Path(str(final) + suffix).unlink(missing_ok=True)
                os.replace(tmp, final)
            else:
                _place(tmp, final)
        except BaseException:
            for path in reversed(made):  # folders made for this workspace only, and only if still empty
                if path.is_dir() and not any(path.iterdir()):
                    shutil.rmtree(path, ignore_errors=True)
            raise
        finally:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(tmp) + suffix).unlink(missing_ok=True)


def _place(built: Path, target: Path) -> None:
    """Move the built database to ``target``, never over an existing file (``FileExistsError``)."""
    try:
        os.link(built, target)  # atomic, and fails if the target appeared meanwhile
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if target.exists():
            raise FileExistsError(target) from None
        os.replace(built, target)


SQLITE = SQLiteBackend()
