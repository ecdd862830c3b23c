"""Table questions: the spec language, cell and row checks, paste, CSV/Excel import and export,
row storage, the TableField widget and its place in the worksheet engine."""

import io
import subprocess
import sys
import textwrap
import time
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook

from sectorkit.apps.form import WorksheetApp
from sectorkit.apps.table import TableField
from sectorkit.core.errors import SpecError, WorkspaceError
from sectorkit.specs import load_spec, parse_spec
from sectorkit.specs.tables import (
    check_cell,
    check_row,
    missing_required,
    parse_paste,
    read_table,
    resolve_columns,
    to_csv,
    to_excel,
)
from sectorkit.store.workspace import Workspace, import_json

COLUMNS = [
    {"id": "source", "type": "text", "label": "Source", "required": True, "max_length": 40},
    {"id": "amount", "type": "number", "label": "Amount", "unit": "dollars per year"},
    {"id": "status", "type": "choice", "label": "Status", "scale": "status"},
    {"id": "due", "type": "date", "label": "Due date"},
    {"id": "signed", "type": "yes_no", "label": "Signed"},
    {"id": "lead", "type": "organization", "label": "Lead organization"},
    {"id": "contact", "type": "person", "label": "Contact"},
    {"id": "notes", "type": "long_text", "label": "Notes"},
]


def spec_data(columns=None, max_rows=None, **question):
    table = {"id": "funders", "type": "table", "label": "Who funds the partnership?",
             "columns": COLUMNS if columns is None else columns}
    if max_rows is not None:
        table["max_rows"] = max_rows
    table.update(question)
    return {
        "id": "tables-demo", "version": 3, "title": "Tables",
        "scales": {"status": [{"value": "committed", "label": "Committed"}, {"value": "asked", "label": "Asked"},
                              {"value": "idea", "label": "Idea"}]},
        "sections": [{"id": "s", "title": "S", "questions": [
            {"id": "intro", "type": "text", "label": "Your region?"}, table]}],
    }


SPEC = parse_spec(spec_data())
COLS = resolve_columns(SPEC, SPEC.questions()[1])
BY_ID = {c.id: c for c in COLS}
REFS = {"organization": {"acme": "Acme Corp", "county-wb": "County Workforce Board"},
        "person": {"dana": "Dana Ortiz"}}


# -- the spec language ---------------------------------------------------------------------------
@pytest.mark.parametrize("question, message", [
    ({"columns": []}, "table 'funders' needs 'columns' (at least one)"),
    ({"columns": [{"id": "a", "type": "text", "label": "A"}, {"id": "a", "type": "number", "label": "B"}]},
     "column ids must be unique (a used twice)"),
    ({"columns": [{"id": "a", "type": "choice", "label": "A"}]}, "a 'choice' column needs 'options' or 'scale'"),
    ({"columns": [{"id": "a", "type": "choice", "label": "A", "scale": "nope"}]},
     "column 'a' of table 'funders' uses scale 'nope', which is not defined"),
    ({"columns": [{"id": "a", "type": "text", "label": "A", "unit": "jobs"}]}, "only 'number' columns take a 'unit'"),
    ({"columns": [{"id": "a", "type": "date", "label": "A", "options": [{"value": "x", "label": "X"}]}]},
     "only 'choice' columns take 'options' or 'scale'"),
    ({"columns": [{"id": "a", "type": "money", "label": "A"}]}, "columns.0.type"),
    ({"columns": [{"id": "Bad Id", "type": "text", "label": "A"}]}, "columns.0.id"),
    ({"max_rows": 5000}, "max_rows: Input should be less than or equal to 1000"),
])
def test_bad_table_specs_are_refused_with_a_clear_message(question, message):
    data = spec_data(**question)
    with pytest.raises(SpecError) as info:
        parse_spec(data, source="t.yaml")
    assert "t.yaml is not a valid worksheet spec" in str(info.value)
    assert message in str(info.value)


def test_columns_and_max_rows_belong_to_tables_only():
    for extra in ({"columns": COLUMNS[:1]}, {"max_rows": 10}):
        data = spec_data()
        data["sections"][0]["questions"][0].update(extra)
        with pytest.raises(SpecError, match="'columns' and 'max_rows' belong to 'table' questions"):
            parse_spec(data)


def test_table_defaults_and_named_scales_resolve():
    q = SPEC.questions()[1]
    assert q.max_rows == 200 and q.columns[2].scale == "status"
    assert [o.value for o in BY_ID["status"].options] == ["committed", "asked", "idea"]


