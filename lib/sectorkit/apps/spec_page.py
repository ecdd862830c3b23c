"""A custom page around one spec's form: the spec gives the title, intro and attribution, the page
adds its own panel or buttons beside the form.

The Step 3–5 pages (prepare to launch, launch capture, action teams) are this shape: the questions
and tables are a YAML spec saved by the ordinary form engine, and the page computes something live
from them (a funnel, an executive summary, overdue deliverables).

>>> import tempfile, ipywidgets as W
>>> from sectorkit.store.workspace import Workspace
>>> class Demo(SpecFormPage):
...     spec_id = "step2-aar"
...     def build(self):
...         self.count = W.HTML()
...         return [self.embed_form(lambda form: None).container, self.count]
>>> page = Demo(Workspace.open("demo", root=tempfile.mkdtemp()))
>>> page.title == page.spec.title and page.form.footer.value == ""
True
"""

from __future__ import annotations

from collections.abc import Callable

from sectorkit.apps.base import SpecHeader, WorksheetPage
from sectorkit.apps.form import WorksheetApp
from sectorkit.specs import WorksheetSpec, load_spec
from sectorkit.store.workspace import Workspace

__all__ = ["SpecFormPage"]


class SpecFormPage(SpecHeader, WorksheetPage):
    """A :class:`WorksheetPage` whose header comes from the spec ``spec_id`` and whose body embeds its form.

    Parameters
    ----------
    workspace : Workspace
        The region's workspace.
    header : bool
        Show the title, region and intro.
    spec : WorksheetSpec, optional
        Another spec than the shipped ``spec_id`` (tests).

    Subclasses set ``spec_id`` and implement ``build()``, calling :meth:`embed_form` once.
    """

    #: the id of the spec this page is built around
    spec_id: str = ""
    #: wide enough for the spec's tables
    max_width = "76rem"

    def __init__(self, workspace: Workspace, *, header: bool = True, spec: WorksheetSpec | None = None):
        self.spec = spec or load_spec(self.spec_id)
        self.form: WorksheetApp | None = None
        super().__init__(workspace, header=header)

    def embed_form(self, on_saved: Callable[[WorksheetApp], None]) -> WorksheetApp:
        """Build the spec's form without its own header or footer (the page shows them once);
        ``on_saved(form)`` runs after each successful save, e.g. to recompute the page's panel."""
        self.form = WorksheetApp(self.spec, self.workspace, header=False)
        self.form.footer.value = ""
        self.form.on_saved.append(on_saved)
        return self.form
