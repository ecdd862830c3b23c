"""Report section "Who the partnership needs": the influence map, who can reach each decision-maker, next moves.

Content is every workspace record of the influence map's kind
(:data:`sectorkit.universe.influence.KIND`, read by
:func:`~sectorkit.universe.influence.load_decision_makers`), never a list of ids; the paths come from
the region's Universe of Connections. The diagram is an ``<img>`` with its text alternative; the
table says the same in words, every cell escaped.
"""

from __future__ import annotations

from datetime import date

from sectorkit import universe as nw
from sectorkit.reports.common import esc
from sectorkit.reports.sections._base import Section, Status, not_done, open_workspace, register, section_html, show
from sectorkit.store.workspace import Workspace
from sectorkit.universe import influence as inf
from sectorkit.views.figures import figure_html
from sectorkit.views.influence import draw_influence_map, influence_alt_text, influence_table_html

ID = "influence"
TITLE = "Who the partnership needs, and who can reach them"


def status(ws: Workspace) -> Status:
    """Whether any decision-maker is listed, with how many have a known path and an owned next move."""
    dms = list(inf.load_decision_makers(ws).values())
    if not dms:
        return ("Influence map", False, "no decision-makers listed yet")
    s = inf.summary(dms, inf.routes_for(dms, nw.build_graph(nw.load_universe(ws))))
    return ("Influence map", True, f"{s['decision_makers']} decision-makers, {s['decision_makers'] - s['none']} "
            f"with a known path, {s['owned_moves']} next moves with an owner")


def influence(region: str, home: str = "") -> None:
    """Who the partnership needs: the influence x interest grid, its text alternative and the table."""
    with open_workspace(region, home) as ws:
        dms = inf.ordered(inf.load_decision_makers(ws).values())
        universe = nw.load_universe(ws)
    if not dms:
        show(section_html(ID, TITLE, not_done("the team has not listed the decision-makers the partnership needs "
                                                "(the influence map).")))
        return
    G = nw.build_graph(universe)
    routes = inf.routes_for(dms, G)
    s = inf.summary(dms, routes)
    attention = [dm for dm in dms if any(f == "high influence and no known path" for f in inf.flags(dm, routes[dm.id]))]
    parts = [f"<p>{s['decision_makers']} decision-makers are listed; the team has a known path to "
             f"{s['decision_makers'] - s['none']} of them, and {s['owned_moves']} next moves have an owner.</p>"]
    if attention:
        parts.append("<p><strong>High influence, no known path yet:</strong> "
                     f"{esc('; '.join(dm.label for dm in attention))}.</p>")
    fig = draw_influence_map(dms, routes, title="Influence map")
    alt = influence_alt_text(dms, routes)
    parts.append(figure_html(fig, alt, caption=alt))
    parts.append(influence_table_html(dms, routes, G, today=date.today()))
    show(section_html(ID, TITLE, "".join(parts)))


SECTION = register(Section(ID, TITLE, influence, order=27, status=status))
