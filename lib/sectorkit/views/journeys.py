"""Journey maps drawn: a swimlane diagram, its text alternative, the combined table and the findings.

The diagram (:func:`journey_figure`) has one lane (row) per program and one column per stage, in the
spec's stage order; each step is a box in its program's lane and stage's column, numbered by its place
in the program's journey. Stages two or more programs offer are shaded and their heading says how
many; steps asked by two or more programs (:func:`~sectorkit.partnership.journeys.repeats`) get a
thick dashed orange border. A large map (more than :data:`DETAILED_UNITS` box rows) is drawn compact:
one box per lane and stage saying how many steps are there, so the drawing stays readable and fast
(200 programs and 2,000 steps: ``benchmarks/journeys.py``). Every text is escaped; the image's alt text
(:func:`journey_alt_text`) and the table (:func:`journey_table_html`) say the same in words.

>>> from sectorkit.partnership.journeys import build_journey
>>> j = build_journey({"p": {"name": "Job center"}, "q": {"name": "College"}},
...     [("a", {"program": "p", "stage": "in", "what": "Needs form", "order": 1}),
...      ("b", {"program": "q", "stage": "in", "what": "needs form", "order": 1})],
...     [("in", "Intake"), ("out", "Follow-through")])
>>> journey_alt_text(j, "Employer journeys")  # doctest: +NORMALIZE_WHITESPACE
'Employer journeys: a swimlane diagram with one lane per program (2) and one column per stage (Intake,
 Follow-through); 2 steps. Stages two or more programs offer (shaded): Intake (Job center, College).
 Asked by more than one program (dashed orange border): "Needs form" (Job center, College).
 No follow-through: Job center, College.'
>>> "<img" in journey_html(j, "Employer journeys") and "<caption>" in journey_table_html(j)
True
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from sectorkit.partnership.journeys import (
    Journey,
    no_follow_through,
    repeats,
    shared_stages,
    stage_programs,
    step_key,
    unmapped,
)
from sectorkit.views.figures import figure_html
from sectorkit.views.html import esc

__all__ = ["DETAILED_UNITS", "MAX_LANES", "findings_html", "journey_alt_text", "journey_figure", "journey_html",
           "journey_table_html", "points_table_html"]

#: Okabe-Ito based colours: step fill and edge, repeated step edge, shared stage shading
STEP_FILL, STEP_EDGE, REPEAT_EDGE, SHARED_FILL = "#DCEBF7", "#0072B2", "#D55E00", "#F5D77A"
#: above this many box rows in all lanes, the diagram is drawn compact (one box per lane and stage, darker
#: for more steps); with more lanes than COUNT_LABELS, the compact boxes carry no count (the table has it)
DETAILED_UNITS, COUNT_LABELS = 60, 80
#: the diagram draws the first MAX_LANES programs of the table (its title says so); the table lists all
MAX_LANES = 60
_LIST = 12  # names listed in the alt text before "and N more"


def _names(names: Sequence[str], limit: int = _LIST) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _wrap(text: str, width: int, lines: int) -> str:
    parts = textwrap.wrap(text, width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "\u2026"
    return "\n".join(parts)


def journey_alt_text(journey: Journey, title: str) -> str:
    """The diagram in words: lanes, stages, shared stages with their programs, repeats, no follow-through."""
    stages = [label for _, label in journey.stages]
    by_stage = stage_programs(journey)
    text = (f"{title}: a swimlane diagram with one lane per program ({len(journey.programs)}) and one column per "
            f"stage ({', '.join(stages)}); {len(journey.steps)} step{'s' if len(journey.steps) != 1 else ''}.")
    if len(journey.programs) > MAX_LANES:
        text += f" The diagram draws the first {MAX_LANES} programs; the table lists every one."
    shared = shared_stages(journey)
    if shared:
        text += " Stages two or more programs offer (shaded): " + "; ".join(
            f"{journey.stage_label(v)} ({_names(by_stage[v])})" for v in shared) + "."
    found = repeats(journey)
    if found:
        text += " Asked by more than one program (dashed orange border): " + "; ".join(
            f"\"{r.text}\" ({_names(r.programs)})" for r in found[:_LIST]) + (
            f"; and {len(found) - _LIST} more" if len(found) > _LIST else "") + "."
    missing = no_follow_through(journey)
    if missing:
        text += f" No follow-through: {_names(missing)}."
    return text


def journey_figure(journey: Journey, title: str):
    """The swimlane diagram as a matplotlib ``Figure`` (Agg; nothing shown). Needs one program with a step.

    Lanes top to bottom in the programs table's order, at most :data:`MAX_LANES` (the title says how many
    are left out); x is the stage (categorical, no unit).
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Rectangle

    programs = journey.programs[:MAX_LANES]
    stages = [v for v, _ in journey.stages]
    col = {v: i for i, v in enumerate(stages)}
    cells = [{v: [s for s in p.steps if s.stage == v] for v in stages} for p in programs]
    heights = [max([len(c) for c in lane.values()] + [1]) for lane in cells]
    compact = sum(heights) > DETAILED_UNITS
    if compact:
        heights = [1] * len(programs)
    unit = 0.2 if compact else 0.62  # inches per box row
    col_w = 1.5 if compact else 2.3
    fig = Figure(figsize=(2.4 + col_w * len(stages), 1.9 + unit * sum(heights)))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    tops, y = [], 0.0
    for h in heights:
        tops.append(y)
        y += h
    total = y
    shared = set(shared_stages(journey))
    repeated = {r.key for r in repeats(journey)}
    by_stage = stage_programs(journey)
    most = max([len(by_stage[v]) for v in shared] + [2])
    for v in shared:  # darker where more programs offer the stage
        ax.add_patch(Rectangle((col[v], 0), 1, total, facecolor=SHARED_FILL, edgecolor="none", zorder=0,
                               alpha=0.45 + 0.55 * (len(by_stage[v]) - 1) / (most - 1)))
    for top in tops[1:]:
        ax.axhline(top, color="#999999", linewidth=0.6, zorder=1)
    for i in range(1, len(stages)):
        ax.axvline(i, color="#BBBBBB", linewidth=0.6, zorder=1)
    plain, marked = [], []
    most_steps = max((len(c) for lane in cells for c in lane.values()), default=0) or 1
    shade = matplotlib.colormaps["Blues"]
    fs = 6.5 if compact else 7.5
    for lane, top in zip(cells, tops):
        for v, steps in lane.items():
            if not steps:
                continue
            if compact:
                box = Rectangle((col[v] + 0.06, top + 0.12), 0.88, 0.76)
                box.set_facecolor(shade(min(1.0, 0.15 + 0.85 * len(steps) / most_steps)))
                (marked if any(step_key(s.what) in repeated for s in steps) else plain).append(box)
                if len(programs) <= COUNT_LABELS:
                    ax.text(col[v] + 0.5, top + 0.5, f"{len(steps)} step{'s' if len(steps) != 1 else ''}",
                            ha="center", va="center", fontsize=fs, zorder=4,
                            color="white" if len(steps) / most_steps > 0.6 else "black")
                continue
            for k, s in enumerate(steps):
                box = Rectangle((col[v] + 0.05, top + k + 0.08), 0.9, 0.84)
                (marked if step_key(s.what) in repeated else plain).append(box)
                number = s.order if s.order is not None else None
                head = f"{int(number) if number is not None and float(number).is_integer() else number}. " \
                    if number is not None else ""
                ax.text(col[v] + 0.5, top + k + 0.5, _wrap(head + s.label, 30, 3), ha="center", va="center",
                        fontsize=fs, zorder=4, linespacing=1.15)
    for boxes, edge, width, style, z in ((plain, STEP_EDGE, 0.8, "-", 2), (marked, REPEAT_EDGE, 2.2, "--", 3)):
        fills = [b.get_facecolor() for b in boxes] if compact else STEP_FILL
        ax.add_collection(PatchCollection(boxes, facecolor=fills, edgecolor=edge, linewidth=width,
                                          linestyle=style, zorder=z))
    ax.set_xlim(0, len(stages))
    ax.set_ylim(total, 0)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xticks([i + 0.5 for i in range(len(stages))])
    ax.set_xticklabels([_wrap(label, 18, 2) + (f"\n({len(by_stage[v])} programs)" if v in shared else "")
                        for v, label in journey.stages], fontsize=8.5)
    for tick, v in zip(ax.get_xticklabels(), stages):
        if v in shared:
            tick.set_fontweight("bold")
    ax.set_yticks([t + h / 2 for t, h in zip(tops, heights)])
    ax.set_yticklabels([_wrap(p.name, 40, 1) if compact else _wrap(p.name, 24, 3) for p in programs],
                       fontsize=6 if compact else 8.5)
    ax.tick_params(length=0)
    ax.set_xlabel("Stage of the journey", fontsize=9, labelpad=6)
    ax.set_ylabel("Program (one lane each)", fontsize=9)
    more = len(journey.programs) - len(programs)
    ax.set_title(title + (" (compact: darker boxes hold more steps)" if compact else "")
                 + (f"\nThe first {len(programs)} of {len(journey.programs)} programs; the table lists every one"
                    if more > 0 else ""), fontsize=12,
                 loc="left", fontweight="bold", pad=8)
    ax.legend(handles=[Patch(facecolor=SHARED_FILL, label="Stage offered by two or more programs (darker: more)"),
                       Patch(facecolor=STEP_FILL, edgecolor=STEP_EDGE, label="A step (numbered in its journey)"),
                       Patch(facecolor=STEP_FILL, edgecolor=REPEAT_EDGE, linewidth=2, linestyle="--",
                             label="Asked by more than one program")],
              loc="upper left", bbox_to_anchor=(0, -0.01 if compact else -0.02), ncol=3, fontsize=8, frameon=False)
    for spine in ax.spines.values():
        spine.set_color("#999999")
    return fig


