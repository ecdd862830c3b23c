"""Ids made of lowercase letters, digits and single hyphens (slugs): region ids, organization ids.

A region id names a folder and appears in URLs, SQL parameters and HTML, so it is checked here
before it reaches any of them. The Universe of Connections uses the same slug shape for the ids
of organizations and people.

Examples
--------
>>> slugify("Riverbend Workforce Board (North)")
'riverbend-workforce-board-north'
>>> is_slug("central-ohio"), is_slug("Central Ohio")
(True, False)
"""

from __future__ import annotations

import re

from sectorkit.core.errors import InvalidRegionId

__all__ = ["ID_PATTERN", "REGION_ID_PATTERN", "is_slug", "slugify", "suggest_region_id", "validate_region_id"]

#: A slug: lowercase letters, digits and single hyphens, 1-63 characters, starting and ending
#: with a letter or digit.
ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,62}$")
#: Region ids are slugs.
REGION_ID_PATTERN = ID_PATTERN


def is_slug(value: object) -> bool:
    """True if ``value`` is a string of the :data:`ID_PATTERN` shape.

    >>> is_slug("a-b"), is_slug("a--b"), is_slug("-a"), is_slug(7)
    (True, False, False, False)
    """
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


def slugify(name: object) -> str:
    """A slug for a free-text name (may be ``''`` when the name has no letter or digit).

    Parameters
    ----------
    name : str or None
        Any text; ``None`` counts as empty.

    Returns
    -------
    str
        Lowercase letters, digits and single hyphens, at most 63 characters.

    Examples
    --------
    >>> slugify("Central Ohio / MORPC (12 counties)")
    'central-ohio-morpc-12-counties'
    >>> slugify("  ")
    ''
    """
    return re.sub(r"[^a-z0-9]+", "-", str(name or "").lower()).strip("-")[:63].strip("-")


def validate_region_id(region: object) -> str:
    """Return ``region`` if it is a safe region id, else raise a clear error.

    A region id names a folder and appears in URLs and reports, so it is held to
    a slug: lowercase letters, digits and single hyphens, at most 63 characters,
    starting and ending with a letter or digit.

    Raises
    ------
    sectorkit.core.errors.InvalidRegionId
        With a message saying what a region id may contain.

    Examples
    --------
    >>> validate_region_id("central-ohio")
    'central-ohio'
    >>> validate_region_id("../etc")
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.InvalidRegionId: '../etc' is not a valid region id: use lowercase letters, digits and single hyphens (for example 'central-ohio'), at most 63 characters.
    """  # noqa: E501 - a doctest's expected line cannot wrap
    if not is_slug(region):
        shown = repr(region) if len(repr(region)) <= 60 else repr(region)[:57] + "..."
        raise InvalidRegionId(
            f"{shown} is not a valid region id: use lowercase letters, digits and "
            "single hyphens (for example 'central-ohio'), at most 63 characters."
        )
    return region


def suggest_region_id(name: str) -> str:
    """Turn a free-text region name into a candidate region id (``'region'`` if nothing is left).

    >>> suggest_region_id("Central Ohio / MORPC (12 counties)")
    'central-ohio-morpc-12-counties'
    >>> suggest_region_id("!!!")
    'region'
    """
    return slugify(name) or "region"
