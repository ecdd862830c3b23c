"""sectorkit.universe: each analysis on small graphs with answers worked out by hand; imports with bad rows."""

from __future__ import annotations

import io

import networkx as nx
import pytest
from openpyxl import Workbook, load_workbook

from sectorkit import universe as nw
from sectorkit.store.workspace import Workspace
from sectorkit.views import universe as nwv


def graph(team: dict[str, tuple[str, str]], insiders: dict[str, str], ties, csuite=(), empty=()) -> nx.Graph:
    """team: person -> (org, system); insiders: person -> business; ties: (a, b[, strength])."""
    G = nx.Graph()
    for p, (org, system) in team.items():
        nw.add_person(G, p, org=org, kind="partner", system=system)
    for p, b in insiders.items():
        nw.add_person(G, p, org=b, kind="business", c_suite=p in csuite)
    for b in empty:
        nw.add_business(G, b)
    for t in ties:
        G.add_edge(t[0], t[1], strength=t[2] if len(t) > 2 else "acquainted")
    return G


# A hand-drawn universe:
#   ana (board, workforce) - b1 (acme) - c1 (birch) ; ana - d1 (delta)
#   eve (college, education) - b1 ; eve - e1 (elm)
#   sam (alliance, econ dev) - x1 (fox) - f1 (fir)   [x1 is at business "fox"]
#   gus (gallery) at "grove" knows nobody; "hollow" has nobody listed
TEAM = {"ana": ("board", "workforce"), "eve": ("college", "education"), "sam": ("alliance", "economic-development")}
INSIDERS = {"b1": "acme", "c1": "birch", "d1": "delta", "e1": "elm", "x1": "fox", "f1": "fir", "gus": "grove"}
TIES = [
    ("ana", "b1", "knows-well"),
    ("b1", "c1"),
    ("ana", "d1"),
    ("eve", "b1"),
    ("eve", "e1", "knows-well"),
    ("sam", "x1"),
    ("x1", "f1"),
]


@pytest.fixture
def G():
    return graph(TEAM, INSIDERS, TIES, csuite={"c1", "d1", "e1", "gus"}, empty={"hollow"})


def test_reach_direct_two_steps_and_gaps(G):
    r = nw.reach(G)
    assert {b: x.steps for b, x in r.items()} == {
        "acme": 1,
        "birch": 2,
        "delta": 1,
        "elm": 1,
        "fox": 1,
        "fir": 2,
        "grove": None,
        "hollow": None,
    }
    assert r["acme"].paths == [("ana", "b1"), ("eve", "b1")]
    assert r["acme"].contacts == ["ana", "eve"]
    assert r["birch"].paths == [("ana", "b1", "c1"), ("eve", "b1", "c1")]
    assert r["fir"].paths == [("sam", "x1", "f1")]
    assert nw.reach_summary(G) == {"businesses": 8, "direct": 4, "within_two": 6, "gaps": 2}
    assert nw.gaps(G) == ["grove", "hollow"]


def test_reach_does_not_count_a_business_through_its_own_people():
    # ana knows b1 at acme; b1 knows b2, also at acme: acme is direct, and nothing is "two steps" to acme
    G = graph({"ana": ("board", "workforce")}, {"b1": "acme", "b2": "acme"}, [("ana", "b1"), ("b1", "b2")])
    assert nw.reach(G)["acme"].paths == [("ana", "b1")]


def test_two_step_reach_through_another_team_member_is_still_direct_for_them():
    G = graph(
        {"ana": ("board", "workforce"), "eve": ("college", "education")},
        {"b1": "acme"},
        [("ana", "eve"), ("eve", "b1")],
    )
    r = nw.reach(G)["acme"]
    assert r.steps == 1 and r.paths == [("eve", "b1")]


def test_single_points_of_failure(G):
    # acme: ana or eve -> none; birch: every path runs through b1; delta: only ana; elm: only eve;
    # fox: only sam (x1 is the insider); fir: sam and x1 both on the only path -> the one nearest fir, x1
    assert nw.single_points_of_failure(G) == {"birch": "b1", "delta": "ana", "elm": "eve", "fir": "x1", "fox": "sam"}


def test_spof_disappears_with_a_second_route(G):
    G.add_edge("sam", "f1")  # fir now direct, but still only through sam
    assert nw.single_points_of_failure(G)["fir"] == "sam"
    G.add_edge("eve", "f1")  # a second team member: no single point left for fir
    spof = nw.single_points_of_failure(G)
    # and fox gains a second route too (eve -> f1 -> x1), so sam is no longer its single point
    assert "fir" not in spof and "fox" not in spof and spof["delta"] == "ana"


