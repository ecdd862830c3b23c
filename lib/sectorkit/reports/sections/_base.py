"""The report section registry and what every section shares.

A section is registered once, by the module that draws it, as a :class:`Section`:
an id, the title of its ``<h2>``, a ``render(region, home, **params)`` function
the report template calls (it displays the section's HTML), its ``order`` in the
report, and an optional ``status(ws)`` giving the section's row in the "Where
the region stands" table. :data:`SECTIONS` is kept sorted by ``order``, whatever
order the modules are imported in.

>>> not_done("no sector has been chosen yet.")
'<p class="sk-not-done"><strong>Not done yet:</strong> no sector has been chosen yet.</p>'
>>> section_html("x", "<b>", "<p>1</p>")
'<section class="sk-section" id="x" aria-labelledby="x-h"><h2 id="x-h">&lt;b&gt;</h2><p>1</p></section>'
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sectorkit.example import ensure_example_workspace
from sectorkit.reports.common import esc
from sectorkit.specs import Question, WorksheetSpec, available_specs, load_spec, modules
from sectorkit.store.workspace import Workspace, validate_region_id

#: one row of the overview table: (part of the work, done?, detail)
Status = tuple[str, bool, str]


@dataclass(frozen=True)
class Section:
    """One section of the region report.

    Attributes
    ----------
    id : str
        The ``id`` of the section's ``<section>`` element (an anchor).
    title : str
        The text of its ``<h2>``.
    render : callable
        ``render(region, home, **params)``: displays the section; the template
        calls it by its function name (``report.<name>(...)``), once.
    order : int
        Where the section comes in the report (ascending).
    status : callable or None
        ``status(ws) -> (part, done, detail)`` for the overview table, or None.
    """

    id: str
    title: str
    render: Callable[..., None]
    order: int
    status: Callable[[Workspace], Status] | None = None


#: Every report section, by id, in report order (by ``Section.order``).
SECTIONS: dict[str, Section] = {}


def register(section: Section) -> Section:
    """Add a section to :data:`SECTIONS` (an id may be registered once) and keep it in report order."""
    if section.id in SECTIONS:
        raise ValueError(f"report section '{section.id}' is registered twice")
    ordered = sorted([*SECTIONS.values(), section], key=lambda s: s.order)
    SECTIONS.clear()
    SECTIONS.update((s.id, s) for s in ordered)
    return section


def not_done(text: str) -> str:
    """The plain line a section shows for a part the team has not done (``text`` is escaped)."""
    return f'<p class="sk-not-done"><strong>Not done yet:</strong> {esc(text)}</p>'


def section_html(anchor: str, title: str, body: str) -> str:
    """A titled, labelled ``<section>`` around ``body`` (already-escaped HTML)."""
    return (f'<section class="sk-section" id="{anchor}" aria-labelledby="{anchor}-h">'
            f'<h2 id="{anchor}-h">{esc(title)}</h2>{body}</section>')


def show(markup: str) -> None:
    """Display HTML as the current cell's output (the report keeps only outputs)."""
    from IPython.display import HTML, display

    display(HTML(markup))


def open_workspace(region: str, home: str | os.PathLike | None = None) -> Workspace:
    """Open an existing region's workspace for reading (the example region is created if new).

    The region id is validated before it touches a path; a missing or unreadable
    workspace raises :class:`~sectorkit.core.errors.WorkspaceError`.
    """
    region = validate_region_id(region)
    root = str(home) if home not in (None, "") else None
    if region == "example":
        return ensure_example_workspace(root)
    return Workspace.open(region, root, create=False)


def lines(text: Any) -> list[str]:
    """The non-blank lines of a long-text answer, without list bullets.

    >>> lines("- first\\n\\n* second  \\n")
    ['first', 'second']
    """
    return [ln.strip(" -*\t") for ln in str(text or "").splitlines() if ln.strip(" -*\t")]


def answered(value: Any) -> bool:
    """Whether a saved answer holds anything."""
    return value not in (None, "", [], {})


def spec_order(spec: WorksheetSpec) -> tuple:
    """Sort key putting specs in curriculum order: by their module's ``order`` (``data/modules.yaml``), then id.

    A spec without a module sorts by its ``step`` (after every module-placed spec of that step), then last.
    """
    order = {m.id: m.order for m in modules()}
    if spec.module in order:
        return (order[spec.module], 0, spec.id)
    return (order.get(f"step-{spec.step}", 10_000) if spec.step else 10_000, 1, spec.id)


def all_specs() -> list[WorksheetSpec]:
    """Every shipped spec, in curriculum order (:func:`spec_order`)."""
    return sorted((load_spec(s) for s in available_specs()), key=spec_order)


def questions_tagged(spec: WorksheetSpec, tag: str) -> list[Question]:
    """The spec's questions carrying ``tag`` (see :meth:`WorksheetSpec.questions_tagged`), in spec order."""
    return spec.questions_tagged(tag)


def specs_for(section_id: str) -> list[WorksheetSpec]:
    """The specs placed in a report section by their ``report: {section, order}``, in that order (then curriculum)."""
    placed = [s for s in all_specs() if s.report is not None and s.report.section == section_id]
    return sorted(placed, key=lambda s: (s.report.order, spec_order(s)))
