"""The ``table`` question's widget: one row of cell inputs per saved row, saving each row as it changes.

A :class:`TableField` is *self-saving*: the worksheet engine hands it the
workspace and the answers' key with :meth:`TableField.bind`, and from then on
each cell change saves its row in one transaction (``Workspace.save_row``),
"Add a row", paste and import add rows, and the per-row buttons move and delete
rows. It tells the page what happened through the ``report`` callback given to
``bind`` (the status line), and shows problems in its own header, never as a
traceback; a cell that cannot be saved keeps what was typed in its box.

The checking, paste and file logic lives in :mod:`sectorkit.specs.tables`; this
module only draws and wires widgets. Every cell input is labelled ``"Row 3,
Organization"`` (a zero-width ``<label for>``: the visible column headings sit
above the grid), every button has text and a tooltip, and it all works by
keyboard (Tab, arrow keys in the drop-downs, Enter or Space on buttons).

>>> import tempfile
>>> from sectorkit.apps.styles import Styles
>>> from sectorkit.specs import parse_spec
>>> from sectorkit.store.workspace import Workspace
>>> spec = parse_spec({"id": "demo", "version": 1, "title": "Demo", "sections": [{"id": "s", "title": "S",
...     "questions": [{"id": "funders", "type": "table", "label": "Who funds the partnership?", "columns": [
...         {"id": "source", "type": "text", "label": "Source", "required": True},
...         {"id": "amount", "type": "number", "label": "Amount", "unit": "dollars per year"}]}]}]})
>>> ws = Workspace.open("demo-region", root=tempfile.mkdtemp())
>>> table = TableField(spec.questions()[0], spec, Styles())
>>> table.bind(ws, "demo")
>>> table.add_row()
>>> table.cell(0, "source").value = "County match"
>>> table.cell(0, "amount").value = "12,000"
>>> [r.value for r in ws.rows("demo", "funders")]
[{'source': 'County match', 'amount': 12000}]
>>> table.cell(0, "amount").description
'Row 1, Amount'
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as W

from sectorkit.apps.fields import Field
from sectorkit.apps.table_live import LiveRows
from sectorkit.specs import Question, WorksheetSpec
from sectorkit.specs.tables import (
    TableImport,
    check_cell,
    column_heading,
    display_cell,
    missing_required,
    parse_paste,
    read_table,
    ref_key,
    resolve_columns,
    row_refs,
    to_csv,
    to_excel,
    to_tsv,
)
from sectorkit.store.workspace import Workspace

__all__ = ["TableField", "universe_refs"]

#: the Universe of Connections' workspace record kinds a reference column may name
REF_KINDS = ("organization", "person")
#: cell widths by column type (CSS)
WIDTHS = {"text": "11rem", "long_text": "14rem", "number": "7.5rem", "choice": "8.5rem", "yes_no": "5.5rem",
          "date": "7.5rem", "organization": "11rem", "person": "11rem", "row": "16rem"}
NONE_LABEL = "(none)"
#: visible row numbers, drawn by the browser (the cells' labels say "Row 3, ..." to screen readers)
ROW_NUMBER_CSS = (
    "<style>.sk-table-rows{counter-reset:sk-row}"
    ".sk-table-rows>.widget-hbox{counter-increment:sk-row}"
    ".sk-table-rows>.widget-hbox::before{content:counter(sk-row);flex:0 0 2.2rem;padding-top:6px;color:#444}</style>"
)

Report = Callable[..., None]


def universe_refs(workspace: Workspace) -> dict[str, dict[str, str]]:
    """The organizations and people a reference cell may name: ``{"organization": {id: name}, "person": {...}}``.

    Read straight from the workspace records the Universe of Connections keeps
    (kinds ``organization`` and ``person``), so a worksheet page does not load
    the Universe's graph code.
    """
    refs: dict[str, dict[str, str]] = {}
    for kind in REF_KINDS:
        records = workspace.records(kind)
        refs[kind] = {key: str(v.get("name") or key) for key, v in records.items() if isinstance(v, Mapping)}
    return refs


@dataclass
class _RowView:
    """The widgets of one row and its saved state."""

    row_id: str
    value: dict[str, Any]
    box: W.HBox
    cells: dict[str, W.DOMWidget]
    buttons: tuple[W.Button, W.Button, W.Button]
    shown_number: int
    problems: dict[str, str] = field(default_factory=dict)
    #: the row as last loaded or saved: what its next save starts from (None: not saved yet)
    base: dict[str, Any] | None = None


class TableField(LiveRows, Field):
    """A ``table`` question: a grid of rows, saved row by row (see the module docstring)."""

    #: the engine binds this field to the workspace instead of setting a value
    self_saving = True

    def __init__(self, question: Question, spec: WorksheetSpec, shared: Any):
        super().__init__(question, spec, shared)
        self.columns = resolve_columns(spec, question)
        self.workspace: Workspace | None = None
        self.key: str | None = None
        self.refs: dict[str, dict[str, str]] | None = None
        self.views: list[_RowView] = []
        self._report: Report | None = None
        self._loading = False
        self._undo: tuple[str, float, dict[str, Any]] | None = None
        # shared models: one per page (Styles) or, for buttons, one per table
        self._cell_layouts = {t: shared.layout(width=w, min_width=w) for t, w in WIDTHS.items()}
        self._button_layout = shared.layout(width="4.2rem", min_width="4.2rem")
        self._number_layout = shared.layout(width="2.2rem", min_width="2.2rem")
        self._text_style = shared.hidden_label
        self._choice_style = shared.label("0px")
        self._button_style = W.ButtonStyle()
        # rows overflow into the grid, the one box that scrolls sideways (it holds the inputs, so
        # keyboard users scroll it by moving focus); row numbers are a CSS counter, not a widget per row
        self._row_layout = shared.layout(align_items="flex-start", flex_flow="row nowrap", overflow="visible")

        self.column_heads = W.HBox(
            [self._head_html("#", self._number_layout)]
            + [self._head_html(self._heading(c), self._cell_layouts[c.type]) for c in self.columns],
            layout=self._row_layout,
        )
        self.rows_box = W.VBox([], layout=shared.layout(overflow="visible"))
        self.rows_box.add_class("sk-table-rows")
        # The grid scrolls sideways when its columns are wider than the page, and keyboard users scroll
        # it by moving the focus through its cells. With no rows it holds nothing focusable, so it does
        # not scroll then (the page does): see _relayout. Its own Layout, since it changes.
        self.grid = W.VBox([self.column_heads, self.rows_box], layout=W.Layout(overflow="visible", max_width="100%"))
        self.guide = W.HTML(self._guide_html(), layout=shared.block, style=shared.html)
        self.message = W.HTML("", layout=shared.block, style=shared.html)
        self.add_button = self._button("Add a row", "Add an empty row at the end of the table", self._on_add,
                                       shared.auto)
        self.undo_button = self._button("Undo the delete", "Bring back the row just deleted", self._on_undo,
                                        W.Layout(width="auto", display="none"))
        self.paste_box = W.Textarea(value="", description="Paste rows copied from a spreadsheet", rows=3,
                                    placeholder="Copy rows in Excel or Google Sheets (with or without the heading row) "
                                                "and paste them here", style=self._text_style, layout=shared.full)
        self.paste_button = self._button("Add pasted rows", "Add the rows pasted in the box above", self._on_paste,
                                         shared.auto)
        self.upload = W.FileUpload(description="Import a CSV or Excel file", accept=".csv,.xlsx", multiple=False,
                                   tooltip="Add the rows of a .csv or .xlsx file whose first row names the columns",
                                   layout=shared.auto, style=self._button_style)
        self.upload.observe(self._on_upload, names="value")
        self.export_button = self._button("Prepare CSV and Excel downloads", "Make download links for this table",
                                          self._on_export, shared.auto)
        self.downloads = W.HTML("", layout=shared.block, style=shared.html)
        paste_label = W.HTML(
            "<p style='margin:0.6em 0 0.1em'><strong>Paste rows copied from a spreadsheet</strong> "
            "(tab-separated; a first line of column names is optional)</p>",
            layout=shared.block, style=shared.html)
        self.input = W.VBox([
            self.guide, self.grid, self.message,
            W.HBox([self.add_button, self.undo_button], layout=shared.layout(flex_flow="row wrap")),
            paste_label, self.paste_box,
            W.HBox([self.paste_button, self.upload, self.export_button], layout=shared.layout(flex_flow="row wrap")),
            self.downloads,
        ], layout=shared.layout(width="100%"))

    # -- small builders -----------------------------------------------------------------------
    def _heading(self, col) -> str:
        return column_heading(col) + (" *" if col.required else "")

    def _head_html(self, text: str, layout: W.Layout) -> W.HTML:
        return W.HTML(f"<div style='font-weight:600;line-height:1.3;padding:0 2px'>{html.escape(text)}</div>",
                      layout=layout, style=self.shared.html)

    def _button(self, text: str, tip: str, handler: Callable[[], None], layout: W.Layout) -> W.Button:
        button = W.Button(description=text, tooltip=tip, layout=layout, style=self._button_style)
        button.on_click(lambda _b: self._guard(handler))
        return button

    def _guide_html(self) -> str:
        notes = []
        if any(c.required for c in self.columns):
            notes.append("Columns marked * are needed for a complete row; a row without them is still saved.")
        if any(c.type == "date" for c in self.columns):
            notes.append("Type dates as yyyy-mm-dd or m/d/yyyy.")
        notes.append(f"Each change saves its row at once. At most {self.question.max_rows:,} rows.")
        items = "".join(f"<li><strong>{html.escape(c.label)}</strong>: {html.escape(c.help)}</li>"
                        for c in self.columns if c.help)
        guide = f"<ul style='margin:0.2em 0 0.2em 1.2em;padding:0'>{items}</ul>" if items else ""
        return (ROW_NUMBER_CSS
                + f"<p style='margin:0.2em 0;line-height:1.45;color:#333'>{html.escape(' '.join(notes))}</p>{guide}")

    def _options(self, col) -> list[tuple[str, Any]]:
        if col.type == "yes_no":
            return [(NONE_LABEL, None), ("Yes", True), ("No", False)]
        if col.type == "choice":
            return [(NONE_LABEL, None)] + [(o.label, o.value) for o in col.options or ()]
        known = (self.refs or {}).get(ref_key(col), {})
        # a row column lists the other table's rows in that table's order
        names = list(known.items()) if col.type == "row" else sorted(known.items(), key=lambda kv: kv[1].casefold())
        seen: dict[str, int] = {}
        for _, name in names:
            seen[name.casefold()] = seen.get(name.casefold(), 0) + 1
        return [(NONE_LABEL, None)] + [(f"{n} ({i})" if seen[n.casefold()] > 1 else n, i) for i, n in names]

    def _cell_options(self, col, value: Any) -> list[tuple[str, Any]]:
        """A drop-down's options, with the saved value kept when it is no longer one of them."""
        options = self._options(col)
        if value is not None and value not in [v for _, v in options]:
            gone = {"choice": " (no longer an option)", "row": ""}.get(
                col.type, " (no longer in the Universe of Connections)")  # a row shows "(deleted)"
            options.append((f"{display_cell(col, value, self.refs)}{gone}", value))
        return options

    def _make_cell(self, view_value: dict[str, Any], col, number: int) -> W.DOMWidget:
        label = f"Row {number}, {col.label}"
        value = view_value.get(col.id)
        layout = self._cell_layouts[col.type]
        if col.type in ("choice", "yes_no", "organization", "person", "row"):
            return W.Dropdown(options=self._cell_options(col, value), value=value, description=label,
                              style=self._choice_style, layout=layout)
        text = display_cell(col, value)
        if col.type == "long_text":
            return W.Textarea(value=text, description=label, rows=2, continuous_update=True,
                              style=self._text_style, layout=layout)
        placeholder = {"date": "yyyy-mm-dd", "number": col.unit or "number"}.get(col.type, "")
        return W.Text(value=text, description=label, placeholder=placeholder, continuous_update=True,
                      style=self._text_style, layout=layout)

    def _make_view(self, row_id: str, value: dict[str, Any], number: int) -> _RowView:
        cells = {c.id: self._make_cell(value, c, number) for c in self.columns}
        up = W.Button(description="Up", layout=self._button_layout, style=self._button_style)
        down = W.Button(description="Down", layout=self._button_layout, style=self._button_style)
        delete = W.Button(description="Delete", layout=self._button_layout, style=self._button_style)
        box = W.HBox([*cells.values(), up, down, delete], layout=self._row_layout)
        view = _RowView(row_id, dict(value), box, cells, (up, down, delete), shown_number=0, base=dict(value))
        for col in self.columns:
            cells[col.id].observe(lambda change, v=view, c=col: self._guard(self._cell_changed, v, c), names="value")
        up.on_click(lambda _b, v=view: self._guard(self._move, v, -1))
        down.on_click(lambda _b, v=view: self._guard(self._move, v, +1))
        delete.on_click(lambda _b, v=view: self._guard(self._delete, v))
        self._label_view(view, number)
        return view

    def _label_view(self, view: _RowView, number: int) -> None:
        if view.shown_number == number:
            return
        if view.shown_number:  # cells are made with their labels; only a renumbered row changes them
            for col in self.columns:
                view.cells[col.id].description = f"Row {number}, {col.label}"
        view.shown_number = number
        up, down, delete = view.buttons
        up.tooltip, down.tooltip, delete.tooltip = (f"Move row {number} up", f"Move row {number} down",
                                                    f"Delete row {number}")

    def _relayout(self) -> None:
        for n, view in enumerate(self.views, start=1):
            self._label_view(view, n)
        self.rows_box.children = tuple(v.box for v in self.views)
        self.grid.layout.overflow = "auto" if self.views else "visible"

    # -- the Field interface --------------------------------------------------------------------
    def get(self) -> list[dict[str, Any]]:
        """The rows as shown, in order: a list of ``{column id: value}``."""
        return [dict(v.value) for v in self.views]

    def set(self, value: Any) -> None:
        """Rows load from the workspace in :meth:`bind`; an engine's ``set`` is ignored."""

    def empty(self) -> list:
        return []

    def on_change(self, callback: Callable[[Field], None]) -> None:
        """A table saves itself; the engine learns of saves through ``bind(..., report)``."""
        self._callback = callback

    def cell(self, index: int, column_id: str) -> W.DOMWidget:
        """The input widget of row ``index`` (0-based) in column ``column_id``."""
        return self.views[index].cells[column_id]

    # -- loading ------------------------------------------------------------------------------
    def bind(self, workspace: Workspace, key: str, report: Report | None = None) -> None:
        """Load the rows of ``key`` from ``workspace`` and save changes there from now on.

        ``report(field, saved_at=None, error=None)`` is called after every save (with the
        save time) and every failure (with a message for the page's status line).
        """
        self.workspace, self.key, self._report = workspace, key, report
        needs_refs = any(c.type in REF_KINDS for c in self.columns)
        self.refs = universe_refs(workspace) if needs_refs else None
        if any(c.type == "row" for c in self.columns):
            self.refs = {**(self.refs or {}), **row_refs(self.spec, self.columns, workspace, key)}
        self._undo = None
        self.undo_button.layout.display = "none"
        self._loading = True
        try:
            saved = workspace.rows(key, self.question.id)
            self.views = [self._make_view(r.row_id, r.value, n) for n, r in enumerate(saved, 1)]
            self.rows_box.children = tuple(v.box for v in self.views)
        finally:
            self._loading = False
        self.message.value = self._summary_html()
        self.downloads.value = ""
        self.show_error(None)

    def refresh_refs(self, changed: str | None = None) -> bool:
        """Re-read the rows a ``row`` column lists (after table ``changed`` of the same form saved; None: any).

        Each such drop-down keeps its value (a row that is gone shows "(deleted)"); returns whether the
        choices changed. Nothing is saved.
        """
        ofs = {c.of for c in self.columns if c.type == "row" and changed in (None, c.of)}
        if not ofs or self.workspace is None or self.key is None:
            return False
        fresh = row_refs(self.spec, [c for c in self.columns if c.of in ofs], self.workspace, self.key)
        if all((self.refs or {}).get(k) == v for k, v in fresh.items()):
            return False
        self.refs = {**(self.refs or {}), **fresh}
        was, self._loading = self._loading, True
        try:
            for view in self.views:
                for col in self.columns:
                    if col.of in ofs:
                        box, value = view.cells[col.id], view.value.get(col.id)
                        with box.hold_sync():
                            box.options = self._cell_options(col, value)
                            box.value = value
        finally:
            self._loading = was
        return True

    # -- reporting ----------------------------------------------------------------------------
    def _guard(self, handler: Callable[..., Any], *args: Any) -> None:
        """Run a handler; any failure becomes a message here and in the status line, never a traceback."""
        if self._loading:
            return
        try:
            handler(*args)
        except Exception as exc:  # noqa: BLE001 - a disk or database failure must not kill the button
            self._failed(f"the workspace could not be written ({type(exc).__name__}: {exc}). "
                         "What you typed is still in the table; try again.")

    def _failed(self, message: str) -> None:
        self.show_error(message)
        if self._report is not None:
            self._report(self, error=f"{self.question.label}: {message}")

    def _saved(self, what: str | None = None) -> None:
        problems = [p for v in self.views for p in v.problems.values()]
        self.show_error(problems[0] if problems else None)
        self.message.value = self._summary_html(what)
        if self._report is not None:
            self._report(self, saved_at=None)  # None: just now

    def _summary_html(self, what: str | None = None) -> str:
        parts = []
        if what:
            parts.append(what)
        count = len(self.views)
        parts.append(f"{count} row{'s' if count != 1 else ''} (at most {self.question.max_rows:,}).")
        incomplete = []
        for n, view in enumerate(self.views, 1):
            missing = missing_required(self.columns, view.value)
            if missing:
                incomplete.append(f"row {n} ({', '.join(missing)})")
        if incomplete:
            shown = ", ".join(incomplete[:5]) + (f" and {len(incomplete) - 5} more" if len(incomplete) > 5 else "")
            parts.append(f"Incomplete, saved anyway: {shown}.")
        return f"<p aria-live='polite' style='margin:0.3em 0;line-height:1.45'>{html.escape(' '.join(parts))}</p>"

    def _require_binding(self) -> bool:
        if self.workspace is None or self.key is None:
            self._failed("this table is not connected to a workspace, so nothing can be saved.")
            return False
        return True

    # -- handlers -----------------------------------------------------------------------------
    def _cell_changed(self, view: _RowView, col) -> None:
        if not self._require_binding():
            return
        number = self.views.index(view) + 1 if view in self.views else 0
        value, problem = check_cell(col, view.cells[col.id].value, self.refs)
        if problem:
            view.problems[col.id] = f"Row {number}: {problem}. It was not saved; fix it in the box."
            self._failed(view.problems[col.id])
            return
        view.problems.pop(col.id, None)
        view.value[col.id] = value
        if self._save_with_base(view):
            self._saved()

    def add_row(self) -> None:
        """Add an empty row at the end (saved at once), unless the table is full."""
        self._guard(self._add)

    def _on_add(self) -> None:
        self._add()

    def _full(self, adding: int) -> bool:
        limit = self.question.max_rows
        if len(self.views) + adding <= limit:
            return False
        have = len(self.views)
        more = "a row" if adding == 1 else f"{adding:,} rows"
        self._failed(f"this table holds at most {limit:,} rows; it has {have:,}, so {more} cannot be added. "
                     "Nothing was added.")
        return True

    def _add(self) -> None:
        if not self._require_binding() or self._full(1):
            return
        value = {c.id: None for c in self.columns}
        row_id = self.workspace.save_row(self.key, self.question.id, None, value, spec_version=self.spec.version)
        self.views.append(self._make_view(row_id, value, len(self.views) + 1))
        self._relayout()
        self._saved(f"Row {len(self.views)} added.")

    def _move(self, view: _RowView, step: int) -> None:
        if not self._require_binding() or view not in self.views:
            return
        index = self.views.index(view)
        target = index + step
        if not 0 <= target < len(self.views):
            end = "first" if step < 0 else "last"
            self.message.value = self._summary_html(f"Row {index + 1} is already the {end}.")
            return
        self.workspace.move_row(self.key, self.question.id, view.row_id, target)
        self.views.insert(target, self.views.pop(index))
        self._relayout()
        self._saved(f"Row {index + 1} moved to row {target + 1}.")

    def _delete(self, view: _RowView) -> None:
        if not self._require_binding() or view not in self.views:
            return
        index = self.views.index(view)
        stored = {r.row_id: r for r in self.workspace.rows(self.key, self.question.id)}
        position = stored[view.row_id].position if view.row_id in stored else float(index + 1)
        self.workspace.delete_row(self.key, self.question.id, view.row_id)
        self.views.pop(index)
        self._undo = (view.row_id, position, dict(view.value))
        self.undo_button.layout.display = None
        self._relayout()
        self._saved(f"Row {index + 1} deleted; “Undo the delete” brings it back.")

    def _on_undo(self) -> None:
        if not self._require_binding() or self._undo is None:
            return
        if self._full(1):
            return
        row_id, position, value = self._undo
        self.workspace.save_row(self.key, self.question.id, row_id, value, position=position,
                                spec_version=self.spec.version)
        self._undo = None
        self.undo_button.layout.display = "none"
        order = [r.row_id for r in self.workspace.rows(self.key, self.question.id)]
        index = order.index(row_id) if row_id in order else len(self.views)
        self.views.insert(index, self._make_view(row_id, value, index + 1))
        self._relayout()
        self._saved(f"Row {index + 1} is back.")

    def _add_found(self, found: TableImport, source: str, keep_paste: bool) -> None:
        if not found.rows:
            self._failed(f"no rows were added from {source}. {found.summary()}")
            if keep_paste and found.rejected:
                self.paste_box.value = to_tsv(([found.header] if found.header else []) + found.rejected)
            return
        if self._full(len(found.rows)):
            return
        ids = self.workspace.save_rows(self.key, self.question.id, found.rows, spec_version=self.spec.version)
        start = len(self.views)
        self.views.extend(self._make_view(i, v, start + n) for n, (i, v) in enumerate(zip(ids, found.rows), 1))
        self._relayout()
        if keep_paste:
            # the lines that could not be added stay in the box, to fix and add again
            left = ([found.header] if found.header else []) + found.rejected
            self.paste_box.value = to_tsv(left) if found.rejected else ""
        added = f"Added {len(ids):,} row{'s' if len(ids) != 1 else ''} from {source}."
        self._saved(added if not (found.problems or found.incomplete or found.notes) else f"{added} {found.summary()}")
        if found.problems:
            still = " They are still in the paste box: fix them and add them again." if keep_paste else ""
            self.show_error("Not added: " + "; ".join(found.problems) + "." + still)

    def _on_paste(self) -> None:
        if not self._require_binding():
            return
        text = self.paste_box.value
        if not text.strip():
            self._failed("the paste box is empty: copy rows in a spreadsheet and paste them into it first.")
            return
        self.refresh_refs()  # a row column's labels as saved now
        self._add_found(parse_paste(text, self.columns, self.refs), "the pasted text", keep_paste=True)

    def _on_upload(self, change: dict) -> None:
        files = change["new"]
        if not files or self._loading:
            return
        try:
            upload = files[0]
            self._guard(self._import_file, upload["name"], bytes(upload["content"]))
        finally:
            self.upload.value = ()

    def _import_file(self, name: str, data: bytes) -> None:
        if not self._require_binding():
            return
        self.refresh_refs()
        self._add_found(read_table(name, data, self.columns, self.refs), name, keep_paste=False)

    def import_file(self, name: str, data: bytes) -> None:
        """Add the rows of a CSV or Excel file (as an upload would)."""
        self._guard(self._import_file, name, data)

    def _on_export(self) -> None:
        rows = self.get()
        base = re.sub(r"[^a-z0-9-]+", "-", f"{self.key or 'table'}-{self.question.id}".lower()).strip("-")
        csv_bytes = to_csv(self.columns, rows, self.refs)
        csv_uri = "data:text/csv;charset=utf-8;base64," + base64.b64encode(csv_bytes).decode()
        xlsx = to_excel(self.columns, rows, self.refs, title=self.question.id)
        xlsx_uri = ("data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,"
                    + base64.b64encode(xlsx).decode())
        self.downloads.value = (
            f"<p style='margin:0.3em 0'>Download this table ({len(rows):,} rows): "
            f"<a download='{html.escape(base)}.csv' href='{csv_uri}'>CSV file</a> · "
            f"<a download='{html.escape(base)}.xlsx' href='{xlsx_uri}'>Excel workbook</a></p>"
        )
