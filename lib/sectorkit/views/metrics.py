"""The metrics dashboard as HTML: per category, a chart of each metric's values against its target, and a table.

Each category's chart is one matplotlib figure with one panel per metric that has values (its own
y axis, labelled with the metric's unit, since a category mixes companies, dollars and percentages),
the values as a line with points, the target as a dashed line, and the latest value written beside
its point. It is embedded as an ``<img>`` whose alt text says the same in words
(:func:`category_alt_text`); the table under it lists every metric of the category, with or without
values. Stories are listed with their quote only when the person agreed to it being shared.
All text is escaped.

>>> from sectorkit.partnership.metrics import Metric
>>> m = Metric("r1", "Work experience openings", "work-experience", "people", "process", "", "openings", "",
...            60.0, True, [("2026-03-31", 20.0), ("2026-09-30", 45.0)])
>>> category_alt_text("Jobseekers and students", [m])  # doctest: +NORMALIZE_WHITESPACE
'Chart of Jobseekers and students, one panel per metric. Work experience openings (openings, process):
 2 values from 2026-03-31 to 2026-09-30, from 20 to 45; latest 45 on 2026-09-30; target 60 (75% of target).'
>>> "<img" in category_html("Jobseekers and students", [m]) and "75%" in metrics_table_html([m])
True
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from datetime import date, timedelta

from sectorkit.partnership.metrics import CATEGORIES, Metric, Story, latest_value, progress_to_target
from sectorkit.views.figures import figure_html
from sectorkit.views.html import esc

__all__ = ["category_alt_text", "category_figure", "category_html", "dashboard_html", "fmt", "metrics_table_html",
           "problems_html", "stories_html"]

#: Okabe-Ito colours: values, target
VALUE_COLOUR, TARGET_COLOUR = "#0072B2", "#D55E00"
NO_CATEGORY = "No category chosen"


def fmt(number: float | None) -> str:
    """A number as a person reads it: thousands separated, at most two decimals, none for whole numbers.

    >>> fmt(12500.0), fmt(0.125), fmt(None)
    ('12,500', '0.12', '')
    """
    if number is None:
        return ""
    if float(number).is_integer():
        return f"{number:,.0f}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def _percent(fraction: float | None) -> str:
    return "" if fraction is None else f"{fraction:.0%}"


def _charted(metrics: Sequence[Metric]) -> list[Metric]:
    return [m for m in metrics if m.values]


def category_figure(label: str, metrics: Sequence[Metric]):
    """The category's figure (one panel per metric with values), or None when none has a value yet.

    Each panel: x is the date (axis "Date"), y the value in the metric's unit (axis labelled with
    the unit), the target a dashed line labelled "Target <n>".
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    shown = _charted(metrics)
    if not shown:
        return None
    cols = 1 if len(shown) == 1 else 2
    rows = math.ceil(len(shown) / cols)
    fig = Figure(figsize=(5.2 * cols, 3.3 * rows + 0.5), dpi=100)
    FigureCanvasAgg(fig)
    title = textwrap.fill(f"{label}: values against targets", int(8.5 * 5.2 * cols))  # 12 pt bold fits
    _lay_out(fig, shown, rows, cols, title.count("\n") + 1)
    fig.suptitle(title, fontsize=12, fontweight="bold")
    axes = fig.subplots(rows, cols, squeeze=False)
    first = min(date.fromisoformat(m.values[0][0]) for m in shown)
    last = max(date.fromisoformat(m.values[-1][0]) for m in shown)
    pad = timedelta(days=max(7, (last - first).days // 12))  # every panel of a category spans the same dates
    for ax, m in zip(axes.flat, shown):
        days = [date.fromisoformat(d) for d, _ in m.values]
        values = [v for _, v in m.values]
        ax.plot(days, values, marker="o", color=VALUE_COLOUR, linewidth=2, label="Value", clip_on=False)
        ax.annotate(fmt(values[-1]), (days[-1], values[-1]), textcoords="offset points", xytext=(6, 6), fontsize=9,
                    color=VALUE_COLOUR)
        top = max(values + ([m.target] if m.target is not None else []))
        if m.target is not None:
            ax.axhline(m.target, color=TARGET_COLOUR, linestyle="--", linewidth=1.5, label=f"Target {fmt(m.target)}")
        if min(values) >= 0:
            ax.set_ylim(0, top * 1.18 if top > 0 else 1)
        locator = AutoDateLocator(minticks=2, maxticks=6)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        ax.set_xlim(first - pad, last + pad)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt(v)))
        ax.set_title(textwrap.fill(m.name, 48), fontsize=10, y=1.0)  # placed, not measured against the ticks
        ax.set_xlabel("Date")
        ax.set_ylabel(textwrap.fill(m.unit or "value", 24))
        ax.grid(True, axis="y", alpha=0.3)
        ax.legend(fontsize=8, loc="lower right", frameon=False)
    for ax in list(axes.flat)[len(shown):]:
        ax.set_visible(False)
    return fig


