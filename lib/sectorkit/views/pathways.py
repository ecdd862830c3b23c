"""The career pathway map as HTML: the "program or system?" summary, the diagram, its words and its table.

The diagram is a directed graph drawn **left to right by credential level**: one column per level
(1 high-school CTE ... 5 bachelor's and above; a last column for programs with no level), each
program a labelled box coloured by its institution, each link an arrow styled by its kind
(stackable solid, articulation dashed, dual enrollment dash-dot, referral dotted; grey when not in
writing). Entry points have a thick black border, dead ends a red dashed one. A level with more
than :data:`PER_COLUMN` programs is split into several columns, so the figure grows wider with the
number of programs per level instead of squeezing them; labels are wrapped to two lines and
shortened with an ellipsis to fit their box, so none is cut off. Lines and arrowheads are drawn as
two collections, so 2,000 links draw in a fraction of a second. All text is escaped.

>>> from sectorkit.partnership.pathways import build_map
>>> m = build_map({"a": {"name": "Welding I", "institution": "North High", "level": "1", "entry": True},
...                "b": {"name": "Welding certificate", "institution": "Valley College", "level": "2",
...                      "occupations": "Welder"}},
...               [{"from": "a", "to": "b", "kind": "articulation", "written": True}])
>>> pathway_alt_text(m)  # doctest: +NORMALIZE_WHITESPACE
'Career pathway map, left to right by credential level: 2 programs at 2 institutions, 1 link
 (1 articulation agreement). Level 1: 1 program. Level 2: 1 program. No program at levels 3, 4, 5.
 Entry points: Welding I.'
>>> "<img" in pathways_html(m) and "<td>Welding certificate</td>" in programs_table_html(m)
True
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from sectorkit.partnership.pathways import (
    INSTITUTION_TYPES,
    LEVELS,
    LINK_KINDS,
    Analysis,
    PathwayMap,
    analyse,
    link_counts,
)
from sectorkit.views.figures import figure_html
from sectorkit.views.html import esc

__all__ = ["PER_COLUMN", "pathway_alt_text", "pathway_figure", "pathways_html", "programs_table_html",
           "summary_html"]

#: the most programs stacked in one column; a level with more is split into several columns
PER_COLUMN = 14
#: column width and row height in inches; box size in data units (a column is 1 wide, a row 1 high)
COL_IN, ROW_IN, BOX_W, BOX_H = 2.3, 0.62, 0.8, 0.74
#: characters per label line at 8 pt in a box of BOX_W * COL_IN inches, and lines per label
WRAP, LINES = 24, 2
#: link kind -> (colour, line style, legend label)
STYLES = {"stackable": ("#1b4f72", "-"), "articulation": ("#7d3c98", "--"), "dual-enrollment": ("#117a65", "-."),
          "referral": ("#6e6e6e", ":"), "": ("#6e6e6e", ":")}
NO_LEVEL = "no level"
PALETTE = ("#a6cee3", "#b2df8a", "#fdbf6f", "#cab2d6", "#fb9a99", "#ffff99", "#8dd3c7", "#bebada", "#80b1d3",
           "#fccde5", "#d9d9d9", "#ccebc5")
LEGEND_INSTITUTIONS = 12


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def label_lines(text: str, width: int = WRAP, lines: int = LINES) -> str:
    """A label wrapped to at most ``lines`` lines of ``width`` characters, the last shortened with "…".

    >>> label_lines("Advanced manufacturing technology associate degree with a long name")
    'Advanced manufacturing\\ntechnology associate de…'
    """
    parts = textwrap.wrap(" ".join(str(text).split()), width) or [""]
    if len(parts) > lines:
        rest = " ".join(parts[lines - 1:])
        parts = parts[: lines - 1] + [rest[: width - 1] + "\u2026"]
    return "\n".join(parts)


def _label_paths(labels: Sequence[tuple[float, float, str]], ux_in: float, uy_in: float, size: float = 8) -> list:
    """Each ``(x, y, text)`` label as glyph outlines centred on (x, y), in data units (``ux_in``/``uy_in``
    inches per unit). One collection of paths draws ten times faster than one ``Text`` per box (a
    200-program map spent half a second on its labels), looks the same at this size, and never reads
    "$" as mathematics."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.path import Path
    from matplotlib.textpath import TextPath

    prop, lead = FontProperties(size=size), size * 1.25
    sx, sy = 1 / 72 / ux_in, 1 / 72 / uy_in
    out = []
    for x, y, text in labels:
        lines = text.split("\n")
        for j, line in enumerate(lines):
            if not line.strip():
                continue
            tp = TextPath((0, 0), line.replace("$", "\\$"), size=size, prop=prop)  # "$" is text, never maths
            v = tp.vertices.copy()
            width = float(v[:, 0].max()) if len(v) else 0.0
            v[:, 0] = x + (v[:, 0] - width / 2) * sx
            v[:, 1] = y + (v[:, 1] + (len(lines) - 1) / 2 * lead - j * lead - 0.36 * size) * sy
            out.append(Path(v, tp.codes))
    return out