def test_brokers_on_a_star_and_a_path():
    star = nx.star_graph(4)  # centre 0 lies on every shortest path between leaves
    assert nw.brokers(star) == [(0, 1.0)]
    # path a-b-c-d-e: betweenness of c = 4 pairs / 6 = 0.6667 ... b and d = 3/6 = 0.5
    path = nx.path_graph(["a", "b", "c", "d", "e"])
    assert nw.brokers(path, top=2) == [("c", 0.6667), ("b", 0.5)]
    assert nw.brokers(nx.complete_graph(4)) == []


def test_system_spread(G):
    s = nw.system_spread(G)
    # team-business ties: ana-b1, ana-d1 (workforce 2), eve-b1, eve-e1 (education 2), sam-x1 (econ dev 1)
    assert s.ties_by_system == {"workforce": 2, "education": 2, "economic-development": 1}
    assert s.ties_by_org == {"board": 2, "college": 2, "alliance": 1}
    assert s.businesses_by_system == {"workforce": 2, "education": 2, "economic-development": 1}
    assert (s.top_org, s.top_share, s.concentrated) == ("board", 0.4, False)


def test_system_spread_flags_one_organization_holding_most_ties():
    G = graph(
        {"ana": ("board", "workforce"), "al": ("board", "workforce"), "eve": ("college", "education")},
        {"b1": "a", "b2": "b", "b3": "c", "b4": "d"},
        [("ana", "b1"), ("ana", "b2"), ("al", "b3"), ("eve", "b4")],
    )
    s = nw.system_spread(G)
    assert (s.top_org, s.top_share, s.concentrated) == ("board", 0.75, True)
    assert nw.system_spread(nx.Graph()).concentrated is False


def test_champion_candidates(G):
    got = [(c.person, c.business, c.steps, c.knows_well, c.team_ties, c.via) for c in nw.champion_candidates(G)]
    # e1 known well by eve (direct); d1 acquainted with ana (direct); c1 via b1 (two steps); gus unreachable
    assert got == [("e1", "elm", 1, 1, 1, []), ("d1", "delta", 1, 0, 1, []), ("c1", "birch", 2, 0, 0, ["b1"])]


def test_paths_for_a_partner_and_a_business(G):
    assert nw.paths_for(G, "college") == [("eve", "b1"), ("eve", "b1", "c1"), ("eve", "e1")]
    assert nw.paths_for(G, "fir") == [("sam", "x1", "f1")]
    assert nw.paths_for(G, "hollow") == []


def test_connections_table_says_the_same_as_the_analysis(G):
    df = nwv.connections_table(G)
    assert list(df["business"]) == ["acme", "delta", "elm", "fox", "birch", "fir", "grove", "hollow"]
    row = df.set_index("business").loc["birch"]
    assert row["reached"] == "within two steps" and row["single point of failure"] == "b1"
    assert "ana (board) via b1 to c1" in row["through whom"]
    assert df.set_index("business").loc["acme", "systems"] == "Workforce development, Education"


def test_diagram_and_alt_text(G):
    fig = nwv.draw_universe(G, title="Hand-drawn")
    ax = fig.axes[0]
    assert ax.get_title() == "Hand-drawn"
    texts = {t.get_text() for t in ax.texts}
    assert {"acme", "hollow", "board"} <= texts  # small universe: everything labelled
    legend = {t.get_text() for t in fig.legends[0].get_texts()}
    assert "Convener or co-convener" in legend and "Education" in legend
    alt = nwv.diagram_alt_text(G)
    assert "8 businesses" in alt and "4 businesses directly and 6 within two steps" in alt
    assert "2 are not reached: grove, hollow" in alt


def test_diagram_names_wrap_to_two_lines_before_they_are_cut():
    G = nw.build_graph(nw.example_universe())
    texts = {t.get_text() for t in nwv.draw_universe(G).axes[0].texts}
    assert "Tri-County Workforce\nBoard" in texts and "Riverside School\nDistrict" in texts
    assert not [t for t in texts if t.endswith("…")]  # every example name is shown whole
    assert nwv._node_label("Apex Precision") == "Apex Precision"
    assert (
        nwv._node_label("Tri-County Workforce Board of the Upper River Valley")
        == "Tri-County Workforce\nBoard of the Upper…"
    )
    assert nwv._node_label("Tri-County Workforce Board", lines=1) == "Tri-County Workforce Bo…"


