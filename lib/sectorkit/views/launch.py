"""The launch plan as HTML: the summary beside the Step 3 worksheet and the report's section body.

Every piece of team text is escaped; tables have column headers (``<th scope="col">``) and captions.

>>> from sectorkit.universe.launch import plan
>>> html_ = launch_summary_html(plan({"invitations": [{"business-name": "<b>Oak</b>", "status": "yes"}]}))
>>> "&lt;b&gt;Oak" in html_ or "<b>Oak" not in html_
True
>>> "Said yes" in html_
True
"""

from __future__ import annotations

import html
from collections import Counter

from sectorkit.universe.launch import INVITES_PER_ATTENDEE, MIN_ROOM, LaunchPlan

__all__ = ["funnel_table_html", "launch_summary_html", "mix_table_html"]

TABLE_STYLE = "border-collapse:collapse;margin:0.3em 0 0.6em"
CELL = "border-bottom:1px solid #ccc;padding:2px 10px 2px 4px;text-align:left"
NUM = "border-bottom:1px solid #ccc;padding:2px 4px;text-align:right"
WARN_STYLE = "background:#fff4ce;border-left:4px solid #8a6d00;padding:0.3em 0.8em 0.3em 1.8em;margin:0.4em 0"


def _e(text: object) -> str:
    return html.escape(str(text))


def funnel_table_html(plan: LaunchPlan) -> str:
    """The invitation funnel as a two-column table (stage, businesses)."""
    f = plan.funnel
    stages = [("On the list", f.listed), ("Still to invite", f.to_invite), ("Invited", f.invited),
              ("Followed up", f.followed_up), ("Said yes", f.yes), ("Said maybe", f.maybe), ("Said no", f.no),
              ("Attended", f.attended)]
    body = "".join(f"<tr><th scope='row' style='{CELL};font-weight:normal'>{_e(s)}</th>"
                   f"<td style='{NUM}'>{n:,}</td></tr>" for s, n in stages)
    return (f"<table class='sk-table' style='{TABLE_STYLE}'><caption style='text-align:left;font-weight:600'>"
            f"Invitations</caption><thead><tr><th scope='col' style='{CELL}'>Stage</th>"
            f"<th scope='col' style='{NUM}'>Businesses</th></tr></thead><tbody>{body}</tbody></table>")


def mix_table_html(counts: Counter, what: str) -> str:
    """One mix table (``what``: "Sub-sector" or "Size"), largest first."""
    if not counts:
        return ""
    total = sum(counts.values())
    body = "".join(f"<tr><td style='{CELL}'>{_e(k)}</td><td style='{NUM}'>{n:,}</td>"
                   f"<td style='{NUM}'>{100 * n / total:.0f}%</td></tr>" for k, n in counts.most_common())
    return (f"<table class='sk-table' style='{TABLE_STYLE}'><caption style='text-align:left;font-weight:600'>"
            f"Mix by {_e(what.lower())}</caption><thead><tr><th scope='col' style='{CELL}'>{_e(what)}</th>"
            f"<th scope='col' style='{NUM}'>Businesses</th><th scope='col' style='{NUM}'>Share</th></tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _facts(plan: LaunchPlan) -> str:
    conv = ", ".join(plan.convener.chosen) or "not chosen yet"
    chairs = "; ".join(plan.co_chairs.agreed) or "none agreed yet"
    when = " ".join(x for x in (plan.launch_date, plan.launch_time) if x) or "not set yet"
    f = plan.funnel
    rule = (f"Aim: {f.target} businesses in the room, so about {f.needed} invitations ({INVITES_PER_ATTENDEE} for "
            f"each; at least {MIN_ROOM} in the room). At about one in four, the list of {f.listed} would bring about "
            f"{f.expected} once every business on it is invited.")
    items = [("Sector", plan.sector or "not given yet"), ("Convener", conv), ("Business co-chairs who agreed", chairs),
             ("Date and time", when), ("Place", plan.venue or "not chosen yet")]
    lis = "".join(f"<li><strong>{_e(k)}:</strong> {_e(v)}</li>" for k, v in items)
    if plan.timing.days_left is not None and plan.timing.days_left >= 0:
        lis += f"<li><strong>Days to the launch:</strong> {plan.timing.days_left}</li>"
    return f"<ul style='margin:0.2em 0 0.4em 1.2em;padding:0;line-height:1.5'>{lis}</ul><p>{_e(rule)}</p>"


def launch_summary_html(plan: LaunchPlan, heading: str | None = "Where the launch plan stands", level: int = 2) -> str:
    """The whole summary: the facts, the warnings to act on, the funnel and the mix tables.

    Parameters
    ----------
    plan : LaunchPlan
        From :func:`sectorkit.universe.launch.plan`.
    heading : str or None
        The summary's heading (plain text), or None for none (the report's section has its own).
    level : int
        The heading level (2 on the page, 3 in the report).
    """
    parts = [f"<h{level} style='font-size:1.2em;margin:0.6em 0 0.2em'>{_e(heading)}</h{level}>" if heading else ""]
    parts.append(_facts(plan))
    warnings = plan.warnings()
    if warnings:
        lis = "".join(f"<li>{_e(w)}</li>" for w in warnings)
        parts.append(f"<p style='margin:0.4em 0 0.1em'><strong>To check ({len(warnings)}):</strong></p>"
                     f"<ul class='sk-launch-warnings' style='{WARN_STYLE}'>{lis}</ul>")
    else:
        parts.append("<p><strong>Nothing to check:</strong> the plan meets every rule this summary knows.</p>")
    notes = list(plan.timing.notes)
    if notes:
        parts.append("<ul style='margin:0.2em 0 0.4em 1.2em;padding:0;color:#333'>"
                     + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul>")
    parts.append("<div style='display:flex;flex-wrap:wrap;gap:0 2.5rem;align-items:flex-start'>"
                 + funnel_table_html(plan) + mix_table_html(plan.mix["sub-sector"], "Sub-sector")
                 + mix_table_html(plan.mix["size"], "Size") + "</div>")
    return "".join(parts)