def _columns(m: PathwayMap) -> list[tuple[str, list[str]]]:
    """(heading, program ids) per drawn column, left to right; a level's programs by institution, then name."""
    by: dict[object, list[str]] = {lv: [] for lv in LEVELS}
    for pid, p in m.programs.items():
        by.setdefault(p.level if p.level else NO_LEVEL, []).append(pid)
    cols = []
    for lv, ids in by.items():
        ids.sort(key=lambda pid: (m.programs[pid].institution.casefold(), m.programs[pid].name.casefold()))
        head = (f"Level {lv}\n" + label_lines(LEVELS[lv], 26)) if lv != NO_LEVEL else "Level not given"
        chunks = [ids[i:i + PER_COLUMN] for i in range(0, len(ids), PER_COLUMN)] or [[]]
        for j, chunk in enumerate(chunks):
            cols.append((head if j == 0 else f"Level {lv} (cont.)" if lv != NO_LEVEL else "(cont.)", chunk))
    return cols


def pathway_figure(m: PathwayMap, result: Analysis | None = None):
    """The pathway diagram (a matplotlib Figure), or None when no program is on the map.

    The figure is ``2.5 in`` per column wide (a level with more than :data:`PER_COLUMN` programs
    takes several columns) and ``0.62 in`` per program of the fullest column high, plus room for
    the headings and legend.
    """
    if not m.programs:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection, PatchCollection, PathCollection, PolyCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    result = result or analyse(m)
    cols = _columns(m)
    rows = max(1, max(len(ids) for _h, ids in cols))
    pos = {pid: (x, -y) for x, (_h, ids) in enumerate(cols) for y, pid in enumerate(ids)}
    insts = list(m.institutions)
    colour = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(insts)}
    width = max(6.0, COL_IN * len(cols))
    ncol = max(2, min(4, int(width // 2.4)))
    shown = insts[:LEGEND_INSTITUTIONS]
    n_places = len(shown) + (len(insts) > len(shown))
    kinds_in = 0.3 + 0.2 * -(-(len(LINK_KINDS) + 3) // ncol)
    places_in = 0.3 + 0.2 * -(-n_places // ncol)
    plot_in = ROW_IN * (rows + 0.9)
    height = kinds_in + places_in + plot_in + 0.45
    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.01, (kinds_in + places_in) / height, 0.98, plot_in / height))
    ax.set_xlim(-0.55, len(cols) - 0.45)
    ax.set_ylim(-rows + 0.5, 1.4)
    ax.set_axis_off()
    # inches per data unit, so arrowheads keep their shape whatever the figure's size
    ux_in, uy_in = 0.98 * width / len(cols) / (1 + 0.1 / len(cols)), plot_in / (rows + 0.9)
    for x, (head, _ids) in enumerate(cols):
        ax.text(x, 0.55, head, ha="center", va="bottom", fontsize=8, fontweight="bold")
    ends = set(result.dead_ends)
    boxes, faces, edges, widths, styles, labels = [], [], [], [], [], []
    for pid, (x, y) in pos.items():
        p = m.programs[pid]
        boxes.append(Rectangle((x - BOX_W / 2, y - BOX_H / 2), BOX_W, BOX_H))
        faces.append(colour[p.institution_key])
        edges.append("#c0392b" if pid in ends else "#000000" if p.entry else "#555555")
        widths.append(2.2 if p.entry or pid in ends else 0.6)
        styles.append("--" if pid in ends else "-")
        labels.append((x, y, label_lines(p.name)))
    ax.add_collection(PathCollection(_label_paths(labels, ux_in, uy_in), facecolors="#111111", edgecolors="none",
                                     zorder=4))
    ax.add_collection(PatchCollection(boxes, facecolors=faces, edgecolors=edges, linewidths=widths,
                                      linestyles=styles, zorder=3))
    segs: dict[tuple[str, bool], list] = {}
    heads: dict[tuple[str, bool], list] = {}
    half, size = BOX_W / 2, 0.09  # arrowhead length in inches
    for link in m.links:
        (sx, sy), (tx, ty) = pos[link.source], pos[link.target]
        kind = link.kind if link.kind in STYLES else ""
        if tx > sx:
            pts = [(sx + half, sy), (tx - half, ty)]
        elif tx < sx:
            pts = [(sx - half, sy), (tx + half, ty)]
        else:  # same column: round the right-hand side
            pts = [(sx + half, sy), (sx + half + 0.1, (sy + ty) / 2), (tx + half, ty)]
        (ax0, ay0), (bx, by) = pts[-2], pts[-1]
        dx, dy = (bx - ax0) * ux_in, (by - ay0) * uy_in
        norm = max((dx * dx + dy * dy) ** 0.5, 1e-9)
        dx, dy = dx / norm * size, dy / norm * size
        back = (bx - dx / ux_in, by - dy / uy_in)
        side = (-dy / 2 / ux_in, dx / 2 / uy_in)
        key = (kind, link.written)
        segs.setdefault(key, []).append(pts)
        heads.setdefault(key, []).append([(bx, by), (back[0] + side[0], back[1] + side[1]),
                                          (back[0] - side[0], back[1] - side[1])])
    for (kind, written), lines in segs.items():
        col, ls = STYLES[kind]
        shade = col if written else "#9a9a9a"
        ax.add_collection(LineCollection(lines, colors=shade, linestyles=ls, linewidths=1.4 if written else 1.0,
                                         alpha=0.85, zorder=2))
        ax.add_collection(PolyCollection(heads[(kind, written)], facecolors=shade, edgecolors=shade, zorder=2))
    ax.set_title(f"Career pathway map: {_plural(len(m.programs), 'program')} at "
                 f"{_plural(len(insts), 'institution')}, left to right by credential level", fontsize=11, pad=4)
    kinds = [Line2D([], [], color=STYLES[k][0], linestyle=STYLES[k][1], label=LINK_KINDS[k]) for k in LINK_KINDS]
    kinds += [Line2D([], [], color="#9a9a9a", label="Not in writing (grey)"),
              Patch(facecolor="white", edgecolor="black", linewidth=2.2, label="Entry point"),
              Patch(facecolor="white", edgecolor="#c0392b", linewidth=2.2, linestyle="--", label="Dead end")]
    places = [Patch(facecolor=colour[k], edgecolor="#555555", label=label_lines(m.institutions[k], 40, 1))
              for k in shown]
    if len(insts) > len(shown):
        places.append(Patch(facecolor="white", edgecolor="white", label=f"and {len(insts) - len(shown)} more"))
    fig.legend(handles=kinds, loc="upper left", bbox_to_anchor=(0.01, (kinds_in + places_in) / height), fontsize=8,
               ncol=ncol, title="Links (arrows) and boxes", title_fontsize=8, frameon=False, alignment="left")
    legend = fig.legend(handles=places, loc="upper left", bbox_to_anchor=(0.01, places_in / height), fontsize=8,
                        ncol=ncol, title="Institutions (box colour)", title_fontsize=8, frameon=False, alignment="left")
    for text in legend.get_texts():
        text.set_parse_math(False)  # institution names are the team's text: "$" is not maths
    return fig


def pathway_alt_text(m: PathwayMap, result: Analysis | None = None) -> str:
    """The diagram in words: counts by level, links by kind, gaps, entry points, dead ends and islands."""
    if not m.programs:
        return "Career pathway map: no program yet."
    result = result or analyse(m)
    counts = link_counts(m)
    kinds = ", ".join(_plural(n, LINK_KINDS.get(k, "link of unstated kind").lower() if k else
                              "link of unstated kind", None) for k, n in counts.most_common())
    parts = [f"Career pathway map, left to right by credential level: {_plural(len(m.programs), 'program')} at "
             f"{_plural(len(m.institutions), 'institution')}, {_plural(len(m.links), 'link')}"
             + (f" ({kinds})." if kinds else ".")]
    levels: dict[object, int] = {}
    for p in m.programs.values():
        levels[p.level or NO_LEVEL] = levels.get(p.level or NO_LEVEL, 0) + 1
    for lv in [*LEVELS, NO_LEVEL]:
        if levels.get(lv):
            parts.append(f"{'Level ' + str(lv) if lv != NO_LEVEL else 'No level given'}: "
                         f"{_plural(levels[lv], 'program')}.")
    if result.missing_levels:
        parts.append("No program at level" + ("s " if len(result.missing_levels) > 1 else " ")
                     + ", ".join(map(str, result.missing_levels)) + ".")
    entries = [p.name for p in m.programs.values() if p.entry]
    if entries:
        parts.append("Entry points: " + _some(entries) + ".")
    if result.dead_ends:
        parts.append("Dead ends: " + _some([m.name(p) for p in result.dead_ends]) + ".")
    if result.islands:
        parts.append(f"{_plural(len(result.islands), 'island')} within one institution.")
    if result.cycles:
        parts.append(f"{_plural(len(result.cycles), 'circle')} of links.")
    return " ".join(parts)


def _some(names: Sequence[str], limit: int = 10) -> str:
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def programs_table_html(m: PathwayMap, result: Analysis | None = None,
                        caption: str = "Programs by credential level, with the programs each leads to") -> str:
    """Every program (by level, institution, name) with its institution, credential, occupations, where it
    leads (link kind, and "in writing"), work-based learning, entry point and dead end, as an escaped table."""
    result = result or analyse(m)
    ends = set(result.dead_ends)
    nxt: dict[str, list[str]] = {}
    for k in m.links:
        how = LINK_KINDS.get(k.kind, "link").lower() + (", in writing" if k.written else "")
        nxt.setdefault(k.source, []).append(f"{m.name(k.target)} ({how})")
    head = ("<tr><th scope=\"col\">Level</th><th scope=\"col\">Program</th><th scope=\"col\">Institution</th>"
            "<th scope=\"col\">Credential</th><th scope=\"col\">Occupations in the sector</th>"
            "<th scope=\"col\">Leads to</th><th scope=\"col\">Work-based learning</th>"
            "<th scope=\"col\">Entry point</th>"
            "<th scope=\"col\">Dead end</th></tr>")
    body = []
    for _head, ids in _columns(m):
        for pid in ids:
            p = m.programs[pid]
            kind = INSTITUTION_TYPES.get(p.kind, "")
            body.append(f"<tr><td>{p.level or 'not given'}</td><td>{esc(p.name)}</td>"
                        f"<td>{esc(p.institution)}{' (' + esc(kind) + ')' if kind else ''}</td>"
                        f"<td>{esc(p.credential)}</td><td>{esc('; '.join(p.occupations))}</td>"
                        f"<td>{esc('; '.join(nxt.get(pid, [])) or 'nothing')}</td>"
                        f"<td>{'yes' if p.work_based else 'no'}</td><td>{'yes' if p.entry else 'no'}</td>"
                        f"<td>{'yes' if pid in ends else ''}</td></tr>")
    return (f"<table class=\"sk-table\"><caption>{esc(caption)}</caption><thead>{head}</thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def summary_html(m: PathwayMap, result: Analysis | None = None, heading: str = "h3") -> str:
    """The "program or system?" verdict, its reasons and the problems found (cycles, deleted programs)."""
    result = result or analyse(m)
    h = heading if heading in ("h2", "h3", "h4") else "h3"
    parts = [f"<{h}>Program or system?</{h}><p><strong>{esc(result.verdict)}</strong></p>",
             "<ul>" + "".join(f"<li>{esc(s)}</li>" for s in result.sentences) + "</ul>"]
    if result.problems:
        parts.append(f"<{h}>To check</{h}><ul class=\"sk-problems\">"
                     + "".join(f"<li>{esc(t)}</li>" for t in result.problems) + "</ul>")
    return "".join(parts)


def pathways_html(m: PathwayMap, heading: str = "h3") -> str:
    """The summary, the diagram with its text alternative, and the programs table (or a line when empty)."""
    result = analyse(m)
    if not m.programs:
        return summary_html(m, result, heading)
    fig = pathway_figure(m, result)
    alt = pathway_alt_text(m, result)
    return (summary_html(m, result, heading) + figure_html(fig, alt, crop=False)
            + f"<p class=\"sk-note\">{esc(alt)}</p>" + programs_table_html(m, result))
