"""The State Self-Assessment (Module 6): its spec, scoring over rounds, its page, the summary for the
statewide rollup, and the Module 6 notebook. Expectations are computed by hand in the comments."""

from __future__ import annotations

import pandas as pd
import pytest

from sectorkit import assessments as A
from sectorkit.apps import registry
from sectorkit.apps.assessment import AssessmentApp
from sectorkit.apps.progress import region_progress
from sectorkit.core.errors import SectorkitError
from sectorkit.core.paths import REPO_ROOT
from sectorkit.specs import load_spec
from sectorkit.store.workspace import Workspace
from sectorkit.views.assessments import comparison_alt_text, comparison_chart, comparison_html
from tests.test_notebooks import _errors, _outputs, _run

SPEC_ID = "state-self-assessment"
ACTIONS = "Nine actions for states"
CAPABILITIES = "Six state capabilities (DOL ETA brief)"
NOTEBOOK = REPO_ROOT / "modules" / "11_state_roles.ipynb"


@pytest.fixture(scope="module")
def spec():
    return load_spec(SPEC_ID)


@pytest.fixture
def ws(tmp_path):
    with Workspace.open("state-team", tmp_path / "home") as ws:
        yield ws


def ids(spec, prefix: str) -> list[str]:
    return [d.id for d in spec.dimensions if d.id.startswith(prefix)]


def ratings(spec, actions: int, capabilities: int, **overrides: int) -> dict[str, int]:
    """A rating for every scored statement: one value for the actions, one for the capabilities."""
    values = {d: actions for d in ids(spec, "action-")} | {d: capabilities for d in ids(spec, "capability-")}
    return values | {k.replace("_", "-"): v for k, v in overrides.items()}


def respond(ws, spec, when: str, who: str, answers: dict, complete: bool = True) -> str:
    key = A.open_response(ws, spec.id, A.start_round(ws, spec.id, when), who)
    ws.save_answers(key, answers)
    if complete:
        A.complete_response(ws, spec, key)
    return key


def two_rounds(ws, spec) -> None:
    """Round 1: Ana (actions 2, funding 1, capabilities 1) and Ben (all 4, one statement skipped: a draft).
    Round 2: Ana (all 3) and Ben (actions 4 but the feedback loop 1, capabilities 2)."""
    respond(ws, spec, "2026-01-15", "Ana Ruiz", ratings(spec, 2, 1, action_funding=1)
            | {"action-funding-evidence": "Only start-up grants so far."})
    skipped = {k: v for k, v in ratings(spec, 4, 4).items() if k != "capability-performance"}
    respond(ws, spec, "2026-01-15", "Ben Ode", skipped, complete=False)
    respond(ws, spec, "2026-07-15", "Ana Ruiz", ratings(spec, 3, 3))
    respond(ws, spec, "2026-07-15", "Ben Ode", ratings(spec, 4, 2, action_feedback_loop=1))


# -- the spec ---------------------------------------------------------------------------------------------
def test_spec_has_nine_actions_and_six_capabilities_each_rated_with_evidence(spec):
    assert spec.kind == "assessment" and spec.module == "state-roles"
    assert len(ids(spec, "action-")) == 9 and len(ids(spec, "capability-")) == 6
    assert len(spec.dimensions) == 15 and len(A.scored_questions(spec)) == 15
    assert {d.group for d in spec.dimensions if d.id.startswith("action-")} == {ACTIONS}
    assert {d.group for d in spec.dimensions if d.id.startswith("capability-")} == {CAPABILITIES}
    questions = {q.id: q for q in spec.questions()}
    for d in spec.dimensions:
        rating = [q for q in A.scored_questions(spec) if q.dimension == d.id]
        assert len(rating) == 1 and rating[0].type == "scale"
        assert (rating[0].min, rating[0].max) == (1, 4)
        assert (rating[0].min_label, rating[0].max_label) == ("Not in place", "Established and routine")
        evidence = questions[f"{d.id}-evidence"]
        assert evidence.type == "long_text" and evidence.dimension is None  # evidence is never scored
    assert "not the toolkit's or the brief's own assessment tool" in spec.attribution
    assert "Next Gen" not in spec.title


# -- scoring and comparison over two rounds ---------------------------------------------------------------
def test_a_skipped_statement_keeps_the_response_a_draft_never_a_zero(ws, spec):
    skipped = {k: v for k, v in ratings(spec, 4, 4).items() if k != "capability-performance"}
    score = A.score_answers(spec, skipped)
    assert not score.complete and score.overall is None and score.missing == ["capability-performance"]
    assert score.dimensions["capability-performance"] is None and score.dimensions["action-funding"] == 4.0
    key = respond(ws, spec, "2026-01-15", "Ben Ode", skipped, complete=False)
    with pytest.raises(SectorkitError, match="1 statement\\(s\\) are not rated yet"):
        A.complete_response(ws, spec, key)
    assert A.compare_rounds(ws, spec) is None and A.assessment_summary(ws, SPEC_ID) is None


