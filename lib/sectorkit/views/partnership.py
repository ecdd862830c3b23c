"""HTML for the launch record and the action teams: the executive summary, the pages' panels, the tracker.

Every piece of user text is escaped here (multi-line text keeps its line breaks as ``<br>``).

>>> from datetime import date
>>> from sectorkit.partnership import summarize
>>> s = summarize({"meeting-date": "2027-03-18"}, [{"priority": "<Grow> our own"}], [], region_name="River & Co")
>>> doc = executive_summary_html(s, made_on=date(2027, 3, 20))
>>> "&lt;Grow&gt; our own" in doc and "River &amp; Co" in doc and "<Grow>" not in doc
True
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

from sectorkit.partnership.action_teams import STATUS_LABELS, Flag, TeamStatus
from sectorkit.partnership.capture import LaunchSummary

__all__ = ["ATTRIBUTION", "SUMMARY_TITLE", "board_html", "capture_panel_html", "executive_summary_html",
           "flags_html", "long_text_html"]

SUMMARY_TITLE = "Business leaders' priorities and next steps"
ATTRIBUTION = ("Prepared with sectorkit, following the launch process of the Next Gen Sector Partnership "
               "training toolkit. sectorkit is an independent project; this is not an official Next Gen document.")
SUMMARY_CSS = (
    "body{font-family:Georgia,'Times New Roman',serif;color:#1a1a1a;max-width:44rem;margin:2rem auto;"
    "padding:0 1rem;line-height:1.5}h1{font-size:1.6em;margin-bottom:0.2em}h2{font-size:1.25em;"
    "border-bottom:1px solid #999;margin-top:1.6em}h3{font-size:1.08em;margin:1.2em 0 0.3em}"
    ".meta{color:#444;margin-top:0}.champions{margin:0.3em 0 0 1.2em;padding:0}footer{margin-top:2.5em;"
    "color:#444;font-size:0.85em;border-top:1px solid #ccc;padding-top:0.6em}"
    "@media print{body{margin:0}section{break-inside:avoid}h2,h3{break-after:avoid}}"
)
OK_STYLE = "color:#1d5e20"
WARN_STYLE = "color:#9b1c1c"


def long_text_html(text: str) -> str:
    """Escape ``text`` and keep its line breaks.

    >>> long_text_html("a < b\\nc")
    'a &lt; b<br>c'
    """
    return "<br>".join(html.escape(line) for line in str(text).splitlines())


def _when(summary: LaunchSummary) -> str:
    if summary.meeting_date:
        d = summary.meeting_date
        return f"{d.day} {d.strftime('%B %Y')}"
    return summary.meeting_date_text


def executive_summary_html(summary: LaunchSummary, made_on: date) -> str:
    """The launch meeting's executive summary as one self-contained HTML document (for the browser and PDF).

    Parameters
    ----------
    summary : LaunchSummary
        From :func:`sectorkit.partnership.summarize` or :func:`~sectorkit.partnership.read_summary`.
    made_on : datetime.date
        The date printed as "Summary prepared on".

    Returns
    -------
    str
        ``<!DOCTYPE html>`` ... with a title, the region, the meeting's date and place, each priority with
        its opportunity, requirements and champions (and what each committed to), the champions of
        other priorities, next steps, the later list and the attribution. All user text is escaped.
    """
    region = html.escape(summary.region_name or "the region")
    meta = [f"Region: {region}"]
    when = _when(summary)
    if when:
        place = f", {html.escape(summary.place)}" if summary.place else ""
        meta.append(f"Launch meeting: {html.escape(when)}{place}")
    if summary.companies:
        meta.append(f"{summary.companies} companies in the room")
    meta.append(f"Summary prepared on {made_on.isoformat()}")
    parts = [
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(SUMMARY_TITLE)}: {region}</title><style>{SUMMARY_CSS}</style></head><body><main>",
        f"<h1>{html.escape(SUMMARY_TITLE)}</h1><p class='meta'>{' · '.join(meta)}</p>",
        "<p>Thank you for taking part in the launch of our industry partnership. These are the priorities "
        "you chose, what you said it will take to act on them, and who volunteered to lead the work.</p>",
        "<h2>Priorities</h2>",
    ]
    if not summary.priorities:
        parts.append("<p>No priority has been written down yet.</p>")
    for n, p in enumerate(summary.priorities, 1):
        parts.append(f"<section><h3>{n}. {html.escape(p.name)}</h3>")
        if p.opportunity:
            parts.append(f"<p><strong>The opportunity.</strong> {long_text_html(p.opportunity)}</p>")
        if p.requirements:
            parts.append(f"<p><strong>What it will take.</strong> {long_text_html(p.requirements)}</p>")
        parts.append(_champions(p.champions, "No champion yet: reply to this email to join this team."))
        parts.append("</section>")
    if summary.unassigned:
        parts.append("<h2>Champions of other themes</h2><p>These leaders signed up for a theme that is not one of "
                     "the priorities above; the convener will follow up with each.</p>"
                     + _champions(summary.unassigned, "", label=False, named=True))
    if summary.next_steps:
        parts.append("<h2>What happens next</h2><ul>"
                     + "".join(f"<li>{html.escape(x)}</li>" for x in summary.next_steps) + "</ul>")
    if summary.later:
        parts.append("<h2>Kept for later</h2><ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in summary.later)
                     + "</ul>")
    parts.append(f"</main><footer>{html.escape(ATTRIBUTION)}</footer></body></html>")
    return "".join(parts)


def _champions(champions: Sequence, empty: str, label: bool = True, named: bool = False) -> str:
    if not champions:
        return f"<p><em>{html.escape(empty)}</em></p>" if empty else ""
    items = []
    for c in champions:
        who = f"<strong>{html.escape(c.name)}</strong>" + (f", {html.escape(c.company)}" if c.company else "")
        theme = f" (theme: {html.escape(c.priority)})" if named and c.priority else ""
        said = f": {long_text_html(c.commitment)}" if c.commitment else ""
        items.append(f"<li>{who}{theme}{said}</li>")
    head = "<p><strong>Champions.</strong></p>" if label else ""
    return f"{head}<ul class='champions'>{''.join(items)}</ul>"


def _problem_list(title: str, problems: Sequence[str]) -> str:
    items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
    return f"<p style='{WARN_STYLE};margin:0.4em 0 0.1em;font-weight:600'>{html.escape(title)}</p><ul>{items}</ul>"


def capture_panel_html(summary: LaunchSummary) -> str:
    """The launch page's live panel: counts per priority and what to fix before sending the summary."""
    if not summary.priorities and not summary.champion_count:
        return "<p>No priority or champion is written down yet.</p>"
    items = "".join(
        f"<li>{html.escape(p.name)}: {len(p.champions)} champion{'s' if len(p.champions) != 1 else ''}</li>"
        for p in summary.priorities
    )
    head = (f"<p style='margin:0.4em 0 0.1em'><strong>{len(summary.priorities)} priorit"
            f"{'ies' if len(summary.priorities) != 1 else 'y'}, {summary.champion_count} champion"
            f"{'s' if summary.champion_count != 1 else ''}.</strong></p><ul>{items}</ul>")
    if summary.problems:
        return head + _problem_list("Check before sending the summary:", summary.problems)
    return head + f"<p style='{OK_STYLE}'>Every priority has a champion: the summary is ready to send.</p>"


