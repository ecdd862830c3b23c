"""The Introduction module: its self-check spec (right answers and feedback), the form's feedback
line, and the notebook executed with papermill."""

from __future__ import annotations

import copy
import re

import nbformat
import pytest
import yaml

from sectorkit.apps.form import WorksheetApp
from sectorkit.core.errors import SpecError
from sectorkit.core.paths import REPO_ROOT
from sectorkit.example import ensure_example_workspace
from sectorkit.specs import load_spec, parse_spec
from sectorkit.specs.feedback import verdict
from sectorkit.store.workspace import Workspace
from sectorkit.views.html import esc
from tests.test_notebooks import _errors, _outputs, _run, _widget_values

SPEC_ID = "introduction-check"
NOTEBOOK = REPO_ROOT / "modules" / "00_introduction.ipynb"

QUIZ = {
    "id": "quiz", "version": 1, "title": "Quiz",
    "sections": [{"id": "s", "title": "S", "questions": [
        {"id": "name", "type": "text", "label": "Your name?"},
        {"id": "lead", "type": "choice", "label": "Who leads?", "correct": "biz",
         "feedback": {"right": "Business <b>drives</b> & decides.", "wrong": "It is the \"business\" leaders."},
         "options": [{"value": "biz", "label": "Business leaders"}, {"value": "grant", "label": "The grant"}]},
        {"id": "outer", "type": "multi", "label": "Who is at the outer table?", "correct": ["board", "college"],
         "feedback": {"right": "Public partners.", "wrong": "Board and college only."},
         "options": [{"value": "board", "label": "Board"}, {"value": "college", "label": "College"},
                     {"value": "plant", "label": "Plant owner"}]},
        {"id": "bare", "type": "choice", "label": "Done yet?", "scale": "progress", "correct": "yes"},
    ]}],
}


def quiz_with(**changes) -> dict:
    """QUIZ with question fields replaced: ``lead={"correct": "zz"}``; a None value drops the field."""
    spec = copy.deepcopy(QUIZ)
    questions = {q["id"]: q for q in spec["sections"][0]["questions"]}
    for qid, fields in changes.items():
        for key, value in fields.items():
            if value is None:
                questions[qid].pop(key, None)
            else:
                questions[qid][key] = value
    return spec


@pytest.fixture
def ws(tmp_path):
    with Workspace.open("riverbend", tmp_path) as ws:
        yield ws


def shown(field) -> str:
    """The text of the feedback line's HTML, tags stripped (what a reader sees)."""
    return re.sub(r"<[^>]+>", "", field.feedback.widget.value)


# -- the spec language -----------------------------------------------------------------------------
@pytest.mark.parametrize("changes, message", [
    ({"lead": {"correct": "zz"}},
     "sections.0.questions.1 (question 'lead'): 'correct' names 'zz', which is not one of its options (biz, grant)"),
    ({"outer": {"correct": ["board", "nobody"]}},
     "sections.0.questions.2 (question 'outer'): 'correct' names 'nobody'"),
    ({"bare": {"correct": "maybe"}},  # a named scale's options count as the question's options
     "sections.0.questions.3 (question 'bare'): 'correct' names 'maybe', which is not one of its options (yes,"),
    ({"name": {"correct": "x"}}, "(question 'name'): 'correct' and 'feedback' belong to 'choice' and 'multi'"),
    ({"lead": {"correct": None}}, "(question 'lead'): 'feedback' needs 'correct'"),
    ({"lead": {"correct": ["biz"]}}, "a 'choice' question's 'correct' is one option value, not a list"),
    ({"outer": {"correct": "board"}}, "a 'multi' question's 'correct' is a list of option values"),
    ({"outer": {"correct": ["board", "board"]}}, "'correct' lists a value twice"),
])
def test_a_bad_correct_answer_is_a_spec_error_naming_its_place(changes, message):
    with pytest.raises(SpecError) as err:
        parse_spec(quiz_with(**changes), source="quiz.yaml")
    assert "quiz.yaml is not a valid worksheet spec" in str(err.value)
    assert message in str(err.value)


def test_feedback_must_say_both_right_and_wrong():
    with pytest.raises(SpecError, match=r"sections\.0\.questions\.1\.feedback\.wrong: field required"):
        parse_spec(quiz_with(lead={"feedback": {"right": "Yes."}}))
    with pytest.raises(SpecError, match=r"feedback\.colour: unknown field"):
        parse_spec(quiz_with(lead={"feedback": {"right": "Yes.", "wrong": "No.", "colour": "red"}}))


