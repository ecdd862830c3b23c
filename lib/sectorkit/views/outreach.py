"""The outreach map as HTML: the burden measures, a program-by-business heat map, its words and its table.

The heat map has one row per program and one column per business (heaviest first); a cell's
colour is the program's **contacts a year** with that business (a log scale: 1, 4, 12, 52 are the
yearly, quarterly, monthly and weekly steps), empty cells are pale grey, and the colour bar names
the unit. Large maps show, among the 40 businesses with the most contacts, those contacted by the
30 programs that contact them most, and say so. The same numbers come as a table, and the figure's
alt text says in words what it shows. All text is escaped.

>>> from sectorkit.partnership.outreach import build_map
>>> m = build_map({"a": {"name": "Youth"}, "b": {"name": "Chamber"}},
...               [{"program": "a", "business-name": "Apex", "frequency": "monthly"},
...                {"program": "b", "business-name": "Apex", "frequency": "quarterly"}])
>>> a = analysis(m)
>>> heat_alt_text(a)  # doctest: +NORMALIZE_WHITESPACE
'Heat map of contacts a year: 2 programs (rows) by 1 business (columns). Apex: 16 contacts a year from 2 programs
 (Youth 12, Chamber 4).'
>>> "<img" in outreach_html(a) and "<th scope=\\"col\\">Apex</th>" in heat_table_html(a)
True
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

from sectorkit.partnership.outreach import CROWDED, BusinessBurden, OutreachAnalysis, OutreachMap, analyse
from sectorkit.views.figures import figure_html
from sectorkit.views.html import esc

__all__ = ["MAX_BUSINESSES", "MAX_PROGRAMS", "analysis", "burden_table_html", "heat_alt_text", "heat_figure",
           "heat_table_html", "outreach_html", "summary_html"]

#: the most programs and businesses the heat map and its table show (the heaviest)
MAX_PROGRAMS, MAX_BUSINESSES = 30, 40
#: the colour bar's steps: contacts a year of each frequency
STEPS = (1, 4, 12, 52)


def _n(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _short(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def analysis(m: OutreachMap) -> OutreachAnalysis:
    """:func:`~sectorkit.partnership.outreach.analyse` with the heat map's limits (:data:`MAX_PROGRAMS`,
    :data:`MAX_BUSINESSES`): what every function here takes."""
    return analyse(m, MAX_PROGRAMS, MAX_BUSINESSES)


def _left_out(a: OutreachAnalysis) -> str:
    programs, businesses, _ = a.heat
    total_b, total_p = len(a.burden), a.programs_contacting
    parts = []
    if len(businesses) < total_b:
        parts.append(f"{len(businesses)} of the {total_b:,} businesses (among the {MAX_BUSINESSES} with the most "
                     "contacts a year)")
    if len(programs) < total_p:
        parts.append(f"the {len(programs)} programs contacting them most (of {total_p:,})")
    return ("Shows " + " and ".join(parts) + "; the tables list every business.") if parts else ""


def heat_figure(a: OutreachAnalysis):
    """The heat map (a matplotlib Figure), or None when no contact is counted yet.

    Rows: programs (axis "Program"); columns: businesses, heaviest first (axis "Business"); colour:
    contacts a year on a log scale, with a colour bar labelled "Contacts a year".
    """
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import LogNorm
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, NullLocator

    programs, businesses, values = a.heat
    if not programs:
        return None
    data = np.ma.masked_equal(np.array(values, dtype=float), 0.0)
    top = max(2.0, float(data.max()))
    width = min(16.0, max(6.5, 2.8 + 0.32 * len(businesses)))
    height = min(16.0, max(3.6, 2.4 + 0.4 * len(programs)))
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    cmap = colormaps["YlOrRd"].with_extremes(bad="#eeeeee")
    image = ax.imshow(data, cmap=cmap, norm=LogNorm(vmin=1, vmax=top), aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(businesses)), [_short(b) for b in businesses], rotation=55, ha="right",
                  rotation_mode="anchor", fontsize=8)
    ax.set_yticks(range(len(programs)), [textwrap.fill(textwrap.shorten(p, 60, placeholder="\u2026"), 30)
                                         for p in programs], fontsize=8)
    ax.set_xticks([x - 0.5 for x in range(1, len(businesses))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(programs))], minor=True)
    ax.grid(which="minor", color="white", linewidth=0.8)
    ax.tick_params(which="minor", length=0)
    if len(programs) * len(businesses) <= 400:
        for (i, j), v in np.ndenumerate(np.array(values)):
            if v:
                ax.text(j, i, _n(v), ha="center", va="center", fontsize=7,
                        color="white" if math.log(v) > 0.6 * math.log(top) else "black")
    ax.set_xlabel("Business (most contacts a year first)")
    ax.set_ylabel("Program or organization")
    ax.set_title("Contacts a year, by program and business", fontsize=12, fontweight="bold")
    bar = fig.colorbar(image, ax=ax, shrink=0.9, pad=0.02)
    bar.set_label("Contacts a year (log scale; grey: none)")
    ticks = [t for t in STEPS if t <= top] + ([top] if top > STEPS[-1] else [])
    bar.ax.yaxis.set_major_locator(FixedLocator(ticks))
    bar.ax.yaxis.set_minor_locator(NullLocator())
    bar.ax.set_yticklabels([_n(t) for t in ticks])
    return fig


def heat_alt_text(a: OutreachAnalysis, say: int = 8) -> str:
    """The heat map in words: its size, then the ``say`` heaviest businesses with each program's contacts a year."""
    programs, businesses, values = a.heat
    if not programs:
        return "Heat map of contacts a year: no contact is recorded yet."
    words = [f"Heat map of contacts a year: {_plural(len(programs), 'program')} (rows) by "
             f"{_plural(len(businesses), 'business', 'businesses')} (columns)."]
    note = _left_out(a)
    if note:
        words.append(note)
    for j, name in enumerate(businesses[:say]):
        cells = [(programs[i], values[i][j]) for i in range(len(programs)) if values[i][j]]
        cells.sort(key=lambda pv: -pv[1])
        total = sum(v for _, v in cells)
        detail = ", ".join(f"{p} {_n(v)}" for p, v in cells)
        words.append(f"{name}: {_n(total)} contact{'' if total == 1 else 's'} a year from "
                     f"{_plural(len(cells), 'program')} ({detail}).")
    if len(businesses) > say:
        words.append(f"{len(businesses) - say} more businesses with fewer contacts; see the table.")
    return " ".join(words)


