"""The influence map: decision-makers, paths from the Universe of Connections, the grid, the page, the report.

The Universe here is built by hand through the real model and store (not the example), so every
expected sentence is worked out from the relationships below:

    Ana Flores (County Workforce Board, team) --knows well-- Bo Ruiz (Acme Tools)
    Bo Ruiz --acquainted-- Cy Park (Acme Tools, CEO)
    Eve Stone (Valley College, team) --acquainted-- Cy Park
    Ana Flores --knows well-- Eve Stone           (team to team: never a go-between)
    Eve Stone --knows well-- Gus Hale (Birch Foods)
    Gus Hale --knows well-- Hal Moss (Birch Foods) --knows well-- Ida Vo (Zenith Labs)
                                         --knows well-- Jon Ek (Zenith Labs) (4 steps from Eve)
    Zed Cole (Zenith Labs) knows nobody.
"""

from __future__ import annotations

import logging
import re
from datetime import date

import pytest

from sectorkit import universe as nw
from sectorkit.apps import registry
from sectorkit.apps.influence import InfluenceMapApp
from sectorkit.reports.sections import influence as section
from sectorkit.store.workspace import Workspace
from sectorkit.universe import influence as inf
from sectorkit.views.influence import draw_influence_map, influence_alt_text, influence_table_html

HOSTILE = "<script>alert('x')</script> & <b>co</b>"

ORGS = [
    ("County Workforce Board", "partner", "workforce"),
    ("Valley College", "partner", "education"),
    ("Acme Tools", "business", ""),
    ("Birch Foods", "business", ""),
    ("Zenith Labs", "business", ""),
]
PEOPLE = [
    ("Ana Flores", "county-workforce-board", "Business services lead", False),
    ("Eve Stone", "valley-college", "President", True),
    ("Bo Ruiz", "acme-tools", "HR manager", False),
    ("Cy Park", "acme-tools", "CEO", True),
    ("Gus Hale", "birch-foods", "Plant manager", False),
    ("Hal Moss", "birch-foods", "Owner", True),
    ("Ida Vo", "zenith-labs", "Engineer", False),
    ("Jon Ek", "zenith-labs", "CEO", True),
    ("Zed Cole", "zenith-labs", "CFO", True),
]
TIES = [
    ("ana-flores", "bo-ruiz", "knows-well"), ("bo-ruiz", "cy-park", "acquainted"),
    ("eve-stone", "cy-park", "acquainted"), ("ana-flores", "eve-stone", "knows-well"),
    ("eve-stone", "gus-hale", "knows-well"), ("gus-hale", "hal-moss", "knows-well"),
    ("hal-moss", "ida-vo", "knows-well"), ("ida-vo", "jon-ek", "knows-well"),
]


def seed_universe(ws: Workspace) -> nw.Universe:
    for name, kind, system in ORGS:
        nw.save_organization(ws, nw.Organization.create(name=name, kind=kind, system=system))
    u = nw.load_universe(ws)
    for name, org, title, top in PEOPLE:
        nw.save_person(ws, nw.Person.create(name=name, organization=org, title=title, c_suite=top), u)
    u = nw.load_universe(ws)
    for a, b, strength in TIES:
        nw.save_relationship(ws, nw.Relationship.create(a=a, b=b, strength=strength), u)
    return nw.load_universe(ws)


@pytest.fixture
def graph(ws):
    return nw.build_graph(seed_universe(ws))


def dm(name, **kw):
    return inf.DecisionMaker.create(name=name, **kw)


# -- paths in words --------------------------------------------------------------------------
def test_a_business_insider_known_by_the_team_is_reached_directly(graph):
    route = inf.route_for(dm("Bo Ruiz", person="bo-ruiz"), graph)
    assert route.status == "direct"
    assert route.paths == [("ana-flores", "bo-ruiz"), ("eve-stone", "cy-park", "bo-ruiz")]
    assert inf.route_words(route, graph, limit=1) == (
        "Ana Flores (County Workforce Board) knows Bo Ruiz well. (1 more path.)")
    assert inf.route_words(route, graph) == (
        "Ana Flores (County Workforce Board) knows Bo Ruiz well. "
        "Or: Eve Stone (Valley College) is acquainted with Cy Park (Acme Tools); Cy Park is acquainted with Bo Ruiz.")