def test_verdict_compares_choices_and_exact_sets():
    spec = parse_spec(QUIZ)
    lead, outer = spec.question("lead"), spec.question("outer")
    assert [verdict(lead, v) for v in ("biz", "grant", None)] == [True, False, None]
    assert [verdict(outer, v) for v in (["college", "board"], ["board"], ["board", "college", "plant"], [])] == [
        True, False, False, None]
    assert verdict(spec.question("name"), "anything") is None


def test_the_shipped_self_check_is_a_valid_introduction_worksheet():
    spec = load_spec(SPEC_ID)
    assert spec.module == "introduction" and "Next Gen" not in spec.title
    questions = spec.questions()
    assert 5 <= len(questions) <= 8
    assert {q.type for q in questions} == {"choice", "multi"}
    for q in questions:
        assert q.correct is not None and q.feedback is not None, q.id
        values = {o.value for o in spec.options_for(q)}
        right = {q.correct} if q.type == "choice" else set(q.correct)
        assert right <= values and right != values, q.id  # at least one wrong option to choose
    raw = yaml.safe_load((REPO_ROOT / "data" / "worksheets" / "introduction_check.yaml").read_text())
    assert "Based on the Next Gen Sector Partnership training toolkit" in raw["attribution"]


# -- the form -------------------------------------------------------------------------------------
def test_a_choice_says_right_or_not_quite_and_saves_the_answer(ws):
    app = WorksheetApp(parse_spec(QUIZ), ws)
    lead = app.fields["lead"]
    assert lead.feedback.text == "" and 'role="status"' in lead.feedback.widget.value
    lead.input.value = "The grant"
    assert lead.feedback.text == 'Not quite: It is the "business" leaders.'
    assert shown(lead) == "Not quite: It is the &quot;business&quot; leaders."
    assert ws.answers("quiz") == {"lead": "grant"}  # a wrong answer is saved like any answer
    lead.input.value = "Business leaders"
    assert lead.feedback.text == "Right: Business <b>drives</b> & decides."
    value = lead.feedback.widget.value
    assert 'role="status" aria-live="polite"' in value
    assert "Business &lt;b&gt;drives&lt;/b&gt; &amp; decides." in value and "<b>drives" not in value
    assert ws.answers("quiz") == {"lead": "biz"}
    assert app.status_text().startswith("Saved at")
    lead.input.value = None  # cleared: no verdict
    assert lead.feedback.text == ""


def test_a_multi_is_right_only_with_exactly_the_right_boxes(ws):
    app = WorksheetApp(parse_spec(QUIZ), ws)
    outer = app.fields["outer"]
    board, college, plant = outer.boxes
    board.value = True
    assert outer.feedback.text == "Not quite: Board and college only."
    college.value = True
    assert outer.feedback.text == "Right: Public partners."
    plant.value = True
    assert outer.feedback.text.startswith("Not quite")
    assert ws.answers("quiz") == {"outer": ["board", "college", "plant"]}
    for box in outer.boxes:
        box.value = False
    assert outer.feedback.text == "" and ws.answers("quiz") == {"outer": []}


def test_without_feedback_text_the_verdict_stands_alone_and_plain_questions_get_no_line(ws):
    app = WorksheetApp(parse_spec(QUIZ), ws)
    app.fields["bare"].input.value = "Yes"
    assert app.fields["bare"].feedback.text == "Right."
    assert shown(app.fields["bare"]) == "Right."
    assert app.fields["name"].feedback.widget is None and len(app.fields["name"].widgets()) == 2


