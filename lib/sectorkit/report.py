"""Per-region reports for state trainers: sections, the runner and the batch.

A report is a papermill run of ``reports/region_report.ipynb``: one cell tagged
``parameters`` (region, workspace root, years), then one short call per section
into this module. Each section shows escaped HTML (charts as images with a text
alternative) and, when the team has not done that part, a plain
"Not done yet: ..." line.

Sections: :func:`header` (where the region stands), :func:`sectors` (which
sectors it chose and why), :func:`universe` (who it reaches),
:func:`assessments` (how its self-assessments moved), :func:`reviews` (After
Action Reviews), :func:`action_teams` (what its action teams promised).

Running
-------
:func:`build_region_html` executes the template for one region in a temporary
folder with a **fresh kernel** (papermill starts one per run and shuts it down),
so no region can see another's state, and converts it to HTML without code.
:func:`render_region` writes ``<region>.html`` (and ``.pdf``) atomically;
:func:`render_all` runs many regions on a process pool of warm workers (or on a
Dask cluster), writes each result as it arrives, prints every PDF in one
Chromium session and writes ``index.html``. A region that fails is reported
and never replaces a good report already in the output folder.

>>> not_done("no sector has been chosen yet.")
'<p class="sk-not-done"><strong>Not done yet:</strong> no sector has been chosen yet.</p>'
"""

from __future__ import annotations

import ast
import html
import os
import re
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Sequence

from sectorkit.core.errors import SectorkitError
from sectorkit.core.paths import REPO_ROOT
from sectorkit.store.workspace import Workspace, validate_region_id

TEMPLATE = REPO_ROOT / "reports" / "region_report.ipynb"
FORMATS = ("html", "pdf")
DECISION_TITLES = [("shortlist", "Shortlisted"), ("maybe", "Maybe"), ("not-now", "Not now")]
#: answers of these long-text questions are the promises action teams made
PROMISE_QUESTIONS = re.compile(r"^(next-actions|.*-next-steps)$")
KERNEL = "python3"


class ReportError(SectorkitError):
    """A report that could not be produced, with a one-line reason."""


# =============================================================================== sections
def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def not_done(text: str) -> str:
    """The plain line a section shows for a part the team has not done (``text`` is escaped)."""
    return f'<p class="sk-not-done"><strong>Not done yet:</strong> {_esc(text)}</p>'


def _section(anchor: str, title: str, body: str) -> str:
    return (f'<section class="sk-section" id="{anchor}" aria-labelledby="{anchor}-h">'
            f'<h2 id="{anchor}-h">{_esc(title)}</h2>{body}</section>')


def _show(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(markup))


def _root(home: str | os.PathLike | None) -> str | None:
    return str(home) if home not in (None, "") else None


def open_workspace(region: str, home: str | os.PathLike | None = None) -> Workspace:
    """Open an existing region's workspace for reading (the example region is created if new).

    The region id is validated before it touches a path; a missing or unreadable
    workspace raises :class:`~sectorkit.core.errors.WorkspaceError`.
    """
    region = validate_region_id(region)
    if region == "example":
        from sectorkit.example import ensure_example_workspace

        return ensure_example_workspace(_root(home))
    return Workspace.open(region, _root(home), create=False)


def _lines(text: Any) -> list[str]:
    return [ln.strip(" -*\t") for ln in str(text or "").splitlines() if ln.strip(" -*\t")]


def _answered(value: Any) -> bool:
    return value not in (None, "", [], {})


def _status(region: str, home) -> list[tuple[str, bool, str]]:
    """(part, done, detail) for the overview table."""
    from sectorkit.apps import assessment as A
    from sectorkit import universe as network

    with open_workspace(region, home) as ws:
        choices = [c for c in ws.records("sector_choice").values() if c.get("decision")]
        short = [c for c in choices if c.get("decision") == "shortlist"]
        u = network.load_universe(ws)
        rounds = [r for s in _assessment_specs() for r in A.rounds(ws, s.id)]
        progress = A.aar_progress(ws)
        promises = _promises(ws)
    done_reviews = int(progress["done"].sum()) if len(progress) else 0
    started = int((progress["answered"] > 0).sum()) if len(progress) else 0
    return [
        ("Sectors chosen (LMI Review)", bool(choices),
         f"{len(short)} shortlisted, {len(choices)} decided" if choices else "no sector decided yet"),
        ("Universe of Connections", bool(u.organizations),
         f"{len(u.businesses())} businesses, {len(u.partners())} partners, {len(u.people)} people"
         if u.organizations else "no organizations listed yet"),
        ("Self-assessments", bool(rounds), f"{len(rounds)} round(s)" if rounds else "no round held yet"),
        ("After Action Reviews", started > 0, f"{done_reviews} of {len(progress)} done, {started} started"),
        ("Action team commitments", bool(promises),
         f"{sum(len(p['lines']) for p in promises)} action(s) written down" if promises else "none written down yet"),
    ]


