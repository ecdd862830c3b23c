"""HTML for Step 2's scope worksheets: the ranked readiness shortlist and the footprint's figures.

Shared by the worksheet pages and the region report. Every piece of text is escaped here.

>>> import pandas as pd
>>> from sectorkit.lmi.readiness import SectorReadiness, rank_shortlist
>>> ranked = rank_shortlist([{"industry_code": "62", "title": "Care <&>"}], {})
>>> "Care &lt;&amp;&gt;" in readiness_table_html(ranked) and "not rated" in readiness_table_html(ranked)
True
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

__all__ = ["county_table_html", "figures_html", "readiness_table_html"]

TABLE = "border-collapse:collapse;margin:0.5em 0;font-size:0.95em"
CELL = "border:1px solid #bbb;padding:0.3em 0.5em;vertical-align:top;line-height:1.35"


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _fmt(value: Any, pattern: str, unknown: str = "unknown") -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return unknown
    return unknown if math.isnan(v) else pattern.format(v)


def readiness_table_html(ranked: pd.DataFrame, caption: str = "The shortlist ranked by readiness") -> str:
    """The ranked shortlist (:func:`sectorkit.lmi.readiness.rank_shortlist`) as an escaped table."""
    head = ["Rank", "Sector", "Readiness (1-4)", "Jobs", "LQ", "Job growth", "Why"]
    rows = []
    for r in ranked.to_dict("records"):
        rank = "not rated" if r["rank"] is None else str(r["rank"])
        ready = "not rated" if r["readiness"] is None else f"{r['readiness']:.2f} ({r['n_rated']} of 6 factors)"
        cells = [rank, f"{r['title']} (NAICS {r['industry_code']})", ready, _fmt(r["employment"], "{:,.0f}"),
                 _fmt(r["lq"], "{:.2f}"), _fmt(r["growth_pct"], "{:+.1f}%"), r["why"]]
        rows.append("<tr>" + "".join(f"<td style='{CELL}'>{_e(c)}</td>" for c in cells) + "</tr>")
    return (f"<table style='{TABLE}'><caption style='text-align:left;font-weight:600'>{_e(caption)}</caption>"
            "<thead><tr>" + "".join(f"<th scope='col' style='{CELL};text-align:left'>{_e(h)}</th>" for h in head)
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def figures_html(fig: Mapping[str, Any], title: str, verdict: tuple[str, str], flags: list[str]) -> str:
    """The footprint's figures for one sector, the size check and the labor-market flags."""
    lower = (" (a lower bound: some counties' figures are withheld by BLS)"
             if fig.get("employment_is_lower_bound") else "")
    items = [
        f"Jobs in {fig['end_year']}: <strong>{_e(_fmt(fig['employment'], '{:,.0f}'))}</strong>{_e(lower)}",
        f"Establishments: <strong>{_e(_fmt(fig['establishments'], '{:,.0f}'))}</strong>",
        f"Location quotient: <strong>{_e(_fmt(fig['lq'], '{:.2f}'))}</strong> ({_e(fig['lq_method'])})",
        f"Job growth {fig['start_year']}-{fig['end_year']}: <strong>{_e(_fmt(fig['growth_pct'], '{:+.1f}%'))}</strong>",
    ]
    parts = [f"<p style='margin:0.4em 0'><strong>{_e(title)}</strong> in the {len(fig['counties'])} "
             f"count{'y' if len(fig['counties']) == 1 else 'ies'} in:</p>",
             "<ul style='margin:0.2em 0;line-height:1.45'>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"]
    color = {"too small": "#9b1c1c", "small": "#8a6d00"}.get(verdict[0], "#1d5e20")
    parts.append(f"<p style='border-left:4px solid {color};padding:0.3em 0.8em;margin:0.4em 0'>"
                 f"<strong>Not too small?</strong> {_e(verdict[1])}</p>")
    if flags:
        parts.append("<div style='border-left:4px solid #8a6d00;padding:0.3em 0.8em;margin:0.4em 0'>"
                     "<strong>Not too big?</strong> Signs of more than one labor market:<ul style='margin:0.2em 0'>"
                     + "".join(f"<li>{_e(f)}</li>" for f in flags) + "</ul></div>")
    else:
        parts.append("<p style='border-left:4px solid #1d5e20;padding:0.3em 0.8em;margin:0.4em 0'><strong>Not too "
                     "big?</strong> No sign in the data of separate labor markets (one state, one crosswalk region). "
                     "The files cannot show commuting: ask business leaders whether they call this area "
                     "their region.</p>")
    return "".join(parts)


def county_table_html(catalog: pd.DataFrame, counties: Mapping[str, tuple[bool, str]],
                      caption: str = "Counties in and out of the footprint") -> str:
    """Every county of the footprint record, in or out, with its reason (escaped)."""
    names = dict(zip(catalog["area_fips"], catalog["county_name"])) if len(catalog) else {}
    rows = []
    for code, (inside, reason) in sorted(counties.items(), key=lambda kv: (not kv[1][0], kv[0])):
        cells = [names.get(code, f"County {code}"), code, "In" if inside else "Out", reason or "no reason given"]
        rows.append("<tr>" + "".join(f"<td style='{CELL}'>{_e(c)}</td>" for c in cells) + "</tr>")
    head = ["County", "FIPS", "In or out", "Reason"]
    return (f"<table style='{TABLE}'><caption style='text-align:left;font-weight:600'>{_e(caption)}</caption>"
            "<thead><tr>" + "".join(f"<th scope='col' style='{CELL};text-align:left'>{_e(h)}</th>" for h in head)
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