def _lay_out(fig, shown: Sequence[Metric], rows: int, cols: int, heading_lines: int = 1) -> None:
    """Margins and gaps in inches, from the text each panel carries (the longest value on the y axis,
    the lines of the unit and of the title): the room matplotlib's constrained layout would find by
    measuring every label, for about half the drawing time of a category's chart."""
    width, height = fig.get_size_inches()
    def widest(m: Metric) -> int:  # the y axis's longest label: its highest or its lowest (a negative) value
        values = [x for _, x in m.values] + ([m.target] if m.target is not None else [])
        decimals = 3 if any(not float(x).is_integer() for x in values) else 0
        return max(len(fmt(v)) for v in (min(values), max(values))) + decimals

    longest = max(widest(m) for m in shown)
    unit_lines = max(len(textwrap.wrap(m.unit or "value", 24)) for m in shown)
    title_lines = max(len(textwrap.wrap(m.name, 48)) for m in shown)
    left = 0.25 + 0.075 * max(longest, 3) + 0.18 * unit_lines  # tick labels, then the unit
    # the latest value's label starts 6 pt right of its point, which sits at least 1/14 of the panel
    # (the date padding) inside the panel's edge; it may reach past the edge by this much
    label = max(len(fmt(x)) for m in shown for _, x in m.values[-1:])
    right = max(0.2, 0.15 + 0.08 * label - 0.2)
    bottom = 0.55  # the dates and "Date"
    top = 0.3 + 0.22 * heading_lines + 0.2 * title_lines  # the figure's title, then the panel's
    gap_w, gap_h = left + right, bottom + 0.2 * title_lines + 0.2
    panel_w = max(0.5, (width - left - right - (cols - 1) * gap_w) / cols)
    panel_h = max(0.5, (height - top - bottom - (rows - 1) * gap_h) / rows)
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height,
                        wspace=gap_w / panel_w, hspace=gap_h / panel_h)


def _metric_words(m: Metric) -> str:
    what = ", ".join(x for x in (m.unit, m.kind_label.lower()) if x)
    head = f"{m.name} ({what})" if what else m.name
    if not m.values:
        return f"{head}: no values yet" + (f"; target {fmt(m.target)}." if m.target is not None else ".")
    n = len(m.values)
    latest = latest_value(m)
    words = f"{head}: {n} value{'s' if n != 1 else ''}"
    if n > 1:
        words += f" from {m.values[0][0]} to {latest[0]}, from {fmt(m.values[0][1])} to {fmt(latest[1])}"
    words += f"; latest {fmt(latest[1])} on {latest[0]}"
    if m.target is not None:
        progress = progress_to_target(m)
        words += f"; target {fmt(m.target)}" + (f" ({_percent(progress)} of target)" if progress is not None else "")
    return words + "."