def test_diagram_labels_only_the_important_nodes_when_large():
    u = nw.random_universe(160, 230, businesses=42, partners=22, seed=3)
    G = nw.build_graph(u)
    fig = nwv.draw_universe(G)
    labels = [t for t in fig.axes[0].texts if t.get_text().startswith(("Partner", "Business"))]
    assert 64 == len(G.graph["organizations"])
    assert 20 <= len(labels) <= 50
    assert {"Partner 00", "Partner 01"} <= {t.get_text() for t in labels}  # conveners always labelled


def test_model_validation_messages():
    with pytest.raises(nw.NetworkError, match="name is blank"):
        nw.Organization.create(name="  ", kind="business")
    with pytest.raises(nw.NetworkError, match="needs a system"):
        nw.Organization.create(name="Board", kind="partner")
    with pytest.raises(nw.NetworkError, match="strength 'bff' is not one of knows-well, acquainted"):
        nw.Relationship.create(a="a", b="b", strength="bff")
    with pytest.raises(nw.NetworkError, match="two different people"):
        nw.Relationship.create(a="a", b="a", strength="acquainted")
    assert nw.Organization.create(name="X", kind="partner", system="Community/Other").system == "community"
    assert issubclass(nw.NetworkError, nw.DataError)


# -- storage and import ------------------------------------------------------


@pytest.fixture
def ws(tmp_path):
    w = Workspace.open("riverbend", tmp_path)
    yield w
    w.close()


ORGS_CSV = (
    b"id,name,kind,system,sector,size\n,County Board,partner,workforce,,\n"
    b"acme,Acme Tools,business,,manufacturing,small\n"
)


def test_import_csv_keeps_good_rows_and_reports_bad_ones(ws):
    people = (
        b"id,name,organization,title,c_suite\n"
        b",Dana Ortiz,acme,CEO,yes\n"  # row 2 ok
        b",Lee Park,county-board,,no\n"  # row 3 ok
        b",Sam Ray,zenith,,no\n"  # row 4 unknown org
        b",,acme,,no\n"  # row 5 blank name
        b"dana-ortiz,Dana Again,acme,,\n"  # row 6 duplicate id
        b",Pat Lu,acme,,maybe\n"
    )  # row 7 bad c_suite
    rels = (
        b"person_a,person_b,strength\n"
        b"dana-ortiz,lee-park,knows well\n"  # row 2 ok
        b"lee-park,nobody,acquainted\n"  # row 3 unknown person
        b"dana-ortiz,lee-park,bff\n"
    )  # row 4 bad strength
    report = nw.import_files(ws, [("relationships.csv", rels), ("people.csv", people), ("organizations.csv", ORGS_CSV)])
    assert report.saved == {"organizations": 2, "people": 2, "relationships": 1}
    assert report.messages == [
        "people.csv row 4: organization 'zenith' is not listed",
        "people.csv row 5: name is blank",
        "people.csv row 6: 'dana-ortiz' is already in this file at row 2; this row was skipped",
        "people.csv row 7: c_suite 'maybe' should be yes or no",
        "relationships.csv row 3: person 'nobody' is not listed",
        "relationships.csv row 4: strength 'bff' is not one of knows-well, acquainted",
    ]
    u = nw.load_universe(ws)
    assert set(u.people) == {"dana-ortiz", "lee-park"} and u.people["dana-ortiz"].c_suite is True
    assert list(u.relationships.values()) == [nw.Relationship("dana-ortiz", "lee-park", "knows-well")]
    assert nw.reach_summary(u.graph()) == {"businesses": 1, "direct": 1, "within_two": 1, "gaps": 0}


