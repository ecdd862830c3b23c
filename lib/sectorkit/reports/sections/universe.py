"""Report section "Who the team reaches": the Universe of Connections diagram, its text alternative and table."""

from __future__ import annotations

from sectorkit import universe as nw
from sectorkit.reports.common import esc
from sectorkit.reports.sections._base import Section, Status, not_done, open_workspace, register, section_html, show
from sectorkit.store.workspace import Workspace
from sectorkit.views import universe as nwv
from sectorkit.views.figures import figure_html

TITLE = "Who the team reaches"


def status(ws: Workspace) -> Status:
    """Whether any organization is listed, with counts of businesses, partners and people."""
    u = nw.load_universe(ws)
    return ("Universe of Connections", bool(u.organizations),
            f"{len(u.businesses())} businesses, {len(u.partners())} partners, {len(u.people)} people"
            if u.organizations else "no organizations listed yet")


def universe(region: str, home: str = "") -> None:
    """Who the team reaches: the Universe of Connections diagram, its text alternative and the table."""
    with open_workspace(region, home) as ws:
        u = nw.load_universe(ws)
    if not u.organizations:
        show(section_html("universe", TITLE,
                          not_done("the team has not listed any organization in the Universe of Connections.")))
        return
    G = nw.build_graph(u)
    reached = nw.reach(G)
    s = nw.reach_summary(G, reached)
    parts = [f"<p>{s['businesses']} businesses are listed; the team reaches {s['direct']} directly and "
             f"{s['within_two']} within two steps; {s['gaps']} are not reached.</p>"]
    if not u.people:
        parts.insert(0, not_done("no people or relationships are listed yet, so nobody is reached."))
    fig = nwv.draw_universe(G, reached=reached, title="Universe of Connections")
    alt = nwv.diagram_alt_text(G, reached)
    parts.append(figure_html(fig, alt, caption=alt))
    brokers = nw.brokers(G, top=3)
    if brokers:
        names = "; ".join(u.person_label(p) for p, _ in brokers)
        parts.append(f"<p>People who connect the most: {esc(names)}.</p>")
    parts.append(nwv.connections_table_html(G, reached))
    show(section_html("universe", TITLE, "".join(parts)))


SECTION = register(Section("universe", TITLE, universe, order=20, status=status))
