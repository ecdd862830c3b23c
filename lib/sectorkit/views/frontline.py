"""Views of the frontline map: the diagram, its text alternative, and the tables.

:func:`draw_frontline` puts the partnership on the left and the roles in bands, one band per
organization; across, a role stands in the column of its number of steps from the partnership
(1: told directly), and roles no demand path reaches stand in the last column, "Not reached",
as white boxes with a dashed red edge (position, edge and fill, so colour is never the only cue).
Demand paths are arrows. :func:`frontline_alt_text` says the same in words, and
:func:`frontline_html` is the whole panel the page and the report show (summary, figure, tables,
problems), with every piece of user text escaped.

>>> from sectorkit.partnership.frontline import analyse, frontline_from_rows
>>> fm = frontline_from_rows([("r1", {"role": "Adviser <1>", "organization-name": "Job center"})],
...                          paths=[("p", {"source": "partnership", "to-role": "r1"})])
>>> frontline_alt_text(fm, analyse(fm))  # doctest: +NORMALIZE_WHITESPACE
'Frontline map: the partnership on the left; 1 frontline role in 1 organization to the right, by steps from
 the partnership. 1 role is reached by demand information: 1 told by the partnership directly. Every role is
 reached.'
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from sectorkit.partnership.frontline import Analysis, FrontlineMap, Role, population_labels
from sectorkit.views.figures import figure_html
from sectorkit.views.html import esc

__all__ = ["draw_frontline", "frontline_alt_text", "frontline_html", "organizations", "roles_table_html"]

NO_ORG = "Organization not given"
# geometry, in inches
PARTNER_X, LEFT, TOP = 0.6, 1.6, 0.45  # the partnership's centre; where the bands start; the column headings
SUB_W, GAP, MAX_SUB = 2.1, 0.3, 3  # a sub-column's width, the gap after a column, sub-columns per column at most
SLOT, SLOT_COMPACT, HEAD, BAND_GAP = 0.45, 0.3, 0.32, 0.12  # a row of roles (two lines / one), a band's heading
COMPACT_OVER = 60  # more roles than this: one-line labels, lower rows
MIN_WIDTH = 8.4  # the title and the legend fit in this
REACHED = ("#dbeaf7", "#0b5394", "solid")
UNREACHED = ("white", "#c0392b", "dashed")
_WRAP = 26
MAX_LISTED = 12
MAX_OVERLAP_ROWS = 100


def _label(text: str, width: int = _WRAP, lines: int = 2) -> str:
    parts = textwrap.wrap(text, width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _names(items: Sequence[str]) -> str:
    shown = list(items[:MAX_LISTED])
    more = len(items) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def organizations(fm: FrontlineMap) -> dict[str, list[Role]]:
    """Roles grouped by organization, in order of first appearance (roles without one last, under :data:`NO_ORG`)."""
    groups: dict[str, list[Role]] = {}
    for r in fm.roles:
        if r.organization:
            groups.setdefault(r.organization, []).append(r)
    orphans = [r for r in fm.roles if not r.organization]
    if orphans:
        groups[NO_ORG] = orphans
    return groups


def _column(analysis: Analysis, role: Role, last: int) -> int:
    return analysis.steps.get(role.id, last + 1)


def _geometry(fm: FrontlineMap, analysis: Analysis, compact: bool):
    """Positions in inches: ``(pos, bands, columns, width, height)`` (see :func:`draw_frontline`)."""
    groups = organizations(fm)
    last = max(analysis.steps.values(), default=0)
    ncols = last + (1 if analysis.unreached else 0)
    slot = SLOT_COMPACT if compact else SLOT
    counts: dict[tuple[str, int], int] = {}
    for org, roles in groups.items():
        for r in roles:
            key = (org, _column(analysis, r, last))
            counts[key] = counts.get(key, 0) + 1
    # each column is split into up to MAX_SUB sub-columns, so a column of many roles is not a tall stack
    subs = {c: min(MAX_SUB, max(1, -(-max((n for (_, cc), n in counts.items() if cc == c), default=1) // 3)))
            for c in range(1, ncols + 1)}
    left, x = {}, LEFT
    for c in range(1, ncols + 1):
        left[c] = x
        x += subs[c] * SUB_W + GAP
    width = max(x, LEFT + SUB_W + GAP)
    pos: dict[str, tuple[float, float]] = {}
    bands: dict[str, tuple[float, float]] = {}
    y = TOP
    for org, roles in groups.items():
        rows = max(-(-counts[(org, c)] // subs[c]) for c in {_column(analysis, r, last) for r in roles})
        bands[org] = (y, HEAD + slot * rows)
        seen: dict[int, int] = {}
        for r in roles:
            c = _column(analysis, r, last)
            k = seen.get(c, 0)
            seen[c] = k + 1
            pos[r.id] = (left[c] + (k % subs[c] + 0.5) * SUB_W, y + HEAD + slot * (k // subs[c] + 0.5))
        y += HEAD + slot * rows + BAND_GAP
    columns = {c: (left[c] + subs[c] * SUB_W / 2, "Told by the partnership" if c == 1 else
                   (f"{c} steps away" if c <= last else "Not reached")) for c in range(1, ncols + 1)}
    return pos, bands, columns, width, max(y, TOP + 1.2)


def draw_frontline(fm: FrontlineMap, analysis: Analysis, *, title: str = "Frontline map: how demand information "
                   "reaches frontline roles"):
    """Draw the map (see the module docstring); returns an Agg :class:`~matplotlib.figure.Figure`.

    Role names are wrapped on two lines of 26 characters (one line of 28 past 60 roles; longer
    ones end in "…"; the table has them in full). A step column holding many roles of one
    organization is split into up to three sub-columns. The figure grows with the roles (0.45
    inch per row of roles, 0.3 past 60 roles), so nothing is cut; saved with a tight bounding
    box, every label is inside the image. There are no axes: across is steps from the
    partnership, down the organizations (data units are inches).

    >>> from sectorkit.partnership.frontline import analyse, frontline_from_rows
    >>> fm = frontline_from_rows([("r1", {"role": "Adviser"})])
    >>> draw_frontline(fm, analyse(fm)).axes[0].get_title()
    'Frontline map: how demand information reaches frontline roles'
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyBboxPatch, Patch, Rectangle

    compact = len(fm.roles) > COMPACT_OVER
    font = 7.5 if compact else 8
    pos, bands, columns, width, height = _geometry(fm, analysis, compact)
    # room around the axes: 0.8 inch above for the title and the count, 0.6 below for the legend; wide
    # enough for both however few columns there are
    fig_w, fig_h = max(width, MIN_WIDTH) + 0.2, height + 1.4
    fig = Figure(figsize=(fig_w, fig_h))
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0.1 / fig_w, 0.6 / fig_h, (fig_w - 0.2) / fig_w, height / fig_h])
    width = fig_w - 0.2
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_axis_off()
    for i, (org, (top, band)) in enumerate(bands.items()):
        ax.add_patch(Rectangle((LEFT - 0.15, top), width - LEFT + 0.1, band, facecolor="#f4f4f4" if i % 2 == 0
                               else "#fbfbfb", edgecolor="#cccccc", lw=0.8, zorder=0))
        ax.text(LEFT - 0.05, top + HEAD / 2, _label(org, 70, 1), ha="left", va="center", fontsize=font + 1,
                fontweight="bold", color="#222222", zorder=5,
                bbox={"boxstyle": "square,pad=0.1", "facecolor": "#f4f4f4" if i % 2 == 0 else "#fbfbfb",
                      "edgecolor": "none"})
    for c, (x, head) in columns.items():
        ax.text(x, TOP / 2, head, ha="center", va="center", fontsize=9, fontweight="bold",
                color=UNREACHED[1] if head == "Not reached" else "#222222")
    mid = (TOP + height) / 2
    ax.text(PARTNER_X, mid, "The\npartnership", ha="center", va="center", fontsize=10, fontweight="bold",
            color="white", zorder=3, bbox={"boxstyle": "round,pad=0.5", "facecolor": "#333333", "edgecolor": "#333333"})
    labels = {r.id: _label(r.name, 28, 1) if compact else _label(r.name) for r in fm.roles}
    char = font * 0.55 / 72  # inches per character, about
    half = {k: 0.09 + char / 2 * max(len(line) for line in text.split("\n")) for k, text in labels.items()}
    lines = {k: text.count("\n") + 1 for k, text in labels.items()}
    # arrows: one quiver for every demand path (fast with thousands), each stopping at the box edges
    xs, ys, us, vs = [], [], [], []
    for p in fm.paths:
        if p.source in pos:
            (x0, y0), h0 = pos[p.source], half[p.source]
        else:
            (x0, y0), h0 = (PARTNER_X, mid), 0.55
        (x1, y1), h1 = pos[p.to], half[p.to]
        side = 1 if x1 > x0 else -1 if x1 < x0 else 0
        x0, x1 = x0 + h0 * side, x1 - h1 * side
        if not side:  # same sub-column: from the bottom or top edge of the box
            down = 1 if y1 > y0 else -1
            y0 += down * (0.05 + lines[p.source] * font * 0.63 / 72)
            y1 -= down * (0.05 + lines[p.to] * font * 0.63 / 72)
        xs.append(x0)
        ys.append(y0)
        us.append(x1 - x0)
        vs.append(y1 - y0)
    if xs:
        ax.quiver(xs, ys, us, vs, angles="xy", scale_units="xy", scale=1, color="#555555",
                  width=0.0016 if len(xs) <= 100 else 0.0009,
                  headwidth=5, headlength=6, headaxislength=5, zorder=2)
    # the boxes: two collections (reached, not reached) rather than a framed text each: much faster to draw
    line_h = font * 1.25 / 72
    for colours, ids in ((REACHED, [r.id for r in fm.roles if r.id in analysis.steps]),
                         (UNREACHED, [r.id for r in fm.roles if r.id not in analysis.steps])):
        boxes = [FancyBboxPatch((pos[k][0] - half[k], pos[k][1] - lines[k] * line_h / 2 - 0.04), 2 * half[k],
                                lines[k] * line_h + 0.08, boxstyle="round,pad=0,rounding_size=0.05") for k in ids]
        ax.add_collection(PatchCollection(boxes, facecolor=colours[0], edgecolor=colours[1], linestyle=colours[2],
                                          linewidth=1.3, zorder=3))
    for r in fm.roles:
        ax.text(*pos[r.id], labels[r.id], ha="center", va="center", fontsize=font, color="#111111", zorder=4)
    if not fm.roles:
        ax.text(LEFT, mid, "No frontline roles listed yet", ha="left", va="center", fontsize=11, color="#444444")
    ax.set_title(title, fontsize=13, fontweight="bold", pad=22)
    n_orgs = len(bands)
    ax.annotate(f"{_plural(len(fm.roles), 'role')} in {_plural(n_orgs, 'organization')}; "
                f"{len(analysis.unreached)} not reached by demand information", xy=(0.5, 1.0),
                xycoords="axes fraction", xytext=(0, 8), textcoords="offset points", ha="center", va="bottom",
                fontsize=9, color="#333333")
    handles = [Patch(facecolor=REACHED[0], edgecolor=REACHED[1], label="Role reached by demand information"),
               Patch(facecolor=UNREACHED[0], edgecolor=UNREACHED[1], linestyle="dashed", lw=1.3,
                     label="Role not reached (last column)"),
               Line2D([], [], color="#555555", marker=">", markersize=6, label="Demand path: who tells whom")]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=9, frameon=False)
    return fig


