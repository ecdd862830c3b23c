"""Self-assessments: scoring by hand-computed expectations, drafts, history, spread, export, apps."""

import pandas as pd
import pytest
import yaml

from sectorkit.apps import assessment as A
from sectorkit.core.errors import SectorkitError, SpecError
from sectorkit.specs import load_spec, parse_spec
from sectorkit.store.workspace import Workspace

SPEC = {
    "id": "mini-assess",
    "version": 1,
    "title": "Mini assessment",
    "kind": "assessment",
    "intro": "Rated 1-4.",
    "dimensions": [{"id": "lead", "title": "Business leads"}, {"id": "act", "title": "Follow-through"}],
    "sections": [
        {
            "id": "lead",
            "title": "Lead",
            "questions": [
                {
                    "id": "agenda",
                    "type": "scale",
                    "min": 1,
                    "max": 4,
                    "label": "Business sets the agenda.",
                    "dimension": "lead",
                },
                {
                    "id": "chair",
                    "type": "scale",
                    "min": 1,
                    "max": 4,
                    "label": "Business chairs the meetings.",
                    "dimension": "lead",
                },
            ],
        },
        {
            "id": "act",
            "title": "Act",
            "questions": [
                {
                    "id": "follow",
                    "type": "scale",
                    "min": 1,
                    "max": 4,
                    "label": "Actions are followed up.",
                    "dimension": "act",
                },
                {"id": "notes", "type": "long_text", "label": "Anything else?"},
            ],
        },
    ],
}


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data" / "worksheets"
    folder.mkdir(parents=True)
    (folder / "mini.yaml").write_text(yaml.safe_dump(SPEC))
    monkeypatch.setenv("SECTORKIT_DATA", str(tmp_path / "data"))
    return folder


@pytest.fixture
def spec(data_dir):
    return load_spec("mini-assess")


@pytest.fixture
def ws(tmp_path):
    with Workspace.open("riverbend", tmp_path / "home") as ws:
        yield ws


def answer(ws, spec, round_id, who, values, complete=True):
    key = A.open_response(ws, spec.id, A.start_round(ws, spec.id, round_id), who)
    ws.save_answers(key, values)
    if complete:
        A.complete_response(ws, spec, key)
    return key


def test_scores_by_hand(spec):
    s = A.score_answers(spec, {"agenda": 4, "chair": 1, "follow": 3, "notes": "text is not scored"})
    assert s.dimensions == {"lead": 2.5, "act": 3.0}
    assert s.overall == pytest.approx(2.75)  # mean of dimension means, not of items (8/3)
    assert s.complete and s.missing == []


@pytest.mark.parametrize("bad", [None, "", 0, 5, "3", True, 2.5])
def test_blank_or_invalid_ratings_are_never_scored(spec, bad):
    s = A.score_answers(spec, {"agenda": 4, "chair": bad, "follow": 3})
    assert not s.complete and s.overall is None
    assert s.dimensions["lead"] is None and s.dimensions["act"] == 3.0
    assert s.missing == ["chair"]


def test_incomplete_response_stays_a_draft_with_a_clear_message(ws, spec):
    key = answer(ws, spec, "2026-08-20", "Ana Ruiz", {"agenda": 4}, complete=False)
    with pytest.raises(SectorkitError, match="2 statement\\(s\\) are not rated yet, so this stays a draft"):
        A.complete_response(ws, spec, key)
    df = A.responses(ws, spec)
    assert df.loc[0, "status"] == "draft" and pd.isna(df.loc[0, "overall"]) and df.loc[0, "rated"] == 1
    assert A.compare_rounds(ws, spec) is None  # drafts never count


def test_round_summary_team_score_and_spread(ws, spec):
    answer(ws, spec, "2026-08-20", "Ana", {"agenda": 4, "chair": 4, "follow": 2})
    answer(ws, spec, "2026-08-20", "Ben", {"agenda": 2, "chair": 2, "follow": 2})
    answer(ws, spec, "2026-08-20", "Cal", {"agenda": 1}, complete=False)  # draft: excluded
    summary = A.round_summary(ws, spec, "2026-08-20").set_index("dimension")
    assert summary.loc["lead", "team"] == 3.0 and summary.loc["lead", "spread"] == 2.0
    assert summary.loc["lead", "n"] == 2
    assert summary.loc["act", "team"] == 2.0 and summary.loc["act", "spread"] == 0.0


def test_comparison_of_latest_with_previous_round(ws, spec):
    answer(ws, spec, "2026-05-15", "Ana", {"agenda": 2, "chair": 2, "follow": 4})
    first = A.compare_rounds(ws, spec)
    assert list(first["trend"]) == ["first assessment", "first assessment"]
    answer(ws, spec, "2026-08-20", "Ana", {"agenda": 4, "chair": 3, "follow": 2})
    answer(ws, spec, "2026-08-20", "Ben", {"agenda": 3, "chair": 3, "follow": 4})
    comp = A.compare_rounds(ws, spec).set_index("dimension")
    assert comp.loc["lead", "previous"] == 2.0 and comp.loc["lead", "latest"] == pytest.approx(3.25)
    assert comp.loc["lead", "trend"] == "improved"
    assert comp.loc["act", "latest"] == 3.0 and comp.loc["act", "change"] == -1.0
    assert comp.loc["act", "trend"] == "slipped"
    html = A.comparison_html(comp.reset_index(), spec)
    assert "Worth a discussion" in html and "Follow-through (scores from 2.0 to 4.0)" in html
    assert 'alt="Bar chart of Mini assessment scores' in html


