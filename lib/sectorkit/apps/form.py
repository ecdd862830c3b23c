"""The worksheet engine: one class renders any spec as ipywidgets and saves as you type.

Every question type maps to one small field class; :class:`WorksheetApp` lays
the fields out by section, loads the saved answers from the region's
workspace, and saves each change in its own transaction the moment the widget
value changes (text fields sync on every keystroke). A status line says when
the last save happened, or what went wrong, in words.

The app follows the Voila example-app pattern: widgets are built in
``__init__``, handlers are wired with ``observe(..., names="value")`` and the
one public view is ``.container``; it is unit-testable without a browser:

>>> import tempfile
>>> from sectorkit.specs import parse_spec
>>> from sectorkit.store.workspace import Workspace
>>> spec = parse_spec({"id": "demo", "version": 1, "title": "Demo", "sections": [
...     {"id": "s", "title": "S", "questions": [
...         {"id": "q", "type": "text", "label": "Which counties?"}]}]})
>>> ws = Workspace.open("demo-region", root=tempfile.mkdtemp())
>>> app = WorksheetApp(spec, ws)
>>> app.fields["q"].input.value = "Franklin and Delaware"
>>> ws.answers("demo")
{'q': 'Franklin and Delaware'}
>>> app.status_text().startswith("Saved")
True
"""

from __future__ import annotations

import html
from html import escape as esc
from typing import Any, Callable

import ipywidgets as W

from sectorkit.apps.base import SpecHeader, WorksheetPage, guarded
from sectorkit.apps.fields import (  # noqa: F401  (re-exported: the field API)
    FIELD_TYPES,
    ChoiceField,
    Field,
    MultiField,
    NumberField,
    Shared,
    TextField,
    _p,
    html_widget,
)
from sectorkit.apps.live import ConflictArea, Typing, describe_change, describe_value, who
from sectorkit.core.clock import local_time
from sectorkit.core.errors import EditConflict
from sectorkit.specs import WorksheetSpec, load_spec
from sectorkit.specs.migrate import apply_renames
from sectorkit.store.workspace import Change, Conflict, Workspace


