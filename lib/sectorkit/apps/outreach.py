"""The outreach map page (Module 2): the ``outreach-map`` form with the burden measures and the heat map, live.

The page embeds the spec form (the sector, the programs that reach out to businesses, their contacts,
the advisory tables, the discussion prompts) and adds, under it, "What the map shows": the
contacts per business, the businesses reached by three or more programs, the sector's businesses no
program reaches, the programs that call on the same businesses, likely duplicate spellings of one
business, rows that are kept but not counted (a deleted program, no business), and the
program-by-business heat map with its text alternative and its table (:mod:`sectorkit.views.outreach`).
The panel is redrawn after every save, only when what it shows has changed. Nothing is merged or
changed to "fix" what it reports.

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> ws = Workspace.open("demo-region", root=tempfile.mkdtemp())
>>> (pid,) = ws.save_rows("outreach-map", "programs", [{"name": "Veterans program", "kind": "workforce-program"}])
>>> _ = ws.save_rows("outreach-map", "contacts", [{"program": pid, "business-name": "Apex", "frequency": "monthly"},
...                                              {"program": pid, "business-name": "APEX Inc.", "frequency": "once"}])
>>> page = OutreachMapApp(ws)
>>> "look like the same business" in page.panel.value and "<img" in page.panel.value
True
"""

from __future__ import annotations

import ipywidgets as W

from sectorkit.apps.base import guarded
from sectorkit.apps.spec_page import SpecFormPage
from sectorkit.partnership.outreach import OUTREACH_SPEC, OutreachMap, read_map
from sectorkit.store.workspace import Workspace
from sectorkit.views.html import h2, para
from sectorkit.views.outreach import analysis, outreach_html

__all__ = ["OutreachMapApp"]

#: the panel's tables on the page (the report has its own style sheet)
TABLE_CSS = ("<style>.sk-page .sk-table{border-collapse:collapse;margin:0.4em 0 1em}"
             ".sk-page .sk-table th,.sk-page .sk-table td{padding:0.25em 0.6em;text-align:left;vertical-align:top;"
             "border-bottom:1px solid #ccc}.sk-page .sk-table caption{text-align:left;font-weight:600}</style>")


class OutreachMapApp(SpecFormPage):
    """Programs, contacts and advisory tables with the live burden measures and heat map (module docstring).

    Parameters
    ----------
    workspace : Workspace
        The region's workspace (the Universe of Connections is read from it too).
    header : bool
        Show the title, region and intro.
    """

    spec_id = OUTREACH_SPEC

    def __init__(self, workspace: Workspace, *, header: bool = True):
        self._shown: OutreachMap | None = None
        super().__init__(workspace, header=header)
        self.refresh()

    def build(self) -> list[W.Widget]:
        self.embed_form(lambda _form: self.refresh())
        heading = self.html_widget(
            h2("What the map shows")
            + para("Counted from the saved rows after every save. A contact a year means: weekly 52, monthly 12, "
                   "quarterly 4, yearly or once 1. Businesses are counted as written: pick them from the Universe "
                   "so one company is not counted twice."))
        self.panel = self.html_widget()
        return [self.status, self.form.container, heading, self.panel]

    @guarded("redrawing the outreach map", keep="Your answers are saved.", lead="")
    def refresh(self) -> None:
        """Recompute the measures from what is saved; redraw the panel when they changed."""
        current = read_map(self.workspace)
        if current == self._shown and self.panel.value:
            return
        self.panel.value = TABLE_CSS + outreach_html(analysis(current))
        self._shown = current
