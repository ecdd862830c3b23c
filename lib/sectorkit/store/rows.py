"""Rows of ``table`` questions in a region's workspace (the ``table_row`` table).

:class:`TableRows` is a mixin of :class:`~sectorkit.store.workspace.Workspace`: the methods use the
workspace's connection and transactions, so every save is one transaction like an answer's. A row
is a JSON object (column id -> value) with a stable random id and a ``position`` that orders it;
typing in one row never rewrites another, and a paste or an import (:meth:`TableRows.save_rows`)
is all or nothing.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sectorkit.core.clock import now_utc
from sectorkit.core.errors import EditConflict, WorkspaceError
from sectorkit.core.text import repair_text
from sectorkit.store.team import UNSET as _UNSET

__all__ = ["ROW_ID_PATTERN", "Row", "TableRows"]

#: Row ids of table questions: what :func:`secrets.token_hex` makes, or a caller's own short token.
ROW_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


@dataclass(frozen=True)
class Row:
    """One saved row of a ``table`` question.

    ``position`` orders the rows (ascending); ``value`` maps column id to the
    cell's value (JSON data); ``updated_at`` is the last save time (UTC ISO).
    """

    row_id: str
    position: float
    value: dict[str, Any]
    updated_at: str


def _encode(value: Any, where: str) -> str:
    try:  # a broken character (half an emoji) is stored as U+FFFD, as in Workspace._encode
        return repair_text(json.dumps(value, ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise WorkspaceError(f"Cannot save {where}: the value is not plain data ({exc}).") from exc


class TableRows:
    """Table-row methods of :class:`~sectorkit.store.workspace.Workspace` (see the module docstring)."""

    _conn: sqlite3.Connection

    def rows(self, worksheet: str, question: str) -> list[Row]:
        """The rows of one table question, in display order.

        >>> import tempfile
        >>> from sectorkit.store.workspace import Workspace
        >>> ws = Workspace.open("demo", root=tempfile.mkdtemp())
        >>> first = ws.save_row("w", "funders", None, {"source": "County grant"})
        >>> second = ws.save_row("w", "funders", None, {"source": "Dues"})
        >>> ws.move_row("w", "funders", second, 0)
        >>> [r.value["source"] for r in ws.rows("w", "funders")]
        ['Dues', 'County grant']
        >>> ws.delete_row("w", "funders", first)
        True
        >>> [r.position for r in ws.rows("w", "funders")]
        [1.0]
        """
        cur = self._conn.execute(
            "SELECT row_id, position, value, updated_at FROM table_row WHERE worksheet = ? AND question = ? "
            "ORDER BY position, row_id",
            (worksheet, question),
        )
        return [Row(r, float(p), json.loads(v), t) for r, p, v, t in cur.fetchall()]

    @staticmethod
    def _row_value(value: Any, where: str) -> str:
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            raise WorkspaceError(f"Cannot save {where}: a table row must map column ids to values.")
        return _encode(dict(value), where)

    @staticmethod
    def _row_id(row_id: str | None) -> str:
        if row_id is None:
            return secrets.token_hex(6)
        if not isinstance(row_id, str) or not ROW_ID_PATTERN.fullmatch(row_id):
            raise WorkspaceError(f"{row_id!r} is not a valid row id (letters, digits, '-' and '_', at most 40).")
        return row_id

    def save_row(
        self,
        worksheet: str,
        question: str,
        row_id: str | None,
        value: Mapping[str, Any],
        *,
        position: float | None = None,
        spec_version: int | None = None,
        base: Any = _UNSET,
    ) -> str:
        """Add or replace one row of a table question in its own transaction.

        Parameters
        ----------
        worksheet, question : str
            The answers' key (usually the spec id) and the table question's id.
        row_id : str or None
            The row to replace; None (or an id not yet stored) adds a row.
        value : mapping
            Column id -> cell value (plain JSON data).
        position : float, optional
            Where the row sorts; by default a new row goes last and a stored row keeps its place.
        spec_version : int, optional
            The spec version the row was entered under.
        base : mapping or None, optional
            The row's value the person started from (None: a row they added). If a teammate saved
            or deleted the row meanwhile, nothing is overwritten: this value is kept as a conflict and
            :class:`~sectorkit.core.errors.EditConflict` is raised (see :mod:`sectorkit.store.team`);
            a value equal to the one saved meanwhile is no conflict.

        Returns
        -------
        str
            The row's id (a new random token when ``row_id`` is None).
        """
        row_id = self._row_id(row_id)
        encoded = self._row_value(value, f"{worksheet}/{question}/{row_id}")
        stamp = now_utc()
        conflict = None
        with self._transaction() as conn:
            if base is not _UNSET:
                stored = conn.execute(
                    "SELECT value, saved_by, updated_at FROM table_row WHERE worksheet = ? AND question = ? "
                    "AND row_id = ?", (worksheet, question, row_id)).fetchone()
                current = stored[0] if stored else None
                if self._differs(current, base) and self._differs(current, json.loads(encoded)):
                    self._keep_conflict(conn, worksheet, question, row_id, encoded, base, stamp)
                    if stored is None:  # deleted meanwhile: who deleted it is in the change feed
                        stored = (None, *(conn.execute(
                            "SELECT saved_by, saved_at FROM change_feed WHERE kind = 'row' AND worksheet = ? AND "
                            "item = ? AND row_id = ? ORDER BY seq DESC LIMIT 1", (worksheet, question, row_id),
                        ).fetchone() or (None, None)))
                    conflict = EditConflict(worksheet, question, row_id, dict(value),
                                            json.loads(stored[0]) if stored[0] else None, stored[1], stored[2])
            if conflict is None and position is None:
                old = conn.execute(
                    "SELECT position FROM table_row WHERE worksheet = ? AND question = ? AND row_id = ?",
                    (worksheet, question, row_id),
                ).fetchone()
                position = old[0] if old else self._next_position(conn, worksheet, question)
            if conflict is None:
                conn.execute(
                    "INSERT INTO table_row (worksheet, question, row_id, position, value, spec_version, updated_at, "
                    "saved_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (worksheet, question, row_id) DO UPDATE SET "
                    "position = excluded.position, value = excluded.value, spec_version = excluded.spec_version, "
                    "updated_at = excluded.updated_at, saved_by = excluded.saved_by",
                    (worksheet, question, row_id, float(position), encoded, spec_version, stamp, self.author),
                )
                self._feed(conn, "row", worksheet, question, row_id, stamp)
        if conflict is not None:
            raise conflict
        return row_id

    @staticmethod
    def _next_position(conn: sqlite3.Connection, worksheet: str, question: str) -> float:
        row = conn.execute(
            "SELECT max(position) FROM table_row WHERE worksheet = ? AND question = ?", (worksheet, question)
        ).fetchone()
        return float(row[0] or 0) + 1

    def save_rows(
        self, worksheet: str, question: str, values: Iterable[Mapping[str, Any]], *, spec_version: int | None = None
    ) -> list[str]:
        """Append several rows (a paste or an import) in one transaction: all or none.

        Returns the new rows' ids, in order.
        """
        values = list(values)
        ids = [self._row_id(None) for _ in values]
        encoded = [self._row_value(v, f"{worksheet}/{question}/{i}") for v, i in zip(values, ids)]
        stamp = now_utc()
        with self._transaction() as conn:
            start = self._next_position(conn, worksheet, question)
            for n, (row_id, value) in enumerate(zip(ids, encoded)):
                conn.execute(
                    "INSERT INTO table_row (worksheet, question, row_id, position, value, spec_version, updated_at, "
                    "saved_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (worksheet, question, row_id, start + n, value, spec_version, stamp, self.author),
                )
                self._feed(conn, "row", worksheet, question, row_id, stamp)
        return ids

    def delete_row(self, worksheet: str, question: str, row_id: str) -> bool:
        """Delete one row; True if it existed."""
        with self._transaction() as conn:
            cur = conn.execute(
                "DELETE FROM table_row WHERE worksheet = ? AND question = ? AND row_id = ?",
                (worksheet, question, row_id),
            )
            if cur.rowcount > 0:
                self._feed(conn, "row", worksheet, question, row_id, now_utc())
        return cur.rowcount > 0

    def move_row(self, worksheet: str, question: str, row_id: str, new_index: int) -> None:
        """Move one row to ``new_index`` (0 = first, clamped) and renumber positions 1..n, in one transaction."""
        with self._transaction() as conn:
            order = [r for (r,) in conn.execute(
                "SELECT row_id FROM table_row WHERE worksheet = ? AND question = ? ORDER BY position, row_id",
                (worksheet, question),
            )]
            if row_id not in order:
                raise WorkspaceError(f"Row '{row_id}' of {worksheet}/{question} is not saved (deleted meanwhile?).")
            order.remove(row_id)
            order.insert(max(0, min(int(new_index), len(order))), row_id)
            for n, rid in enumerate(order, start=1):
                conn.execute(
                    "UPDATE table_row SET position = ? WHERE worksheet = ? AND question = ? AND row_id = ?",
                    (float(n), worksheet, question, rid),
                )
            self._feed(conn, "row", worksheet, question, row_id, now_utc())
