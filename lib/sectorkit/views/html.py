"""Small HTML pieces shared by every page, so they look and read the same everywhere.

>>> "Illustrative example region." in illustrative_note("Practise here.")
True
"""

from __future__ import annotations

import html

NOTICE_STYLE = "background:#fff4ce;border-left:4px solid #8a6d00;padding:0.4em 0.8em;margin:0.4em 0;line-height:1.45"


def notice(lead: str, text_html: str = "") -> str:
    """A highlighted note: ``lead`` (plain text, escaped) in bold, then ``text_html`` (already safe HTML)."""
    return f"<p style='{NOTICE_STYLE}'><strong>{html.escape(lead)}</strong> {text_html}</p>"


def illustrative_note(detail: str = "Its data is generated for practice, not real labor-market data.") -> str:
    """The banner every page shows on the illustrative example region (``detail`` is plain text)."""
    return notice("Illustrative example region.", html.escape(detail))


def show_html(out, markup: str, text: str) -> None:
    """Make an ``ipywidgets.Output`` show ``markup`` (``text`` is its plain-text alternative).

    This sets the widget's ``outputs`` state instead of the usual ``with out: display(...)``.
    While Voila renders a page, its notebook client (nbclient) answers every output captured
    by an Output widget with a message on the kernel's shell channel, and that send can race
    its own wait for the cell's reply: the reply is missed and the page never finishes loading
    (jupyter/nbclient#312; it hung our CI about one first load in ten on a busy machine).
    State set here goes straight to the browser, with no captured output to answer.

    >>> class Fake: outputs = ()
    >>> out = Fake(); show_html(out, "<p>hi</p>", "hi"); out.outputs[0]["data"]["text/html"]
    '<p>hi</p>'
    """
    out.outputs = ({"output_type": "display_data", "metadata": {},
                    "data": {"text/html": markup, "text/plain": text}},)


def esc(text: object) -> str:
    """``text`` as escaped HTML (quotes too): every user or spec text goes through this.

    >>> esc('<b>"Acme & Co"</b>')
    '&lt;b&gt;&quot;Acme &amp; Co&quot;&lt;/b&gt;'
    """
    return html.escape(str(text), quote=True)


def h2(text: str) -> str:
    """A section heading of a page (plain ``text``, escaped)."""
    return f"<h2 style='font-size:1.25em;margin:1.3em 0 0.3em;line-height:1.3'>{esc(text)}</h2>"


def para(text: str) -> str:
    """A paragraph of plain ``text`` (escaped), kept to a readable width."""
    return f"<p style='margin:0.2em 0 0.5em;line-height:1.45;max-width:46rem'>{esc(text)}</p>"
