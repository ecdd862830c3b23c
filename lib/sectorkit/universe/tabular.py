"""Importing and exporting the Universe of Connections as CSV files or one Excel workbook.

Three tables: ``organizations``, ``people`` and ``relationships`` (columns in
:data:`TABLES`). An import keeps every good row and returns one message per
bad row or file in an :class:`ImportReport`.

>>> sorted(TABLES)
['organizations', 'people', 'relationships']
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sectorkit.universe.model import NetworkError, Organization, Person, Relationship, Universe
from sectorkit.universe.store import KIND_PERSON, KIND_REL, load_universe, save_organization
from sectorkit.universe.vocab import _norm

TABLES: dict[str, tuple[str, ...]] = {
    "organizations": ("id", "name", "kind", "system", "sector", "size"),
    "people": ("id", "name", "organization", "title", "c_suite"),
    "relationships": ("person_a", "person_b", "strength"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "organizations": ("name", "kind"),
    "people": ("name", "organization"),
    "relationships": ("person_a", "person_b", "strength"),
}


@dataclass
class Table:
    """Rows of one table as read from a file: ``rows`` are ``(row_number, {column: text})``."""

    name: str
    source: str  # how messages name it, e.g. "people.csv" or "universe.xlsx sheet 'people'"
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


@dataclass
class ImportReport:
    """What an import did: counts of rows saved per table, and one message per problem."""

    saved: dict[str, int] = field(default_factory=lambda: {t: 0 for t in TABLES})
    messages: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.messages

    def summary(self) -> str:
        parts = [f"{n} {t if n != 1 else t.rstrip('s').replace('peopl', 'person')}" for t, n in self.saved.items()]
        text = "Imported " + ", ".join(parts) + "."
        if self.messages:
            s = "s" if len(self.messages) != 1 else ""
            text += f" {len(self.messages)} row{s} or file{s} had problems and were skipped."
        return text


def _table_for(name: str, columns: Iterable[str]) -> str | None:
    stem = _norm(Path(name).stem)
    for table, aliases in (("organizations", ("organization", "org")), ("people", ("person",)),
                           ("relationships", ("relationship", "connection", "tie"))):
        if stem.startswith(table) or any(stem.startswith(a) for a in aliases) or stem.endswith(table):
            return table
    cols = set(columns)
    if {"person_a", "person_b"} <= cols:
        return "relationships"
    if "organization" in cols:
        return "people"
    if "kind" in cols:
        return "organizations"
    return None


def _clean_header(cells: Iterable[Any]) -> list[str]:
    return [_norm(c).replace("-", "_") for c in cells]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_to_table(name: str, source: str, header: list[Any], body: Iterable[tuple[int, list[Any]]]) -> Table:
    columns = _clean_header(header)
    rows = []
    for number, cells in body:
        values = [_cell_text(c) for c in cells]
        if not any(values):
            continue  # blank lines are not rows
        rows.append((number, {col: (values[i] if i < len(values) else "") for i, col in enumerate(columns) if col}))
    return Table(name, source, columns, rows)


def read_tables(filename: str, data: bytes) -> tuple[list[Table], list[str]]:
    """Parse one uploaded file into tables; return ``(tables, messages)``.

    A ``.csv`` file is one table, named by its file name (``people.csv``) or
    recognised from its columns; an ``.xlsx`` workbook has one sheet per table.
    Anything else is refused with a message.

    >>> tables, problems = read_tables("people.csv", b"name,organization\\nDana Ortiz,acme\\n")
    >>> tables[0].name, tables[0].rows
    ('people', [(2, {'name': 'Dana Ortiz', 'organization': 'acme'})])
    >>> read_tables("notes.txt", b"hello")[1]
    ['notes.txt: not a CSV (.csv) or Excel (.xlsx) file; nothing was read from it']
    """
    label = Path(filename).name
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                return [], [f"{label}: cannot be read as text; save it as CSV (UTF-8) and try again"]
        reader = list(csv.reader(io.StringIO(text)))
        if not reader:
            return [], [f"{label}: the file is empty"]
        header, body = reader[0], [(i + 2, row) for i, row in enumerate(reader[1:])]
        columns = _clean_header(header)
        table = _table_for(label, columns)
        if table is None:
            return [], [f"{label}: cannot tell which table this is; "
                        "name it organizations.csv, people.csv or relationships.csv"]
        return [_rows_to_table(table, label, header, body)], []
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            return [], [f"{label}: cannot be opened as an Excel workbook ({exc.__class__.__name__}); "
                        "save it as .xlsx and try again"]
        tables, messages = [], []
        try:
            for ws in wb.worksheets:
                rows = list(ws.iter_rows(values_only=True))
                source = f"{label} sheet '{ws.title}'"
                if not rows or not any(c not in (None, "") for c in rows[0]):
                    continue
                columns = _clean_header(rows[0])
                table = _table_for(ws.title, columns)
                if table is None:
                    messages.append(f"{source}: not one of the sheets organizations, people, relationships; skipped")
                    continue
                body = ((i + 2, list(r)) for i, r in enumerate(rows[1:]))
                tables.append(_rows_to_table(table, source, list(rows[0]), body))
        finally:
            wb.close()
        if not tables and not messages:
            messages.append(f"{label}: no sheet named organizations, people or relationships was found")
        return tables, messages
    return [], [f"{label}: not a CSV (.csv) or Excel (.xlsx) file; nothing was read from it"]


def import_files(ws, files: Iterable[tuple[str, bytes]] | Iterable[str | os.PathLike]) -> ImportReport:
    """Import CSV/Excel files into the workspace; keep good rows, report bad ones.

    ``files`` are ``(filename, bytes)`` pairs (an upload) or paths. Organizations
    are imported first, then people, then relationships, so one upload can
    hold all three. A row whose id is already in the workspace replaces it; an
    id repeated within one import is kept once, at its first row.

    Examples
    --------
    >>> import tempfile
    >>> from sectorkit.store.workspace import Workspace
    >>> ws = Workspace.open("demo", root=tempfile.mkdtemp())
    >>> report = import_files(ws, [("people.csv", b"name,organization\\nDana,acme\\n"),
    ...     ("organizations.csv", b"name,kind,system\\nAcme,business,\\nBoard,partner,workforce\\n")])
    >>> report.saved, report.messages
    ({'organizations': 2, 'people': 1, 'relationships': 0}, [])
    """
    report = ImportReport()
    tables: list[Table] = []
    for item in files:
        if isinstance(item, tuple):
            name, data = item
        else:
            path = Path(item).expanduser()
            try:
                name, data = path.name, path.read_bytes()
            except OSError as exc:
                report.messages.append(f"{path}: cannot be read ({exc.strerror or exc})")
                continue
        found, problems = read_tables(name, bytes(data))
        tables.extend(found)
        report.messages.extend(problems)

    universe = load_universe(ws)
    order = {t: i for i, t in enumerate(TABLES)}
    for table in sorted(tables, key=lambda t: order[t.name]):
        missing = [c for c in REQUIRED[table.name] if c not in table.columns]
        if missing:
            report.messages.append(
                f"{table.source}: missing column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(repr(c) for c in missing)}; none of its rows were imported "
                f"(expected columns: {', '.join(TABLES[table.name])})"
            )
            continue
        seen: dict[str, int] = {}
        for number, row in table.rows:
            where = f"{table.source} row {number}"
            try:
                if table.name == "organizations":
                    item = Organization.create(**{k: row.get(k, "") for k in TABLES["organizations"]})
                    key = item.id
                elif table.name == "people":
                    item = Person.create(**{k: row.get(k, "") for k in TABLES["people"]})
                    key = item.id
                    if item.organization not in universe.organizations:
                        raise NetworkError(f"organization '{item.organization}' is not listed")
                else:
                    item = Relationship.create(a=row.get("person_a"), b=row.get("person_b"),
                                               strength=row.get("strength"))
                    key = item.key
                    for pid in (item.a, item.b):
                        if pid not in universe.people:
                            raise NetworkError(f"person '{pid}' is not listed")
                if key in seen:
                    raise NetworkError(f"'{key}' is already in this file at row {seen[key]}; this row was skipped")
            except NetworkError as exc:
                report.messages.append(f"{where}: {exc}")
                continue
            seen[key] = number
            if table.name == "organizations":
                save_organization(ws, item)
                universe.organizations[key] = item
            elif table.name == "people":
                ws.put_record(KIND_PERSON, key, asdict(item))
                universe.people[key] = item
            else:
                ws.put_record(KIND_REL, key, asdict(item))
                universe.relationships[key] = item
            report.saved[table.name] += 1
    return report


def _table_rows(u: Universe) -> dict[str, list[list[Any]]]:
    return {
        "organizations": [[o.id, o.name, o.kind, o.system, o.sector, o.size]
                          for o in sorted(u.organizations.values(), key=lambda o: o.id)],
        "people": [[p.id, p.name, p.organization, p.title, "yes" if p.c_suite else "no"]
                   for p in sorted(u.people.values(), key=lambda p: p.id)],
        "relationships": [[r.a, r.b, r.strength] for r in sorted(u.relationships.values(), key=lambda r: r.key)],
    }


def export_csv(universe: Universe, folder: str | os.PathLike) -> list[Path]:
    """Write ``organizations.csv``, ``people.csv`` and ``relationships.csv`` into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table, rows in _table_rows(universe).items():
        path = folder / f"{table}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(TABLES[table])
            w.writerows(rows)
        written.append(path)
    return written


def excel_bytes(universe: Universe) -> bytes:
    """The universe as an Excel workbook (one sheet per table), as bytes."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for table, rows in _table_rows(universe).items():
        sheet = wb.create_sheet(table)
        sheet.append(list(TABLES[table]))
        for row in rows:
            sheet.append(row)
        for i, col in enumerate(TABLES[table]):
            wide = col in ("name", "title", "sector")
            sheet.column_dimensions[chr(ord("A") + i)].width = 30 if wide else max(12, len(col) + 4)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_excel(universe: Universe, path: str | os.PathLike) -> Path:
    """Write the universe to one ``.xlsx`` workbook; return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(excel_bytes(universe))
    return path
