"""Importing and exporting the Universe of Connections as CSV files or one Excel workbook.

Three tables: ``organizations``, ``people`` and ``relationships`` (columns in
:data:`TABLES`). An import keeps every good row and returns one message per
bad row or file in an :class:`ImportReport`.

What an import never does silently (see :func:`import_files`):

- **People with the same name.** Without an ``id`` column a person's id is made from
  the name, so two people called "Maria Garcia" would share one. Rows of one file with
  the same name at *different* organizations are two people: both are kept, the second
  getting the name plus the organization as id (``maria-garcia-acme-plastics``), and a
  note says so. A row that would *move* someone already listed to another organization
  (a later upload, by name or by id) is skipped and named in a message: the person stays
  where they are. Move a person on the Universe page, or give the row its own id.
- **Excel formulas with no saved value** (a workbook written by a program, never opened
  in Excel) are reported as such: "open and save the file in Excel first", never as a
  blank name.
- **Broken Unicode** (half an emoji) in any cell is replaced with U+FFFD and one note
  lists the cells.

>>> sorted(TABLES)
['organizations', 'people', 'relationships']
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from sectorkit.core.text import REPLACEMENT, repair_text, repair_xlsx
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
    """Rows of one table as read from a file: ``rows`` are ``(row_number, {column: text})``.

    ``problems`` maps a row number to why that row cannot be imported as read (an Excel formula
    with no saved value); ``repaired`` names the cells whose broken Unicode was replaced.
    """

    name: str
    source: str  # how messages name it, e.g. "people.csv" or "universe.xlsx sheet 'people'"
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    problems: dict[int, str] = field(default_factory=dict)
    repaired: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import did: rows saved per table, one message per skipped row or file, and notes.

    ``notes`` are things done on the user's behalf that they should know (a second person of the
    same name given its own id, broken characters replaced); the rows were imported.
    """

    saved: dict[str, int] = field(default_factory=lambda: {t: 0 for t in TABLES})
    messages: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.messages

    def summary(self) -> str:
        one = {"organizations": "organization", "people": "person", "relationships": "relationship"}
        parts = [f"{n} {t if n != 1 else one[t]}" for t, n in self.saved.items()]
        text = "Imported " + ", ".join(parts) + "."
        if self.messages:
            s = "s" if len(self.messages) != 1 else ""
            text += f" {len(self.messages)} row{s} or file{s} had problems and were skipped."
        for note in self.notes:
            text += f" Note: {note}"
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


