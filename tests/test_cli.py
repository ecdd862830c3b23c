"""The sectorkit command line: clear one-line errors, never a traceback."""

import json
import subprocess
import sys

import pytest

from sectorkit.cli import main


def sk(*args, home):
    return subprocess.run([sys.executable, "-m", "sectorkit.cli", "--home", str(home), *args],
                          capture_output=True, text=True)


def test_init_answers_export_import_round_trip(tmp_path, capsys):
    home = tmp_path / "home"
    assert main(["--home", str(home), "init", "central-ohio", "--name", "Central Ohio"]) == 0
    from sectorkit.store.workspace import Workspace
    with Workspace.open("central-ohio", home) as ws:
        ws.save_answer("step2-aar", "working-definition", "Advanced manufacturing, NAICS 31-33")
    assert main(["--home", str(home), "export", "central-ohio", str(tmp_path / "co.json")]) == 0
    assert main(["--home", str(tmp_path / "other"), "import", str(tmp_path / "co.json")]) == 0
    capsys.readouterr()
    assert main(["--home", str(tmp_path / "other"), "answers", "central-ohio", "step2-aar"]) == 0
    assert json.loads(capsys.readouterr().out) == {"working-definition": "Advanced manufacturing, NAICS 31-33"}


def test_init_example_is_illustrative(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "init-example"]) == 0
    assert "illustrative" in capsys.readouterr().out
    assert main(["--home", str(tmp_path), "regions"]) == 0
    assert capsys.readouterr().out.split() == ["example"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["init", "../../etc"], "is not a valid region id"),
        (["init", "<script>"], "is not a valid region id"),
        (["export", "nowhere", "x.json"], "No workspace for region 'nowhere'"),
        (["import", "missing.json"], "No such file"),
        (["answers", "Bad Region", "step2-aar"], "is not a valid region id"),
    ],
)
def test_bad_input_gets_one_clear_line_and_exit_2(tmp_path, args, message):
    proc = sk(*args, home=tmp_path / "home")
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_export_assessments_to_excel_and_csv(tmp_path):
    import pandas as pd

    from sectorkit.apps import assessment as A
    from sectorkit.specs import load_spec
    from sectorkit.store.workspace import Workspace

    spec = load_spec("sustainability")
    with Workspace.open("central-ohio", tmp_path / "home") as ws:
        key = A.open_response(ws, spec.id, A.start_round(ws, spec.id, "2026-11-20"), "Ana")
        ws.save_answers(key, {q.id: 3 for q in A.scored_questions(spec)})
        A.complete_response(ws, spec, key)
    assert main(["--home", str(tmp_path / "home"), "export-assessments", "central-ohio", str(tmp_path / "a.xlsx")]) == 0
    scores = pd.read_excel(tmp_path / "a.xlsx", sheet_name="scores")
    assert scores.loc[0, "overall"] == 3.0 and scores.loc[0, "status"] == "complete"
    assert main(["--home", str(tmp_path / "home"), "export-assessments", "central-ohio", str(tmp_path / "a.csv")]) == 0
    assert len(pd.read_csv(tmp_path / "a.csv")) == len(A.scored_questions(spec))
    proc = sk("export-assessments", "central-ohio", str(tmp_path / "a.pdf"), home=tmp_path / "home")
    assert proc.returncode == 2 and "Export to .xlsx or .csv" in proc.stderr
