"""The frontline map page (Module 3): the ``frontline-map`` form with the map drawn live under it.

The page embeds the spec form (the groups the team wants served, frontline roles, links between
roles, demand paths, discussion) and adds, under it, **what the map shows**: the roles no demand
information reaches, the groups no role serves, the roles that serve the same people in
different organizations, the diagram with its text alternative, and the tables
(:mod:`sectorkit.views.frontline`). It is redrawn after every save; the diagram only when what it
shows changed, so typing in "What they do" does not redraw the picture. A link or demand path
naming a role that was deleted is kept in its table and named in the panel, never dropped.

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> ws = Workspace.open("demo-region", root=tempfile.mkdtemp())
>>> (r1,) = ws.save_rows("frontline-map", "roles", [{"role": "Career adviser", "organization-name": "Job center"}])
>>> _ = ws.save_rows("frontline-map", "demand-paths", [{"source": "partnership", "to-role": r1}])
>>> page = FrontlineMapApp(ws)
>>> "Demand information reaches every one of the 1 role" in page.panel.value
True
"""

from __future__ import annotations

import ipywidgets as W

from sectorkit.apps.base import guarded
from sectorkit.apps.spec_page import SpecFormPage
from sectorkit.partnership.frontline import FRONTLINE_SPEC, Analysis, FrontlineMap, analyse, read_frontline
from sectorkit.store.workspace import Workspace
from sectorkit.views.figures import figure_html
from sectorkit.views.frontline import draw_frontline, frontline_alt_text, frontline_html
from sectorkit.views.html import h2, para

__all__ = ["FrontlineMapApp"]

#: the tables' look on the page (the report has its own style sheet)
TABLE_CSS = ("<style>.sk-page .sk-table{border-collapse:collapse;margin:0.4em 0 1em}"
             ".sk-page .sk-table th,.sk-page .sk-table td{padding:0.25em 0.7em;text-align:left;vertical-align:top;"
             "border-bottom:1px solid #ccc}.sk-page .sk-table caption{text-align:left;font-weight:600}</style>")


def _signature(fm: FrontlineMap, analysis: Analysis) -> tuple:
    """What the diagram shows: redraw only when this changes."""
    return (tuple((r.id, r.name, r.organization) for r in fm.roles), tuple((p.source, p.to) for p in fm.paths),
            tuple(sorted(analysis.steps.items())))


class FrontlineMapApp(SpecFormPage):
    """Frontline roles, their links and demand paths, with the live map (see the module docstring).

    Parameters
    ----------
    workspace : Workspace
        The region's workspace (organization names are read from its Universe of Connections).
    header : bool
        Show the title, region and intro.
    """

    spec_id = FRONTLINE_SPEC

    def __init__(self, workspace: Workspace, *, header: bool = True):
        self._figure: tuple[tuple, str] | None = None
        super().__init__(workspace, header=header)
        self.refresh()

    def build(self) -> list[W.Widget]:
        self.embed_form(lambda _form: self.refresh())
        intro = self.html_widget(
            h2("What the map shows")
            + para("Redrawn after every save. The partnership is on the left; each band is an organization, and "
                   "each role stands in the column of the number of steps demand information takes to reach it. "
                   "Roles nobody passes demand information to are in the last column, in dashed boxes."))
        self.panel = self.html_widget()
        return [self.status, self.form.container, intro, self.panel]

    @guarded("drawing the frontline map", keep="Your answers are saved.", lead="")
    def refresh(self) -> None:
        """Read the map from what is saved and redraw the panel (the diagram only when it changed)."""
        fm = read_frontline(self.workspace, self.form.key)
        analysis = analyse(fm)
        figure = None
        if fm.roles:
            key = _signature(fm, analysis)
            if self._figure is None or self._figure[0] != key:
                self._figure = (key, figure_html(draw_frontline(fm, analysis), frontline_alt_text(fm, analysis)))
            figure = self._figure[1]
        self.panel.value = TABLE_CSS + frontline_html(fm, analysis, figure=figure)
