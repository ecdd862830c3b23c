"""The page base (sectorkit.apps.base.WorksheetPage) and the five pages ported onto it.

Each page is driven through its real widgets (typing, clicking, choosing), never by calling
private methods, so the wiring between a widget and its guarded handler is tested too.
"""

from __future__ import annotations

import logging

import ipywidgets as W
import pytest

from sectorkit import assessments as A
from sectorkit import universe as nw
from sectorkit.apps import lmi_review
from sectorkit.apps.assessment import AARHubApp, AssessmentApp, sustainability_page
from sectorkit.apps.base import WorksheetPage, guarded
from sectorkit.apps.form import WorksheetApp
from sectorkit.apps.lmi_review import CHOICE_KIND, LMIReviewApp
from sectorkit.apps.universe import UniverseApp
from sectorkit.core.errors import InvalidRegionId, SectorkitError
from sectorkit.lmi import qcew
from sectorkit.lmi.uploads import store_upload
from sectorkit.specs import load_spec, parse_spec
from sectorkit.store.workspace import Workspace

HOSTILE = "<script>alert('x')</script> & <b>co</b>"
SPEC = {
    "id": "tiny",
    "version": 1,
    "title": f"Tiny {HOSTILE}",
    "intro": f"Intro {HOSTILE}",
    "attribution": f"After {HOSTILE}",
    "sections": [{"id": "s", "title": "S", "questions": [{"id": "q", "type": "text", "label": "Which counties?"}]}],
}


class Page(WorksheetPage):
    """A small page: one text box saved as a record, one button that fails on demand."""

    title = f"Notes {HOSTILE}"
    intro = f"Intro {HOSTILE}"
    attribution = f"Credit {HOSTILE}"

    def build(self):
        self.note = W.Text(description="Note", style=self.styles.hidden_label)
        self.note.observe(self.save_note, names="value")
        self.button = W.Button(description="Go")
        self.button.on_click(self.guarded(self.go, "doing the thing"))
        self.problem: Exception | None = None
        return [self.note, self.button]

    @guarded("saving the note", keep="Your note is still in the box.")
    def save_note(self, change):
        if not self.is_loading:
            self.saved("the note.", at=self.workspace.put_record("note", "one", {"text": self.note.value}))

    def go(self, _button):
        if self.problem is not None:
            raise self.problem
        self.say("Done.")


@pytest.fixture
def ws(tmp_path):
    with Workspace.open("riverbend", tmp_path, name=f"Riverbend {HOSTILE}") as ws:
        yield ws


def _assert_escaped(markup: str) -> None:
    assert "<script>" not in markup and "<b>co</b>" not in markup
    assert "&lt;script&gt;" in markup and "&amp;" in markup


def _assert_reported(app, caplog, action: str, text: str = "boom") -> None:
    """The status line names the action and the error, and the log has the traceback."""
    said = app.status_text()
    assert said.startswith(f"Something went wrong while {action}: RuntimeError: {text}"), said
    assert app.status_is_error and "#9b1c1c" in app.status.value and 'role="status"' in app.status.value
    records = [r for r in caplog.records if r.name == "sectorkit" and r.levelno == logging.ERROR]
    assert records and records[-1].exc_info and records[-1].exc_info[0] is RuntimeError
    assert action in records[-1].getMessage() and type(app).__name__ in records[-1].getMessage()


def _boom(*args, **kwargs):
    raise RuntimeError("boom")


# -- header and footer --------------------------------------------------------------------------
def test_header_and_footer_escape_hostile_titles_and_region_names(ws):
    page = Page(ws)
    _assert_escaped(page.header.value)
    assert "Notes &lt;script&gt;" in page.header.value and "Intro &lt;script&gt;" in page.header.value
    assert "Riverbend &lt;script&gt;" in page.header.value
    _assert_escaped(page.footer.value)
    assert page.container.children[0] is page.header and page.container.children[-1] is page.footer

    form = WorksheetApp(parse_spec(SPEC), ws)
    _assert_escaped(form.header.value)
    _assert_escaped(form.footer.value)
    assert "Tiny &lt;script&gt;" in form.header.value and "After &lt;script&gt;" in form.footer.value


@pytest.mark.parametrize(
    "make",
    [
        lambda ws: LMIReviewApp(ws),
        lambda ws: UniverseApp(ws),
        lambda ws: AARHubApp(ws),
        lambda ws: AssessmentApp(load_spec("sustainability"), ws),
    ],
    ids=["lmi", "universe", "aar-hub", "assessment"],
)
def test_every_ported_page_escapes_the_region_name(ws, make):
    app = make(ws)
    _assert_escaped(app.header.value)
    assert "Region: <strong>Riverbend &lt;script&gt;" in app.header.value
    assert "Illustrative example region." not in app.header.value


