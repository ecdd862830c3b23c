"""The spec language: shared scales, tags, report placement, modules, spec versions and renames."""

import sqlite3

import pytest
import yaml

from sectorkit.apps.assessment import aar_progress
from sectorkit.apps.form import WorksheetApp
from sectorkit.core.errors import SpecError
from sectorkit.specs import (
    KNOWN_TAGS,
    REPORT_SECTIONS,
    Scale,
    apply_renames,
    available_specs,
    load_spec,
    module_order,
    modules,
    parse_spec,
    shared_scales,
)
from sectorkit.store.workspace import Workspace

SHARED = {
    "yes-no": Scale.model_validate(
        [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No", "tags": ["not-yet"]}]
    ),
    "five": Scale(min=1, max=5, min_label="Poorly", max_label="Very well"),
}


def spec_data(questions, **top):
    return {
        "id": "demo",
        "version": 1,
        "title": "Demo",
        "sections": [{"id": "s", "title": "S", "questions": questions}],
        **top,
    }


def q(qid, qtype, **more):
    return {"id": qid, "type": qtype, "label": f"Question {qid}?", **more}


@pytest.fixture
def ws(tmp_path):
    with Workspace.open("riverbend", tmp_path / "home") as ws:
        yield ws


def db(ws):
    return sqlite3.connect(ws.path)


# -- shared scales -----------------------------------------------------------
def test_a_shared_scale_works_on_every_question_type():
    spec = parse_spec(
        spec_data(
            [
                q("pick", "choice", scale="yes-no"),
                q("many", "multi", scale="yes-no"),
                q("tick", "checklist", scale="yes-no"),
                q("rate", "scale", scale="five"),
                q("rate-pick", "choice", scale="five"),
            ]
        ),
        scales=SHARED,
    )
    for qid in ("pick", "many", "tick"):
        assert [o.value for o in spec.options_for(spec.question(qid))] == ["yes", "no"]
    rate = spec.question("rate")
    assert (rate.min, rate.max, rate.min_label, rate.max_label) == (1, 5, "Poorly", "Very well")
    assert [o.label for o in spec.options_for(spec.question("rate-pick"))] == [
        "1 (Poorly)",
        "2",
        "3",
        "4",
        "5 (Very well)",
    ]


def test_question_labels_override_a_named_rating_but_its_range_must_match():
    spec = parse_spec(spec_data([q("rate", "scale", scale="five", max_label="Perfectly")]), scales=SHARED)
    assert (spec.question("rate").min_label, spec.question("rate").max_label) == ("Poorly", "Perfectly")
    with pytest.raises(SpecError, match="gives min/max 1-4 but its scale 'five' runs 1-5"):
        parse_spec(spec_data([q("rate", "scale", scale="five", min=1, max=4)]), scales=SHARED)


def test_a_scale_question_needs_a_rating_scale_not_options():
    with pytest.raises(SpecError, match="scale 'yes-no' is a list of options; name a rating scale"):
        parse_spec(spec_data([q("rate", "scale", scale="yes-no")]), scales=SHARED)
    with pytest.raises(SpecError, match="uses scale 'nope', which is not defined"):
        parse_spec(spec_data([q("rate", "scale", scale="nope")]), scales=SHARED)


def test_a_specs_own_scale_overrides_the_shared_one():
    own = {"yes-no": [{"value": "si", "label": "Sí"}, {"value": "no", "label": "No"}]}
    spec = parse_spec(spec_data([q("pick", "choice", scale="yes-no")], scales=own), scales=SHARED)
    assert [o.value for o in spec.options_for(spec.question("pick"))] == ["si", "no"]
    assert "five" in spec.scales  # the other shared scales still apply


def test_files_starting_with_underscore_are_not_specs_and_a_folder_can_bring_its_own_scales(tmp_path):
    (tmp_path / "_scales.yaml").write_text(
        yaml.safe_dump({"scales": {"ours": {"options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]}}})
    )
    (tmp_path / "_notes.yaml").write_text("id: not-a-spec\n")
    (tmp_path / "demo.yaml").write_text(yaml.safe_dump(spec_data([q("pick", "choice", scale="ours")])))
    assert available_specs(tmp_path) == ["demo"]
    spec = load_spec("demo", tmp_path)
    assert [o.value for o in spec.options_for(spec.question("pick"))] == ["a", "b"]
    assert "progress" not in spec.scales  # the folder's own _scales.yaml replaces the shipped one


def test_a_bad_shared_scale_file_names_the_file_and_the_scale(tmp_path):
    (tmp_path / "_scales.yaml").write_text(yaml.safe_dump({"scales": {"broken": {"min": 3, "max": 1}}}))
    (tmp_path / "demo.yaml").write_text(yaml.safe_dump(spec_data([q("t", "text")])))
    with pytest.raises(SpecError, match=r"_scales.yaml is not valid:\n  - scales.broken: a rating scale needs"):
        load_spec("demo", tmp_path)


def test_the_shipped_shared_scales_keep_the_stored_values():
    scales = shared_scales()
    assert [o.value for o in scales["progress"].options] == ["yes", "partly", "not-yet"]
    assert [o.value for o in scales["met"].options] == ["met", "partly", "not-yet"]
    assert (scales["agreement-4"].min, scales["agreement-4"].max) == (1, 4)


def test_shipped_specs_store_the_same_values_as_before(tmp_path):
    """Sustainability ratings stay ints 1..4; review answers stay yes/partly/not-yet."""
    with Workspace.open("check", tmp_path) as ws:
        sus = WorksheetApp(load_spec("sustainability"), ws)
        scored = [qq for qq in sus.spec.questions() if qq.dimension]
        assert len(scored) == 30 and all((qq.min, qq.max, qq.scale) == (1, 4, "agreement-4") for qq in scored)
        field = sus.fields[scored[0].id]
        assert field.input.options[0] == "1 (Not at all true)" and field.input.options[-1] == "4 (Fully true)"
        field.input.value = field.input.options[-1]
        aar = WorksheetApp(load_spec("step5-aar"), ws)
        aar.fields["lead-champions"].input.value = "Not yet"
        assert ws.answers("sustainability") == {scored[0].id: 4}
        assert ws.answers("step5-aar") == {"lead-champions": "not-yet"}


# -- tags --------------------------------------------------------------------
def test_tags_on_questions_and_options_and_the_tagged_helpers():
    spec = parse_spec(
        spec_data(
            [
                q("pick", "choice", scale="yes-no"),
                q("next-actions", "long_text", tags=["commitment"]),
                q("due", "text", tags=["due-date"]),
            ]
        ),
        scales=SHARED,
    )
    assert [x.id for x in spec.questions_tagged("commitment")] == ["next-actions"]
    assert spec.option_values_tagged(spec.question("pick"), "not-yet") == {"no"}
    assert spec.option_values_tagged(spec.question("due"), "not-yet") == set()
    with pytest.raises(ValueError, match="unknown tag"):
        spec.questions_tagged("comitment")


def test_an_unknown_tag_is_rejected_with_the_known_ones():
    with pytest.raises(SpecError, match="unknown tag.*'promise'.*known tags: commitment, action-team"):
        parse_spec(spec_data([q("x", "long_text", tags=["promise"])]))
    with pytest.raises(SpecError, match="unknown tag"):
        parse_spec(spec_data([q("x", "choice", options=[{"value": "a", "label": "A", "tags": ["nope"]}])]))


def test_shipped_specs_are_tagged():
    assert set(KNOWN_TAGS) >= {"commitment", "action-team", "due-date", "not-yet"}
    promises = {(s, x.id) for s in available_specs() for x in load_spec(s).questions_tagged("commitment")}
    expected = {
        (s, x.id)
        for s in available_specs()
        for x in load_spec(s).questions()
        if x.id == "next-actions" or x.id.endswith("-next-steps")
    }
    # the reviews' next actions (11 of them) are commitments, and so are the Step 4-5 worksheets'
    # promise lists; a commitment is always free text or a table of rows
    assert expected <= promises and len(expected) == 11
    assert {("action-teams", "deliverables"), ("launch-capture", "next-steps")} <= promises
    assert all(load_spec(s).question(qid).type in ("long_text", "table") for s, qid in promises)
    step5 = load_spec("step5-aar")
    teams = [x.id for s in step5.sections if s.id == "action-teams" for x in s.questions]
    assert [x.id for x in step5.questions_tagged("action-team")] == teams
    assert step5.option_values_tagged(step5.question("lead-champions"), "not-yet") == {"not-yet"}


def test_aar_progress_counts_not_yet_by_tag(tmp_path, monkeypatch, ws):
    folder = tmp_path / "data" / "worksheets"
    folder.mkdir(parents=True)
    own = {"progress": [{"value": "done", "label": "Done"}, {"value": "later", "label": "Later", "tags": ["not-yet"]}]}
    (folder / "aar.yaml").write_text(
        yaml.safe_dump(
            spec_data(
                [q("a", "choice", scale="progress"), q("b", "choice", scale="progress")],
                id="mini-aar",
                kind="after_action_review",
                module="step-3",
                scales=own,
            )
        )
    )
    monkeypatch.setenv("SECTORKIT_DATA", str(tmp_path / "data"))
    ws.save_answers("mini-aar", {"a": "later", "b": "done"})
    row = aar_progress(ws).iloc[0]
    assert (row["step"], row["not_yet"], row["not_yet_items"]) == (3, 1, ["Question a?"])


# -- report placement and modules ---------------------------------------------
def test_report_placement_is_checked_against_the_known_sections():
    spec = parse_spec(spec_data([q("t", "text")], report={"section": "reviews", "order": 2}))
    assert (spec.report.section, spec.report.order) == ("reviews", 2)
    with pytest.raises(SpecError, match="report.section: .*unknown report section 'appendix'; known: standing"):
        parse_spec(spec_data([q("t", "text")], report={"section": "appendix"}))
    placed = {s: load_spec(s).report for s in available_specs()}
    assert all(p is not None and p.section in REPORT_SECTIONS for p in placed.values())
    assert placed["step4-aar"].section == "reviews" and placed["sustainability"].section == "assessments"


def test_modules_list_the_curriculum_in_order():
    ids = [m.id for m in modules()]
    assert ids == [
        "introduction",
        *[f"step-{i}" for i in range(1, 7)],
        "business-services",
        "frontline",
        "career-pathways",
        "success-metrics",
        "state-roles",
    ]


def test_module_is_validated_and_step_still_works():
    assert parse_spec(spec_data([q("t", "text")], module="frontline")).step is None
    assert parse_spec(spec_data([q("t", "text")], module="step-4")).step == 4
    assert parse_spec(spec_data([q("t", "text")], step=3)).module == "step-3"
    with pytest.raises(SpecError, match="module 'step-9' is not in modules.yaml \\(known: introduction, step-1"):
        parse_spec(spec_data([q("t", "text")], module="step-9"))
    with pytest.raises(SpecError, match="'step: 2' and 'module: frontline' disagree"):
        parse_spec(spec_data([q("t", "text")], module="frontline", step=2))


def test_shipped_specs_use_modules_and_sort_by_module_order():
    specs = [load_spec(s) for s in available_specs()]
    assert all(s.module for s in specs)
    ordered = sorted(specs, key=module_order)
    order = [s.id for s in ordered]
    positions = {m.id: i for i, m in enumerate(modules())}
    assert [positions[s.module] for s in ordered] == sorted(positions[s.module] for s in specs)
    assert [x for x in order if x.endswith("-aar")] == [f"step{i}-aar" for i in range(1, 7)]
    assert order.index("prepare-launch") < order.index("launch-capture") < order.index("action-teams")
    last_module = max(specs, key=lambda s: positions[s.module]).module
    last = {s.id for s in specs if s.module == last_module}
    assert set(order[-len(last) :]) == last
    steps = [x for x in order if load_spec(x).module.startswith("step-")]
    assert set(steps[-len([s for s in specs if s.module == "step-6"]):]) == {
        s.id for s in specs if s.module == "step-6"}
    late = parse_spec(spec_data([q("t", "text")], id="frontline-map", module="frontline"))
    none = parse_spec(spec_data([q("t", "text")], id="loose"))
    assert min([none, late, load_spec("step6-aar")], key=module_order).id == "step6-aar"
    assert max([none, late], key=module_order).id == "loose"


# -- spec versions and renames -------------------------------------------------
def test_spec_version_is_saved_with_answers_and_their_history(ws):
    ws.save_answer("w", "a", "one", spec_version=3)
    ws.save_answers("w", {"b": 2})
    with db(ws) as conn:
        assert conn.execute("SELECT question, spec_version FROM answer ORDER BY question").fetchall() == [
            ("a", 3),
            ("b", None),
        ]
        assert conn.execute("SELECT question, spec_version FROM answer_log ORDER BY question").fetchall() == [
            ("a", 3),
            ("b", None),
        ]


def test_the_form_engine_saves_the_spec_version(ws):
    app = WorksheetApp(parse_spec(spec_data([q("t", "text")], version=4)), ws)
    app.fields["t"].input.value = "hello"
    with db(ws) as conn:
        assert conn.execute("SELECT spec_version FROM answer WHERE question = 't'").fetchone() == (4,)
        assert conn.execute("SELECT spec_version FROM answer_log WHERE question = 't'").fetchone() == (4,)


V1 = spec_data([q("next-steps", "long_text"), q("teams", "long_text"), q("keep", "text")])
V2 = spec_data(
    [q("next-actions", "long_text"), q("action-teams", "long_text"), q("keep", "text")],
    version=2,
    renames=[
        {"from": "next-steps", "to": "next-actions", "version": 2},
        {"from": "teams", "to": "action-teams", "version": 2},
    ],
)


def test_renames_move_answers_history_and_rows_exactly_once(ws):
    old = WorksheetApp(parse_spec(V1), ws)
    old.fields["next-steps"].input.value = "Call Acme"
    old.fields["keep"].input.value = "unchanged"
    ws.save_row("demo", "teams", "r1", {"name": "Training"}, spec_version=1)
    ws.save_row("demo", "teams", "r2", {"name": "Hiring"})  # saved before versions were recorded
    new = WorksheetApp(parse_spec(V2), ws)  # opening the worksheet applies the renames
    assert new.fields["next-actions"].get() == "Call Acme"
    assert ws.answers("demo") == {"next-actions": "Call Acme", "keep": "unchanged"}
    assert [v for _, v in ws.history("demo", "next-actions")] == ["Call Acme"]
    assert ws.history("demo", "next-steps") == []
    assert [r.value["name"] for r in ws.rows("demo", "action-teams")] == ["Training", "Hiring"]
    assert ws.rows("demo", "teams") == []
    new.fields["next-actions"].input.value = "Call Acme and Birch"
    assert apply_renames(ws, parse_spec(V2)) == {}  # second time: nothing left to move
    WorksheetApp(parse_spec(V2), ws)
    assert ws.answers("demo")["next-actions"] == "Call Acme and Birch"


def test_answers_saved_under_the_new_version_are_not_moved(ws):
    ws.save_answer("demo", "next-steps", "saved by a v2 app", spec_version=2)
    assert apply_renames(ws, parse_spec(V2)) == {}
    assert ws.answers("demo") == {"next-steps": "saved by a v2 app"}


def test_a_rename_onto_an_answered_question_keeps_the_newer_answer_and_both_histories(ws):
    ws.log_coalesce_seconds = 0
    ws.save_answer("demo", "next-steps", "old text", spec_version=1)
    ws.save_answer("demo", "next-actions", "newer text", spec_version=2)
    apply_renames(ws, parse_spec(V2), key="demo")
    assert ws.answers("demo") == {"next-actions": "newer text"}
    assert sorted(v for _, v in ws.history("demo", "next-actions")) == ["newer text", "old text"]


def test_renames_follow_the_answers_key_of_an_assessment_response(ws):
    ws.save_answer("demo/2026-05-01/ana", "next-steps", "x", spec_version=1)
    assert apply_renames(ws, parse_spec(V2), key="demo/2026-05-01/ana") == {"next-steps": 2}
    assert ws.answers("demo/2026-05-01/ana") == {"next-actions": "x"}


@pytest.mark.parametrize(
    "renames, message",
    [
        (
            [{"from": "a", "to": "b", "version": 2}, {"from": "b", "to": "keep", "version": 2}],
            "'b' is itself the target of rename 'a' -> 'b'; chains are not allowed, rename 'a' straight to 'keep'",
        ),
        ([{"from": "gone", "to": "missing", "version": 2}], "'missing' is not a question of this spec"),
        ([{"from": "keep", "to": "next-actions", "version": 2}], "'keep' is still a question of this spec"),
        ([{"from": "gone", "to": "keep", "version": 3}], "version 3 is later than the spec's version 2"),
        (
            [{"from": "gone", "to": "keep", "version": 1}],
            "renames.0.version: Input should be greater than or equal to 2",
        ),
        (
            [{"from": "a", "to": "keep", "version": 2}, {"from": "b", "to": "keep", "version": 2}],
            "two renames move answers into 'keep'",
        ),
        (
            [{"from": "a", "to": "keep", "version": 2}, {"from": "a", "to": "next-actions", "version": 2}],
            "'a' is renamed twice",
        ),
        ([{"from": "keep", "to": "keep", "version": 2}], "'from' and 'to' are the same id"),
        ([{"old": "a", "to": "keep", "version": 2}], "renames.0.from: field required"),
    ],
)
def test_bad_renames_are_rejected_with_a_clear_message(renames, message):
    data = dict(V2, renames=renames)
    with pytest.raises(SpecError) as info:
        parse_spec(data, source="demo.yaml")
    assert message in str(info.value)


# -- every shipped spec --------------------------------------------------------
@pytest.mark.parametrize("spec_id", available_specs())
def test_every_shipped_spec_loads(spec_id):
    spec = load_spec(spec_id)
    assert spec.id == spec_id and spec.module and spec.report and spec.version >= 1
    for question in spec.questions():
        if question.type in ("choice", "multi", "checklist"):
            assert spec.options_for(question)


def test_a_table_row_whose_id_is_taken_under_the_new_question_stays_put(ws):
    ws.save_row("demo", "teams", "r1", {"name": "old row"}, spec_version=1)
    ws.save_row("demo", "action-teams", "r1", {"name": "new row"}, spec_version=2)
    assert apply_renames(ws, parse_spec(V2)) == {}
    assert [r.value["name"] for r in ws.rows("demo", "teams")] == ["old row"]  # kept, not overwritten
    assert [r.value["name"] for r in ws.rows("demo", "action-teams")] == ["new row"]
