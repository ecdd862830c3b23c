"""Carrying saved answers across renamed question ids (a spec's ``renames:``).

When a facilitator renames a question in a later version of a spec, answers
saved under the old id would silently detach. The spec declares the rename::

    version: 2
    renames:
      - {from: next-steps, to: next-actions, version: 2}

and :func:`apply_renames` moves answers (their history and table rows too)
saved under ``from`` by an earlier version, or before versions were recorded,
to ``to``, in one transaction. The worksheet engine calls it each time a
worksheet opens; a second call moves nothing.

Layers: specs and store both sit just above core and may not import each other.
This module knows which ids moved (the spec); the workspace knows how to move
rows (``Workspace.move_answers``). The workspace is therefore taken duck-typed,
as anything with that method (:class:`AnswerStore`), and never imported here.

>>> import tempfile
>>> from sectorkit.specs import parse_spec
>>> from sectorkit.store.workspace import Workspace
>>> v1 = parse_spec({"id": "demo", "version": 1, "title": "Demo", "sections": [{"id": "s", "title": "S",
...     "questions": [{"id": "next-steps", "type": "long_text", "label": "What next?"}]}]})
>>> v2 = parse_spec({"id": "demo", "version": 2, "title": "Demo",
...     "renames": [{"from": "next-steps", "to": "next-actions", "version": 2}],
...     "sections": [{"id": "s", "title": "S",
...     "questions": [{"id": "next-actions", "type": "long_text", "label": "What next?"}]}]})
>>> with tempfile.TemporaryDirectory() as home, Workspace.open("riverbend", home) as ws:
...     _ = ws.save_answer("demo", "next-steps", "Call Acme", spec_version=v1.version)
...     moved = apply_renames(ws, v2)
...     again = apply_renames(ws, v2)
...     answers = ws.answers("demo")
>>> moved, again, answers
({'next-steps': 2}, {}, {'next-actions': 'Call Acme'})
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from sectorkit.specs.models import WorksheetSpec

__all__ = ["AnswerStore", "apply_renames"]


class AnswerStore(Protocol):
    """What :func:`apply_renames` needs of a workspace (``sectorkit.store.workspace.Workspace`` has it)."""

    def move_answers(self, worksheet: str, moves: Iterable[tuple[str, str, int]]) -> dict[str, int]: ...


def apply_renames(workspace: AnswerStore, spec: WorksheetSpec, key: str | None = None) -> dict[str, int]:
    """Move answers saved under renamed question ids to their new ids.

    Parameters
    ----------
    workspace : Workspace
        The region's workspace (anything with ``move_answers``).
    spec : WorksheetSpec
        The current spec; its ``renames`` say what moves.
    key : str, optional
        The answers' key, default ``spec.id`` (an assessment response uses ``<spec>/<round>/<respondent>``).

    Returns
    -------
    dict
        ``{old_id: answers, history entries and table rows moved}``; empty when nothing was left to move.

    Raises
    ------
    WorkspaceError
        If the workspace cannot be written (nothing moves: it is one transaction).
    """
    if not spec.renames:
        return {}
    moves = [(r.old, r.to, r.version) for r in sorted(spec.renames, key=lambda r: r.version)]
    return workspace.move_answers(key or spec.id, moves)
