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


def _boom(*args, **kwargs):
    raise RuntimeError("injected")


def _new_region(home):
    from sectorkit.store.workspace import Workspace

    Workspace.open("central-ohio", home).close()


#: each command, a function it calls (replaced by one that raises), and what must exist first
INJECTED = [
    (["init", "central-ohio"], "sectorkit.store.workspace.Workspace.open", None),
    (["init-example"], "sectorkit.cli.ensure_example_workspace", None),
    (["regions"], "sectorkit.cli.list_regions", None),
    (["export", "central-ohio", "{tmp}/co.json"], "sectorkit.store.workspace.Workspace.export_json", _new_region),
    (["import", "{tmp}/co.json"], "sectorkit.cli.import_json", None),
    (["answers", "central-ohio", "step2-aar"], "sectorkit.store.workspace.Workspace.answers", _new_region),
    (["export-assessments", "central-ohio", "{tmp}/a.xlsx"], "sectorkit.assessments.export", _new_region),
    (["report", "central-ohio", "--out", "{tmp}/out"], "sectorkit.reports.render_all", _new_region),
    (["serve", "worksheets"], "sectorkit.serve.server.serve", None),
]


@pytest.mark.parametrize("args, target, setup", INJECTED, ids=[a[0] for a, _, _ in INJECTED])
def test_an_unexpected_failure_in_any_command_is_one_line_exit_1_and_logged(tmp_path, capsys, monkeypatch, args,
                                                                             target, setup):
    home = tmp_path / "home"
    if setup:
        setup(home)
    monkeypatch.setattr(target, _boom)
    monkeypatch.setenv("SECTORKIT_HOME", str(home))  # restored after the test ('serve' sets it for its kernels)
    argv = ["--home", str(home), *(a.format(tmp=tmp_path) for a in args)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"sectorkit: something went wrong while running '{args[0]}': RuntimeError: injected.")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    log = home / "logs" / "cli.log"
    assert str(log) in err
    text = log.read_text(encoding="utf-8")
    assert f"sectorkit {args[0]} failed" in text and "Traceback" in text and "RuntimeError: injected" in text


def test_an_unexpected_failure_prints_no_traceback_in_a_real_process(tmp_path):
    code = ("import sys, sectorkit.cli as c\n"
            "def boom(*a, **k): raise KeyError('no such thing')\n"
            "c.list_regions = boom\n"
            "sys.exit(c.main(sys.argv[1:]))\n")
    proc = subprocess.run([sys.executable, "-c", code, "--home", str(tmp_path), "regions"],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"sectorkit: something went wrong while running 'regions': KeyError: 'no such thing'. This is a problem "
        f"in sectorkit, not in what you typed; the details are in {tmp_path / 'logs' / 'cli.log'}."]
    assert "Traceback" in (tmp_path / "logs" / "cli.log").read_text(encoding="utf-8")
