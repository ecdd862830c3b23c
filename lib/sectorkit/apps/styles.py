"""The Layout and Style models one page shares among all its widgets.

Every ipywidget otherwise brings its own Layout and Style model, and the browser must fetch each
from the kernel before the page is interactive; sharing them cut the models a worksheet sends by
about two thirds. Each model here is made the first time a page asks for it (a page that never
shows a checkbox never sends a checkbox style), and the sized ones are made once per size.

>>> s = Styles()
>>> s.full is s.full, s.label("12rem") is s.label("12rem")
(True, True)
>>> s.text_label("12rem").description_width
'12rem'

Never share a Layout that one widget changes while others keep theirs (for example a box shown
or hidden with ``layout.display``): give that widget its own ``W.Layout()``.
"""

from __future__ import annotations

from functools import cached_property

import ipywidgets as W
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_button import ButtonStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

__all__ = ["Styles"]


class Styles:
    """One page's shared Layout and Style models (see the module docstring).

    Attributes are ipywidgets models, made on first use. Widths are CSS lengths.

    - ``full``: inputs as wide as the text column (``100%``, at most ``46rem``)
    - ``auto``: a widget at its natural width; ``block``: the default layout (HTML blocks)
    - ``hidden_label`` / ``area_label``: a text input or area whose ``description`` stays its
      ``<label for>`` at zero width (the visible question is the HTML just above it)
    - ``html``, ``check``, ``radio``, ``button``: the plain styles of HTML, Checkbox, RadioButtons
      and Button (or FileUpload)
    - ``natural`` / ``natural_text``: a description at its natural width (``initial``) for a
      choice widget / a text input
    - ``label(width)``, ``text_label(width)``, ``layout(**css)``: sized models, one per size
    """

    def __init__(self) -> None:
        self._sized: dict[tuple, W.Widget] = {}

    # -- layouts -------------------------------------------------------------------------------
    @cached_property
    def full(self) -> W.Layout:
        return W.Layout(width="100%", max_width="46rem")

    @cached_property
    def auto(self) -> W.Layout:
        return W.Layout(width="auto")

    @cached_property
    def block(self) -> W.Layout:
        return W.Layout()

    # -- styles --------------------------------------------------------------------------------
    @cached_property
    def hidden_label(self) -> TextStyle:
        # The input keeps the question as its <label for=...> at zero width, so screen readers
        # announce the question when the input takes focus.
        return TextStyle(description_width="0px")

    @cached_property
    def area_label(self) -> TextStyle:
        return TextStyle(description_width="0px")

    @cached_property
    def html(self) -> HTMLStyle:
        return HTMLStyle()

    @cached_property
    def check(self) -> CheckboxStyle:
        return CheckboxStyle()

    @cached_property
    def radio(self) -> DescriptionStyle:
        return DescriptionStyle()

    @cached_property
    def button(self) -> ButtonStyle:
        return ButtonStyle()

    @cached_property
    def natural(self) -> DescriptionStyle:
        return DescriptionStyle(description_width="initial")

    @cached_property
    def natural_text(self) -> TextStyle:
        return TextStyle(description_width="initial")

    # -- sized models, one per size -----------------------------------------------------------
    def label(self, width: str) -> DescriptionStyle:
        """The style of a Dropdown, RadioButtons or number box whose description is ``width`` wide."""
        return self._once(("label", width), lambda: DescriptionStyle(description_width=width))

    def text_label(self, width: str) -> TextStyle:
        """The style of a Text or Textarea whose description is ``width`` wide."""
        return self._once(("text", width), lambda: TextStyle(description_width=width))

    def layout(self, **css: str) -> W.Layout:
        """A shared Layout with these CSS properties (``width="34rem"``, ``max_width="100%"``, ...)."""
        return self._once(("layout", *sorted(css.items())), lambda: W.Layout(**css))

    def _once(self, key: tuple, make) -> W.Widget:
        if key not in self._sized:
            self._sized[key] = make()
        return self._sized[key]