def test_the_feedback_line_sits_under_its_question_on_the_page(ws):
    app = WorksheetApp(parse_spec(QUIZ), ws)
    outer = app.fields["outer"]
    assert outer.widgets() == [outer.header, *outer.boxes, outer.feedback.widget]
    lead = app.fields["lead"]
    assert lead.widgets() == [lead.header, lead.input, lead.feedback.widget]

    def tree(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from tree(child)

    on_page = list(tree(app.container))
    assert all(any(w is f.feedback.widget for w in on_page) for f in (lead, outer))


def test_progress_counts_self_check_questions_like_any_question(ws):
    app = WorksheetApp(parse_spec(QUIZ), ws)
    app.fields["lead"].input.value = "The grant"  # a wrong answer is still an answer
    app.fields["outer"].boxes[0].value = True
    assert "2 of 4 questions answered" in app.progress.value


def test_a_saved_answer_reloads_with_its_feedback(ws):
    ws.save_answers("quiz", {"lead": "biz", "outer": ["board"]})
    app = WorksheetApp(parse_spec(QUIZ), ws)
    assert app.fields["lead"].input.value == "Business leaders"
    assert app.fields["lead"].feedback.text == "Right: Business <b>drives</b> & decides."
    assert [b.value for b in app.fields["outer"].boxes] == [True, False, False]
    assert app.fields["outer"].feedback.text == "Not quite: Board and college only."
    assert app.fields["bare"].feedback.text == ""
    assert ws.answers("quiz") == {"lead": "biz", "outer": ["board"]}  # loading saved nothing new


def test_the_shipped_self_check_gives_its_feedback(ws):
    spec = load_spec(SPEC_ID)
    app = WorksheetApp(spec, ws)
    for q in spec.questions():
        field = app.fields[q.id]
        right = [q.correct] if q.type == "choice" else q.correct
        wrong = next(o for o in spec.options_for(q) if o.value not in right)
        if q.type == "choice":
            field.input.value = wrong.label
            assert field.feedback.text == f"Not quite: {q.feedback.wrong}"
            field.input.value = next(o.label for o in spec.options_for(q) if o.value == q.correct)
        else:
            for opt, box in zip(field.options, field.boxes):
                box.value = opt.value in q.correct
        assert field.feedback.text == f"Right: {q.feedback.right}", q.id
    assert ws.answers(SPEC_ID) == {q.id: q.correct for q in spec.questions()}
    assert f"{len(spec.questions())} of {len(spec.questions())} questions answered" in app.progress.value


def test_the_example_region_shows_one_not_quite_among_right_answers(tmp_path):
    spec = load_spec(SPEC_ID)
    with ensure_example_workspace(tmp_path) as ws:
        app = WorksheetApp(spec, ws)
        said = {qid: f.feedback.text.split(":")[0] for qid, f in app.fields.items()}
    assert said["agenda-topics"] == "Not quite"
    assert sorted(said.values()).count("Right") == len(said) - 1


# -- the notebook ---------------------------------------------------------------------------------
def test_the_notebook_follows_the_module_skeleton():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    md = [c.source for c in nb.cells if c.cell_type == "markdown"]
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])][0].source.startswith(
        'region: str = "example"')
    assert code.index('facilitator_notes("introduction")') <= 3  # near the top
    assert code[-1] == 'faq_link("introduction", region)'  # at the end
    assert 'worksheet("introduction-check", region=region).container' in code
    assert all("\n" not in c or c.startswith("from ") for c in code), "code cells are one-line calls"
    headings = [line for s in md for line in s.splitlines() if line.startswith("## ")]
    for h in ("## Overview", "## Prerequisites", "## Summary", "## What's next", "## Resources", "## Exercises"):
        assert h in headings
    assert sum("<summary>Facilitator's answer" in s for s in md) == sum(s.startswith("### Exercise") for s in md) >= 2
    assert "Based on the Next Gen Sector Partnership training toolkit" in md[0]


def test_the_notebook_runs_and_shows_the_narrative_and_the_self_check(tmp_path, monkeypatch):
    with Workspace.open("intro-team", tmp_path / "home") as ws:
        ws.save_answers(SPEC_ID, {"agenda-setter": "funder", "outer-table": ["workforce-board", "college",
                                                                             "schools", "econ-dev"]})
    nb = _run(NOTEBOOK, tmp_path, monkeypatch, region="intro-team")
    assert _errors(nb) == []
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in ("## Why now", "## What a sector partnership is", "## How an industry-led partnership differs",
                    "## The inner table and the outer table", "## Who uses this curriculum, and how",
                    "## How the curriculum is organised", "## Self-check"):
        assert heading in md
    for idea in ("partner-led", "program-driven", "JupyterLab", "Voila", "sheet.ipynb", "trainer view",
                 "statewide view", "Module 1", "Step 6"):
        assert idea in md, idea
    html_out = "\n".join(_outputs(nb, "text/html"))
    assert "<details" in html_out and "Facilitator notes" in html_out  # collapsed notes near the top
    assert "Questions people ask about this module" in html_out and "topic=introduction" in html_out
    assert html_out.index("Facilitator notes") < html_out.index("Questions people ask")
    # the self-check is a live form showing the team's saved answers and their feedback
    assert _outputs(nb, "application/vnd.jupyter.widget-view+json")
    values = " ".join(str(v) for v in _widget_values(nb))
    spec = load_spec(SPEC_ID)
    assert spec.title in values and "intro-team" in values
    assert all(esc(q.label) in values for q in spec.questions())
    assert f"Not quite:</strong> {esc(spec.question('agenda-setter').feedback.wrong)}" in values
    assert f"Right:</strong> {esc(spec.question('outer-table').feedback.right)}" in values
    assert "2 of 6 questions answered" in values
    with Workspace.open("intro-team", tmp_path / "home", create=False) as ws:
        assert ws.answers(SPEC_ID)["agenda-setter"] == "funder"  # running the notebook changed nothing
