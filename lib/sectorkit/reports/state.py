"""The state report: ``reports/state_report.ipynb`` run by papermill over every region of one state.

``sectorkit report --state OH`` (and the statewide view's "Make the state report") call
:func:`render_state`: the template's ``parameters`` cell (``state``, ``home``) is injected and checked
to be plain data, the notebook runs in a fresh kernel over Unix sockets (as a region report does),
and the result is written as ``state-oh.html`` (and ``state-oh.pdf``) in the output folder, all
formats or none. The sections are the statewide view's (:mod:`sectorkit.views.statewide`): each
template cell is one call below, which shows escaped HTML with charts as images with alt text.
Every workspace is read read-only (:func:`sectorkit.statewide.state_rollup`).

>>> report_name("oh")
'state-oh'
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from sectorkit.core.paths import REPO_ROOT
from sectorkit.reports._kernels import _ipc_kernel_manager
from sectorkit.reports.common import FORMATS, KERNEL, ReportError, esc, one_line
from sectorkit.reports.notebook import notebook_to_html, parameterize_template
from sectorkit.reports.render import _check_formats, write_report
from sectorkit.statewide import StateRollup, state_rollup
from sectorkit.views import statewide as views
from sectorkit.workspaces.regions import parse_state

__all__ = ["STATE_TEMPLATE", "build_state_html", "load", "render_state", "report_name", "section"]

#: The state report template papermill runs.
STATE_TEMPLATE = REPO_ROOT / "reports" / "state_report.ipynb"

SECTIONS = {
    "stages": ("Partnerships by stage", views.stages_html),
    "regions": ("Every partnership", views.regions_html),
    "sectors": ("Sectors chosen", views.sectors_html),
    "metrics": ("Common metrics", views.metrics_html),
    "stories": ("Stories", views.stories_html),
    "assessments": ("Self-assessments", views.assessments_html),
}


def report_name(state: str) -> str:
    """The file stem of a state's report: ``state-<code in lower case>``."""
    return f"state-{parse_state(state).lower()}"


def load(state: str, home: str = "") -> StateRollup:
    """The template's first call: the state's rollup (read-only) from ``home`` (default ``SECTORKIT_HOME``)."""
    return state_rollup(state, home or None)


def _show(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(markup))


def title(view: StateRollup) -> None:
    """The report's title and summary paragraph."""
    _show(f"{views.CSS}<h1>Sector partnerships in {esc(view.state_name)}: state report</h1>"
          f'<div class="sk-state">{views.summary_html(view)}</div>')


def section(view: StateRollup, name: str) -> None:
    """Show one section (a key of ``SECTIONS``) under its heading."""
    heading, render = SECTIONS[name]
    _show(f'<h2>{esc(heading)}</h2><div class="sk-state">{render(view)}</div>')


def build_state_html(state: str, home: str | os.PathLike | None = None, kernel: str = KERNEL) -> dict:
    """Run the state template with a fresh kernel; return ``{"region": "state-oh", "html", "seconds"}``.

    Raises
    ------
    ReportError
        A bad state code, a missing workspace folder, or a failing cell (one line).
    """
    import papermill as pm

    t0 = time.perf_counter()
    try:
        code = parse_state(state)
    except Exception as exc:  # noqa: BLE001 - the message is the user's
        raise ReportError(str(exc)) from None
    if not code:
        raise ReportError("Name the state: --state OH (a 2-letter code).")
    home_s = "" if home in (None, "") else str(Path(home).expanduser().resolve())
    if home_s and not Path(home_s).is_dir():
        raise ReportError(f"The workspace folder {home_s} does not exist.")
    nb = parameterize_template(STATE_TEMPLATE, {"state": code, "home": home_s})
    with tempfile.TemporaryDirectory(prefix="sk-state-") as tmp:
        try:
            executed = pm.execute_notebook(nb, str(Path(tmp) / "state.ipynb"), cwd=tmp, kernel_name=kernel,
                                           progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                                           shutdown_kernel="immediate",
                                           kernel_manager_class=_ipc_kernel_manager(Path(tmp) / "kernel"))
        except pm.PapermillExecutionError as exc:
            raise ReportError(one_line(exc)) from None
    name = report_name(code)
    body = notebook_to_html(executed, name, title=f"State report: sector partnerships in {code}")
    return {"region": name, "html": body, "seconds": time.perf_counter() - t0}


def render_state(state: str, out_dir: str | os.PathLike, home: str | os.PathLike | None = None,
                 formats: Sequence[str] = FORMATS, kernel: str = KERNEL) -> list[Path]:
    """Build the state report and write ``<out_dir>/state-<code>.html`` (and ``.pdf``), all or none."""
    formats = _check_formats(formats)
    return write_report(build_state_html(state, home, kernel), Path(out_dir), formats)