def test_direct_paths_come_first_and_the_go_between_path_is_listed_after(graph):
    route = inf.route_for(dm("Cy Park", person="cy-park"), graph)
    assert route.status == "direct"
    assert route.paths == [("eve-stone", "cy-park"), ("ana-flores", "bo-ruiz", "cy-park")]
    assert inf.route_words(route, graph) == (
        "Eve Stone (Valley College) is acquainted with Cy Park. "
        "Or: Ana Flores (County Workforce Board) knows Bo Ruiz (Acme Tools) well; Bo Ruiz is acquainted with Cy Park."
    )


def test_a_two_step_path_in_words_and_team_members_are_never_go_betweens(graph):
    route = inf.route_for(dm("Hal Moss", person="hal-moss"), graph)
    assert route.status == "indirect"
    # Ana knows Eve, but Eve is on the team: her own path is the one listed, not Ana -> Eve -> Gus -> Hal
    assert route.paths == [("eve-stone", "gus-hale", "hal-moss")]
    assert inf.route_words(route, graph) == (
        "Eve Stone (Valley College) knows Gus Hale (Birch Foods) well; Gus Hale knows Hal Moss well.")


def test_three_steps_is_the_limit(graph):
    assert inf.route_for(dm("Ida Vo", person="ida-vo"), graph).paths == [
        ("eve-stone", "gus-hale", "hal-moss", "ida-vo")]
    far = inf.route_for(dm("Jon Ek", person="jon-ek", organization="Zenith Labs"), graph)
    assert far.status == "none" and not far.has_path
    # a lead: someone at their organization the team does reach
    assert far.leads == [("eve-stone", "gus-hale", "hal-moss", "ida-vo")]
    assert inf.route_words(far, graph).startswith("No known path: who could find one? Leads at their organization: "
                                                  "Eve Stone (Valley College) knows Gus Hale")


def test_someone_outside_the_universe_has_no_known_path(graph):
    route = inf.route_for(dm("Mayor Pat Lee", organization="City of Riverbend"), graph)
    assert (route.status, route.paths, route.leads) == ("none", [], [])
    assert inf.route_words(route, graph) == "No known path: who could find one?"
    # typed organization that is in the Universe gives leads, by name, any case
    lead = inf.route_for(dm("Dana New", organization="acme TOOLS"), graph)
    assert lead.status == "none"
    assert lead.leads == [("ana-flores", "bo-ruiz"), ("eve-stone", "cy-park")]  # knows well first


def test_a_listed_person_nobody_knows_and_a_team_member(graph):
    assert inf.route_for(dm("Zed Cole", person="zed-cole"), graph).status == "none"
    team = inf.route_for(dm("Eve Stone", person="eve-stone"), graph)
    assert team.status == "team"
    assert inf.route_words(team, graph) == "Eve Stone (Valley College) is on the support team."


def test_shortest_paths_match_networkx_on_a_generated_universe():
    """Oracle: networkx's shortest path from each team member through people outside the team."""
    import networkx as nx

    G = nw.build_graph(nw.random_universe(80, 140, businesses=12, partners=6, seed=2))
    team = set(nw.team_people(G))
    outside = [n for n in G if n not in team]
    checked = 0
    for target in outside[::3]:
        best = None
        for t in team:
            H = G.subgraph([*outside, t])
            if nx.has_path(H, t, target):
                steps = nx.shortest_path_length(H, t, target)
                best = steps if best is None else min(best, steps)
        paths = inf.routes_to(G, target, limit=50)
        expected = best if best is not None and best <= inf.MAX_STEPS else None
        assert (len(paths[0]) - 1 if paths else None) == expected, target
        assert all(len(p) - 1 <= inf.MAX_STEPS and not (set(p[1:]) & team) for p in paths)
        assert all(G.has_edge(a, b) for p in paths for a, b in zip(p, p[1:]))
        checked += bool(paths)
    assert checked >= 5


