"""Views of the Universe of Connections: the diagram, its text alternative and the HTML tables.

:func:`draw_universe` draws businesses on the inner table and support partners
around them (a matplotlib ``Figure``); :func:`diagram_alt_text` says the same in
words; :func:`connections_table` / :func:`connections_table_html` give one row
per business; :func:`roster_table_html` and :func:`roster_warnings` show and
check the support team roster. Every piece of user text is escaped.

>>> G = nx.Graph(); add_business(G, "acme", name="Acme")
>>> diagram_alt_text(G).endswith("Convener: none marked yet.")
True
"""

from __future__ import annotations

import html
import math
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping

import networkx as nx

from sectorkit.universe.analysis import (  # noqa: F401 - add_person, add_business: used by the examples
    BusinessReach,
    add_business,
    add_person,
    gaps,
    organizations_of,
    paths_for,
    reach,
    reach_summary,
    single_points_of_failure,
)
from sectorkit.universe.model import Organization, RosterEntry, Universe  # noqa: F401 - Organization: examples
from sectorkit.universe.vocab import CRITERIA, RATINGS, ROLES, SYSTEMS

_orgs = organizations_of

def organization_graph(G: nx.Graph) -> nx.Graph:
    """Collapse the people graph to organizations: edge ``ties`` counts relationships, ``well`` the strong ones."""
    H = nx.Graph()
    for oid, o in _orgs(G).items():
        H.add_node(oid, **o)
    nodes = G.nodes
    for u, v, d in G.edges(data=True):
        a, b = nodes[u]["org"], nodes[v]["org"]
        if a == b:
            continue
        if H.has_edge(a, b):
            H.edges[a, b]["ties"] += 1
        else:
            H.add_edge(a, b, ties=1, well=0)
        if d.get("strength") == "knows-well":
            H.edges[a, b]["well"] += 1
    return H


def _ring(ids: list[str], radius: float, start: float = math.pi / 2) -> dict[str, tuple[float, float]]:
    n = len(ids)
    if n == 1 and radius < 1.5:
        return {ids[0]: (0.0, 0.0)}
    return {k: (radius * math.cos(start - 2 * math.pi * i / n), radius * math.sin(start - 2 * math.pi * i / n))
            for i, k in enumerate(ids)}


def _node_label(text: str, width: int = 22, lines: int = 2) -> str:
    """A diagram label: one line if it fits, else up to ``lines`` lines, cut with "…" past those.

    "Tri-County Workforce Board" reads whole on two lines where one line of 24 characters
    cut it to "Tri-County Workforce Bo…". Full names are always in the alt text and the table.
    """
    if len(text) <= width + 2:
        return text
    if lines == 1:
        return text[: width + 1].rstrip() + "…"
    return "\n".join(textwrap.wrap(text, width=width, max_lines=lines, placeholder="…"))


