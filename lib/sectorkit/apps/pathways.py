"""The career pathway map page (Module 4): the ``pathway-map`` form with the map drawn under it.

The page embeds the spec form (programs, links, discussion) and adds, under it, the "program or
system?" summary, the things to check (a link to a deleted program, a circle of links, a program
with no level: each named, nothing dropped), the diagram drawn left to right by credential level
with its text alternative, and the programs table (:mod:`sectorkit.views.pathways`). The map is
redrawn after a save that changed the programs or the links, not while the discussion is typed.

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> ws = Workspace.open("demo-region", root=tempfile.mkdtemp())
>>> ids = ws.save_rows("pathway-map", "programs", [{"name": "Welding", "institution": "North High", "level": "1"}])
>>> page = PathwayMapApp(ws)
>>> "Programs at one institution" in page.panel.value and "<img" in page.panel.value
True
"""

from __future__ import annotations

import ipywidgets as W

from sectorkit.apps.base import guarded
from sectorkit.apps.spec_page import SpecFormPage
from sectorkit.partnership.pathways import LINKS, PATHWAY_SPEC, PROGRAMS, read_map
from sectorkit.store.workspace import Workspace
from sectorkit.universe.store import KIND_ORG
from sectorkit.views.html import h2, para
from sectorkit.views.pathways import pathways_html

__all__ = ["PathwayMapApp"]

#: the map's table on the page (the report has its own style sheet)
TABLE_CSS = ("<style>.sk-page .sk-table{border-collapse:collapse;margin:0.4em 0 1em}"
             ".sk-page .sk-table th,.sk-page .sk-table td{padding:0.25em 0.7em;text-align:left;vertical-align:top;"
             "border-bottom:1px solid #ccc}.sk-page .sk-table caption{text-align:left;font-weight:600}</style>")


class PathwayMapApp(SpecFormPage):
    """Programs and links with the pathway diagram and the "program or system?" summary.

    Parameters
    ----------
    workspace : Workspace
        The region's workspace (the Universe's organization names are read from it too).
    header : bool
        Show the title, region and intro.
    """

    spec_id = PATHWAY_SPEC

    def __init__(self, workspace: Workspace, *, header: bool = True):
        self._drawn: tuple | None = None
        super().__init__(workspace, header=header)
        self.refresh()

    def build(self) -> list[W.Widget]:
        self.embed_form(lambda _form: self.refresh())
        self.panel = self.html_widget()
        intro = self.html_widget(
            h2("The map") + para("Drawn from the two tables above each time they are saved: credential levels from "
                                 "left to right, one box per program coloured by institution, one arrow per link."))
        return [self.form.container, intro, self.panel]

    def _signature(self) -> tuple:
        """What the map shows: redraw only when the programs or links (or the Universe's names) change."""
        key = self.form.key
        return (tuple((r.row_id, repr(sorted(r.value.items()))) for r in self.workspace.rows(key, PROGRAMS)),
                tuple(repr(sorted(r.value.items())) for r in self.workspace.rows(key, LINKS)),
                tuple((k, v.get("name")) for k, v in self.workspace.records(KIND_ORG).items()))

    @guarded("drawing the pathway map", keep="Your answers are saved.", lead="")
    def refresh(self) -> None:
        """Redraw the summary, problems, diagram and table from what is saved (when the tables changed)."""
        signature = self._signature()
        if signature == self._drawn:
            return
        self.panel.value = TABLE_CSS + pathways_html(read_map(self.workspace))
        self._drawn = signature
