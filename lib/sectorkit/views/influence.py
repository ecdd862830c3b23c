"""Views of the influence map: the influence x interest grid, its text alternative and the table.

:func:`draw_influence_map` places every decision-maker on a 3 x 3 grid (influence over what the
partnership needs, up; interest in it, across), numbered in :func:`~sectorkit.universe.influence.ordered`
order and marked by how the team reaches them (shape and colour, so colour is never the only cue);
:func:`influence_alt_text` says the same in words and :func:`influence_table_html` lists every
fact, every piece of user text escaped.

>>> from sectorkit.universe.influence import DecisionMaker, Route
>>> dm = DecisionMaker.create(name="Pat <Lee>", influence="high", interest="low")
>>> influence_alt_text([dm], {dm.id: Route("none")})  # doctest: +NORMALIZE_WHITESPACE
'Influence map: 1 decision-maker on a grid of influence (rows, low to high) by interest (columns, low to high);
 0 with a known path. High influence, low interest: 1. Pat <Lee> (no known path).'
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date

import networkx as nx

from sectorkit.universe.influence import (
    LEVELS,
    STATUSES,
    DecisionMaker,
    Route,
    flags,
    grid_cells,
    ordered,
    route_words,
)

__all__ = ["MARKERS", "draw_influence_map", "influence_alt_text", "influence_table_html"]

#: status -> (matplotlib marker, face colour, edge colour); Okabe-Ito colours, and a shape each.
MARKERS: dict[str, tuple[str, str, str]] = {
    "team": ("s", "#555555", "#555555"),
    "direct": ("o", "#0072B2", "#0072B2"),
    "indirect": ("^", "#E69F00", "#8a5a00"),
    "none": ("o", "white", "#c0392b"),
}
#: the four corner cells' advice (influence, interest) -> text
CORNERS = {
    ("high", "high"): "work with them closely",
    ("high", "low"): "build their interest",
    ("low", "high"): "keep them informed",
    ("low", "low"): "check in now and then",
}
_LABEL_CHARS = 31


def _status(routes: Mapping[str, Route], dm: DecisionMaker) -> str:
    route = routes.get(dm.id)
    return route.status if route is not None else "none"


def _short(text: str, n: int = _LABEL_CHARS) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def draw_influence_map(dms: Sequence[DecisionMaker], routes: Mapping[str, Route], *, title: str = "Influence map"):
    """Draw the 3 x 3 influence x interest grid with every decision-maker listed in their cell.

    Each cell lists its decision-makers one per line, ``"<number>. <name> (<organization>)"`` (cut
    with "…" past 31 characters; the table has the full text), each with a marker for how the team
    reaches them (:data:`MARKERS`). A row of cells is as tall as its fullest cell, so 20 people in one
    cell stay readable; the figure grows with them.

    Parameters
    ----------
    dms : sequence of DecisionMaker
    routes : mapping
        ``{decision-maker id: Route}`` (:func:`~sectorkit.universe.influence.routes_for`).
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Agg; nothing is shown. Axes: interest (low, medium, high) across, influence up; no units
        (both are the team's judgement on a three-point scale).

    >>> from sectorkit.universe.influence import DecisionMaker, Route
    >>> fig = draw_influence_map([DecisionMaker.create(name="Pat")], {}, title="Tiny")
    >>> fig.axes[0].get_title(), fig.axes[0].get_xlabel()
    ('Tiny', 'Interest in the partnership (their judgement by the team)')
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    numbered = {dm.id: i for i, dm in enumerate(ordered(dms), start=1)}
    cells = grid_cells(dms)
    levels = list(LEVELS)
    # each row (influence level) is as tall as its fullest cell, plus one line for the cell's heading
    heights = {inf: 1 + max(3, *(len(cells[(inf, it)]) for it in levels)) for inf in levels}
    bottoms, y = {}, 0.0
    for inf in levels:  # low at the bottom
        bottoms[inf] = y
        y += heights[inf]
    total = y
    fig = Figure(figsize=(10, 1.9 + 0.24 * total))
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0.1, 1.15 / (1.9 + 0.24 * total), 0.88, 0.24 * total / (1.9 + 0.24 * total)])
    ax.set_xlim(0, 3)
    ax.set_ylim(0, total)
    for i, inf in enumerate(levels):
        for j, it in enumerate(levels):
            shade = "#eef4fa" if (inf, it) == ("high", "high") else ("#f7f7f7" if (i + j) % 2 else "white")
            ax.add_patch(Rectangle((j, bottoms[inf]), 1, heights[inf], facecolor=shade, edgecolor="#888888", lw=1))
            top = bottoms[inf] + heights[inf]
            hint = CORNERS.get((inf, it))
            if hint:
                ax.text(j + 0.97, top - 0.5, hint, ha="right", va="center", fontsize=8, style="italic",
                        color="#444444")
            for k, dm in enumerate(cells[(inf, it)]):
                line_y = top - 1.5 - k
                marker, face, edge = MARKERS[_status(routes, dm)]
                ax.scatter([j + 0.05], [line_y], marker=marker, s=55, c=face, edgecolors=edge, linewidths=1.5,
                           zorder=3)
                who = f"{dm.name} ({dm.organization})" if dm.organization else dm.name
                ax.text(j + 0.1, line_y, f"{numbered[dm.id]}. {_short(who)}", ha="left", va="center", fontsize=9,
                        color="#111111", zorder=4)
    if not dms:
        ax.text(1.5, total / 2, "No decision-makers listed yet", ha="center", va="center", fontsize=12,
                color="#444444")
    ax.set_xticks([0.5, 1.5, 2.5], [LEVELS[k] for k in levels], fontsize=10)
    ax.set_yticks([bottoms[k] + heights[k] / 2 for k in levels], [LEVELS[k] for k in levels], fontsize=10)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_xlabel("Interest in the partnership (their judgement by the team)", fontsize=10)
    ax.set_ylabel("Influence over what the partnership needs", fontsize=10)
    ax.set_title(title, fontsize=13, fontweight="bold", pad=22)
    reached = sum(1 for dm in dms if _status(routes, dm) != "none")
    ax.annotate(f"{len(dms)} decision-maker{'s' if len(dms) != 1 else ''}; the team has a known path to {reached}",
                xy=(0.5, 1.0), xycoords="axes fraction", xytext=(0, 5), textcoords="offset points", ha="center",
                va="bottom", fontsize=9, color="#333333")
    handles = [Line2D([], [], marker=m, ls="", markersize=8, markerfacecolor=f, markeredgecolor=e,
                      markeredgewidth=1.5, label=STATUSES[s].capitalize()) for s, (m, f, e) in MARKERS.items()]
    fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=9, frameon=False, bbox_to_anchor=(0.54, 0.0))
    return fig