def draw_universe(G: nx.Graph, *, title: str = "Universe of Connections",
                  reached: Mapping[str, BusinessReach] | None = None, max_labels: int = 36, focus: str | None = None):
    """Draw the universe: businesses on the inner table, partners around them.

    Businesses sit on an inner circle (filled if the team reaches them within
    two steps, hollow if they are a gap); support partners sit on an outer
    ring grouped and coloured by system; conveners are drawn as diamonds
    with a thick black outline. Lines join organizations whose people know
    each other (darker when someone knows someone well). Node size grows with
    the number of ties. Above ``max_labels`` organizations only the most
    connected ones, the conveners and the gaps are labelled.

    Returns a matplotlib ``Figure`` (Agg; nothing is shown).

    >>> G = nx.Graph()
    >>> add_person(G, "ana", org="board", kind="partner", system="workforce")
    >>> add_person(G, "bo", org="acme", kind="business"); G.add_edge("ana", "bo")
    >>> fig = draw_universe(G, title="Tiny")
    >>> fig.axes[0].get_title()
    'Tiny'
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    reached = reach(G) if reached is None else reached
    H = organization_graph(G)
    conveners = set(G.graph.get("conveners", []))
    order = list(SYSTEMS)
    biz = sorted((k for k, d in H.nodes(data=True) if d["kind"] == "business"),
                 key=lambda k: (H.nodes[k].get("sector", ""), k))
    partners = sorted((k for k, d in H.nodes(data=True) if d["kind"] == "partner"),
                      key=lambda k: (order.index(H.nodes[k]["system"]) if H.nodes[k]["system"] in order else 9, k))
    n_total = len(biz) + len(partners)
    inner = 1.0
    outer = 2.05 if n_total <= 40 else 2.3
    if len(biz) > 22:
        # two staggered inner rings so squares do not overlap
        ring = _ring(biz, 1.0)
        pos = {k: (x * (0.72 if i % 2 else 1.12), y * (0.72 if i % 2 else 1.12))
               for i, (k, (x, y)) in enumerate(ring.items())}
        inner = 1.12
    else:
        pos = _ring(biz, inner)
    pos.update(_ring(partners, outer))
    degree = {k: sum(d["ties"] for _, _, d in H.edges(k, data=True)) for k in H.nodes}

    size = 7.5 if n_total <= 40 else 9.5
    fig = Figure(figsize=(size, size))
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0.02, 0.1, 0.96, 0.84])
    ax.set_aspect("equal")
    ax.axis("off")
    lim = outer + 0.75
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    # the "inner table"
    from matplotlib.patches import Circle
    ax.add_patch(Circle((0, 0), inner + 0.28, facecolor="#f3f3f3", edgecolor="#bbbbbb", lw=1, zorder=0))

    focus_nodes = set()
    if focus:
        focus_nodes = {G.nodes[n]["org"] for p in paths_for(G, focus, reached) for n in p} | {focus}
    strong, weak, faint = [], [], []
    for a, b, d in H.edges(data=True):
        seg = [pos[a], pos[b]]
        if H.nodes[a]["kind"] == "partner" and H.nodes[b]["kind"] == "partner":
            continue  # partner-to-partner ties would hide the picture; the table lists them
        if focus and not (a in focus_nodes and b in focus_nodes):
            faint.append(seg)
        elif d["well"]:
            strong.append(seg)
        else:
            weak.append(seg)
    dense = len(strong) + len(weak) > 120
    if faint:
        ax.add_collection(LineCollection(faint, colors="#dddddd", linewidths=0.5, zorder=1))
    if weak:
        ax.add_collection(LineCollection(weak, colors="#a8a8a8", linewidths=0.5 if dense else 0.8,
                                         linestyles=(0, (3, 2)), alpha=0.45 if dense else 1.0, zorder=1))
    if strong:
        ax.add_collection(LineCollection(strong, colors="#4d4d4d", linewidths=0.6 if dense else 1.2,
                                         alpha=0.55 if dense else 1.0, zorder=2))

    top_degree = max(degree.values(), default=1) or 1

    def area(k: str) -> float:
        share = math.sqrt(degree.get(k, 0) / top_degree)
        if H.nodes[k]["kind"] == "business":
            return (35 + 110 * share) if len(biz) > 22 else (60 + 160 * share)
        return (60 + 220 * share) if n_total > 40 else (90 + 260 * share)

    # businesses
    reached_b = [b for b in biz if reached.get(b) and reached[b].steps]
    gap_b = [b for b in biz if b not in reached_b]
    if reached_b:
        ax.scatter([pos[b][0] for b in reached_b], [pos[b][1] for b in reached_b], s=[area(b) for b in reached_b],
                   marker="s", c="#5a5a5a", edgecolors="white", linewidths=0.8, zorder=4)
    if gap_b:
        ax.scatter([pos[b][0] for b in gap_b], [pos[b][1] for b in gap_b], s=[area(b) for b in gap_b],
                   marker="s", facecolors="white", edgecolors="#c0392b", linewidths=1.6, zorder=4)
    # partners by system
    for sys_id, (label, color) in SYSTEMS.items():
        ks = [k for k in partners if H.nodes[k]["system"] == sys_id]
        plain = [k for k in ks if k not in conveners]
        conv = [k for k in ks if k in conveners]
        if plain:
            ax.scatter([pos[k][0] for k in plain], [pos[k][1] for k in plain], s=[area(k) for k in plain],
                       c=color, edgecolors="white", linewidths=0.8, zorder=4)
        if conv:
            ax.scatter([pos[k][0] for k in conv], [pos[k][1] for k in conv], s=[area(k) * 1.8 + 120 for k in conv],
                       marker="D", c=color, edgecolors="black", linewidths=2.4, zorder=5)
    if focus and focus in pos:
        ax.scatter([pos[focus][0]], [pos[focus][1]], s=area(focus) * 2.5 + 200, facecolors="none",
                   edgecolors="#111111", linewidths=1.5, linestyles="--", zorder=6)

    # labels: everything when small; otherwise the most connected, conveners, gaps and the focus
    if n_total <= max_labels:
        labelled = set(H.nodes)
    else:
        budget_b = max(6, max_labels // 3)
        budget_p = max_labels - budget_b
        labelled = set(sorted(biz, key=lambda k: (-degree[k], k))[:budget_b])
        labelled |= set(sorted(partners, key=lambda k: (-degree[k], k))[:budget_p])
        labelled |= conveners | set(gap_b[:10]) | focus_nodes
    fs = 8 if n_total <= 40 else 7
    for k in labelled:
        if k not in pos:
            continue
        x, y = pos[k]
        r = math.hypot(x, y) or 1.0
        ux, uy = x / r, y / r
        kind = H.nodes[k]["kind"]
        # partners: label outside the ring; businesses: inside, toward the centre
        shift = 0.16 if kind == "partner" else (-0.12 if r < 0.9 else 0.12)
        if kind == "business" and len(biz) == 1:
            ux, uy, shift = 0.0, -1.0, 0.2
        tx, ty = x + ux * shift, y + uy * shift
        ha = "left" if (ux * shift) > 0.02 else "right" if (ux * shift) < -0.02 else "center"
        va = "bottom" if (uy * shift) > 0.02 else "top" if (uy * shift) < -0.02 else "center"
        # the inner table is crowded in a large universe: its labels stay on one line there
        lines = 1 if kind == "business" and n_total > max_labels else 2
        ax.text(tx, ty, _node_label(H.nodes[k]["name"], lines=lines), fontsize=fs, ha=ha, va=va, zorder=7,
                fontweight="bold" if k in conveners else "normal",
                bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.8))

    summary = reach_summary(G, reached)
    ax.set_title(title, fontsize=13, fontweight="bold", loc="center", pad=20)
    ax.text(0.5, 1.0, f"{summary['businesses']} businesses on the inner table: {summary['direct']} reached directly, "
             f"{summary['within_two']} within two steps, {summary['gaps']} not reached",
             ha="center", va="bottom", fontsize=9, color="#333333", transform=ax.transAxes)
    handles = [Line2D([], [], marker="o", ls="", color=c, markersize=8, label=lbl) for lbl, c in SYSTEMS.values()]
    handles += [
        Line2D([], [], marker="D", ls="", markerfacecolor="#dddddd", markeredgecolor="black", markeredgewidth=2,
               markersize=8, label="Convener or co-convener"),
        Line2D([], [], marker="s", ls="", color="#5a5a5a", markersize=8, label="Business reached (within two steps)"),
        Line2D([], [], marker="s", ls="", markerfacecolor="white", markeredgecolor="#c0392b", markeredgewidth=1.6,
               markersize=8, label="Business not reached (gap)"),
        Line2D([], [], color="#4d4d4d", lw=1.2, label="Someone knows someone well"),
        Line2D([], [], color="#a8a8a8", lw=0.9, ls=(0, (3, 2)), label="Acquainted only"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8, frameon=False, bbox_to_anchor=(0.5, 0.0))
    return fig


def _names(G: nx.Graph, ids: Iterable[str]) -> str:
    orgs = _orgs(G)
    return ", ".join(orgs.get(i, {}).get("name", i) for i in ids)


def diagram_alt_text(G: nx.Graph, reached: Mapping[str, BusinessReach] | None = None, limit: int = 12) -> str:
    """A text alternative for :func:`draw_universe` (what a screen reader reads).

    >>> G = nx.Graph()
    >>> add_person(G, "ana", org="board", kind="partner", system="workforce")
    >>> add_person(G, "bo", org="acme", kind="business"); G.add_edge("ana", "bo"); add_business(G, "zen")
    >>> print(diagram_alt_text(G))  # doctest: +NORMALIZE_WHITESPACE
    Universe of Connections diagram. 2 businesses sit at the centre and 1 support partner around them
    (1 workforce development). The team reaches 1 business directly and 1 within two steps; 1 is not reached: zen.
    Convener: none marked yet.
    """
    reached = reach(G) if reached is None else reached
    orgs = _orgs(G)
    s = reach_summary(G, reached)
    partners = [o for o in orgs.values() if o["kind"] == "partner"]
    counts = Counter(o["system"] for o in partners)
    by_sys = ", ".join(f"{counts[k]} {SYSTEMS[k][0].lower()}" for k in SYSTEMS if counts[k])
    gap_ids = gaps(G, reached)
    gap_text = _names(G, gap_ids[:limit]) + (f" and {len(gap_ids) - limit} more" if len(gap_ids) > limit else "")
    conv = G.graph.get("conveners", [])
    text = (
        f"Universe of Connections diagram. {s['businesses']} business{'es' if s['businesses'] != 1 else ''} "
        "sit at the centre "
        f"and {len(partners)} support partner{'s' if len(partners) != 1 else ''} around them"
        + (f" ({by_sys})" if by_sys else "")
        + f". The team reaches {s['direct']} business{'es' if s['direct'] != 1 else ''} directly "
        f"and {s['within_two']} within two steps"
        + (f"; {s['gaps']} {'is' if s['gaps'] == 1 else 'are'} not reached: {gap_text}." if s["gaps"]
           else "; every business is reached.")
        + f" Convener: {_names(G, conv) if conv else 'none marked yet'}."
    )
    return text


def connections_table(G: nx.Graph, reached: Mapping[str, BusinessReach] | None = None):
    """The diagram in words: one row per business (a pandas DataFrame).

    Columns: business, sector, size, reached (``directly`` / ``within two
    steps`` / ``not reached``), through whom, team contacts, systems, single
    point of failure, C-suite contacts.
    """
    import pandas as pd

    reached = reach(G) if reached is None else reached
    orgs = _orgs(G)
    spof = single_points_of_failure(G, reached)
    nodes = G.nodes
    label = {1: "directly", 2: "within two steps", None: "not reached"}
    rows = []
    for b, r in reached.items():
        o = orgs[b]
        if r.steps == 1:
            how = "; ".join(f"{nodes[p[0]]['name']} ({orgs[nodes[p[0]]['org']]['name']}) knows {nodes[p[-1]]['name']}"
                            for p in r.paths[:4])
        elif r.steps == 2:
            how = "; ".join(f"{nodes[p[0]]['name']} ({orgs[nodes[p[0]]['org']]['name']}) via {nodes[p[1]]['name']} "
                            f"to {nodes[p[2]]['name']}" for p in r.paths[:3])
        else:
            how = ""
        more = len(r.paths) - (4 if r.steps == 1 else 3)
        if r.steps and more > 0:
            how += f"; and {more} more"
        systems = sorted({nodes[p[0]]["system"] for p in r.paths},
                         key=lambda s: list(SYSTEMS).index(s) if s in SYSTEMS else 9)
        csuite = sorted({nodes[n]["name"] for n, d in G.nodes(data=True) if d["org"] == b and d.get("c_suite")})
        rows.append({
            "business": o["name"], "sector": o.get("sector", ""), "size": o.get("size", ""),
            "reached": label[r.steps], "through whom": how, "team contacts": len(r.contacts),
            "systems": ", ".join(SYSTEMS[s][0] for s in systems if s in SYSTEMS),
            "single point of failure": nodes[spof[b]]["name"] if b in spof else "",
            "C-suite contacts": ", ".join(csuite),
        })
    order = {"directly": 0, "within two steps": 1, "not reached": 2}
    df = pd.DataFrame(rows, columns=["business", "sector", "size", "reached", "through whom", "team contacts",
                                     "systems", "single point of failure", "C-suite contacts"])
    if len(df):
        df = df.sort_values(["reached", "business"], key=lambda c: c.map(order) if c.name == "reached"
                            else c.str.lower()).reset_index(drop=True)
    return df


def connections_table_html(G: nx.Graph, reached: Mapping[str, BusinessReach] | None = None,
                           caption: str | None = None) -> str:
    """:func:`connections_table` as an accessible HTML table (every cell escaped).

    >>> G = nx.Graph(); add_person(G, "ana", org="board", kind="partner", system="workforce")
    >>> add_business(G, "x", name="<b>Acme</b>")
    >>> "&lt;b&gt;Acme&lt;/b&gt;" in connections_table_html(G)
    True
    """
    df = connections_table(G, reached)
    cap = caption or "Every business in the universe: whether and how the team reaches it"
    head = "".join(f"<th scope='col' style='text-align:left;padding:0.25em 0.5em;border-bottom:2px solid #444'>"
                   f"{html.escape(c)}</th>" for c in df.columns)
    body = []
    for _, row in df.iterrows():
        cells = []
        for i, c in enumerate(df.columns):
            value = html.escape(str(row[c]))
            if i == 0:
                cells.append(f"<th scope='row' style='text-align:left;padding:0.25em 0.5em;font-weight:600'>"
                             f"{value}</th>")
            else:
                cells.append(f"<td style='padding:0.25em 0.5em;vertical-align:top'>{value}</td>")
        body.append(f"<tr style='border-bottom:1px solid #ddd'>{''.join(cells)}</tr>")
    if not body:
        body.append(f"<tr><td colspan='{len(df.columns)}'>No businesses listed yet.</td></tr>")
    return (
        "<div style='overflow-x:auto;max-width:100%'><table style='border-collapse:collapse;font-size:0.9em'>"
        f"<caption style='text-align:left;font-weight:600;padding:0.3em 0'>{html.escape(cap)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def roster_warnings(universe: Universe) -> list[str]:
    """Plain-English checks on the roster: a convener chosen, criteria met, all systems represented.

    >>> u = Universe(organizations={"b": Organization.create(name="B", kind="partner", system="workforce")})
    >>> roster_warnings(u)[0]
    'No convener or co-conveners chosen yet.'
    """
    out = []
    conv = universe.conveners()
    if not conv:
        out.append("No convener or co-conveners chosen yet.")
    roles = Counter(r.role for r in universe.roster.values())
    if roles["convener"] > 1:
        out.append("More than one organization is marked convener; if they share the job, mark them co-conveners.")
    if roles["co-convener"] == 1 and not roles["convener"]:
        out.append("Only one co-convener is marked: name its partner, or mark it convener.")
    if roles["convener"] + roles["co-convener"] > 3:
        out.append("More than three conveners: a small convening group keeps the partnership on track.")
    for k in conv:
        r = universe.roster[k]
        name = universe.organizations[k].name
        for c in CRITERIA:
            v = getattr(r, c)
            if v == "":
                out.append(f"{name}: {c} not yet rated.")
            elif v == "no":
                out.append(f"{name}: rated No on {c}; discuss whether another organization, or a pair, fits better.")
    core_systems = {universe.organizations[k].system for k, r in universe.roster.items()
                    if r.role in ("core", "convener", "co-convener")}
    missing = [SYSTEMS[s][0].lower() for s in ("workforce", "education", "economic-development")
               if s not in core_systems]
    if missing and universe.roster:
        out.append("No core partner or convener from " + ", ".join(missing) + " yet.")
    return out


def roster_table_html(universe: Universe) -> str:
    """The support team roster as an escaped HTML table: partner, system, role, criteria, notes."""
    head = "".join(f"<th scope='col' style='text-align:left;padding:0.25em 0.5em;border-bottom:2px solid #444'>{h}</th>"
                   for h in ("Support partner", "System", "Role", "Credibility", "Capacity", "Neutrality", "Notes"))
    rows = []
    role_order = {"convener": 0, "co-convener": 1, "core": 2, "supporter": 3, "": 4}
    partners = sorted(universe.partners(),
                      key=lambda o: (role_order[universe.roster.get(o.id, RosterEntry(o.id)).role], o.name.lower()))
    for o in partners:
        r = universe.roster.get(o.id, RosterEntry(o.id))
        crit = [RATINGS.get(getattr(r, c), "") if r.role in ("convener", "co-convener") else "" for c in CRITERIA]
        cells = [o.name, SYSTEMS[o.system][0], ROLES.get(r.role, "not assigned"), *crit, r.notes]
        rows.append("<tr style='border-bottom:1px solid #ddd'>" + "".join(
            (f"<th scope='row' style='text-align:left;padding:0.25em 0.5em'>{html.escape(c)}</th>" if i == 0 else
             f"<td style='padding:0.25em 0.5em;vertical-align:top'>{html.escape(c)}</td>")
            for i, c in enumerate(cells)) + "</tr>")
    if not rows:
        rows.append("<tr><td colspan='7'>No support partners listed yet.</td></tr>")
    return ("<div style='overflow-x:auto'><table style='border-collapse:collapse;font-size:0.9em'>"
            "<caption style='text-align:left;font-weight:600;padding:0.3em 0'>Support team roster</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