def test_staffing_funding_spec_loads_with_its_funding_table():
    spec = load_spec("staffing-funding")
    table = next(q for q in spec.questions() if q.type == "table")
    cols = {c.id: c for c in table.columns}
    assert table.id == "funding-sources" and cols["source"].required
    assert cols["amount"].unit == "dollars per year"
    assert [o.value for o in cols["status"].options] == ["committed", "asked", "idea"]
    assert cols["renewal-date"].type == "date" and cols["lead-organization"].type == "organization"


# -- cells and rows ------------------------------------------------------------------------------
@pytest.mark.parametrize("column, raw, expected", [
    ("amount", "12,000", 12000),
    ("amount", "$45,000", 45000),
    ("amount", "12,500 dollars per year", 12500),
    ("amount", "12.5 dollars", 12.5),
    ("amount", "-3", -3),
    ("amount", 7.0, 7),
    ("amount", "  ", None),
    ("due", "2026-03-31", "2026-03-31"),
    ("due", "3/1/2026", "2026-03-01"),
    ("due", "12/31/2026", "2026-12-31"),
    ("signed", "yes", True),
    ("signed", "N", False),
    ("signed", True, True),
    ("status", "Asked", "asked"),
    ("status", "committed", "committed"),
    ("lead", "acme", "acme"),
    ("lead", "ACME CORP", "acme"),
    ("lead", "County Workforce Board", "county-wb"),
    ("contact", "dana ortiz", "dana"),
    ("source", "  County match  ", "County match"),
    ("notes", None, None),
])
def test_good_cells_become_values(column, raw, expected):
    assert check_cell(BY_ID[column], raw, REFS) == (expected, None)


def test_dates_from_spreadsheets_become_iso():
    assert check_cell(BY_ID["due"], datetime(2026, 5, 4))[0] == "2026-05-04"
    assert check_cell(BY_ID["due"], date(2026, 5, 4))[0] == "2026-05-04"


@pytest.mark.parametrize("column, raw, message", [
    ("amount", "12,00", "'Amount' is not a number: '12,00'"),
    ("amount", "12 apples", "'Amount' is not a number: '12 apples'"),
    ("amount", "lots", "for example 1250 or 12.5 dollars per year"),
    ("due", "31/31/2026", "'Due date' is not a date: '31/31/2026'"),
    ("due", "2026-02-30", "'Due date' is not a date: '2026-02-30'"),
    ("due", "next week", "type yyyy-mm-dd or m/d/yyyy"),
    ("signed", "perhaps", "'Signed' must be yes or no: 'perhaps'"),
    ("status", "maybe", "'Status' must be one of: Committed, Asked, Idea (got 'maybe')"),
    ("lead", "Nobody Inc", "'Lead organization' names no organization of this region's Universe of Connections"),
    ("contact", "acme", "'Contact' names no person"),
    ("source", "x" * 41, "'Source' is 41 characters long; the limit is 40"),
])
def test_bad_cells_are_named(column, raw, message):
    value, problem = check_cell(BY_ID[column], raw, REFS)
    assert value is None and message in problem


def test_reference_cells_without_refs_keep_the_text():
    assert check_cell(BY_ID["lead"], " Someone ") == ("Someone", None)


def test_a_row_missing_a_required_cell_is_kept_and_named_incomplete():
    value, problems = check_row(COLS, {"amount": "5", "status": "idea"})
    assert problems == [] and value["amount"] == 5 and value["source"] is None
    assert missing_required(COLS, value) == ["Source"]


# -- paste ---------------------------------------------------------------------------------------
def test_paste_with_a_header_line_and_excel_quoting():
    text = ('Amount (dollars per year)\tSOURCE\tNotes\tlead organization\n'
            '"12,000"\t"County ""match"" grant"\t"line one\nline two"\tAcme Corp\n'
            '\t\t\t\n'
            '5\tDues\t\tcounty-wb\r\n')
    found = parse_paste(text, COLS, REFS)
    assert found.problems == []
    assert [(r["source"], r["amount"], r["notes"], r["lead"]) for r in found.rows] == [
        ('County "match" grant', 12000, "line one\nline two", "acme"), ("Dues", 5, None, "county-wb")]


