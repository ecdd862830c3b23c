"""The statewide view as HTML: partnerships by stage, sectors, common metrics, stories, self-assessments.

One function per section, each taking a :class:`~sectorkit.statewide.StateRollup` and returning an
HTML fragment (every piece of user text escaped; charts as ``<img>`` with a text alternative). The
Voila page (:mod:`sectorkit.serve.state`) and the state report (``reports/state_report.ipynb``) show
the same fragments. A region that shares nothing says so; it is never shown as a zero.

>>> from sectorkit.statewide import StateRollup
>>> view = StateRollup("OH", [], [], [], [], [], None)
>>> "No regional workspace names Ohio" in regions_html(view)
True
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from sectorkit.statewide import MetricRollup, StateRollup
from sectorkit.views.figures import figure_html
from sectorkit.views.html import esc

__all__ = ["CSS", "assessments_html", "metrics_html", "metric_chart", "number", "regions_html", "sectors_html",
           "stage_chart", "stages_html", "state_page_html", "stories_html", "summary_html"]

CSS = """<style>
.sk-state table{border-collapse:collapse;margin:.4rem 0 1rem 0;max-width:100%}
.sk-state th,.sk-state td{border:1px solid #b8c2cc;padding:.25rem .5rem;text-align:left;vertical-align:top}
.sk-state th{background:#eef2f6}
.sk-state td.num{text-align:right;font-variant-numeric:tabular-nums}
.sk-state .none{color:#4a5560;font-style:italic}
.sk-state td.date{white-space:nowrap}
.sk-state blockquote{margin:.3rem 0 .3rem 1rem;border-left:3px solid #8a9aa8;padding-left:.6rem}
</style>"""

NOTHING = '<span class="none">nothing shared yet</span>'


def number(value: float | None, unit: str = "") -> str:
    """A value for a table: thousands separated, at most two decimals, ``—`` for None (never 0).

    >>> number(1234.5), number(3.0, "%"), number(None)
    ('1,234.5', '3 %', '—')
    """
    if value is None:
        return "—"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip() if unit in ("%",) else text


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], caption: str) -> str:
    """Rows of already-escaped cells; the heads and caption are escaped here."""
    ths = "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
    body = "".join("<tr>" + "".join(rows_cells(r)) + "</tr>" for r in rows)
    return f"<table><caption>{esc(caption)}</caption><thead><tr>{ths}</tr></thead><tbody>{body}</tbody></table>"


def rows_cells(row: Sequence[str]) -> list[str]:
    cells = []
    for i, cell in enumerate(row):
        if i == 0:
            cells.append(f'<th scope="row">{cell}</th>')
        else:
            is_date = len(cell) == 10 and cell[4:5] == "-" and cell[7:8] == "-"
            klass = ' class="date"' if is_date else ' class="num"' if cell[:1].isdigit() or cell[:1] in "-+—" else ""
            cells.append(f"<td{klass}>{cell}</td>")
    return cells


def summary_html(view: StateRollup) -> str:
    """One paragraph: how many partnerships, how many share something, how many cannot be read."""
    n = len(view.regions)
    sharing = sum(r.shares_anything for r in view.regions)
    broken = [r for r in view.regions if not r.readable]
    text = (f"{n} regional partnership workspace{'s' if n != 1 else ''} name {view.state_name}; "
            f"{sharing} share{'s' if sharing == 1 else ''} metrics or stories with the state.")
    if broken:
        text += f" {len(broken)} cannot be read (see the table)."
    return f"<p>{esc(text)} This view only reads the workspaces; it never changes them.</p>"


def stage_chart(view: StateRollup) -> str:
    """A horizontal bar chart of partnerships by stage, with its text alternative."""
    if not view.stages:
        return ""
    labels = [label for label, _n in view.stages]
    counts = [n for _label, n in view.stages]
    fig = Figure(figsize=(7.5, 0.5 + 0.45 * len(labels)))
    ax = fig.add_subplot()
    ax.barh(range(len(labels)), counts, color="#2f6f9f")
    ax.set_yticks(range(len(labels)), labels=labels)
    ax.invert_yaxis()
    ax.set_xlabel("Partnerships (count)")
    ax.set_title(f"{view.state_name}: partnerships by stage (from their After Action Reviews)")
    ax.xaxis.get_major_locator().set_params(integer=True)
    for i, c in enumerate(counts):
        ax.text(c, i, f" {c}", va="center")
    alt = f"Bar chart of {view.state_name}'s partnerships by stage: " + "; ".join(
        f"{label}: {n}" for label, n in view.stages) + "."
    return figure_html(fig, alt)


def stages_html(view: StateRollup) -> str:
    if not view.stages:
        return "<p>No readable regional workspace yet.</p>"
    rows = [(esc(label), str(n)) for label, n in view.stages]
    return stage_chart(view) + _table(("Stage", "Partnerships"), rows, "Partnerships by stage")


def regions_html(view: StateRollup) -> str:
    """One row per region: stage, sectors, what it shares, self-assessment, last activity."""
    if not view.regions:
        return f"<p>No regional workspace names {esc(view.state_name)} as its state yet.</p>"
    rows = []
    for r in view.regions:
        name = f"{esc(r.name)} <small>({esc(r.region)})</small>"
        if not r.readable:
            rows.append((name, f'<span class="none">cannot be read: {esc(r.problem)}</span>', "", "", "", ""))
            continue
        shared = NOTHING if not r.shares_anything else esc(
            f"{sum(1 for m in r.metrics if m.values)} metric(s), {len(r.stories)} story(ies)")
        a = r.assessment
        score = "—" if a is None else esc(f"{a.overall:.2f}" + ("" if a.change is None else f" ({a.change:+.2f})"))
        rows.append((name, esc(r.stage.label), esc(", ".join(r.sectors)) or '<span class="none">none yet</span>',
                     shared, score, esc((r.last_activity or "")[:10]) or "—"))
    head = ("Region", "Stage", "Sectors shortlisted", "Shared with the state",
            "Sustainability self-assessment (1-4, change)", "Last change")
    return _table(head, rows, f"Partnerships in {view.state_name}")


def sectors_html(view: StateRollup) -> str:
    if not view.sectors:
        return "<p>No region has shortlisted a sector yet.</p>"
    rows = [(esc(title), str(n)) for title, n in view.sectors]
    return _table(("Sector", "Regions that shortlisted it"), rows, "Sectors chosen across the state")


def metric_chart(metric: MetricRollup, names: dict[str, str]) -> str:
    """Bars of each reporting region's latest value of one common metric (nothing drawn if none reports)."""
    if not metric.values:
        return ""
    items = sorted(metric.values.items(), key=lambda kv: -kv[1][1])
    labels = [names.get(rid, rid) for rid, _v in items]
    values = [v for _rid, (_d, v) in items]
    fig = Figure(figsize=(7.5, 0.6 + 0.4 * len(labels)))
    ax = fig.add_subplot()
    ax.barh(range(len(labels)), values, color="#5b7f3a")
    ax.set_yticks(range(len(labels)), labels=labels)
    ax.invert_yaxis()
    ax.set_xlabel(f"Latest value ({metric.unit})" if metric.unit else "Latest value")
    ax.set_title(f"{metric.name}: {metric.reporting} of {metric.total} regions report it")
    alt = (f"Bar chart of {metric.name} ({metric.unit}), latest value by region: "
           + "; ".join(f"{names.get(rid, rid)}: {number(v)} ({d})" for rid, (d, v) in items)
           + f". {metric.total - metric.reporting} region(s) report nothing and are not shown.")
    return figure_html(fig, alt)


def metrics_html(view: StateRollup, charts: bool = True) -> str:
    """The common metrics: regions reporting, sum and median over those regions only, and a chart each."""
    if not view.metrics:
        return "<p>The suggested list marks no metric as common.</p>"
    rows = []
    for m in view.metrics:
        rows.append((esc(m.name), esc(m.unit), f"{m.reporting} of {m.total}", number(m.total_value),
                     number(m.median)))
    head = ("Common metric", "Unit", "Regions reporting", "Sum over reporting regions", "Median")
    out = [_table(head, rows, "Common metrics, latest value each region shares"),
           "<p>Sums and medians are over the regions that report the metric; a region that reports nothing "
           "is left out, not counted as zero.</p>"]
    if charts:
        names = {r.region: r.name for r in view.regions}
        out += [metric_chart(m, names) for m in view.metrics if m.values]
    return "".join(out)


def stories_html(view: StateRollup) -> str:
    """Shared stories, newest first; a quote is shown only where the person's consent is recorded."""
    stories = view.stories
    if not stories:
        return "<p>No region has shared a story yet.</p>"
    parts = []
    for region, s in stories:
        quote = (f"<blockquote>{esc(s.quote)}</blockquote>" if s.quote and s.consent else
                 '<p class="none">(a quote was recorded without consent to share it; it is not shown)</p>'
                 if s.quote else "")
        who = f" ({esc(s.who)})" if s.who else ""
        parts.append(f"<li><strong>{esc(region.name)}</strong>, {esc(s.date or 'undated')}{who}: "
                     f"{esc(s.what)}{quote}</li>")
    return f"<ul>{''.join(parts)}</ul>"


def assessments_html(view: StateRollup) -> str:
    """The state team's own self-assessment (latest round, change) and the regions' sustainability scores."""
    out = []
    a = view.state_assessment
    if a is None:
        out.append("<p>The state team has not scored a state self-assessment round yet.</p>")
    else:
        change = "first round" if a.change is None else f"{a.change:+.2f} since {a.previous_round}"
        rows = [(esc(title), f"{score:.2f}", "—" if a.changes.get(title) is None else f"{a.changes[title]:+.2f}")
                for title, score in a.dimensions.items()]
        out.append(f"<p>State self-assessment, round {esc(a.round)}: overall {a.overall:.2f} on a 1-4 scale "
                   f"({esc(change)}).</p>")
        out.append(_table(("Action or capability", "Team score (1-4)", "Change since the previous round"), rows,
                          "State self-assessment, latest round"))
    scored = [r for r in view.regions if r.assessment is not None]
    if scored:
        changes = [r.assessment.change for r in scored if r.assessment.change is not None]
        up = sum(c > 0 for c in changes)
        out.append(f"<p>{len(scored)} of {len(view.regions)} regions have scored their sustainability "
                   f"self-assessment; of the {len(changes)} with two rounds, {up} improved.</p>")
    return "".join(out)


def state_page_html(view: StateRollup) -> str:
    """Every section in order, each under an ``<h2>`` (the Voila page's body)."""
    sections = [("Partnerships by stage", stages_html(view)), ("Every partnership", regions_html(view)),
                ("Sectors chosen", sectors_html(view)), ("Common metrics", metrics_html(view)),
                ("Stories", stories_html(view)), ("Self-assessments", assessments_html(view))]
    body = "".join(f"<h2>{esc(title)}</h2>{html}" for title, html in sections)
    return f'{CSS}<div class="sk-state">{summary_html(view)}{body}</div>'