def influence_alt_text(dms: Sequence[DecisionMaker], routes: Mapping[str, Route]) -> str:
    """The diagram in words: every non-empty cell (high influence first) with its numbered decision-makers."""
    numbered = {dm.id: i for i, dm in enumerate(ordered(dms), start=1)}
    cells = grid_cells(dms)
    reached = sum(1 for dm in dms if _status(routes, dm) != "none")
    n = len(dms)
    text = (f"Influence map: {n} decision-maker{'s' if n != 1 else ''} on a grid of influence (rows, low to high) "
            f"by interest (columns, low to high); {reached} with a known path.")
    if not dms:
        return text + " Nobody is listed yet."
    for inf in reversed(LEVELS):
        for it in reversed(LEVELS):
            here = sorted(cells[(inf, it)], key=lambda d: numbered[d.id])
            if here:
                people = "; ".join(f"{numbered[d.id]}. {d.name} ({STATUSES[_status(routes, d)]})" for d in here)
                text += f" {LEVELS[inf]} influence, {LEVELS[it].lower()} interest: {people}."
    return text


def influence_table_html(dms: Sequence[DecisionMaker], routes: Mapping[str, Route], G: nx.Graph,
                         today: date | None = None, caption: str = "Decision-makers and who can reach them") -> str:
    """One row per decision-maker, numbered as on the diagram; every cell escaped.

    >>> from sectorkit.universe.influence import DecisionMaker, Route
    >>> dm = DecisionMaker.create(name="<b>Pat</b>", next_move="Call")
    >>> table = influence_table_html([dm], {dm.id: Route("none")}, nx.Graph())
    >>> "&lt;b&gt;Pat&lt;/b&gt;" in table and "<b>Pat" not in table and "the next move has no owner" in table
    True
    """
    heads = ("No.", "Decision-maker", "Influence", "Interest", "Who can reach them", "Next move", "Owner", "Due",
             "Needs attention")
    th = "text-align:left;padding:0.25em 0.5em;border-bottom:2px solid #444;vertical-align:bottom"
    td = "padding:0.25em 0.5em;vertical-align:top"
    rows = []
    for i, dm in enumerate(ordered(dms), start=1):
        route = routes.get(dm.id, Route("none"))
        cells = [dm.label, LEVELS[dm.influence], LEVELS[dm.interest], route_words(route, G), dm.next_move,
                 dm.owner, dm.due, "; ".join(flags(dm, route, today))]
        rows.append(f"<tr style='border-bottom:1px solid #ddd'><td style='{td}'>{i}</td>"
                    f"<th scope='row' style='{td};text-align:left;font-weight:600'>{html.escape(cells[0])}</th>"
                    + "".join(f"<td style='{td}'>{html.escape(c)}</td>" for c in cells[1:]) + "</tr>")
    if not rows:
        rows.append(f"<tr><td colspan='{len(heads)}' style='{td}'>No decision-makers listed yet.</td></tr>")
    head = "".join(f"<th scope='col' style='{th}'>{h}</th>" for h in heads)
    return ("<div style='overflow-x:auto;max-width:100%'><table style='border-collapse:collapse;font-size:0.9em'>"
            f"<caption style='text-align:left;font-weight:600;padding:0.3em 0'>{html.escape(caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