def heat_table_html(a: OutreachAnalysis) -> str:
    """The heat map's numbers: a row per program, a column per business, contacts a year (blank: none)."""
    programs, businesses, values = a.heat
    if not programs:
        return ""
    head = '<th scope="col">Program</th>' + "".join(f'<th scope="col">{esc(b)}</th>' for b in businesses)
    body = []
    for name, row in zip(programs, values):
        body.append(f'<tr><th scope="row">{esc(name)}</th>' + "".join(f"<td>{_n(v) if v else ''}</td>" for v in row)
                    + "</tr>")
    totals = [sum(row[j] for row in values) for j in range(len(businesses))]
    body.append('<tr><th scope="row">All programs</th>' + "".join(f"<td><strong>{_n(t)}</strong></td>" for t in totals)
                + "</tr>")
    note = _left_out(a)
    cap = "Contacts a year, by program (rows) and business (columns)" + (f". {note}" if note else "")
    return (f'<div style="overflow-x:auto;max-width:100%"><table class="sk-table"><caption>{esc(cap)}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def burden_table_html(loads: Sequence[BusinessBurden], caption: str = "Contacts per business, heaviest first") -> str:
    """One row per business: programs reaching it, contact rows, contacts a year, the programs and the reasons."""
    head = "".join(f'<th scope="col">{h}</th>' for h in ("Business", "Programs", "Contacts listed",
                                                          "Contacts a year", "Which programs", "Why they call"))
    body = []
    for b in loads:
        cells = [str(b.programs), str(b.contacts), _n(b.per_year), ", ".join(b.program_names), "; ".join(b.reasons)]
        body.append(f'<tr><th scope="row">{esc(b.name)}</th>' + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    return (f'<table class="sk-table"><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _list(items: Sequence[str], limit: int = 25) -> str:
    shown = "".join(f"<li>{esc(i)}</li>" for i in items[:limit])
    more = f"<li>and {len(items) - limit} more</li>" if len(items) > limit else ""
    return f"<ul class='sk-list'>{shown}{more}</ul>"


def summary_html(a: OutreachAnalysis, heading: str = "h3") -> str:
    """The measures in words and lists: headline counts, crowded and unreached businesses, overlapping
    programs (the 15 pairs sharing most), likely duplicate spellings and rows not counted."""
    m, loads, many, missed, pairs = a.map, a.burden, a.crowded, a.unreached, a.overlaps
    total = sum(b.per_year for b in loads)
    parts = [f"<p>{_plural(len(m.programs), 'program')} listed; {_plural(len(loads), 'business', 'businesses')} "
             f"contacted, {_n(total)} contacts a year in all"
             + (f", {_n(total / len(loads))} per business on average" if loads else "")
             + f"; {_plural(len(m.tables), 'advisory table')}.</p>"]
    if m.spellings:
        parts.append("<p><strong>These may be one business written differently:</strong></p>"
                     + _list([s.message() for s in m.spellings]))
    parts.append(f"<{heading}>Reached by {CROWDED} or more programs</{heading}>")
    parts.append(_list([f"{b.name}: {b.programs} programs ({', '.join(b.program_names)}), {_n(b.per_year)} contacts "
                        "a year" for b in many]) if many else "<p>No business is reached by that many programs.</p>")
    scope = f"in {m.sector}" if m.sector else "in the Universe (no target sector given)"
    parts.append(f"<{heading}>Businesses {esc(scope)} that no program reaches</{heading}>")
    if not m.sector_businesses:
        parts.append(f"<p>The Universe of Connections has no business {esc(scope)} yet.</p>")
    else:
        parts.append(_list([name for _, name in missed]) if missed
                     else f"<p>Every one of the {len(m.sector_businesses)} is contacted by at least one program.</p>")
    parts.append(f"<{heading}>Programs calling on the same businesses</{heading}>")
    if pairs:
        head = "".join(f'<th scope="col">{h}</th>' for h in ("Program A", "Program B", "Businesses both contact",
                                                              "Overlap (shared / either)"))
        rows = "".join(f"<tr><td>{esc(o.a)}</td><td>{esc(o.b)}</td><td>{esc(', '.join(o.shared))}</td>"
                       f"<td>{o.jaccard:.0%}</td></tr>" for o in pairs[:15])
        more = f" The {len(pairs)} pairs are sorted by businesses shared; the first 15 are shown." if len(pairs) > 15 \
            else ""
        parts.append(f'<table class="sk-table"><caption>Pairs of programs sharing businesses.{esc(more)}</caption>'
                     f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    else:
        parts.append("<p>No two programs contact the same business.</p>")
    if m.problems:
        parts.append("<p><strong>Needs attention:</strong></p>" + _list(list(m.problems)))
    return "".join(parts)


def outreach_html(a: OutreachAnalysis, heading: str = "h3") -> str:
    """Everything: the summary, the heat map with its alt text, its table, and the per-business table."""
    parts = [summary_html(a, heading), f"<{heading}>Heat map: who contacts whom, how often</{heading}>"]
    fig = heat_figure(a)
    if fig is None:
        parts.append("<p>No contact is recorded yet: add programs, then the businesses each one contacts.</p>")
        return "".join(parts)
    parts.append(figure_html(fig, heat_alt_text(a), caption=_left_out(a) or None))
    parts.append(heat_table_html(a))
    parts.append(burden_table_html(a.burden))
    return "".join(parts)
