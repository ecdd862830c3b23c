"""Rows of a table question as an accessible HTML table (reports, read-only views).

>>> from sectorkit.specs.models import Column
>>> cols = [Column(id="source", type="text", label="Source"),
...         Column(id="amount", type="number", label="Amount", unit="dollars per year")]
>>> table = rows_table_html(cols, [{"source": "<Fund>", "amount": 5000}], caption="Funding")
>>> '<th scope="col">Amount (dollars per year)</th>' in table
True
>>> table.split("<tbody>")[1]
'<tr><td>&lt;Fund&gt;</td><td>5000</td></tr></tbody></table>'
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sectorkit.specs.models import Column
from sectorkit.specs.tables import Refs, column_heading, display_cell

__all__ = ["rows_table_html"]


def rows_table_html(
    columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], refs: Refs | None = None, caption: str = ""
) -> str:
    """An HTML ``<table>`` of table-question rows: one ``<th scope=col>`` per column, one row per row.

    Parameters
    ----------
    columns : sequence of Column
        The question's columns (:func:`sectorkit.specs.tables.resolve_columns`).
    rows : iterable of mappings
        Each row's stored value, ``{column id: value}`` (``Workspace.rows(...)[i].value``).
    refs : mapping, optional
        ``{"organization": {id: name}, "person": {id: name}}`` to show names instead of ids.
    caption : str
        Plain text; escaped like every cell.
    """
    head = "".join(f'<th scope="col">{html.escape(column_heading(c))}</th>' for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(display_cell(c, row.get(c.id), refs))}</td>" for c in columns) + "</tr>"
        for row in rows
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f'<table class="sk-table">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