def test_team_scores_and_changes_by_hand(ws, spec):
    two_rounds(ws, spec)
    first = A.round_summary(ws, spec, "2026-01-15").set_index("dimension")
    # Ben's draft is left out: the team score is Ana's alone (with Ben's 4s counted it would be 3.0)
    assert first.loc["action-shared-vision", "team"] == 2.0 and first.loc["action-shared-vision", "n"] == 1
    assert first.loc["capability-performance", "team"] == 1.0  # Ben's blank is not a 0: (1 + 0) / 2 would be 0.5
    comp = A.compare_rounds(ws, spec).set_index("dimension")
    assert comp.loc["action-shared-vision", "latest"] == 3.5  # (3 + 4) / 2
    assert comp.loc["action-shared-vision", "change"] == 1.5 and comp.loc["action-shared-vision", "trend"] == "improved"
    assert comp.loc["action-feedback-loop", "latest"] == 2.0  # (3 + 1) / 2, against 2 before
    assert comp.loc["action-feedback-loop", "trend"] == "about the same"
    assert comp.loc["action-feedback-loop", "spread"] == 2.0
    assert comp.loc["action-funding", "change"] == 2.5  # 3.5 - 1
    assert comp.loc["capability-data-tools", "latest"] == 2.5 and comp.loc["capability-data-tools", "change"] == 1.5
    assert list(comp["group"]) == [ACTIONS] * 9 + [CAPABILITIES] * 6


def test_summary_for_the_statewide_rollup_by_hand(ws, spec):
    two_rounds(ws, spec)
    s = A.assessment_summary(ws, SPEC_ID)
    assert s["date"] == "2026-07-15" and s["previous_date"] == "2026-01-15" and s["respondents"] == 2
    assert s["scale"] == {"min": 1, "max": 4}
    # latest: eight actions at 3.5 and the loop at 2.0 -> 30 / 9; capabilities 2.5; overall (30 + 15) / 15 = 3.0
    assert s["overall"] == pytest.approx(3.0)
    assert s["groups"][ACTIONS]["score"] == pytest.approx(30 / 9)
    assert s["groups"][CAPABILITIES] == pytest.approx({"score": 2.5, "previous": 1.0, "change": 1.5})
    # previous (Ana alone): eight actions at 2, funding 1 -> 17 / 9; capabilities 1; overall 23 / 15
    assert s["previous_overall"] == pytest.approx(23 / 15)
    assert s["overall_change"] == pytest.approx(3.0 - 23 / 15)
    assert s["groups"][ACTIONS]["change"] == pytest.approx(30 / 9 - 17 / 9)
    assert list(s["dimensions"]) == [d.id for d in spec.dimensions]
    assert s["dimensions"]["action-funding"] == pytest.approx(
        {"title": "Action 9: Funding and investments", "group": ACTIONS, "score": 3.5, "previous": 1.0,
         "change": 2.5, "trend": "improved"})


def test_summary_of_a_single_round_has_no_change(ws, spec):
    respond(ws, spec, "2026-03-01", "Ana Ruiz", ratings(spec, 2, 3))
    s = A.assessment_summary(ws, SPEC_ID)
    assert s["overall"] == pytest.approx((18 + 18) / 15) and s["groups"][CAPABILITIES]["score"] == 3.0
    assert s["previous_date"] is None and s["previous_overall"] is None and s["overall_change"] is None
    assert all(d["change"] is None and d["trend"] == "first assessment" for d in s["dimensions"].values())
    with pytest.raises(SectorkitError, match="not an assessment"):
        A.assessment_summary(ws, "step2-aar")


def test_comparison_view_groups_actions_and_capabilities(ws, spec):
    two_rounds(ws, spec)
    comp = A.compare_rounds(ws, spec)
    html = comparison_html(comp, spec)
    actions_at = html.index(f"{ACTIONS}, average 3.33 (previous 1.89)")
    capabilities_at = html.index(f"{CAPABILITIES}, average 2.50 (previous 1.00)")
    assert actions_at < html.index("Action 9: Funding and investments") < capabilities_at
    assert capabilities_at < html.index("Capability 6: Performance measurement")
    assert html.count("scope='rowgroup'") == 2 and html.count("<tbody>") == 2
    assert "Latest round 2026-07-15 compared with 2026-01-15" in html
    assert "Action 6: State-regional feedback loop (scores from 1.0 to 3.0)" in html  # worth a discussion
    alt = comparison_alt_text(comp, spec)
    assert f"{CAPABILITIES}: Capability 1: Shared vision and goals: 2.50 (previous 1.00, improved)" in alt
    fig = comparison_chart(comp, spec)
    assert fig.axes[0].get_xlabel() == "Team score (1 = not in place, 4 = established and routine)"
    assert "Capability 2: Industry data analysis and tools" in [t.get_text() for t in fig.axes[0].get_yticklabels()]


def test_export_covers_any_assessment(ws, spec, tmp_path):
    two_rounds(ws, spec)
    frame = A.assessment_frame(ws, [SPEC_ID])
    ana = frame[(frame["respondent"] == "Ana Ruiz") & (frame["round"] == "2026-01-15")]
    assert len(ana) == 16  # fifteen ratings and one evidence note
    assert ana.set_index("question").loc["action-funding-evidence", "value"] == "Only start-up grants so far."
    assert ana["dimension"].isna().sum() == 1

    scores = pd.read_excel(A.export(ws, tmp_path / "all.xlsx"), sheet_name="scores")
    mine = scores[scores["assessment"] == SPEC_ID]
    assert len(mine) == 4 and mine["overall"].notna().sum() == 3  # Ben's draft has no score


