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

__all__ = ["IMG_PREFIX", "SVG_RC", "figure_html"]


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
