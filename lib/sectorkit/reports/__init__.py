"""Per-region reports for state trainers: the sections, the runner, the PDF printer and the batch.

A report is a papermill run of ``reports/region_report.ipynb``: one cell tagged
``parameters`` (region, workspace root, years), then one short call per section
(``report.header(...)``, ``report.sectors(...)``, ...). Each section shows
escaped HTML (charts as images with a text alternative) and, when the team has
not done that part, a plain "Not done yet: ..." line.

The package, one concern per module:

* :mod:`~sectorkit.reports.sections`: one module per section and the registry
  ``SECTIONS`` (id -> ``Section(title, render, status)``); content is chosen by
  spec tags (``commitment``, ``action-team``) and ``report:`` placements;
* :mod:`~sectorkit.reports.notebook`: parameter injection and its safety check,
  notebook -> HTML, the page style;
* :mod:`~sectorkit.reports.render`: one region, built and written atomically;
* :mod:`~sectorkit.reports.pdf`: Chromium, the PDF printers;
* :mod:`~sectorkit.reports.batch`: many regions on a pool or Dask, the index page;
* :mod:`~sectorkit.reports.state`: the state report (``reports/state_report.ipynb``) over a state's regions;
* :mod:`~sectorkit.reports._kernels` and :mod:`~sectorkit.reports._zygote`:
  Unix-socket kernels forked from a warm zygote.

The names below are loaded on first use (PEP 562): ``python -m
sectorkit.reports._zygote client`` runs once per region and must not pay for
pandas, matplotlib and the sections when it starts.

>>> from sectorkit import reports as report
>>> report.SECTION_TITLES[0], report.render_all.__module__
('Where the region stands', 'sectorkit.reports.batch')
"""

from __future__ import annotations

import importlib

#: public name -> the submodule that defines it
_HOMES = {
    "ReportError": "common", "TEMPLATE": "common", "FORMATS": "common", "KERNEL": "common",
    "SECTIONS": "sections", "SECTION_TITLES": "sections", "Section": "sections", "not_done": "sections",
    "open_workspace": "sections",
    "header": "sections.standing", "sectors": "sections.sectors", "DECISION_TITLES": "sections.sectors",
    "universe": "sections.universe", "assessments": "sections.assessments", "reviews": "sections.reviews",
    "action_teams": "sections.action_teams", "launch_capture": "sections.launch_capture",
    "action_team_tracker": "sections.action_teams_tracker", "influence": "sections.influence",
    "launch_plan": "sections.launch_plan",
    "readiness": "sections.readiness", "footprint": "sections.footprint", "metrics": "sections.metrics",
    "outreach": "sections.outreach", "journeys": "sections.journeys", "frontline": "sections.frontline",
    "pathways": "sections.pathways",
    "REPORT_CSS": "notebook", "notebook_to_html": "notebook", "_parameterize": "notebook",
    "build_region_html": "render", "write_report": "render", "render_region": "render",
    "CHROMIUM": "pdf", "CHROMIUM_ARGS": "pdf", "launch_browser": "pdf", "chromium_pdf": "pdf", "PdfPrinter": "pdf",
    "BatchResult": "batch", "render_all": "batch", "write_index": "batch",
    "start_zygote": "_kernels",
    "build_state_html": "state", "render_state": "state",
}

__all__ = sorted(n for n in _HOMES if not n.startswith("_"))


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
