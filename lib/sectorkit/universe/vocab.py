"""Universe of Connections vocabularies: systems, strengths, sizes, roles, convener criteria and ratings.

Each vocabulary maps a stored id to its label (systems also to a colour). Ids
are what workspaces, CSV files and the graph hold; labels are what pages show.
The ``_*_ALIASES`` maps accept the spellings people type in spreadsheets.

>>> SYSTEMS["education"][0]
'Education'
>>> sorted(ROLES)
['co-convener', 'convener', 'core', 'supporter']
"""

from __future__ import annotations

import re
from typing import Any

from sectorkit.core.ids import ID_PATTERN, slugify  # noqa: F401 - the universe's ids are slugs

#: Support-partner systems: id -> (label, colour). Colours are Okabe-Ito (colour-blind safe).
SYSTEMS: dict[str, tuple[str, str]] = {
    "workforce": ("Workforce development", "#0072B2"),
    "education": ("Education", "#E69F00"),
    "economic-development": ("Economic development", "#009E73"),
    "community": ("Community and other", "#CC79A7"),
}
_SYSTEM_ALIASES = {
    "workforce-development": "workforce", "wd": "workforce", "workforce-board": "workforce",
    "econ-dev": "economic-development", "economic": "economic-development", "ed": "economic-development",
    "economic-development-organization": "economic-development",
    "other": "community", "community-other": "community", "community-and-other": "community",
    "community-or-other": "community",
}
#: Relationship strengths: id -> label.
STRENGTHS: dict[str, str] = {"knows-well": "knows well", "acquainted": "acquainted"}
_STRENGTH_ALIASES = {"well": "knows-well", "strong": "knows-well", "know-well": "knows-well",
                     "acquaintance": "acquainted", "weak": "acquainted"}
#: Business sizes by employees: id -> label.
SIZES: dict[str, str] = {"small": "small (under 50)", "medium": "medium (50 to 249)", "large": "large (250 or more)"}
#: Support-team roles: id -> label.
ROLES: dict[str, str] = {
    "core": "Core partner",
    "convener": "Convener",
    "co-convener": "Co-convener",
    "supporter": "Network of supporters",
}
#: Convener criteria: id -> label; each rated with RATINGS.
CRITERIA: dict[str, str] = {
    "credibility": "Credibility with business leaders and public partners",
    "capacity": "Capacity: staff time it can commit",
    "neutrality": "Neutrality: can set its own agenda aside",
}
RATINGS: dict[str, str] = {"yes": "Yes", "partly": "Partly", "no": "No"}
KINDS = {"partner": "Support partner", "business": "Business"}

MAX_TEXT = 200


def _norm(value: Any) -> str:
    return re.sub(r"[\s_/]+", "-", str(value or "").strip().lower()).strip("-")