def header(region: str, home: str = "", start_year: int = 2020, end_year: int = 2023) -> None:
    """Title, region facts and where the region stands (one row per part of the work)."""
    region = validate_region_id(region)
    with open_workspace(region, home) as ws:
        name, illustrative = ws.name, ws.illustrative
    today = datetime.now(timezone.utc).date().isoformat()
    rows = "".join(
        f"<tr><th scope='row'>{_esc(part)}</th><td>{'Done' if done else 'Not done yet'}</td><td>{_esc(detail)}</td></tr>"
        for part, done, detail in _status(region, home))
    flag = ("<p class='sk-illustrative'><strong>Illustrative region.</strong> Its data is made up for "
            "practice; it is not a real partnership.</p>") if illustrative else ""
    _show(
        f"<header class='sk-header'><h1>Sector partnership report: {_esc(name)}</h1>"
        f"<p>Region id <code>{_esc(region)}</code>. Labor-market years {int(start_year)}–{int(end_year)}. "
        f"<span class='sk-generated'>Generated {today}.</span></p>{flag}"
        "<p class='sk-source'>Based on, but not official material of, the Next Gen Sector Partnership "
        "training toolkit.</p></header>"
        + _section("standing", "Where the region stands",
                   "<table><caption>Each part of the work and how far the team has got</caption><thead><tr>"
                   "<th scope='col'>Part</th><th scope='col'>Status</th><th scope='col'>Detail</th></tr></thead>"
                   f"<tbody>{rows}</tbody></table>"))


def _screen_for(settings: dict, start_year: int, end_year: int):
    """The sector screen for the saved LMI settings and the report's years (None + why if impossible)."""
    from sectorkit.lmi import screen as S

    try:
        if settings.get("source", "example") == "example":
            from sectorkit.lmi import measures as lmi

            from sectorkit.lmi import qcew
            path = qcew.example_region_path()
            data = qcew.read_area_files(path)
            cw = path / "crosswalk.csv"
            region = lmi.Region.from_crosswalk(cw, lmi.read_crosswalk(cw)["region_id"].iloc[0])
        else:
            from sectorkit.apps.lmi_review import load_source

            data, region = load_source(settings.get("source", ""), settings.get("folder", ""),
                                       settings.get("counties", ""), settings.get("crosswalk", ""))
        result = S.build_sector_screen(data, region, int(start_year), int(end_year),
                                       digits=int(settings.get("naics_digits", 2)),
                                       own_code=int(settings.get("own_code", 5)),
                                       weights=settings.get("weights"))
        return result, None
    except (SectorkitError, KeyError, ValueError, TypeError) as exc:
        return None, str(exc)


