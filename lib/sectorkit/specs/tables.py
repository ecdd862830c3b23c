"""Table questions without widgets: cells, rows, pasted text, CSV/Excel import and export.

The answer to a ``table`` question is a list of rows; each row is a dict from
column id to the cell's value, ``None`` for an empty cell:

============================  ==============================================
column type                   stored value
============================  ==============================================
``text``, ``long_text``       the text (surrounding spaces removed)
``number``                    int or float ("12,000 dollars" -> 12000)
``choice``                    the option's ``value`` (its label is accepted)
``yes_no``                    True or False
``date``                      ISO ``yyyy-mm-dd`` (m/d/yyyy is accepted)
``organization``, ``person``  the id in the region's Universe of Connections
``row`` (``of: <table>``)     the row id of a row of that table of the spec
============================  ==============================================

*Refs* say which organizations, people and rows a cell may name: a mapping
``{"organization": {id: name}, "person": {id: name}, "row:<table>": {row id: label}}``
built by the caller from the region's Universe (this module sits below the Universe and never
reads it) and from :func:`row_refs` (a row's label is its first text column). A cell may give
the id or the exact name (any case); the id is stored. Without refs (or, for a ``row`` column,
without its ``row:<table>`` key), a reference cell keeps the text as given. A stored row id
that is no longer in the refs is shown as ``(deleted)``.

A row missing a required cell is still saved (nothing typed is lost); it is
reported as incomplete by :func:`missing_required`.

>>> from sectorkit.specs.models import Column
>>> amount = Column(id="amount", type="number", label="Amount", unit="dollars per year")
>>> check_cell(amount, "$12,500 dollars per year")
(12500, None)
>>> check_cell(amount, "a lot")
(None, "'Amount' is not a number: 'a lot' (type digits, for example 1250 or 12.5 dollars per year)")
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sectorkit.specs.models import Column, Question, WorksheetSpec

__all__ = [
    "MAX_FILE_BYTES", "TableImport", "check_cell", "check_row", "column_heading", "display_cell",
    "missing_required", "parse_paste", "read_table", "ref_key", "resolve_columns", "row_labels", "row_refs", "to_csv",
    "to_excel", "to_tsv",
]

Refs = Mapping[str, Mapping[str, str]]

#: Largest file :func:`read_table` reads (bytes).
MAX_FILE_BYTES = 5 * 1024 * 1024

_YES = {"yes", "y", "true", "t", "1", "x", "✓", "✔"}
_NO = {"no", "n", "false", "f", "0"}
_NUMBER = re.compile(r"^([-+]?)\s*\$?\s*((?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?)\s*(.*)$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_REF_WORDS = {"organization": "organization", "person": "person", "row": "row"}
#: what a ``row`` cell whose row was deleted shows
DELETED = "(deleted)"
DATE_HINT = "type yyyy-mm-dd or m/d/yyyy, for example 2026-03-31"


def resolve_columns(spec: WorksheetSpec, question: Question) -> list[Column]:
    """The columns of a table question with named scales replaced by their options.

    >>> from sectorkit.specs.models import parse_spec
    >>> spec = parse_spec({"id": "d", "version": 1, "title": "D",
    ...     "scales": {"status": [{"value": "asked", "label": "Asked"}]},
    ...     "sections": [{"id": "s", "title": "S", "questions": [{"id": "t", "type": "table", "label": "Funders",
    ...         "columns": [{"id": "status", "type": "choice", "label": "Status", "scale": "status"}]}]}]})
    >>> [o.label for o in resolve_columns(spec, spec.questions()[0])[0].options]
    ['Asked']
    """
    columns = []
    for col in question.columns or ():
        if col.scale is not None:
            col = col.model_copy(update={"options": spec.options_for(col), "scale": None})
        columns.append(col)
    return columns


def ref_key(column: Column) -> str | None:
    """The refs key of a reference column: ``organization``, ``person``, ``row:<table>``; None for other types.

    >>> ref_key(Column(id="metric", type="row", of="metrics", label="Metric"))
    'row:metrics'
    """
    if column.type == "row":
        return f"row:{column.of}"
    return column.type if column.type in _REF_WORDS else None


def row_labels(columns: Sequence[Column], rows: Iterable[tuple[str, Mapping[str, Any]]]) -> dict[str, str]:
    """``{row id: label}`` of a table's rows (``(row id, value)``, in order): the first text column's text.

    >>> cols = [Column(id="n", type="number", label="N"), Column(id="name", type="text", label="Name")]
    >>> row_labels(cols, [("a1", {"name": "Companies taking part"}), ("b2", {"name": " "})])
    {'a1': 'Companies taking part', 'b2': 'Row 2 (unnamed)'}
    """
    first = next((c for c in columns if c.type == "text"), None)
    labels = {}
    for n, (row_id, value) in enumerate(rows, 1):
        text = " ".join(str(value.get(first.id) or "").split()) if first is not None else ""
        labels[row_id] = text or f"Row {n} (unnamed)"
    return labels


def row_refs(spec: WorksheetSpec, columns: Sequence[Column], workspace: Any, key: str) -> dict[str, dict[str, str]]:
    """The refs of ``columns``' ``row`` columns: ``{"row:<table>": {row id: label}}`` from ``workspace``.

    ``workspace`` is duck-typed (``rows(key, question)`` giving objects with ``row_id`` and ``value``,
    as :class:`~sectorkit.store.workspace.Workspace` does); ``key`` is the answers' key (the spec id).
    """
    refs: dict[str, dict[str, str]] = {}
    for col in columns:
        if col.type == "row" and f"row:{col.of}" not in refs:
            target = resolve_columns(spec, spec.question(col.of))
            refs[f"row:{col.of}"] = row_labels(target, ((r.row_id, r.value) for r in workspace.rows(key, col.of)))
    return refs


def _shown(raw: Any) -> str:
    text = str(raw).strip()
    return text if len(text) <= 60 else text[:57] + "..."


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, float) and math.isnan(raw))


def _text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat(sep=" ")
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw).strip()


def _unit_ok(suffix: str, unit: str | None) -> bool:
    if not suffix:
        return True
    if not unit:
        return False
    s, u = suffix.casefold().strip(), unit.casefold().strip()
    return u.startswith(s) or s.rstrip("s") == u.rstrip("s")


def _number(column: Column, raw: Any) -> tuple[Any, str | None]:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        number = raw
    else:
        match = _NUMBER.match(str(raw).strip())
        number = None
        if match and match.group(2) and _unit_ok(match.group(3), column.unit):
            number = float(match.group(1) + match.group(2).replace(",", ""))
    if number is None or not math.isfinite(number):
        example = "1250 or 12.5" + (f" {column.unit}" if column.unit else "")
        return None, f"'{column.label}' is not a number: '{_shown(raw)}' (type digits, for example {example})"
    if isinstance(number, float) and number.is_integer() and abs(number) < 2**53:
        return int(number), None
    return number, None


def _date(column: Column, raw: Any) -> tuple[Any, str | None]:
    if isinstance(raw, datetime):
        return raw.date().isoformat(), None
    if isinstance(raw, date):
        return raw.isoformat(), None
    text = str(raw).strip()
    iso, us = _ISO.match(text), _US.match(text)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3))).isoformat(), None
        if us:
            return date(int(us.group(3)), int(us.group(1)), int(us.group(2))).isoformat(), None
    except ValueError:
        pass
    return None, f"'{column.label}' is not a date: '{_shown(raw)}' ({DATE_HINT})"


def _reference(column: Column, raw: Any, refs: Refs | None) -> tuple[Any, str | None]:
    text = _text(raw)
    key = ref_key(column)
    if refs is None or (column.type == "row" and key not in refs):
        return text, None
    known = refs.get(key, {})
    if text in known:
        return text, None
    folded = text.casefold()
    for ref_id, name in known.items():
        if ref_id.casefold() == folded or str(name).strip().casefold() == folded:
            return ref_id, None
    if column.type == "row":
        return None, (f"'{column.label}' names no row of the table it points to: '{_shown(raw)}' "
                      "(add that row there first, or check the spelling)")
    what = _REF_WORDS[column.type]
    return None, (f"'{column.label}' names no {what} of this region's Universe of Connections: '{_shown(raw)}' "
                  f"(add the {what} there first, or check the spelling)")


def check_cell(column: Column, raw: Any, refs: Refs | None = None) -> tuple[Any, str | None]:
    """Turn what was typed, pasted or read from a file into a cell value.

    Parameters
    ----------
    column : Column
        The cell's column (a ``choice`` column's scale resolved by :func:`resolve_columns`).
    raw : Any
        Text as typed, or a value read from a spreadsheet (number, bool, date).
    refs : mapping, optional
        ``{"organization": {id: name}, "person": {id: name}}``: what reference cells may name.

    Returns
    -------
    (value, problem)
        ``(value, None)`` when the cell is good (``value`` is None for an empty cell);
        ``(None, message)`` naming the column and the bad value otherwise.

    >>> from sectorkit.specs.models import Column, Option
    >>> check_cell(Column(id="due", type="date", label="Due date"), "3/31/2026")
    ('2026-03-31', None)
    >>> check_cell(Column(id="due", type="date", label="Due date"), "31/31/2026")[1]
    "'Due date' is not a date: '31/31/2026' (type yyyy-mm-dd or m/d/yyyy, for example 2026-03-31)"
    >>> check_cell(Column(id="ok", type="yes_no", label="Signed?"), "Yes")
    (True, None)
    >>> status = Column(id="s", type="choice", label="Status", options=[Option(value="asked", label="Asked")])
    >>> check_cell(status, "ASKED")
    ('asked', None)
    >>> lead = Column(id="lead", type="organization", label="Lead")
    >>> check_cell(lead, "acme corp", refs={"organization": {"acme": "Acme Corp"}})
    ('acme', None)
    """
    if _blank(raw):
        return None, None
    kind = column.type
    if kind in ("text", "long_text"):
        text = _text(raw)
        if len(text) > column.max_length:
            return None, f"'{column.label}' is {len(text):,} characters long; the limit is {column.max_length:,}"
        return text, None
    if kind == "number":
        return _number(column, raw)
    if kind == "date":
        return _date(column, raw)
    if kind == "yes_no":
        if isinstance(raw, bool):
            return raw, None
        word = _text(raw).casefold()
        if word in _YES or word in _NO:
            return word in _YES, None
        return None, f"'{column.label}' must be yes or no: '{_shown(raw)}'"
    if kind == "choice":
        text = _text(raw).casefold()
        options = column.options or []
        for opt in options:
            if text in (opt.value.casefold(), opt.label.casefold()):
                return opt.value, None
        allowed = ", ".join(o.label for o in options)
        return None, f"'{column.label}' must be one of: {allowed} (got '{_shown(raw)}')"
    return _reference(column, raw, refs)


def check_row(
    columns: Sequence[Column], raw: Mapping[str, Any], refs: Refs | None = None
) -> tuple[dict[str, Any], list[str]]:
    """Check every cell of one row; return ``(value, problems)``.

    ``value`` has every column id (None for empty or bad cells); ``problems``
    has one message per bad cell. Missing required cells are not problems
    here, see :func:`missing_required`.

    >>> from sectorkit.specs.models import Column
    >>> cols = [Column(id="name", type="text", label="Name"), Column(id="jobs", type="number", label="Jobs")]
    >>> check_row(cols, {"name": "Acme", "jobs": "many"})
    ({'name': 'Acme', 'jobs': None}, ["'Jobs' is not a number: 'many' (type digits, for example 1250 or 12.5)"])
    """
    value, problems = {}, []
    for col in columns:
        cell, problem = check_cell(col, raw.get(col.id), refs)
        value[col.id] = cell
        if problem:
            problems.append(problem)
    return value, problems


def missing_required(columns: Sequence[Column], value: Mapping[str, Any]) -> list[str]:
    """Labels of the required columns this row leaves empty.

    >>> from sectorkit.specs.models import Column
    >>> missing_required([Column(id="source", type="text", label="Source", required=True)], {"source": None})
    ['Source']
    """
    return [c.label for c in columns if c.required and value.get(c.id) in (None, "")]


def display_cell(column: Column, value: Any, refs: Refs | None = None) -> str:
    """A stored cell value as text (what a cell box shows and an export writes).

    >>> from sectorkit.specs.models import Column
    >>> display_cell(Column(id="ok", type="yes_no", label="Signed?"), False)
    'No'
    """
    if value is None:
        return ""
    if column.type == "yes_no":
        return "Yes" if value else "No"
    if column.type == "choice":
        return next((o.label for o in column.options or () if o.value == value), str(value))
    if column.type == "row" and refs is not None and ref_key(column) in refs:
        return str(refs[ref_key(column)].get(value, DELETED))
    if column.type in _REF_WORDS and refs is not None:
        return str(refs.get(column.type, {}).get(value, value))
    return str(value)


def column_heading(column: Column) -> str:
    """A column's heading in exports: its label, with the unit of a number column."""
    return f"{column.label} ({column.unit})" if column.unit else column.label


