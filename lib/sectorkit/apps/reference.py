"""The reference pages: questions people ask (FAQ), partnerships in practice (case studies), and the
facilitator notes of every module.

They are registered in :mod:`sectorkit.apps.registry` as *reference* pages (``faq``,
``case-studies``, ``facilitator``): nothing on them is saved, they are not counted in progress, and
the home page lists them under "Resources". They belong to the introduction module (their
navigation bar links it). Data: :mod:`sectorkit.specs.reference`; HTML: :mod:`sectorkit.views.reference`.

The FAQ page filters as you type: every word typed must appear in a question, its answer or its
tags; a module can be chosen too (``topic=`` pre-selects one, e.g. from a module notebook's link).
The status line says how many questions are shown ("5 of 18 questions").

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> page = FAQPage(Workspace.open("demo", tempfile.mkdtemp()))
>>> page.status_text() == f"{len(page.entries)} of {len(page.entries)} questions"
True
>>> page.search.value = "rural"
>>> page.shown_ids()
['rural-partnerships']
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from sectorkit.apps.base import WorksheetPage, guarded
from sectorkit.specs.library import modules
from sectorkit.specs.reference import case_studies, facilitator_notes, faq, filter_faq
from sectorkit.store.workspace import Workspace
from sectorkit.views import reference as V
from sectorkit.views.html import para

__all__ = ["CaseStudiesPage", "FAQPage", "FacilitatorPage", "ReferencePage"]

ALL = ""


class ReferencePage(WorksheetPage):
    """A page to read, not to fill in: the shared attribution, and a status line that says so."""

    attribution = V.ATTRIBUTION
    save_hint = "Nothing on this page is saved: it is reference material."
    max_width = "56rem"
    page_class = "sk-reference"

    def titles(self) -> dict[str, str]:
        """``{module id: title}`` from ``data/modules.yaml``."""
        return {m.id: m.title for m in modules()}

    @property
    def region(self) -> str:
        return self.workspace.region


class FAQPage(ReferencePage):
    """Questions people ask, with a filter box and a module choice.

    Parameters
    ----------
    workspace : Workspace
        The region (links keep it); nothing is written.
    topic : str, optional
        A module id to show the questions of (from ``?topic=``); an unknown one is named on the page
        and every question is shown.

    Attributes
    ----------
    search : ipywidgets.Text
        The filter box ("Filter the questions"); filters on every keystroke.
    topic : ipywidgets.Dropdown
        "All modules" or one module (each option says how many questions it has).
    listing : ipywidgets.HTML
        The questions shown, each a ``<details>`` with its answer and links to where it is taught.
    """

    title = "Questions people ask about sector partnerships"
    intro = ("Common questions about industry-led sector partnerships, answered in our own words. Type a few "
             "words to filter them, or pick a module; each answer links to the module where the topic is taught.")

    def __init__(self, workspace: Workspace, *, topic: str | None = None, header: bool = True):
        self.entries = faq()
        self._asked_topic = topic or None
        super().__init__(workspace, header=header)

    def build(self) -> list[W.Widget]:
        sh = self.styles
        titles = self.titles()
        counts = {m: sum(m in e.modules for e in self.entries) for m in titles}
        options = [("All modules", ALL)] + [(f"{t} ({counts[m]})", m) for m, t in titles.items()]
        known = self._asked_topic in titles
        self.search = W.Text(description="Filter the questions", placeholder="type words, e.g. rural or convener",
                             continuous_update=True, style=sh.text_label("11rem"),
                             layout=sh.layout(width="100%", max_width="40rem"))
        self.topic = W.Dropdown(description="Module", options=options, value=self._asked_topic if known else ALL,
                                style=sh.label("11rem"), layout=sh.layout(width="100%", max_width="40rem"))
        self.note = None
        if self._asked_topic and not known:
            shown = self._asked_topic if len(self._asked_topic) <= 40 else self._asked_topic[:40] + "..."
            self.note = f"There is no module \u2018{shown}\u2019; every question is shown."
        self.listing = self.html_widget()
        self.search.observe(self._changed, names="value")
        self.topic.observe(self._changed, names="value")
        self.refresh()
        return [self.search, self.topic, self.status, self.listing]

    def shown(self) -> list[Any]:
        """The entries the filter box and the module choice let through (in file order)."""
        return filter_faq(self.entries, self.search.value, self.topic.value or None)

    def shown_ids(self) -> list[str]:
        """Ids of :meth:`shown` (for tests and notebooks)."""
        return [e.id for e in self.shown()]

    def refresh(self) -> None:
        """Redraw the list and say how many questions it shows."""
        entries = self.shown()
        self.listing.value = V.faq_list_html(entries, self.region, self.titles(), open_=bool(self.search.value.strip()),
                                             note=self.note)
        self.say(f"{len(entries)} of {len(self.entries)} questions")

    @guarded("filtering the questions", keep="", lead="")
    def _changed(self, change: dict) -> None:
        self.refresh()


class CaseStudiesPage(ReferencePage):
    """Partnerships in practice: the examples and the at-scale results, with their source named."""

    title = "Partnerships in practice: examples and results"
    intro = ("Six regional partnerships and one state's results, retold in our own words from the community of "
             "practice material, to show what business-led partnerships can achieve.")

    def build(self) -> list[W.Widget]:
        self.body = self.html_widget(V.case_studies_html(case_studies(), self.region, self.titles()))
        return [self.body]


class FacilitatorPage(ReferencePage):
    """Every module's facilitator notes (time, materials, how to run the exercises, tips), one
    collapsible block per module."""

    title = "Facilitator notes for every module"
    intro = ("For whoever runs the sessions: how long each module takes, what to bring, how to run its "
             "exercises step by step, and tips. Open a module to read its notes.")

    def build(self) -> list[W.Widget]:
        notes = facilitator_notes()
        lead = para(f"{len(notes)} modules. The times are suggestions for a team of six to twelve people; "
                    "the same notes open from the top of each module notebook.")
        self.body = self.html_widget(lead + V.facilitator_page_html(notes, self.region, self.titles()))
        return [self.body]
