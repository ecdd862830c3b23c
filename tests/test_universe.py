"""The Universe of Connections app without a browser, and the Step 1 notebooks run with papermill."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from sectorkit import universe as nw
from sectorkit.apps.universe import UniverseApp
from sectorkit.core.paths import REPO_ROOT
from sectorkit.store.workspace import Workspace

HOSTILE = "<script>alert('x')</script> & <b>Co</b>"


@pytest.fixture
def ws(tmp_path):
    w = Workspace.open("riverbend", tmp_path)
    yield w
    w.close()


def add_org(app, name, kind="partner", system="workforce"):
    app.org_name.value, app.org_kind.value = name, kind
    if kind == "partner":
        app.org_system.value = system
    app.org_add.click()


def add_person(app, name, org_id, csuite=False):
    app.person_name.value, app.person_org.value, app.person_csuite.value = name, org_id, csuite
    app.person_add.click()


def add_tie(app, a, b, strength="knows-well"):
    app.rel_a.value, app.rel_b.value, app.rel_strength.value = a, b, strength
    app.rel_add.click()


def reach_numbers(markup: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r"data-reach='(\w+)'[^>]*>(\d+)<", markup)}


def test_adding_saves_records_and_changes_the_reach_numbers(ws, tmp_path):
    app = UniverseApp(ws)
    assert app.summary == {"businesses": 0, "direct": 0, "within_two": 0, "gaps": 0}
    add_org(app, "County Board")
    add_org(app, "Acme Tools", kind="business")
    add_org(app, "Birch Foods", kind="business")
    assert app.status_text().startswith("Saved at") and "Birch Foods" in app.status_text()
    assert reach_numbers(app.reach_view.value) == {"direct": 0, "within_two": 0, "gaps": 2}
    add_person(app, "Lee Park", "county-board")
    add_person(app, "Dana Ortiz", "acme-tools", csuite=True)
    add_person(app, "Cy Moss", "birch-foods")
    add_tie(app, "lee-park", "dana-ortiz")
    assert app.summary == {"businesses": 2, "direct": 1, "within_two": 1, "gaps": 1}
    add_tie(app, "dana-ortiz", "cy-moss", "acquainted")
    assert reach_numbers(app.reach_view.value) == {"direct": 1, "within_two": 2, "gaps": 0}
    # on disk, as records
    assert set(ws.records("organization")) == {"county-board", "acme-tools", "birch-foods"}
    assert ws.records("person")["dana-ortiz"]["c_suite"] is True
    assert set(ws.records("relationship")) == {"dana-ortiz+lee-park", "cy-moss+dana-ortiz"}
    # the diagram has alt text, the table says it in words
    assert 'alt="Universe of Connections diagram. 2 businesses' in app.diagram_html
    assert "within two steps" in app.table_html
    assert "Lee Park (County Board) via Dana Ortiz to Cy Moss" in app.table_html
    assert app.diagram_out.outputs and "data:image/svg+xml;base64," in app.diagram_out.outputs[0]["data"]["text/html"]
    assert "Possible champions" in app.findings_view.value and "Dana Ortiz" in app.findings_view.value
    # a new app on the same workspace shows everything again
    again = UniverseApp(Workspace.open("riverbend", tmp_path))
    assert again.summary == {"businesses": 2, "direct": 1, "within_two": 2, "gaps": 0}
    assert dict(again.person_pick.options)["Cy Moss (Birch Foods)"] == "cy-moss"
    assert len(again.rel_pick.options) == 2
    # focus view lists the paths through one organization
    again.focus.value = "birch-foods"
    assert "Lee Park (County Board) → Dana Ortiz (Acme Tools) → Cy Moss (Birch Foods)" in again.focus_view.value


def test_bad_input_is_explained_not_saved(ws):
    app = UniverseApp(ws)
    app.org_name.value = "   "
    app.org_add.click()
    assert app.status_text() == "Not saved: name is blank"
    assert "role=\"status\"" in app.status.value and "#9b1c1c" in app.status.value
    app.person_name.value = "Lee"
    app.person_add.click()
    assert app.status_text().startswith("Not saved: add the organization first")
    add_org(app, "County Board")
    add_person(app, "Lee Park", "county-board")
    add_tie(app, "lee-park", "lee-park")
    assert app.status_text() == "Not saved: a relationship needs two different people (both are 'lee-park')"
    app.org_pick.value = "county-board"
    app.org_delete.click()
    assert app.status_text().startswith("Not saved: 'county-board' still has 1 person")
    assert ws.records("relationship") == {}


def test_deletes(ws):
    app = UniverseApp(ws)
    add_org(app, "County Board")
    add_org(app, "Acme", kind="business")
    add_person(app, "Lee", "county-board")
    add_person(app, "Dana", "acme")
    add_tie(app, "lee", "dana")
    assert app.summary["direct"] == 1
    app.rel_pick.value = "dana+lee"
    app.rel_delete.click()
    assert ws.records("relationship") == {} and app.summary["direct"] == 0
    app.person_pick.value = "dana"
    app.person_delete.click()
    app.org_pick.value = "acme"
    app.org_delete.click()
    assert set(ws.records("organization")) == {"county-board"} and app.summary["businesses"] == 0


def test_hostile_text_is_escaped_everywhere(ws):
    app = UniverseApp(ws)
    add_org(app, HOSTILE)
    add_org(app, HOSTILE + " Inc", kind="business")
    oid = nw.slugify(HOSTILE)
    add_person(app, HOSTILE, oid)
    add_person(app, "Dana", nw.slugify(HOSTILE + " Inc"))
    add_tie(app, nw.slugify(HOSTILE), "dana")
    app.focus.value = oid
    app.roster_org.value = oid
    app.roster_role.value = "convener"
    app.roster_notes.value = HOSTILE
    markup = " ".join(w.value for w in (app.status, app.reach_view, app.findings_view, app.table_view, app.focus_view,
                                        app.roster_view, app.header)) + app.diagram_html
    assert "<script>" not in markup and "<b>Co</b>" not in markup
    assert "&lt;script&gt;" in markup
    assert ws.records("roster")[oid]["notes"] == HOSTILE


def test_roster_records_roles_and_convener_criteria(ws, tmp_path):
    app = UniverseApp(ws)
    add_org(app, "Valley Alliance", system="economic-development")
    add_org(app, "Valley College", system="education")
    app.roster_org.value = "valley-alliance"
    assert all(w.disabled for w in app.roster_criteria.values())  # only conveners are rated
    app.roster_role.value = "co-convener"
    assert not any(w.disabled for w in app.roster_criteria.values())
    app.roster_criteria["credibility"].value = "yes"
    app.roster_criteria["capacity"].value = "partly"
    app.roster_criteria["neutrality"].value = "no"
    app.roster_notes.value = "Trusted by plants"
    assert ws.records("roster")["valley-alliance"] == {
        "organization": "valley-alliance", "role": "co-convener", "credibility": "yes", "capacity": "partly",
        "neutrality": "no", "notes": "Trusted by plants"}
    assert "rated No on neutrality" in app.roster_view.value
    assert "Only one co-convener" in app.roster_view.value
    app.roster_org.value = "valley-college"
    assert app.roster_role.value == "" and app.roster_notes.value == ""
    app.roster_role.value = "co-convener"
    assert "Only one co-convener" not in app.roster_view.value
    again = UniverseApp(Workspace.open("riverbend", tmp_path))
    again.roster_org.value = "valley-alliance"
    assert again.roster_role.value == "co-convener" and again.roster_criteria["neutrality"].value == "no"
    assert again.graph.graph["conveners"] == ["valley-alliance", "valley-college"]


def test_upload_and_path_import_show_messages_per_row(ws, tmp_path):
    app = UniverseApp(ws)
    orgs = b"name,kind,system\nCounty Board,partner,workforce\nAcme,business,\n"
    people = b"name,organization\nLee,county-board\nDana,acme\nGhost,nowhere\n"
    app._uploaded({"new": ({"name": "organizations.csv", "content": memoryview(orgs)},
                           {"name": "people.csv", "content": memoryview(people)})})
    assert "people.csv row 4: organization &#x27;nowhere&#x27; is not listed" in app.import_view.value
    assert app.import_messages == ["people.csv row 4: organization 'nowhere' is not listed"]
    assert app.summary["businesses"] == 1 and len(app.universe.people) == 2
    path = tmp_path / "relationships.csv"
    path.write_bytes(b"person_a,person_b,strength\nlee,dana,knows well\nlee,dana,sometimes\n")
    app.import_path.value = str(path)
    app.import_button.click()
    assert app.import_messages == ["relationships.csv row 3: strength 'sometimes' is not one of knows-well, acquainted"]
    assert app.summary["direct"] == 1
    app.export_button.click()
    assert (ws.path.parent / "universe.xlsx").is_file() and "download=" in app.import_view.value


def test_for_region_example_is_illustrative(tmp_path):
    app = UniverseApp.for_region("example", root=tmp_path)
    assert "Illustrative example region." in app.header.value
    assert (tmp_path / "example" / "workspace.sqlite").is_file()
    # a new example workspace starts with the illustrative universe, once
    first = dict(app.workspace.records("organization"))
    assert len(first) >= 10
    nw.delete_relationship(app.workspace, next(iter(app.workspace.records("relationship"))))
    again = UniverseApp.for_region("example", root=tmp_path)
    assert again.workspace.records("organization") == first
    assert len(again.workspace.records("relationship")) == len(nw.example_universe().relationships) - 1


# -- notebooks ----------------------------------------------------------------

def _run(path: Path, tmp_path: Path, monkeypatch, **params):
    monkeypatch.setenv("SECTORKIT_HOME", str(tmp_path / "home"))
    out = tmp_path / path.name
    pm.execute_notebook(str(path), str(out), parameters=params, cwd=str(path.parent), progress_bar=False,
                        kernel_name="python3", log_output=False)
    return nbformat.read(out, as_version=4)


def _outputs(nb, mime):
    return [o["data"][mime] if isinstance(o["data"][mime], str) else json.dumps(o["data"][mime])
            for c in nb.cells for o in c.get("outputs", []) if mime in o.get("data", {})]


def _values(nb):
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    return [m["state"].get("value") for m in state.values() if "value" in m.get("state", {})]


def _errors(nb):
    return [o.get("ename") for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


SEEDED = "Valley alliance <i>with</i> the college"


def test_step1_module_runs_and_shows_the_saved_answers(tmp_path, monkeypatch):
    with Workspace.open("riverbend-team", tmp_path / "home") as w:
        w.save_answers("step1-aar", {"convener-named": SEEDED})
    nb = _run(REPO_ROOT / "modules" / "01_build_the_team.ipynb", tmp_path, monkeypatch, region="riverbend-team")
    assert _errors(nb) == []
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and 'region = "riverbend-team"' in injected[0].source
    html_out = "\n".join(_outputs(nb, "text/html"))
    assert "Illustrative network." in html_out and "workspace <strong>riverbend-team</strong>" in html_out
    assert '<img src="data:image/svg+xml;base64,' in html_out and 'alt="Universe of Connections diagram.' in html_out
    assert "<table" in html_out and "Elm Street Machining" in html_out
    assert _outputs(nb, "application/vnd.jupyter.widget-view+json")
    assert SEEDED in _values(nb)


def test_step1_module_structure():
    nb = nbformat.read(REPO_ROOT / "modules" / "01_build_the_team.ipynb", as_version=4)
    md = [c.source for c in nb.cells if c.cell_type == "markdown"]
    exercises = [s for s in md if s.startswith("### Exercise 1.")]
    answers = [s for s in md if s.startswith("<details>") and "Facilitator's answer (Exercise 1." in s]
    assert len(exercises) == 3 and len(answers) == 3
    assert any("Based on the Next Gen Sector Partnership training toolkit" in s for s in md)
    (params,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert params.source.startswith('region: str = "example"')
    for c in nb.cells:
        assert not c.get("outputs") and not c.get("execution_count")


def test_step1_aar_worksheet_notebook_runs(tmp_path, monkeypatch):
    with Workspace.open("lakeside", tmp_path / "home") as w:
        w.save_answers("step1-aar", {"convener-named": SEEDED})
    monkeypatch.setenv("SECTORKIT_REGION", "lakeside")
    nb = _run(REPO_ROOT / "worksheets" / "step1_aar.ipynb", tmp_path, monkeypatch)
    assert _errors(nb) == []
    assert SEEDED in _values(nb)
    assert any("Step 1 After Action Review" in str(v) for v in _values(nb))


def test_adding_a_namesake_at_another_organization_never_moves_the_first(tmp_path):
    """Two people may share a name; typing the name again at another organization adds a second one."""
    with Workspace.open("namesakes", tmp_path) as w:
        app = UniverseApp(w)
        add_org(app, "Riverbend College")
        add_org(app, "Acme Plastics", kind="business")
        add_person(app, "Maria Garcia", "riverbend-college")
        add_person(app, "Maria Garcia", "acme-plastics")
        people = {p.id: p.organization for p in app.universe.people.values()}
        assert people == {"maria-garcia": "riverbend-college", "maria-garcia-acme-plastics": "acme-plastics"}
        assert "Maria Garcia (Riverbend College) stays where they are" in app.status_text()
        add_person(app, "Maria Garcia", "riverbend-college")  # the same person again: an update, no third one
        assert len(app.universe.people) == 2 and "updated Maria Garcia (Riverbend College)" in app.status_text()
