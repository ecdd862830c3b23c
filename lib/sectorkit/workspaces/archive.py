"""A workspace as files a person keeps: the JSON download, one Excel workbook, a restore, a zip of all.

A Binder session or a temporary server takes the workspace with it when it ends, so the home
page offers the region's whole workspace as a file and restores it next time:

- :func:`workspace_json`: the existing export (:meth:`Workspace.to_dict`) as UTF-8 JSON bytes;
  :func:`restore_workspace` reads it back, validated and all or nothing.
- :func:`workspace_workbook`: every answer as one Excel workbook to read and share (not to
  restore): a Contents sheet, one sheet per worksheet, a sheet per table question and per
  assessment, and the Records sheet. Text that looks like a formula is neutralised.
- :func:`all_workspaces_zip`: every region's JSON export in one zip (the trainer view).
- :func:`download_name`: the file name a download gets.

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> ws = Workspace.open("riverbend", tempfile.mkdtemp(), name="Riverbend")
>>> _ = ws.save_answer("step2-aar", "footprint", "Three counties")
>>> result = restore_workspace(workspace_json(ws), "riverbend.json", tempfile.mkdtemp())
>>> result.region, result.name, result.answers
('riverbend', 'Riverbend', 1)
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sectorkit.core.errors import SectorkitError, WorkspaceError
from sectorkit.core.ids import slugify, validate_region_id
from sectorkit.store.workspace import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    Workspace,
    default_root,
    import_json,
    list_regions,
    workspace_exists,
)
from sectorkit.workspaces.workbook import workbook_bytes

__all__ = ["MAX_RESTORE_BYTES", "RestoreResult", "all_workspaces_zip", "download_name", "restore_workspace",
           "workspace_json", "workspace_workbook"]

#: The largest file :func:`restore_workspace` reads (bytes).
MAX_RESTORE_BYTES = 50 * 1024 * 1024


def workspace_json(ws: Workspace) -> bytes:
    """The whole workspace as the JSON export (UTF-8 bytes), what :func:`restore_workspace` reads.

    The same content :meth:`Workspace.export_json` writes to a file: a format marker, the region
    id and every table (answers, their history, records, table rows).

    >>> import tempfile
    >>> ws = Workspace.open("demo", tempfile.mkdtemp())
    >>> json.loads(workspace_json(ws))["format"]
    'sectorkit-workspace'
    """
    return json.dumps(ws.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")


def workspace_workbook(ws: Workspace) -> bytes:
    """Every answer of ``ws`` as one Excel workbook (``.xlsx`` bytes), for reading and sharing.

    Sheets: **Contents** (region, name, when exported, whether illustrative, then one line per
    worksheet: its title, its sheet, the number of questions answered, the last save), one sheet
    per worksheet with answers (Section, Question, Answer, Last saved: choices shown as their
    labels, lists joined), one sheet per table question (the spec's column labels), one sheet per
    assessment (its responses by round and respondent) and **Records** (kind, key, value as text).
    Text starting with ``= + - @`` gets a leading apostrophe, so a spreadsheet never runs it.

    >>> import tempfile
    >>> from openpyxl import load_workbook
    >>> ws = Workspace.open("demo", tempfile.mkdtemp())
    >>> _ = ws.save_answer("step2-aar", "footprint-description", "=1+1")
    >>> book = load_workbook(io.BytesIO(workspace_workbook(ws)))
    >>> book.sheetnames[0], "'=1+1" in [c.value for row in book.worksheets[1].iter_rows() for c in row]
    ('Contents', True)
    """
    return workbook_bytes(ws.to_dict())


@dataclass(frozen=True)
class RestoreResult:
    """What :func:`restore_workspace` restored.

    Attributes
    ----------
    region, name : str
        The region id it was restored under, and its display name (free text: escape it).
    answers, rows, records : int
        Counts of answers, table rows and records in the restored workspace.
    replaced : bool
        True if an existing workspace of that region was replaced.
    """

    region: str
    name: str
    answers: int
    rows: int
    records: int
    replaced: bool = False

    def summary(self) -> str:
        """One sentence for a status line (plain text)."""
        verb = "Replaced" if self.replaced else "Restored"
        return (f"{verb} the workspace \u201c{self.name}\u201d ({self.region}): {self.answers} answers, "
                f"{self.rows} table rows, {self.records} records.")


def _shown(filename: object) -> str:
    text = " ".join(str(filename or "").split())
    return f"\u201c{text[:80]}\u201d" if text else "The file"


def _parse(data: bytes, shown: str) -> dict:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise WorkspaceError(f"{shown} could not be read (no file content was received).")
    data = bytes(data)
    if not data.strip():
        raise WorkspaceError(f"{shown} is empty; choose the .json file you downloaded from the home page.")
    if len(data) > MAX_RESTORE_BYTES:
        raise WorkspaceError(f"{shown} is {len(data) / 1e6:.0f} MB, larger than the {MAX_RESTORE_BYTES // 2**20} MB "
                             "a workspace file can be; choose the .json file you downloaded from the home page.")
    if data[:4] == b"PK\x03\x04":
        raise WorkspaceError(
            f"{shown} is a zip or Excel file. The Excel workbook is for reading only; restore from the "
            "workspace's .json download (unzip a download of all workspaces first).")
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise WorkspaceError(f"{shown} is not a sectorkit workspace file (it is not JSON text); "
                             "choose the .json file you downloaded from the home page.") from None
    if not isinstance(parsed, dict) or parsed.get("format") != EXPORT_FORMAT:
        raise WorkspaceError(f"{shown} is JSON but not a sectorkit workspace download (its format marker "
                             "is missing); choose the .json file you downloaded from the home page.")
    if parsed.get("format_version") != EXPORT_VERSION:
        raise WorkspaceError(f"{shown} was written in workspace format {parsed.get('format_version')!r}; this "
                             f"sectorkit reads format {EXPORT_VERSION}. Update sectorkit to restore it.")
    tables = parsed.get("tables")
    if not isinstance(tables, dict) or not all(isinstance(tables.get(t, []), list)
                                               for t in ("region", "answer", "record", "table_row")):
        raise WorkspaceError(f"{shown} is damaged: its tables are missing or not lists of rows.")
    try:
        validate_region_id(parsed.get("region"))
    except SectorkitError:
        raise WorkspaceError(f"{shown} is damaged: its region id {str(parsed.get('region'))[:70]!r} is not "
                             "a valid id.") from None
    return parsed


def _name_of(parsed: dict, region: str) -> str:
    rows = parsed["tables"].get("region") or []
    name = rows[0].get("name") if rows and isinstance(rows[0], dict) else None
    return str(name) if name else region


def restore_workspace(data: bytes, filename: str, root: str | os.PathLike | None = None, *,
                      region: str | None = None, overwrite: bool = False) -> RestoreResult:
    """Restore a workspace from the bytes of a file :func:`workspace_json` made; all or nothing.

    Parameters
    ----------
    data : bytes
        The uploaded file's content (at most :data:`MAX_RESTORE_BYTES`).
    filename : str
        The uploaded file's name: only shown in messages, never used as a path.
    root : path, optional
        Workspace root folder (default ``SECTORKIT_HOME``).
    region : str, optional
        Restore under this region id instead of the one in the file.
    overwrite : bool
        Replace an existing workspace of that region. The new workspace is built beside it and
        renamed into place, so a failure leaves the existing one as it was.

    Returns
    -------
    RestoreResult

    Raises
    ------
    WorkspaceError
        The file is not JSON, not a sectorkit workspace, damaged, of another format version, too
        large; the region id is invalid; or the region exists and ``overwrite`` is False. Nothing
        is written then (a region folder made for a failed restore is removed again).

    >>> import tempfile
    >>> root = tempfile.mkdtemp()
    >>> restore_workspace(b'{"hello": 1}', "notes.json", root)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.WorkspaceError: “notes.json” is JSON but not a sectorkit workspace download ...
    >>> list_regions(root)
    []
    """
    shown = _shown(filename)
    parsed = _parse(data, shown)
    target = validate_region_id(region) if region else parsed["region"]
    folder = Path(root).expanduser() if root is not None else default_root()
    existed = workspace_exists(target, folder)
    if existed and not overwrite:
        with Workspace.open(target, folder, create=False) as current:
            current_name = current.name
        raise WorkspaceError(
            f"A workspace for \u201c{current_name}\u201d ({target}) already exists here, so {shown} was not "
            "restored. Tick \u201creplace the existing workspace\u201d to overwrite it, or restore it under "
            "another region id.")
    made = [p for p in (folder, folder / target) if not p.exists()]
    try:
        with tempfile.TemporaryDirectory(prefix="sk-restore-") as tmp:
            staged = Path(tmp) / "upload.json"
            staged.write_bytes(bytes(data))
            try:
                restored = import_json(staged, folder, region=target, overwrite=overwrite)
            except WorkspaceError as exc:
                raise WorkspaceError(str(exc).replace(str(staged), shown)) from None
    except BaseException:
        for path in reversed(made):  # folders made for this restore only, and only if still empty
            if path.is_dir() and not any(path.iterdir()):
                shutil.rmtree(path, ignore_errors=True)
        raise
    with restored:
        counts = {t: len(parsed["tables"].get(t, [])) for t in ("answer", "table_row", "record")}
        return RestoreResult(target, restored.name, counts["answer"], counts["table_row"], counts["record"],
                             replaced=existed)


def all_workspaces_zip(root: str | os.PathLike | None = None) -> bytes:
    """Every region's JSON export under ``root`` in one zip (``<region>.json`` each), as bytes.

    >>> import tempfile
    >>> root = tempfile.mkdtemp()
    >>> for r in ("north", "south"):
    ...     Workspace.open(r, root).close()
    >>> zipfile.ZipFile(io.BytesIO(all_workspaces_zip(root))).namelist()
    ['north.json', 'south.json']
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for region in list_regions(root):
            with Workspace.open(region, root, create=False) as ws:
                archive.writestr(f"{region}.json", workspace_json(ws))
    return buffer.getvalue()


def download_name(region: str, ext: str, *, what: str = "workspace", day: date | None = None) -> str:
    """A safe file name for a download: ``<region>-<what>-<yyyy-mm-dd>.<ext>`` (today by default).

    >>> download_name("central-ohio", "json", day=date(2026, 11, 30))
    'central-ohio-workspace-2026-11-30.json'
    >>> download_name("../Etc Region", ".XLSX", what="answers", day=date(2026, 11, 30))
    'etc-region-answers-2026-11-30.xlsx'
    """
    stem = "-".join(p for p in (slugify(region) or "region", slugify(what)) if p)
    return f"{stem}-{(day or date.today()).isoformat()}.{slugify(ext) or 'dat'}"
