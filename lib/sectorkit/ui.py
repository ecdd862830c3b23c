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
