"""Team editing for table questions: a teammate's rows appear, and a row being edited is never overwritten.

:class:`LiveRows` is a mixin of :class:`~sectorkit.apps.table.TableField`. Each row view keeps
``base``, the row as last loaded or saved: a cell change saves the row with that base, so a row a
teammate changed or deleted meanwhile is kept as a second version
(:class:`~sectorkit.core.errors.EditConflict`, shown by the form's conflict area) instead of being
overwritten. :meth:`LiveRows.apply_remote` re-reads the table after other pages saved it: new rows
are added, changed rows updated and deleted rows removed, in the saved order, except rows this
person changed in the last :data:`~sectorkit.apps.live.TYPING_SECONDS`, which keep what is in
their boxes (their next save meets the teammate's version as a conflict).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sectorkit.apps.live import Typing
from sectorkit.core.errors import EditConflict
from sectorkit.specs.tables import display_cell

__all__ = ["LiveRows"]


class LiveRows:
    """Row bases, conflicts and teammates' rows for a table field (see the module docstring)."""

    #: the form's handler for a conflict (it shows the choice); None: the table's own message says it
    on_conflict: Callable[[EditConflict], None] | None = None

    @property
    def typing(self) -> Typing:
        typing = self.__dict__.get("_typing")
        if typing is None:
            typing = self.__dict__["_typing"] = Typing()
        return typing

    def _save_with_base(self, view: Any) -> bool:
        """Save ``view``'s row starting from its base; False (and the choice shown) on a conflict."""
        self.typing.mark(view.row_id)
        try:
            self.workspace.save_row(self.key, self.question.id, view.row_id, view.value,
                                    spec_version=self.spec.version, base=getattr(view, "base", None))
        except EditConflict as conflict:
            if self.on_conflict is not None:
                self.on_conflict(conflict)
            else:
                self._failed(str(conflict))
            return False
        view.base = dict(view.value)
        return True

    def _show_row_value(self, view: Any, value: dict[str, Any]) -> None:
        """Put a saved row's values into its boxes (nothing saves: the table is loading)."""
        for col in self.columns:
            box, cell = view.cells[col.id], value.get(col.id)
            with box.hold_sync():
                if col.type in ("choice", "yes_no", "organization", "person", "row"):
                    box.options = self._cell_options(col, cell)
                    box.value = cell
                else:
                    box.value = display_cell(col, cell)
        view.value, view.base = dict(value), dict(value)
        view.problems.clear()

    def apply_remote(self, force: bool = False) -> bool:
        """Re-read the rows after a teammate saved this table; True when the table changed on screen.

        ``force``: also rows being typed in (after a choice between two versions).
        """
        if self.workspace is None or self.key is None:
            return False
        stored = {r.row_id: r for r in self.workspace.rows(self.key, self.question.id)}
        order = list(stored)
        changed = False
        was, self._loading = self._loading, True
        try:
            by_id = {v.row_id: v for v in self.views}
            for view in list(self.views):
                busy = not force and self.typing.recent(view.row_id)
                row = stored.get(view.row_id)
                if row is None:
                    if not busy:  # deleted by a teammate
                        self.views.remove(view)
                        changed = True
                elif row.value != view.value and not busy:
                    self._show_row_value(view, row.value)
                    changed = True
                elif row.value == view.value:
                    view.base = dict(row.value)
            for row_id in order:
                if row_id not in by_id:
                    self.views.append(self._make_view(row_id, stored[row_id].value, len(self.views) + 1))
                    changed = True
            rank = {rid: n for n, rid in enumerate(order)}
            ordered = sorted(self.views, key=lambda v: rank.get(v.row_id, len(rank)))
            if [v.row_id for v in ordered] != [v.row_id for v in self.views]:
                self.views = ordered
                changed = True
            if changed:
                self._relayout()
        finally:
            self._loading = was
        if changed:
            self.message.value = self._summary_html()
        return changed
