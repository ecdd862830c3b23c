"""Live team editing on a page: picking up teammates' saves, and choosing between two versions.

Every page (:class:`~sectorkit.apps.base.WorksheetPage`) gets a :class:`LiveSync`. In a kernel
(Voila, JupyterLab) it polls the workspace's change feed (:meth:`Workspace.changes_since
<sectorkit.store.team.Team.changes_since>`) every :data:`POLL_SECONDS` on the kernel's own event
loop, between widget messages, and hands other pages' changes to the page's ``apply_changes``; a
spec form refreshes the answers and table rows that changed, without overwriting a field its person
typed in during the last :data:`TYPING_SECONDS`, and says who changed what in the page's team line.
Outside a kernel (tests, scripts) nothing runs by itself: call :meth:`LiveSync.poll`.

:class:`ConflictArea` shows the answers that have two versions (a save that started from a value a
teammate changed meanwhile is kept, not lost: :class:`~sectorkit.core.errors.EditConflict`), each
with one button per version; a choice saves that version and closes the conflict for everyone.
"""

from __future__ import annotations

import asyncio
import html
import logging
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as W

from sectorkit.core.clock import local_time
from sectorkit.specs import load_spec
from sectorkit.store.workspace import Change, Conflict, Workspace

__all__ = ["POLL_SECONDS", "TYPING_SECONDS", "ConflictArea", "LiveSync", "Typing", "describe_change", "describe_value",
           "who"]

LOG = logging.getLogger("sectorkit")

#: how often an open page looks for teammates' changes (seconds); the goal is to show them within 2 s
POLL_SECONDS = 1.0
#: a field its person changed this recently (seconds) is "being typed in": a teammate's change to it
#: is shown as a choice instead of replacing what is in the box
TYPING_SECONDS = 8.0


def who(name: str | None) -> str:
    """A person's name for a note ("A teammate" when the saver gave none)."""
    return name.strip() if name and name.strip() else "A teammate"


