"""Every answer of a workspace as one Excel workbook (the engine of ``archive.workspace_workbook``).

Built from the plain export (:meth:`~sectorkit.store.workspace.Workspace.to_dict`), so it reads
what a download holds. Labels come from the specs: a question's label, a choice's option label,
a table's column labels. Every text cell goes through :func:`safe_text`: control characters a
workbook cannot hold are removed, and text that starts like a formula (``= + - @``, a tab or a
carriage return) gets a leading apostrophe so no spreadsheet runs it (formula injection).

>>> safe_text("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> used = set()
>>> sheet_title("Step 2 After Action Review: defining the scope", used), sheet_title("Step 2 After Action Review", used)
('Step 2 After Action Review', 'Step 2 After Action Review (2)')
>>> sheet_title("Red flags / green [lights]? and more words here", used)
'Red flags green lights and more'
"""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sectorkit.core.clock import local_time
from sectorkit.core.errors import SectorkitError
from sectorkit.specs import available_specs, load_spec, module_order
from sectorkit.specs.models import Question, WorksheetSpec
from sectorkit.specs.tables import column_heading, display_cell, ref_key, resolve_columns, row_labels

__all__ = ["safe_text", "sheet_title", "workbook_bytes"]

#: Excel's longest cell text; longer answers are cut with a note (the JSON download keeps all).
MAX_CELL = 32_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
#: words a shortened sheet name should not end on
_WEAK_ENDS = {"a", "an", "and", "the", "of", "to", "in", "for", "with", "what", "their", "its", "by", "on", "or"}
#: record kinds a table's organization / person column names (the Universe of Connections)
_REF_KINDS = ("organization", "person")


def safe_text(value: Any) -> str:
    """``value`` as text a workbook cell can hold and no spreadsheet will run as a formula."""
    text = _ILLEGAL.sub("", str(value))
    if len(text) > MAX_CELL:
        text = text[:MAX_CELL] + " \u2026 (cut here; the full text is in the workspace's .json download)"
    return "'" + text if text.startswith(_FORMULA_START) else text


def sheet_title(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts (<= 31 characters, none of ``[]:*?/\\``), unique among ``used``; added to it."""
    head = title.split(":", 1)[0] if len(title.split(":", 1)[0].strip()) >= 8 else title
    base = " ".join(_SHEET_BAD.sub(" ", head).split()).strip("'")
    if len(base) > 31:
        words = base[:32].split(" ")[:-1]
        while len(words) > 2 and words[-1].casefold() in _WEAK_ENDS:
            words.pop()
        base = " ".join(words) if len(" ".join(words)) >= 12 else base[:31]
    base = base.strip() or "Sheet"
    name, n = base, 2
    while name.casefold() in {u.casefold() for u in used}:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)].rstrip() + suffix, n + 1
    used.add(name)
    return name


def _stamp(iso: str | None) -> datetime | str | None:
    """A UTC ISO stamp as a local, naive datetime (what a cell can hold); text that is not one stays text."""
    if not iso:
        return None
    try:
        return datetime.fromisoformat(iso).astimezone().replace(tzinfo=None, microsecond=0)
    except (TypeError, ValueError):
        return safe_text(iso)


def _plain(value: Any) -> str:
    """Any stored value as readable text: lists joined, objects as ``key: value`` pairs."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (list, tuple)):
        return "; ".join(_plain(v) for v in value if v not in (None, ""))
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items() if v not in (None, "", [], {}))
    return str(value)


def _answer(spec: WorksheetSpec, question: Question, value: Any) -> Any:
    """A stored answer as a cell: numbers stay numbers, choices become their labels."""
    if question.type == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    labels = {o.value: o.label for o in spec.options_for(question)}
    if question.type in ("multi", "checklist") and isinstance(value, list):
        return safe_text("; ".join(labels.get(str(v), str(v)) for v in value))
    if question.type == "choice":
        return safe_text(labels.get(str(value), _plain(value)))
    if question.type == "scale" and question.min is not None:
        ends = " ".join(p for p in (f"({question.min} = {question.min_label};" if question.min_label else "",
                                    f"{question.max} = {question.max_label})" if question.max_label else "") if p)
        return safe_text(f"{value} on {question.min} to {question.max} {ends}".strip())
    return safe_text(_plain(value))


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


