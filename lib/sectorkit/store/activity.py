"""When things changed in a region's workspace: last saves, the answer log, the home page's summary.

:class:`Activity` is a mixin of :class:`~sectorkit.store.workspace.Workspace` (read-only queries on
its connection), kept apart so the workspace module stays small.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["Activity"]


class Activity:
    """Read-only queries on ``self._conn``: last save times, history, and :meth:`activity`."""

    def last_saved(self, worksheet: str) -> str | None:
        """The last save time of any answer or table row of ``worksheet`` (UTC ISO), or None."""
        row = self._conn.execute(
            "SELECT max(t) FROM (SELECT max(updated_at) AS t FROM answer WHERE worksheet = ? "
            "UNION ALL SELECT max(updated_at) FROM table_row WHERE worksheet = ?) AS saves",
            (worksheet, worksheet),
        ).fetchone()
        return row[0]

    def activity(self) -> dict[str, Any]:
        """When each part of the workspace last changed, in three queries (the home page's progress).

        Returns
        -------
        dict
            ``{"answers": {key: last save}, "answered": {key: number of answered questions},
            "records": {kind: last change}, "record_counts": {kind: number of records},
            "last": the latest of all (or None)}``; times are UTC ISO strings. ``key`` is the
            answers' key (a spec id, or e.g. an assessment response key); table rows count under
            their question and their time.
        """
        answers: dict[str, str] = {}
        answered: dict[str, int] = {}
        for key, last, count in self._conn.execute(
            "SELECT worksheet, max(t), count(DISTINCT question) FROM ("
            "SELECT worksheet, question, updated_at AS t FROM answer "
            "WHERE value NOT IN ('null', '\"\"', '[]', '{}') "
            "UNION ALL SELECT worksheet, question, updated_at FROM table_row) AS saves GROUP BY worksheet"
        ):
            answers[key], answered[key] = last, count
        records: dict[str, str] = {}
        counts: dict[str, int] = {}
        for kind, last, count in self._conn.execute("SELECT kind, max(updated_at), count(*) FROM record GROUP BY kind"):
            records[kind], counts[kind] = last, count
        stamps = [t for t in (*answers.values(), *records.values()) if t]
        return {"answers": answers, "answered": answered, "records": records, "record_counts": counts,
                "last": max(stamps) if stamps else None}

    def history(self, worksheet: str, question: str) -> list[tuple[str, Any]]:
        """Every saved value of one answer, oldest first, as ``(saved_at, value)``."""
        rows = self._conn.execute(
            "SELECT saved_at, value FROM answer_log WHERE worksheet = ? AND question = ? ORDER BY seq",
            (worksheet, question),
        ).fetchall()
        return [(t, json.loads(v)) for t, v in rows]
