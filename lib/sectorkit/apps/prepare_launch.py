"""The Step 3 page: the ``prepare-launch`` worksheet with a live launch-plan summary and a pre-fill button.

The questions (convener candidates, co-chairs, date and place, the invitation list) are the spec
``data/worksheets/prepare_launch.yaml``, rendered by the form engine
(:class:`~sectorkit.apps.form.WorksheetApp`, so every answer and table row saves as it is typed). This
page adds two things around it:

- **the summary** (:func:`sectorkit.views.launch.launch_summary_html` of
  :func:`sectorkit.universe.launch.plan`): the convener chosen, the co-chairs who agreed, the funnel
  against the sizing rule, the notice the invitations give, the mix by sub-sector and size, and a
  clear line for each thing to check (a duplicate invitee, a co-chair who is not a business
  leader, ...). It is recomputed after every save (the form's ``on_saved`` callbacks);
- **"Pre-fill from the Universe"**, just above the invitation list: adds a row for each business of
  the region's Universe of Connections in the chosen sector that is not on the list yet (the sector
  typed in section 3, else the sectors the LMI Review shortlisted), with a decision-maker from the
  Universe's people there. A second click adds nothing new.

The form's status line is the page's one status line (the base's own stays empty and forwards to it).

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> page = PrepareLaunchPage(Workspace.open("demo-region", root=tempfile.mkdtemp()), today="2026-03-01")
>>> page.form.fields["target-attendance"].input.value = "12"
>>> "about 48 invitations" in page.summary.value
True
"""

from __future__ import annotations

import html
import re
from typing import Any

import ipywidgets as W

from sectorkit.apps.base import guarded
from sectorkit.apps.form import WorksheetApp
from sectorkit.apps.spec_page import SpecFormPage
from sectorkit.lmi.sources import CHOICE_KIND
from sectorkit.specs import WorksheetSpec
from sectorkit.store.workspace import Workspace
from sectorkit.universe import launch as L
from sectorkit.universe.store import KIND_ORG, KIND_PERSON
from sectorkit.views.launch import launch_summary_html

__all__ = ["SPEC_ID", "PrepareLaunchPage", "shortlisted_sectors"]

#: the worksheet this page shows (its page id too: the page wins over the plain form)
SPEC_ID = "prepare-launch"


def shortlisted_sectors(workspace: Workspace) -> list[str]:
    """The titles of the sectors the LMI Review shortlisted (records of kind ``sector_choice``), sorted."""
    return sorted({str(c.get("title")) for c in workspace.records(CHOICE_KIND).values()
                   if isinstance(c, dict) and c.get("decision") == "shortlist" and c.get("title")})