def test_rounds_need_real_dates(ws, spec):
    for bad in ["yesterday", "2026-13-01", "2026-02-30", "<b>"]:
        with pytest.raises(SectorkitError):
            A.start_round(ws, spec.id, bad)
    with pytest.raises(SectorkitError, match="type a name"):
        A.open_response(ws, spec.id, "2026-01-01", "   ")


def test_history_is_kept_per_round_and_respondent(ws, spec):
    answer(ws, spec, "2026-05-15", "Ana", {"agenda": 2, "chair": 2, "follow": 4})
    answer(ws, spec, "2026-08-20", "Ana", {"agenda": 4, "chair": 3, "follow": 2})
    df = A.responses(ws, spec)
    assert list(df["round"]) == ["2026-05-15", "2026-08-20"]
    assert list(df["overall"]) == [3.0, 2.75]
    assert [r["date"] for r in A.rounds(ws, spec.id)] == ["2026-05-15", "2026-08-20"]


def test_export_excel_and_csv(ws, spec, tmp_path):
    answer(ws, spec, "2026-08-20", "Ana <b>", {"agenda": 4, "chair": 3, "follow": 2, "notes": 'quote " and, comma'})
    xlsx = A.export(ws, tmp_path / "out.xlsx")
    answers = pd.read_excel(xlsx, sheet_name="answers")
    scores = pd.read_excel(xlsx, sheet_name="scores")
    assert set(answers["question"]) == {"agenda", "chair", "follow", "notes"}
    assert answers.set_index("question").loc["notes", "value"] == 'quote " and, comma'
    assert scores.loc[0, "overall"] == pytest.approx(2.75) and scores.loc[0, "respondent"] == "Ana <b>"
    csv = pd.read_csv(A.export(ws, tmp_path / "out.csv"))
    assert len(csv) == 4 and set(csv["dimension"].dropna()) == {"lead", "act"}
    with pytest.raises(SectorkitError, match="Export to .xlsx or .csv"):
        A.export(ws, tmp_path / "out.pdf")


def test_assessment_app_draft_complete_and_comparison(ws, spec):
    app = A.AssessmentApp(spec, ws)
    app.date.value = "2026-08-20"
    app.respondent.value = ""
    app.begin()
    assert "type a name" in app.message.value
    app.respondent.value = "Ana Ruiz"
    app.begin()
    app.app.fields["agenda"].input.value = app.app.fields["agenda"].input.options[3]
    app.finish()
    assert "not rated yet" in app.message.value and 'role="status"' in app.message.value and app.status_is_error
    for qid in ("chair", "follow"):
        app.app.fields[qid].input.value = app.app.fields[qid].input.options[1]
    app.finish()
    assert "Marked complete" in app.message.value
    assert "Latest round 2026-08-20" in app.comparison.value
    # a second round, another person, then the comparison shows both rounds
    app2 = A.AssessmentApp(spec, Workspace.open("riverbend", ws.path.parent.parent))
    assert "2026-08-20" in app2.comparison.value
    app2.date.value = "2026-11-20"
    app2.respondent.value = "Ben"
    app2.begin()
    for qid in ("agenda", "chair", "follow"):
        app2.app.fields[qid].input.value = app2.app.fields[qid].input.options[3]
    app2.finish()
    assert "compared with 2026-08-20" in app2.comparison.value and "improved" in app2.comparison.value


def test_resuming_a_response_shows_the_saved_answers(ws, spec):
    answer(ws, spec, "2026-08-20", "Ana Ruiz", {"agenda": 3}, complete=False)
    app = A.AssessmentApp(spec, ws)
    app.date.value, app.respondent.value = "2026-08-20", "Ana Ruiz"
    app.begin()
    assert app.app.fields["agenda"].get() == 3 and "(draft)" in app.message.value


def test_assessment_spec_needs_scored_dimensions():
    bad = yaml.safe_load(yaml.safe_dump(SPEC))
    bad["sections"][1]["questions"][0].pop("dimension")
    with pytest.raises(SpecError, match="no items for: act"):
        parse_spec(bad)
    bad = yaml.safe_load(yaml.safe_dump(SPEC))
    bad["sections"][1]["questions"][1]["dimension"] = "act"
    with pytest.raises(SpecError, match="only 'scale' questions are scored"):
        parse_spec(bad)
    bad = yaml.safe_load(yaml.safe_dump(SPEC))
    bad["sections"][0]["questions"][0]["dimension"] = "nope"
    with pytest.raises(SpecError, match="dimension 'nope', which is not defined"):
        parse_spec(bad)


def test_aar_progress_counts_answers_and_not_yet(ws):
    progress = A.aar_progress(ws)
    assert list(progress["step"]) == sorted(progress["step"]) and 2 in set(progress["step"])
    step2 = load_spec("step2-aar")
    ws.save_answers("step2-aar", {"sector-agreed": "not-yet", "data-and-knowledge": "yes"})
    row = A.aar_progress(ws).set_index("step").loc[2]
    assert row["answered"] == 2 and row["not_yet"] == 1 and not row["done"]
    ws.save_answers("step2-aar", {q.id: "x" for q in step2.questions()})
    assert A.aar_progress(ws).set_index("step").loc[2, "done"]
    html = A.aar_progress_html(A.aar_progress(ws))
    assert "Step 2" in html and "Done" in html


def test_aar_hub_saves_and_refreshes_progress(ws):
    hub = A.AARHubApp(ws)
    label = next(k for k in hub.specs if k.startswith("Step 2"))
    hub.choose.value = label
    app = hub.apps[label]
    app.fields["working-definition"].input.value = "Health care, NAICS 62"
    assert ws.answers("step2-aar") == {"working-definition": "Health care, NAICS 62"}
    assert "1 of" in hub.progress.value
    assert hub.form.children == (app.container,)
