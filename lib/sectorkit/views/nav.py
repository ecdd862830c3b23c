"""The navigation bar every worksheet page shows, and the link addresses of the front door.

Every address is relative to the folder of the generic page (``sheet.ipynb``), so the same links
work under ``sectorkit serve``, a Jupyter server and a hub. The region travels in every link
(``&region=<id>``), so it stays chosen as a person moves between pages.

>>> page_href("step2-aar", "central-ohio")
'sheet.ipynb?sheet=step2-aar&region=central-ohio'
>>> home_href("central-ohio", module="step-2")
'sheet.ipynb?region=central-ohio&module=step-2'
>>> html = nav_bar("central-ohio", ("step-2", "Step 2: Scope"), ("lmi-review", "LMI <Review>"), None)
>>> "Previous: LMI &lt;Review&gt;" in html and "Next" not in html
True
"""

from __future__ import annotations

from urllib.parse import urlencode

from sectorkit.views.html import esc

GENERIC_PAGE = "sheet.ipynb"
TEMPORARY_TEXT = (
    "This server is temporary (for example a Binder session): it is deleted after a short idle time, "
    "and your answers with it. Download your workspace from the home page before you leave, and "
    "restore it next time."
)


def page_href(page_id: str, region: str) -> str:
    """Address of a worksheet page for a region (both ids are slugs; the query is encoded)."""
    return f"{GENERIC_PAGE}?{urlencode({'sheet': page_id, 'region': region})}"


def home_href(region: str | None = None, *, module: str | None = None, create: str | None = None) -> str:
    """Address of the home page (optionally one module's part of it, or the create form filled in)."""
    query = {k: v for k, v in (("region", region), ("module", module), ("create", create)) if v}
    return f"{GENERIC_PAGE}?{urlencode(query)}" if query else GENERIC_PAGE


def trainer_href() -> str:
    """Address of the trainer view (every region on this server)."""
    return f"{GENERIC_PAGE}?{urlencode({'sheet': 'trainer'})}"


def state_href(state: str | None = None) -> str:
    """Address of the statewide view (of ``state``, a 2-letter code, if given).

    >>> state_href("OH")
    'sheet.ipynb?sheet=state&state=OH'
    """
    query = {"sheet": "state", **({"state": state} if state else {})}
    return f"{GENERIC_PAGE}?{urlencode(query)}"


def views_bar(label: str = "Statewide view navigation") -> str:
    """A small bar for the views that are not worksheets: Home and the trainer view."""
    links = " \u00b7 ".join([_link(home_href(), "Home"), _link(trainer_href(), "Trainer view: every region")])
    return f"<nav aria-label='{esc(label)}' style='margin:0 0 .6em'>{links}</nav>"


def _link(href: str, text: str, rel: str | None = None) -> str:
    rel_attr = f" rel='{rel}'" if rel else ""
    return f"<a href='{esc(href)}'{rel_attr} style='color:#0b5394'>{esc(text)}</a>"


def nav_bar(
    region: str,
    module: tuple[str, str] | None,
    previous: tuple[str, str] | None,
    following: tuple[str, str] | None,
    *,
    temporary: bool = False,
    label: str = "Worksheet navigation",
) -> str:
    """The bar above (and below) a worksheet: Home, the step it belongs to, previous and next.

    Parameters
    ----------
    region : str
        The region id (a slug), carried in every link.
    module : (id, title) or None
        The curriculum module the page belongs to (linked to its part of the home page).
    previous, following : (page id, title) or None
        The neighbouring pages in curriculum order.
    temporary : bool
        Add the notice that this server is temporary (Binder), with a link to download.
    label : str
        The landmark's accessible name (the bar under the page needs a different one).

    Returns
    -------
    str
        A ``<nav aria-label='...'>`` element; every title is escaped.
    """
    parts = [_link(home_href(region), "Home: all steps and worksheets")]
    if module:
        parts.append(_link(home_href(region, module=module[0]), module[1]))
    if previous:
        parts.append(_link(page_href(previous[0], region), f"\u2039 Previous: {previous[1]}", "prev"))
    if following:
        parts.append(_link(page_href(following[0], region), f"Next: {following[1]} \u203a", "next"))
    items = "".join(f"<li style='display:inline;margin-right:1.2em'>{p}</li>" for p in parts)
    banner = ""
    if temporary:
        banner = (f"<p style='background:#fff4ce;border-left:4px solid #8a6d00;padding:0.3em 0.8em;margin:0.3em 0'>"
                  f"{esc(TEMPORARY_TEXT)} {_link(home_href(region), 'Download from the home page')}</p>")
    return (f"<nav aria-label='{esc(label)}' style='max-width:60rem;padding:0.2em 0;line-height:1.8'>"
            f"<ul style='list-style:none;margin:0;padding:0'>{items}</ul>{banner}</nav>")