def category_alt_text(label: str, metrics: Sequence[Metric]) -> str:
    """The chart in words: per charted metric, its values' span, latest value, target and progress."""
    return f"Chart of {label}, one panel per metric. " + " ".join(_metric_words(m) for m in _charted(metrics))


def metrics_table_html(metrics: Sequence[Metric], caption: str = "") -> str:
    """One row per metric: name, process or impact, unit, latest value and date, target, progress, values, shared."""
    head = "".join(f'<th scope="col">{h}</th>' for h in ("Metric", "Process or impact", "Unit", "Latest value",
                                                          "Date", "Target", "Progress", "Values", "Shared with state"))
    body = []
    for m in metrics:
        latest = latest_value(m)
        cells = [m.kind_label, m.unit, fmt(latest[1]) if latest else "no value yet", latest[0] if latest else "",
                 fmt(m.target), _percent(progress_to_target(m)), str(len(m.values)), "Yes" if m.shared else "No"]
        body.append(f'<tr><th scope="row">{esc(m.name)}</th>' + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<table class="sk-table">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def category_html(label: str, metrics: Sequence[Metric], heading: str = "h3") -> str:
    """One category: its heading, its chart (when a metric has values) and its table."""
    parts = [f"<{heading}>{esc(label)}</{heading}>"]
    if not metrics:
        parts.append(f"<p>No metric chosen in {esc(label.lower())} yet.</p>")
        return "".join(parts)
    fig = category_figure(label, metrics)
    if fig is not None:  # laid out to hold all its text (_lay_out): drawn once, not cropped
        parts.append(figure_html(fig, category_alt_text(label, metrics), crop=False))
    else:
        parts.append("<p>No values recorded for these metrics yet.</p>")
    parts.append(metrics_table_html(metrics, caption=f"{label}: latest values and targets"))
    return "".join(parts)


def by_category(metrics: Sequence[Metric]) -> list[tuple[str, list[Metric]]]:
    """``[(category label, metrics)]`` in dashboard order; metrics without a category last, if any."""
    groups = [(label, [m for m in metrics if m.category == value]) for value, label in CATEGORIES.items()]
    loose = [m for m in metrics if m.category not in CATEGORIES]
    return groups + ([(NO_CATEGORY, loose)] if loose else [])


def dashboard_html(metrics: Sequence[Metric], heading: str = "h3") -> str:
    """Every category in order (:func:`category_html`), each said plainly when it has no metric."""
    return "".join(category_html(label, group, heading) for label, group in by_category(metrics))


def stories_html(stories: Sequence[Story]) -> str:
    """The stories as a list; a quote appears only when the person agreed to it being shared (else a note)."""
    if not stories:
        return "<p>No story recorded yet.</p>"
    items = []
    for s in stories:
        when = " \u2014 ".join(x for x in (s.date or "", s.who) if x)
        quote = ""
        if s.quote_to_show:
            agreed = f" (agreed on {s.consent_on})" if s.consent_on else ""
            quote = f"<blockquote>\u201c{esc(s.quote)}\u201d{esc(agreed)}</blockquote>"
        elif s.quote:
            quote = "<p><em>A quote was recorded but is not shown: the person's agreement is not recorded.</em></p>"
        shared = " Shared with the state." if s.shared else ""
        items.append(f"<li><p>{f'<strong>{esc(when)}</strong>: ' if when else ''}"
                     f"{esc(s.what or '(what happened is not written yet)')}{esc(shared)}</p>{quote}</li>")
    return f"<ul class='sk-list'>{''.join(items)}</ul>"


def problems_html(problems: Sequence[str]) -> str:
    """The tracker's incomplete rows as a short list ("" when there are none)."""
    if not problems:
        return ""
    return ("<p><strong>Needs attention:</strong></p><ul class='sk-list'>"
            + "".join(f"<li>{esc(p)}</li>" for p in problems) + "</ul>")
