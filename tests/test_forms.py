"""The worksheet engine: specs validated on load, every field type saving and reloading."""

import sqlite3

import pytest
import yaml

from sectorkit.apps.form import WorksheetApp, open_worksheet
from sectorkit.core.errors import SpecError
from sectorkit.serve.pages import worksheet_page
from sectorkit.specs import available_specs, load_spec, load_spec_file, parse_spec
from sectorkit.store.workspace import Workspace

SPEC = {
    "id": "all-types",
    "version": 1,
    "title": "Every question type",
    "kind": "worksheet",
    "scales": {"progress": [{"value": "yes", "label": "Yes"}, {"value": "not-yet", "label": "Not yet"}]},
    "sections": [
        {
            "id": "one",
            "title": "One",
            "questions": [
                {"id": "name", "type": "text", "label": "Name of the partnership?", "max_length": 20},
                {"id": "story", "type": "long_text", "label": "What happened?"},
                {"id": "done", "type": "choice", "label": "Done?", "scale": "progress"},
                {
                    "id": "rate",
                    "type": "scale",
                    "label": "How well?",
                    "min": 1,
                    "max": 5,
                    "min_label": "Poorly",
                    "max_label": "Very well",
                },
                {"id": "count", "type": "number", "label": "How many businesses?"},
                {
                    "id": "sources",
                    "type": "checklist",
                    "label": "Which sources?",
                    "options": [{"value": "qcew", "label": "QCEW"}, {"value": "talk", "label": "Conversations"}],
                },
            ],
        }
    ],
}


@pytest.fixture
def ws(tmp_path):
    with Workspace.open("riverbend", tmp_path, name="Riverbend <script>alert(1)</script>") as ws:
        yield ws


@pytest.fixture
def app(ws):
    return WorksheetApp(parse_spec(SPEC), ws)


def test_every_field_type_saves_what_the_user_sets(app, ws):
    f = app.fields
    f["name"].input.value = "Riverbend Makers"
    f["story"].input.value = "Line one\nLine two"
    f["done"].input.value = "Not yet"
    f["rate"].input.value = "4"
    f["count"].input.value = "1,250"
    f["sources"].boxes[1].value = True
    assert ws.answers("all-types") == {
        "name": "Riverbend Makers",
        "story": "Line one\nLine two",
        "done": "not-yet",
        "rate": 4,
        "count": 1250,
        "sources": ["talk"],
    }
    assert app.status_text().startswith("Saved at")
    assert "6 of 6 questions answered" in app.progress.value


def test_scale_labels_show_the_anchors(app):
    assert app.fields["rate"].input.options[0] == "1 (Poorly)"
    assert app.fields["rate"].input.options[-1] == "5 (Very well)"


def test_a_new_app_on_the_same_workspace_shows_the_saved_answers(app, ws):
    app.fields["name"].input.value = "Kept"
    app.fields["done"].input.value = "Yes"
    app.fields["sources"].boxes[0].value = True
    again = WorksheetApp(parse_spec(SPEC), Workspace.open("riverbend", ws.path.parent.parent))
    assert again.fields["name"].input.value == "Kept"
    assert again.fields["done"].input.value == "Yes"
    assert [b.value for b in again.fields["sources"].boxes] == [True, False]
    assert again.answers()["sources"] == ["qcew"]


def test_clearing_a_choice_saves_no_answer(app, ws):
    app.fields["done"].input.value = "Yes"
    app.fields["done"].input.value = None
    assert ws.answers("all-types")["done"] is None


def test_bad_number_is_explained_in_the_widget_and_not_saved(app, ws):
    app.fields["count"].input.value = "12"
    app.fields["count"].input.value = "twelve"
    assert "&#x27;twelve&#x27; is not a number" in app.fields["count"].header.value
    assert app.status_text().startswith("Not saved")
    assert ws.answers("all-types")["count"] == 12
    app.fields["count"].input.value = "13"
    assert 'role="alert"' not in app.fields["count"].header.value
    assert ws.answers("all-types")["count"] == 13


def test_too_long_text_is_explained_and_not_saved(app, ws):
    app.fields["name"].input.value = "x" * 21
    assert "limit is 20" in app.fields["name"].header.value
    assert "name" not in ws.answers("all-types")


def test_a_failing_disk_is_reported_in_the_status_not_raised(app, ws):
    ws._conn.close()  # any write now fails inside sqlite
    app.fields["name"].input.value = "still typed"
    assert app.status_text().startswith("Not saved: the workspace could not be written")
    assert app.fields["name"].input.value == "still typed"


def test_user_text_is_escaped_in_the_page(app):
    assert "<script>" not in app.header.value
    assert "&lt;script&gt;" in app.header.value
    app.fields["count"].input.value = "<img src=x onerror=alert(1)>"
    assert "<img" not in app.fields["count"].header.value
    assert "<img" not in app.status.value


