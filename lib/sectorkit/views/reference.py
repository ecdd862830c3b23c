"""HTML of the reference pages: the FAQ, the case studies, the facilitator notes, and the home page's
"Resources" list.

Pure functions from the validated data (:mod:`sectorkit.specs.reference`) to HTML; every piece of
text is escaped (:func:`sectorkit.views.html.esc`). Module titles come in as ``{module id: title}``
so this layer needs no module list of its own. Links carry the region, like every link of the site.

>>> from sectorkit.specs.reference import faq
>>> entry = faq()[0]
>>> markup = faq_entry_html(entry, "central-ohio", {"introduction": "Intro <1>"})
>>> "<details" in markup and "Intro &lt;1&gt;" in markup
True
>>> "sheet.ipynb?region=central-ohio&amp;module=introduction" in markup
True
>>> faq_href("central-ohio", "step-2")
'sheet.ipynb?sheet=faq&region=central-ohio&topic=step-2'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from sectorkit.specs.reference import figure_text
from sectorkit.views.html import esc, h2, para
from sectorkit.views.nav import GENERIC_PAGE, home_href, page_href

__all__ = [
    "ATTRIBUTION",
    "FACILITATOR_SUMMARY",
    "FAQ_LINK_TEXT",
    "FAQ_PAGE",
    "case_studies_html",
    "facilitator_body_html",
    "facilitator_details_html",
    "facilitator_page_html",
    "faq_entry_html",
    "faq_href",
    "faq_link_html",
    "faq_list_html",
    "minutes_text",
    "resources_html",
]

FAQ_PAGE = "faq"
ATTRIBUTION = ("Based on the Next Gen Sector Partnership training toolkit and its community of practice page, "
               "in sectorkit's own words; an independent project, not official Next Gen material.")
FACILITATOR_SUMMARY = "Facilitator notes: time, materials, how to run it"
FAQ_LINK_TEXT = "Questions people ask about this module"
LINK = "color:#0b5394;text-decoration:underline"
P = "margin:0.2em 0 0.5em;line-height:1.45;max-width:46rem"
UL = "margin:0.2em 0 0.5em 1.2em;padding:0;line-height:1.5;max-width:46rem"
DETAILS = "border-left:4px solid #c7d3e3;padding:0.2em 0 0.2em 0.8em;margin:0.5em 0"
SUMMARY = "cursor:pointer;font-weight:600;line-height:1.45"
SMALL = "color:#444;font-size:0.95em"


def _a(href: str, text: str, extra: str = "") -> str:
    return f"<a href='{esc(href)}' style='{LINK}'{extra}>{esc(text)}</a>"


def _paras(paragraphs: Iterable[str]) -> str:
    return "".join(f"<p style='{P}'>{esc(p)}</p>" for p in paragraphs)


def _ul(items: Iterable[str], tag: str = "ul") -> str:
    """A list of already-safe HTML items."""
    inner = "".join(f"<li style='margin:0.15em 0'>{x}</li>" for x in items)
    return f"<{tag} style='{UL}'>{inner}</{tag}>" if inner else ""


def _heading(level: int | None, text: str) -> str:
    """A heading (``level`` 2-6), or a bold paragraph when ``level`` is None (inside notebook output)."""
    if level is None:
        return f"<p style='{P};font-weight:700;margin-top:0.7em'>{esc(text)}</p>"
    size = {2: "1.25", 3: "1.1", 4: "1.0"}.get(level, "1.0")
    return f"<h{level} style='font-size:{size}em;margin:0.9em 0 0.3em;line-height:1.3'>{esc(text)}</h{level}>"


def faq_href(region: str | None = None, topic: str | None = None) -> str:
    """Address of the FAQ page (``topic``: a module id it is filtered for), relative to the generic page."""
    query = {k: v for k, v in (("sheet", FAQ_PAGE), ("region", region), ("topic", topic)) if v}
    return f"{GENERIC_PAGE}?{urlencode(query)}"


def minutes_text(minutes: int) -> str:
    """``45`` -> "45 minutes", ``150`` -> "2 hours 30 minutes", ``60`` -> "1 hour".

    >>> minutes_text(45), minutes_text(150), minutes_text(60)
    ('45 minutes', '2 hours 30 minutes', '1 hour')
    """
    hours, rest = divmod(int(minutes), 60)
    parts = ([f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []) + \
            ([f"{rest} minute{'s' if rest != 1 else ''}"] if rest or not hours else [])
    return " ".join(parts)


def _module_links(ids: Sequence[str], region: str, titles: Mapping[str, str]) -> str:
    return ", ".join(_a(home_href(region, module=m), titles.get(m, m)) for m in ids)


# -- FAQ --------------------------------------------------------------------------------------
def faq_entry_html(entry: Any, region: str, titles: Mapping[str, str], *, open_: bool = False) -> str:
    """One question as a ``<details>`` (question as its summary): the answer and where it is taught.

    ``entry`` is a :class:`~sectorkit.specs.reference.FAQEntry`; ``open_`` shows the answer at once.
    """
    taught = f"<p style='{P};{SMALL}'>Taught in: {_module_links(entry.modules, region, titles)}</p>"
    return (f"<details class='sk-faq' id='faq-{esc(entry.id)}' style='{DETAILS}'{' open' if open_ else ''}>"
            f"<summary style='{SUMMARY}'>{esc(entry.question)}</summary>"
            f"<div style='margin-top:0.3em'>{_paras(entry.paragraphs)}{taught}</div></details>")


def faq_list_html(entries: Sequence[Any], region: str, titles: Mapping[str, str], *, open_: bool = False,
                  note: str | None = None) -> str:
    """The questions shown (``entries``), or a line saying none matches; ``note``: a plain-text line above."""
    top = f"<p style='{P};color:#5c4300'>{esc(note)}</p>" if note else ""
    if not entries:
        return top + para("No question matches. Try fewer or shorter words, or choose all modules.")
    return top + "".join(faq_entry_html(e, region, titles, open_=open_) for e in entries)


def faq_link_html(entries: Sequence[Any], href: str, *, module_title: str | None = None) -> str:
    """The end of a module notebook: a link to the FAQ page filtered for the module, and its questions
    inline (each opens to its answer), so the list is useful without a server.

    >>> from sectorkit.specs.reference import faq_for_module
    >>> markup = faq_link_html(faq_for_module("step-2"), "sheet.ipynb?sheet=faq&topic=step-2")
    >>> FAQ_LINK_TEXT in markup and markup.count("<details") == len(faq_for_module("step-2"))
    True
    """
    link = _a(href, FAQ_LINK_TEXT, " target='_blank' rel='noopener'")
    about = f" ({esc(module_title)})" if module_title else ""
    if not entries:
        return (f"<div class='sk-faq-link'><p style='{P}'>{link}{about}: no question is filed under this module "
                "yet; the page lists them all.</p></div>")
    items = [f"<details><summary style='{SUMMARY}'>{esc(e.question)}</summary>{_paras(e.paragraphs)}</details>"
             for e in entries]
    count = f"{len(entries)} question{'s' if len(entries) != 1 else ''}"
    return (f"<div class='sk-faq-link'><p style='{P}'>{link}{about}: {count}, each opens to its answer.</p>"
            f"{_ul(items)}</div>")


# -- case studies -----------------------------------------------------------------------------
def _figures(figures: Sequence[Any]) -> str:
    return _ul(f"<strong>{esc(figure_text(f))}</strong>: {esc(f.what)}" for f in figures)


def case_studies_html(cases: Any, region: str, titles: Mapping[str, str]) -> str:
    """The case studies page's body: every example, the at-scale results as a table, the national context.

    ``cases`` is a :class:`~sectorkit.specs.reference.CaseStudies`; figures are written as the source
    gives them (:func:`sectorkit.specs.reference.figure_text`).
    """
    parts = [para(f"What partnerships have done, as described on the {cases.source}, retold in our own words. "
                  "Figures are the source's, with its units; what participants said is paraphrased and "
                  "attributed to them, never quoted as ours."),
             h2("Partnerships and what they did")]
    for ex in cases.examples:
        body = [_heading(3, ex.name), f"<p style='{P};{SMALL}'>{esc(ex.place)} \u00b7 {esc(ex.sector)}</p>",
                _paras(ex.paragraphs)]
        if ex.figures:
            body.append(f"<p style='{P};margin-bottom:0'>In numbers:</p>" + _figures(ex.figures))
        if ex.voices:
            body.append(f"<p style='{P};margin-bottom:0'>What participants said (our paraphrase, not their words):</p>"
                        + _ul(f"{esc(v.who)}: {esc(v.paraphrase)}" for v in ex.voices))
        if ex.modules:
            body.append(f"<p style='{P};{SMALL}'>Where this is taught: {_module_links(ex.modules, region, titles)}</p>")
        body.append(f"<p style='{P};{SMALL}'>Source: {esc(ex.source)}.</p>")
        parts.append(f"<div class='sk-case' id='case-{esc(ex.id)}' style='{DETAILS}'>{''.join(body)}</div>")
    for scale in cases.at_scale:
        parts += [h2(f"Results at scale: {scale.state}"), _paras(scale.paragraphs), _results_table(scale)]
        if scale.modules:
            parts.append(f"<p style='{P};{SMALL}'>Where this is taught: "
                         f"{_module_links(scale.modules, region, titles)}</p>")
        parts.append(f"<p style='{P};{SMALL}'>Source: {esc(scale.source)}.</p>")
    if cases.context:
        parts += [h2("Across the country"), _figures(cases.context),
                  f"<p style='{P};{SMALL}'>Source: {esc(cases.source)}.</p>"]
    return "".join(parts)


def _results_table(scale: Any) -> str:
    cell = "padding:0.25em 0.6em;border-bottom:1px solid #d0d7de;text-align:left;vertical-align:top"
    rows = "".join(
        f"<tr><td style='{cell}'>{esc(r.group or '')}</td><th scope='row' style='{cell};white-space:nowrap'>"
        f"{esc(figure_text(r))}</th><td style='{cell}'>{esc(r.what)}</td></tr>" for r in scale.results)
    head = "".join(f"<th scope='col' style='{cell}'>{esc(h)}</th>" for h in ("Group", "Result", "What it measures"))
    return (f"<table class='sk-results' style='border-collapse:collapse;margin:0.4em 0 0.6em;max-width:50rem'>"
            f"<caption style='text-align:left;font-weight:600;padding:0.2em 0'>{esc(scale.state)}: results reported "
            f"by its partnerships</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")


# -- facilitator notes ------------------------------------------------------------------------
def facilitator_body_html(note: Any, level: int | None = 3) -> str:
    """A module's notes: the plan (time table with its total), materials, exercises (steps), tips.

    ``note`` is a :class:`~sectorkit.specs.reference.FacilitatorNotes`; ``level`` the heading level of
    the parts (None: bold lines, for notebook output that should not add headings).
    """
    cell = "padding:0.2em 0.6em;border-bottom:1px solid #d0d7de;text-align:left"
    rows = "".join(f"<tr><td style='{cell}'>{esc(t.activity)}</td><td style='{cell}'>{esc(minutes_text(t.minutes))}"
                   "</td></tr>" for t in note.time)
    total = (f"<tr><th scope='row' style='{cell}'>Total</th><td style='{cell};font-weight:600'>"
             f"{esc(minutes_text(note.total_minutes))}</td></tr>")
    table = (f"<table style='border-collapse:collapse;margin:0.3em 0 0.5em'><thead><tr>"
             f"<th scope='col' style='{cell}'>Activity</th><th scope='col' style='{cell}'>Time</th></tr></thead>"
             f"<tbody>{rows}{total}</tbody></table>")
    parts = [f"<p style='{P}'>{esc(note.summary)}</p>", _heading(level, "Time needed"), table,
             _heading(level, "Materials"), _ul(esc(m) for m in note.materials)]
    if note.exercises:
        parts.append(_heading(level, "How to run the exercises"))
        sub = None if level is None else min(level + 1, 6)
        for ex in note.exercises:
            parts.append(_heading(sub, f"{ex.title} ({minutes_text(ex.minutes)})"))
            parts.append(_ul((esc(s) for s in ex.steps), "ol"))
    if note.tips:
        parts += [_heading(level, "Tips"), _ul(esc(t) for t in note.tips)]
    return "".join(parts)


def facilitator_details_html(note: Any, *, summary: str = FACILITATOR_SUMMARY) -> str:
    """The collapsed block a module notebook shows near its top (closed until opened).

    >>> from sectorkit.specs.reference import facilitator_note
    >>> markup = facilitator_details_html(facilitator_note("step-4"))
    >>> markup.startswith("<details") and "<details open" not in markup and FACILITATOR_SUMMARY in markup
    True
    """
    return (f"<details class='sk-facilitator' style='{DETAILS}'><summary style='{SUMMARY}'>{esc(summary)}</summary>"
            f"{facilitator_body_html(note, level=None)}</details>")


def facilitator_page_html(notes: Sequence[Any], region: str, titles: Mapping[str, str]) -> str:
    """Every module's notes, each module a closed ``<details>`` whose summary is its title and total time."""
    blocks = []
    for note in notes:
        title = titles.get(note.module, note.module)
        link = f"<p style='{P};{SMALL}'>{_a(home_href(region, module=note.module), 'This module on the home page')}</p>"
        blocks.append(
            f"<details class='sk-facilitator' id='notes-{esc(note.module)}' style='{DETAILS}'>"
            f"<summary style='{SUMMARY}'><h2 style='display:inline;font-size:1.1em;margin:0'>{esc(title)}</h2> "
            f"<span style='font-weight:400;{SMALL}'>(about {esc(minutes_text(note.total_minutes))})</span></summary>"
            f"{facilitator_body_html(note, level=3)}{link}</details>")
    return "".join(blocks)


# -- the home page's list ---------------------------------------------------------------------
def resources_html(region: str, pages: Sequence[tuple[str, str]]) -> str:
    """The home page's "Resources" section: a link to each reference page (``(page id, title)``).

    >>> "sheet.ipynb?sheet=faq&amp;region=x" in resources_html("x", [("faq", "Questions <people> ask")])
    True
    """
    if not pages:
        return ""
    items = _ul(_a(page_href(pid, region), title) for pid, title in pages)
    return (h2("Resources") + para("Reference pages for every module; nothing on them is saved.") + items)
