"""The geographic footprint: which counties a partnership covers, and whether that is the right size.

A footprint is a set of counties, each in or out with a reason (:class:`Footprint`, saved as the
workspace record of kind :data:`FOOTPRINT_KIND`, key ``current``). Once saved it is the region's
county set: the LMI Review pre-fills its counties from it and the region report shows it.

:func:`footprint_figures` recomputes the chosen sector's jobs, establishments and location quotient
for the counties in, with :func:`sectorkit.lmi.measures.region_measures` (the LMI Review's own
engine, so both always agree).

"Not too small, not too big" in numbers (:func:`size_check`)
------------------------------------------------------------
The Next Gen Sector Partnership training toolkit (Module 1, Step 3, "How many businesses should we
target?") advises at least 12 businesses at the launch, ideally 25 to 30, and inviting at least 100
to get 25: about :data:`INVITES_PER_ATTENDEE` invitations per attendee. So the footprint is

* **too small** when the sector has fewer establishments than ``12 * 4 = 48``;
* **small** below ``25 * 4 = 100`` (enough for a small launch, not for 25);
* **big enough** from 100.

Establishments are work sites: a firm with three sites counts three times, so the number of
businesses a team could invite is at most this count. Suppression never hides establishment counts
in QCEW, so the count is complete even where jobs are withheld.

"Too big" cannot be read from employment files: they do not show where people commute. What the
data can tell (:func:`labor_market_flags`) is whether the counties lie in **different states** (from
the first two digits of their codes) or in **different regions of the crosswalk** (when the team
gave one); either is a sign that the footprint may span distinct labor markets, to check against
commuting data and with business leaders.

Examples
--------
>>> from sectorkit.lmi.sources import source_data
>>> data, _ = source_data("example")
>>> f = footprint_figures(data, ["99001", "99003"], "31-33", 2020, 2023)
>>> f["counties"], f["establishments"] > 0
(('99001', '99003'), True)
>>> size_check(60)[0]
'small'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sectorkit.core.errors import DataError
from sectorkit.lmi.measures import Region, read_crosswalk, region_measures

__all__ = ["FOOTPRINT_KEY", "FOOTPRINT_KIND", "INVITES_PER_ATTENDEE", "LAUNCH_GOAL", "LAUNCH_MINIMUM",
           "Footprint", "county_catalog", "footprint_figures", "labor_market_flags", "normalize_county",
           "saved_counties", "size_check"]

FOOTPRINT_KIND = "footprint"
FOOTPRINT_KEY = "current"
#: the toolkit's rule of thumb: invite about 100 to have 25 in the room
INVITES_PER_ATTENDEE = 4
#: the launch attendance the toolkit aims for, and the least it advises
LAUNCH_GOAL = 25
LAUNCH_MINIMUM = 12
REASON_LIMIT = 500


def normalize_county(code: Any) -> str:
    """A county FIPS code as 5 digits (``1001`` -> ``01001``).

    Raises
    ------
    DataError
        When ``code`` is not a 4- or 5-digit number (a state, a nation or a name is not a county).

    >>> normalize_county(" 1001"), normalize_county(39049)
    ('01001', '39049')
    >>> normalize_county("Franklin")
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.DataError: 'Franklin' is not a county FIPS code: use 5 digits, for example 39049.
    """
    text = str(code).strip()
    if not re.fullmatch(r"\d{4,5}", text) or text.zfill(5).endswith("000"):
        raise DataError(f"{text!r} is not a county FIPS code: use 5 digits, for example 39049.")
    return text.zfill(5)


@dataclass(frozen=True)
class Footprint:
    """The team's footprint: every county considered, in or out, with a reason.

    Parameters
    ----------
    counties : dict of str to (bool, str)
        County FIPS code -> (in the footprint?, reason). Codes are normalized to 5 digits.
    sector : str or None
        The industry code whose figures the team looked at.

    >>> fp = Footprint({"1001": (True, "our core"), "01003": (False, "")})
    >>> fp.included, fp.reason("01001")
    (('01001',), 'our core')
    """

    counties: dict[str, tuple[bool, str]] = field(default_factory=dict)
    sector: str | None = None

    def __post_init__(self) -> None:
        clean = {}
        for code, (inside, reason) in self.counties.items():
            reason = str(reason or "")
            if len(reason) > REASON_LIMIT:
                raise DataError(f"The reason for county {code} is {len(reason):,} characters; "
                                f"the limit is {REASON_LIMIT}.")
            clean[normalize_county(code)] = (bool(inside), reason)
        object.__setattr__(self, "counties", dict(sorted(clean.items())))

    @property
    def included(self) -> tuple[str, ...]:
        """The counties in the footprint, sorted."""
        return tuple(c for c, (inside, _) in self.counties.items() if inside)

    def reason(self, code: str) -> str:
        return self.counties.get(normalize_county(code), (False, ""))[1]

    @classmethod
    def from_record(cls, value: Mapping[str, Any] | None) -> "Footprint | None":
        """The saved footprint, or None if there is none (bad county entries are dropped)."""
        if not value:
            return None
        counties = {}
        for code, item in dict(value.get("counties") or {}).items():
            try:
                counties[normalize_county(code)] = (bool(item.get("in")), str(item.get("reason") or "")[:REASON_LIMIT])
            except (DataError, AttributeError):
                continue
        return cls(counties, value.get("sector") or None)

    def to_record(self) -> dict[str, Any]:
        """The JSON value saved in the workspace (without ``saved_at``)."""
        return {"counties": {c: {"in": i, "reason": r} for c, (i, r) in self.counties.items()},
                "sector": self.sector}


def county_catalog(data: pd.DataFrame, crosswalk: str | Any | None = None) -> pd.DataFrame:
    """The counties a footprint can use: every county in the data, named from the crosswalk if any.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy QCEW frame (:mod:`sectorkit.lmi.qcew`); national (``US...``), statewide (``..000``) and
        metro (``C....``) areas are skipped.
    crosswalk : path, optional
        A crosswalk CSV (:func:`sectorkit.lmi.read_crosswalk`): county names, states and regions.

    Returns
    -------
    pandas.DataFrame
        ``area_fips, county_name, state_fips, regions`` (a tuple of the crosswalk region names the
        county belongs to; empty without a crosswalk), sorted by code.

    >>> from sectorkit.lmi.sources import source_data
    >>> data, cw = source_data("example")
    >>> county_catalog(data, cw).iloc[0].tolist()
    ['99001', 'Riverbend County (illustrative)', '99', ('Riverbend Valley (4 illustrative counties)',)]
    """
    codes = sorted(c for c in map(str, data["area_fips"].unique()) if re.fullmatch(r"\d{5}", c)
                   and not c.endswith("000"))
    names: dict[str, str] = {}
    regions: dict[str, tuple] = {}
    if crosswalk is not None and str(crosswalk).strip():
        cw = read_crosswalk(str(crosswalk).strip())
        for code, part in cw.groupby("area_fips"):
            names[code] = str(part["county_name"].iloc[0])
            regions[code] = tuple(dict.fromkeys(part["region_name"].astype(str)))
    return pd.DataFrame({"area_fips": codes, "county_name": [names.get(c, f"County {c}") for c in codes],
                         "state_fips": [c[:2] for c in codes], "regions": [regions.get(c, ()) for c in codes]})


def _clean(counties: Iterable[Any], known: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(normalize_county(c) for c in counties))
    if not chosen:
        raise DataError("The footprint has no county yet: mark at least one county In.")
    have = set(known)
    unknown = [c for c in chosen if c not in have]
    if unknown:
        raise DataError(f"There is no data for county {', '.join(unknown)}. Counties in the data: "
                        f"{', '.join(sorted(have)) or 'none'}.")
    return chosen


def footprint_figures(data: pd.DataFrame, counties: Iterable[Any], sector: str, start_year: int, end_year: int,
                      own_code: int = 5) -> dict[str, Any]:
    """The sector's figures for the counties in the footprint (summed, then the LQ of the whole).

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy QCEW frame holding the counties (and any others).
    counties : iterable of str
        County FIPS codes in the footprint (4-digit codes are padded).
    sector : str
        Industry code: a 2-digit sector (``31-33``) or a 3-digit subsector.
    start_year, end_year : int
        Growth period; levels are for ``end_year``.
    own_code : int, default 5 (private)

    Returns
    -------
    dict
        ``counties`` (tuple), ``sector``, ``employment`` (jobs, end year; NaN if every county is
        suppressed), ``establishments`` (count), ``lq`` (NaN if unknown), ``lq_method``,
        ``growth_pct`` (percent), ``employment_is_lower_bound`` and ``n_counties_suppressed``:
        the row of :func:`~sectorkit.lmi.measures.region_measures` for the sector.

    Raises
    ------
    DataError
        For an empty footprint, a code that is not a county, a county missing from the data, or a
        sector the data does not hold for these counties.
    """
    known = county_catalog(data)["area_fips"]
    chosen = _clean(counties, known)
    region = Region.from_counties(chosen, region_id="footprint", name=f"Footprint ({len(chosen)} counties)")
    digits = 3 if len(str(sector)) == 3 else 2
    m = region_measures(data, region, start_year, end_year, digits=digits, own_code=own_code)
    row = m[m["industry_code"] == str(sector)]
    if row.empty:
        raise DataError(f"The data holds no figures for industry {sector} in these counties.")
    r = row.iloc[0]
    return {"counties": tuple(chosen), "sector": str(sector), "employment": float(r["employment"]),
            "establishments": float(r["establishments"]), "lq": float(r["lq"]), "lq_method": str(r["lq_method"]),
            "growth_pct": float(r["growth_pct"]), "employment_is_lower_bound": bool(r["employment_is_lower_bound"]),
            "n_counties_suppressed": int(r["n_counties_suppressed"]), "start_year": int(start_year),
            "end_year": int(end_year)}


def size_check(establishments: float | None, *, goal: int = LAUNCH_GOAL, minimum: int = LAUNCH_MINIMUM,
               per_attendee: int = INVITES_PER_ATTENDEE) -> tuple[str, str]:
    """Is the footprint big enough to invite a launch? (the rule is in the module docstring).

    Returns
    -------
    (str, str)
        The verdict, ``"too small"``, ``"small"``, ``"big enough"`` or ``"unknown"``, and a sentence.

    >>> size_check(47)[0], size_check(48)[0], size_check(99)[0], size_check(100)[0], size_check(None)[0]
    ('too small', 'small', 'small', 'big enough', 'unknown')
    >>> size_check(130)[1]
    'Big enough: 130 establishments, at least the 100 invitations (about 4 per seat) for a launch of 25.'
    """
    if establishments is None or (isinstance(establishments, float) and math.isnan(establishments)):
        return "unknown", "The number of establishments is unknown for these counties."
    n = int(round(establishments))
    full, least = goal * per_attendee, minimum * per_attendee
    if n < least:
        return "too small", (f"Too small: {n:,} establishments, fewer than the {least} invitations (about "
                             f"{per_attendee} per seat) needed for even the smallest launch of {minimum}. "
                             "Add neighbouring counties the sector shares workers with, or widen the sector.")
    if n < full:
        return "small", (f"Small: {n:,} establishments are enough to invite {least} for a launch of {minimum}, "
                         f"but not the {full} invitations a launch of {goal} needs.")
    return "big enough", (f"Big enough: {n:,} establishments, at least the {full} invitations (about "
                          f"{per_attendee} per seat) for a launch of {goal}.")


def labor_market_flags(counties: Iterable[str], catalog: pd.DataFrame) -> list[str]:
    """Signs that the footprint spans distinct labor markets, as sentences (empty: no sign in the data).

    Parameters
    ----------
    counties : iterable of str
        The counties in the footprint.
    catalog : pandas.DataFrame
        :func:`county_catalog` (states from the codes, regions from the crosswalk).

    >>> cat = pd.DataFrame({"area_fips": ["39049", "54001"], "county_name": ["Franklin", "Barbour"],
    ...                     "state_fips": ["39", "54"], "regions": [("Central",), ("Mountain",)]})
    >>> for flag in labor_market_flags(["39049", "54001"], cat): print(flag)  # doctest: +NORMALIZE_WHITESPACE
    The counties lie in 2 states (state codes 39, 54). A labor market can cross a state line,
    but check commuting data before treating them as one.
    The counties belong to different regions of your crosswalk (Central; Mountain), and no one region holds them all.
    """
    chosen = [normalize_county(c) for c in counties]
    cat = catalog.set_index("area_fips")
    flags = []
    states = sorted({c[:2] for c in chosen})
    if len(states) > 1:
        flags.append(f"The counties lie in {len(states)} states (state codes {', '.join(states)}). A labor market "
                     "can cross a state line, but check commuting data before treating them as one.")
    member = [set(cat.loc[c, "regions"]) if c in cat.index else set() for c in chosen]
    if member and all(member):
        common = set.intersection(*member)
        if not common:
            names = sorted(set.union(*member))
            flags.append(f"The counties belong to different regions of your crosswalk ({'; '.join(names)}), "
                         "and no one region holds them all.")
    return flags


def saved_counties(workspace: Any) -> tuple[tuple[str, ...], str | None]:
    """The counties in the saved footprint and when it was saved (``((), None)`` if none is saved).

    ``workspace`` is anything with ``records(kind)`` (a :class:`~sectorkit.store.workspace.Workspace`).
    This is the region's county set for the LMI Review and the report.
    """
    record = workspace.records(FOOTPRINT_KIND).get(FOOTPRINT_KEY)
    fp = Footprint.from_record(record)
    if fp is None:
        return (), None
    return fp.included, record.get("saved_at") if isinstance(record.get("saved_at"), str) else None