# -- the entry, its checks and its storage --------------------------------------------------
def test_entries_are_validated_and_typed():
    with pytest.raises(inf.InfluenceError, match="has no name"):
        dm("   ", role="Mayor")
    with pytest.raises(inf.InfluenceError, match="'Due date' is not a date: '2027-02-30'"):
        dm("Pat", due="2027-02-30")
    with pytest.raises(inf.InfluenceError, match="influence 'huge' is not one of low, medium, high"):
        dm("Pat", influence="huge")
    entry = dm("  Pat   Lee ", influence="HIGH", due="3/5/2027", next_move=" Call her\n  about the launch ")
    assert (entry.name, entry.influence, entry.due, entry.next_move) == ("Pat Lee", "high", "2027-03-05",
                                                                         "Call her\nabout the launch")


def test_records_round_trip_and_ids_stay_unique(ws):
    first = dm("Pat Lee", id=inf.new_id("Pat Lee", []), organization=HOSTILE, influence="high", interest="low",
               person="", next_move="Lunch", owner="Ana Flores", due="2027-01-15")
    inf.save_decision_maker(ws, first)
    second_id = inf.new_id("Pat Lee", inf.load_decision_makers(ws))
    assert second_id == "pat-lee-2"
    assert inf.load_decision_makers(ws) == {"pat-lee": first}
    assert ws.records(inf.KIND)["pat-lee"]["due"] == "2027-01-15"


def test_flags_say_what_needs_attention():
    today = date(2027, 2, 1)
    late = dm("Pat", influence="high", next_move="Call", due="2027-01-31")
    assert inf.flags(late, inf.Route("none"), today) == [
        "the next move has no owner", "the next move was due 2027-01-31", "high influence and no known path"]
    fine = dm("Pat", influence="high", next_move="Call", owner="Ana", due="2027-02-01")
    assert inf.flags(fine, inf.Route("direct", [("a", "b")]), today) == []
    assert inf.flags(dm("Lee", owner="Ana")) == ["an owner but no next move"]


# -- the grid --------------------------------------------------------------------------------
GRID = [("Pat", "high", "low", "none"), ("Ann", "high", "high", "direct"), ("Kim", "high", "high", "indirect"),
        ("Lou", "low", "medium", "team"), ("Max", "medium", "high", "none")]


def grid_entries():
    dms = [dm(n, influence=a, interest=b) for n, a, b, _ in GRID]
    routes = {d.id: inf.Route(s, [("x",)] if s != "none" else []) for d, (_, _, _, s) in zip(dms, GRID)}
    return dms, routes


def test_grid_cells_and_numbering():
    dms, routes = grid_entries()
    cells = inf.grid_cells(dms)
    assert [d.name for d in cells[("high", "high")]] == ["Ann", "Kim"]
    assert [d.name for d in cells[("high", "low")]] == ["Pat"]
    assert [d.name for d in cells[("low", "medium")]] == ["Lou"]
    assert sum(len(v) for v in cells.values()) == 5 and len(cells) == 9
    assert [d.name for d in inf.ordered(dms)] == ["Ann", "Kim", "Pat", "Max", "Lou"]
    assert inf.summary(dms, routes) == {"decision_makers": 5, "team": 1, "direct": 1, "indirect": 1, "none": 2,
                                        "owned_moves": 0}


def test_the_diagram_puts_each_name_in_its_cell():
    dms, routes = grid_entries()
    fig = draw_influence_map(dms, routes, title="Grid")
    ax = fig.axes[0]
    placed = {t.get_text(): t.get_position() for t in ax.texts if ". " in t.get_text()}
    assert set(placed) == {"1. Ann", "2. Kim", "3. Pat", "4. Max", "5. Lou"}
    # the three rows, bottom to top: low, medium, high; each 4 lines here (room for 3 names, and a heading)
    low_top, medium_top = 4, 8
    assert placed["5. Lou"][1] < low_top and 1 <= placed["5. Lou"][0] < 2  # low influence, medium interest
    assert low_top < placed["4. Max"][1] < medium_top and placed["4. Max"][0] >= 2  # medium, high
    assert placed["3. Pat"][1] > medium_top and placed["3. Pat"][0] < 1  # high, low
    assert placed["1. Ann"][0] >= 2 and placed["1. Ann"][1] > placed["2. Kim"][1] > medium_top  # high, high
    assert ax.get_xlabel().startswith("Interest") and ax.get_ylabel().startswith("Influence")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Low", "Medium", "High"]


