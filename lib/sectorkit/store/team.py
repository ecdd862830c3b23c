"""Many hands on one region: who saved what, the change feed open pages poll, and kept conflicts.

:class:`Team` is a mixin of :class:`~sectorkit.store.workspace.Workspace`. Every save records its
author (``Workspace.author``: a hub user or the name a person gave; None when unknown) and its
session (``Workspace.session``, one random token per workspace object, i.e. per open page), and
appends one line to ``change_feed`` in the same transaction. A page polls
:meth:`Team.changes_since` with the last sequence number it saw and refreshes what others changed.

A save may name the value it started from (``base=``). When the stored value is no longer that
value (a teammate saved meanwhile), the save does not overwrite it: the new version is kept in the
``conflict`` table, :class:`~sectorkit.core.errors.EditConflict` is raised, and both versions stay
until a person chooses (:meth:`Team.resolve_conflict`). Nothing is lost silently.

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> root = tempfile.mkdtemp()
>>> ana = Workspace.open("riverbend", root=root); ana.author = "Ana"
>>> ben = Workspace.open("riverbend", root=root); ben.author = "Ben"
>>> _ = ana.save_answer("w", "q", "Three counties", base=None)
>>> [(c.item, c.saved_by) for c in ben.changes_since(0)]
[('q', 'Ana')]
>>> _ = ben.save_answer("w", "q", "Four counties", base="Three counties")
>>> try:
...     ana.save_answer("w", "q", "Two counties", base="Three counties")
... except Exception as exc:
...     print(type(exc).__name__, exc.theirs, exc.theirs_by)
EditConflict Four counties Ben
>>> [(c.value, c.saved_by) for c in ben.conflicts("w")]
[('Two counties', 'Ana')]
>>> _ = ben.resolve_conflict(ben.conflicts("w")[0].id, keep="kept")
>>> ben.answers("w")["q"], ben.conflicts("w")
('Two counties', [])
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from sectorkit.core.clock import now_utc
from sectorkit.core.errors import WorkspaceError

__all__ = ["Change", "Conflict", "Team", "UNSET"]

#: "no base given": the save overwrites whatever is stored (the behaviour before team editing)
UNSET: Any = object()

#: the change feed keeps about this many lines (older ones are pruned; a page that fell that far
#: behind reloads everything)
FEED_KEEP = 5000


@dataclass(frozen=True)
class Change:
    """One line of the change feed: ``kind`` 'answer' | 'row' | 'record' | 'conflict'; ``worksheet``
    the answers' key (or record kind); ``item`` the question id (or record key); ``row_id`` a table
    row's id or None; ``saved_by`` who (or None); ``saved_at`` UTC ISO; ``session`` the saving page."""

    seq: int
    kind: str
    worksheet: str
    item: str
    row_id: str | None
    saved_by: str | None
    saved_at: str
    session: str | None


@dataclass(frozen=True)
class Conflict:
    """A kept version that was not saved: ``value`` (yours), ``base`` (what it was typed over),
    ``saved_by``/``saved_at``/``session`` (whose and when); ``row_id`` '' for an answer."""

    id: int
    worksheet: str
    question: str
    row_id: str
    value: Any
    base: Any
    saved_by: str | None
    saved_at: str
    session: str


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