def test_switch_region_reloads_answers(app, ws, tmp_path):
    app.fields["name"].input.value = "Riverbend"
    other = Workspace.open("lakeside", tmp_path)
    app.switch_region(other)
    assert app.fields["name"].input.value == ""
    app.fields["name"].input.value = "Lakeside"
    assert other.answers("all-types") == {"name": "Lakeside"}
    assert ws.answers("all-types")["name"] == "Riverbend"


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda s: s.pop("version"), "version: field required"),
        (lambda s: s["sections"][0]["questions"][0].update(type="slider"), "type: Input should be"),
        (
            lambda s: s["sections"][0]["questions"][2].update(scale="missing"),
            "uses scale 'missing', which is not defined",
        ),
        (lambda s: s["sections"][0]["questions"][1].update(id="name"), "question id 'name' is used twice"),
        (lambda s: s["sections"][0]["questions"][3].pop("max"), "needs 'min' and 'max'"),
        (lambda s: s["sections"][0]["questions"][5].pop("options"), "needs 'options' or 'scale'"),
        (lambda s: s["sections"][0]["questions"][0].update(colour="red"), "colour: unknown field"),
        (lambda s: s.update(id="Bad Id"), "id: String should match pattern"),
        (lambda s: s.update(sections=[]), "a worksheet needs at least one section"),
    ],
)
def test_bad_specs_get_a_clear_message(tmp_path, change, message):
    spec = yaml.safe_load(yaml.safe_dump(SPEC))
    change(spec)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(spec))
    with pytest.raises(SpecError) as info:
        load_spec_file(path)
    assert str(info.value).startswith("bad.yaml is not a valid worksheet spec")
    assert message in str(info.value)


@pytest.mark.parametrize(
    "text, message",
    [
        ("sections: [unclosed", "is not valid YAML"),
        ("- just\n- a list\n", "top level must be a mapping"),
        ("", "top level"),
    ],
)
def test_unreadable_specs(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(SpecError, match=message):
        load_spec_file(path)


def test_unknown_spec_id_lists_the_known_ones():
    with pytest.raises(SpecError, match="Known specs: .*step2-aar"):
        load_spec("no-such-worksheet")


def test_every_shipped_spec_is_valid_and_renders(tmp_path):
    ids = available_specs()
    assert "step2-aar" in ids
    for spec_id in ids:
        spec = load_spec(spec_id)
        app = WorksheetApp(spec, Workspace.open("render-check", tmp_path))
        assert set(app.fields) == {q.id for q in spec.questions()}


def test_adding_a_question_is_a_spec_edit(tmp_path, monkeypatch):
    folder = tmp_path / "data" / "worksheets"
    folder.mkdir(parents=True)
    spec = yaml.safe_load(yaml.safe_dump(SPEC))
    spec["sections"][0]["questions"].append({"id": "extra", "type": "text", "label": "A brand new question?"})
    (folder / "all_types.yaml").write_text(yaml.safe_dump(spec))
    monkeypatch.setenv("SECTORKIT_DATA", str(tmp_path / "data"))
    app = open_worksheet("all-types", region="riverbend", root=tmp_path / "ws")
    app.fields["extra"].input.value = "answered"
    assert app.workspace.answers("all-types") == {"extra": "answered"}


def test_worksheet_page_shows_a_message_for_a_bad_region(tmp_path, monkeypatch):
    monkeypatch.setenv("SECTORKIT_HOME", str(tmp_path))
    page = worksheet_page("step2-aar", region="../../etc/passwd")
    assert "This worksheet cannot open" in page.value
    assert "is not a valid region id" in page.value
    assert list(tmp_path.iterdir()) == []


def test_worksheet_page_reads_the_region_from_the_query_string(tmp_path, monkeypatch):
    monkeypatch.setenv("SECTORKIT_HOME", str(tmp_path))
    monkeypatch.setenv("QUERY_STRING", "region=lakeside")
    page = worksheet_page("step2-aar")
    assert "lakeside" in page.children[0].value
    monkeypatch.setenv("QUERY_STRING", "region=%3Cscript%3E")
    page = worksheet_page("step2-aar")
    assert "is not a valid region id" in page.value and "<script>" not in page.value


def test_example_region_is_marked_illustrative(tmp_path):
    app = open_worksheet("step2-aar", region="example", root=tmp_path)
    assert app.workspace.illustrative
    assert "Illustrative example region" in app.header.value


def test_concurrent_apps_on_one_workspace_do_not_lose_answers(tmp_path):
    """Two kernels (a Lab notebook and a Voila page) writing the same workspace."""
    a = open_worksheet("step2-aar", region="shared", root=tmp_path)
    b = open_worksheet("step2-aar", region="shared", root=tmp_path)
    a.fields["footprint-description"].input.value = "From Lab"
    b.fields["working-definition"].input.value = "From Voila"
    with sqlite3.connect(a.workspace.path) as conn:
        rows = dict(conn.execute("SELECT question, value FROM answer").fetchall())
    assert rows == {"footprint-description": '"From Lab"', "working-definition": '"From Voila"'}