def _key(text: Any) -> str:
    return re.sub(r"[^0-9a-z]+", " ", str(text or "").casefold()).strip()


def _heading_index(columns: Sequence[Column]) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for col in columns:
        for name in (col.id, col.label, column_heading(col)):
            index.setdefault(_key(name), col)
    return index


@dataclass
class TableImport:
    """What a paste or a file import found.

    ``rows`` are the good rows (value dicts, ready for ``Workspace.save_rows``);
    ``problems`` name each row left out and why, and any file-level problem;
    ``incomplete`` names kept rows missing a required cell; ``notes`` are
    remarks that lost nothing (an ignored column); ``rejected`` are the raw
    cells of the rows left out, so a paste box can keep them for fixing.
    """

    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rejected: list[list[str]] = field(default_factory=list)
    header: list[str] | None = None

    def summary(self) -> str:
        """One paragraph in words: how many rows were read and what was wrong."""
        parts = [f"{len(self.rows)} row{'s' if len(self.rows) != 1 else ''} read."]
        if self.problems:
            parts.append("Not read: " + "; ".join(self.problems) + ".")
        if self.incomplete:
            parts.append("Kept but incomplete: " + "; ".join(self.incomplete) + ".")
        if self.notes:
            parts.append(" ".join(self.notes))
        return " ".join(parts)


