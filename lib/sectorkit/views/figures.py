"""Figures as HTML: a matplotlib figure embedded as an SVG ``<img>`` with its text alternative.

>>> from matplotlib.figure import Figure
>>> fig = Figure(figsize=(1, 1))
>>> page = figure_html(fig, 'A "tiny" <empty> chart', caption="Nothing to see")
>>> page.startswith('<figure') and 'alt="A &quot;tiny&quot; &lt;empty&gt; chart"' in page
True
>>> "<figcaption>Nothing to see</figcaption>" in page
True
"""

from __future__ import annotations

import base64
import html
import io

__all__ = ["IMG_PREFIX", "SVG_RC", "figure_html", "warm"]


#: how every chart is embedded: SVG with its text as text (``svg.fonttype: none``): a vector drawing
#: (sharp in the PDF and on any screen), a third of the PNG's bytes, and 35-60 % less time per chart
#: than a 100 dpi PNG (``benchmarks/reports.py``); ``svg.hashsalt`` and no date keep the output the
#: same for the same figure
SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "sectorkit"}
#: the start of every chart's ``<img>`` (tests look for it)
IMG_PREFIX = '<img src="data:image/svg+xml;base64,'


def figure_html(fig, alt: str, caption: str | None = None, *, crop: bool = True) -> str:
    """A matplotlib figure as an SVG ``<img>`` with alt text (and an optional caption).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, saved as SVG with its text kept as text (the browser draws it with the first of
        DejaVu Sans, Arial, Helvetica, ... it has; labels are anchored, so another font keeps them in
        place). Cropped to its content unless ``crop`` is False.
    alt : str
        The text alternative a screen reader reads (escaped).
    caption : str, optional
        A visible ``<figcaption>`` (escaped); none when omitted.
    crop : bool
        Crop to the drawn content (``bbox_inches="tight"``, which draws the figure twice). A figure
        whose own layout keeps every label inside it passes False and is drawn once.

    Returns
    -------
    str
        A ``<figure>`` element holding the image as a ``data:image/svg+xml`` URI.
    """
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context(SVG_RC):
        fig.savefig(buf, format="svg", bbox_inches="tight" if crop else None, metadata={"Date": None})
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (
        f'<figure style="margin:0.5em 0">{IMG_PREFIX}{data}" '
        f'alt="{html.escape(alt, quote=True)}" style="max-width:100%">{cap}</figure>'
    )


_WARMED = 0


def warm() -> int:
    """Draw one small chart the way pages and reports draw theirs, once a process; returns its HTML's length.

    A process that forks kernels (:mod:`sectorkit.reports._zygote`) calls it once, so every kernel
    starts with what a first chart loads and caches: matplotlib's fonts and their glyph metrics, the
    text layout cache, the date locators and formatters, constrained layout and the SVG writer. A
    process's first chart costs about 1.1 s more than the next one on the 2-core test machine;
    after this, the first costs what the next does. A second call (a forked kernel's own warm-up)
    draws nothing and returns the first call's length.

    >>> warm() > 1000
    True
    """
    global _WARMED
    if _WARMED:
        return _WARMED
    from datetime import date

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5.2, 3.3), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    fig.suptitle("Warm-up: values against targets", fontsize=12, fontweight="bold")
    ax = fig.add_subplot()
    days = [date(2025, 1, 1), date(2025, 6, 1), date(2026, 1, 1)]
    ax.plot(days, [1, 2, 3], marker="o", label="Value")
    ax.axhline(2.5, linestyle="--", label="Target 2.5")
    ax.annotate("3", (days[-1], 3), textcoords="offset points", xytext=(6, 6), fontsize=9)
    locator = AutoDateLocator(minticks=2, maxticks=6)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.set_title("Warm-up 0123456789 (jobs, dollars per year, %)", fontsize=10)
    ax.set_xlabel("Date")
    ax.set_ylabel("value")
    ax.legend(fontsize=8, loc="lower right", frameon=False)
    _WARMED = len(figure_html(fig, "warm-up"))
    return _WARMED
