"""The frontline map (Module 3): measures worked by hand, bad rows kept and named, the page, the
diagram (nothing outside the picture), the report section, the example region and the module notebook."""

from __future__ import annotations

import html
import re

import pytest

from sectorkit.apps import registry
from sectorkit.apps.frontline import FrontlineMapApp
from sectorkit.core.paths import REPO_ROOT
from sectorkit.example import ensure_example_workspace
from sectorkit.partnership import frontline as F
from sectorkit.reports.sections import frontline as section
from sectorkit.specs import load_spec
from sectorkit.store.workspace import Workspace
from sectorkit.views import frontline as V
from tests.test_notebooks import _errors, _outputs, _run, _widget_states

SPEC = F.FRONTLINE_SPEC


def words(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


# -- a small made-up map, worked by hand ----------------------------------------------------------
#   the partnership -> A (job center) -> B (youth works) -> C (school)
#   D (job center) -> E (college): a chain the partnership never starts; F (no organization): nobody
ROLES = [
    ("A", {"role": "Career adviser", "organization-name": "Job center", "populations": "Adults, youth"}),
    ("B", {"role": "Youth counselor", "organization-name": "Youth works", "populations": "young adults; reentry"}),
    ("C", {"role": "School counselor", "organization-name": "High school", "populations": "CTE students"}),
    ("D", {"role": "Veterans rep", "organization-name": "Job center", "populations": "adults"}),
    ("E", {"role": "Navigator", "organization-name": "College", "populations": "college students, foster youth"}),
    ("F", {"role": "Coach", "populations": "foster youth"}),
]
PATHS = [
    ("p1", {"source": "partnership", "to-role": "A", "how-often": "monthly"}),
    ("p2", {"source": "role", "from-role": "A", "to-role": "B"}),
    ("p3", {"source": "role", "from-role": "B", "to-role": "C"}),
    ("p4", {"source": "role", "from-role": "A", "to-role": "C"}),  # a second, longer way changes nothing
    ("p5", {"source": "role", "from-role": "D", "to-role": "E"}),
]
LINKS = [
    ("l1", {"from-role": "A", "to-role": "D", "kind": "overlap"}),  # same organization, but said to overlap
    ("l2", {"from-role": "B", "to-role": "A", "kind": "referral"}),
]


def small_map() -> F.FrontlineMap:
    return F.frontline_from_rows(ROLES, LINKS, PATHS, targets=["youth", "veterans", "reentry", "adults"])


def test_whom_they_serve_is_read_by_value_label_or_common_word_and_other_groups_are_kept():
    assert F.parse_populations("Youth and young adults, VETERANS; people with disabilities") == \
        (("youth", "veterans", "disabilities"), ())
    assert F.parse_populations("adult jobseekers / Dislocated workers\nfoster youth.") == \
        (("adults", "dislocated"), ("foster youth",))
    assert F.parse_populations("youth, Youth, young people") == (("youth",), ())  # once each
    assert F.parse_populations(None) == ((), ())


def test_reach_steps_and_unreached_roles_worked_by_hand():
    fm = small_map()
    assert fm.problems == []
    a = F.analyse(fm)
    assert a.steps == {"A": 1, "B": 2, "C": 2}  # C is told by A directly as well as through B
    assert [r.id for r in a.unreached] == ["D", "E", "F"]
    g = F.demand_graph(fm)
    assert g.number_of_nodes() == 7 and g.number_of_edges() == 5


def test_unserved_groups_and_overlaps_worked_by_hand():
    fm = small_map()
    a = F.analyse(fm)
    assert a.unserved == ["veterans"]  # youth (A, B), reentry (B), adults (A, D) are served
    assert a.served_by["youth"] == ["A", "B"] and a.served_by["foster youth"] == ["E", "F"]
    found = [(o.a, o.b, o.populations, o.linked_as_overlap, o.connected) for o in a.overlaps]
    assert found == [
        ("A", "B", ("youth",), False, True),  # different organizations, a referral joins them
        ("A", "D", (), True, True),  # same organization: an overlap only because the link says so
        ("E", "F", ("foster youth",), False, False),  # F has no organization: counted, and not connected
    ]


def test_a_row_naming_a_deleted_role_is_kept_and_named_never_raised(tmp_path):
    with Workspace.open("riverbend", tmp_path) as ws:
        a, b = ws.save_rows(SPEC, F.ROLES, [{"role": "Career adviser"}, {"role": "Youth counselor"}])
        ws.save_rows(SPEC, F.LINKS, [{"from-role": a, "to-role": b, "kind": "referral"}])
        ws.save_rows(SPEC, F.PATHS, [{"source": "partnership", "to-role": a},
                                     {"source": "role", "from-role": a, "to-role": b}])
        assert ws.delete_row(SPEC, F.ROLES, b)
        fm = F.read_frontline(ws)
        assert [r.name for r in fm.roles] == ["Career adviser"] and fm.links == [] and len(fm.paths) == 1
        assert fm.problems == [
            "Link row 1 names a role that was deleted; the row is kept but left out of the map (pick the role "
            "again or delete it).",
            "Demand path row 2 names a role that was deleted; the row is kept but left out of the map (pick the "
            "role again or delete it).",
        ]
        assert len(ws.rows(SPEC, F.LINKS)) == 1 and len(ws.rows(SPEC, F.PATHS)) == 2  # nothing lost
        page = FrontlineMapApp(ws)
        assert "Link row 1 names a role that was deleted" in words(page.panel.value)
        assert "Something went wrong" not in page.status_text()


def test_other_bad_rows_are_named():
    fm = F.frontline_from_rows(
        [("A", {"role": "Adviser"}), ("X", {"what": "no name"}), ("Z", {"role": "Coach", "organization": "gone"})],
        links=[("l", {"from-role": "A", "to-role": "A", "kind": "overlap"}), ("m", {"to-role": "A"})],
        paths=[("p", {"to-role": "A"}), ("q", {"source": "role", "to-role": "A"}),
               ("r", {"source": "role", "from-role": "A", "to-role": "A"}), ("s", {})],
        org_names={})
    assert fm.problems == [
        "Role row 2 has no role name; it is left out of the map until it has one.",
        "Role row 3 (Coach) names an organization that is no longer in the Universe of Connections (gone); pick it "
        "again or type its name.",
        "Link row 1 links Adviser to itself; it is left out of the map.",
        "Link row 2 has no role; the row is kept but left out of the map.",
        "Demand path row 1 has no source (the partnership or a role); it is left out.",
        "Demand path row 2 has no role it comes from; the row is kept but left out of the map.",
        "Demand path row 3 goes from a role to itself; it is left out of the map.",
    ]
    assert [r.organization for r in fm.roles] == ["", "gone"]


def test_the_spec_and_the_module_agree():
    spec = load_spec(SPEC)
    assert spec.module == "frontline" and spec.report.section == "frontline"
    assert F.resolve_role_columns() == ["role", "organization", "organization-name", "populations", "what"]
    assert [c.id for c in spec.question(F.LINKS).columns][:3] == ["from-role", "to-role", "kind"]
    assert {o.value for o in spec.options_for(spec.question(F.LINKS).columns[2])} == set(F.LINK_KINDS)
    assert registry.page_place(SPEC) == ("frontline", 20)
    assert "Next Gen Sector Partnership training toolkit" in spec.attribution and "not an official" in spec.attribution


def test_exercise_8_1_of_the_module_is_answered_by_the_measures():
    roles = [("adv", "Career adviser", "Job center", "adults"),
             ("yc", "Youth counselor", "Youth program", "young adults"),
             ("sc", "School counselor", "High school", "CTE students, young adults"),
             ("nav", "College navigator", "Community college", "college students, adults"),
             ("cte", "CTE teacher", "High school", "CTE students"),
             ("vr", "Vocational rehabilitation counselor", "State VR office", "people with disabilities")]
    paths = [("partnership", "adv"), ("adv", "yc"), ("yc", "sc"), ("nav", "cte")]
    fm = F.frontline_from_rows(
        [(k, {"role": n, "organization-name": o, "populations": p}) for k, n, o, p in roles],
        paths=[(f"p{i}", ({"source": "partnership"} if a == "partnership" else {"source": "role", "from-role": a})
                | {"to-role": b}) for i, (a, b) in enumerate(paths)],
        targets=["youth", "adults", "disabilities", "veterans"])
    a = F.analyse(fm)
    assert fm.problems == []
    assert a.steps == {"adv": 1, "yc": 2, "sc": 3}  # (a)
    assert [r.id for r in a.unreached] == ["nav", "cte", "vr"]
    assert a.unserved == ["veterans"]  # (b)
    assert [(o.a, o.b, o.connected) for o in a.overlaps] == [("adv", "nav", False), ("yc", "sc", False)]  # (c)
    fm.paths += [F.DemandPath(F.PARTNERSHIP, "nav"), F.DemandPath(F.PARTNERSHIP, "vr")]  # (d)
    assert F.analyse(fm).unreached == []


# -- views ---------------------------------------------------------------------------------------
def test_the_text_alternative_names_every_unreached_role():
    fm = small_map()
    text = V.frontline_alt_text(fm, F.analyse(fm))
    assert text == ("Frontline map: the partnership on the left; 6 frontline roles in 5 organizations to the right, "
                    "by steps from the partnership. 3 roles are reached by demand information: 1 told by the "
                    "partnership directly, 2 through other roles. Not reached (3): Veterans rep (Job center), "
                    "Navigator (College), Coach (Organization not given).")


def test_every_label_of_the_diagram_is_inside_the_picture():
    long_name = "Business services representative who also advises young adults in three counties"
    fm = F.frontline_from_rows([*ROLES, ("G", {"role": long_name, "organization-name": "A very long organization "
                                               "name that goes on and on for a while"})], LINKS, PATHS)
    fig = V.draw_frontline(fm, F.analyse(fm))
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    ax = fig.axes[0]  # its axis is off: the texts drawn are its own, the title and the legend's
    texts = [t for t in [*ax.texts, ax.title, *ax.get_legend().get_texts()] if t.get_text()]
    assert len(texts) > len(fm.roles)
    for t in texts:
        ext = t.get_window_extent(renderer)
        assert ext.x0 >= box.x0 - 1 and ext.x1 <= box.x1 + 1 and ext.y0 >= box.y0 - 1 and ext.y1 <= box.y1 + 1, \
            t.get_text()
    assert fig.axes[0].get_title() == "Frontline map: how demand information reaches frontline roles"
    assert any("…" in t.get_text() for t in texts)  # the long role is shortened in the picture...
    table = V.roles_table_html(fm, F.analyse(fm))
    assert long_name in table  # ...and in full in the table


def test_the_panel_escapes_user_text():
    fm = F.frontline_from_rows([("A", {"role": "<script>alert(1)</script>", "organization-name": "O & <b>",
                                       "populations": "<i>x</i>"})], targets=["youth"])
    markup = V.frontline_html(fm, F.analyse(fm))
    assert "<script>" not in markup and "<i>x" not in markup and "&lt;script&gt;" in markup
    assert "Groups no role serves: Youth and young adults." in words(markup)


# -- the page --------------------------------------------------------------------------------------
def test_the_page_redraws_after_a_save_and_keeps_the_picture_while_only_text_changes(tmp_path):
    with Workspace.open("riverbend", tmp_path) as ws:
        a, b = ws.save_rows(SPEC, F.ROLES, [{"role": "Career adviser", "organization-name": "Job center"},
                                            {"role": "School counselor", "organization-name": "High school"}])
        ws.save_rows(SPEC, F.PATHS, [{"source": "partnership", "to-role": a}])
        page = FrontlineMapApp(ws)
        text = words(page.panel.value)
        assert "1 role of 2 no demand information reaches: School counselor (High school)." in text
        picture = page._figure
        ws.save_row(SPEC, F.ROLES, a, {"role": "Career adviser", "organization-name": "Job center",
                                       "what": "Advises adults"})
        page.refresh()
        assert page._figure is picture and "Advises adults" in page.panel.value
        ws.save_rows(SPEC, F.PATHS, [{"source": "role", "from-role": a, "to-role": b}])
        page.refresh()
        assert page._figure is not picture
        assert "Demand information reaches every one of the 2 roles." in words(page.panel.value)
        assert '<img src="data:image/svg+xml;base64,' in page.panel.value


def test_an_empty_page_says_what_to_do(tmp_path):
    with Workspace.open("riverbend", tmp_path) as ws:
        page = FrontlineMapApp(ws)
        assert "No frontline role is listed yet" in page.panel.value and "<img" not in page.panel.value


# -- report section and example region ------------------------------------------------------------
def test_the_report_section_shows_the_example_map(home, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(section, "show", shown.append)
    section.frontline("example", str(home))
    page = shown[0]
    assert '<h2 id="frontline-h">The frontline</h2>' in page
    assert len(re.findall(r'<img [^>]*alt="Frontline map: ', page)) == 1
    text = words(page)
    assert "2 roles of 7 no demand information reaches: Veterans' representative (Job Center North), " \
           "Vocational rehabilitation counselor (State vocational rehabilitation office)." in text
    assert "Groups no role serves: English learners." in text
    assert "Our next steps: who will carry demand information to which roles, and how often" in text
    with Workspace.open("example", home, create=False) as ws:
        assert section.status(ws) == ("Frontline map", True, "7 role(s) mapped; demand information reaches 5 of them")


def test_the_report_section_says_not_done_for_an_empty_map(home, monkeypatch):
    Workspace.open("blank", home).close()
    shown: list[str] = []
    monkeypatch.setattr(section, "show", shown.append)
    section.frontline("blank", str(home))
    assert "Not done yet:</strong> no frontline role is in the frontline map yet." in shown[0]


def test_the_example_region_map_has_no_problems(tmp_path):
    fm = F.read_frontline(ensure_example_workspace(tmp_path))
    assert fm.problems == [] and len(fm.roles) == 7 and len(fm.links) == 4 and len(fm.paths) == 5


# -- the module notebook ---------------------------------------------------------------------------
@pytest.mark.notebook
def test_module_notebook_runs_with_the_three_pages(tmp_path, monkeypatch):
    nb = _run(REPO_ROOT / "modules" / "08_frontline.ipynb", tmp_path, monkeypatch, region="example")
    assert _errors(nb) == []
    md = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Based on the Next Gen Sector Partnership training toolkit" in md
    assert md.count("<summary>Facilitator's answer") == 3
    out = "\n".join(_outputs(nb, "text/html"))
    assert "Facilitator notes" in out and "Questions people ask" in out and "topic=frontline" in out
    assert len(_outputs(nb, "application/vnd.jupyter.widget-view+json")) == 3
    shown = " ".join(str(m["state"].get("value", "")) for m in _widget_states(nb) if m["model_name"] == "HTMLModel")
    assert "Frontline map: the partnership on the left; 7 frontline roles in 6 organizations" in html.unescape(shown)


def test_the_frontline_section_shows_the_communication_strategy(tmp_path, monkeypatch):
    from sectorkit.example import ensure_example_workspace
    from sectorkit.reports.sections import frontline as section
    from sectorkit.specs import load_spec
    from sectorkit.store.workspace import Workspace

    ensure_example_workspace(tmp_path).close()
    shown = []
    monkeypatch.setattr(section, "show", shown.append)
    section.frontline("example", str(tmp_path))
    title = load_spec("communication-strategy").title
    assert title.replace("'", "&#x27;") in shown[0] and "Plant tour for counselors and teachers" in shown[0]
    with Workspace.open("empty-one", tmp_path):
        pass
    section.frontline("empty-one", str(tmp_path))
    assert "nothing written yet" in shown[1]
