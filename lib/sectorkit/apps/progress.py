"""A region's progress through the curriculum: each module's pages, started or complete, and when.

Read from one workspace in three queries (:meth:`~sectorkit.store.workspace.Workspace.activity`)
plus the specs, so the home page and the trainer view can show many regions quickly.

A **spec page** is *started* when one of its questions has an answer (a table with a row counts)
and *complete* when every question has one. A **custom page** (LMI Review, Universe, ...) is
started once one of the record kinds it registered exists (:func:`registry.page_records`); its
spec answers count too where it has a spec (prepare-launch, launch-capture, action-teams). The
After Action Review of a step is its *review*: answered questions out of all.

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> ws = Workspace.open("demo", tempfile.mkdtemp())
>>> _ = ws.save_answer("step2-aar", "data-and-knowledge", "yes")
>>> step2 = next(m for m in region_progress(ws) if m.module.id == "step-2")
>>> step2.review.state, step2.review.answered > 0
('started', True)
>>> [p.state for p in step2.pages if p.page_id == "lmi-review"]
['not started']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sectorkit.apps.registry import curriculum, page_records, page_title
from sectorkit.specs import available_specs, load_spec
from sectorkit.specs.library import Module
from sectorkit.store.workspace import Workspace

NOT_STARTED, STARTED, COMPLETE = "not started", "started", "complete"


@dataclass(frozen=True)
class PageProgress:
    """One page's progress in one region.

    Attributes
    ----------
    page_id, title : str
        The page (``?sheet=`` id) and its title (plain text).
    state : str
        ``"not started"``, ``"started"`` or ``"complete"`` (custom pages are never "complete":
        only the team can say when a Universe is done).
    answered, questions : int
        Questions with an answer, and all questions, for a spec page (0, 0 for a custom page
        without a spec).
    last_saved : str or None
        UTC ISO time of the last change on this page.
    """

    page_id: str
    title: str
    state: str
    answered: int = 0
    questions: int = 0
    last_saved: str | None = None


@dataclass(frozen=True)
class ModuleProgress:
    """One curriculum module in one region: its pages and its After Action Review.

    Attributes
    ----------
    module : Module
        From ``data/modules.yaml`` (id, title, summary, notebook).
    pages : list of PageProgress
        Every page of the module in order, the review included.
    review : PageProgress or None
        The module's After Action Review, if it has one.
    """

    module: Module
    pages: list[PageProgress] = field(default_factory=list)
    review: PageProgress | None = None

    @property
    def last_saved(self) -> str | None:
        stamps = [p.last_saved for p in self.pages if p.last_saved]
        return max(stamps) if stamps else None

    @property
    def state(self) -> str:
        """``complete`` when the review is complete, else ``started`` if any page is, else not."""
        if self.review is not None and self.review.state == COMPLETE:
            return COMPLETE
        return STARTED if any(p.state != NOT_STARTED for p in self.pages) else NOT_STARTED


#: Pages that gather other pages (the After Action Review hub): their progress is that of every spec
#: of this kind together.
HUBS = {"after-action-reviews": "after_action_review"}


def _spec_counts(pid: str, activity: dict) -> tuple[int, int]:
    n_questions = len(load_spec(pid).questions())
    return min(activity["answered"].get(pid, 0), n_questions), n_questions


def _page(pid: str, activity: dict, specs: set[str]) -> PageProgress:
    answers = activity["answers"]
    kinds = page_records(pid)
    stamps = [activity["records"].get(kind) for kind in kinds]
    started = any(activity["record_counts"].get(kind) for kind in kinds)
    n_answered = n_questions = 0
    covered = [s for s in sorted(specs) if load_spec(s).kind == HUBS[pid]] if pid in HUBS else []
    for spec_id in covered:
        got, total = _spec_counts(spec_id, activity)
        n_answered, n_questions = n_answered + got, n_questions + total
        stamps.append(answers.get(spec_id))
    if pid in specs and not kinds:
        n_answered, n_questions = _spec_counts(pid, activity)
        stamps.append(answers.get(pid))
    elif pid in specs:  # a custom page over a spec (an assessment: answers are kept per response)
        stamps.append(answers.get(pid))
        started = started or bool(activity["answered"].get(pid))
    started = started or n_answered > 0
    stamps = [t for t in stamps if t]
    state = COMPLETE if n_questions and n_answered == n_questions else STARTED if started else NOT_STARTED
    return PageProgress(pid, page_title(pid), state, n_answered, n_questions, max(stamps) if stamps else None)


def region_progress(ws: Workspace) -> list[ModuleProgress]:
    """Every module of the curriculum with its pages' progress in ``ws`` (modules in order).

    Modules without pages yet are included with no pages, so a map shows what is coming.
    """
    activity = ws.activity()
    specs = set(available_specs())
    out = []
    for module, pages in curriculum():
        rows = [_page(pid, activity, specs) for pid in pages]
        review = next((r for r in rows if r.page_id in specs and load_spec(r.page_id).kind == "after_action_review"),
                      None)
        out.append(ModuleProgress(module, rows, review))
    return out


def last_activity(ws: Workspace) -> str | None:
    """UTC ISO time of the latest change anywhere in the workspace, or None if nothing was saved."""
    return ws.activity()["last"]