def sectors(region: str, home: str = "", start_year: int = 2020, end_year: int = 2023) -> None:
    """Which sectors the team chose in the LMI Review, its notes on why, and what the data says."""
    with open_workspace(region, home) as ws:
        choices = ws.records("sector_choice")
        settings = ws.records("lmi_settings").get("current") or {}
    decided = {code: c for code, c in choices.items() if c.get("decision") or c.get("note")}
    if not decided:
        _show(_section("sectors", "Sectors chosen and why",
                       not_done("the team has not marked any sector in the LMI Review worksheet.")))
        return
    screen_df, problem = (None, None)
    if settings:
        screen_df, problem = _screen_for(settings, start_year, end_year)
    whys = {}
    if screen_df is not None:
        whys = {str(c): str(w) for c, w in zip(screen_df["industry_code"], screen_df["why"])}
    parts = []
    for key, title in DECISION_TITLES + [(None, "Notes without a decision")]:
        items = sorted(((code, c) for code, c in decided.items() if c.get("decision") == key),
                       key=lambda kv: str(kv[1].get("title") or kv[0]).lower())
        if not items:
            continue
        lis = []
        for code, c in items:
            note = c.get("note") or ""
            why = whys.get(str(code))
            lis.append(
                f"<li><strong>{_esc(c.get('title') or code)}</strong> (NAICS {_esc(code)})"
                + (f"<br>Team's note: {_esc(note)}" if note else "<br>Team's note: none")
                + (f"<br>The data, {int(start_year)}–{int(end_year)}: {_esc(why)}" if why else "")
                + "</li>")
        parts.append(f"<h3>{_esc(title)} ({len(items)})</h3><ul class='sk-list'>{''.join(lis)}</ul>")
    if not any(c.get("decision") == "shortlist" for c in decided.values()):
        parts.insert(0, not_done("no sector is shortlisted yet; the decisions so far are below."))
    if settings:
        src = "the illustrative example region" if settings.get("source", "example") == "example" else "the team's own BLS QCEW files"
        parts.append(f"<p>The team's LMI Review used {_esc(src)}, years {_esc(settings.get('start_year', '?'))}–"
                     f"{_esc(settings.get('end_year', '?'))}, {_esc(settings.get('naics_digits', 2))}-digit NAICS.</p>")
    if screen_df is not None:
        from sectorkit.views import charts
        from sectorkit.lessons import figure_html

        shown = screen_df[screen_df["industry_code"].astype(str).isin({str(c) for c in decided})]
        if len(shown):
            fig = charts.bubble_chart(shown, title=f"Chosen sectors: concentration vs growth, {int(start_year)}–{int(end_year)}")
            alt = charts.bubble_chart_alt_text(shown)
            parts.append(figure_html(fig, alt, caption=alt))
    elif problem:
        parts.append(f"<p>The labor-market figures could not be drawn for {int(start_year)}–{int(end_year)}: {_esc(problem)}</p>")
    _show(_section("sectors", "Sectors chosen and why", "".join(parts)))


def universe(region: str, home: str = "") -> None:
    """Who the team reaches: the Universe of Connections diagram, its text alternative and the table."""
    from sectorkit import universe as nw
    from sectorkit.lessons import figure_html

    with open_workspace(region, home) as ws:
        u = nw.load_universe(ws)
    if not u.organizations:
        _show(_section("universe", "Who the team reaches",
                       not_done("the team has not listed any organization in the Universe of Connections.")))
        return
    G = nw.build_graph(u)
    reached = nw.reach(G)
    s = nw.reach_summary(G, reached)
    parts = [f"<p>{s['businesses']} businesses are listed; the team reaches {s['direct']} directly and "
             f"{s['within_two']} within two steps; {s['gaps']} are not reached.</p>"]
    if not u.people:
        parts.insert(0, not_done("no people or relationships are listed yet, so nobody is reached."))
    fig = nw.draw_universe(G, reached=reached, title="Universe of Connections")
    alt = nw.diagram_alt_text(G, reached)
    parts.append(figure_html(fig, alt, caption=alt))
    brokers = nw.brokers(G, top=3)
    if brokers:
        parts.append("<p>People who connect the most: " + _esc("; ".join(u.person_label(p) for p, _ in brokers)) + ".</p>")
    parts.append(nw.connections_table_html(G, reached))
    _show(_section("universe", "Who the team reaches", "".join(parts)))


def _assessment_specs():
    from sectorkit.specs import available_specs, load_spec

    return [sp for sp in (load_spec(s) for s in available_specs()) if sp.kind == "assessment"]


def assessments(region: str, home: str = "") -> None:
    """How the self-assessments moved: the latest round against the one before, per assessment."""
    from sectorkit.apps import assessment as A

    parts = []
    with open_workspace(region, home) as ws:
        for spec in _assessment_specs():
            comp = A.compare_rounds(ws, spec)
            parts.append(f"<h3>{_esc(spec.title)}</h3>")
            if comp is None:
                held = len(A.rounds(ws, spec.id))
                parts.append(not_done(f"no complete response yet ({held} round(s) started)." if held
                                      else "the team has not held a round of this assessment."))
            else:
                parts.append(A.comparison_html(comp, spec))
    _show(_section("assessments", "How the self-assessments moved", "".join(parts)))


