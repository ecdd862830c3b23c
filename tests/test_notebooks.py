"""Every notebook in modules/ and worksheets/ is committed clean and runs, producing what it should."""

import json
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from sectorkit.core.paths import REPO_ROOT
from sectorkit.store.workspace import Workspace

NOTEBOOKS = sorted((REPO_ROOT / "modules").glob("*.ipynb")) + sorted((REPO_ROOT / "worksheets").glob("*.ipynb"))
SEEDED = "Ash, Birch and Cedar counties <b>(seeded)</b>"


def test_there_are_notebooks():
    names = {p.name for p in NOTEBOOKS}
    assert {"02_define_scope.ipynb", "step2_aar.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook_is_committed_clean(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        assert not cell.get("outputs"), f"{path.name} cell {i} has outputs: clear them before committing"
        assert not cell.get("execution_count"), f"{path.name} cell {i} has an execution count"
    assert "widgets" not in nb.get("metadata", {}), f"{path.name} carries widget state in its metadata"
    text = path.read_text(encoding="utf-8")
    assert "/work/" not in text and "/home/" not in text and "/root/" not in text, "local path in notebook"


def _run(path: Path, tmp_path: Path, monkeypatch, **params) -> nbformat.NotebookNode:
    monkeypatch.setenv("SECTORKIT_HOME", str(tmp_path / "home"))
    out = tmp_path / path.name
    pm.execute_notebook(
        str(path), str(out), parameters=params, cwd=str(path.parent),
        progress_bar=False, kernel_name="python3", log_output=False,
    )
    return nbformat.read(out, as_version=4)


def _outputs(nb, mime: str) -> list[str]:
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if mime in data:
                value = data[mime]
                found.append(value if isinstance(value, str) else json.dumps(value))
    return found


def _widget_states(nb) -> list[dict]:
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    return list(state.values())


def _widget_values(nb) -> list:
    return [m["state"].get("value") for m in _widget_states(nb) if "value" in m.get("state", {})]


def _errors(nb) -> list[str]:
    return [o.get("ename", "") for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


def _seed(tmp_path: Path, region: str) -> None:
    with Workspace.open(region, tmp_path / "home") as ws:
        ws.save_answers("step2-aar", {"footprint-description": SEEDED, "sector-agreed": "partly"})


def test_step2_module_runs_and_shows_the_saved_answers(tmp_path, monkeypatch):
    _seed(tmp_path, "riverbend-team")
    nb = _run(REPO_ROOT / "modules" / "02_define_scope.ipynb", tmp_path, monkeypatch, region="riverbend-team")
    assert _errors(nb) == []
    # papermill injected the parameter after the tagged cell
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and 'region = "riverbend-team"' in injected[0].source
    html_out = "\n".join(_outputs(nb, "text/html"))
    assert "Illustrative data." in html_out
    assert "<table" in html_out and "Manufacturing" in html_out
    assert '<img src="data:image/svg+xml;base64,' in html_out and 'alt="' in html_out
    assert "workspace <strong>riverbend-team</strong>" in html_out
    # the embedded AAR is a live widget showing what the team saved earlier
    assert _outputs(nb, "application/vnd.jupyter.widget-view+json")
    assert SEEDED in _widget_values(nb)
    chosen = [m["state"]["_options_labels"][m["state"]["index"]] for m in _widget_states(nb)
              if m["state"].get("_view_name") == "RadioButtonsView" and m["state"].get("index") is not None]
    assert chosen == ["Partly"]


def test_step2_module_exercises_have_revealable_answers():
    nb = nbformat.read(REPO_ROOT / "modules" / "02_define_scope.ipynb", as_version=4)
    md = [c.source for c in nb.cells if c.cell_type == "markdown"]
    exercises = [s for s in md if s.startswith("### Exercise")]
    answers = [s for s in md if s.startswith("<details>") and "Facilitator" in s]
    assert len(exercises) >= 3 and len(answers) == len(exercises)
    assert any("Based on the Next Gen Sector Partnership training toolkit" in s for s in md)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1


def test_aar_worksheet_notebook_runs_and_shows_the_saved_answers(tmp_path, monkeypatch):
    _seed(tmp_path, "lakeside")
    monkeypatch.setenv("SECTORKIT_REGION", "lakeside")
    nb = _run(REPO_ROOT / "worksheets" / "step2_aar.ipynb", tmp_path, monkeypatch)
    assert _errors(nb) == []
    assert _outputs(nb, "application/vnd.jupyter.widget-view+json")
    assert SEEDED in _widget_values(nb)


def test_aar_worksheet_notebook_with_a_bad_region_shows_a_message(tmp_path, monkeypatch):
    monkeypatch.setenv("SECTORKIT_REGION", "../../etc")
    nb = _run(REPO_ROOT / "worksheets" / "step2_aar.ipynb", tmp_path, monkeypatch)
    assert _errors(nb) == []
    values = " ".join(str(v) for v in _widget_values(nb))
    assert "This worksheet cannot open" in values and "is not a valid region id" in values
    assert not (tmp_path / "home").exists() or list((tmp_path / "home").iterdir()) == []


WORKSHEETS = sorted((REPO_ROOT / "worksheets").glob("*.ipynb"))


@pytest.mark.parametrize("path", WORKSHEETS, ids=lambda p: p.name)
def test_every_worksheet_page_runs_and_renders_a_form(path, tmp_path, monkeypatch):
    """Each worksheet notebook, run as papermill would, shows its app (not an error panel).

    Rendering must never make the notebook client write to the kernel's shell channel: nbclient
    (inside Voila and papermill) does that for output captured by an Output widget, and the send
    can make it miss the cell's reply, so a Voila page hangs on "Executing 2 of 2"
    (jupyter/nbclient#312). Pages show such output by state instead (sectorkit.views.html.show_html).
    """
    from nbclient.output_widget import OutputWidget

    sent = []
    monkeypatch.setattr(OutputWidget, "send", lambda self, *a, **k: sent.append(self.comm_id))
    monkeypatch.setenv("SECTORKIT_REGION", "papermill-check")
    Workspace.open("papermill-check", tmp_path / "home").close()  # a page never creates a region by itself
    nb = _run(path, tmp_path, monkeypatch)
    assert sent == [], "the page displayed into an Output widget while rendering (see sectorkit.views.html.show_html)"
    assert _errors(nb) == []
    views = _outputs(nb, "application/vnd.jupyter.widget-view+json")
    assert len(views) == 1, "a worksheet page shows exactly one widget"
    values = " ".join(str(v) for v in _widget_values(nb))
    assert "cannot open" not in values
    assert "papermill-check" in values  # the page is bound to the requested region
    assert (tmp_path / "home" / "papermill-check" / "workspace.sqlite").exists()


def test_step6_module_shows_the_teams_history_and_review_progress(tmp_path, monkeypatch):
    from sectorkit.apps import assessment as A
    from sectorkit.specs import load_spec

    spec = load_spec("sustainability")
    items = A.scored_questions(spec)
    with Workspace.open("riverbend-team", tmp_path / "home") as ws:
        for when, who, rating in [("2026-05-15", "Ana", 2), ("2026-08-20", "Ana", 3), ("2026-08-20", "Ben", 4)]:
            key = A.open_response(ws, spec.id, A.start_round(ws, spec.id, when), who)
            ws.save_answers(key, {q.id: rating for q in items})
            A.complete_response(ws, spec, key)
        ws.save_answers("step6-aar", {q.id: "not-yet" for q in load_spec("step6-aar").questions()[:1]})
    nb = _run(REPO_ROOT / "modules" / "06_sustain_and_evolve.ipynb", tmp_path, monkeypatch, region="riverbend-team")
    assert _errors(nb) == []
    html_out = "\n".join(_outputs(nb, "text/html"))
    assert "Latest round 2026-08-20 compared with 2026-05-15" in html_out
    assert "improved" in html_out and "Worth a discussion" in html_out  # Ana 3 vs Ben 4 spread 1.0
    assert 'alt="Bar chart of Sustainability Self-Assessment' in html_out
    assert "After Action Reviews: progress by step" in html_out
    assert html_out.count("After Action Reviews: progress by step") == 1  # shown once, not echoed
    # the embedded worksheets (assessment, indicators, red flags, staffing, Step 6 AAR) are live widgets
    assert len(_outputs(nb, "application/vnd.jupyter.widget-view+json")) >= 5


@pytest.mark.parametrize("step, name", [(3, "03_prepare_to_launch"), (4, "04_launch"), (5, "05_move_to_action")])
def test_steps_3_to_5_modules_embed_their_review_with_the_saved_answers(step, name, tmp_path, monkeypatch):
    from sectorkit.specs import load_spec

    spec = load_spec(f"step{step}-aar")
    text_q = next(q for q in spec.questions() if q.type == "long_text")
    with Workspace.open("riverbend-team", tmp_path / "home") as ws:
        ws.save_answer(spec.id, text_q.id, f"Step {step} answer <i>seeded</i>")
    nb = _run(REPO_ROOT / "modules" / f"{name}.ipynb", tmp_path, monkeypatch, region="riverbend-team")
    assert _errors(nb) == []
    md = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Based on the Next Gen Sector Partnership training toolkit" in md
    assert md.count("<summary>Facilitator's answer") >= 3
    assert f"Step {step} answer <i>seeded</i>" in _widget_values(nb)
