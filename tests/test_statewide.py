"""The statewide view: rollups over three made-up regions, read-only access, the page and the state report.

Expectations are computed by hand from the values written here:
- Riverbend (A) shares common metric 1 (100 on 2026-01-15, then 120 on 2026-06-30) and common metric 2
  (40), a story with consent and one without; Step 1 and Step 2 reviews complete; sustainability
  rounds all 2 then all 3 (overall 3.00, change +1.00).
- Lakeshore (B) has no metrics and no stories: it shares nothing (never a zero).
- Hill Country (C) shares common metric 1 (80) and keeps common metric 2 (55) private; one
  sustainability round only (all 2: overall 2.00, no change: the "missing round").
Common metric 1: 2 of 3 regions report it, sum 120 + 80 = 200, median 100.
Common metric 2: 1 of 3 (only A shares it), sum 40, median 40.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from sectorkit.assessments.rounds import complete_response, open_response, start_round
from sectorkit.cli import main as cli_main
from sectorkit.partnership.metrics import suggested_metrics
from sectorkit.specs import load_spec
from sectorkit.statewide import read_region, state_rollup, states_present
from sectorkit.store.workspace import Workspace
from sectorkit.views.statewide import metrics_html, regions_html, state_page_html, stories_html
from sectorkit.workspaces.regions import create_region

SPEC = "metrics-tracker"


def _common() -> list:
    common = [m for m in suggested_metrics() if m.common]
    assert len(common) >= 2, "the suggested list must mark at least two metrics as common"
    return common


def _metric(ws: Workspace, m, *, shared: bool, values: list[tuple[str, float]]) -> None:
    row = ws.save_row(SPEC, "metrics", None, {"name": m.name, "code": m.code, "category": m.category,
                                             "kind": m.kind, "unit": m.unit, "shared": shared})
    for when, value in values:
        ws.save_row(SPEC, "values", None, {"metric": row, "date": when, "value": value})


def _rate_everything(ws: Workspace, when: str, rating: int, spec_id: str = "sustainability") -> None:
    spec = load_spec(spec_id)
    round_id = start_round(ws, spec_id, when)
    key = open_response(ws, spec_id, round_id, "Pat Lee")
    for q in spec.questions():
        if q.type == "scale" and getattr(q, "dimension", None):
            ws.save_answer(key, q.id, rating)
    complete_response(ws, spec, key)


def _answer_all(ws: Workspace, spec_id: str) -> None:
    spec = load_spec(spec_id)
    for q in spec.questions():
        if q.type in ("choice",):
            value = spec.options_for(q)[0].value
        elif q.type in ("multi", "checklist"):
            value = [spec.options_for(q)[0].value]
        elif q.type == "scale":
            value = q.min
        elif q.type == "number":
            value = 1
        else:
            value = "Done."
        ws.save_answer(spec_id, q.id, value)


@pytest.fixture()
def state(tmp_path: Path) -> Path:
    c1, c2 = _common()[:2]
    with create_region("Riverbend", tmp_path, state="OH") as ws:
        _metric(ws, c1, shared=True, values=[("2026-06-30", 120), ("2026-01-15", 100)])
        _metric(ws, c2, shared=True, values=[("2026-03-01", 40)])
        ws.save_row(SPEC, "stories", None, {"date": "2026-05-01", "what": "A plant <hired> six", "who": "Ada",
                                           "quote": "We finally talk.", "consent": True, "shared": True})
        ws.save_row(SPEC, "stories", None, {"date": "2026-04-01", "what": "A second story", "who": "Bo",
                                           "quote": "Secret words", "consent": False, "shared": True})
        ws.save_row(SPEC, "stories", None, {"date": "2026-04-02", "what": "Kept at home", "shared": False})
        _answer_all(ws, "step1-aar")
        _answer_all(ws, "step2-aar")
        _rate_everything(ws, "2025-06-01", 2)
        _rate_everything(ws, "2026-06-01", 3)
    create_region("Lakeshore", tmp_path, state="OH").close()
    with create_region("Hill Country", tmp_path, state="OH") as ws:
        _metric(ws, c1, shared=True, values=[("2026-02-01", 80)])
        _metric(ws, c2, shared=False, values=[("2026-02-01", 55)])
        _rate_everything(ws, "2026-05-01", 2)
    create_region("Elsewhere", tmp_path, state="KY").close()
    with create_region("Ohio state team", tmp_path, state="OH", scope="state") as ws:
        _rate_everything(ws, "2026-01-10", 1, "state-self-assessment")
        _rate_everything(ws, "2026-07-10", 3, "state-self-assessment")
    return tmp_path


def test_common_metrics_roll_up_over_the_regions_that_report_them(state):
    c1, c2 = _common()[:2]
    view = state_rollup("oh", state)
    assert [r.name for r in view.regions] == ["Hill Country", "Lakeshore", "Riverbend"]
    m1 = next(m for m in view.metrics if m.code == c1.code)
    assert (m1.reporting, m1.total, m1.total_value, m1.median) == (2, 3, 200.0, 100.0)
    assert m1.values == {"riverbend": ("2026-06-30", 120.0), "hill-country": ("2026-02-01", 80.0)}
    m2 = next(m for m in view.metrics if m.code == c2.code)
    assert (m2.reporting, m2.total_value, m2.median) == (1, 40.0, 40.0)
    assert "hill-country" not in m2.values  # kept private: never shown, never a zero
    assert {m.code for m in view.metrics} == {m.code for m in _common()}


def test_a_region_that_shares_nothing_is_said_so_not_counted_as_zero(state):
    view = state_rollup("OH", state)
    lake = next(r for r in view.regions if r.region == "lakeshore")
    assert not lake.shares_anything and lake.metrics == ()
    html = regions_html(view)
    row = html[html.index("Lakeshore"):].split("</tr>")[0]
    assert "nothing shared yet" in row
    for m in view.metrics:
        assert "lakeshore" not in m.values
    assert "left out, not counted as zero" in metrics_html(view, charts=False)


def test_stage_stories_and_assessments(state):
    view = state_rollup("OH", state)
    river = next(r for r in view.regions if r.region == "riverbend")
    assert river.stage.step == 2 and river.stage.reviews_done == 2
    assert river.stage.label.startswith("Step 2 done: ")
    assert dict(view.stages) == {river.stage.label: 1, "Getting started": 2}
    assert (river.assessment.overall, river.assessment.change) == (3.0, 1.0)
    hill = next(r for r in view.regions if r.region == "hill-country")
    assert (hill.assessment.overall, hill.assessment.change, hill.assessment.previous_round) == (2.0, None, None)
    assert next(r for r in view.regions if r.region == "lakeshore").assessment is None
    # stories: shared ones only, newest first; a quote without consent is never shown
    assert [s.what for _r, s in view.stories] == ["A plant <hired> six", "A second story"]
    html = stories_html(view)
    assert "A plant &lt;hired&gt; six" in html and "We finally talk." in html
    assert "Secret words" not in html and "without consent" in html and "Kept at home" not in html
    # the state team's own self-assessment: two rounds, all 1 then all 3
    sa = view.state_assessment
    assert (sa.round, sa.overall, sa.change, sa.previous_round) == ("2026-07-10", 3.0, 2.0, "2026-01-10")
    assert len(sa.dimensions) == len(load_spec("state-self-assessment").dimensions)
    assert [t.region for t in view.state_teams] == ["ohio-state-team"]


def test_other_states_and_the_state_list(state):
    assert states_present(state) == [("KY", 1), ("OH", 3)]
    ky = state_rollup("KY", state)
    assert [r.region for r in ky.regions] == ["elsewhere"] and ky.state_assessment is None
    assert all(m.reporting == 0 and m.total_value is None and m.median is None for m in ky.metrics)


def _fingerprint(root: Path) -> dict[str, str]:
    """Every database file's bytes, and every WAL file's (SQLite's -shm index is shared memory, not data)."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.endswith("-shm")
            and not (p.name.endswith("-wal") and p.stat().st_size == 0)}


