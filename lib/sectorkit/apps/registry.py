"""The page registry: every worksheet page id, its title, and how to open it for a region.

Two kinds of page share one id space:

* **spec pages**: every spec in ``data/worksheets`` (:func:`sectorkit.specs.available_specs`) is a
  page whose id is the spec id; it opens with :func:`sectorkit.apps.form.open_worksheet`. A new
  question-only worksheet is a YAML file and nothing else.
* **custom pages**: registered here with :func:`register_page` (the LMI Review, the Universe of
  Connections, the Sustainability Self-Assessment, the After Action Review hub). A custom page
  wins over a spec with the same id (``sustainability`` is both: its spec holds the questions, its
  page adds rounds and respondents).

The generic Voila page ``worksheets/sheet.ipynb?sheet=<id>&region=<id>`` opens any of them
(:func:`sectorkit.serve.pages.sheet_page`); so does a worksheet notebook from before it,
through :func:`page_for_notebook` (``step2_aar.ipynb`` -> ``step2-aar``).

>>> "step2-aar" in page_ids() and "lmi-review" in page_ids()
True
>>> page_for_notebook("step2_aar.ipynb"), page_for_notebook("lmi_review.ipynb")
('step2-aar', 'lmi-review')
>>> open_page("no-such-page", "example")
Traceback (most recent call last):
...
sectorkit.apps.registry.UnknownPage: There is no worksheet page 'no-such-page'. Known pages: ...
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sectorkit.core.errors import SectorkitError
from sectorkit.example import open_region
from sectorkit.specs import available_specs, load_spec
from sectorkit.specs.library import Module, modules

__all__ = [
    "GENERIC_NOTEBOOK",
    "Page",
    "UnknownPage",
    "curriculum",
    "custom_page_ids",
    "is_page_id",
    "is_reference",
    "legacy_notebooks",
    "module_of",
    "neighbours",
    "open_page",
    "page_for_notebook",
    "page_ids",
    "page_modules",
    "page_place",
    "page_records",
    "page_sequence",
    "page_title",
    "reference_pages",
    "register_page",
]

#: The one notebook that serves every page (``?sheet=<page id>``); never a legacy name.
GENERIC_NOTEBOOK = "sheet.ipynb"

#: The module of the spec-driven form (every spec page).
FORM_MODULE = "sectorkit.apps.form"

#: ``?sheet=`` values the generic page keeps for itself: the home page, the trainer and statewide views.
RESERVED = frozenset({"home", "trainer", "state"})

#: A page id: lowercase letters, digits and single hyphens, at most 64 characters (the spec id rule).
PAGE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID = 64

#: ``factory(region, root=None)`` -> an object with ``.container`` (an ipywidgets widget).
PageFactory = Callable[..., Any]


class UnknownPage(SectorkitError, LookupError):
    """A page id that is malformed or not registered (the message lists the known pages)."""


@dataclass(frozen=True)
class Page:
    """A registered custom page.

    Attributes
    ----------
    id : str
        The page id used in ``?sheet=`` (a slug).
    title : str
        Plain text, shown in the list of pages.
    factory : callable
        ``factory(region, root=None)``; returns an object whose ``.container`` is the page's widget.
    legacy_notebook : str or None
        The notebook that served this page before the generic page (e.g. ``lmi_review.ipynb``).
    module : str
        The module the page's code lives in (imported ahead of time by the warm-up).
    part_of : str or None
        The curriculum module it belongs to (an id from ``data/modules.yaml``, e.g. ``step-2``).
    order : int
        Its place among that module's pages (a spec's ``order``; default 50).
    records : tuple of str
        The workspace record kinds the page saves (progress: the page is started once one exists).
    reference : bool
        A reference page (FAQ, case studies, facilitator notes): nothing to fill in, so it is not in
        the curriculum's page lists, progress or previous / next; the home page lists it under
        "Resources" (:func:`reference_pages`).
    """

    id: str
    title: str
    factory: PageFactory
    legacy_notebook: str | None = None
    module: str = FORM_MODULE
    part_of: str | None = None
    order: int = 50
    records: tuple[str, ...] = ()
    reference: bool = False


_CUSTOM: dict[str, Page] = {}


def is_page_id(text: object) -> bool:
    """True if ``text`` has the shape of a page id (it may still be unknown).

    >>> is_page_id("step2-aar"), is_page_id("../x"), is_page_id("<script>"), is_page_id("")
    (True, False, False, False)
    """
    return isinstance(text, str) and len(text) <= MAX_ID and bool(PAGE_ID.match(text))


def register_page(
    page_id: str,
    title: str,
    factory: PageFactory,
    *,
    legacy_notebook: str | None = None,
    part_of: str | None = None,
    order: int = 50,
    records: tuple[str, ...] = (),
    reference: bool = False,
) -> Page:
    """Register (or replace) the custom page ``page_id``.

    Parameters
    ----------
    page_id : str
        A slug: lowercase letters, digits and hyphens.
    title : str
        Plain text (escaped wherever it becomes HTML).
    factory : callable
        ``factory(region, root=None)`` -> object with ``.container``; it raises
        :class:`~sectorkit.core.errors.SectorkitError` for problems a user can fix.
    legacy_notebook : str, optional
        The worksheet notebook that used to serve the page, so its old URL still finds it.
    part_of : str, optional
        The curriculum module (``data/modules.yaml`` id) the page belongs to: where the home page
        lists it and what its previous / next links walk through.
    order : int
        Its place among the module's pages (spec pages: 50, After Action Reviews 90).
    records : tuple of str
        Workspace record kinds the page saves, so progress can tell it has been started.
    reference : bool
        A reference page (nothing to fill in): left out of :func:`curriculum` (so of progress and
        previous / next) and listed by :func:`reference_pages`; ``part_of`` still names its module
        for the navigation bar.

    Raises
    ------
    ValueError
        If ``page_id`` is not a slug, or ``legacy_notebook`` is the generic page.

    >>> register_page("My Page", "A page", lambda region, root=None: None)
    Traceback (most recent call last):
    ...
    ValueError: A page id is lowercase letters, digits and hyphens, not 'My Page'.
    """
    if not is_page_id(page_id):
        raise ValueError(f"A page id is lowercase letters, digits and hyphens, not {page_id!r}.")
    if page_id in RESERVED:
        raise ValueError(f"'{page_id}' is reserved for the generic page's own views ({', '.join(sorted(RESERVED))}).")
    if legacy_notebook == GENERIC_NOTEBOOK:
        raise ValueError(f"{GENERIC_NOTEBOOK} is the generic page, not a legacy notebook.")
    module = getattr(factory, "page_module", None) or getattr(factory, "__module__", None) or FORM_MODULE
    page = Page(page_id, title, factory, legacy_notebook, module, part_of, order, tuple(records), reference)
    _CUSTOM[page_id] = page
    return page


def page_ids() -> list[str]:
    """Every page id, sorted: the custom pages and every spec in the spec folder (never a reserved id)."""
    return sorted((set(_CUSTOM) | set(available_specs())) - RESERVED)


def custom_page_ids() -> list[str]:
    """The ids of the registered custom pages (not only a spec), sorted.

    >>> {"after-action-reviews", "lmi-review", "sustainability", "universe"} <= set(custom_page_ids())
    True
    """
    return sorted(_CUSTOM)


def _known() -> str:
    return ", ".join(page_ids()) or "none"


def _check(page_id: object) -> str:
    if not is_page_id(page_id):
        shown = repr(page_id if not isinstance(page_id, str) or len(page_id) <= 40 else page_id[:40] + "...")
        raise UnknownPage(
            f"{shown} is not a worksheet page id (lowercase letters, digits and hyphens). Known pages: {_known()}."
        )
    if page_id not in _CUSTOM and page_id not in available_specs():
        raise UnknownPage(f"There is no worksheet page '{page_id}'. Known pages: {_known()}.")
    return page_id  # type: ignore[return-value]


def page_title(page_id: str) -> str:
    """The page's title (plain text). Raises :class:`UnknownPage` for an unknown id.

    >>> page_title("step2-aar")
    'Step 2 After Action Review: defining the scope of industry focus'
    """
    page_id = _check(page_id)
    if page_id in _CUSTOM:
        return _CUSTOM[page_id].title
    return load_spec(page_id).title


def open_page(page_id: str, region: str, root=None, **options: Any) -> Any:
    """Open page ``page_id`` for ``region``; the result's ``.container`` is the widget to show.

    ``options`` go to a custom page's factory (e.g. ``topic="step-2"`` for the FAQ page); a spec
    page takes none.

    Raises
    ------
    UnknownPage
        ``page_id`` is malformed or unknown (the message lists the known pages).
    SectorkitError
        The region id is invalid, the workspace cannot be opened, the spec is invalid, ...
    """
    page_id = _check(page_id)
    if page_id in _CUSTOM:
        return _CUSTOM[page_id].factory(region, root=root, **options)
    return importlib.import_module(FORM_MODULE).open_worksheet(page_id, region=region, root=root)


def page_modules() -> list[str]:
    """The modules of every page's code, sorted (the form's for the spec pages).

    The registry imports none of them itself, so a process that only needs the page list (the
    server answering old addresses) stays small; the warm-up of a preheated kernel imports them.

    >>> "sectorkit.apps.form" in page_modules() and "sectorkit.apps.lmi_review" in page_modules()
    True
    """
    return sorted({FORM_MODULE} | {p.module for p in _CUSTOM.values()})


def legacy_notebooks() -> dict[str, str]:
    """Old worksheet notebook name -> page id.

    A spec page's notebook was its spec id with ``_`` for ``-`` (``step2_aar.ipynb``); a custom
    page's is the one it registered. The generic page is never in the map.
    """
    found = {f"{spec_id.replace('-', '_')}.ipynb": spec_id for spec_id in available_specs()}
    found.update({p.legacy_notebook: p.id for p in _CUSTOM.values() if p.legacy_notebook})
    found.pop(GENERIC_NOTEBOOK, None)
    return found


def page_for_notebook(name: str) -> str | None:
    """The page id an old worksheet notebook (a file name, any folder) serves, or None."""
    return legacy_notebooks().get(name.rsplit("/", 1)[-1])


# -- the curriculum map -------------------------------------------------------------------
def page_place(page_id: str) -> tuple[str | None, int]:
    """``(module id, order)`` of a page: where the home page lists it and previous / next go.

    A custom page's come from :func:`register_page`; a spec page's from its ``module`` and
    ``order`` (default 50, an After Action Review 90). Raises :class:`UnknownPage`.

    >>> page_place("lmi-review"), page_place("step2-aar")
    (('step-2', 10), ('step-2', 90))
    """
    page_id = _check(page_id)
    if page_id in _CUSTOM:
        page = _CUSTOM[page_id]
        return page.part_of, page.order
    spec = load_spec(page_id)
    default = 90 if spec.kind == "after_action_review" else 50
    return spec.module, spec.order if spec.order is not None else default


def curriculum() -> list[tuple[Module, list[str]]]:
    """Every module of ``data/modules.yaml`` in order, each with its page ids in order.

    A module without pages yet is listed with an empty list; pages that name no module and
    reference pages (:func:`reference_pages`) are left out (they still open by id).

    >>> [m.id for m, pages in curriculum()][:3]
    ['introduction', 'step-1', 'step-2']
    >>> dict((m.id, pages) for m, pages in curriculum())["step-2"][:2]
    ['lmi-review', 'industry-readiness']
    """
    placed: dict[str, list[tuple[int, str, str]]] = {}
    for pid in page_ids():
        if is_reference(pid):
            continue
        module_id, order = page_place(pid)
        if module_id:
            placed.setdefault(module_id, []).append((order, page_title(pid), pid))
    return [(m, [pid for _, _, pid in sorted(placed.get(m.id, []))]) for m in modules()]


def is_reference(page_id: str) -> bool:
    """True for a reference page (registered with ``reference=True``).

    >>> is_reference("faq"), is_reference("step2-aar")
    (True, False)
    """
    page = _CUSTOM.get(page_id)
    return bool(page and page.reference)


def reference_pages() -> list[tuple[str, str]]:
    """``(page id, title)`` of every reference page, in their ``order``: the home page's "Resources".

    >>> [pid for pid, _ in reference_pages()]
    ['faq', 'case-studies', 'facilitator']
    """
    pages = sorted((p.order, p.title, p.id) for p in _CUSTOM.values() if p.reference)
    return [(pid, title) for _, title, pid in pages]


def page_records(page_id: str) -> tuple[str, ...]:
    """The record kinds a custom page saves (empty for a spec page: its answers are its own)."""
    page = _CUSTOM.get(page_id)
    return page.records if page else ()


def page_sequence() -> list[str]:
    """Every page that belongs to a module, in curriculum order (what previous / next walk)."""
    return [pid for _, pages in curriculum() for pid in pages]


def neighbours(page_id: str) -> tuple[str | None, str | None]:
    """The pages before and after ``page_id`` in :func:`page_sequence` (None at either end).

    >>> neighbours("industry-readiness")
    ('lmi-review', 'footprint')
    """
    seq = page_sequence()
    if page_id not in seq:
        return None, None
    i = seq.index(page_id)
    return (seq[i - 1] if i > 0 else None), (seq[i + 1] if i + 1 < len(seq) else None)


def module_of(module_id: str | None) -> Module | None:
    """The :class:`~sectorkit.specs.library.Module` with this id, or None."""
    return next((m for m in modules() if m.id == module_id), None)


# -- the custom pages ---------------------------------------------------------------------
def _app(module: str, name: str) -> PageFactory:
    """A factory for app class ``module.name``, imported when a page is first opened.

    Calls ``for_region(region, root=root, **options)``; ``cls(workspace)`` if that ``for_region`` takes no root.
    """

    def factory(region: str, root=None, **options: Any) -> Any:
        cls = getattr(importlib.import_module(module), name)
        if "root" in inspect.signature(cls.for_region).parameters:
            return cls.for_region(region, root=root, **options)
        return cls(open_region(region, root))

    factory.__qualname__ = f"{name}.for_region"
    factory.page_module = module  # type: ignore[attr-defined]
    return factory


def _sustainability(region: str, root=None) -> Any:
    """The Sustainability Self-Assessment (rounds, respondents, comparison) for ``region``."""
    return importlib.import_module(ASSESSMENT).assessment("sustainability", region=region, root=root)


ASSESSMENT = "sectorkit.apps.assessment"
_sustainability.page_module = ASSESSMENT  # type: ignore[attr-defined]


def _state_self_assessment(region: str, root=None) -> Any:
    """The State Self-Assessment (the nine actions and six capabilities, in rounds) for ``region``."""
    return importlib.import_module(ASSESSMENT).assessment("state-self-assessment", region=region, root=root)


_state_self_assessment.page_module = ASSESSMENT  # type: ignore[attr-defined]

JOURNEYS = "sectorkit.apps.journeys"


def _journey(spec_id: str) -> PageFactory:
    """A factory for the journey map page of spec ``spec_id`` (one page class serves every journey spec)."""

    def factory(region: str, root=None) -> Any:
        return importlib.import_module(JOURNEYS).JourneyMapPage.for_region(region, root=root, journey=spec_id)

    factory.__qualname__ = f"JourneyMapPage.for_region[{spec_id}]"
    factory.page_module = JOURNEYS  # type: ignore[attr-defined]
    return factory


#: (id, title, factory, legacy notebook, curriculum module, order within it, record kinds it saves)
_BUILT_IN: list[tuple[str, str, PageFactory, str | None, str, int, tuple[str, ...]]] = [
    (
        "lmi-review",
        "LMI Review: which sectors should we explore?",
        _app("sectorkit.apps.lmi_review", "LMIReviewApp"),
        "lmi_review.ipynb", "step-2", 10, ("sector_choice", "lmi_settings"),
    ),
    ("universe", "Universe of Connections", _app("sectorkit.apps.universe", "UniverseApp"), "universe.ipynb",
     "step-1", 10, ("organization", "person", "relationship", "roster")),
    ("sustainability", "Sustainability Self-Assessment", _sustainability, "sustainability.ipynb", "step-6", 60,
     ("assessment_round", "assessment_response")),
    ("state-self-assessment", "State Self-Assessment: the nine actions and six capabilities", _state_self_assessment,
     None, "state-roles", 20, ("assessment_round", "assessment_response")),
    ("after-action-reviews", "After Action Reviews", _app(ASSESSMENT, "AARHubApp"), "after_action_reviews.ipynb",
     "step-6", 95, ()),
    ("industry-readiness", "Industry readiness: which shortlisted sector is ready?",
     _app("sectorkit.apps.readiness", "ReadinessApp"), None, "step-2", 20, ("readiness",)),
    ("footprint", "Geographic footprint: which counties are in?",
     _app("sectorkit.apps.footprint", "FootprintApp"), None, "step-2", 30, ("footprint",)),
    ("launch-capture", "Launch record: priorities, requirements and champions",
     _app("sectorkit.apps.launch_capture", "LaunchCaptureApp"), None, "step-4", 10, ()),
    ("action-teams", "Action teams and their 60-day deliverables",
     _app("sectorkit.apps.action_teams", "ActionTeamsApp"), None, "step-5", 10, ()),
    ("prepare-launch", "Getting ready for the launch: convener, co-chairs, date and invitations",
     _app("sectorkit.apps.prepare_launch", "PrepareLaunchPage"), None, "step-3", 10, ()),
    ("influence-map", "Influence map: the decision-makers we need and who can reach them",
     _app("sectorkit.apps.influence", "InfluenceMapApp"), None, "step-3", 20, ("decision_maker",)),
    ("metrics-tracker", "Metrics tracker: what the partnership changes",
     _app("sectorkit.apps.metrics", "MetricsTrackerApp"), None, "success-metrics", 10, ()),
    ("pathway-map", "Career pathway map: programs, credentials and the links between them",
     _app("sectorkit.apps.pathways", "PathwayMapApp"), None, "career-pathways", 10, ()),
    ("employer-journey", "Employer journey map: what a business goes through with each program",
     _journey("employer-journey"), None, "business-services", 20, ()),
    ("jobseeker-journey", "Jobseeker and student journey map: what a person goes through with each program",
     _journey("jobseeker-journey"), None, "frontline", 10, ()),
    ("frontline-map", "Frontline map: who serves whom, and how demand news reaches them",
     _app("sectorkit.apps.frontline", "FrontlineMapApp"), None, "frontline", 20, ()),
    ("outreach-map", "Who knocks on employers' doors: outreach map",
     _app("sectorkit.apps.outreach", "OutreachMapApp"), None, "business-services", 10, ()),
]
for _id, _title, _factory, _notebook, _part_of, _order, _records in _BUILT_IN:
    register_page(_id, _title, _factory, legacy_notebook=_notebook, part_of=_part_of, order=_order, records=_records)

#: Reference pages (nothing to fill in; see :func:`reference_pages`), in the order the home page lists them.
#: They belong to the introduction, so their navigation bar leads there.
REFERENCE = "sectorkit.apps.reference"
for _order, (_id, _title, _class) in enumerate([
    ("faq", "Questions people ask about sector partnerships", "FAQPage"),
    ("case-studies", "Partnerships in practice: examples and results", "CaseStudiesPage"),
    ("facilitator", "Facilitator notes for every module", "FacilitatorPage"),
], 1):
    register_page(_id, _title, _app(REFERENCE, _class), part_of="introduction", order=_order, reference=True)