def test_paste_without_header_takes_the_column_order_and_names_bad_rows():
    text = "Grant A\t1000\tAsked\t3/1/2026\tyes\nGrant B\tlots\n\t7\tIdea\n"
    found = parse_paste(text, COLS, REFS)
    assert [r["source"] for r in found.rows] == ["Grant A", None]
    assert found.rows[0]["due"] == "2026-03-01" and found.rows[0]["signed"] is True
    assert found.problems == [("row 2: 'Amount' is not a number: 'lots' (type digits, for example 1250 or 12.5 "
                               "dollars per year)")]
    assert found.rejected == [["Grant B", "lots"]]
    assert found.incomplete == ["row 3: 'Source' left empty"]


def test_paste_with_too_many_cells_is_refused_for_that_row():
    found = parse_paste("a\tb\tc\td\te\tf\tg\th\ti\tj\n", COLS)
    assert found.rows == [] and "has 10 cells but the table has 8 columns" in found.problems[0]


# -- files ---------------------------------------------------------------------------------------
def test_csv_import_keeps_good_rows_and_names_each_bad_one():
    data = (b"Source,Amount,Due date,Status,Colour\n"
            b"County grant,\"12,000\",2026-06-30,Committed,red\n"
            b"Dues,5,31/31/2026,Asked,blue\n"
            b"Sponsorship,lots,,maybe,green\n"
            b",7,,Idea,\n")
    found = read_table("funders.csv", data, COLS, REFS)
    assert [r["source"] for r in found.rows] == ["County grant", None]
    assert found.problems == [
        "row 3: 'Due date' is not a date: '31/31/2026' (type yyyy-mm-dd or m/d/yyyy, for example 2026-03-31)",
        ("row 4: 'Amount' is not a number: 'lots' (type digits, for example 1250 or 12.5 dollars per year); "
         "'Status' must be one of: Committed, Asked, Idea (got 'maybe')"),
    ]
    assert found.incomplete == ["row 5: 'Source' left empty"]
    assert "'Colour'" in " ".join(found.notes)


def test_csv_in_windows_1252_and_semicolons_is_read():
    data = "Source;Notes\nCaf\xe9 owners;\u201cquoted\u201d\n".encode("cp1252")
    found = read_table("f.csv", data, COLS)
    assert found.rows[0]["source"] == "Café owners" and found.rows[0]["notes"] == "\u201cquoted\u201d"


def test_a_file_without_column_names_or_of_another_kind_is_refused_clearly():
    assert "the first row must name the columns" in read_table("f.csv", b"a,b\n1,2\n", COLS).problems[0]
    assert read_table("f.xls", b"\xd0\xcf", COLS).problems == [
        "f.xls is not a CSV (.csv) or Excel (.xlsx) file; nothing was read"]
    assert "cannot be opened as an Excel workbook" in read_table("f.xlsx", b"not a zip", COLS).problems[0]
    assert read_table("f.csv", b"", COLS).problems == ["f.csv is empty"]


def test_excel_import_reads_typed_cells_and_names_bad_rows():
    book = Workbook()
    sheet = book.active
    sheet.append(["Source", "Amount", "Due date", "Signed", "Lead organization"])
    sheet.append(["County grant", 12000, datetime(2026, 6, 30), True, "Acme Corp"])
    sheet.append(["Dues", "12 apples", None, None, None])
    sheet.append(["Chamber", 3.5, "7/4/2026", "no", "Nobody"])
    buf = io.BytesIO()
    book.save(buf)
    found = read_table("funders.xlsx", buf.getvalue(), COLS, REFS)
    assert found.rows == [{"source": "County grant", "amount": 12000, "status": None, "due": "2026-06-30",
                           "signed": True, "lead": "acme", "contact": None, "notes": None}]
    assert [p.split(":")[0] for p in found.problems] == ["row 3", "row 4"]
    assert "names no organization" in found.problems[1]


def test_csv_and_excel_export_round_trip():
    rows = [
        {"source": 'County "match", grant', "amount": 12000, "status": "asked", "due": "2026-06-30",
         "signed": False, "lead": "acme", "contact": "dana", "notes": "two\nlines"},
        {"source": "Dues", "amount": 12.5, "status": None, "due": None, "signed": None, "lead": None,
         "contact": None, "notes": None},
    ]
    csv_bytes = to_csv(COLS, rows, REFS)
    assert csv_bytes.startswith(b"\xef\xbb\xbf") and b"Acme Corp" in csv_bytes
    assert b"Amount (dollars per year)" in csv_bytes
    assert read_table("t.csv", csv_bytes, COLS, REFS).rows == rows
    xlsx = to_excel(COLS, rows, REFS, title="funders/2026")
    found = read_table("t.xlsx", xlsx, COLS, REFS)
    assert found.problems == [] and found.rows == rows