# -- the page ---------------------------------------------------------------------------------------------
def test_page_is_registered_in_module_6():
    assert SPEC_ID in registry.custom_page_ids()
    assert registry.page_place(SPEC_ID) == ("state-roles", 20)
    assert registry.page_records(SPEC_ID) == ("assessment_round", "assessment_response")
    module, pages = next((m, p) for m, p in registry.curriculum() if m.id == "state-roles")
    assert SPEC_ID in pages and module.notebook == NOTEBOOK.name and NOTEBOOK.exists()


def test_page_opens_for_a_fresh_region_and_saves_a_rating(tmp_path):
    root = tmp_path / "home"
    page = registry.open_page(SPEC_ID, "fresh-state", root=root)
    assert isinstance(page, AssessmentApp) and page.spec.id == SPEC_ID
    assert "No complete assessment yet" in page.comparison.value
    page.date.value, page.respondent.value = "2026-09-30", "Dana Ortiz"
    page.begin()
    assert "Dana Ortiz: response for 2026-09-30 open (draft)" in page.message.value
    field = page.app.fields["action-shared-vision"]
    field.input.value = field.input.options[2]  # the third point: 3
    page.app.fields["action-shared-vision-evidence"].input.value = "Joint letter signed in <b>March</b>."
    assert page.workspace.answers(page.key) == {
        "action-shared-vision": 3, "action-shared-vision-evidence": "Joint letter signed in <b>March</b>."}
    page.finish()
    assert "14 statement(s) are not rated yet" in page.message.value and page.status_is_error
    for q in A.scored_questions(page.spec):
        f = page.app.fields[q.id]
        f.input.value = f.input.options[1]  # 2
    page.app.fields["action-shared-vision"].input.value = field.input.options[3]  # 4
    page.finish()
    assert "Marked complete" in page.message.value
    assert f"{ACTIONS}, average 2.22" in page.comparison.value  # (4 + 8 x 2) / 9
    with Workspace.open("fresh-state", root, create=False) as ws:
        assert A.assessment_summary(ws, SPEC_ID)["overall"] == pytest.approx(32 / 15)  # (4 + 14 x 2) / 15
        mine = next(m for m in region_progress(ws) if m.module.id == "state-roles")
        assert next(p for p in mine.pages if p.page_id == SPEC_ID).state == "started"


def test_example_region_has_two_illustrative_rounds(tmp_path, monkeypatch):
    from sectorkit.example import open_region

    monkeypatch.setenv("SECTORKIT_HOME", str(tmp_path / "home"))
    with open_region("example") as ws:
        s = A.assessment_summary(ws, SPEC_ID)
        assert len(A.rounds(ws, SPEC_ID)) == 2 and s["respondents"] == 2 and s["previous_date"] is not None
        assert s["overall_change"] > 0 and s["dimensions"]["capability-policy"]["change"] == 0.0


# -- the Module 6 notebook -------------------------------------------------------------------------------
def test_module_6_notebook_runs_and_shows_the_state_teams_rounds(tmp_path, monkeypatch):
    spec = load_spec(SPEC_ID)
    with Workspace.open("riverbend-state", tmp_path / "home") as ws:
        two_rounds(ws, spec)
    nb = _run(NOTEBOOK, tmp_path, monkeypatch, region="riverbend-state")
    assert _errors(nb) == []
    html_out = "\n".join(_outputs(nb, "text/html"))
    assert "Latest round 2026-07-15 compared with 2026-01-15" in html_out
    assert f"{ACTIONS}, average 3.33 (previous 1.89)" in html_out and f"{CAPABILITIES}, average 2.50" in html_out
    assert 'alt="Bar chart of State Self-Assessment' in html_out
    assert html_out.count("Latest round 2026-07-15") == 1  # shown once, not echoed
    assert len(_outputs(nb, "application/vnd.jupyter.widget-view+json")) >= 1  # the live assessment page
    code = [c for c in nb.cells if c.cell_type == "code"]
    for call in ('facilitator_notes("state-roles")', 'faq_link("state-roles")'):
        cell = next(c for c in code if c.source.strip() == call)
        assert cell.outputs, f"{call} showed nothing"
    md = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Based on the Next Gen Sector Partnership training toolkit" in md
    assert "State Support for Sector Partnerships: A Guide for Action" in md
    assert md.count("<summary>Facilitator's answer") == 3
    assert "sectorkit report --state" in md and "sheet.ipynb?sheet=trainer" in md
    # running the notebook changed nothing in the workspace: the same two rounds, the same four responses
    with Workspace.open("riverbend-state", tmp_path / "home", create=False) as ws:
        assert [r["round"] for r in A.rounds(ws, SPEC_ID)] == ["2026-01-15", "2026-07-15"]
        assert len(A.responses(ws, spec)) == 4
