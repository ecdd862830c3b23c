"""Every assessment answer as one table, written to Excel or CSV (``sectorkit export-assessments``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sectorkit.assessments.rounds import RESPONSE, responses
from sectorkit.core.errors import SectorkitError
from sectorkit.specs import available_specs, load_spec
from sectorkit.store.workspace import Workspace

__all__ = ["assessment_frame", "export"]


def assessment_frame(ws: Workspace, spec_ids: list[str] | None = None) -> pd.DataFrame:
    """Every answer of every assessment response, one row each (long format)."""
    rows = []
    spec_ids = spec_ids or [s for s in available_specs() if load_spec(s).kind == "assessment"]
    for spec_id in spec_ids:
        spec = load_spec(spec_id)
        dims = {q.id: q.dimension for q in spec.questions()}
        for key, rec in ws.records(RESPONSE).items():
            if rec["spec"] != spec_id:
                continue
            for rec_answer in ws.answer_records(key):
                rows.append({"assessment": spec_id, "round": rec["round"], "respondent": rec["respondent"],
                             "status": rec["status"], "question": rec_answer.question,
                             "dimension": dims.get(rec_answer.question), "value": rec_answer.value,
                             "saved_at": rec_answer.updated_at})
    return pd.DataFrame(rows, columns=["assessment", "round", "respondent", "status", "question", "dimension",
                                       "value", "saved_at"])


def export(ws: Workspace, path: str | Path) -> Path:
    """Write every assessment to ``.xlsx`` (sheets: answers, scores) or ``.csv`` (answers)."""
    path = Path(path)
    answers = assessment_frame(ws)
    if path.suffix == ".csv":
        answers.to_csv(path, index=False)
        return path
    if path.suffix != ".xlsx":
        raise SectorkitError(f"Export to .xlsx or .csv, not '{path.suffix or path.name}'.")
    scores = [responses(ws, load_spec(s)).assign(assessment=s)
              for s in available_specs() if load_spec(s).kind == "assessment"]
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        answers.to_excel(xl, sheet_name="answers", index=False)
        (pd.concat(scores) if scores else pd.DataFrame()).to_excel(xl, sheet_name="scores", index=False)
    return path
