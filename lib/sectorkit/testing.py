"""Helpers to serve notebooks with Voila and drive them in headless Chromium.

Used by the browser tests and by ``benchmarks/voila_ttfw.py``. Chromium comes
from Debian (``/usr/bin/chromium``); Playwright never downloads a browser here.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sectorkit.core.paths import REPO_ROOT

CHROMIUM = os.environ.get("SECTORKIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: The first interactive control of a widget page: an input, a text area or a slider handle.
INTERACTIVE = (
    ".jupyter-widgets textarea:not([disabled]), .jupyter-widgets input:not([disabled]), "
    ".jupyter-widgets .noUi-handle, .jupyter-widgets .slider-container"
)
def _axe_js() -> Path:
    """axe-core's script, shipped inside the axe-playwright-python wheel (pinned in environment.yml)."""
    from importlib.resources import files

    return Path(str(files("axe_playwright_python") / "axe.min.js"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class VoilaServer:
    """A Voila server in a subprocess, serving one folder on 127.0.0.1."""

    def __init__(self, folder: Path, port: int, proc: subprocess.Popen, log: Path):
        self.folder, self.port, self.proc, self.log = folder, port, proc, log

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, notebook: str, query: str = "") -> str:
        return f"{self.base}/voila/render/{notebook}" + (f"?{query}" if query else "")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@contextmanager
def voila_server(
    folder: Path,
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    extra_args: list[str] | None = None,
    ready_notebook: str | None = None,
    timeout: float = 90,
) -> Iterator[VoilaServer]:
    """Start ``voila FOLDER`` and wait until it answers (and, if preheating, its pool is full).

    ``cwd`` decides which ``voila.json`` applies: the repository root gives
    sectorkit's settings; an empty folder gives Voila's defaults. With
    ``ready_notebook``, only that notebook is served (from a temporary copy of
    it), so Voila preheats kernels for it alone instead of for every worksheet.
    """
    if ready_notebook:
        only = Path(tempfile.mkdtemp(prefix="voila-serve-"))
        shutil.copy(Path(folder) / ready_notebook, only / ready_notebook)
        folder = only
    port = free_port()
    args = [
        sys.executable, "-m", "voila", str(folder), "--no-browser", f"--port={port}",
        "--Voila.ip=127.0.0.1", "--Voila.open_browser=False",
    ] + (extra_args or [])
    with _serve(VoilaServer, "Voila", Path(folder), port, args, cwd or Path(tempfile.gettempdir()), env, "/", timeout) as server:
        if ready_notebook:
            wait_for_pool(server, ready_notebook, time.monotonic() + timeout)
        yield server


class JupyterServer(VoilaServer):
    """A Jupyter server with Voila as its extension, as Binder and JupyterHub serve worksheets.

    ``url(notebook)`` takes a path below the server's root, e.g. ``worksheets/step2_aar.ipynb``.
    """


@contextmanager
def jupyter_server(root: Path = REPO_ROOT, *, env: dict[str, str] | None = None, timeout: float = 90) -> Iterator[JupyterServer]:
    """Start ``jupyter server`` in ``root`` (no token, 127.0.0.1 only) with Voila's server extension.

    Like a Binder or JupyterHub session: pages at ``/voila/render/<path>``, voila.json read from
    ``root``, kernels started per page (Voila preheats only when it runs on its own).
    """
    port = free_port()
    args = [
        sys.executable, "-m", "jupyter", "server", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
        "--IdentityProvider.token=", "--ServerApp.password=",
    ] + (["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])
    with _serve(JupyterServer, "Jupyter server", Path(root), port, args, Path(root), env, "/api", timeout) as server:
        yield server


@contextmanager
def _serve(kind, label: str, folder: Path, port: int, args: list[str], cwd: Path, env, probe: str, timeout: float):
    log = Path(tempfile.mkstemp(prefix="voila-", suffix=".log")[1])
    proc_env = {**os.environ, **(env or {})}
    fh = log.open("w")
    proc = subprocess.Popen(args, cwd=cwd, env=proc_env, stdout=fh, stderr=subprocess.STDOUT)
    server = kind(folder, port, proc, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{label} exited early:\n{log.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(server.base + probe, timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{label} did not answer in {timeout}s:\n{log.read_text()[-3000:]}")
                time.sleep(0.25)
        yield server
    finally:
        server.stop()
        fh.close()


def wait_for_pool(server: VoilaServer, notebook: str, deadline: float, count: int = 1) -> None:
    """Wait until Voila's log says the kernel pool of ``notebook`` is full (preheating only)."""
    marker = f"Kernel pool of {notebook} is filled"
    while server.log.read_text().count(marker) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel pool for {notebook} not ready:\n{server.log.read_text()[-3000:]}")
        time.sleep(0.2)


def launch_browser(playwright):
    if not Path(CHROMIUM).exists():
        raise RuntimeError(
            f"Chromium not found at {CHROMIUM}. Install it with: apt-get install -y chromium chromium-driver"
        )
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# Installed in every document a timed page loads: records, in the page's own clock, the moment a
# DOM change first leaves a visible, enabled widget control on the page. Polling from outside
# (Playwright's wait_for_selector) backs off to 0.5 s between checks and would round the time up.
_FIRST_WIDGET_JS = """
(() => {
  if (window.__skFirstWidget !== undefined || window.__skWatching) return;
  window.__skWatching = true;
  const selector = %s;
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  const check = () => {
    for (const el of document.querySelectorAll(selector)) {
      if (visible(el)) { window.__skFirstWidget = performance.now(); return true; }
    }
    return false;
  };
  const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
  observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();
"""


def time_to_first_widget(page, url: str, timeout_ms: int = 60_000) -> float:
    """Seconds from the request for ``url`` to the first visible, enabled widget control.

    Timed in the page: from the navigation's start (``performance.now()`` is 0
    there) to the DOM change that first shows such a control.
    """
    if not getattr(page, "_sk_first_widget_watch", False):
        page.add_init_script(_FIRST_WIDGET_JS % json.dumps(INTERACTIVE))
        page._sk_first_widget_watch = True
    page.goto(url, wait_until="commit")
    page.wait_for_selector(INTERACTIVE, state="visible", timeout=timeout_ms)
    ms = page.evaluate("() => window.__skFirstWidget ?? performance.now()")
    return ms / 1000


def axe_violations(page, min_impact: str = "serious") -> list[dict]:
    """Run axe-core in the page; return violations at or above ``min_impact``."""
    page.add_script_tag(path=str(_axe_js()))
    found = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }"""
    )
    order = ["minor", "moderate", "serious", "critical"]
    return [v for v in found if order.index(v["impact"] or "minor") >= order.index(min_impact)]


def copy_worksheets(dest: Path) -> Path:
    """Copy the worksheet notebooks to ``dest`` (so a test's Voila sees only them)."""
    dest.mkdir(parents=True, exist_ok=True)
    for nb in (REPO_ROOT / "worksheets").glob("*.ipynb"):
        shutil.copy(nb, dest / nb.name)
    return dest


def fill_report_workspace(ws, text: str = "") -> None:
    """Give a workspace something in every report section (tests and ``benchmarks/reports.py``).

    ``text`` is appended to every free-text answer, note and name, so a test can
    pass hostile text (markup, quotes, newlines, braces) through every section.
    """
    from sectorkit.apps import assessment as A
    from sectorkit import universe as network
    from sectorkit.specs import load_spec

    ws.put_record("lmi_settings", "current", {"source": "example", "folder": "", "counties": "", "crosswalk": "",
                                              "start_year": 2020, "end_year": 2023, "own_code": 5, "naics_digits": 2,
                                              "weights": {"size": 1.0, "wages": 1.0, "growth": 1.0, "concentration": 1.0}})
    for code, title, decision, note in [
        ("31-33", "Manufacturing", "shortlist", "Many employers, good wages, shared skill gaps"),
        ("62", "Health care and social assistance", "maybe", "Large but the hospital system already convenes"),
        ("48-49", "Transportation and warehousing", "not-now", "Fast growth, low pay"),
    ]:
        ws.put_record("sector_choice", code, {"decision": decision, "note": note + text, "title": title,
                                              "naics_digits": 2, "saved_at": "2026-01-01T00:00:00+00:00"})
    universe = network.example_universe()
    for org in universe.organizations.values():
        if text and org.kind == "business":
            org = network.Organization.create(id=org.id, name=org.name + text, kind=org.kind, system=org.system,
                                              sector=org.sector, size=org.size)
        network.save_organization(ws, org)
    for person in universe.people.values():
        network.save_person(ws, person, universe)
    for rel in universe.relationships.values():
        network.save_relationship(ws, rel, universe)
    spec = load_spec("sustainability")
    scored = A.scored_questions(spec)
    for when, base in (("2025-06-01", 2), ("2025-12-01", 3)):
        round_id = A.start_round(ws, spec.id, when)
        for i, who in enumerate(("Dana Cole", "Lee Park" + text)):
            key = A.open_response(ws, spec.id, round_id, who)
            ws.save_answers(key, {q.id: max(q.min, min(q.max, base + (i + j) % 2)) for j, q in enumerate(scored)})
            A.complete_response(ws, spec, key)
    ws.save_answers("step1-aar", {"next-actions": "Invite the adult education director (Sam, by 2 May)\n"
                                                  "Send the recap to every champion (Ana, Friday)" + text})
    ws.save_answers("step5-aar", {"action-teams-formed": "yes", "business-led-teams": "partly",
                                  "lead-champions": "not-yet", "what-happened": "Two teams moved fast" + text,
                                  "next-actions": "Hiring pipeline team: first employer call (Raj Iyer, 15 March)\n"
                                                  "Supplier team: map shared suppliers (Grace Kim, April)" + text})