def test_the_diagram_stays_readable_with_twenty_in_one_cell(tmp_path):
    dms = [dm(f"Person {i:02d}", organization="Office of the County Commissioners", influence="high",
              interest="high") for i in range(20)]
    fig = draw_influence_map(dms, {}, title="Crowded")
    ax = fig.axes[0]
    names = [t for t in ax.texts if re.match(r"\d+\. ", t.get_text())]
    ys = sorted(t.get_position()[1] for t in names)
    assert len(ys) == 20 and min(b - a for a, b in zip(ys, ys[1:])) >= 1  # one line each, none on top of another
    assert all(len(t.get_text()) <= 35 for t in names) and names[0].get_text().endswith("…")
    assert fig.get_size_inches()[1] > 7  # the figure grew with the crowded row
    fig.savefig(tmp_path / "crowded.png")


def test_the_text_alternative_and_table_say_the_same_facts(graph):
    dms, routes = grid_entries()
    alt = influence_alt_text(dms, routes)
    assert alt.startswith("Influence map: 5 decision-makers on a grid of influence (rows, low to high) by interest "
                          "(columns, low to high); 3 with a known path.")
    assert ("High influence, high interest: 1. Ann (someone on the team knows them); "
            "2. Kim (reached through someone else).") in alt
    assert "Low influence, medium interest: 5. Lou (on the support team)." in alt
    hostile = dm(HOSTILE, next_move=HOSTILE)
    table = influence_table_html([hostile], {hostile.id: inf.Route("none")}, graph)
    assert "<script>" not in table and "<b>co</b>" not in table and "&lt;script&gt;" in table
    assert "No known path: who could find one?" in table and "the next move has no owner" in table


# -- the page, driven without a browser ----------------------------------------------------
def fill(app, **values):
    for key, value in values.items():
        getattr(app, key).value = value


def test_add_edit_reload_and_delete(ws, graph):
    app = InfluenceMapApp(ws)
    assert app.summary_view.value.count("data-influence") == 4
    app.person.value = "cy-park"  # from the Universe: fills the blanks and shows who can reach them
    assert (app.name.value, app.organization.value, app.role.value) == ("Cy Park", "Acme Tools", "CEO")
    assert "Eve Stone (Valley College) is acquainted with Cy Park." in app.route_view.value
    fill(app, influence="high", interest="medium", next_move="Invite to co-chair", owner="Eve Stone",
         due="4/1/2027")
    assert "Eve Stone" in app.owner.options  # the team is suggested as owners
    app.save_button.click()
    assert app.status_text().startswith("Saved at") and app.status_text().endswith("Cy Park.")
    saved = ws.records(inf.KIND)
    assert list(saved) == ["cy-park"] and saved["cy-park"]["due"] == "2027-04-01"
    assert saved["cy-park"]["person"] == "cy-park" and app.pick.value == "cy-park"

    # edit: the same entry, renamed; the id stays
    fill(app, name="Cy Park Jr", interest="high")
    app.save_button.click()
    assert list(ws.records(inf.KIND)) == ["cy-park"] and ws.records(inf.KIND)["cy-park"]["name"] == "Cy Park Jr"

    # someone outside the Universe
    app.new_button.click()
    assert app.name.value == "" and app.pick.value == ""
    fill(app, name="Mayor Pat Lee", organization="City of Riverbend", influence="high", interest="low")
    assert "No known path: who could find one?" in app.route_view.value
    app.save_button.click()
    assert set(ws.records(inf.KIND)) == {"cy-park", "mayor-pat-lee"}

    # reload: a new page on the same workspace shows both, in the list, the map and the table
    again = InfluenceMapApp(ws)
    labels = [label for label, _ in again.pick.options]
    assert labels == ["A new decision-maker", "1. Cy Park Jr (CEO, Acme Tools)", "2. Mayor Pat Lee (City of Riverbend)"]
    assert "High influence, high interest: 1. Cy Park Jr (someone on the team knows them)" in again.diagram_html
    assert "No known path: who could find one?" in again.table_html
    again.pick.value = "cy-park"
    assert (again.next_move.value, again.owner.value, again.due.value) == ("Invite to co-chair", "Eve Stone",
                                                                           "2027-04-01")
    again.delete_button.click()
    assert list(ws.records(inf.KIND)) == ["mayor-pat-lee"] and again.status_text().endswith("deleted Cy Park Jr.")