def _rows_to_import(grid: list[list[Any]], columns: Sequence[Column], refs: Refs | None, where: str,
                    first_number: int, header_required: bool) -> TableImport:
    result = TableImport()
    index = _heading_index(columns)
    order: list[Column | None] = list(columns)
    start = 0
    if grid:
        first = [_text(c) if not _blank(c) else "" for c in grid[0]]
        named = [c for c in first if c]
        if named and all(_key(c) in index for c in named):
            order, seen = [], set()
            for cell in first:
                col = index.get(_key(cell)) if cell else None
                if col is not None and col.id in seen:
                    result.notes.append(f"The column '{cell}' appears twice; the second one was ignored.")
                    col = None
                order.append(col)
                if col is not None:
                    seen.add(col.id)
            result.header = [_text(c) for c in grid[0]]
            start = 1
        elif header_required:
            unknown = [c for c in named if _key(c) not in index]
            if not any(_key(c) in index for c in named):
                wanted = ", ".join(column_heading(c) for c in columns)
                result.problems.append(f"{where}: the first row must name the columns (for example: {wanted})")
                return result
            order = [index.get(_key(c)) if c else None for c in first]
            result.header = [_text(c) for c in grid[0]]
            ignored = ", ".join(f"'{c}'" for c in unknown)
            result.notes.append(f"These columns are not part of this table and were ignored: {ignored}.")
            start = 1
    for offset, cells in enumerate(grid[start:]):
        number = first_number + start + offset
        if all(_blank(c) for c in cells):
            continue
        extra = [c for c in cells[len(order):] if not _blank(c)]
        if extra and not header_required:
            result.problems.append(f"{where} {number}: has {len(cells)} cells but the table has {len(columns)} columns")
            result.rejected.append([_text(c) if not _blank(c) else "" for c in cells])
            continue
        raw = {col.id: cells[i] for i, col in enumerate(order) if col is not None and i < len(cells)}
        value, problems = check_row(columns, raw, refs)
        if problems:
            result.problems.append(f"{where} {number}: " + "; ".join(problems))
            result.rejected.append([_text(c) if not _blank(c) else "" for c in cells])
            continue
        missing = missing_required(columns, value)
        if missing:
            result.incomplete.append(f"{where} {number}: " + ", ".join(f"'{m}'" for m in missing) + " left empty")
        result.rows.append(value)
    return result


