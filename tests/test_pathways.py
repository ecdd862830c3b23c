"""Module 4: the career pathway map: spec, measures (worked out by hand), diagram, page, report section, notebook.

Every expected number below is counted by hand from the small made-up maps in each test.
"""

from __future__ import annotations

import html
import re

import pytest

from sectorkit.apps.pathways import PathwayMapApp
from sectorkit.core.paths import REPO_ROOT
from sectorkit.example import ensure_example_workspace
from sectorkit.partnership import pathways as P
from sectorkit.reports.sections import pathways as section
from sectorkit.specs import load_spec
from sectorkit.store.workspace import Workspace
from sectorkit.views import pathways as V
from tests.test_notebooks import _errors, _outputs, _run, _widget_states


def words(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def prog(name, inst, level, occ="", **more):
    return {"name": name, "institution": inst, "level": str(level) if level else "", "occupations": occ, **more}


#: Exercise 4.2 of the notebook: 6 programs at 3 institutions, one link across (B -> D).
HEALTH = {
    "a": prog("Health science", "Eastside High", 1),
    "b": prog("Nursing assistant", "Eastside High", 2, "Nursing assistant"),
    "c": prog("Medical assistant certificate", "Lakeview College", 2, "Medical assistant"),
    "d": prog("Practical nursing", "Lakeview College", 3, "Licensed practical nurse"),
    "e": prog("Phlebotomy course", "CareTrain", 2),
    "f": prog("Nursing associate degree", "Lakeview College", 4, "Registered nurse"),
}
HEALTH_LINKS = [{"from": "a", "to": "b", "kind": "stackable"}, {"from": "b", "to": "d", "kind": "articulation"},
                {"from": "c", "to": "d", "kind": "stackable"}, {"from": "d", "to": "f", "kind": "stackable"}]


# -- the spec ------------------------------------------------------------------------------------
def test_the_spec_scales_match_the_domain_constants():
    spec = load_spec(P.PATHWAY_SPEC)
    assert spec.module == "career-pathways" and spec.report.section == "pathways"
    cols = {q.id: {c.id: c for c in q.columns} for q in spec.questions() if q.type == "table"}
    assert set(cols) == {P.PROGRAMS, P.LINKS}
    assert cols[P.LINKS]["from"].type == "row" and cols[P.LINKS]["from"].of == P.PROGRAMS
    assert cols[P.LINKS]["to"].of == P.PROGRAMS and cols[P.PROGRAMS]["organization"].type == "organization"
    scales = {name: [o.value for o in spec.scales[name].options] for name in ("credential-level", "institution-type",
                                                                           "link-kind")}
    assert scales["credential-level"] == [str(lv) for lv in P.LEVELS]  # ordered 1..5
    assert scales["institution-type"] == list(P.INSTITUTION_TYPES)
    assert scales["link-kind"] == list(P.LINK_KINDS)
    assert "not an official Next Gen tool" in spec.attribution


# -- the measures, by hand -----------------------------------------------------------------------
def test_the_exercise_map_measures_match_the_hand_count():
    m = P.build_map(HEALTH, HEALTH_LINKS)
    r = P.analyse(m)
    assert (r.programs, r.institutions) == (6, 3)
    assert r.connected == ("b", "d") and r.share == pytest.approx(2 / 6)
    assert r.dead_ends == ("e",)  # "a" has no occupation but leads on; "f" leads to a job
    assert r.missing_levels == (5,)
    assert r.islands == (("e",),)  # a-b-c-d-f spans two institutions
    assert r.cycles == () and r.problems == ()
    assert r.verdict.startswith("Between programs and a system")
    assert "6 programs at 3 institutions; 2 (33%) are linked to a program of another institution." in r.sentences
    assert "Dead ends (1): 'Phlebotomy course' leads to no next step and no occupation in the sector." in r.sentences


def test_islands_are_groups_within_one_institution_and_none_when_there_is_one_institution():
    m = P.build_map({"a": prog("A", "X", 1), "b": prog("B", "X", 2), "c": prog("C", "Y", 2), "d": prog("D", "Y", 3),
                     "e": prog("E", "X", 3)},
                    [{"from": "a", "to": "b"}, {"from": "c", "to": "d"}, {"from": "d", "to": "e"}])
    assert P.islands(m) == (("a", "b"),)  # c-d-e mixes Y and X
    assert P.connected_across(m) == ("d", "e")
    one = P.build_map({"a": prog("A", "X", 1), "b": prog("B", " x ", 2)}, [])  # case and spaces do not count
    assert len(one.institutions) == 1 and P.islands(one) == ()
    assert P.summary(one)[0].startswith("Programs at one institution")


def test_a_universe_organization_and_its_typed_name_count_as_one_institution():
    orgs = {"valley-cc": {"name": "Valley Community College"}}
    m = P.build_map({"a": {"name": "A", "organization": "valley-cc", "level": "2"},
                     "b": {"name": "B", "institution": "valley community college", "level": "4"},
                     "c": {"name": "C", "level": "5"}}, [{"from": "a", "to": "b"}], orgs)
    assert m.programs["a"].institution == "Valley Community College"
    assert m.programs["a"].institution_key == m.programs["b"].institution_key == "org:valley-cc"
    assert m.programs["c"].institution == "(institution not given)" and len(m.institutions) == 2
    assert P.missing_levels(m) == (1, 3)


def test_a_system_verdict_needs_connections_written_links_and_no_dead_end():
    programs = {"a": prog("A", "High", 1, entry=True), "b": prog("B", "College", 2, "Welder"),
                "c": prog("C", "University", 5, "Engineer", **{"work-based": "yes"})}
    links = [{"from": "a", "to": "b", "kind": "dual-enrollment", "written": True},
             {"from": "b", "to": "c", "kind": "articulation", "written": False}]
    verdict, sentences = P.summary(P.build_map(programs, links))
    assert verdict.startswith("A system taking shape")
    assert "Of 2 links across institutions, 1 is a stackable, articulation or dual-enrollment link written down; " \
           "credits transfer reliably only where it is." in sentences
    assert "1 of 3 programs offer work-based learning; 1 is an entry point." in sentences
    apart = P.build_map({k: prog(k.upper(), k, 1, "Job") for k in "abcde"}, [{"from": "a", "to": "b"}])
    assert P.analyse(apart).share == pytest.approx(2 / 5) and P.summary(apart)[0].startswith("Between")
    edge = P.build_map({k: prog(k.upper(), k, 1, "Job") for k in "abcdefgh"}, [{"from": "a", "to": "b"}])
    assert P.analyse(edge).share == pytest.approx(0.25) and P.summary(edge)[0].startswith("Between")  # 2 of 8
    alone = P.build_map({k: prog(k.upper(), k, 1, "Job") for k in "abcdefghi"}, [{"from": "a", "to": "b"}])
    assert P.summary(alone)[0].startswith("Mostly separate programs")  # 2 of 9, under a quarter


def test_a_cycle_is_named_and_nothing_is_dropped():
    m = P.build_map({"a": prog("Welding I", "X", 1), "b": prog("Welding II", "Y", 2, "Welder"),
                     "c": prog("Welding III", "Z", 3, "Welder"), "d": prog("Loop", "Z", 2, "Welder")},
                    [{"from": "a", "to": "b"}, {"from": "b", "to": "c"}, {"from": "c", "to": "a"},
                     {"from": "d", "to": "d"}])
    r = P.analyse(m)
    assert r.cycles == (("a", "b", "c", "a"), ("d", "d"))
    assert r.problems[0] == ("A pathway goes round in a circle: Welding I \u2192 Welding II \u2192 Welding III \u2192 "
                             "Welding I. The links are kept and drawn; check which way each one should run (a link "
                             "goes from the program people finish to the one they go on to).")
    assert r.problems[1] == "'Loop' is linked to itself. The link is kept; check its 'to' program."
    assert len(m.links) == 4 and m.graph.number_of_edges() == 4
    assert "<img" in V.pathways_html(m) and "2 circles of links." in V.pathway_alt_text(m)


def test_a_link_to_a_deleted_program_is_kept_in_the_worksheet_and_named(ws):
    ids = ws.save_rows(P.PATHWAY_SPEC, P.PROGRAMS, [prog("CTE welding", "North High", 1),
                                                    prog("Welding certificate", "Valley College", 2, "Welder")])
    ws.save_rows(P.PATHWAY_SPEC, P.LINKS, [{"from": ids[0], "to": ids[1], "kind": "stackable"},
                                           {"from": ids[0], "kind": "referral"}])
    ws.delete_row(P.PATHWAY_SPEC, P.PROGRAMS, ids[1])
    m = P.read_map(ws)
    assert m.links == [] and len(ws.rows(P.PATHWAY_SPEC, P.LINKS)) == 2  # nothing lost
    assert m.problems == [
        "Links row 1 leads to a program that was deleted (from 'CTE welding'). The row is kept in the worksheet and "
        "left off the map until you pick the program again.",
        "Links row 2 has no to program yet; it is kept and left off the map until both ends are chosen."]
    page = PathwayMapApp(ws)
    assert "leads to a program that was deleted (from &#x27;CTE welding&#x27;)" in page.panel.value
    assert P.dead_ends(m) == (ids[0],)  # with its next step gone, the CTE course leads nowhere


def test_a_program_with_no_level_is_drawn_in_its_own_column_and_named():
    m = P.build_map({"a": prog("A", "X", None, "Job"), "b": prog("B", "Y", 3, "Job")}, [{"from": "a", "to": "b"}])
    assert m.problems == ["Programs row 1 ('A') has no credential level; it is drawn in a column of its own."]
    assert [h for h, _ids in V._columns(m)][-1] == "Level not given"
    assert P.missing_levels(m) == (1, 2, 4, 5)


# -- the diagram ---------------------------------------------------------------------------------
def _inside(fig) -> list[str]:
    """Texts of the figure (headings, title, legends) that reach outside it."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    box = fig.bbox
    out = []
    texts = [t for ax in fig.axes for t in ax.texts] + [fig.axes[0].title]
    texts += [t for leg in fig.legends for t in leg.get_texts()] + [leg.get_title() for leg in fig.legends]
    for t in texts:
        e = t.get_window_extent(r)
        if t.get_text() and (e.x0 < box.x0 - 1 or e.x1 > box.x1 + 1 or e.y0 < box.y0 - 1 or e.y1 > box.y1 + 1):
            out.append(t.get_text())
    return out


def test_labels_fit_their_boxes_and_nothing_is_cut_off_at_the_edge():
    long = "Advanced manufacturing technology with robotics, automation and quality systems, evening track"
    m = P.build_map({"a": prog(long, "A very long institution name for a community and technical college", 1),
                     "b": prog("Pay $5 and $10 <b>", "Y", 5, "Job")}, [{"from": "a", "to": "b", "kind": "stackable"}])
    assert V.label_lines(long) == "Advanced manufacturing\ntechnology with robotic\u2026"
    assert all(len(line) <= V.WRAP for line in V.label_lines(long).split("\n"))
    fig = V.pathway_figure(m)
    assert _inside(fig) == []
    ax = fig.axes[0]
    x0, x1 = ax.get_xlim()
    labels = ax.collections[0]  # the label outlines, one path per line
    for path in labels.get_paths():
        xs = path.vertices[:, 0]
        col = round(xs.mean())
        assert col - V.BOX_W / 2 <= xs.min() and xs.max() <= col + V.BOX_W / 2  # inside its box
        assert x0 < xs.min() and xs.max() < x1
    assert "&lt;b&gt;" in V.programs_table_html(m) and "<b>" not in V.programs_table_html(m)


def test_the_figure_grows_wider_with_more_programs_per_level():
    few = P.build_map({f"p{i}": prog(f"P{i}", "X", 1 + i % 5) for i in range(10)}, [])
    many = P.build_map({f"p{i}": prog(f"P{i}", f"I{i % 20}", 1 + i % 5) for i in range(150)}, [])
    assert len(V._columns(few)) == 5
    assert len(V._columns(many)) == 5 * 3  # 30 programs per level, at most 14 per column
    wide = V.pathway_figure(many)
    assert wide.get_figwidth() == pytest.approx(15 * V.COL_IN)
    assert wide.get_figwidth() > V.pathway_figure(few).get_figwidth()
    assert _inside(wide) == []


def test_text_alternative_and_table_say_what_the_diagram_shows():
    m = P.build_map(HEALTH, HEALTH_LINKS)
    alt = V.pathway_alt_text(m)
    assert alt.startswith("Career pathway map, left to right by credential level: 6 programs at 3 institutions, "
                          "4 links (3 stackable credentials, 1 articulation agreement).")
    assert "Level 2: 3 programs." in alt and "No program at level 5." in alt and "Dead ends: Phlebotomy course." in alt
    table = words(V.programs_table_html(m))
    assert ("2 Nursing assistant Eastside High Nursing assistant Practical nursing (articulation agreement) no no"
            in table)
    page = V.pathways_html(m)
    assert '<img src="data:image/svg+xml;base64,' in page and f'alt="{html.escape(alt, quote=True)}"' in page
    assert V.pathways_html(P.build_map({}, [])).count("No program is on the map yet.") == 1


# -- the page, the example, the report section -------------------------------------------------------
def test_the_page_redraws_when_the_tables_change_not_when_the_discussion_is_typed(ws):
    page = PathwayMapApp(ws)
    assert "No program is on the map yet." in page.panel.value and "<img" not in page.panel.value
    ws.save_rows(P.PATHWAY_SPEC, P.PROGRAMS, [prog("Welding", "North High", 1)])
    page.refresh()
    assert "<img" in page.panel.value
    drawn = page.panel.value
    page.form.fields["advising"].input.value = "Nobody yet."
    assert page.panel.value is drawn
    assert ws.answers(P.PATHWAY_SPEC)["advising"] == "Nobody yet."


def test_the_example_region_map_is_between_programs_and_a_system(tmp_path):
    ws = ensure_example_workspace(tmp_path)
    m = P.read_map(ws)
    r = P.analyse(m)
    assert r.problems == ()  # every link found its programs by name
    assert (r.programs, r.institutions, len(m.links)) == (9, 6, 6)
    assert [m.name(p) for p in r.dead_ends] == ["Forklift and safety short course"]
    assert r.missing_levels == () and len(r.islands) == 2
    assert r.verdict.startswith("Between programs and a system")


def test_the_report_section_shows_the_map_and_the_discussion(tmp_path, monkeypatch):
    ensure_example_workspace(tmp_path).close()
    shown: list[str] = []
    monkeypatch.setattr(section, "show", shown.append)
    section.pathways("example", str(tmp_path))
    page = shown[0]
    assert '<h2 id="pathways-h">Career pathways</h2>' in page
    assert page.count('<img src="data:image/svg+xml') == 1 and 'alt="Career pathway map, left to right' in page
    text = words(page)
    assert "Between programs and a system" in text and "What the team said" in text
    assert "sign the articulation agreement with the university" in text
    with ensure_example_workspace(tmp_path) as ws:
        assert section.status(ws) == ("Career pathway map", True,
                                      "9 program(s) at 6 institution(s); 78% connected across institutions; "
                                      "1 dead end(s)")


def test_the_report_section_says_not_done_for_an_empty_map(home, monkeypatch):
    Workspace.open("blank", home).close()
    shown: list[str] = []
    monkeypatch.setattr(section, "show", shown.append)
    section.pathways("blank", str(home))
    assert "Not done yet:</strong> no program is on the career pathway map yet." in shown[0]
    with Workspace.open("blank", home) as ws:
        assert section.status(ws) == ("Career pathway map", False, "no program mapped yet")


# -- the notebook ---------------------------------------------------------------------------------
def test_module_notebook_runs_with_the_page_and_the_facilitator_notes(tmp_path, monkeypatch):
    with Workspace.open("riverbend-team", tmp_path / "home") as ws:
        ws.save_rows(P.PATHWAY_SPEC, P.PROGRAMS, [HEALTH[k] for k in "abcdef"])
    nb = _run(REPO_ROOT / "modules" / "09_career_pathways.ipynb", tmp_path, monkeypatch, region="riverbend-team")
    assert _errors(nb) == []
    md = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Based on the Next Gen Sector Partnership training toolkit" in md
    assert md.count("<summary>Facilitator's answer") == 3
    assert "**2 of 6 programs, 33 percent**" in md  # Exercise 4.2, matches the hand-count test above
    out = "\n".join(_outputs(nb, "text/html"))
    assert "Facilitator notes" in out and "topic=career-pathways" in out and "region=riverbend-team" in out
    assert len(_outputs(nb, "application/vnd.jupyter.widget-view+json")) == 1
    states = html.unescape(" ".join(str(m["state"].get("value", "")) for m in _widget_states(nb)))
    assert "6 programs at 3 institutions; 0 (0%) are linked to a program of another institution." in states
    assert "Mostly separate programs" in states
