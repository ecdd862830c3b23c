"""After Action Reviews across the steps: which reviews are done, and what is "not yet"."""

from __future__ import annotations

import pandas as pd

from sectorkit.specs import WorksheetSpec, available_specs, load_spec, module_order
from sectorkit.store.workspace import Workspace

__all__ = ["aar_progress", "aar_specs"]


def aar_specs() -> list[WorksheetSpec]:
    found = [load_spec(s) for s in available_specs()]
    return sorted((s for s in found if s.kind == "after_action_review"), key=module_order)


def aar_progress(ws: Workspace) -> pd.DataFrame:
    """Per step's review: questions answered, 'not yet' answers, last save, done or not."""
    rows = []
    for spec in aar_specs():
        saved = ws.answers(spec.id)
        qs = spec.questions()
        answered = [q for q in qs if saved.get(q.id) not in (None, "", [])]
        not_yet = [q.label for q in qs if isinstance(saved.get(q.id), str)
                   and saved.get(q.id) in spec.option_values_tagged(q, "not-yet")]
        rows.append({"step": spec.step, "review": spec.title, "answered": len(answered), "questions": len(qs),
                     "not_yet": len(not_yet), "not_yet_items": not_yet, "last_saved": ws.last_saved(spec.id),
                     "done": len(answered) == len(qs)})
    return pd.DataFrame(rows)