def test_header_hidden_for_an_inner_form(ws):
    form = WorksheetApp(parse_spec(SPEC), ws, header=False)
    assert form.header.value == ""


# -- status line --------------------------------------------------------------------------------
def test_status_line_says_saved_failed_and_plain_text_escaped(ws):
    page = Page(ws)
    assert page.status_text() == page.save_hint
    assert 'role="status"' in page.status.value and 'aria-live="polite"' in page.status.value
    page.note.value = "first"
    assert page.status_text().startswith("Saved at ") and page.status_text().endswith(": the note.")
    assert not page.status_is_error and "#1d5e20" in page.status.value
    page.failed(HOSTILE)
    assert page.status_text() == f"Not saved: {HOSTILE}" and page.status_is_error
    _assert_escaped(page.status.value)
    page.failed("plain", lead="")
    assert page.status_text() == "plain"
    page.say("Ready.")
    assert page.status_text() == "Ready." and not page.status_is_error
    page.saved()
    assert page.status_text().endswith(f". {page.save_hint}")


def test_status_line_can_be_placed_by_the_page(ws):
    app = AssessmentApp(load_spec("sustainability"), ws)
    children = list(app.container.children)
    assert children.count(app.status) == 1 and children.index(app.status) > 2  # next to its buttons
    assert app.message is app.status


# -- guarded handlers ---------------------------------------------------------------------------
def test_guarded_button_shows_any_exception_and_keeps_working(ws, caplog):
    page = Page(ws)
    page.problem = RuntimeError("boom")
    page.button.click()
    _assert_reported(page, caplog, "doing the thing")
    assert page.status_text().endswith("What you typed is still on the page.")
    page.problem = SectorkitError("Type a date first.")
    page.button.click()
    assert page.status_text() == "Not saved: Type a date first."
    page.problem = None
    page.button.click()
    assert page.status_text() == "Done."


def test_guarded_observer_reports_a_database_failure_as_not_written(ws, caplog):
    page = Page(ws)
    ws._conn.close()
    page.note.value = "typed"
    assert page.status_text().startswith("Not saved: the workspace could not be written (ProgrammingError")
    assert page.status_text().endswith("Your note is still in the box.") and page.note.value == "typed"
    assert any(r.levelno == logging.ERROR and r.exc_info for r in caplog.records if r.name == "sectorkit")


def test_worksheet_form_guard(ws, caplog, monkeypatch):
    app = WorksheetApp(parse_spec(SPEC), ws)
    monkeypatch.setattr(ws, "save_answer", _boom)
    app.fields["q"].input.value = "Franklin"
    _assert_reported(app, caplog, "saving your answer")
    assert app.status_text().endswith("Your text is still in the box; try again.")
    monkeypatch.undo()
    app.fields["q"].input.value = "Franklin and Delaware"
    assert app.status_text().startswith("Saved at") and ws.answers("tiny") == {"q": "Franklin and Delaware"}


def test_worksheet_form_callback_failure_is_reported_after_the_save(ws, caplog):
    app = WorksheetApp(parse_spec(SPEC), ws)
    app.on_saved.append(_boom)
    app.fields["q"].input.value = "Franklin"
    assert ws.answers("tiny") == {"q": "Franklin"}
    _assert_reported(app, caplog, "updating the page after the save")
    assert app.status_text().endswith("Your answer was saved.")


def test_lmi_load_button_reports_any_loader_error_and_still_works(ws, caplog, monkeypatch):
    app = LMIReviewApp(ws)
    folder = qcew.example_region_path()
    for path in sorted(folder.glob("*.csv")):  # the example files, uploaded as a team would
        store_upload(app.region_folder, path.name, path.read_bytes())
    app.source.value = "Files uploaded for this region"
    app.counties.value = "RIVERBEND4"
    monkeypatch.setattr(lmi_review, "load_source", _boom)
    app.load_button.click()
    _assert_reported(app, caplog, "reading the data files")
    assert "The files could not be read (RuntimeError: boom)" in app.message.value and app.screen is None
    monkeypatch.undo()
    app.load_button.click()  # the same button, now with a working loader
    assert app.problem is None and app.screen is not None and app.status_text().startswith("Saved at")
    assert ws.records("lmi_settings")["current"]["source"] == "uploads"


def test_lmi_settings_observer_reports_a_screen_failure(ws, caplog, monkeypatch):
    app = LMIReviewApp(ws)
    monkeypatch.setattr(lmi_review.screen, "sector_screen", _boom)
    app.weights["wages"].value = 3.0
    _assert_reported(app, caplog, "updating the screen")
    monkeypatch.undo()
    app.weights["wages"].value = 2.0
    assert app.status_text().startswith("Saved at") and ws.records("lmi_settings")["current"]["weights"]["wages"] == 2.0


