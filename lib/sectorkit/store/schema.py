"""The workspace schema: the migrations that build it, one version at a time.

``MIGRATIONS[i]`` upgrades a workspace from version ``i`` to ``i + 1`` (index 0 creates version 1);
``SCHEMA_VERSION`` is the version this sectorkit writes. The SQL is written once for both backends:
SQLite, and PostgreSQL (:mod:`sectorkit.store.backends` translates the few words that differ:
``INTEGER PRIMARY KEY AUTOINCREMENT`` and ``REAL``). ``TABLES`` are the tables an export carries
(``region_access``, the access codes and members, never leaves the server).
"""

from __future__ import annotations

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "TABLES"]

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

TABLES = ("region", "answer", "answer_log", "record", "table_row")
MIGRATIONS.append(
    """
    -- Who saved each answer, row and record (a hub user or the name a person gave, NULL before v4).
    ALTER TABLE answer ADD COLUMN saved_by TEXT;
    ALTER TABLE answer_log ADD COLUMN saved_by TEXT;
    ALTER TABLE table_row ADD COLUMN saved_by TEXT;
    ALTER TABLE record ADD COLUMN saved_by TEXT;
    -- One line per save, in commit order: what an open page polls to pick up a teammate's changes.
    CREATE TABLE change_feed (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,           -- 'answer', 'row', 'record' or 'conflict'
        worksheet TEXT NOT NULL,      -- the answers' key, or the record kind
        item TEXT NOT NULL,           -- the question id, or the record key
        row_id TEXT,                  -- a table row's id
        saved_by TEXT,
        saved_at TEXT NOT NULL,
        session TEXT                  -- the page (workspace object) that saved
    );
    -- A save that started from a value someone else had changed meanwhile: kept, not lost, until
    -- a person chooses between it and the saved one.
    CREATE TABLE conflict (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        worksheet TEXT NOT NULL,
        question TEXT NOT NULL,
        row_id TEXT NOT NULL,         -- '' for an answer
        value TEXT NOT NULL,          -- JSON: the version that was not saved
        base TEXT,                    -- JSON: the value it was typed over
        saved_by TEXT,
        saved_at TEXT NOT NULL,
        session TEXT NOT NULL,
        resolved_at TEXT,
        UNIQUE (worksheet, question, row_id, session)
    );
    -- Who may open the region: 'code' (a salted scrypt hash of its access code) or 'member' (a hub user).
    CREATE TABLE region_access (
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (kind, value)
    )
    """
)
SCHEMA_VERSION = len(MIGRATIONS)
TABLES = ("region", "answer", "answer_log", "record", "table_row", "conflict")
