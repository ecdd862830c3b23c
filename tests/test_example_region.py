"""Tests of the illustrative example region: its generator, and its workspace seeded with an answer everywhere."""

import copy
import filecmp
import gzip
import importlib.util
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from sectorkit import assessments as A
from sectorkit.apps.progress import COMPLETE, NOT_STARTED, region_progress
from sectorkit.apps.registry import custom_page_ids, page_records
from sectorkit.example import (
    SEEDED_KIND,
    ExampleAnswersError,
    check_answers,
    ensure_example_workspace,
    load_answers,
    missing_answers,
    seed_answers,
    seed_universe,
)
from sectorkit.lmi import qcew
from sectorkit.specs import available_specs, load_spec
from sectorkit.store.workspace import Workspace
from tests.support import SHARED
from tests.support.seed import example_without_answers

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = qcew.example_region_path()
#: written by hand, not by the generator
ANSWERS = "answers.yaml"
DAY = date(2026, 6, 15)


def _gen():
    spec = importlib.util.spec_from_file_location("mk", REPO / "scripts" / "make_example_region.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_regeneration_is_byte_identical(tmp_path):
    written = _gen().build(tmp_path)
    names = sorted(p.name for p in written)
    assert names == sorted(p.name for p in EXAMPLE.iterdir() if p.name != ANSWERS)
    match, mismatch, errors = filecmp.cmpfiles(EXAMPLE, tmp_path, names, shallow=False)
    assert not mismatch and not errors


def test_layout_equals_official_bls_file():
    real = sorted((SHARED / "data" / "qcew" / "ohio_morpc_county_annual").glob("*.csv.gz"))
    assert real, "shared data missing"
    with gzip.open(real[0], "rt") as f:
        official = f.readline().strip()
    for p in EXAMPLE.glob("*.annual.*.csv"):
        assert p.read_text().splitlines()[0] == official
    assert list(qcew.AREA_FILE_COLUMNS) == official.split(",")


def test_crosswalk_columns_match_shared():
    shared = (SHARED / "data" / "qcew" / "crosswalk" / "central_ohio_12_county_region.csv")
    assert (EXAMPLE / "crosswalk.csv").read_text().splitlines()[0] == \
        shared.read_text().splitlines()[0]


def test_readme_and_size():
    text = (EXAMPLE / "README.md").read_text()
    assert "ILLUSTRATIVE" in text and "not real BLS data" in text
    assert sum(p.stat().st_size for p in EXAMPLE.iterdir()) < 450_000


def test_contents_consistent():
    raw = pd.concat([pd.read_csv(p, dtype={"area_fips": str, "industry_code": str,
                                           "disclosure_code": str, "lq_disclosure_code": str})
                     for p in sorted(EXAMPLE.glob("*.annual.*.csv"))])
    assert set(raw["qtr"]) == {"A"} and set(raw["size_code"]) == {0}
    assert set(raw["own_code"]) == {0, 1, 2, 3, 5}
    assert {70, 71, 74, 75} <= set(raw["agglvl_code"])
    assert raw["area_fips"].str.startswith(("99", "US999")).all()
    supp = raw[raw["disclosure_code"] == "N"]
    assert len(supp) > 20 and (supp["annual_avg_emplvl"] == 0).all()
    # LQs recomputed against the illustrative nation agree within rounding
    tot = raw[(raw.own_code == 0) & (raw.industry_code == "10")].set_index(["area_fips", "year"])[
        "annual_avg_emplvl"]
    nat = raw[raw.area_fips == "US999"].set_index(["year", "own_code", "industry_code"])[
        "annual_avg_emplvl"]
    c = raw[(raw.area_fips != "US999") & (raw.disclosure_code != "N")]
    local = c["annual_avg_emplvl"].to_numpy() / tot.loc[list(zip(c.area_fips, c.year))].to_numpy()
    nshare = nat.loc[list(zip(c.year, c.own_code, c.industry_code))].to_numpy() / \
        nat.loc[[(y, 0, "10") for y in c.year]].to_numpy()
    assert (abs(local / nshare - c["lq_annual_avg_emplvl"].to_numpy()) <= 0.005 + 1e-9).all()
    # over-the-year changes agree with the previous year's file
    d = qcew.read_area_files(EXAMPLE)
    key = ["area_fips", "own_code", "industry_code"]
    prev = d.assign(year=d.year + 1)[key + ["year", "employment"]]
    p = d.merge(prev, on=key + ["year"], suffixes=("", "_prev")).dropna(
        subset=["oty_employment_chg", "employment", "employment_prev"])
    assert len(p) > 500
    assert (p["employment"] - p["employment_prev"] == p["oty_employment_chg"]).all()


# -- the illustrative answers -------------------------------------------------------------------

def _answered(ws: Workspace, spec) -> set[str]:
    saved = ws.answers(spec.id)
    return {q.id for q in spec.questions()
            if (ws.rows(spec.id, q.id) if q.type == "table" else saved.get(q.id) not in (None, "", [], {}))}


def test_answers_file_covers_every_question_of_every_spec_with_a_valid_answer():
    answers = load_answers(today=DAY)
    assert check_answers(answers) == []
    assert missing_answers(answers) == []
    # relative dates are resolved against the day given
    assert answers.worksheets["launch-capture"]["meeting-date"] == "2026-01-16"  # today-150
    assert answers.worksheets["action-teams"]["next-quarterly"] == "2026-07-20"  # today+35
    text = (EXAMPLE / ANSWERS).read_text(encoding="utf-8")
    assert "ILLUSTRATIVE" in text and "made up" in text


def test_check_answers_names_every_kind_of_bad_answer():
    good = load_answers(today=DAY)
    bad = copy.deepcopy(good)
    bad.worksheets["step1-aar"]["no-such-question"] = "x"
    bad.worksheets["step1-aar"]["case-accepted"] = "maybe"
    bad.worksheets["step1-aar"]["convener-confidence"] = 9
    bad.worksheets["step2-aar"]["data-sources"] = ["qcew", "tea-leaves"]
    bad.worksheets["staffing-funding"]["funding-sources"][0]["status"] = "promised"
    bad.worksheets["staffing-funding"]["funding-sources"][1]["lead-organization"] = "nobody-inc"
    bad.worksheets["prepare-launch"]["invitations"][0]["colour"] = "red"
    bad.worksheets["no-such-spec"] = {"q": 1}
    bad.assessments["sustainability"][0]["respondents"][0]["answers"]["funding-runway"] = 5
    bad.pages["lmi-review"]["sectors"]["31-33"]["decision"] = "definitely"
    bad.pages["influence-map"][0]["influence"] = "enormous"
    bad.pages["footprint"]["counties"]["39049"] = {"in": True, "reason": "not an example county"}
    problems = "\n".join(check_answers(bad))
    for expected in ("worksheets/step1-aar/no-such-question: no such question",
                     "worksheets/step1-aar/case-accepted: 'maybe' is not one of yes, partly, not-yet",
                     "worksheets/step1-aar/convener-confidence: expected a whole number from 1 to 5, got 9",
                     "worksheets/step2-aar/data-sources: 'tea-leaves' not among",
                     "worksheets/staffing-funding/funding-sources: row 1: 'Status' must be one of",
                     "row 2: 'Lead organization' names no organization",
                     "worksheets/prepare-launch/invitations: row 1: unknown column(s) colour",
                     "worksheets/no-such-spec: no worksheet spec has this id",
                     "assessments/sustainability/round 1/Sam Okafor/funding-runway: expected a whole number from 1",
                     "pages/lmi-review/sectors/31-33: 'decision' must be one of",
                     "pages/influence-map/1: influence 'enormous' is not one of low, medium, high",
                     "pages/footprint/39049: not a county of the example region"):
        assert expected in problems, expected
    # and a question left out is reported as missing
    gone = copy.deepcopy(good)
    del gone.worksheets["step6-aar"]["next-actions"]
    del gone.assessments["sustainability"][1]["respondents"][2]["answers"]["discussion-notes"]
    assert missing_answers(gone) == ["worksheets/step6-aar/next-actions",
                                     "assessments/sustainability/round 2/Grace Kim/discussion-notes"]


def test_strict_seeding_refuses_bad_answers_and_writes_nothing(tmp_path):
    bad = copy.deepcopy(load_answers(today=DAY))
    bad.worksheets["step1-aar"]["case-accepted"] = "maybe"
    with Workspace.open("example", tmp_path, illustrative=True) as ws:
        with pytest.raises(ExampleAnswersError, match="case-accepted: 'maybe'"):
            seed_answers(ws, bad, strict=True)
        assert ws.answers("step1-aar") == {} and ws.records(SEEDED_KIND) == {}
        # without strict, the bad answer is left out and everything else is written
        seed_answers(ws, bad)
        assert "case-accepted" not in ws.answers("step1-aar")
        assert ws.answers("step1-aar")["convener-confidence"] == 4


def test_a_new_example_workspace_has_an_answer_in_every_worksheet_and_page(tmp_path):
    with ensure_example_workspace(tmp_path) as ws:
        assert ws.illustrative and "illustrative" in ws.name
        assert set(ws.records(SEEDED_KIND)) == {"universe", "answers"}
        for spec_id in available_specs():
            spec = load_spec(spec_id)
            if spec.kind == "assessment":
                rounds = A.rounds(ws, spec.id)
                assert len(rounds) == 2
                for r in rounds:
                    done = A.responses(ws, spec, r["round"])
                    assert 2 <= len(done) <= 3 and set(done["status"]) == {"complete"}
                assert A.compare_rounds(ws, spec)["trend"].notna().all()
            else:
                assert _answered(ws, spec) == {q.id for q in spec.questions()}, spec.id
        for page_id in custom_page_ids():
            for kind in page_records(page_id):
                assert ws.records(kind), f"{page_id}: no record of kind {kind}"
        # what the home page shows: every page of every module started (spec pages complete), every review done
        for module in region_progress(ws):
            for p in module.pages:
                hub = not page_records(p.page_id) and p.questions == 0  # a page that only shows others' answers
                assert p.state != NOT_STARTED or hub, p.page_id
                # a spec page is complete (the assessment keeps its answers per response: started)
                assert p.state == COMPLETE or page_records(p.page_id) or hub, p.page_id
            assert module.review is None or module.review.state == COMPLETE, module.module.id


def test_an_example_seeded_before_the_answers_gets_them_once_without_losing_anything(tmp_path):
    # a workspace from before: the Universe seeded (marker "universe" only) and some work of the user's
    with ensure_example_workspace(tmp_path) as fresh:
        universe_records = fresh.records("organization")
    (tmp_path / "example" / "workspace.sqlite").unlink()
    for extra in (tmp_path / "example").iterdir():
        extra.unlink()
    with Workspace.open("example", tmp_path, name="Example", illustrative=True) as ws:
        seed_universe(ws)
        ws.save_answers("step1-aar", {"case-accepted": "not-yet", "gaps-and-links": "Our own notes"})
        ws.save_row("staffing-funding", "funding-sources", None, {"source": "Our own grant", "amount": 1})
        round_id = A.start_round(ws, "sustainability", "2026-01-05")
        A.open_response(ws, "sustainability", round_id, "Our Respondent")
        ws.put_record("sector_choice", "23", {"decision": "shortlist", "title": "Construction"})
        ws.put_record("footprint", "current", {"counties": {"99007": {"in": True, "reason": "ours"}}, "sector": "23"})
    with ensure_example_workspace(tmp_path) as ws:
        assert ws.records("organization") == universe_records
        saved = ws.answers("step1-aar")
        assert saved["case-accepted"] == "not-yet" and saved["gaps-and-links"] == "Our own notes"
        assert saved["convener-confidence"] == 4  # unanswered: filled
        assert [r.value["source"] for r in ws.rows("staffing-funding", "funding-sources")] == ["Our own grant"]
        assert len(ws.rows("action-teams", "teams")) == 3  # an empty table: filled
        assert [r["round"] for r in A.rounds(ws, "sustainability")] == ["2026-01-05"]
        assert list(ws.records("sector_choice")) == ["23"]
        assert ws.records("footprint")["current"]["sector"] == "23"
        assert ws.records("decision_maker") and ws.records("lmi_settings")  # kinds nobody had touched
        marker = ws.records(SEEDED_KIND)["answers"]
        deliverables = len(ws.rows("action-teams", "deliverables"))
    # once: opening again writes nothing, even after the user clears an answer
    with Workspace.open("example", tmp_path) as ws:
        ws.save_answer("step2-aar", "expected", "")
    with ensure_example_workspace(tmp_path) as ws:
        assert ws.records(SEEDED_KIND)["answers"] == marker
        assert ws.answers("step2-aar")["expected"] == ""
        assert len(ws.rows("action-teams", "deliverables")) == deliverables


def test_seeding_twice_adds_no_rows_and_no_rounds(tmp_path):
    with ensure_example_workspace(tmp_path) as ws:
        answers = load_answers()
        before = {q: len(ws.rows("prepare-launch", q)) for q in ("invitations", "co-chairs")}
        counts = seed_answers(ws, answers)  # as if two processes had both missed the marker
        assert counts == {"answers": 0, "rows": 0, "rounds": 0, "records": 0}
        assert {q: len(ws.rows("prepare-launch", q)) for q in before} == before
        assert len(A.rounds(ws, "sustainability")) == 2


def test_an_unreadable_answers_file_is_a_clear_error(tmp_path):
    with pytest.raises(ExampleAnswersError, match="cannot be read"):
        load_answers(tmp_path / "missing.yaml")
    (tmp_path / "bad.yaml").write_text("worksheets: [unclosed", encoding="utf-8")
    with pytest.raises(ExampleAnswersError, match="cannot be read"):
        load_answers(tmp_path / "bad.yaml")
    (tmp_path / "odd.yaml").write_text("answers: {}\n", encoding="utf-8")
    with pytest.raises(ExampleAnswersError, match="worksheets, assessments and pages"):
        load_answers(tmp_path / "odd.yaml")


def test_the_test_helper_gives_an_example_without_answers(tmp_path):
    with example_without_answers(tmp_path) as ws:
        assert ws.illustrative and len(ws.records("organization")) == 15
        assert all(ws.answers(s) == {} for s in available_specs()) and ws.records("sector_choice") == {}
    with ensure_example_workspace(tmp_path) as ws:  # and it stays so
        assert ws.answers("step1-aar") == {}