def _column_letter(index: int) -> str:
    """0 -> 'A', 26 -> 'AA' (Excel column names)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _formula_problem(columns: list[str], number: int, missing: list[tuple[int, Any]]) -> str:
    names = [columns[i] if i < len(columns) and columns[i] else f"column {_column_letter(i)}" for i, _ in missing]
    cells = ", ".join(f"{_column_letter(i)}{number}" for i, _ in missing)
    first = str(missing[0][1])
    shown = first if len(first) <= 40 else first[:37] + "..."
    one = len(missing) == 1
    return (f"the {', '.join(names)} cell{'' if one else 's'} ({cells}) {'has a formula' if one else 'have formulas'} "
            f"with no saved value ({shown}); open and save the file in Excel first, then import it again")


def _rows_to_table(name: str, source: str, header: list[Any], body: Iterable[tuple[int, list[Any]]],
                   formulas: dict[int, list[Any]] | None = None, mark_replacement: bool = False) -> Table:
    """``formulas``: row number -> that row's cells read without saved values (Excel only);
    ``mark_replacement``: U+FFFD in a cell was put there by a repair of the file (name the cell)."""
    columns = _clean_header(repair_text(_cell_text(c)) for c in header)
    table = Table(name, source, columns, [])
    for number, cells in body:
        values = [_cell_text(c) for c in cells]
        raw = (formulas or {}).get(number, [])
        missing = [(i, f) for i, f in enumerate(raw) if f is not None and (i >= len(cells) or cells[i] is None)]
        if not any(values) and not missing:
            continue  # blank lines are not rows
        if missing:
            table.problems[number] = _formula_problem(columns, number, missing)
        for i, text in enumerate(values):
            fixed = repair_text(text)  # halves that pair up are joined silently; a half alone becomes U+FFFD
            if fixed.count(REPLACEMENT) > text.count(REPLACEMENT) or (mark_replacement and REPLACEMENT in text):
                col = columns[i] if i < len(columns) and columns[i] else _column_letter(i)
                table.repaired.append(f"{source} row {number} ({col})")
            values[i] = fixed
        table.rows.append((number, {col: (values[i] if i < len(values) else "")
                                    for i, col in enumerate(columns) if col}))
    return table


def _read_workbook(label: str, data: bytes, mark_replacement: bool = False) -> tuple[list[Table], list[str]]:
    """Read every sheet of an Excel workbook; a formula with no saved value makes its row a problem."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        wf = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        return [], [f"{label}: cannot be opened as an Excel workbook ({exc.__class__.__name__}); "
                    "save it as .xlsx and try again"]
    tables, messages = [], []
    try:
        for ws, wsf in zip(wb.worksheets, wf.worksheets):
            rows = list(ws.iter_rows(values_only=True))
            title = repair_text(ws.title)
            source = f"{label} sheet '{title}'"
            if not rows or not any(c not in (None, "") for c in rows[0]):
                continue
            columns = _clean_header(repair_text(_cell_text(c)) for c in rows[0])
            table = _table_for(title, columns)
            if table is None:
                messages.append(f"{source}: not one of the sheets organizations, people, relationships; skipped")
                continue
            formulas = {i + 1: list(r) for i, r in enumerate(wsf.iter_rows(values_only=True)) if i}
            body = ((i + 2, list(r)) for i, r in enumerate(rows[1:]))
            tables.append(_rows_to_table(table, source, list(rows[0]), body, formulas, mark_replacement))
    finally:
        wb.close()
        wf.close()
    if not tables and not messages:
        messages.append(f"{label}: no sheet named organizations, people or relationships was found")
    return tables, messages


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
    label = repair_text(Path(filename).name)
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:  # UTF-8 apart from encoded halves of emoji (CESU-8, or one half alone): repaired cell by cell
                text = data.decode("utf-8-sig", "surrogatepass")
            except UnicodeDecodeError:
                try:
                    text = data.decode("cp1252")
                except UnicodeDecodeError:
                    return [], [f"{label}: cannot be read as text; save it as CSV (UTF-8) and try again"]
        reader = list(csv.reader(io.StringIO(text)))
        if not reader:
            return [], [f"{label}: the file is empty"]
        header, body = reader[0], [(i + 2, row) for i, row in enumerate(reader[1:])]
        columns = _clean_header(repair_text(c) for c in header)
        table = _table_for(label, columns)
        if table is None:
            return [], [f"{label}: cannot tell which table this is; "
                        "name it organizations.csv, people.csv or relationships.csv"]
        return [_rows_to_table(table, label, header, body)], []
    if suffix in (".xlsx", ".xlsm"):
        try:
            return _read_workbook(label, data)
        except SyntaxError:  # XML that does not parse: most often half an emoji written as &#55357;
            try:
                fixed, count = repair_xlsx(data)
                if count:
                    return _read_workbook(label, fixed, mark_replacement=True)
            except (zipfile.BadZipFile, SyntaxError, OSError, ValueError):
                pass
            return [], [f"{label}: part of the workbook cannot be read (damaged XML); "
                        "open it in Excel, save it as .xlsx and try again"]
    return [], [f"{label}: not a CSV (.csv) or Excel (.xlsx) file; nothing was read from it"]


def _name_key(name: Any) -> str:
    return " ".join(str(name or "").split()).casefold()


