"""Assessments as HTML: the round comparison (table, chart with alt text, disagreements) and
the After Action Review progress table. Every piece of text is escaped.

>>> "<th scope='col'>Step</th>" in aar_progress_html(__import__("pandas").DataFrame(
...     columns=["step", "answered", "questions", "last_saved", "not_yet", "not_yet_items", "done"]))
True
"""

from __future__ import annotations

import html
import textwrap

import pandas as pd

from sectorkit.assessments.scoring import scored_questions
from sectorkit.specs import WorksheetSpec
from sectorkit.views.figures import figure_html

__all__ = ["aar_progress_html", "comparison_alt_text", "comparison_chart", "comparison_html"]


def comparison_chart(comparison: pd.DataFrame, spec: WorksheetSpec):
    """Horizontal bars per dimension: latest team score (with the respondents' range) and the previous."""
    from matplotlib.figure import Figure

    n = len(comparison)
    fig = Figure(figsize=(8, 0.55 * n + 2.0), layout="constrained")
    ax = fig.subplots()
    y = list(range(n))[::-1]
    top = max(q.max for q in scored_questions(spec))
    low = min(q.min for q in scored_questions(spec))
    has_prev = comparison["previous"].notna().any()
    h = 0.38 if has_prev else 0.6
    latest = comparison["latest"].astype(float)
    err_lo = (latest - comparison["min"].astype(float)).clip(lower=0)
    err_hi = (comparison["max"].astype(float) - latest).clip(lower=0)
    ax.barh([v + (h / 2 if has_prev else 0) for v in y], latest, height=h, color="#1f6f8b",
            xerr=[err_lo, err_hi], error_kw={"ecolor": "#333", "capsize": 3},
            label=f"Latest ({comparison['latest_round'].iloc[0]}); whiskers: lowest to highest respondent")
    if has_prev:
        ax.barh([v - h / 2 for v in y], comparison["previous"].astype(float), height=h, color="#b9b9b9",
                label=f"Previous ({comparison['previous_round'].iloc[0]})")
    ax.set_yticks(y, [t if len(t) < 52 else t[:50] + "…" for t in comparison["title"]])
    groups = list(comparison["group"]) if "group" in comparison else [None] * n
    for i in range(1, n):  # a line between two families of dimensions (e.g. actions and capabilities)
        if groups[i] != groups[i - 1]:
            ax.axhline(y[i] + 0.5, color="#555", linewidth=0.8)
    ax.set_xlim(low - 0.2 if low > 0 else 0, top + 0.2)
    ax.set_xlabel(_scale_words(spec))
    fig.suptitle("\n".join(textwrap.wrap(f"{spec.title}: score by dimension", 70)))
    fig.legend(loc="outside lower center", ncol=1, fontsize=8, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    return fig


def _scale_words(spec: WorksheetSpec) -> str:
    """The x-axis label: the rating's ends with their meaning, from the spec's own scale."""
    first = scored_questions(spec)[0]
    ends = [f"{v} = {label.lower()}" for v, label in ((first.min, first.min_label), (first.max, first.max_label))
            if label]
    return f"Team score ({', '.join(ends)})" if len(ends) == 2 else f"Team score ({first.min} to {first.max})"


def _group_starts(comparison: pd.DataFrame) -> list[str | None]:
    """Per row, the group heading that starts there (None where the group goes on or there is none)."""
    groups = list(comparison["group"]) if "group" in comparison else [None] * len(comparison)
    return [g if isinstance(g, str) and (i == 0 or g != groups[i - 1]) else None for i, g in enumerate(groups)]


def _group_average(comparison: pd.DataFrame, group: str) -> str:
    """", average 2.44 (previous 2.00)": the family's mean dimension score, and the previous round's."""
    mine = comparison[comparison["group"] == group]
    text = f", average {mine['latest'].astype(float).mean():.2f}"
    prev = mine["previous"].astype(float)
    return text + (f" (previous {prev.mean():.2f})" if prev.notna().all() and len(prev) else "")


def comparison_alt_text(comparison: pd.DataFrame, spec: WorksheetSpec) -> str:
    parts = [f"Bar chart of {spec.title} scores by dimension for the round of {comparison['latest_round'].iloc[0]}."]
    for (_, r), starts in zip(comparison.iterrows(), _group_starts(comparison)):
        s = (f"{starts}: " if starts else "") + f"{r['title']}: {r['latest']:.2f}"
        if pd.notna(r.get("previous")):
            s += f" (previous {r['previous']:.2f}, {r['trend']})"
        if pd.notna(r["spread"]) and r["n"] > 1:
            s += f", respondents range {r['min']:.2f} to {r['max']:.2f}"
        parts.append(s)
    return "; ".join(parts) + "."


def comparison_html(comparison: pd.DataFrame | None, spec: WorksheetSpec) -> str:
    """The comparison as an escaped HTML table, a chart with alt text, and the disagreements."""
    if comparison is None:
        return ("<p>No complete assessment yet. When every statement of at least one response is rated "
                "and marked complete, its scores and, later, the comparison with the next round appear here.</p>")
    rows = []
    for (_, r), starts in zip(comparison.iterrows(), _group_starts(comparison)):
        if starts:  # each family of dimensions in its own row group, under its heading and average
            rows.append(("</tbody><tbody>" if rows else "")
                        + f"<tr><th scope='rowgroup' colspan='7' style='text-align:left'>{html.escape(starts)}"
                        f"{_group_average(comparison, starts)}</th></tr>")
        prev = f"{r['previous']:.2f}" if pd.notna(r.get("previous")) else "–"
        change = f"{r['change']:+.2f}" if pd.notna(r.get("change")) else "–"
        spread = f"{r['spread']:.2f}" if pd.notna(r["spread"]) else "–"
        rows.append(f"<tr><th scope='row'>{html.escape(r['title'])}</th><td>{r['latest']:.2f}</td><td>{prev}</td>"
                    f"<td>{change}</td><td>{html.escape(r['trend'])}</td><td>{spread}</td><td>{int(r['n'])}</td></tr>")
    caption = f"Latest round {comparison['latest_round'].iloc[0]}" + (
        f" compared with {comparison['previous_round'].iloc[0]}" if comparison["previous"].notna().any() else "")
    table = ("<table><caption>" + html.escape(caption) + "</caption><thead><tr><th scope='col'>Dimension</th>"
             "<th scope='col'>Latest</th><th scope='col'>Previous</th><th scope='col'>Change</th>"
             "<th scope='col'>Trend</th><th scope='col'>Spread</th><th scope='col'>Respondents</th></tr></thead><tbody>"
             + "".join(rows) + "</tbody></table>")
    wide = comparison[(comparison["n"] > 1) & (comparison["spread"] >= 1)]
    talk = ""
    if len(wide):
        items = "".join(f"<li>{html.escape(t)} (scores from {lo:.1f} to {hi:.1f})</li>"
                        for t, lo, hi in zip(wide["title"], wide["min"], wide["max"]))
        talk = f"<p><strong>Worth a discussion</strong>: respondents disagree by a point or more on</p><ul>{items}</ul>"
    fig = comparison_chart(comparison, spec)
    alt = comparison_alt_text(comparison, spec)
    return table + talk + figure_html(fig, alt)


def aar_progress_html(progress: pd.DataFrame) -> str:
    rows = []
    for _, r in progress.iterrows():
        state = "Done" if r["done"] else ("Not started" if r["answered"] == 0 else "In progress")
        items = "".join(f"<li>{html.escape(t)}</li>" for t in r["not_yet_items"])
        when = html.escape(r["last_saved"][:10]) if isinstance(r["last_saved"], str) else "–"
        rows.append(f"<tr><th scope='row'>Step {int(r['step'])}</th><td>{html.escape(state)}</td>"
                    f"<td>{r['answered']} of {r['questions']}</td><td>{when}</td>"
                    f"<td>{r['not_yet']}{'<ul>' + items + '</ul>' if items else ''}</td></tr>")
    return ("<table><caption>After Action Reviews: progress by step</caption><thead><tr>"
            "<th scope='col'>Step</th><th scope='col'>Status</th><th scope='col'>Answered</th>"
            "<th scope='col'>Last saved</th><th scope='col'>'Not yet' answers</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")