class PrepareLaunchPage(SpecFormPage):
    """The Step 3 worksheet with its launch-plan summary (see the module docstring).

    Parameters
    ----------
    workspace : Workspace
        The region's workspace.
    header : bool
        Show the title, region and intro.
    today : str or date, optional
        The date the notice check counts from (default: today; tests pass one).
    spec : WorksheetSpec, optional
        Default: the shipped ``prepare-launch`` spec.
    """

    spec_id = SPEC_ID

    def __init__(self, workspace: Workspace, *, header: bool = True, today: Any = None,
                 spec: WorksheetSpec | None = None):
        self.today = today
        super().__init__(workspace, header=header, spec=spec)
        self.refresh_summary()

    def build(self) -> list[W.Widget]:
        self.embed_form(self._after_save)
        styles = self.form.styles
        self.summary = W.HTML("", layout=styles.block, style=styles.html)
        self.summary.add_class("sk-launch-summary")
        self.prefill_button = W.Button(
            description="Pre-fill from the Universe", layout=styles.auto, style=styles.button,
            tooltip="Add the Universe of Connections' businesses in the chosen sector that are not on the list yet")
        self.prefill_button.on_click(self._on_prefill)
        self.prefill_help = W.HTML(
            "<p style='margin:0.6em 0 0.2em;line-height:1.45'>Start the list from the Universe of Connections: "
            "the button adds each business in the sector named in section 3 (or, if none is named, the sectors "
            "the LMI Review shortlisted) that is not on the list yet, with a decision-maker where the Universe "
            "lists one. Nothing already on the list changes.</p>", layout=styles.block, style=styles.html)
        self._place(self.form)
        return [self.form.container]

    def _place(self, form: WorksheetApp) -> None:
        """Put the pre-fill button just above the invitation list and the summary just below it."""
        table = form.fields[L.Q_INVITATIONS]
        children = list(form.container.children)
        first, last = table.widgets()[0], table.widgets()[-1]
        at = next(i for i, w in enumerate(children) if w is first)
        children.insert(at, W.VBox([self.prefill_help, W.HBox([self.prefill_button], layout=form.styles.block)],
                                   layout=form.styles.block))
        end = next(i for i, w in enumerate(children) if w is last)
        children.insert(end + 1, self.summary)
        form.container.children = tuple(children)

    # -- the status line is the form's ---------------------------------------------------------
    def _set_status(self, text: str, error: bool) -> None:
        if self.form is not None:
            self.form._set_status(text, error)
        super()._set_status(text, error)

    def _render_status(self) -> None:
        self.status.value = ""  # the form's status line, under the header, is the page's one status line

    def status_text(self) -> str:
        return self.form.status_text() if self.form is not None else super().status_text()

    # -- the summary -----------------------------------------------------------------------------
    def universe_records(self) -> tuple[dict, dict]:
        """The Universe's organization and person records, ``({id: record}, {id: record})``."""
        return dict(self.workspace.records(KIND_ORG)), dict(self.workspace.records(KIND_PERSON))

    def plan(self) -> L.LaunchPlan:
        """The launch plan from the answers as shown (tables included) and the Universe."""
        orgs, people = self.universe_records()
        return L.plan(self.form.answers(), orgs, people, today=self.today)

    def refresh_summary(self) -> L.LaunchPlan:
        """Recompute and redraw the summary; return the plan."""
        current = self.plan()
        self.summary.value = (
            "<div style='border:1px solid #bbb;border-radius:4px;padding:0.2em 1em 0.6em;margin:0.8em 0'>"
            + launch_summary_html(current) + "</div>")
        return current

    def _after_save(self, _form: WorksheetApp) -> None:
        current = self.refresh_summary()
        # the bad inputs a person should hear about at once, beside "Saved at ...": nothing is lost
        urgent = [d.message() for d in current.duplicates]
        urgent += [w for w in current.co_chairs.warnings if w.startswith("Row ")]
        if urgent:
            self.say(f"{self.status_text()} Check: {urgent[0]}")

    # -- pre-fill ----------------------------------------------------------------------------------
    def _on_prefill(self, _button: Any = None) -> None:
        self.prefill()

    @guarded("pre-filling the invitation list", keep="The invitation list is as it was.", lead="Nothing added")
    def prefill(self) -> int:
        """Add the Universe's businesses in the chosen sector that are not on the list; return how many."""
        typed = " ".join(str(self.form.answers().get(L.Q_SECTOR) or "").split())
        sectors = [typed] if typed else shortlisted_sectors(self.workspace)
        if not sectors:
            self.failed("name the sector in section 3 (or shortlist one in the LMI Review) first.",
                        lead="Nothing added")
            return 0
        orgs, people = self.universe_records()
        field = self.form.fields[L.Q_INVITATIONS]
        new = L.prefill_rows(field.get(), orgs, people, sectors)
        named = " or ".join(sectors)
        if not new:
            in_sector = [o for o in orgs.values() if o.get("kind") == "business"
                         and L.sector_matches(o.get("sector"), sectors)]
            self.say(f"Nothing to add: every business the Universe lists in {named} is already on the list."
                     if in_sector else f"Nothing to add: the Universe of Connections lists no business in {named}. "
                     "Add them on the Universe page (with their sector), or type them into the list.")
            return 0
        room = field.question.max_rows - len(field.get())
        if len(new) > room:
            self.failed(f"the list holds at most {field.question.max_rows} rows and has {len(field.get())}, so the "
                        f"{len(new)} businesses found do not fit.", lead="Nothing added")
            return 0
        self.workspace.save_rows(self.spec.id, L.Q_INVITATIONS, new, spec_version=self.spec.version)
        with self.loading():
            self.form.load()
        names = [str(orgs[r["business"]].get("name")) for r in new]
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        self.saved(f"added {len(new)} business{'es' if len(new) != 1 else ''} in {named} from the Universe: {shown}.")
        self.refresh_summary()
        return len(new)

    def summary_text(self) -> str:
        """The summary as plain text (tests and screen-reader checks)."""
        return html.unescape(re.sub(r"<[^>]+>", " ", self.summary.value))