def test_the_statewide_view_never_opens_a_region_for_writing(state, monkeypatch):
    before = _fingerprint(state)
    opened = []
    real_open = Workspace.open.__func__

    def spy(cls, region, root=None, **kw):
        opened.append((region, kw.get("readonly", False)))
        return real_open(cls, region, root, **kw)

    monkeypatch.setattr(Workspace, "open", classmethod(spy))
    view = state_rollup("OH", state)
    state_page_html(view)
    assert opened and all(readonly for _region, readonly in opened), opened
    assert _fingerprint(state) == before  # not one byte of any workspace changed, and nothing in a WAL


def test_a_read_only_workspace_refuses_writes(state):
    with Workspace.open("riverbend", state, readonly=True) as ws:
        assert ws.readonly and ws.name == "Riverbend"
        with pytest.raises(sqlite3.OperationalError, match="readonly|read-only"):
            ws.save_answer("step1-aar", "x", "y")
    with pytest.raises(Exception, match="No workspace"):
        Workspace.open("nowhere", state, readonly=True)
    assert not (state / "nowhere").exists()


def test_an_unreadable_region_is_listed_with_the_reason(state):
    (state / "lakeshore" / "workspace.sqlite").write_bytes(b"not a database at all" * 100)
    snap = read_region("lakeshore", state)
    assert not snap.readable and "cannot be read" in snap.problem
    view = state_rollup("OH", state)
    # its profile cannot be read either, so it is not named as an Ohio region; the others still are
    assert [r.region for r in view.regions] == ["hill-country", "riverbend"]