class WorksheetApp(SpecHeader, WorksheetPage):
    """A worksheet rendered from its spec and bound to a region's workspace.

    Parameters
    ----------
    spec : WorksheetSpec
        The validated spec (see :mod:`sectorkit.specs`).
    workspace : Workspace
        Where answers load from and save to.
    key : str, optional
        The answers' key in the workspace (default: the spec id).
    header : bool
        Show the title, region and intro (False when an outer app shows them).

    The header, status line, styles, guarded handlers and ``for_region`` come from
    :class:`~sectorkit.apps.base.WorksheetPage`; ``WorksheetApp.for_region(region, spec="step2-aar")``.
    """

    save_hint = "Answers save as you type."

    def __init__(self, spec: WorksheetSpec, workspace: Workspace, key: str | None = None, header: bool = True):
        self.spec = spec
        #: where the answers live in the workspace: the spec id, or e.g. one respondent's
        #: response to an assessment round (``sustainability/2026-q4/ana``)
        self.key = key or spec.id
        #: callables run after each successful save, e.g. to refresh a progress view
        self.on_saved: list[Callable[["WorksheetApp"], None]] = []
        self.fields: dict[str, Field] = {}
        #: the value each field last loaded or saved (what its next save starts from), by question id
        self.bases: dict[str, Any] = {}
        self.typing = Typing()
        super().__init__(workspace, header=header)
        self.load()

    @property
    def max_width(self) -> str:  # type: ignore[override]
        """A page with a table is wider, so a row's cells and its buttons fit without scrolling
        sideways on a laptop screen; questions and text boxes keep their readable 46rem."""
        return "76rem" if any(q.type == "table" for q in self.spec.questions()) else WorksheetPage.max_width

    @classmethod
    def from_workspace(cls, workspace: Workspace, spec: WorksheetSpec | str, **options: Any) -> "WorksheetApp":
        """The form of ``spec`` (a spec or its id) on ``workspace``; ``options`` as in the constructor."""
        return cls(spec if isinstance(spec, WorksheetSpec) else load_spec(spec), workspace, **options)

    def build(self) -> list[W.Widget]:
        """One header per section, then each question's field; the progress line last."""
        spec, shared = self.spec, self.styles
        items: list[W.Widget] = []
        self.conflicts = ConflictArea(self.workspace, self.key, {q.id: q.label for q in spec.questions()},
                                      self._chosen, self.guarded)
        for section in spec.sections:
            items.append(html_widget(
                shared,
                f"<h2 style='font-size:1.25em;margin:1.2em 0 0.2em;line-height:1.3'>{html.escape(section.title)}</h2>"
                f"{_p(section.intro)}",
            ))
            for q in section.questions:
                field = FIELD_TYPES[q.type](q, spec, shared)
                field.on_change(self._save_field)
                self.fields[q.id] = field
                items.extend(field.widgets())
                items.append(self.conflicts.slot(q.id))  # a choice between two versions shows right here
        self.progress = self.html_widget()
        extra: list[W.Widget] = []
        if self.show_header:  # who changed an answer, and when (an embedded form's page shows its own)
            choices = [(q.label, q.id) for q in spec.questions() if q.type != "table"]
            self.history_pick = W.Dropdown(options=[("Choose a question", ""), *choices], value="",
                                           description="Show the changes to", style=shared.label("12rem"),
                                           layout=shared.layout(width="40rem", max_width="100%"))
            self.history_view = self.html_widget()
            self.history_pick.observe(self._show_history, names="value")
            extra = [self.html_widget("<h2 style='font-size:1.1em;margin:1.2em 0 0.2em'>Who changed what</h2>"),
                     self.history_pick, self.history_view]
        return [*items, self.progress, *extra]

    @guarded("showing the answer's history", keep="", lead="")
    def _show_history(self, change: dict) -> None:
        qid = change["new"]
        self.history_view.value = self.history_html(qid) if qid in self.fields else ""

    def _render_progress(self) -> None:
        answered = sum(1 for f in self.fields.values() if f.get() not in (None, "", []))
        self.progress.value = (
            f"<p style='margin-top:1.2em'>{answered} of {len(self.fields)} questions answered.</p>"
        )

    # -- load and save -----------------------------------------------------
    def load(self) -> None:
        """(Re)load every field from the workspace (first moving answers of renamed questions)."""
        apply_renames(self.workspace, self.spec, self.key)
        saved = self.workspace.answers(self.key)
        self.conflicts.workspace = self.workspace
        with self.loading():
            for qid, field in self.fields.items():
                if getattr(field, "self_saving", False):  # a table loads and saves its own rows
                    field.bind(self.workspace, self.key, self._field_reported)
                    field.on_conflict = self._conflicted
                else:
                    field.set(saved.get(qid, field.empty()))
                    self.bases[qid] = saved.get(qid)
                field.show_error(None)
        self.conflicts.refresh()
        stamp = self.workspace.last_saved(self.key)
        if stamp:
            self.saved(at=stamp)
        else:
            self.say()
        self._render_progress()

    @guarded("saving your answer", keep="Your text is still in the box; try again.")
    def _save_field(self, field: Field) -> None:
        if self.is_loading:
            return
        value = field.get()
        problem = field.validate(value)
        field.show_error(problem)
        if problem:
            self.failed(f"{field.question.label} {problem}")
            return
        qid = field.question.id
        self.typing.mark(qid)
        try:
            stamp = self.workspace.save_answer(self.key, qid, value, spec_version=self.spec.version,
                                               base=self.bases.get(qid))
        except EditConflict as conflict:
            self._conflicted(conflict)
            return
        finally:
            self._render_progress()
        self.bases[qid] = value
        self.saved(field.take_notice(), at=stamp)  # a note once, e.g. a repaired broken character
        for callback in self.on_saved:
            self.guarded(callback, "updating the page after the save", keep="Your answer was saved.")(self)

    def _field_reported(self, field: Field, saved_at: str | None = None, error: str | None = None) -> None:
        """A self-saving field (a table) saved (``saved_at``, None: just now) or failed (``error``)."""
        self._render_progress()
        if error:
            self.failed(error)
            return
        self.saved(at=saved_at)
        for other in self.fields.values():  # a table's ``row`` drop-downs list the rows of the table that saved
            if hasattr(other, "refresh_refs"):
                self.guarded(other.refresh_refs, "updating the table's choices", keep="Your answer was saved.")(
                    field.question.id)
        for callback in self.on_saved:
            self.guarded(callback, "updating the page after the save", keep="Your answer was saved.")(self)

    # -- teammates ---------------------------------------------------------------------------
    def _conflicted(self, conflict: EditConflict) -> None:
        """A save met a teammate's newer value: both versions are kept; show the choice."""
        self.conflicts.refresh()
        label = self.fields[conflict.question].question.label if conflict.question in self.fields else conflict.question
        did = "deleted a row of" if conflict.row_id and conflict.theirs is None else "changed"
        self.failed(f"{who(conflict.theirs_by)} {did} “{label}” while you were editing it. Both versions "
                    "are kept; choose one under the answer.", lead="Not saved yet")

    def _chosen(self, conflict: Conflict, keep: str) -> None:
        """After a choice, every field of that question shows what is now saved."""
        self._show_stored(conflict.question, force=True)
        self.saved(f"kept the {'saved' if keep == 'saved' else 'other'} version of "
                   f"“{self.fields[conflict.question].question.label}”.")

    def _show_stored(self, qid: str, force: bool = False) -> None:
        field = self.fields.get(qid)
        if field is None:
            return
        if getattr(field, "self_saving", False):
            field.apply_remote(force=force)
            return
        value, _by, _at = self.workspace.answer_by(self.key, qid)
        if field.get() == value or (not force and value == self.bases.get(qid)):
            self.bases[qid] = value
            return
        if not force and self.typing.recent(qid):
            try:  # being typed in: never overwritten; kept as a second version to choose from
                self.workspace.save_answer(self.key, qid, field.get(), spec_version=self.spec.version,
                                           base=self.bases.get(qid))
                self.bases[qid] = field.get()
            except EditConflict as conflict:
                self._conflicted(conflict)
            return
        with self.loading():
            field.set(value if value is not None else field.empty())
        self.bases[qid] = value
        self._render_progress()

    def apply_changes(self, changes: list[Change]) -> None:
        """Show what teammates saved to this form's answers (see :class:`~sectorkit.apps.live.LiveSync`)."""
        for qid in dict.fromkeys(c.item for c in changes if c.worksheet == self.key and c.kind in ("answer", "row")):
            self._show_stored(qid)
        if any(c.worksheet == self.key and c.kind == "conflict" for c in changes):
            before = {c.question for c in self.conflicts.shown}
            now = {c.question for c in self.conflicts.refresh()}
            for qid in before - now:  # settled elsewhere: show the chosen value
                self._show_stored(qid, force=True)
        super().apply_changes(changes)

    def describe_change(self, change: Change) -> str | None:
        """A change to this form's answers in its own words (labels of this spec); others as the base."""
        if change.worksheet == self.key and change.item in self.fields:
            return describe_change(change, ("", self.fields[change.item].question.label))  # this page: no title
        return super().describe_change(change)

    def history(self, question_id: str) -> list[tuple[str, str | None, Any]]:
        """The saved versions of one answer, oldest first: ``(saved_at, saved_by, value)``."""
        return self.workspace.history_by(self.key, question_id)

    def history_html(self, question_id: str) -> str:
        """One answer's history as an escaped HTML table (time, who, value)."""
        rows = "".join(
            f"<tr><td>{esc(local_time(t))}</td><td>{esc(who(by) if by else 'not recorded')}</td>"
            f"<td>{esc(describe_value(v, 300))}</td></tr>" for t, by, v in reversed(self.history(question_id)))
        label = self.fields[question_id].question.label
        return (f"<table><caption>Changes to “{esc(label)}”, newest first</caption>"
                f"<tr><th scope='col'>When</th><th scope='col'>Who</th><th scope='col'>Answer</th></tr>{rows}</table>"
                if rows else f"<p>“{esc(label)}” has no saved answer yet.</p>")

    def answers(self) -> dict[str, Any]:
        """The answers as currently shown in the widgets (a table's: its list of row dicts)."""
        return {qid: f.get() for qid, f in self.fields.items()}

    def switch_region(self, workspace: Workspace) -> None:
        """Show another region's answers in the same form."""
        self.workspace = workspace
        self.refresh_header()
        self.load()


def open_worksheet(spec_id: str, region: str = "example", root=None) -> WorksheetApp:
    """Build the worksheet app for ``spec_id`` bound to ``region``'s workspace."""
    return WorksheetApp.for_region(region, root, spec=spec_id)