def frontline_alt_text(fm: FrontlineMap, analysis: Analysis) -> str:
    """The diagram in words: counts, how far roles are from the partnership, the unreached roles by name."""
    groups = organizations(fm)
    reached = len(analysis.steps)
    direct = sum(1 for s in analysis.steps.values() if s == 1)
    text = (f"Frontline map: the partnership on the left; {_plural(len(fm.roles), 'frontline role')} in "
            f"{_plural(len(groups), 'organization')} to the right, by steps from the partnership. ")
    text += f"{_plural(reached, 'role is', 'roles are')} reached by demand information: {direct} told by the " \
            "partnership directly"
    text += f", {reached - direct} through other roles. " if reached - direct else ". "
    if analysis.unreached:
        text += (f"Not reached ({len(analysis.unreached)}): "
                 + _names([f"{r.name} ({r.organization or NO_ORG})" for r in analysis.unreached]) + ".")
    else:
        text += "Every role is reached." if fm.roles else "No role is listed yet."
    return text


def _pop_names(values: Sequence[str]) -> list[str]:
    labels = population_labels()
    return [labels.get(v, v) for v in values]


def _table(caption: str, head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    th = "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (f'<table class="sk-table"><caption>{esc(caption)}</caption><thead><tr>{th}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def roles_table_html(fm: FrontlineMap, analysis: Analysis) -> str:
    """Every role by organization: whom it serves, what it does, who tells it about demand and how often."""
    names = {r.id: r.name for r in fm.roles}
    told: dict[str, list[str]] = {}
    for p in fm.paths:
        who = names.get(p.source, "the partnership")
        told.setdefault(p.to, []).append(who + (f" ({p.how_often.replace('-', ' ')})" if p.how_often else ""))
    rows = []
    for org, roles in organizations(fm).items():
        for r in roles:
            steps = analysis.steps.get(r.id)
            serves = _pop_names(r.populations) + list(r.other_populations)
            rows.append([esc(org), esc(r.name), esc(", ".join(serves)) or "<em>not said</em>", esc(r.what),
                         esc("; ".join(told.get(r.id, []))) or "<em>nobody</em>",
                         esc(str(steps)) if steps else "<strong>not reached</strong>"])
    return _table("Frontline roles, whom they serve, and how demand information reaches them",
                  ["Organization", "Role", "Whom they serve", "What they do", "Told about demand by (how often)",
                   "Steps from the partnership"], rows)


def _populations_html(fm: FrontlineMap, analysis: Analysis) -> str:
    labels = population_labels()
    names = {r.id: r for r in fm.roles}
    order = list(fm.targets) + [p for p in analysis.served_by if p not in fm.targets]
    rows = []
    for p in order:
        ids = analysis.served_by.get(p, [])
        orgs = sorted({names[i].organization or NO_ORG for i in ids})
        rows.append([esc(labels.get(p, p)), "yes" if p in fm.targets else "no",
                     esc(_names([names[i].name for i in ids])) if ids else "<strong>no role</strong>",
                     esc(str(len(orgs)))])
    return _table("Groups of jobseekers and students, and the roles that serve them",
                  ["Group", "The team wants it served", "Roles serving it", "Organizations"], rows)


def _overlaps_html(fm: FrontlineMap, analysis: Analysis) -> str:
    names = {r.id: r for r in fm.roles}
    rows = []
    for o in analysis.overlaps[:MAX_OVERLAP_ROWS]:
        a, b = names[o.a], names[o.b]
        rows.append([esc(f"{a.name} ({a.organization or NO_ORG})"), esc(f"{b.name} ({b.organization or NO_ORG})"),
                     esc(", ".join(_pop_names(o.populations))) or "<em>none named</em>",
                     "yes" if o.linked_as_overlap else "no", "yes" if o.connected else "<strong>no</strong>"])
    more = len(analysis.overlaps) - len(rows)
    tail = f"<p>{more} more overlapping pair{'s are' if more != 1 else ' is'} not listed.</p>" if more > 0 else ""
    return _table("Roles that serve the same people in different organizations, or are linked as an overlap",
                  ["Role", "Other role", "Groups both serve", "Linked as an overlap", "Connected by any link"],
                  rows) + tail


def summary_html(fm: FrontlineMap, analysis: Analysis) -> str:
    """The three measures in a short list (user text escaped)."""
    labels = population_labels()
    items = []
    if analysis.unreached:
        items.append(f"<strong>{_plural(len(analysis.unreached), 'role')} of {len(fm.roles)}</strong> "
                     "no demand information reaches: "
                     + esc(_names([f"{r.name} ({r.organization or NO_ORG})" for r in analysis.unreached])) + ".")
    else:
        items.append(f"Demand information reaches every one of the {_plural(len(fm.roles), 'role')}.")
    if not fm.targets:
        items.append("The team has not ticked the groups it wants the frontline to serve (section 1).")
    elif analysis.unserved:
        items.append("<strong>Groups no role serves:</strong> "
                     + esc(", ".join(labels.get(p, p) for p in analysis.unserved)) + ".")
    else:
        items.append("Every group the team wants served is served by at least one role.")
    missed = sum(1 for o in analysis.overlaps if not o.connected)
    items.append(f"{_plural(len(analysis.overlaps), 'pair')} of roles serve the same people in different "
                 f"organizations or are linked as an overlap; {missed} of them have no link between them "
                 "(a connection to make).")
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def problems_html(problems: Sequence[str]) -> str:
    """The rows left out of the map and why (escaped), or nothing."""
    if not problems:
        return ""
    return ("<div role='note'><p><strong>Rows left out of the map</strong> (nothing is deleted):</p><ul>"
            + "".join(f"<li>{esc(p)}</li>" for p in problems) + "</ul></div>")


def frontline_html(fm: FrontlineMap, analysis: Analysis, *, figure: str | None = None) -> str:
    """The whole panel: summary, diagram (``figure``, if already drawn, else drawn now), tables, problems."""
    if not fm.roles:
        return ("<p>No frontline role is listed yet. Add the roles in section 2; the map appears here.</p>"
                + problems_html(fm.problems))
    if figure is None:
        figure = figure_html(draw_frontline(fm, analysis), frontline_alt_text(fm, analysis))
    return (summary_html(fm, analysis) + problems_html(fm.problems) + figure
            + f"<p class='sk-note'>{esc(frontline_alt_text(fm, analysis))}</p>"
            + roles_table_html(fm, analysis) + _populations_html(fm, analysis) + _overlaps_html(fm, analysis))