def test_the_statewide_page_escapes_and_reads(state):
    from sectorkit.serve.state import StateView

    with Workspace.open("riverbend", state) as ws:
        ws.rename("River <b>bend</b>")
    view = StateView("OH", state)
    assert "River &lt;b&gt;bend&lt;/b&gt;" in view.body.value and "<b>bend</b>" not in view.body.value
    assert view.state_pick.value == "OH"
    labels = [label for label, _code in view.state_pick.options]
    assert labels == ["Kentucky (1 region)", "Ohio (3 regions)"]
    view.state_pick.value = "KY"
    assert "Elsewhere" in view.body.value and "Riverbend" not in view.body.value


def test_state_report_cli_writes_html_and_pdf(state, tmp_path, capsys):
    out = tmp_path / "out"
    code = cli_main(["--home", str(state), "report", "--state", "oh", "--out", str(out), "--quiet"])
    assert code == 0, capsys.readouterr().err
    html = (out / "state-oh.html").read_text(encoding="utf-8")
    assert "Sector partnerships in Ohio: state report" in html
    for heading in ("Partnerships by stage", "Every partnership", "Common metrics", "Stories", "Self-assessments"):
        assert heading in html
    assert "nothing shared yet" in html and 'alt="Bar chart of Ohio' in html
    assert "<script" not in html.split("<main>", 1)[1]
    pdf = (out / "state-oh.pdf").read_bytes()
    assert pdf[:5] == b"%PDF-" and len(pdf) > 20_000
    import unicodedata

    from pypdf import PdfReader

    pages = [" ".join(unicodedata.normalize("NFKC", p.extract_text() or "").split())  # NFKC: the "fi" ligature
             for p in PdfReader(out / "state-oh.pdf").pages]
    text = " ".join(pages)
    assert 2 <= len(pages) <= 6, len(pages)
    for words in ("Sector partnerships in Ohio: state report", "Common metrics", "nothing shared yet",
                  "We finally talk.", "Capability 6"):
        assert words in text, words
    assert "Secret words" not in text


def test_state_report_cli_refuses_bad_input_without_a_traceback(state, tmp_path, capsys):
    assert cli_main(["--home", str(state), "report", "--state", "Ohio", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "not a 2-letter state code" in err and "Traceback" not in err
    assert cli_main(["--home", str(state), "report", "--state", "OH", "riverbend"]) == 2
    assert "--state makes one state report" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


# -- in a browser -----------------------------------------------------------------------------------

@pytest.mark.browser
def test_statewide_view_in_a_browser_from_the_trainer_view(served, page, state):
    import re

    from playwright.sync_api import expect

    from sectorkit.apps.registry import GENERIC_NOTEBOOK
    from tests.support.browser import axe_violations

    wait = 90_000
    server = served(GENERIC_NOTEBOOK, state)
    page.goto(server.url(GENERIC_NOTEBOOK, "sheet=trainer"), wait_until="commit")
    link = page.get_by_role("link", name="Ohio", exact=True)
    expect(link).to_be_visible(timeout=wait)
    with page.expect_navigation(wait_until="commit", timeout=wait):
        link.click()
    table = page.get_by_role("table", name="Partnerships in Ohio")
    expect(table).to_be_visible(timeout=wait)
    expect(table.get_by_role("rowheader", name=re.compile("Lakeshore"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Bar chart of Ohio's partnerships by stage"))).to_be_visible()
    page.screenshot(path="/tmp/h14/statewide.png", full_page=True)
    serious = axe_violations(page)
    assert serious == [], serious
    page.get_by_role("button", name="Make the state report").click()
    report = page.get_by_role("link", name="State report for Ohio (HTML)")
    expect(report).to_be_visible(timeout=wait)
    with page.expect_download() as got:
        report.click()
    assert got.value.suggested_filename.startswith("oh-state-report-")
    assert "Sector partnerships in Ohio: state report" in Path(got.value.path()).read_text(encoding="utf-8")
    # the picker moves to another state without a reload
    page.get_by_label("State", exact=True).select_option(label="Kentucky (1 region)")
    expect(page.get_by_role("table", name="Partnerships in Kentucky")).to_be_visible(timeout=wait)


def test_the_statewide_page_makes_the_state_report(state):
    from sectorkit.serve.state import StateView

    view = StateView("OH", state)
    view.make_report()
    assert "State report for Ohio (HTML)" in view.report_link.value, view.status_text()
    assert "The state report is ready" in view.status_text()


def test_a_region_report_leaves_the_state_self_assessment_to_state_teams(state, monkeypatch):
    from sectorkit.reports.sections import assessments as section

    shown = []
    monkeypatch.setattr(section, "show", shown.append)
    title = load_spec("state-self-assessment").title
    with Workspace.open("riverbend", state) as ws:
        _rate_everything(ws, "2026-08-01", 2, "state-self-assessment")  # even with a round held
    section.assessments("riverbend", str(state))
    section.assessments("ohio-state-team", str(state))
    assert title not in shown[0] and load_spec("sustainability").title in shown[0]
    assert title in shown[1]

