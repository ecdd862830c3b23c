"""Checking a workspace export (``Workspace.export_json``'s JSON) before it is imported.

``check_export(data, source)`` validates the format marker and version, that every table is a list
of rows with exactly its columns (``COLUMNS``; ``OPTIONAL_COLUMNS`` may be missing in an export from
an older schema), and that every ``value`` is JSON; it returns the region id of the export or raises
:class:`~sectorkit.core.errors.WorkspaceError` naming the table and row.

>>> check_export({"format": "other"}, "x.json")
Traceback (most recent call last):
...
sectorkit.core.errors.WorkspaceError: x.json is not a sectorkit workspace export.
"""

from __future__ import annotations

import json
from typing import Any

from sectorkit.core.errors import WorkspaceError
from sectorkit.core.ids import validate_region_id

__all__ = ["COLUMNS", "EXPORT_FORMAT", "EXPORT_VERSION", "OPTIONAL_COLUMNS", "check_export"]

#: Format marker written into exports and checked on import.
EXPORT_FORMAT = "sectorkit-workspace"
EXPORT_VERSION = 1

COLUMNS = {
    "region": ("id", "name", "illustrative", "created_at"),
    "answer": ("worksheet", "question", "value", "updated_at", "spec_version", "saved_by"),
    "answer_log": ("seq", "worksheet", "question", "value", "saved_at", "spec_version", "saved_by"),
    "record": ("kind", "key", "value", "updated_at", "saved_by"),
    "table_row": ("worksheet", "question", "row_id", "position", "value", "spec_version", "updated_at", "saved_by"),
    "conflict": ("id", "worksheet", "question", "row_id", "value", "base", "saved_by", "saved_at", "session",
                 "resolved_at"),
}
#: columns an export from an older schema may lack (imported as NULL); ``saved_by`` (who) came with schema 4
OPTIONAL_COLUMNS = {"spec_version", "saved_by"}


def check_export(data: Any, source: str) -> str:
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise WorkspaceError(f"{source} is not a sectorkit workspace export.")
    if data.get("format_version") != EXPORT_VERSION:
        raise WorkspaceError(
            f"{source} uses export format {data.get('format_version')!r}; "
            f"this sectorkit reads version {EXPORT_VERSION}."
        )
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise WorkspaceError(f"{source} has no 'tables' section.")
    for table, cols in COLUMNS.items():
        rows = tables.get(table, [])
        if not isinstance(rows, list):
            raise WorkspaceError(f"{source}: table '{table}' must be a list of rows.")
        for i, row in enumerate(rows):
            if not isinstance(row, dict) or not set(cols) - OPTIONAL_COLUMNS <= set(row) <= set(cols):
                raise WorkspaceError(
                    f"{source}: row {i + 1} of table '{table}' must have exactly the columns {', '.join(cols)}."
                )
            for col in ("value",):
                if col in row:
                    try:
                        json.loads(row[col])
                    except (TypeError, ValueError) as exc:
                        raise WorkspaceError(
                            f"{source}: row {i + 1} of table '{table}' has a value that is not JSON."
                        ) from exc
    return validate_region_id(data.get("region"))