class Team:
    """Authorship, the change feed and conflicts (see the module docstring)."""

    #: who saves through this workspace object (None: unknown); shown to teammates, stored with each save
    author: str | None = None
    log_coalesce_seconds: float

    @property
    def session(self) -> str:
        """A random token for this workspace object (one open page): its own changes are not news to it."""
        token = self.__dict__.get("_session")
        if token is None:
            token = self.__dict__["_session"] = secrets.token_hex(8)
        return token

    # -- writing (called inside a save's transaction) ----------------------
    def _feed(self, conn, kind: str, worksheet: str, item: str, row_id: str | None, stamp: str) -> None:
        cur = conn.execute(
            "INSERT INTO change_feed (kind, worksheet, item, row_id, saved_by, saved_at, session) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (kind, worksheet, item, row_id, self.author, stamp, self.session),
        )
        seq = getattr(cur, "lastrowid", None)
        if seq and seq % 500 == 0:
            conn.execute("DELETE FROM change_feed WHERE seq < ?", (seq - FEED_KEEP,))

    def _keep_conflict(self, conn, worksheet: str, question: str, row_id: str | None, value: str, base: Any,
                       stamp: str) -> None:
        conn.execute(
            "INSERT INTO conflict (worksheet, question, row_id, value, base, saved_by, saved_at, session) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (worksheet, question, row_id, session) DO UPDATE SET "
            "value = excluded.value, saved_by = excluded.saved_by, saved_at = excluded.saved_at, resolved_at = NULL",
            (worksheet, question, row_id or "", value, json.dumps(base, ensure_ascii=False), self.author, stamp,
             self.session),
        )
        self._feed(conn, "conflict", worksheet, question, row_id, stamp)

    @staticmethod
    def _differs(stored: str | None, base: Any) -> bool:
        """True when the stored JSON is not ``base`` (None and "" and [] all mean "no answer")."""
        empty = (None, "", [], {})
        current = _loads(stored)
        if current in empty and base in empty:
            return False
        return current != base

    # -- reading -----------------------------------------------------------
    def latest_change(self) -> int:
        """The sequence number of the newest change (0 when none): where a new page starts polling."""
        row = self._conn.execute("SELECT max(seq) FROM change_feed").fetchone()
        return int(row[0] or 0)

    def changes_since(self, seq: int, *, others_only: bool = False) -> list[Change]:
        """Changes committed after ``seq``, oldest first (``others_only``: not this object's own)."""
        rows = self._conn.execute(
            "SELECT seq, kind, worksheet, item, row_id, saved_by, saved_at, session FROM change_feed "
            "WHERE seq > ? ORDER BY seq", (int(seq),)
        ).fetchall()
        changes = [Change(*r) for r in rows]
        return [c for c in changes if c.session != self.session] if others_only else changes

    def conflicts(self, worksheet: str | None = None, question: str | None = None) -> list[Conflict]:
        """Unresolved conflicts (kept versions), oldest first, optionally of one worksheet or question."""
        sql = ("SELECT id, worksheet, question, row_id, value, base, saved_by, saved_at, session FROM conflict "
               "WHERE resolved_at IS NULL")
        args: list[Any] = []
        if worksheet is not None:
            sql += " AND worksheet = ?"
            args.append(worksheet)
        if question is not None:
            sql += " AND question = ?"
            args.append(question)
        rows = self._conn.execute(sql + " ORDER BY id", args).fetchall()
        return [Conflict(i, w, q, r, _loads(v), _loads(b), by, at, s) for i, w, q, r, v, b, by, at, s in rows]

    def answer_by(self, worksheet: str, question: str) -> tuple[Any, str | None, str | None]:
        """``(value, saved_by, updated_at)`` of one answer; ``(None, None, None)`` when unanswered."""
        row = self._conn.execute(
            "SELECT value, saved_by, updated_at FROM answer WHERE worksheet = ? AND question = ?", (worksheet, question)
        ).fetchone()
        return (None, None, None) if row is None else (_loads(row[0]), row[1], row[2])

    def history_by(self, worksheet: str, question: str) -> list[tuple[str, str | None, Any]]:
        """Every logged value of one answer, oldest first, as ``(saved_at, saved_by, value)``."""
        rows = self._conn.execute(
            "SELECT saved_at, saved_by, value FROM answer_log WHERE worksheet = ? AND question = ? ORDER BY seq",
            (worksheet, question),
        ).fetchall()
        return [(t, by, _loads(v)) for t, by, v in rows]

    # -- choosing ------------------------------------------------------------
    def resolve_conflict(self, conflict_id: int, keep: str) -> str:
        """Settle a conflict: ``keep="saved"`` keeps the stored value, ``keep="kept"`` (the kept
        version's) saves it over the stored one. Every open conflict of that answer or row is closed.
        Returns the time (UTC ISO). Raises :class:`WorkspaceError` for an unknown or settled conflict."""
        if keep not in ("saved", "kept"):
            raise WorkspaceError("Choose 'saved' or 'kept'.")
        row = self._conn.execute(
            "SELECT worksheet, question, row_id, value FROM conflict WHERE id = ? AND resolved_at IS NULL",
            (int(conflict_id),),
        ).fetchone()
        if row is None:
            raise WorkspaceError("That choice was already made (by you or a teammate); the page shows what is saved.")
        worksheet, question, row_id, value = row
        if keep == "kept":
            coalesce, self.log_coalesce_seconds = self.log_coalesce_seconds, 0.0  # the choice is its own entry
            try:
                if row_id:
                    self.save_row(worksheet, question, row_id, json.loads(value))
                else:
                    self.save_answer(worksheet, question, json.loads(value))
            finally:
                self.log_coalesce_seconds = coalesce
        stamp = now_utc()
        with self._transaction() as conn:
            conn.execute(
                "UPDATE conflict SET resolved_at = ? WHERE worksheet = ? AND question = ? AND row_id = ? "
                "AND resolved_at IS NULL", (stamp, worksheet, question, row_id),
            )
            self._feed(conn, "conflict", worksheet, question, row_id or None, stamp)
        return stamp