# -- storage -------------------------------------------------------------------------------------
@pytest.fixture
def ws(tmp_path):
    with Workspace.open("riverbend", tmp_path, name="Riverbend") as ws:
        yield ws


def test_rows_save_in_order_move_and_delete(ws):
    ids = [ws.save_row("w", "t", None, {"n": i}) for i in range(4)]
    assert [r.position for r in ws.rows("w", "t")] == [1.0, 2.0, 3.0, 4.0]
    assert len(set(ids)) == 4 and all(len(i) == 12 for i in ids)
    ws.save_row("w", "t", ids[1], {"n": 10})  # an update keeps its place
    assert [r.value["n"] for r in ws.rows("w", "t")] == [0, 10, 2, 3]
    ws.move_row("w", "t", ids[3], 0)
    assert [r.value["n"] for r in ws.rows("w", "t")] == [3, 0, 10, 2]
    ws.move_row("w", "t", ids[3], 99)  # clamped to the end
    assert [r.row_id for r in ws.rows("w", "t")] == [ids[0], ids[1], ids[2], ids[3]]
    assert [r.position for r in ws.rows("w", "t")] == [1.0, 2.0, 3.0, 4.0]
    assert ws.delete_row("w", "t", ids[0]) is True and ws.delete_row("w", "t", ids[0]) is False
    ws.save_row("w", "t", ids[0], {"n": 0}, position=0.5)  # an undo puts it back where it was
    assert [r.value["n"] for r in ws.rows("w", "t")] == [0, 10, 2, 3]
    assert ws.rows("w", "other") == [] and ws.rows("x", "t") == []
    with pytest.raises(WorkspaceError, match="is not saved"):
        ws.move_row("w", "t", "gone", 0)


def test_bad_rows_and_row_ids_are_refused(ws):
    with pytest.raises(WorkspaceError, match="must map column ids to values"):
        ws.save_row("w", "t", None, ["not", "a", "dict"])
    with pytest.raises(WorkspaceError, match="not a valid row id"):
        ws.save_row("w", "t", "../x", {})
    with pytest.raises(WorkspaceError, match="not plain data"):
        ws.save_rows("w", "t", [{"ok": 1}, {"bad": object()}])
    assert ws.rows("w", "t") == []  # a batch with one bad row writes nothing


def test_save_rows_appends_a_batch_after_the_last_row(ws):
    ws.save_row("w", "t", None, {"n": 0}, spec_version=2)
    ids = ws.save_rows("w", "t", [{"n": 1}, {"n": 2}], spec_version=2)
    assert [r.row_id for r in ws.rows("w", "t")][1:] == ids
    assert [r.position for r in ws.rows("w", "t")] == [1.0, 2.0, 3.0]
    assert ws.last_saved("w") == ws.rows("w", "t")[-1].updated_at


