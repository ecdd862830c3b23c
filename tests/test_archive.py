"""Workspaces as files: the JSON download and its restore, the Excel workbook, the zip of all regions."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sectorkit.core.errors import WorkspaceError
from sectorkit.specs import load_spec
from sectorkit.store.workspace import Workspace, list_regions
from sectorkit.workspaces.archive import (
    MAX_RESTORE_BYTES,
    RestoreResult,
    all_workspaces_zip,
    download_name,
    restore_workspace,
    workspace_json,
    workspace_workbook,
)
from tests.support.seed import fill_report_workspace


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def _cells(sheet) -> list:
    return [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]


@pytest.fixture
def full(home: Path):
    """A workspace with answers in many worksheets, tables, an assessment and records."""
    with Workspace.open("full", home, name="Full <Region> & Co") as ws:
        fill_report_workspace(ws)
        yield ws


def test_json_round_trip_restores_every_table(full, tmp_path):
    data = workspace_json(full)
    result = restore_workspace(data, "full-workspace.json", tmp_path / "other")
    assert isinstance(result, RestoreResult) and not result.replaced
    assert (result.region, result.name) == ("full", "Full <Region> & Co")
    original = full.to_dict()["tables"]
    assert (result.answers, result.rows, result.records) == (
        len(original["answer"]), len(original["table_row"]), len(original["record"]))
    assert result.answers > 10 and result.rows > 5 and result.records > 10
    with Workspace.open("full", tmp_path / "other", create=False) as back:
        assert back.to_dict()["tables"] == original
        assert back.answers("step5-aar") == full.answers("step5-aar")
    assert "Restored" in result.summary() and "Full <Region> & Co" in result.summary()


def test_restore_under_another_region_id(full, tmp_path):
    result = restore_workspace(workspace_json(full), "x.json", tmp_path, region="copy-of-full")
    assert result.region == "copy-of-full" and list_regions(tmp_path) == ["copy-of-full"]


def test_workbook_has_answers_with_labels_and_tables_with_column_labels(full):
    book = load_workbook(io.BytesIO(workspace_workbook(full)))
    assert book.sheetnames[0] == "Contents"
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in book.sheetnames)
    assert len({n.casefold() for n in book.sheetnames}) == len(book.sheetnames)
    contents = _cells(book["Contents"])
    assert "Full <Region> & Co" in contents and "full" in contents and "No" in contents

    step5 = load_spec("step5-aar")
    answers = full.answers("step5-aar")
    sheet = next(book[n] for n in book.sheetnames if n.startswith("Step 5 After Action"))
    assert step5.title in contents
    heading, *rows = list(sheet.iter_rows(values_only=True))
    assert heading == ("Section", "Question", "Answer", "Last saved")
    by_label = {r[1]: r[2] for r in rows}
    for qid, value in answers.items():
        q = step5.question(qid)
        shown = by_label[q.label]
        if q.type == "choice":  # a choice is shown as its option's label, not its stored value
            assert shown == next(o.label for o in step5.options_for(q) if o.value == value)
        else:
            assert shown == value

    plan = load_spec("prepare-launch")
    invitations = plan.question("invitations")
    saved = full.rows("prepare-launch", "invitations")
    table = next(book[n] for n in book.sheetnames if n == "Businesses to invite")
    heading, *rows = list(table.iter_rows(values_only=True))
    assert [h for h in heading[:-1]] == [c.label for c in invitations.columns]
    assert len(rows) == len(saved)
    names = {r[heading.index("Or business name")] for r in rows}
    assert "Riverside Bakery" in names
    status = plan.options_for(next(c for c in invitations.columns if c.id == "status"))
    assert {r[heading.index("Status")] for r in rows} <= {o.label for o in status}

    assessment = book["Sustainability Self-Assessment"]
    respondents = {r[1] for r in list(assessment.iter_rows(values_only=True))[1:]}
    assert respondents == {"Dana Cole", "Lee Park"}
    records = _cells(book["Records"])
    assert any(isinstance(v, str) and "Apex Precision" in v for v in records)


def test_workbook_neutralises_formula_text(home):
    with Workspace.open("evil", home) as ws:
        ws.save_answer("step2-aar", "footprint-description", '=HYPERLINK("http://evil.example","click")')
        ws.save_answer("step2-aar", "working-definition", "+1+1")
        ws.save_rows("action-teams", "teams", [{"team": "@SUM(A1)", "lead": "-2+3"}])
        ws.put_record("note", "=key", {"text": "=cmd|' /C calc'!A0"})
        book = load_workbook(io.BytesIO(workspace_workbook(ws)))
    texts = [c for s in book.worksheets for row in s.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c.coordinate for c in texts if c.data_type == "f" or c.value.startswith(("=", "+", "-", "@"))]
    values = {c.value for c in texts}
    assert {"'=HYPERLINK(\"http://evil.example\",\"click\")", "'+1+1", "'@SUM(A1)", "'-2+3", "'=key"} <= values


def test_restore_into_an_empty_root_creates_it(full, tmp_path):
    root = tmp_path / "fresh" / "root"
    restore_workspace(workspace_json(full), "w.json", root)
    assert list_regions(root) == ["full"]


def test_restore_over_an_existing_region_needs_overwrite(full, home):
    data = workspace_json(full)
    with Workspace.open("full", home) as ws:
        ws.save_answer("step1-aar", "next-actions", "changed after the download")
    before = _files(home), Path(home / "full" / "workspace.sqlite").read_bytes()
    with pytest.raises(WorkspaceError, match=r"already exists.*Full <Region> & Co|Full <Region> & Co.*already exists"):
        restore_workspace(data, "w.json", home)
    assert (_files(home), Path(home / "full" / "workspace.sqlite").read_bytes()) == before
    with Workspace.open("full", home) as ws:
        assert ws.answers("step1-aar")["next-actions"] == "changed after the download"
    result = restore_workspace(data, "w.json", home, overwrite=True)
    assert result.replaced and "Replaced" in result.summary()
    with Workspace.open("full", home) as ws:
        assert ws.answers("step1-aar")["next-actions"] != "changed after the download"


def _damaged_export(full) -> bytes:
    data = json.loads(workspace_json(full))
    data["tables"]["answer"][0] = {"worksheet": "x"}  # missing columns: caught by the store's check
    return json.dumps(data).encode()


@pytest.mark.parametrize(("make", "message"), [
    (lambda ws: b"\x00\x01 not json at all", "not JSON"),
    (lambda ws: b"", "empty"),
    (lambda ws: json.dumps({"format": "something-else", "tables": {}}).encode(), "not a sectorkit workspace"),
    (lambda ws: json.dumps([1, 2, 3]).encode(), "not a sectorkit workspace"),
    (lambda ws: workspace_json(ws).replace(b'"format_version": 1', b'"format_version": 99'), "format 99"),
    (lambda ws: workspace_json(ws).replace(b'"region": "full"', b'"region": "../../etc"'), "not a valid id"),
    (lambda ws: b"PK\x03\x04" + b"0" * 100, "zip or Excel"),
    (lambda ws: b" " * 10 + b"{" + b" " * (MAX_RESTORE_BYTES + 1) + b"}", "larger than"),
    (_damaged_export, "row 1 of table 'answer'"),
])
def test_bad_files_are_refused_and_nothing_is_written(full, tmp_path, make, message):
    root = tmp_path / "target"
    with pytest.raises(WorkspaceError, match=message) as caught:
        restore_workspace(make(full), "my download.json", root)
    text = str(caught.value)
    assert "my download.json" in text and str(tmp_path) not in text and "/tmp" not in text
    assert _files(root) == []


def test_a_damaged_file_leaves_an_existing_root_untouched(full, home):
    before = _files(home)
    with pytest.raises(WorkspaceError):
        restore_workspace(_damaged_export(full), "w.json", home, region="new-one")
    assert _files(home) == before


def test_the_file_name_is_never_a_path(full, tmp_path):
    root = tmp_path / "root"
    before = [f for f in _files(tmp_path) if not f.startswith("root")]
    result = restore_workspace(workspace_json(full), "../../../etc/passwd", root)
    assert result.region == "full" and list_regions(root) == ["full"]
    assert [f for f in _files(tmp_path) if not f.startswith("root")] == before
    assert not [f for f in _files(root) if "passwd" in f or "etc" in f]


def test_zip_holds_every_region(home):
    for region, name in (("north", "North"), ("south", "South <b>")):
        with Workspace.open(region, home, name=name) as ws:
            ws.save_answer("step1-aar", "next-actions", f"{name} plans")
    archive = zipfile.ZipFile(io.BytesIO(all_workspaces_zip(home)))
    assert archive.namelist() == ["north.json", "south.json"]
    south = json.loads(archive.read("south.json"))
    assert south["region"] == "south" and south["tables"]["region"][0]["name"] == "South <b>"
    result = restore_workspace(archive.read("north.json"), "north.json", home / "elsewhere")
    assert result.name == "North" and result.answers == 1
    assert zipfile.ZipFile(io.BytesIO(all_workspaces_zip(home / "nothing-here"))).namelist() == []


def test_download_names_are_slugs():
    name = download_name("Central Ohio", "json")
    assert name.startswith("central-ohio-workspace-") and name.endswith(".json")
    assert "/" not in download_name("../..", "../x") and download_name("a", "zip", what="all workspaces").startswith(
        "a-all-workspaces-")


def test_workbook_names_the_referenced_row_not_its_id(home):
    with Workspace.open("metrics-region", home) as ws:
        kept = ws.save_row("metrics-tracker", "metrics", None, {"name": "Companies taking part", "category": "business",
                                                               "kind": "process"})
        gone = ws.save_row("metrics-tracker", "metrics", None, {"name": "Dropped later", "category": "people",
                                                               "kind": "impact"})
        ws.save_row("metrics-tracker", "values", None, {"metric": kept, "date": "2026-03-01", "value": 12})
        ws.save_row("metrics-tracker", "values", None, {"metric": gone, "date": "2026-04-01", "value": 3})
        ws.delete_row("metrics-tracker", "metrics", gone)
        book = load_workbook(io.BytesIO(workspace_workbook(ws)))
    sheet = next(book[name] for name in book.sheetnames if "Dated values" in name)
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[1][0] == "Companies taking part" and cells[1][2] == 12
    assert kept not in str(cells) and "(deleted)" in str(cells[2][0])
