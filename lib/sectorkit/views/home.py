"""The home page's HTML: the header, the region picker, the curriculum map, download and result lines.

Pure functions from plain data to escaped HTML; the widgets and handlers are in
:mod:`sectorkit.apps.home`. Progress objects are taken duck-typed (``module``, ``pages``,
``review``, ``state``, ``last_saved``, as :mod:`sectorkit.apps.progress` makes them), so this layer
never imports the apps. No file name and no ``.ipynb`` is ever shown: a module notebook is a link
"Open the module notebook in JupyterLab", and only where JupyterLab runs.

>>> from types import SimpleNamespace as NS
>>> page = NS(page_id="step2-aar", title="Step 2 <review>", state="started", answered=3, questions=7,
...           last_saved=None)
>>> module = NS(id="step-2", title="Step 2", summary="Pick a sector.", notebook="02_define_scope.ipynb")
>>> markup = curriculum_html([NS(module=module, pages=[page], review=page, state="started", last_saved=None)],
...                          "central-ohio", lab_url="/lab")
>>> "Step 2 &lt;review&gt;" in markup and "3 of 7 questions" in markup
True
>>> "/lab/tree/modules/02_define_scope.ipynb" in markup and ">02_define" not in markup
True
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from typing import Any

from sectorkit.core.clock import local_time
from sectorkit.views.html import NOTICE_STYLE, esc, h2, notice
from sectorkit.views.nav import home_href, page_href, trainer_href

__all__ = [
    "ATTRIBUTION",
    "HOME_TITLE",
    "LAB_LINK_TEXT",
    "create_access_text",
    "created_html",
    "curriculum_html",
    "data_uri",
    "downloads_html",
    "header_html",
    "lab_href",
    "members_html",
    "module_html",
    "no_workspace_html",
    "notice_temporary",
    "problem_html",
    "regions_html",
    "restored_html",
    "trainer_html",
]

HOME_TITLE = "Sector partnership curriculum"
ATTRIBUTION = ("Based on the Next Gen Sector Partnership training toolkit; an independent project, "
               "not official Next Gen material.")
LAB_LINK_TEXT = "Open the module notebook in JupyterLab"
LINK = "color:#0b5394;text-decoration:underline"
P = "margin:0.2em 0 0.5em;line-height:1.45;max-width:46rem"
NEW_TAB = " target='_blank' rel='noopener'"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: state -> (label, text colour, background); the word is always shown, never the colour alone
BADGES = {
    "complete": ("Complete", "#1d5e20", "#e3f1e4"),
    "started": ("Started", "#5c4300", "#fff1c2"),
    "not started": ("Not started", "#3c4043", "#eef0f2"),
}


def _a(href: str, text: str, extra: str = "") -> str:
    return f"<a href='{esc(href)}' style='{LINK}'{extra}>{esc(text)}</a>"


def _badge(state: str) -> str:
    label, color, background = BADGES.get(state, (state.capitalize(), "#3c4043", "#eef0f2"))
    return (f"<span style='color:{color};background:{background};border-radius:0.7em;padding:0 0.55em;"
            f"font-size:0.9em;font-weight:600;white-space:nowrap'>{esc(label)}</span>")


def _when(iso: str | None) -> str:
    return f"last change {esc(local_time(iso))}" if iso else ""


def header_html(region_name: str | None, region: str, *, illustrative: bool = False) -> str:
    """The title, the attribution and which region this is (``region_name`` None: no workspace yet)."""
    top = (f"<h1 style='font-size:1.7em;margin:0.4em 0 0.1em;line-height:1.3'>{esc(HOME_TITLE)}</h1>"
           f"<p class='sk-attribution' style='{P};color:#444;font-size:0.95em'>{esc(ATTRIBUTION)}</p>")
    if region_name is None:
        return top
    note = notice("Illustrative example region.", "Its answers and data are made up for practice.") \
        if illustrative else ""
    return (f"{top}<p style='{P};font-size:1.1em'>Region: <strong>{esc(region_name)}</strong> "
            f"<span style='color:#555'>(id {esc(region)})</span></p>{note}")


def notice_temporary(text: str, *, with_download: bool = True) -> str:
    """The temporary-server notice at the top of the home page (``text`` plain; the button follows it)."""
    after = " Use the button below to download your answers now." if with_download else ""
    return (f"<div role='note' aria-label='Temporary server' style='{NOTICE_STYLE};margin-top:0.6em'>"
            f"<strong>Temporary server.</strong> {esc(text)}{esc(after)}</div>")


def no_workspace_html(region: str) -> str:
    """"There is no workspace named ..." (an alert; nothing is created; the form below is filled in)."""
    return (f"<div role='alert' style='border-left:4px solid #9b1c1c;padding:0.5em 1em;margin:0.5em 0'>"
            f"<p style='{P};font-weight:600'>There is no workspace named \u2018{esc(region)}\u2019. Create it?</p>"
            f"<p style='{P}'>Nothing has been created. Check the spelling in the address, pick your region from "
            "the list, restore it from a downloaded file, or create it with the form below (its id is filled "
            "in).</p></div>")


def regions_html(summaries: Iterable[Any], current: str | None, *, heading: str = "Your region") -> str:
    """The region picker: a link to each region's home page (names escaped), the current one marked.

    ``summaries`` are :class:`~sectorkit.workspaces.regions.RegionSummary` (``region``, ``name``,
    ``illustrative``, ``last_activity``).
    """
    items = []
    for s in summaries:
        extra = [f"id {s.region}"]
        if s.illustrative:
            extra.append("illustrative")
        extra.append(f"last change {local_time(s.last_activity)}" if s.last_activity else "nothing saved yet")
        tail = f" <span style='color:#555'>({esc(' · '.join(extra))})</span>"
        if s.region == current:
            items.append(f"<li><strong aria-current='page'>{esc(s.name)}</strong> (you are here){tail}</li>")
        else:
            items.append(f"<li>{_a(home_href(s.region), s.name)}{tail}</li>")
    intro = "Switch to another region's home page:" if current else "Pick your region:"
    return (f"{h2(heading)}<p style='{P}'>{esc(intro)}</p>"
            f"<ul style='margin:0.2em 0 0.5em 1.2em;padding:0;line-height:1.6'>{''.join(items)}</ul>")


def lab_href(lab_url: str | None, notebook: str | None) -> str | None:
    """JupyterLab's address of a module notebook, or None (no JupyterLab, or no notebook).

    >>> lab_href("https://hub.example.org/user/ana/lab/", "01_build_the_team.ipynb")
    'https://hub.example.org/user/ana/lab/tree/modules/01_build_the_team.ipynb'
    >>> lab_href(None, "01_build_the_team.ipynb") is None
    True
    """
    if not lab_url or not notebook:
        return None
    return f"{lab_url.rstrip('/')}/tree/modules/{notebook}"


def _page_line(p: Any, region: str) -> str:
    count = f", {p.answered} of {p.questions} questions" if p.questions else ""
    when = _when(p.last_saved)
    detail = f"<span style='color:#444'>{esc(count.lstrip(', '))}{' · ' if count and when else ''}{when}</span>"
    return (f"<li style='margin:0.15em 0'>{_a(page_href(p.page_id, region), p.title)} {_badge(p.state)} "
            f"{detail if (count or when) else ''}</li>")


def module_html(mp: Any, region: str, *, lab_url: str | None = None, link_title: bool = True) -> str:
    """One module of the map: title (linked to its own view), state, summary, notebook link, worksheets."""
    m = mp.module
    title = _a(home_href(region, module=m.id), m.title) if link_title else esc(m.title)
    parts = [f"<h3 style='font-size:1.1em;margin:0 0 0.2em;line-height:1.35'>{title}</h3>"]
    if m.summary:
        parts.append(f"<p style='{P}'>{esc(m.summary)}</p>")
    lab = lab_href(lab_url, m.notebook)
    if lab:
        parts.append(f"<p style='{P}'>{_a(lab, LAB_LINK_TEXT, NEW_TAB)}</p>")
    if not mp.pages:
        parts.append(f"<p style='{P};color:#444'><em>Worksheets coming soon.</em></p>")
    else:
        state = [f"{_badge(mp.state)}"]
        review = mp.review
        if review is not None:
            state.append(f"After Action Review: {review.answered} of {review.questions} questions answered")
        if mp.last_saved:
            state.append(_when(mp.last_saved))
        parts.append(f"<p style='{P}'>{' · '.join(state)}</p>")
        items = "".join(_page_line(p, region) for p in mp.pages)
        parts.append(f"<p style='{P};margin-bottom:0'>Worksheets:</p>"
                     f"<ul style='margin:0.1em 0 0.3em 1.2em;padding:0;line-height:1.5'>{items}</ul>")
    return ("<div class='sk-module' style='border-left:4px solid #c7d3e3;padding:0.3em 0 0.3em 0.9em;"
            f"margin:0.8em 0'>{''.join(parts)}</div>")


def curriculum_html(progress: Sequence[Any], region: str, *, lab_url: str | None = None,
                    only: str | None = None, unknown_module: str | None = None) -> str:
    """The curriculum map (every module in order), or one module (``only``: its id) with a link back.

    ``unknown_module``: a ``?module=`` value that names no module (shown escaped, with the whole map).
    """
    shown = [mp for mp in progress if only is None or mp.module.id == only]
    if only and shown:
        back = _a(home_href(region), "Show all steps and modules")
        return (f"{h2('The curriculum: ' + shown[0].module.title)}<p style='{P}'>{back}</p>"
                + module_html(shown[0], region, lab_url=lab_url, link_title=False))
    lead = ("Work through the steps in order. Each worksheet saves as you type; the After Action Review at the "
            "end of each step tells you what is still to do.")
    extra = ""
    if unknown_module is not None:
        extra = notice("No such module.", f"There is no module \u2018{esc(unknown_module)}\u2019; "
                                          "the whole curriculum is shown.")
    return (h2("The curriculum") + extra + f"<p style='{P}'>{esc(lead)}</p>"
            + "".join(module_html(mp, region, lab_url=lab_url) for mp in shown))


def data_uri(data: bytes, mime: str) -> str:
    """``data:<mime>;base64,...`` for a download link.

    >>> data_uri(b"{}", "application/json")
    'data:application/json;base64,e30='
    """
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def downloads_html(json_bytes: bytes, json_name: str, xlsx_bytes: bytes | None, xlsx_name: str,
                   prepared_at: str | None = None, *, problem: str | None = None) -> str:
    """The two download links (file names escaped), when they were prepared, or why Excel is missing."""
    links = [f"<a download='{esc(json_name)}' href='{data_uri(json_bytes, 'application/json')}' "
             f"style='{LINK};font-weight:600'>Download the workspace (JSON)</a> "
             f"<span style='color:#444'>({len(json_bytes) / 1024:,.0f} KB: everything, to restore later)</span>"]
    if xlsx_bytes is not None:
        links.append(f"<a download='{esc(xlsx_name)}' href='{data_uri(xlsx_bytes, XLSX_MIME)}' "
                     f"style='{LINK};font-weight:600'>Download all answers (Excel)</a> "
                     "<span style='color:#444'>(to read or share; it cannot be restored)</span>")
    elif problem:
        links.append(f"The Excel workbook could not be made: {esc(problem)}")
    when = f"<p style='{P};color:#444'>Prepared at {esc(local_time(prepared_at))}.</p>" if prepared_at else ""
    items = "".join(f"<li style='margin:0.2em 0'>{x}</li>" for x in links)
    return f"<ul style='margin:0.3em 0 0.2em 1.2em;padding:0;line-height:1.5'>{items}</ul>{when}"


def _open_link(name: str, region: str) -> str:
    return _a(home_href(region), f"Open {name}\u2019s home page")


def created_html(name: str, region: str) -> str:
    """The line after a region is created: what was made and the link to its home page."""
    return (f"<p style='{NOTICE_STYLE}'><strong>Created {esc(name)}</strong> (id {esc(region)}). "
            f"{_open_link(name, region)}</p>")


def restored_html(result: Any) -> str:
    """The line after a restore: counts restored and the link to the region's home page."""
    return (f"<p style='{NOTICE_STYLE}'><strong>Restored {esc(result.name)}</strong> (id {esc(result.region)}): "
            f"{result.answers:,} answers, {result.rows:,} table rows and {result.records:,} records. "
            f"{_open_link(result.name, result.region)}</p>")