def describe_value(value: Any, limit: int = 120) -> str:
    """A saved value in words for a note or a choice (plain text; the caller escapes it)."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, dict):
        text = "; ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, ""))
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


class LiveSync:
    """Polls ``workspace``'s change feed for one page.

    Parameters
    ----------
    workspace : Workspace
        The page's workspace (its ``session`` tells its own saves from others').
    apply : callable
        ``apply(changes: list[Change])``, called with the other pages' changes, oldest first.
    """

    def __init__(self, workspace: Workspace, apply: Callable[[list[Change]], None]):
        self.workspace = workspace
        self.apply = apply
        self.seen = workspace.latest_change()
        self._task: asyncio.Task | None = None
        #: True once :meth:`stop` ran: the page is gone and takes no more changes
        self.stopped = False

    def poll(self) -> list[Change]:
        """Read the changes since the last poll; hand the other pages' ones on; return those.

        After :meth:`stop` (the page's browser left) nothing is read and ``[]`` is returned.
        """
        if self.stopped:
            return []
        changes = self.workspace.changes_since(self.seen)
        if not changes:
            return []
        self.seen = changes[-1].seq
        others = [c for c in changes if c.session != self.workspace.session]
        if others:
            self.apply(others)
        return others

    def start(self) -> bool:
        """Poll every :data:`POLL_SECONDS` on the running event loop (a kernel's); False when there is none."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        if self.stopped:
            return False
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._run())
        return True

    def stop(self) -> None:
        """Stop for good (the page's browser left): no more polls, by the loop or by hand."""
        self.stopped = True
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        failures = 0
        while True:
            await asyncio.sleep(POLL_SECONDS)
            try:
                self.poll()
                failures = 0
            except Exception:  # noqa: BLE001 - a failed poll is retried, never raised into the kernel
                failures += 1
                if failures in (1, 10) or failures % 100 == 0:
                    LOG.warning("Live updates of region %s failed (%d in a row)", self.workspace.region, failures,
                                exc_info=True)


class ConflictArea:
    """The open conflicts of one answers key, each with a button per version (see the module docstring).

    ``labels`` maps question ids to their labels; ``on_chosen(conflict, keep)`` runs after a choice
    (``keep`` is "saved" or "kept"), so the page can show the chosen value. Each question has its
    own empty box, :meth:`slot`, that the page lays out right under the question's widgets; a
    conflict's choice (a ``VBox`` with the class ``sk-conflict``) appears in its question's slot.
    Nothing else on the page moves: a browser re-creates every widget after a change in a box's
    list of children, and the field a person is typing in would lose its focus and their next keys.
    """

    def __init__(self, workspace: Workspace, key: str, labels: dict[str, str],
                 on_chosen: Callable[[Conflict, str], None], guard: Callable[..., Callable[..., Any]]):
        self.workspace, self.key, self.labels = workspace, key, labels
        self.on_chosen, self.guard = on_chosen, guard
        self.slots: dict[str, W.VBox] = {}
        self._slot_layout = W.Layout()  # shared by the slots: one widget model each, not two
        self.shown: list[Conflict] = []

    def slot(self, question: str) -> W.VBox:
        """The (empty until needed) box for ``question``'s choices."""
        if question not in self.slots:
            self.slots[question] = W.VBox([], layout=self._slot_layout)
        return self.slots[question]

    @property
    def panels(self) -> tuple[W.Widget, ...]:
        """Every choice on show, in question order."""
        return tuple(p for box in self.slots.values() for p in box.children)

    def refresh(self) -> list[Conflict]:
        """Re-read the open conflicts and redraw the slots that changed; returns them."""
        conflicts = [c for c in self.workspace.conflicts(self.key) if c.question in self.labels]
        if [(c.id, c.value, c.saved_at) for c in conflicts] == [(c.id, c.value, c.saved_at) for c in self.shown]:
            return conflicts
        def keys(items: list[Conflict], q: str) -> list[tuple]:
            return [(c.id, c.value, c.saved_at) for c in items if c.question == q]
        for question in dict.fromkeys([*(c.question for c in self.shown), *(c.question for c in conflicts)]):
            if keys(conflicts, question) != keys(self.shown, question):
                self.slot(question).children = tuple(self._panel(c) for c in conflicts if c.question == question)
        self.shown = conflicts
        return conflicts

    def _panel(self, c: Conflict) -> W.Widget:
        ws = self.workspace
        label = self.labels.get(c.question, c.question)
        if c.row_id:
            stored = next((r for r in ws.rows(self.key, c.question) if r.row_id == c.row_id), None)
            saved, saved_by, saved_at = (stored.value, None, stored.updated_at) if stored else (None, None, None)
            what = f"a row of \u201c{label}\u201d"
        else:
            saved, saved_by, saved_at = ws.answer_by(self.key, c.question)
            what = f"\u201c{label}\u201d"
        mine = c.session == ws.session
        kept_name = "yours" if mine else f"{who(c.saved_by)}'s"
        saved_name = f"{who(saved_by)}'s" if saved_by != ws.author or not saved_by else "yours"
        text = (
            f"<div role='alert' style='border-left:4px solid #8a5a00;padding:0.4em 0.8em;margin:0.4em 0;"
            f"background:#fff8e6;line-height:1.45'><strong>Two versions of {html.escape(what)}.</strong> "
            f"Saved ({html.escape(saved_name)}, {html.escape(local_time(saved_at) if saved_at else 'deleted')}): "
            f"\u201c{html.escape(describe_value(saved))}\u201d. Not saved yet ({html.escape(kept_name)}, "
            f"{html.escape(local_time(c.saved_at))}): \u201c{html.escape(describe_value(c.value))}\u201d. "
            "Choose the one to keep.</div>"
        )
        keep_saved = W.Button(description=f"Keep the saved one ({saved_name})",
                              tooltip=f"Keep the saved version of {label}", layout=W.Layout(width="auto"))
        keep_kept = W.Button(description=f"Keep the other one ({kept_name})",
                             tooltip=f"Save the other version of {label}", layout=W.Layout(width="auto"))
        keep_saved.on_click(self.guard(lambda _b, c=c: self.choose(c, "saved"), "keeping the saved version"))
        keep_kept.on_click(self.guard(lambda _b, c=c: self.choose(c, "kept"), "keeping the other version"))
        panel = W.VBox([W.HTML(value=text), W.HBox([keep_saved, keep_kept])])
        panel.add_class("sk-conflict")
        return panel

    def choose(self, conflict: Conflict, keep: str) -> None:
        """Keep one version (``"saved"`` or ``"kept"``) of ``conflict``; the area redraws."""
        self.workspace.resolve_conflict(conflict.id, keep)
        self.on_chosen(conflict, keep)
        self.refresh()


class Typing:
    """When each field was last changed by its person (monotonic seconds), to tell "being typed in"."""

    def __init__(self) -> None:
        self._at: dict[Any, float] = {}

    def mark(self, key: Any) -> None:
        self._at[key] = time.monotonic()

    def recent(self, key: Any, seconds: float | None = None) -> bool:
        at = self._at.get(key)
        return at is not None and time.monotonic() - at < (TYPING_SECONDS if seconds is None else seconds)


def describe_change(change: Change, names: tuple[str, str] | None = None) -> str | None:
    """One change in words, "Ana changed “Footprint” (Step 2 review) at 10:02" (plain text).

    ``names``: (worksheet title, question label) when the caller knows them; else they are looked up
    from the spec named by the change's key (its id when there is none).
    """
    when = local_time(change.saved_at)
    name = who(change.saved_by)
    if change.kind == "record":
        return f"{name} saved {change.worksheet.replace('_', ' ')} \u201c{change.item}\u201d at {when}."
    where, label = (f" ({names[0]})" if names[0] else "", names[1]) if names else _labels(change.worksheet, change.item)
    label = label if len(label) <= 80 else label[:79].rstrip() + "\u2026"
    if change.kind == "conflict":
        return f"{name} made a second version of \u201c{label}\u201d{where} at {when}; choose one on its page."
    if change.kind == "row":
        return f"{name} changed a row of \u201c{label}\u201d{where} at {when}."
    return f"{name} changed \u201c{label}\u201d{where} at {when}."


def _labels(key: str, question: str) -> tuple[str, str]:
    """(" (worksheet title)", question label) for an answers key; the ids when the spec is unknown."""
    try:
        spec = load_spec(key.split("/")[0])
        return f" ({spec.title})", spec.question(question).label
    except Exception:  # noqa: BLE001 - an unknown key or question is named by its id
        return f" ({key})", question
