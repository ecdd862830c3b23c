"""The trainer view's HTML: the progress matrix (regions x curriculum modules) and the download lines.

Pure functions from plain data to escaped HTML; the widgets and handlers are in
:mod:`sectorkit.serve.trainer`. Progress objects are taken duck-typed (``state``, ``pages``,
``review``, as :mod:`sectorkit.apps.progress` makes them), so this layer never imports the apps.
A state is always a word, never a colour alone; every name is escaped.

>>> from types import SimpleNamespace as NS
>>> review = NS(page_id="step2-aar", state="started", answered=5, questions=7)
>>> step2 = NS(state="started", review=review, pages=[NS(page_id="lmi-review", state="started"), review])
>>> module_cell(step2)
('started', 'Started', 'review 5/7 \u00b7 1 of 1 worksheet')
>>> row = RegionRow("riverbend", "Riverbend <North>", False, [step2], None)
>>> markup = matrix_html([("step-2", "Step 2: Define the scope")], [row])
>>> "Riverbend &lt;North&gt;" in markup and "<th scope='col'" in markup and "<caption" in markup
True
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sectorkit.core.clock import local_time
from sectorkit.views.html import NOTICE_STYLE, esc
from sectorkit.views.nav import home_href, state_href

__all__ = ["RegionRow", "TRAINER_TITLE", "data_link", "header_html", "matrix_html", "module_cell", "reports_html",
           "short_title"]

TRAINER_TITLE = "Trainer view: every region on this server"
LINK = "color:#0b5394;text-decoration:underline"
SR_ONLY = ("position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);"
           "white-space:nowrap;border:0")
#: state -> (label, text colour, background) as on the home page
STATES = {
    "complete": ("Complete", "#1d5e20", "#e3f1e4"),
    "started": ("Started", "#5c4300", "#fff1c2"),
    "not started": ("Not started", "#3c4043", "#ffffff"),
}
CELL = "border:1px solid #c8ccd0;padding:0.35em 0.45em;vertical-align:top;text-align:left"


@dataclass(frozen=True)
class RegionRow:
    """One region's line of the matrix.

    Attributes
    ----------
    region, name : str
        The region id (a slug) and display name (free text; escaped here).
    illustrative : bool
        The bundled example region.
    modules : list
        One progress object per matrix column, in the same order (``state``, ``pages``, ``review``).
    last : str or None
        UTC ISO time of the latest change anywhere in the workspace.
    problem : str, optional
        Why the workspace could not be read (the row then shows it instead of progress).
    """

    region: str
    name: str
    illustrative: bool
    modules: list[Any] = field(default_factory=list)
    last: str | None = None
    problem: str | None = None


def short_title(title: str) -> tuple[str, str]:
    """A module title split for a column heading: ``("Step 2", "Define the scope ...")``.

    >>> short_title("Step 2: Define the scope of industry focus")
    ('Step 2', 'Define the scope of industry focus')
    >>> short_title("Measuring success")
    ('Measuring success', '')
    """
    head, sep, rest = title.partition(":")
    return (head.strip(), rest.strip()) if sep and len(head) <= 24 else (title.strip(), "")


def module_cell(progress: Any) -> tuple[str, str, str]:
    """``(state, word, detail)`` for one module of one region: e.g. ``("started", "Started", "review 5/7")``.

    ``detail`` counts the After Action Review's answered questions and the other worksheets
    started (or complete); it is empty for a module not started.
    """
    state = progress.state
    if state == "not started":
        return state, STATES[state][0], ""
    review = progress.review
    parts = []
    if review is not None and review.answered:
        parts.append(f"review {review.answered}/{review.questions}")
    others = [p for p in progress.pages if review is None or p.page_id != review.page_id]
    if others:
        begun = sum(p.state != "not started" for p in others)
        parts.append(f"{begun} of {len(others)} worksheet{'s' if len(others) != 1 else ''}")
    return state, STATES.get(state, (state.capitalize(),))[0], " \u00b7 ".join(parts)


def _cell(progress: Any) -> str:
    state, word, detail = module_cell(progress)
    _, color, background = STATES.get(state, STATES["not started"])
    if state == "not started":
        return (f"<td style='{CELL};color:#3c4043'><span aria-hidden='true'>\u2014</span>"
                f"<span style='{SR_ONLY}'>{esc(word)}</span></td>")
    extra = f"<br><span style='font-size:0.85em;font-weight:400'>{esc(detail)}</span>" if detail else ""
    return f"<td style='{CELL};color:{color};background:{background};font-weight:600'>{esc(word)}{extra}</td>"


def _region_head(row: RegionRow) -> str:
    note = " \u00b7 illustrative example" if row.illustrative else ""
    return (f"<th scope='row' style='{CELL};font-weight:600'>{esc(row.name)}<br>"
            f"<span style='font-size:0.85em;font-weight:400;color:#3c4043'>{esc(row.region)}{esc(note)}</span></th>")


def matrix_html(columns: Sequence[tuple[str, str]], rows: Sequence[RegionRow]) -> str:
    """The progress table: one row per region, one column per module, last activity, a link home.

    Parameters
    ----------
    columns : sequence of (module id, module title)
        The matrix's module columns, in curriculum order.
    rows : sequence of RegionRow
        One per region; ``row.modules`` lines up with ``columns``.

    Returns
    -------
    str
        A ``<table>`` with a caption, ``<th scope>`` headings and a text word in every cell; a
        paragraph instead when there is no region.
    """
    if not rows:
        return ("<p style='margin:0.5em 0;line-height:1.45'>There is no workspace on this server yet. "
                f"Regions appear here once someone creates one on the <a href='{esc(home_href())}' "
                f"style='{LINK}'>home page</a>.</p>")
    heads = []
    for _, title in columns:
        short, rest = short_title(title)
        sub = f"<br><span style='font-size:0.8em;font-weight:400'>{esc(rest)}</span>" if rest else ""
        heads.append(f"<th scope='col' style='{CELL};min-width:6.5em'>{esc(short)}{sub}</th>")
    body = []
    for row in rows:
        if row.problem:
            cells = f"<td colspan='{len(columns)}' style='{CELL};color:#9b1c1c'>{esc(row.problem)}</td>"
        else:
            cells = "".join(_cell(p) for p in row.modules)
        last = esc(local_time(row.last)) if row.last else "nothing saved yet"
        link = (f"<a href='{esc(home_href(row.region))}' style='{LINK}'>Home page"
                f"<span style='{SR_ONLY}'> of {esc(row.name)}</span></a>")
        body.append(f"<tr>{_region_head(row)}{cells}<td style='{CELL}'>{last}</td><td style='{CELL}'>{link}</td></tr>")
    n = len(rows)
    return (
        "<div style='overflow-x:auto;max-width:100%'>"
        "<table style='border-collapse:collapse;font-size:0.92em;line-height:1.35;margin:0.4em 0'>"
        "<caption style='text-align:left;font-weight:600;padding:0.3em 0'>"
        f"Progress of {n} region{'s' if n != 1 else ''} by step: each step's state, its After Action "
        "Review's answered questions and its worksheets started (\u2014 means not started)</caption>"
        f"<thead><tr style='background:#f1f3f4'><th scope='col' style='{CELL}'>Region</th>{''.join(heads)}"
        f"<th scope='col' style='{CELL}'>Last activity</th><th scope='col' style='{CELL}'>Open</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def header_html(temporary: bool = False) -> str:
    """Title, what the view shows, and the temporary-server notice when it applies."""
    notice = ""
    if temporary:
        notice = (f"<p style='{NOTICE_STYLE}'><strong>This server is temporary.</strong> It is deleted after a "
                  "short idle time, with every workspace on it: download all workspaces below before you leave.</p>")
    return (
        f"<h1 style='font-size:1.6em;margin:0.4em 0;line-height:1.3'>{esc(TRAINER_TITLE)}</h1>"
        "<p style='margin:0.2em 0 0.5em;line-height:1.45;max-width:52rem'>Each region's progress through the "
        "curriculum, when it last changed, its report and a download of every workspace. "
        f"<a href='{esc(home_href())}' style='{LINK}'>Back to the home "
        f"page</a>.</p>{notice}"
    )


def states_html(states: Sequence[tuple[str, str, int]]) -> str:
    """Links to the statewide view of each state named by a workspace: ``[(code, name, regions)]``."""
    if not states:
        return ("<p style='margin:0.2em 0 0.6em;max-width:52rem'>No workspace names a state yet; a region's state "
                "is set when it is created. The statewide view reads every region of one state.</p>")
    items = "".join(
        f"<li><a href='{esc(state_href(code))}' style='{LINK}'>{esc(name)}</a> "
        f"({n} region{'s' if n != 1 else ''})</li>" for code, name, n in states)
    return f"<ul style='margin:0.2em 0 0.6em'>{items}</ul>"


def data_link(data: bytes, mime: str, filename: str, text: str) -> str:
    """A download link carrying ``data`` as a ``data:`` URI (``filename`` and ``text`` are escaped).

    >>> data_link(b"hi", "text/plain", "a<b>.txt", "Get <it>").split(" style=")[0]
    "<a download='a&lt;b&gt;.txt' href='data:text/plain;base64,aGk='"
    """
    uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return f"<a download='{esc(filename)}' href='{uri}' style='{LINK}'>{esc(text)}</a>"


def reports_html(links: Sequence[str]) -> str:
    """The list of reports made in this session (each already a safe link from :func:`data_link`)."""
    if not links:
        return ""
    items = "".join(f"<li style='margin:0.2em 0'>{link}</li>" for link in links)
    return f"<ul aria-label='Reports made in this session' style='margin:0.3em 0;padding-left:1.4em'>{items}</ul>"
