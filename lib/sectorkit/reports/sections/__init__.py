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

from sectorkit.lmi.sources import warm_example
from sectorkit.lmi.titles import industry_titles
from sectorkit.partnership.metrics import suggested_metrics

# importing a section module registers its section (report order comes from ``Section.order``)
from sectorkit.reports.sections import (  # noqa: F401
    action_teams,
    action_teams_tracker,
    assessments,
    footprint,
    frontline,
    influence,
    journeys,
    launch_capture,
    launch_plan,
    metrics,
    outreach,
    pathways,
    readiness,
    reviews,
    sectors,
    standing,
    universe,
)
from sectorkit.reports.sections._base import SECTIONS, Section, not_done, open_workspace
from sectorkit.specs import available_specs, load_spec
from sectorkit.views.figures import warm as warm_figures

#: The ``<h2>`` titles of the sections, in report order.
SECTION_TITLES = [s.title for s in SECTIONS.values()]

__all__ = ["SECTIONS", "SECTION_TITLES", "Section", "not_done", "open_workspace", "warm_shared"]


def warm_shared() -> list[str]:
    """Load what every region's report reads alike, before any region is opened; never raises.

    The report batch's kernel fork server (:mod:`sectorkit.reports._zygote`) calls this once, so each
    forked kernel starts with it in memory: every worksheet spec and the suggested metrics (parsed
    and validated), the industry titles, the illustrative LMI files, and one chart drawn as the
    sections draw theirs (:func:`sectorkit.views.figures.warm`). It reads only shared, read-only
    data (never a workspace), so the kernels stay isolated.
    Returns the names of the warmers that failed (normally none).
    """
    failed = []
    for name, warmer in (("specs", lambda: [load_spec(s) for s in available_specs()]),
                         ("suggested metrics", suggested_metrics), ("industry titles", industry_titles),
                         ("example LMI data", warm_example), ("figures", warm_figures)):
        try:
            warmer()
        except Exception:  # noqa: BLE001 - a warm-up is an optimisation; the report reads it again if needed
            failed.append(name)
    return failed