def reviews(region: str, home: str = "") -> None:
    """After Action Reviews: which steps' reviews are done."""
    from sectorkit.apps import assessment as A

    with open_workspace(region, home) as ws:
        progress = A.aar_progress(ws)
    body = ""
    if not len(progress) or int(progress["answered"].sum()) == 0:
        body = not_done("the team has not started any After Action Review.")
    _show(_section("reviews", "After Action Reviews", body + A.aar_progress_html(progress)))


def _promises(ws: Workspace) -> list[dict]:
    from sectorkit.specs import available_specs, load_spec

    found = []
    for spec in sorted((load_spec(s) for s in available_specs()), key=lambda s: (s.step or 99, s.id)):
        saved = ws.answers(spec.id)
        for q in spec.questions():
            if q.type == "long_text" and PROMISE_QUESTIONS.match(q.id) and _lines(saved.get(q.id)):
                found.append({"spec": spec, "question": q, "lines": _lines(saved.get(q.id))})
    return found


def action_teams(region: str, home: str = "") -> None:
    """What the action teams promised: Step 5's action-team questions and every written next action."""
    from sectorkit.specs import load_spec

    parts = []
    with open_workspace(region, home) as ws:
        step5 = load_spec("step5-aar")
        saved = ws.answers(step5.id)
        promises = _promises(ws)
    team_qs = [q for s in step5.sections if s.id == "action-teams" for q in s.questions]
    answered = [(q, saved.get(q.id)) for q in team_qs if _answered(saved.get(q.id))]
    if answered:
        lis = []
        for q, v in answered:
            labels = {o.value: o.label for o in step5.options_for(q)}
            lis.append(f"<li>{_esc(q.label)} <strong>{_esc(labels.get(v, v))}</strong></li>")
        parts.append(f"<h3>Action teams (Step 5 review)</h3><ul class='sk-list'>{''.join(lis)}</ul>")
    else:
        parts.append(not_done("the Step 5 review of the action teams has not been answered."))
    if promises:
        for p in promises:
            title = p["spec"].title
            items = "".join(f"<li>{_esc(line)}</li>" for line in p["lines"])
            parts.append(f"<h3>{_esc(title)}: {_esc(p['question'].label)}</h3><ul class='sk-list'>{items}</ul>")
    else:
        parts.append(not_done("no next actions are written down in any review or worksheet."))
    _show(_section("action-teams", "What the action teams promised", "".join(parts)))


SECTION_TITLES = ["Where the region stands", "Sectors chosen and why", "Who the team reaches",
                  "How the self-assessments moved", "After Action Reviews", "What the action teams promised"]


# =============================================================================== one region
REPORT_CSS = """
<style>
  body { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem; font-family: system-ui, sans-serif; color: #1b1b1b; line-height: 1.45; }
  h1 { font-size: 1.7em; margin: 0.2em 0 0.4em; } h2 { font-size: 1.3em; border-bottom: 2px solid #1f6f8b; padding-bottom: 0.15em; margin-top: 1.4em; }
  h3 { font-size: 1.05em; margin: 1em 0 0.3em; }
  .sk-section table, .sk-header table { border-collapse: collapse; margin: 0.4em 0; font-size: 0.92em; }
  .sk-section th, .sk-section td { border-bottom: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
  .sk-section caption { text-align: left; font-weight: 600; padding: 0.3em 0; }
  .sk-not-done { background: #fff4ce; border-left: 4px solid #8a6d00; padding: 0.35em 0.8em; }
  .sk-illustrative { background: #eef5f8; border-left: 4px solid #1f6f8b; padding: 0.35em 0.8em; }
  .sk-list li { margin-bottom: 0.35em; }
  figure img { max-width: 100%; height: auto; }
  code { background: #f2f2f2; padding: 0 0.2em; }
  .jp-OutputArea-output { overflow-x: auto; }
  @page { margin: 14mm 12mm; }
  @media print { body { max-width: none; padding: 0; } section, figure, tr { break-inside: avoid; } h2, h3 { break-after: avoid; } }
</style>
"""