def test_import_missing_columns_and_wrong_file_type(ws):
    report = nw.import_files(
        ws,
        [
            ("organizations.csv", ORGS_CSV),
            ("people.csv", b"name,title\nDana,CEO\n"),
            ("notes.txt", b"hello"),
            ("data.pdf", b"%PDF-1.4"),
        ],
    )
    assert report.saved["organizations"] == 2 and report.saved["people"] == 0
    assert report.messages == [
        "notes.txt: not a CSV (.csv) or Excel (.xlsx) file; nothing was read from it",
        "data.pdf: not a CSV (.csv) or Excel (.xlsx) file; nothing was read from it",
        "people.csv: missing column 'organization'; none of its rows were imported "
        "(expected columns: id, name, organization, title, c_suite)",
    ]


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        sh = wb.create_sheet(name)
        for r in rows:
            sh.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_import_excel_with_malformed_rows(ws):
    data = _xlsx(
        {
            "organizations": [
                ["id", "name", "kind", "system", "sector", "size"],
                [None, "County Board", "partner", "workforce", None, None],
                [None, "Acme Tools", "business", None, "manufacturing", "huge"],  # row 3 bad size
                [None, "Birch Foods", "business", None, "food", "medium"],
                ["Bad Id!", "Zed", "business", None, None, None],
            ],  # row 5 bad id
            "people": [
                ["name", "organization", "c_suite"],
                ["Dana Ortiz", "birch-foods", 1],
                ["Lee Park", "county-board", 0],
                ["Sam Ray", "acme-tools", 0],
            ],  # row 4: acme was refused
            "relationships": [
                ["person_a", "person_b", "strength"],
                ["dana-ortiz", "lee-park", "acquainted"],
                ["dana-ortiz", "dana-ortiz", "acquainted"],
            ],  # row 3 self
            "notes": [["anything"], ["x"]],
        }
    )
    report = nw.import_files(ws, [("universe.xlsx", data)])
    assert report.saved == {"organizations": 2, "people": 2, "relationships": 1}
    assert report.messages == [
        "universe.xlsx sheet 'notes': not one of the sheets organizations, people, relationships; skipped",
        "universe.xlsx sheet 'organizations' row 3: size 'huge' is not one of small, medium, large",
        "universe.xlsx sheet 'organizations' row 5: organization id 'Bad Id!' is not valid: use lowercase letters, "
        "digits and single hyphens (for example 'riverbend-college')",
        "universe.xlsx sheet 'people' row 4: organization 'acme-tools' is not listed",
        "universe.xlsx sheet 'relationships' row 3: a relationship needs two different people (both are 'dana-ortiz')",
    ]
    assert nw.load_universe(ws).people["dana-ortiz"].c_suite is True


def test_import_a_broken_excel_file(ws):
    report = nw.import_files(ws, [("universe.xlsx", b"this is not a zip file")])
    assert report.saved == {"organizations": 0, "people": 0, "relationships": 0}
    assert len(report.messages) == 1 and report.messages[0].startswith(
        "universe.xlsx: cannot be opened as an Excel workbook"
    )


def test_export_round_trip_csv_and_excel(ws, tmp_path):
    u = nw.example_universe()
    paths = nw.export_csv(u, tmp_path / "csv")
    assert [p.name for p in paths] == ["organizations.csv", "people.csv", "relationships.csv"]
    report = nw.import_files(ws, paths)
    assert report.messages == [] and report.saved == {"organizations": 15, "people": 17, "relationships": 16}
    back = nw.load_universe(ws)
    assert back.organizations == u.organizations and back.people == u.people and back.relationships == u.relationships
    xlsx = nw.export_excel(back, tmp_path / "u.xlsx")
    assert load_workbook(xlsx).sheetnames == ["organizations", "people", "relationships"]
    with Workspace.open("other", tmp_path) as ws2:
        assert nw.import_files(ws2, [xlsx]).saved == {"organizations": 15, "people": 17, "relationships": 16}
        assert nw.load_universe(ws2).relationships == u.relationships


def test_storage_deletes_and_roster(ws):
    nw.import_files(
        ws,
        [
            ("organizations.csv", ORGS_CSV),
            ("people.csv", b"name,organization\nDana,acme\nLee,county-board\n"),
            ("relationships.csv", b"person_a,person_b,strength\ndana,lee,acquainted\n"),
        ],
    )
    with pytest.raises(nw.NetworkError, match="still has 1 person"):
        nw.delete_organization(ws, "acme")
    with pytest.raises(nw.NetworkError, match="not a listed support partner"):
        nw.save_roster_entry(ws, nw.RosterEntry.create(organization="acme", role="convener"))
    nw.save_roster_entry(
        ws,
        nw.RosterEntry.create(
            organization="county-board", role="convener", credibility="yes", capacity="no", neutrality="partly"
        ),
    )
    u = nw.load_universe(ws)
    assert u.conveners() == ["county-board"] and nw.build_graph(u).graph["conveners"] == ["county-board"]
    warnings = nwv.roster_warnings(u)
    assert any("rated No on capacity" in w for w in warnings)
    assert any("education, economic development" in w for w in warnings)
    assert nw.delete_person(ws, "dana") == 1
    assert nw.load_universe(ws).relationships == {}
    nw.delete_organization(ws, "acme")
    assert "acme" not in nw.load_universe(ws).organizations


def test_analysis_and_drawing_of_a_large_universe():
    """The benchmark's 300-person, 1,500-relationship universe works end to end (timing: benchmarks/network.py)."""
    u = nw.random_universe(300, 1500, seed=42)
    assert len(u.people) == 300 and len(u.relationships) == 1500
    G = nw.build_graph(u)
    r = nw.reach(G)
    nw.brokers(G)
    nw.single_points_of_failure(G, r)
    nw.champion_candidates(G)
    fig = nwv.draw_universe(G, reached=r)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(r) == len(u.businesses())