def test_bad_input_is_a_message_and_nothing_typed_is_lost(ws, graph):
    app = InfluenceMapApp(ws)
    parts = list(app.container.children)
    assert parts.index(app.status) == parts.index(app.delete_button) + 1  # the message is where Save was pressed
    fill(app, role="County commissioner", next_move="Brief her on the launch")
    app.save_button.click()
    assert app.status_is_error and app.status_text().startswith("Not saved: the decision-maker has no name")
    assert (app.role.value, app.next_move.value) == ("County commissioner", "Brief her on the launch")
    fill(app, name="Rita Diaz", due="next Tuesday")
    app.save_button.click()
    assert app.status_text() == ("Not saved: 'Due date' is not a date: 'next Tuesday' "
                                 "(type yyyy-mm-dd or m/d/yyyy, for example 2026-03-31)")
    assert ws.records(inf.KIND) == {} and app.due.value == "next Tuesday" and app.name.value == "Rita Diaz"
    # a next move with no owner: saved (nothing lost) and said plainly, in the error colour
    app.due.value = "2027-05-01"
    app.save_button.click()
    assert app.status_text().endswith("Rita Diaz; but the next move has no owner: choose who on the team takes it.")
    assert app.status_is_error and ws.records(inf.KIND)["rita-diaz"]["owner"] == ""
    assert "the next move has no owner" in app.table_html
    app.new_button.click()
    app.delete_button.click()
    assert app.status_text() == "Not saved: pick a saved decision-maker to delete first"


def test_an_unexpected_failure_becomes_a_message(ws, graph, monkeypatch, caplog):
    app = InfluenceMapApp(ws)
    fill(app, name="Pat Lee", next_move="Call", owner="Ana Flores")

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(inf, "save_decision_maker", broken)
    with caplog.at_level(logging.ERROR, logger="sectorkit"):
        app.save_button.click()
    assert app.status_text() == ("Something went wrong while saving the decision-maker: RuntimeError: disk on fire. "
                                 "What you typed is still on the page.")
    assert any(r.exc_info for r in caplog.records if r.name == "sectorkit")
    assert (app.name.value, app.next_move.value) == ("Pat Lee", "Call")
    monkeypatch.undo()
    app.save_button.click()
    assert app.status_text().startswith("Saved at") and "pat-lee" in ws.records(inf.KIND)


def test_user_text_is_escaped_on_the_page(ws, graph):
    app = InfluenceMapApp(ws)
    fill(app, name=HOSTILE, organization=HOSTILE, next_move=HOSTILE, owner=HOSTILE)
    app.save_button.click()
    for markup in (app.table_html, app.diagram_html, app.route_view.value, app.summary_view.value):
        assert "<script>" not in markup and "<b>co</b>" not in markup


def test_the_page_is_registered_and_opens_for_a_region(home):
    assert "influence-map" in registry.custom_page_ids()
    assert registry.page_title("influence-map").startswith("Influence map")
    page = registry.open_page("influence-map", "riverbend", root=home)
    assert isinstance(page, InfluenceMapApp) and page.container is not None
    assert "sectorkit.apps.influence" in registry.page_modules()


# -- the report section ----------------------------------------------------------------------
def test_report_section_picks_decision_makers_by_record_kind(home, monkeypatch):
    with Workspace.open("riverbend", home) as ws:
        seed_universe(ws)
        shown: list[str] = []
        monkeypatch.setattr(section, "show", shown.append)
        section.influence("riverbend", str(home))
        assert "Not done yet" in shown[-1] and section.status(ws)[1] is False
        inf.save_decision_maker(ws, dm("Cy Park", person="cy-park", influence="high", next_move="Call",
                                       owner="Eve Stone"))
        inf.save_decision_maker(ws, dm(HOSTILE, influence="high"))
        ws.put_record("not_a_decision_maker", "x", {"name": "Nobody Here"})
        assert section.status(ws) == ("Influence map", True,
                                      "2 decision-makers, 1 with a known path, 1 next moves with an owner")
    section.influence("riverbend", str(home))
    out = shown[-1]
    assert 'id="influence"' in out and "Eve Stone (Valley College) is acquainted with Cy Park." in out
    assert "High influence, no known path yet:" in out and "Nobody Here" not in out
    assert "<script>" not in out and "&lt;script&gt;" in out and "<img" in out and 'alt="Influence map: 2' in out