def flags_html(flags: Sequence[Flag], deliverables: int, meeting_problem: str | None = None) -> str:
    """The action-teams page's panel: counts, then every flag as a sentence (grouped by kind)."""
    counts = {k: sum(f.kind == k for f in flags) for k in ("overdue", "unowned", "dates", "stuck", "unknown-team")}
    head = (f"<p style='margin:0.4em 0 0.1em'><strong>{deliverables} deliverable{'s' if deliverables != 1 else ''}: "
            f"{counts['overdue']} overdue, {counts['unowned']} without an owner, {counts['stuck']} stuck.</strong></p>")
    problems = [f.message for kind in ("dates", "overdue", "unowned", "stuck", "unknown-team")
                for f in flags if f.kind == kind]
    if meeting_problem:
        problems.append(meeting_problem)
    if not problems:
        return head + f"<p style='{OK_STYLE}'>Nothing is overdue or unowned.</p>"
    return head + _problem_list("To follow up:", problems)


def board_html(board: Sequence[TeamStatus], caption: str = "") -> str:
    """The tracker table: one row per team, deliverables by status, overdue and unowned counts."""
    heads = ["Team", "Business lead", "Deliverables", *STATUS_LABELS.values(), "Overdue", "No owner"]
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in heads)
    body = "".join(
        f"<tr><th scope='row'>{html.escape(t.team)}</th><td>{html.escape(t.lead) or '—'}</td><td>{t.deliverables}</td>"
        + "".join(f"<td>{t.counts.get(s, 0)}</td>" for s in STATUS_LABELS)
        + f"<td>{'<strong>' + str(t.overdue) + '</strong>' if t.overdue else 0}</td>"
        + f"<td>{'<strong>' + str(t.unowned) + '</strong>' if t.unowned else 0}</td></tr>"
        for t in board
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f'<table class="sk-table">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