def journey_table_html(journey: Journey) -> str:
    """The combined view as a table: one row per program, one column per stage, its steps listed in order."""
    shared = set(shared_stages(journey))
    by_stage = stage_programs(journey)
    head = "".join(f"<th scope='col'>{esc(label)}"
                   + (f" <small>(offered by {len(by_stage[v])} programs)</small>" if v in shared else "") + "</th>"
                   for v, label in journey.stages)
    rows = []
    for p in journey.programs:
        cells = []
        for v, _ in journey.stages:
            items = [f"<li>{esc(s.label)}" + (f" <em>(receives: {esc(s.receives)})</em>" if s.receives else "")
                     + "</li>" for s in p.steps if s.stage == v]
            cells.append(f"<td><ol style='margin:0;padding-left:1.2em'>{''.join(items)}</ol></td>" if items
                         else "<td>\u2014</td>")
        rows.append(f"<tr><th scope='row'>{esc(p.name)}</th>{''.join(cells)}</tr>")
    return (f"<table class='sk-table'><caption>Steps by program and stage (in each program's order)</caption>"
            f"<thead><tr><th scope='col'>Program</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def points_table_html(journey: Journey) -> str:
    """Strong and weak points of the steps that have one (empty string when none)."""
    rows = [f"<tr><td>{esc(p.name)}</td><td>{esc(journey.stage_label(s.stage))}</td><td>{esc(s.label)}</td>"
            f"<td>{esc(s.strong)}</td><td>{esc(s.weak)}</td></tr>"
            for p in journey.programs for s in p.steps if s.strong or s.weak]
    if not rows:
        return ""
    return ("<table class='sk-table'><caption>Strong and weak points</caption><thead><tr><th scope='col'>Program"
            "</th><th scope='col'>Stage</th><th scope='col'>Step</th><th scope='col'>Strong point</th>"
            f"<th scope='col'>Weak point</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def findings_html(journey: Journey) -> str:
    """Where journeys overlap or repeat, programs without follow-through or steps, and the problems."""
    by_stage = stage_programs(journey)
    items = [f"<li><strong>{esc(journey.stage_label(v))}</strong> is offered by {len(by_stage[v])} programs: "
             f"{esc(', '.join(by_stage[v]))}.</li>" for v in shared_stages(journey)]
    items += [f"<li>Asked by {len(r.programs)} programs: <strong>\u201c{esc(r.text)}\u201d</strong> "
              f"({esc(', '.join(r.programs))}; {esc(', '.join(r.stages))}).</li>" for r in repeats(journey)]
    missing, empty = no_follow_through(journey), unmapped(journey)
    if missing:
        items.append(f"<li>No follow-through step: {esc(', '.join(missing))}.</li>")
    if empty:
        items.append(f"<li>Listed with no step yet: {esc(', '.join(empty))}.</li>")
    body = (f"<h3 style='font-size:1.05em'>Where journeys overlap or repeat</h3><ul>{''.join(items)}</ul>" if items
            else "<p>No stage is offered by two programs and nothing is asked twice.</p>")
    if journey.problems:
        body += ("<h3 style='font-size:1.05em'>Check these rows</h3><ul class='sk-problems'>"
                 + "".join(f"<li>{esc(p)}</li>" for p in journey.problems) + "</ul>")
    return body


def journey_html(journey: Journey, title: str) -> str:
    """The diagram (with its alt text), the findings and the tables; a sentence when no step is placed yet."""
    if not journey.steps:
        note = "No program has a step yet: add programs, then their steps, to see the journeys side by side."
        return f"<p>{esc(note)}</p>" + findings_html(journey) if journey.problems or journey.programs else \
            f"<p>{esc(note)}</p>"
    figure = figure_html(journey_figure(journey, title), journey_alt_text(journey, title))
    return figure + findings_html(journey) + journey_table_html(journey) + points_table_html(journey)