def test_universe_add_button_reports_any_error_and_still_works(ws, caplog, monkeypatch):
    app = UniverseApp(ws)
    app.org_name.value, app.org_kind.value = "Acme Tools", "business"
    monkeypatch.setattr(nw, "save_organization", _boom)
    app.org_add.click()
    _assert_reported(app, caplog, "adding the organization")
    assert app.org_name.value == "Acme Tools"  # what was typed stays
    monkeypatch.undo()
    app.org_add.click()
    assert app.status_text().startswith("Saved at") and "Acme Tools" in app.status_text()
    assert app.summary["businesses"] == 1


def test_assessment_start_button_reports_any_error_and_still_works(ws, caplog, monkeypatch):
    app = AssessmentApp(load_spec("sustainability"), ws)
    app.date.value, app.respondent.value = "2026-11-20", "Ana Ruiz"
    monkeypatch.setattr(A, "start_round", _boom)
    app.start.click()
    _assert_reported(app, caplog, "opening your response")
    assert app.app is None and app.complete.disabled
    monkeypatch.undo()
    app.start.click()
    assert app.status_text() == "Ana Ruiz: response for 2026-11-20 open (draft). Answers save as you go."
    assert app.form.children == (app.app.container,)


def test_aar_hub_progress_failure_is_reported_and_the_answer_kept(ws, caplog, monkeypatch):
    hub = AARHubApp(ws)
    form = hub.apps[hub.choose.value]
    question = next(q for q, f in form.fields.items() if f.question.type in ("text", "long_text"))
    monkeypatch.setattr(A, "aar_progress", _boom)
    form.fields[question].input.value = "Health care"
    _assert_reported(hub, caplog, "updating the progress table")
    assert ws.answers(form.key)[question] == "Health care" and form.status_text().startswith("Saved at")
    monkeypatch.undo()
    form.fields[question].input.value = "Health care, NAICS 62"
    assert not hub.status_is_error and "1 of" in hub.progress.value


def test_aar_hub_switch_observer_is_guarded(ws, caplog, monkeypatch):
    hub = AARHubApp(ws)
    first, second = list(hub.specs)[:2]
    assert list(hub.apps) == [first]  # only the chosen review's form is built
    monkeypatch.setattr(hub, "specs", {first: hub.specs[first]})  # the second review went missing
    hub.choose.value = second
    assert hub.status_text().startswith("Something went wrong while switching to that review: KeyError")
    assert hub.form.children[0] is hub.apps[first].container


# -- loading() ----------------------------------------------------------------------------------
def test_loading_suppresses_saves_and_nests(ws):
    page = Page(ws)
    with page.loading():
        with page.loading():
            page.note.value = "inner"
        assert page.is_loading
        page.note.value = "outer"
    assert not page.is_loading and ws.records("note") == {}
    page.note.value = "now"
    assert ws.records("note")["one"]["text"] == "now"


def test_loading_suppresses_saves_in_the_ported_pages(ws):
    form = WorksheetApp(parse_spec(SPEC), ws)
    with form.loading():
        form.fields["q"].input.value = "not saved"
    assert ws.answers("tiny") == {}

    lmi = LMIReviewApp(ws)
    row = lmi.rows[0]
    with lmi.loading():
        row.decision.value = "Shortlist"
    assert ws.records(CHOICE_KIND) == {}
    row.decision.value = "Maybe"
    assert ws.records(CHOICE_KIND)[row.code]["decision"] == "maybe"

    uni = UniverseApp(ws)
    uni.org_name.value, uni.org_kind.value = "County board", "partner"
    uni.org_add.click()
    with uni.loading():
        uni.roster_role.value = "convener"
    assert ws.records("roster") == {}


# -- for_region ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "cls, options",
    [
        (WorksheetApp, {"spec": "step2-aar"}),
        (LMIReviewApp, {}),
        (UniverseApp, {}),
        (AssessmentApp, {"spec": "sustainability"}),
        (AARHubApp, {}),
    ],
    ids=["form", "lmi", "universe", "assessment", "aar-hub"],
)
def test_for_region_on_every_page(tmp_path, cls, options):
    example = cls.for_region("example", root=tmp_path, **options)
    assert isinstance(example, cls) and isinstance(example, WorksheetPage)
    assert example.workspace.illustrative and "Illustrative example region." in example.header.value
    assert example.container.children[0] is example.header
    mine = cls.for_region("lakeside", root=tmp_path, **options)
    assert mine.workspace.region == "lakeside" and not mine.workspace.illustrative
    assert (tmp_path / "lakeside").is_dir()
    with pytest.raises(InvalidRegionId):
        cls.for_region("../etc", root=tmp_path, **options)


def test_sustainability_page_is_the_assessment_page(tmp_path, monkeypatch):
    monkeypatch.setenv("SECTORKIT_HOME", str(tmp_path))
    page = sustainability_page("lakeside")
    assert isinstance(page, AssessmentApp) and page.spec.id == "sustainability"
    assert page.workspace.region == "lakeside"