def test_process_killed_in_the_middle_of_an_import_leaves_no_half_batch(tmp_path):
    with Workspace.open("r", tmp_path) as ws:
        ws.save_row("w", "t", "kept", {"n": 0})
    script = textwrap.dedent(f"""
        import os
        from sectorkit.store.workspace import Workspace

        class Dying:
            def __init__(self, conn):
                self.conn, self.inserts = conn, 0
            def __getattr__(self, name):  # begin, finish: the real connection's
                return getattr(self.conn, name)
            def execute(self, sql, *args):
                if sql.startswith("INSERT INTO table_row"):
                    self.inserts += 1
                    if self.inserts == 3:
                        os._exit(9)  # dies hard inside the transaction, after two rows
                return self.conn.execute(sql, *args)

        ws = Workspace.open("r", {str(tmp_path)!r})
        ws._conn = Dying(ws._conn)
        ws.save_rows("w", "t", [{{"n": i}} for i in range(1, 6)])
        """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert proc.returncode == 9, proc.stderr
    with Workspace.open("r", tmp_path) as ws:
        assert [r.value for r in ws.rows("w", "t")] == [{"n": 0}]
        ws.save_rows("w", "t", [{"n": 1}])  # and the workspace is writable again
        assert len(ws.rows("w", "t")) == 2


def test_table_rows_survive_export_and_import(ws, tmp_path):
    ws.save_rows("w", "t", [{"n": 1}, {"n": 2}], spec_version=3)
    path = ws.export_json(tmp_path / "out" / "export.json")
    copy = import_json(path, tmp_path / "other")
    assert [(r.row_id, r.position, r.value, r.updated_at) for r in copy.rows("w", "t")] == [
        (r.row_id, r.position, r.value, r.updated_at) for r in ws.rows("w", "t")]
    copy.close()


# -- the widget ----------------------------------------------------------------------------------
def seed_universe(ws):
    ws.put_record("organization", "acme", {"id": "acme", "name": "Acme Corp", "kind": "business"})
    ws.put_record("organization", "county-wb", {"id": "county-wb", "name": "County <b>Workforce</b> Board",
                                                "kind": "partner"})
    ws.put_record("person", "dana", {"id": "dana", "name": "Dana Ortiz", "organization": "acme"})


@pytest.fixture
def app(ws):
    seed_universe(ws)
    return WorksheetApp(SPEC, ws)


def table_of(app) -> TableField:
    return app.fields["funders"]


def stored(ws):
    return [r.value for r in ws.rows("tables-demo", "funders")]


def test_cells_save_their_row_and_the_app_reports_it(app, ws):
    t = table_of(app)
    assert "0 of 2 questions answered" in app.progress.value
    t.add_button.click()
    assert stored(ws) == [{c.id: None for c in COLS}]
    assert "1 of 2 questions answered" in app.progress.value
    t.cell(0, "source").value = "County grant"
    t.cell(0, "amount").value = "12,000 dollars"
    t.cell(0, "status").value = "asked"
    t.cell(0, "due").value = "6/30/2026"
    t.cell(0, "signed").value = True
    t.cell(0, "lead").value = "acme"
    t.cell(0, "notes").value = "line one\nline two"
    assert stored(ws) == [{"source": "County grant", "amount": 12000, "status": "asked", "due": "2026-06-30",
                           "signed": True, "lead": "acme", "contact": None, "notes": "line one\nline two"}]
    assert app.status_text().startswith("Saved at")
    assert app.answers()["funders"] == stored(ws)
    # a fresh page shows the saved rows
    again = table_of(WorksheetApp(SPEC, ws))
    assert again.cell(0, "amount").value == "12000" and again.cell(0, "lead").value == "acme"
    assert again.cell(0, "due").value == "2026-06-30" and again.cell(0, "signed").value is True


def test_every_cell_has_a_row_and_column_label_and_buttons_have_text(app):
    t = table_of(app)
    t.add_row()
    t.add_row()
    assert t.cell(1, "lead").description == "Row 2, Lead organization"
    assert t.cell(1, "notes").description == "Row 2, Notes"
    up, _down, delete = t.views[1].buttons
    assert (up.description, up.tooltip) == ("Up", "Move row 2 up")
    assert delete.tooltip == "Delete row 2"
    for button in (t.add_button, t.paste_button, t.export_button, t.undo_button):
        assert button.description and button.tooltip
    assert t.paste_box.description == "Paste rows copied from a spreadsheet"
    # organization names come from the Universe, escaped only where HTML is made
    assert ("County <b>Workforce</b> Board", "county-wb") in t.cell(0, "lead").options
    assert t.cell(0, "contact").options[1] == ("Dana Ortiz", "dana")


def test_a_bad_cell_is_explained_not_saved_and_its_text_stays(app, ws):
    t = table_of(app)
    t.add_row()
    t.cell(0, "amount").value = "12 <apples>"
    assert t.cell(0, "amount").value == "12 <apples>"
    assert stored(ws)[0]["amount"] is None
    assert "Row 1: 'Amount' is not a number" in t.error_message
    assert "&lt;apples&gt;" in t.header.value and "<apples>" not in t.header.value
    assert app.status_text().startswith("Not saved: Who funds the partnership?: Row 1: 'Amount' is not a number")
    t.cell(0, "amount").value = "12"
    assert stored(ws)[0]["amount"] == 12 and t.error_message is None


def test_move_delete_and_undo(app, ws):
    t = table_of(app)
    for name in ("A", "B", "C"):
        t.add_row()
        t.cell(len(t.views) - 1, "source").value = name
    t.views[2].buttons[0].click()  # C up
    assert [r["source"] for r in stored(ws)] == ["A", "C", "B"]
    assert t.cell(1, "source").value == "C" and t.cell(1, "source").description == "Row 2, Source"
    t.views[0].buttons[0].click()  # the first row cannot go up
    assert "already the first" in t.message.value
    t.views[0].buttons[1].click()  # A down
    assert [r["source"] for r in stored(ws)] == ["C", "A", "B"]
    t.views[1].buttons[2].click()  # delete A
    assert [r["source"] for r in stored(ws)] == ["C", "B"] and t.undo_button.layout.display is None
    assert t.cell(1, "source").description == "Row 2, Source"
    t.undo_button.click()
    assert [r["source"] for r in stored(ws)] == ["C", "A", "B"]
    assert [v["source"] for v in t.get()] == ["C", "A", "B"] and t.undo_button.layout.display == "none"


def test_paste_adds_good_rows_and_keeps_bad_lines_in_the_box(app, ws):
    t = table_of(app)
    t.paste_box.value = "Source\tAmount\tLead organization\nGrant\t1,000\tacme corp\nDues\tlots\t\n"
    t.paste_button.click()
    assert [(r["source"], r["amount"], r["lead"]) for r in stored(ws)] == [("Grant", 1000, "acme")]
    assert t.paste_box.value == "Source\tAmount\tLead organization\nDues\tlots\t\n"
    assert "Not added: row 3: 'Amount' is not a number: 'lots'" in t.error_message
    assert "Added 1 row from the pasted text" in t.message.value
    t.paste_box.value = ""
    t.paste_button.click()
    assert "the paste box is empty" in t.error_message


def test_the_row_limit_is_enforced_with_a_message(ws):
    spec = parse_spec(spec_data(max_rows=2))
    app = WorksheetApp(spec, ws)
    t = table_of(app)
    t.add_row()
    t.add_row()
    t.add_row()
    assert len(stored(ws)) == 2
    assert "this table holds at most 2 rows; it has 2, so a row cannot be added" in t.error_message
    t.views[0].buttons[2].click()
    t.paste_box.value = "a\nb\n"
    t.paste_button.click()
    assert len(stored(ws)) == 1 and "so 2 rows cannot be added. Nothing was added." in t.error_message
    assert t.paste_box.value == "a\nb\n"


def test_import_and_export_from_the_widget(app, ws):
    t = table_of(app)
    t.import_file("funders.csv", b"Source,Amount,Due date\nGrant,5,2026-01-02\nBad,1,yesterday\n")
    assert [r["source"] for r in stored(ws)] == ["Grant"]
    assert "Not added: row 3: 'Due date' is not a date" in t.error_message
    t.upload.value = ({"name": "more.csv", "type": "text/csv", "size": 20, "content": memoryview(b"Source\nDues\n"),
                       "last_modified": datetime(2026, 1, 1, tzinfo=UTC)},)
    assert [r["source"] for r in stored(ws)] == ["Grant", "Dues"] and t.upload.value == ()
    t.export_button.click()
    assert "download='tables-demo-funders.csv'" in t.downloads.value
    assert "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64," in t.downloads.value


def test_a_storage_failure_shows_a_message_and_keeps_the_text(app, ws):
    t = table_of(app)
    t.add_row()
    ws._conn.close()  # every write now fails inside sqlite
    t.cell(0, "source").value = "still typed"
    assert t.cell(0, "source").value == "still typed"
    assert "the workspace could not be written" in t.error_message
    assert app.status_text().startswith("Not saved: Who funds the partnership?: the workspace could not be written")
    t.add_button.click()  # buttons fail with a message too, never a traceback
    assert len(t.views) == 1


def test_a_row_missing_a_required_cell_is_saved_and_called_incomplete(app, ws):
    t = table_of(app)
    t.add_row()
    t.cell(0, "amount").value = "5"
    assert stored(ws)[0]["amount"] == 5
    assert "Incomplete, saved anyway: row 1 (Source)" in t.message.value


def test_a_reference_no_longer_in_the_universe_is_still_shown(app, ws):
    t = table_of(app)
    t.add_row()
    t.cell(0, "lead").value = "acme"
    ws.delete_record("organization", "acme")
    again = table_of(WorksheetApp(SPEC, ws))
    assert again.cell(0, "lead").value == "acme"
    assert ("acme (no longer in the Universe of Connections)", "acme") in again.cell(0, "lead").options


def test_a_fifty_row_table_builds_quickly(ws):
    ws.save_rows("tables-demo", "funders", [{"source": f"Source {i}", "amount": i, "status": "asked",
                                             "due": "2026-01-01", "signed": True, "notes": "x"} for i in range(50)])
    started = time.perf_counter()
    app = WorksheetApp(SPEC, ws)
    elapsed = time.perf_counter() - started
    assert len(table_of(app).views) == 50 and table_of(app).cell(49, "source").value == "Source 49"
    assert elapsed < 3.0, f"a 50-row table took {elapsed:.2f} s to build"