def members_html(members: Sequence[str]) -> str:
    """"Who can open this region": the hub users who are members (names escaped) and the trainers.

    >>> "&lt;b&gt;" in members_html(["ana", "<b>"])
    True
    """
    items = "".join(f"<li>{esc(m)}</li>" for m in members) or "<li>No members yet: only the trainers.</li>"
    return (h2("Who can open this region") + f"<p style='{P}'>Its members (hub users) and the trainers. Add a "
            "teammate by their hub user name.</p>"
            f"<ul style='margin:0.2em 0 0.5em 1.2em;padding:0;line-height:1.6'>{items}</ul>")


def create_access_text(mode: str) -> str:
    """What the create form adds about access (plain text, to append to its intro): ``mode`` is the
    server's access mode (``open``, ``code`` or ``hub``; see :mod:`sectorkit.workspaces.access`).

    >>> create_access_text("open")
    ''
    >>> "typed twice" in create_access_text("code")
    True
    """
    if mode == "code":
        return (" On this server each region opens with its own access code: choose one, typed twice, and give "
                "it to the region\u2019s team. It is kept only in a form nobody can read back, so note it "
                "somewhere safe; a trainer can set a new one.")
    if mode == "hub":
        return (" You become the region\u2019s first member; only its members and the trainers open it. "
                "Add your teammates under \u201cWho can open this region\u201d on its home page.")
    return ""


def problem_html(text: str) -> str:
    """A problem next to the control that caused it (plain ``text``, escaped; announced)."""
    return (f"<p role='alert' style='{P};color:#9b1c1c;font-weight:600;border-left:4px solid #9b1c1c;"
            f"padding-left:0.6em'>{esc(text)}</p>")


def trainer_html() -> str:
    """The trainers' section: a link to the trainer view."""
    return (h2("For trainers") + f"<p style='{P}'>"
            + _a(trainer_href(), "Trainer view: the progress of every region on this server")
            + ", with each region's report and a download of every workspace.</p>")