class _PeopleIds:
    """Which person each row of a people table is, so that no one is merged or moved silently.

    ``before`` is who was listed before this import; ``listed`` the organizations this import
    gives for each name (a name the file lists at the old organization as well is a second person,
    not a move); ``taken`` the ids in use (listed before, or given to an earlier row).
    """

    def __init__(self, universe: Universe, tables: list[Table]):
        self.universe = universe
        self.before = dict(universe.people)
        self.by_name: dict[str, list[Person]] = defaultdict(list)
        for person in self.before.values():
            self.by_name[_name_key(person.name)].append(person)
        self.listed: dict[str, set[str]] = defaultdict(set)
        self.taken = set(self.before)
        self.rows_at: dict[tuple[str, str], int] = {}
        for table in tables:
            for _, row in table.rows if table.name == "people" else ():
                self.listed[_name_key(row.get("name"))].add(str(row.get("organization") or "").strip())

    def _org(self, org_id: str) -> str:
        org = self.universe.organizations.get(org_id)
        return org.name if org else org_id

    def _other_id(self, item: Person) -> str:
        base = item.id
        for candidate in [f"{base}-{item.organization}"[:63].rstrip("-")] + [f"{base[:58]}-{n}" for n in range(2, 999)]:
            if candidate not in self.taken:
                return candidate
        raise NetworkError(f"too many people named '{item.name}'; add an id column")

    def _would_move(self, old: Person, item: Person) -> NetworkError:
        return NetworkError(
            f"'{old.name}' is already listed at {self._org(old.organization)} (id '{old.id}'); this row says "
            f"'{item.organization}'. An import never moves a person, so they stay at {self._org(old.organization)} "
            f"and this row was skipped. If this is a different person, add an id column and give this row a new "
            f"id (for example '{self._other_id(item)}'); if the person moved, change it on the Universe page.")

    def resolve(self, row: dict[str, str], item: Person, where: str, number: int) -> tuple[Person, str | None]:
        """The person this row is (its id settled) and a note if it got an id other than its name's;
        raise :class:`NetworkError` if the row would move someone or cannot be told apart."""
        name, org = _name_key(item.name), item.organization
        if str(row.get("id") or "").strip():
            old = self.before.get(item.id)
            if old is not None and old.organization != org:
                raise self._would_move(old, item)
            self.taken.add(item.id)
            return item, None
        if (name, org) in self.rows_at:
            raise NetworkError(f"'{item.name}' at {org} is already in this file at row {self.rows_at[name, org]}; "
                               "this row was skipped (for two people of the same name at one organization, "
                               "add an id column)")
        same = [p for p in self.by_name[name] if p.organization == org]
        if len(same) > 1:
            raise NetworkError(f"{len(same)} people named '{item.name}' are listed at {org} "
                               f"({', '.join(p.id for p in same)}); add an id column to say which one this row is")
        note = None
        if same:
            item = replace(item, id=same[0].id)
        else:
            moved = [p for p in self.by_name[name] if p.organization not in self.listed[name]]
            if moved:
                raise self._would_move(moved[0], item)
            if item.id in self.taken:
                other = self.universe.people.get(item.id)
                first = f" at {self._org(other.organization)}" if other else ""
                item = replace(item, id=self._other_id(item))
                note = (f"{where}: '{item.name}' at {self._org(org)} is not the '{item.name}'{first}, so this one "
                        f"has the id '{item.id}'; use that id for them in relationships.")
        self.rows_at[name, org] = number
        self.taken.add(item.id)
        return item, note


def import_files(ws, files: Iterable[tuple[str, bytes]] | Iterable[str | os.PathLike]) -> ImportReport:
    """Import CSV/Excel files into the workspace; keep good rows, report bad ones.

    ``files`` are ``(filename, bytes)`` pairs (an upload) or paths. Organizations
    are imported first, then people, then relationships, so one upload can
    hold all three. A row whose id is already in the workspace replaces it; an
    id repeated within one import is kept once, at its first row.

    People rows without an id are matched by name and organization: the same name at the same
    organization updates that person; a second person of the same name at another organization in
    the same import gets its own id (name plus organization, with a note); a row that would move
    someone already listed to another organization is skipped with a message naming the row and
    the person (never overwritten), and so is a row with an id whose person is listed elsewhere.
    A row with an Excel formula that has no saved value is skipped ("open and save the file in
    Excel first"). Broken Unicode (half an emoji) is replaced with U+FFFD and listed in one note.

    Returns
    -------
    ImportReport
        ``saved`` (rows per table), ``messages`` (one per skipped row or file), ``notes``.

    Examples
    --------
    >>> import tempfile
    >>> from sectorkit.store.workspace import Workspace
    >>> ws = Workspace.open("demo", root=tempfile.mkdtemp())
    >>> report = import_files(ws, [("people.csv", b"name,organization\\nDana,acme\\n"),
    ...     ("organizations.csv", b"name,kind,system\\nAcme,business,\\nBoard,partner,workforce\\n")])
    >>> report.saved, report.messages
    ({'organizations': 2, 'people': 1, 'relationships': 0}, [])
    >>> later = import_files(ws, [("people.csv", b"name,organization\\nDana,board\\n")])
    >>> later.saved["people"], later.messages[0][:57]
    (0, "people.csv row 2: 'Dana' is already listed at Acme (id 'd")
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
    repaired = [place for t in tables for place in t.repaired]
    if repaired:
        more = f" and {len(repaired) - 5} more" if len(repaired) > 5 else ""
        report.notes.append(f"broken characters (half of an emoji or symbol) were replaced with {REPLACEMENT} in "
                            f"{', '.join(repaired[:5])}{more}; check those cells.")

    universe = load_universe(ws)
    order = {t: i for i, t in enumerate(TABLES)}
    people = _PeopleIds(universe, tables)
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
            note = None
            try:
                if number in table.problems:
                    raise NetworkError(table.problems[number])
                if table.name == "organizations":
                    item = Organization.create(**{k: row.get(k, "") for k in TABLES["organizations"]})
                    key = item.id
                elif table.name == "people":
                    item = Person.create(**{k: row.get(k, "") for k in TABLES["people"]})
                    if item.organization not in universe.organizations:
                        raise NetworkError(f"organization '{item.organization}' is not listed")
                    item, note = people.resolve(row, item, where, number)
                    key = item.id
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
            if note:
                report.notes.append(note)
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
