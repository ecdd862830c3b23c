"""The access form: what a region's page shows to a person who has not opened the region yet.

On a server that asks for codes (``SECTORKIT_ACCESS=code``, :mod:`sectorkit.workspaces.access`),
:func:`sectorkit.serve.pages.sheet_page` shows :class:`AccessPage` instead of a region's page (or
the trainer view) until the person types a code that opens it. The form is a labelled password
box, an **Open** button and a status line (``role="status"``); a wrong code says "That code does
not open this region." and nothing else happens. A right code replaces the form with the real page
in the same kernel (the children of :attr:`AccessPage.view` are swapped); nothing of the region is
read or created before that.

So a person does not retype the code on every page, the page gets a **pass** after a right code
and puts it in a hidden remembered field (the template keeps ``sk-remember`` fields in the
browser's localStorage, key ``pass-<region>``; the trainer's pass under ``trainer-pass``). When
another page of the region opens in that browser, the field is filled from localStorage, the pass
is checked, and the page opens without the form. A pass opens only its own region and stops
working when the region's code changes. The code itself is cleared from the password box as soon
as it has been checked, and never shown, logged or kept.

>>> import tempfile
>>> import ipywidgets as W
>>> from sectorkit.store.workspace import Workspace
>>> from sectorkit.workspaces.access import may_open
>>> root = tempfile.mkdtemp()
>>> with Workspace.open("riverbend", root) as ws:
...     ws.set_access_code("riverbend-2026")
>>> check = lambda **kw: may_open("riverbend", root, mode="code", **kw)
>>> page = AccessPage("riverbend", check, lambda: W.HTML("the worksheet"), message="This region needs its access code.")
>>> page.code.value = "a-wrong-guess"; page.open_button.click()
>>> page.status_text(), page.opened
('That code does not open this region.', False)
>>> page.code.value = "riverbend-2026"; page.open_button.click()
>>> page.opened, page.view.children[0].value, page.code.value
(True, 'the worksheet', '')
>>> page.region_pass.value.startswith("p1.")
True
"""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as W

from sectorkit.apps.base import ERROR_COLOR, OK_COLOR, guarded
from sectorkit.apps.styles import Styles
from sectorkit.core.errors import SectorkitError
from sectorkit.views.nav import home_href

__all__ = ["MAX_TRIES", "AccessPage", "pass_field"]

LOG = logging.getLogger("sectorkit.access")
#: wrong codes one page accepts before it stops asking (reloading the page starts a new kernel)
MAX_TRIES = 10
P = "margin:0.3em 0;line-height:1.45;max-width:42rem"
LINK = "color:#0b5394;text-decoration:underline"


def pass_field(key: str, value: str = "") -> W.Text:
    """A hidden text field the browser remembers under ``key`` (the template's ``sk-remember`` fields)."""
    return W.Text(value=value, description="Remembered pass", layout=W.Layout(display="none"),
                  _dom_classes=("sk-remember", f"sk-key-{key}"))