class _Book:
    """The workbook being written: sheets with a bold, frozen heading row and set column widths."""

    def __init__(self) -> None:
        from openpyxl import Workbook  # the workbook library loads only when a workbook is made

        self.book = Workbook()
        self.used: set[str] = set()
        self.contents = self.book.active
        self.contents.title = sheet_title("Contents", self.used)
        from openpyxl.styles import Alignment

        self.wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(self, title: str, headings: list[str], widths: Iterable[int]):
        from openpyxl.styles import Font

        sheet = self.book.create_sheet(sheet_title(title, self.used))
        sheet.append([safe_text(h) for h in headings])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = width
        return sheet

    def add(self, sheet, cells: list[Any]) -> None:
        sheet.append(cells)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str):
                cell.alignment = self.wrap

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def _cell(column, value: Any, refs: Mapping[str, Mapping[str, str]]) -> Any:
    if value is None:
        return None
    if column.type == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if column.type == "date":
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            pass
    return safe_text(display_cell(column, value, refs)) or None


def workbook_bytes(export: Mapping[str, Any]) -> bytes:
    """The workbook (``.xlsx`` bytes) of a workspace export (``Workspace.to_dict()``); see the module docstring."""
    tables = export.get("tables") or {}
    region_rows = tables.get("region") or [{}]
    region = region_rows[0] if region_rows else {}
    answers: dict[str, list[dict]] = defaultdict(list)
    for row in tables.get("answer", []):
        answers[row["worksheet"]].append({**row, "value": json.loads(row["value"])})
    table_rows: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in sorted(tables.get("table_row", []), key=lambda r: (r["position"], r["row_id"])):
        table_rows[(row["worksheet"], row["question"])].append({**row, "value": json.loads(row["value"])})
    records: dict[str, dict[str, Any]] = defaultdict(dict)
    for row in sorted(tables.get("record", []), key=lambda r: (r["kind"], r["key"])):
        records[row["kind"]][row["key"]] = {**row, "value": json.loads(row["value"])}
    refs = {kind: {k: str(r["value"].get("name") or k) for k, r in records.get(kind, {}).items()
                   if isinstance(r["value"], Mapping)} for kind in _REF_KINDS}

    specs = {}
    for spec_id in available_specs():
        try:
            specs[spec_id] = load_spec(spec_id)
        except SectorkitError:
            continue
    keys = sorted({*answers, *(k for k, _ in table_rows)})
    plain = [k for k in keys if k in specs]
    plain.sort(key=lambda k: (module_order(specs[k]), specs[k].title))
    responses: dict[str, list[str]] = defaultdict(list)
    others = []
    for key in keys:
        head = key.split("/", 1)[0]
        if key not in specs and "/" in key and head in specs:
            responses[head].append(key)
        elif key not in specs:
            others.append(key)

    out = _Book()
    lines: list[list[Any]] = []  # contents: title, sheet, answered, last saved

    def saved_of(key: str) -> str | None:
        stamps = [a["updated_at"] for a in answers.get(key, [])]
        stamps += [r["updated_at"] for (k, _), rows in table_rows.items() if k == key for r in rows]
        return max(stamps) if stamps else None

    def write_tables(spec: WorksheetSpec, key: str, label: str, listed: list[list[Any]]) -> dict[str, str]:
        sheets = {}
        for q in spec.questions():
            rows = table_rows.get((key, q.id))
            if q.type != "table" or not rows:
                continue
            columns = resolve_columns(spec, q)
            cell_refs = dict(refs)
            for c in columns:  # a row column shows the referenced row's label, not its id
                if c.type == "row":
                    target = resolve_columns(spec, spec.question(c.of))
                    cell_refs[ref_key(c)] = row_labels(
                        target, ((r["row_id"], r["value"]) for r in table_rows.get((key, c.of), [])))
            sheet = out.sheet(f"{label}{q.label}", [column_heading(c) for c in columns] + ["Last saved"],
                              [40 if c.type == "long_text" else 22 for c in columns] + [18])
            for r in rows:
                out.add(sheet, [_cell(c, r["value"].get(c.id), cell_refs) for c in columns]
                        + [_stamp(r["updated_at"])])
            sheets[q.id] = sheet.title
            listed.append([safe_text(f"    Table: {label}{q.label}"), sheet.title,
                           f"{len(rows)} {'row' if len(rows) == 1 else 'rows'}",
                           max(r["updated_at"] for r in rows)])
        return sheets

    def answer_lines(spec: WorksheetSpec, key: str, tables_at: dict[str, str]) -> Iterable[tuple[str, str, Any]]:
        given = {a["question"]: a for a in answers.get(key, [])}
        for section in spec.sections:
            for q in section.questions:
                if q.id in tables_at:
                    n = len(table_rows[(key, q.id)])
                    rows_text = f"{n} {'row' if n == 1 else 'rows'}: see the sheet \u2018{tables_at[q.id]}\u2019"
                    yield section.title, q.label, (rows_text,
                                             max(r["updated_at"] for r in table_rows[(key, q.id)]))
                elif q.id in given and not _empty(given[q.id]["value"]):
                    yield section.title, q.label, (_answer(spec, q, given[q.id]["value"]), given[q.id]["updated_at"])
        known = {q.id for q in spec.questions()}
        for qid, a in given.items():  # answers to questions this version of the spec no longer has
            if qid not in known and not _empty(a["value"]):
                yield "(not in this version of the worksheet)", qid, (safe_text(_plain(a["value"])), a["updated_at"])

    for key in plain:
        spec = specs[key]
        label = spec.title
        sheet = out.sheet(label, ["Section", "Question", "Answer", "Last saved"], [24, 60, 60, 18])
        listed: list[list[Any]] = []
        tables_at = write_tables(spec, key, "", listed)
        answered = 0
        for section, q, (value, at) in answer_lines(spec, key, tables_at):
            out.add(sheet, [safe_text(section), safe_text(q), value, _stamp(at)])
            answered += 1
        lines.append([safe_text(spec.title), sheet.title, f"{answered} of {len(spec.questions())}", saved_of(key)])
        lines.extend(listed)

    for spec_id, keys_of in responses.items():
        spec = specs[spec_id]
        names = records.get("assessment_response", {})
        sheet = out.sheet(f"{spec.title} responses", ["Round", "Respondent", "Section", "Question", "Answer",
                                                      "Last saved"], [12, 22, 24, 50, 40, 18])
        count = 0
        listed = []
        for key in sorted(keys_of):
            parts = key.split("/")
            round_id = parts[1] if len(parts) > 1 else ""
            record = (names.get(key) or {}).get("value") or {}
            who = record.get("respondent") if isinstance(record, Mapping) else None
            tables_at = write_tables(spec, key, f"{who or parts[-1]}, {round_id}: ", listed)
            for section, q, (value, at) in answer_lines(spec, key, tables_at):
                out.add(sheet, [safe_text(round_id), safe_text(who or parts[-1]), safe_text(section),
                                safe_text(q), value, _stamp(at)])
                count += 1
        lines.append([safe_text(f"{spec.title} (assessment)"), sheet.title,
                      f"{len(keys_of)} responses, {count} answers", max(saved_of(k) or "" for k in keys_of) or None])
        lines.extend(listed)

    if others:
        sheet = out.sheet("Other answers", ["Saved under", "Question", "Answer", "Last saved"], [24, 30, 60, 18])
        for key in others:
            for a in answers.get(key, []):
                if not _empty(a["value"]):
                    out.add(sheet, [safe_text(key), safe_text(a["question"]), safe_text(_plain(a["value"])),
                                    _stamp(a["updated_at"])])
            for (k, question), rows in table_rows.items():
                if k == key:
                    for r in rows:
                        out.add(sheet, [safe_text(key), safe_text(question), safe_text(_plain(r["value"])),
                                        _stamp(r["updated_at"])])
        lines.append(["Answers of worksheets this version does not know", sheet.title, "", None])

    if records:
        sheet = out.sheet("Records", ["Kind", "Key", "Value", "Last changed"], [20, 28, 80, 18])
        for kind, by_key in records.items():
            for key, r in by_key.items():
                out.add(sheet, [safe_text(kind.replace("_", " ")), safe_text(key), safe_text(_plain(r["value"])),
                                _stamp(r["updated_at"])])
        lines.append(["Records (Universe of Connections, sector choices, rounds...)", sheet.title,
                      f"{sum(len(v) for v in records.values())} records", max(r["updated_at"] for v in records.values()
                                                                              for r in v.values())])

    _contents(out, export, region, lines)
    return out.save()


def _contents(out: _Book, export: Mapping[str, Any], region: Mapping[str, Any], lines: list[list[Any]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    sheet = out.contents
    bold = Font(bold=True)
    for label, value in (("Region", region.get("name") or export.get("region")), ("Region id", export.get("region")),
                         ("Exported at", local_time(export.get("exported_at"))),
                         ("Illustrative example", "Yes" if region.get("illustrative") else "No")):
        out.add(sheet, [label, safe_text(value or "")])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.append([])
    out.add(sheet, ["Worksheet", "Sheet", "Answered", "Last saved"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for title, name, answered, saved in lines:
        out.add(sheet, [title, name, answered, _stamp(saved)])
        link = sheet.cell(row=sheet.max_row, column=2)
        link.hyperlink = Hyperlink(ref=link.coordinate, location="'" + name.replace("'", "''") + "'!A1")
        link.font = Font(color="0B5394", underline="single")
    if not lines:
        out.add(sheet, ["Nothing has been answered in this workspace yet."])
    for letter, width in zip("ABCD", (52, 32, 22, 18)):
        sheet.column_dimensions[letter].width = width