_EXPORTER = None


def _exporter():
    """One HTML exporter per process (building it loads the templates)."""
    global _EXPORTER
    if _EXPORTER is None:
        from nbconvert import HTMLExporter

        _EXPORTER = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                                 exclude_output_prompt=True, exclude_markdown=True, exclude_raw=True)
    return _EXPORTER


def _parameterize(region: str, home: str, start_year: int, end_year: int):
    """The template with its parameters injected, checked to be plain data (never code)."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    params = {"region": region, "home": home, "start_year": int(start_year), "end_year": int(end_year)}
    nb = load_notebook_node(str(TEMPLATE))
    nb = parameterize_notebook(nb, params)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    if len(injected) != 1:
        raise ReportError("The report template has no cell tagged 'parameters'.")
    tree = ast.parse(injected[0].source)
    got = {}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Constant)):
            raise ReportError("The injected parameters are not plain values; refusing to run.")
        got[node.targets[0].id] = node.value.value
    if got != params:
        raise ReportError("The injected parameters do not match the values given; refusing to run.")
    return nb


def _one_line(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    evalue = getattr(exc, "evalue", None)
    if ename:
        text = f"{ename}: {evalue}" if evalue else str(ename)
    else:
        text = f"{exc.__class__.__name__}: {exc}"
    text = " ".join(str(text).split())
    return text if len(text) <= 400 else text[:397] + "..."


def _ipc_kernel_manager(socket_base: Path):
    """A kernel manager class whose kernel talks over Unix sockets in ``socket_base``'s folder.

    Sockets in the run's own temporary folder cannot clash with another run's
    (TCP ports chosen by concurrent processes can), and nothing listens on the network.
    """
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(socket_base))
            super().__init__(**kwargs)
            if _ZYGOTE is not None:
                # A forked kernel answers shutdown_request but does not leave its event loop
                # (see docs/architecture.md, Reports); the run is over by then, so jupyter_client's
                # SIGTERM, sent after half of this wait, ends it without a 2.5 s pause.
                self.shutdown_wait_time = 0.4

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            if _ZYGOTE is not None and _ZYGOTE.poll() is None and Path(kernel_cmd[0]).name.startswith("python"):
                # a fork of this worker's warm zygote instead of a new interpreter (see sectorkit._zygote)
                kernel_cmd = [kernel_cmd[0], "-m", "sectorkit._zygote", "client", _ZYGOTE_SOCKET, *kernel_cmd[1:]]
            # the kernel's own chatter (e.g. "KeyboardInterrupt caught" while a failed run shuts
            # down) goes to a log beside its sockets, not into the batch's terminal
            log = open(str(socket_base) + ".log", "ab")  # noqa: SIM115 - the kernel process owns it
            kw["stdout"] = kw["stderr"] = log
            try:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            finally:
                log.close()

    return IPCKernelManager


def build_region_html(region: str, home: str | os.PathLike | None = None, start_year: int = 2020,
                      end_year: int = 2023, kernel: str = KERNEL) -> dict:
    """Execute the template for one region with a fresh kernel; return ``{"region", "html", "seconds"}``.

    Runs anywhere (a pool worker, a Dask worker); writes only to its own
    temporary folder. Raises :class:`ReportError` with a one-line reason.
    """
    import papermill as pm

    t0 = time.perf_counter()
    region = validate_region_id(region)
    home_s = "" if home in (None, "") else str(Path(home).expanduser().resolve())
    if home_s and not Path(home_s).is_dir():
        raise ReportError(f"The workspace folder {home_s} does not exist.")
    nb = _parameterize(region, home_s, start_year, end_year)
    with tempfile.TemporaryDirectory(prefix="sk-report-") as tmp:
        out = Path(tmp) / "report.ipynb"
        for attempt in range(2):
            try:
                executed = pm.execute_notebook(nb, str(out), cwd=tmp, kernel_name=kernel, progress_bar=False,
                                               log_output=False, request_save_on_cell_execute=False,
                                               kernel_manager_class=_ipc_kernel_manager(Path(tmp) / "kernel"))
                break
            except pm.PapermillExecutionError as exc:
                raise ReportError(_one_line(exc)) from None
            except RuntimeError as exc:  # a kernel that died while starting (e.g. a port clash): once more
                if attempt or "kernel" not in str(exc).lower():
                    raise ReportError(_one_line(exc)) from None
    body = notebook_to_html(executed, region)
    return {"region": region, "html": body, "seconds": time.perf_counter() - t0}


def notebook_to_html(nb, region: str) -> str:
    """The executed report as a standalone HTML page: the outputs only, no code, no prompts.

    The cells are exported with nbconvert's ``basic`` template (outputs without
    JupyterLab's stylesheet or scripts) and wrapped in a small page of our own:
    ``lang``, a title, print styles and a ``main`` landmark; no CDN scripts.
    """
    import copy

    nb = copy.deepcopy(nb)
    # only the code cells' outputs: the parameters and the template's own narrative stay out
    nb.cells = [c for c in nb.cells if c.cell_type == "code"
                and not ({"parameters", "injected-parameters"} & set(c.metadata.get("tags", [])))]
    for c in nb.cells:
        c.source = ""  # nothing of the code reaches the page, even if inputs were ever shown
    body, _ = _exporter().from_notebook_node(nb)
    title = f"Sector partnership report: {region}"
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_esc(title)}</title>{REPORT_CSS}</head>\n<body><main>{body}</main></body></html>\n")


def _atomic_write(target: Path, data: str | bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _inside(out_dir: Path, region: str, suffix: str) -> Path:
    target = (out_dir / f"{region}.{suffix}").resolve()
    if target.parent != out_dir.resolve():
        raise ReportError(f"Refusing to write outside the output folder: {target}.")
    return target


def chromium_pdf(html_file: Path, pdf_file: Path, timeout: float = 60) -> None:
    """Print one HTML file to PDF with the Chromium binary (one process per file)."""
    from sectorkit.testing import CHROMIUM, CHROMIUM_ARGS

    with tempfile.TemporaryDirectory(prefix="sk-chromium-") as profile:
        cmd = [CHROMIUM, "--headless", *CHROMIUM_ARGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
               f"--print-to-pdf={pdf_file}", html_file.resolve().as_uri()]
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout)
    if proc.returncode != 0 or not pdf_file.exists() or pdf_file.stat().st_size == 0:
        raise ReportError(f"Chromium could not print the PDF (exit {proc.returncode}).")


class PdfPrinter:
    """One headless Chromium (through Playwright) that prints many HTML files to PDF."""

    def __init__(self):
        self._pw = self._browser = self._page = None

    def __enter__(self) -> "PdfPrinter":
        return self

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        from sectorkit.testing import launch_browser

        self._pw = sync_playwright().start()
        self._browser = launch_browser(self._pw)
        self._page = self._browser.new_page()

    def print(self, html_file: Path, pdf_file: Path) -> None:
        if self._page is None:
            self._start()
        self._page.goto(html_file.resolve().as_uri(), wait_until="load", timeout=60_000)
        self._page.pdf(path=str(pdf_file), format="Letter", print_background=True,
                       margin={"top": "14mm", "bottom": "14mm", "left": "12mm", "right": "12mm"})

    def __exit__(self, *exc) -> None:
        for closer in (self._browser, self._pw):
            try:
                if closer is not None:
                    (closer.close if closer is self._browser else closer.stop)()
            except Exception:  # noqa: BLE001 - best effort at shutdown
                pass


def write_report(result: dict, out_dir: Path, formats: Sequence[str] = FORMATS, printer: PdfPrinter | None = None
                 ) -> list[Path]:
    """Write one built report into ``out_dir``: every format to a temporary file first, then renamed.

    Either every requested file is replaced or none is, so a good earlier report
    is never left half-overwritten.
    """
    region = validate_region_id(result["region"])
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = {fmt: _inside(out_dir, region, fmt) for fmt in formats}
    staged: dict[str, Path] = {}
    try:
        fd, name = tempfile.mkstemp(prefix=f".{region}.", suffix=".html.part", dir=out_dir)
        staged["html"] = html_tmp = Path(name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(result["html"].encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        if "pdf" in formats:
            fd, name = tempfile.mkstemp(prefix=f".{region}.", suffix=".pdf.part", dir=out_dir)
            os.close(fd)
            staged["pdf"] = pdf_tmp = Path(name)
            # print from a temporary .html copy (Chromium decides the type by the file's suffix)
            with tempfile.TemporaryDirectory(prefix="sk-print-") as tmp:
                src = Path(tmp) / f"{region}.html"
                shutil.copyfile(html_tmp, src)
                try:
                    if printer is not None:
                        printer.print(src, pdf_tmp)
                    else:
                        chromium_pdf(src, pdf_tmp)
                except ReportError:
                    raise
                except Exception as exc:  # noqa: BLE001 - a browser failure becomes this region's failure
                    raise ReportError(f"The PDF could not be printed: {_one_line(exc)}") from None
            if pdf_tmp.stat().st_size == 0 or not pdf_tmp.read_bytes()[:5] == b"%PDF-":
                raise ReportError("The PDF printer produced an empty file.")
        mode = 0o666 & ~_umask()
        for fmt in formats:
            os.chmod(staged[fmt], mode)  # mkstemp makes 0600; a report is meant to be shared
            os.replace(staged[fmt], targets[fmt])
        return [targets[f] for f in formats]
    finally:
        for p in staged.values():
            p.unlink(missing_ok=True)


def render_region(region: str, out_dir: str | os.PathLike, home: str | os.PathLike | None = None,
                  formats: Sequence[str] = FORMATS, start_year: int = 2020, end_year: int = 2023,
                  kernel: str = KERNEL) -> list[Path]:
    """Build one region's report and write ``<out_dir>/<region>.html`` (and ``.pdf``) atomically."""
    formats = _check_formats(formats)
    result = build_region_html(region, home, start_year, end_year, kernel)
    return write_report(result, Path(out_dir), formats)