class AccessPage:
    """The access form for ``region`` (None: the trainer view), then the page it opens.

    Parameters
    ----------
    region : str or None
        The region id (shown, escaped); None for the trainer and statewide views.
    check : callable
        ``check(code=None, token=None, trainer_token=None) -> Decision``
        (:func:`sectorkit.workspaces.access.may_open` or ``may_oversee`` bound to the region and root).
    build : callable
        Makes the real page's widget; called once, only after ``check`` allowed it.
    message : str
        What the form says first (the refusal's message: "This region needs its access code.").
    title : str, optional
        The heading (default: "Open the region <id>" or "Trainers only").

    Attributes
    ----------
    view : ipywidgets.VBox
        What to display: the form and the hidden pass fields, then the real page and the pass fields.
    code : ipywidgets.Password
        The code box (cleared after every check).
    open_button : ipywidgets.Button
    region_pass, trainer_pass : ipywidgets.Text
        The hidden remembered passes (``region_pass`` is None for the trainer view).
    opened : bool
        True once the real page replaced the form.
    """

    def __init__(self, region: str | None, check: Callable[..., Any], build: Callable[[], W.Widget], *,
                 message: str, title: str | None = None):
        self.region = region
        self._check, self._build = check, build
        self.tries = 0
        self.opened = False
        self._last_try = 0.0
        self._status = ("", False)
        self.styles = Styles()
        heading = title or (f"Open the region \u2018{region}\u2019" if region else "Trainers only")
        how = ("Type the region\u2019s access code and press Open (your team or your trainer has it). This browser "
               "then keeps a pass for this region, so the code is asked once; the code itself is not kept."
               if region else "Type the trainer code and press Open. This browser then keeps a trainer pass, so "
               "the code is asked once; the code itself is not kept.")
        self.header = W.HTML(value=(
            f"<h1 style='font-size:1.6em;margin:0.4em 0;line-height:1.3'>{html.escape(heading)}</h1>"
            f"<p style='{P}'>{html.escape(message)}</p><p style='{P}'>{html.escape(how)}</p>"
            f"<p style='{P}'><a href='{html.escape(home_href())}' style='{LINK}'>Go to the home page</a> "
            "(every region, and the form to create one)</p>"))
        self.code = W.Password(description="Access code" if region else "Trainer code", continuous_update=False,
                               style=self.styles.text_label("9rem"),
                               layout=self.styles.layout(width="100%", max_width="30rem"))
        self.open_button = W.Button(description="Open", tooltip="Open with this code", style=self.styles.button,
                                    layout=self.styles.layout(width="auto", align_self="flex-start", margin="0.3em 0"))
        self.status = W.HTML()
        self.code.observe(self._typed, names="value")
        self.open_button.on_click(self._pressed)
        self.region_pass = pass_field(f"pass-{region}") if region else None
        self.trainer_pass = pass_field("trainer-pass")
        for field in (self.region_pass, self.trainer_pass):
            if field is not None:
                field.observe(self._remembered, names="value")
        self.form = W.VBox([self.header, self.code, self.open_button, self.status],
                           layout=W.Layout(max_width="50rem", padding="0 1rem 2rem 1rem"))
        self.form.add_class("sk-page")
        self.form.add_class("sk-access")
        self.passes = W.Box([f for f in (self.region_pass, self.trainer_pass) if f is not None],
                            layout=W.Layout(display="none"))
        self.view = W.VBox([self.form, self.passes])
        self._loading = False
        self._say("", error=False)

    # -- status line ---------------------------------------------------------------------------------
    def status_text(self) -> str:
        """What the status line says (plain text)."""
        return self._status[0]

    def _say(self, text: str, *, error: bool) -> None:
        self._status = (text, error)
        self.status.value = (f'<div role="status" aria-live="polite" style="color:{ERROR_COLOR if error else OK_COLOR};'
                             f'font-weight:600;margin:0.3em 0">{html.escape(text)}</div>')

    def show_exception(self, exc: BaseException, action: str, keep: str = "", lead: str = "") -> None:
        """What :func:`~sectorkit.apps.base.guarded` shows when a handler fails (never a code)."""
        if isinstance(exc, SectorkitError):
            LOG.info("access form for %s: %s failed: %s", self.region or "trainers", action, exc)
            self._say(str(exc), error=True)
            return
        LOG.error("access form for %s: %s failed", self.region or "trainers", action, exc_info=exc)
        self._say(f"Something went wrong while {action}: {type(exc).__name__}. Reload the page to try again.",
                  error=True)

    # -- handlers ------------------------------------------------------------------------------------
    @guarded("checking the code")
    def _typed(self, change: dict) -> None:
        if not self._loading and change["new"]:
            self.try_code()

    @guarded("checking the code")
    def _pressed(self, _button: Any = None) -> None:
        if self.opened:
            return
        if self.code.value:
            self.try_code()
        elif time.monotonic() - self._last_try > 3:  # else the box's own change was just checked
            self._say("Type the code first, then press Open.", error=True)

    @guarded("opening the remembered pass")
    def _remembered(self, change: dict) -> None:
        if self._loading or self.opened or not change["new"]:
            return
        decision = self._ask()
        if decision.allowed:
            self._open(decision)
        elif decision.reason == "stale-pass":
            self._say(decision.message, error=True)

    def _ask(self, code: str | None = None) -> Any:
        return self._check(code=code, token=self.region_pass.value if self.region_pass is not None else None,
                           trainer_token=self.trainer_pass.value)

    def try_code(self) -> None:
        """Check the code in the box (then clear the box); open the page if it is right."""
        if self.opened:
            return
        code = self.code.value
        self._loading = True
        try:
            self.code.value = ""  # the code is never kept in the page
        finally:
            self._loading = False
        self._last_try = time.monotonic()
        if self.tries >= MAX_TRIES:
            self._stop()
            return
        decision = self._check(code=code)
        if decision.allowed:
            self._open(decision)
            return
        self.tries += 1
        self._say(decision.message, error=True)
        if self.tries >= MAX_TRIES:
            self._stop()

    def _stop(self) -> None:
        self.code.disabled = self.open_button.disabled = True
        self._say("That code does not open this region, and this page has had too many tries. Reload the page "
                  "to try again.", error=True)

    def _open(self, decision: Any) -> None:
        """Keep the decision's passes in the browser, then show the real page in place of the form."""
        self._loading = True
        try:
            if decision.region_pass and self.region_pass is not None:
                self.region_pass.value = decision.region_pass
            if decision.trainer_pass:
                self.trainer_pass.value = decision.trainer_pass
        finally:
            self._loading = False
        self._say("Opening\u2026", error=False)
        page = self._build()
        self.opened = True
        self.view.children = (page, self.passes)  # the passes stay on the page, so the browser keeps them
