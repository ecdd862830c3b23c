"""No unexpected error escapes a page: every button and every observed value of every page, with saving broken.

For each registered page (``apps.registry.page_ids()``), opened on a workspace with something in
every section (``tests.support.seed.fill_report_workspace``), every write method of the workspace is
replaced by one that raises ``RuntimeError("injected")``. Then each button's click handlers are
called and each observed value widget is changed (a text typed, another option chosen, a box
ticked, a file uploaded). Nothing may raise, and whenever a handler reached the broken save, a
status line of the page (``role="status"``) must say what went wrong in words.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from typing import Any

import ipywidgets as W
import pytest
from traitlets import ObserveHandler

from sectorkit.apps import registry
from sectorkit.store.workspace import Workspace
from tests.support.seed import fill_report_workspace

#: every method of a workspace that writes
WRITES = ("save_answer", "save_answers", "put_record", "delete_record", "save_row", "save_rows", "delete_row",
          "move_row", "move_answers", "rename", "export_json")
STATUS = re.compile(r'role="status"[^>]*>(.*?)</div>', re.S)


class Injected:
    """The broken saves: counts the calls."""

    def __init__(self) -> None:
        self.calls = 0

    def method(self, name: str):
        def broken(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            raise RuntimeError("injected")

        broken.__name__ = name
        return broken


def walk(widget: W.Widget, seen: set[int] | None = None) -> Iterator[W.Widget]:
    """``widget`` and everything under it (``children``), each once."""
    seen = set() if seen is None else seen
    if id(widget) in seen:
        return
    seen.add(id(widget))
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from walk(child, seen)


def observers(widget: W.Widget) -> list[Any]:
    """Handlers a page wired to ``widget.value`` (not the widget class's own)."""
    notifiers = getattr(widget, "_trait_notifiers", {}).get("value", {})
    return [h for kind in ("change", "All") for h in notifiers.get(kind, []) if not isinstance(h, ObserveHandler)]


def new_values(widget: W.Widget) -> list[Any]:
    """Values to set, in turn, until one reaches a save (a number, a date, words; another option...)."""
    value = widget.value
    if isinstance(widget, W.FileUpload):
        data = b"name,organization\nDana Ortiz,acme\n"
        return [({"name": "people.csv", "type": "text/csv", "size": len(data), "content": memoryview(data),
                  "last_modified": dt.datetime(2027, 3, 1, tzinfo=dt.timezone.utc)},)]
    if isinstance(widget, (W.Checkbox, W.ToggleButton)):
        return [not value]
    if isinstance(widget, (W.SelectMultiple,)):
        return [tuple(widget.options[:1]) if value != tuple(widget.options[:1]) else ()]
    if hasattr(widget, "options"):
        labels = list(getattr(widget, "_options_values", ())) or [o[1] if isinstance(o, tuple) else o
                                                                     for o in widget.options]
        return [v for v in labels if v != value][:2]
    if isinstance(widget, W.DatePicker):
        return [dt.date(2027, 3, 1)]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        step = getattr(widget, "step", None) or 1
        up = value + step
        return [up if up <= getattr(widget, "max", up) else value - step]
    if isinstance(value, str):
        return ["7", "2027-03-01", f"{value} injected words"]
    return []


def status_lines(page: Any, also: list[W.Widget] = ()) -> list[str]:
    """The text of every status line on the page (a page may hold sub-pages with their own) and in ``also``
    (the widgets found when the page opened: a sub-page switched out of view keeps its status line)."""
    lines = []
    for widget in {id(w): w for w in [*walk(page.container), *also]}.values():
        if isinstance(widget, W.HTML):
            lines += [html.unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in STATUS.findall(widget.value)]
    return lines


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    root = tmp_path_factory.mktemp("guarded")
    with Workspace.open("riverbend", root, name="Riverbend") as ws:
        fill_report_workspace(ws)
    return root


def fill_text_boxes(widgets: list[W.Widget]) -> None:
    """Type into the empty boxes no handler watches (names, dates), so that buttons such as "Add" reach a save."""
    for widget in widgets:
        if isinstance(widget, (W.Text, W.Textarea)) and not observers(widget) and not widget.value:
            label = f"{widget.description} {widget.placeholder}".lower()
            widget.value = "2027-03-01" if "date" in label else "Injected Name"


def controls(page: Any) -> tuple[list[W.Widget], list[tuple[int, str, Any]]]:
    """The page's widgets, and its actions in order: ``(widget index, what, action)`` for each value to set
    and each click."""
    widgets = list(walk(page.container))
    fill_text_boxes(widgets)
    actions: list[tuple[int, str, Any]] = []
    for i, widget in enumerate(widgets):
        if observers(widget):
            label = f"{type(widget).__name__} {widget.description or getattr(widget, 'placeholder', '')!r}"
            actions += [(i, f"setting {label} to {value!r}", lambda w=widget, v=value: setattr(w, "value", v))
                        for value in new_values(widget)]
    for i, button in enumerate(widgets):
        if isinstance(button, W.Button):
            actions += [(i, f"clicking {button.description!r}", lambda h=handler, b=button: h(b))
                        for handler in list(button._click_handlers.callbacks)]
    return widgets, actions


def _act(page: Any, injected: Injected, what: str, action, widgets: list[W.Widget]) -> tuple[bool, list[str]]:
    """Run ``action``; return (it reached a save, problems): an escaped exception, or a save failure not said."""
    before = injected.calls
    try:
        action()
    except Exception as exc:  # noqa: BLE001 - the test reports every escape
        return True, [f"{what}: {type(exc).__name__}: {exc} escaped"]
    if injected.calls == before:
        return False, []
    lines = status_lines(page, widgets)
    if not any("injected" in line for line in lines):
        return True, [f"{what}: a save failed and no status line said so (status lines: {lines})"]
    return True, []


# reference pages (FAQ, case studies, facilitator notes) save nothing: tests/test_reference.py checks them
@pytest.mark.parametrize("page_id", [p for p in registry.page_ids() if not registry.is_reference(p)])
def test_no_handler_lets_a_failed_save_escape(page_id, seeded):
    """Each control once on one page; a control that reached no save there (an earlier action changed what
    the page shows) is tried again alone on a freshly opened page."""
    injected = Injected()
    broken = pytest.MonkeyPatch()

    def break_saves() -> None:
        for name in WRITES:
            broken.setattr(Workspace, name, injected.method(name))

    page = registry.open_page(page_id, "riverbend", seeded)
    widgets, actions = controls(page)
    assert actions, f"{page_id}: no control found"
    problems: list[str] = []
    missed: dict[int, list[int]] = {}  # widget index -> its actions that reached no save
    reached_by: set[int] = set()
    try:
        break_saves()
        for k, (index, what, action) in enumerate(actions):
            reached, found = _act(page, injected, what, action, widgets)
            problems += found
            if reached:
                reached_by.add(index)
            else:
                missed.setdefault(index, []).append(k)
        for k in [ks[0] for index, ks in missed.items() if index not in reached_by]:
            broken.undo()  # a page opens with its workspace working
            fresh = registry.open_page(page_id, "riverbend", seeded)
            fresh_widgets, fresh_actions = controls(fresh)
            break_saves()
            if len(fresh_actions) == len(actions):
                _, what, action = fresh_actions[k]
                problems += _act(fresh, injected, what, action, fresh_widgets)[1]
    finally:
        broken.undo()
    assert not problems, f"{page_id}:\n" + "\n".join(problems)
    assert injected.calls, f"{page_id}: no control reached a save, so nothing was tested"
    for line in status_lines(page, widgets):
        assert "Traceback" not in line