def _check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    fs = tuple(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    bad = [f for f in fs if f not in FORMATS]
    if bad or not fs:
        raise ReportError(f"Unknown report format {', '.join(bad) or '(none)'}: use html, pdf or html,pdf.")
    return fs if "html" in fs else ("html", *fs)  # the PDF is printed from the HTML


# =============================================================================== batches
@dataclass
class BatchResult:
    """What a batch produced: files per region, failures per region, the index page."""

    out_dir: Path
    written: dict[str, list[Path]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    index: Path | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


_ZYGOTE: subprocess.Popen | None = None
_ZYGOTE_SOCKET = ""


def start_zygote() -> None:
    """Start this process's kernel fork server (see :mod:`sectorkit._zygote`); later runs fork from it."""
    global _ZYGOTE, _ZYGOTE_SOCKET
    import atexit
    import sys

    folder = tempfile.mkdtemp(prefix="sk-zygote-")
    _ZYGOTE_SOCKET = os.path.join(folder, "zygote.sock")
    proc = subprocess.Popen([sys.executable, "-m", "sectorkit._zygote", "serve", _ZYGOTE_SOCKET],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    if proc.stdout.readline().strip() != b"ready":
        proc.kill()
        return
    _ZYGOTE = proc

    def stop() -> None:
        proc.terminate()
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(stop)


def _pool_init(zygote: bool = True) -> None:
    # Warm the worker: the heavy imports, the exporter's templates and the kernel fork server.
    import papermill  # noqa: F401

    _exporter()
    if zygote and os.environ.get("SECTORKIT_REPORT_ZYGOTE", "1") != "0":
        start_zygote()


def _make_pool(workers: int) -> ProcessPoolExecutor:
    import multiprocessing as mp

    return ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"), initializer=_pool_init)


def render_all(regions: Sequence[str], out_dir: str | os.PathLike, home: str | os.PathLike | None = None, *,
               formats: Sequence[str] = FORMATS, start_year: int = 2020, end_year: int = 2023,
               workers: int | None = None, scheduler: str | Any | None = None, progress: bool = False,
               kernel: str = KERNEL) -> BatchResult:
    """Render many regions; one failure never stops the others.

    Each region runs in its own fresh kernel on a local process pool of warm
    workers (``workers``, default the CPU count), or, with ``scheduler`` (an
    address like ``tcp://host:8786`` or a ``distributed.Client``), on a Dask
    cluster (the workers must see the workspace folder). Results come back to
    this process, which writes each region's files atomically, prints the PDFs
    in one Chromium session and writes ``index.html``.
    """
    from tqdm import tqdm

    t0 = time.perf_counter()
    formats = _check_formats(formats)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    batch = BatchResult(out.resolve())
    valid: list[str] = []
    for r in dict.fromkeys(regions):
        try:
            valid.append(validate_region_id(r))
        except SectorkitError as exc:
            batch.failed[str(r)] = str(exc)
    home_s = None if home in (None, "") else str(Path(home).expanduser().resolve())
    args = dict(home=home_s, start_year=start_year, end_year=end_year, kernel=kernel)
    bar = tqdm(total=len(valid), desc="reports", unit="region", disable=not progress, leave=False)
    printer = PdfPrinter() if "pdf" in formats else None

    def collect(region: str, get) -> None:
        try:
            result = get()
            batch.written[region] = write_report(result, out, formats, printer)
        except SectorkitError as exc:
            batch.failed[region] = str(exc)
        except Exception as exc:  # noqa: BLE001 - any other failure is still this region's alone
            batch.failed[region] = _one_line(exc)
        bar.update(1)

    try:
        if not valid:
            pass
        elif scheduler is not None:
            from distributed import Client, as_completed as dask_completed

            client = scheduler if isinstance(scheduler, Client) else Client(scheduler, timeout=30)
            try:
                futures = client.map(build_region_html, valid, pure=False, **args)
                names = {f.key: r for f, r in zip(futures, valid)}
                for fut in dask_completed(futures):
                    collect(names[fut.key], fut.result)
            finally:
                if client is not scheduler:
                    client.close()
        else:
            n = max(1, min(workers or os.cpu_count() or 1, len(valid)))
            with _make_pool(n) as pool:
                futures: dict[Future, str] = {pool.submit(build_region_html, r, **args): r for r in valid}
                for fut in as_completed(futures):
                    collect(futures[fut], fut.result)
    finally:
        bar.close()
        if printer is not None:
            printer.__exit__(None, None, None)
    batch.index = write_index(out, batch, formats)
    batch.seconds = time.perf_counter() - t0
    return batch


def write_index(out_dir: Path, batch: BatchResult, formats: Sequence[str] = FORMATS) -> Path:
    """``index.html``: a link to every region's report (relative, escaped) and the failures."""
    out_dir = Path(out_dir)
    reports = sorted(p.stem for p in out_dir.glob("*.html") if p.name != "index.html" and not p.name.startswith("."))
    rows = []
    for region in reports:
        links = [f'<a href="{_esc(region)}.html">HTML</a>']
        if (out_dir / f"{region}.pdf").exists():
            links.append(f'<a href="{_esc(region)}.pdf">PDF</a>')
        state = "Failed this run: an earlier report is shown" if region in batch.failed else (
            "Updated this run" if region in batch.written else "From an earlier run")
        rows.append(f"<tr><th scope='row'>{_esc(region)}</th><td>{' · '.join(links)}</td><td>{_esc(state)}</td></tr>")
    fails = "".join(f"<li><strong>{_esc(r)}</strong>: {_esc(msg)}</li>" for r, msg in sorted(batch.failed.items()))
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Sector partnership reports</title>"
        + REPORT_CSS + "</head><body><main><h1>Sector partnership reports</h1>"
        f"<p>{len(batch.written)} report(s) written, {len(batch.failed)} failed. Generated {_esc(today)}.</p>"
        "<section class='sk-section' aria-labelledby='reports-h'><h2 id='reports-h'>Reports</h2>"
        + ("<table><caption>One report per region</caption><thead><tr><th scope='col'>Region</th>"
           "<th scope='col'>Report</th><th scope='col'>This run</th></tr></thead><tbody>" + "".join(rows)
           + "</tbody></table>" if rows else "<p>No reports yet.</p>")
        + "</section><section class='sk-section' aria-labelledby='failures-h'><h2 id='failures-h'>Failures</h2>"
        + (f"<ul class='sk-list'>{fails}</ul>" if fails else "<p>None: every region's report was produced.</p>")
        + "</section></main></body></html>")
    target = out_dir / "index.html"
    _atomic_write(target, page)
    return target
