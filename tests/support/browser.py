"""Driving a worksheet page in headless Chromium: its first widget, its timing, axe-core.

Chromium itself (``CHROMIUM``, ``CHROMIUM_ARGS``, ``launch_browser``) is production code, used
to print reports and summaries: :mod:`sectorkit.views.pdf`. The ``browser`` and ``page`` fixtures in
``tests/conftest.py`` launch it.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

__all__ = ["INTERACTIVE", "axe_violations", "time_to_first_widget"]

#: The first interactive control of a widget page: an input, a text area or a slider handle.
INTERACTIVE = (
    ".jupyter-widgets textarea:not([disabled]), .jupyter-widgets input:not([disabled]), "
    ".jupyter-widgets .noUi-handle, .jupyter-widgets .slider-container"
)

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


def _axe_js() -> Path:
    """axe-core's script, shipped inside the axe-playwright-python wheel (pinned in environment.yml)."""
    return Path(str(files("axe_playwright_python") / "axe.min.js"))


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
