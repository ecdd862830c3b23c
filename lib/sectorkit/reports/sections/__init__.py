"""The sections of the region report, one module each, and their registry :data:`SECTIONS`.

Importing this package registers the sections; in report order: the header and
"Where the region stands" (:mod:`.standing`), :mod:`.sectors`, :mod:`.universe`,
:mod:`.assessments`, :mod:`.reviews`, :mod:`.action_teams`. A new section is a
module here that calls ``register(Section(...))``, one import line below and one
call in ``reports/region_report.ipynb``. The report template
calls each section's ``render`` function once (``tests/test_report.py`` checks it).

>>> list(SECTIONS)[0], "sectors" in SECTIONS, "launch-plan" in SECTIONS
('standing', True, True)
>>> SECTIONS["sectors"].render.__name__
'sectors'
"""

from __future__ import annotations

# importing a section module registers its section (report order comes from ``Section.order``)
from sectorkit.reports.sections import (  # noqa: F401
    action_teams,
    action_teams_tracker,
    assessments,
    footprint,
    influence,
    launch_capture,
    launch_plan,
    metrics,
    readiness,
    reviews,
    sectors,
    standing,
    universe,
)
from sectorkit.reports.sections._base import SECTIONS, Section, not_done, open_workspace

#: The ``<h2>`` titles of the sections, in report order.
SECTION_TITLES = [s.title for s in SECTIONS.values()]

__all__ = ["SECTIONS", "SECTION_TITLES", "Section", "not_done", "open_workspace"]