def parse_paste(text: str, columns: Sequence[Column], refs: Refs | None = None) -> TableImport:
    """Rows from text copied out of a spreadsheet (tab-separated, Excel's quoting).

    A first line whose cells are all column labels or ids is read as the
    header and sets the column order; otherwise cells are taken in the
    table's column order. Row numbers in messages count pasted rows.

    >>> from sectorkit.specs.models import Column
    >>> cols = [Column(id="source", type="text", label="Source"), Column(id="amount", type="number", label="Amount")]
    >>> found = parse_paste('Amount\\tSource\\n"12,000"\\t"County ""match"" grant"\\nlots\\tDues\\n', cols)
    >>> found.rows
    [{'source': 'County "match" grant', 'amount': 12000}]
    >>> found.problems
    ["row 3: 'Amount' is not a number: 'lots' (type digits, for example 1250 or 12.5)"]
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    grid = [row for row in csv.reader(io.StringIO(text), delimiter="\t")]
    return _rows_to_import(grid, columns, refs, "row", 1, header_required=False)


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def read_table(filename: str, data: bytes, columns: Sequence[Column], refs: Refs | None = None) -> TableImport:
    """Rows of one table from an uploaded CSV (``.csv``) or Excel (``.xlsx``) file.

    The first row (of the first sheet with anything in it) must name the
    columns by label or id; columns the table does not have are ignored with
    a note. Good rows are returned; each bad row is named by its spreadsheet
    row number and left out. Text files are read as UTF-8, else Windows-1252.

    >>> from sectorkit.specs.models import Column
    >>> cols = [Column(id="task", type="text", label="Task"), Column(id="due", type="date", label="Due date")]
    >>> found = read_table("plan.csv", b"Task,Due date\\nCall mayor,3/1/2026\\nBudget,31/31/2026\\n", cols)
    >>> found.rows
    [{'task': 'Call mayor', 'due': '2026-03-01'}]
    >>> found.problems[0].split(" (")[0]
    "row 3: 'Due date' is not a date: '31/31/2026'"
    """
    label = Path(filename).name
    suffix = Path(filename).suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        return TableImport(problems=[f"{label} is larger than {MAX_FILE_BYTES // 2**20} MB; nothing was read"])
    if suffix == ".csv":
        text = _decode(data)
        if text is None:
            return TableImport(problems=[f"{label} cannot be read as text; save it as CSV (UTF-8) and try again"])
        head = text.split("\n", 1)[0]
        delimiter = ","  # Excel in some locales writes ';', and a .csv is sometimes tab-separated
        if "," not in head:
            delimiter = "\t" if "\t" in head else (";" if ";" in head else ",")
        grid = list(csv.reader(io.StringIO(text.replace("\r\n", "\n")), delimiter=delimiter))
    elif suffix in (".xlsx", ".xlsm"):
        # openpyxl is slow to import; only an upload needs it
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            why = (f"{label} cannot be opened as an Excel workbook ({exc.__class__.__name__}); "
                   "save it as .xlsx and try again")
            return TableImport(problems=[why])
        try:
            grid = []
            for sheet in book.worksheets:
                grid = [list(r) for r in sheet.iter_rows(values_only=True)]
                if any(not _blank(c) for r in grid for c in r):
                    break
        finally:
            book.close()
    else:
        return TableImport(problems=[f"{label} is not a CSV (.csv) or Excel (.xlsx) file; nothing was read"])
    if not any(not _blank(c) for r in grid for c in r):
        return TableImport(problems=[f"{label} is empty"])
    return _rows_to_import(grid, columns, refs, "row", 1, header_required=True)


def _export_rows(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], refs: Refs | None) -> list[list[Any]]:
    return [[display_cell(c, r.get(c.id), refs) for c in columns] for r in rows]


def to_tsv(cells: Iterable[Sequence[Any]]) -> str:
    """Rows of cells as tab-separated text, quoted the way Excel copies them."""
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(cells)
    return out.getvalue()


def to_csv(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], refs: Refs | None = None) -> bytes:
    """A table as CSV bytes (UTF-8 with a byte-order mark, so Excel shows accents).

    References are written as names when ``refs`` is given; :func:`read_table`
    reads the file back.

    >>> from sectorkit.specs.models import Column
    >>> to_csv([Column(id="ok", type="yes_no", label="Signed?")], [{"ok": True}]).decode("utf-8-sig")
    'Signed?\\r\\nYes\\r\\n'
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column_heading(c) for c in columns])
    writer.writerows(_export_rows(columns, rows, refs))
    return out.getvalue().encode("utf-8-sig")


def to_excel(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], refs: Refs | None = None,
             title: str = "Table") -> bytes:
    """A table as an Excel workbook (one sheet), as ``.xlsx`` bytes.

    Numbers stay numbers and dates are date cells; choices, yes/no and
    references are written as the text a person reads.

    >>> from sectorkit.specs.models import Column
    >>> data = to_excel([Column(id="n", type="number", label="Jobs")], [{"n": 12}])
    >>> read_table("t.xlsx", data, [Column(id="n", type="number", label="Jobs")]).rows
    [{'n': 12}]
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Table"
    sheet.append([column_heading(c) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        cells: list[Any] = []
        for col in columns:
            value = row.get(col.id)
            if value is not None and col.type == "number":
                cells.append(value)
            elif value is not None and col.type == "date":
                try:
                    cells.append(date.fromisoformat(value))
                except (TypeError, ValueError):
                    cells.append(str(value))
            else:
                cells.append(display_cell(col, value, refs) or None)
        sheet.append(cells)
    for i, col in enumerate(columns, start=1):
        if col.type == "date":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = "yyyy-mm-dd"
        width = 40 if col.type == "long_text" else max(12, min(40, len(column_heading(col)) + 4))
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = width
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
