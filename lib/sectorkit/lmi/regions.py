"""Regions as sets of counties, the crosswalk CSV that defines them, and the reference areas.

A region adds up counties only (5-digit FIPS; a 4-digit code lost its leading zero and is
padded). The nation (``US000``), a state (``39000``), an MSA (``C1814``), a CSA or a U.S. aggregate
(``USNMS``) is never summed into a region: it is a *reference area* the region can be compared with
(:func:`reference_areas` lists those in the data; pass one as ``reference_counties`` to
:func:`sectorkit.lmi.region_measures`).

Examples
--------
>>> from sectorkit.core.paths import data_dir
>>> r = Region.from_crosswalk(data_dir() / "example_region" / "crosswalk.csv", "RIVERBEND4")
>>> r.name, len(r.counties)
('Riverbend Valley (4 illustrative counties)', 4)
>>> Region.from_counties(["1001", "01003"]).counties
('01001', '01003')
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sectorkit.core.csvio import check_columns, header, parse_error, read_bytes
from sectorkit.core.errors import DataError
from sectorkit.lmi.areas import KINDS, area_kind, describe_area, normalise_area_code, normalise_area_codes

__all__ = ["CROSSWALK_COLUMNS", "Region", "county_codes", "read_crosswalk", "reference_areas"]

CROSSWALK_COLUMNS = ("area_fips", "county_name", "state_fips", "state", "region_id",
                     "region_name")


def read_crosswalk(path: str | Path) -> pd.DataFrame:
    """Read a county-to-region crosswalk CSV.

    Parameters
    ----------
    path : str or Path
        CSV with columns ``area_fips, county_name, state_fips, state,
        region_id, region_name``.

    Returns
    -------
    pandas.DataFrame
        All columns as text; ``area_fips`` zero-padded to 5 characters.

    Examples
    --------
    >>> from sectorkit.lmi.qcew import example_region_path
    >>> read_crosswalk(example_region_path() / "crosswalk.csv")["area_fips"].tolist()
    ['99001', '99003', '99005', '99007']
    """
    path = Path(path)
    raw = read_bytes(path)
    check_columns(path, header(path, raw), CROSSWALK_COLUMNS, "a sectorkit crosswalk")
    try:
        cw = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False,
                         usecols=list(CROSSWALK_COLUMNS))
    except Exception as exc:  # noqa: BLE001
        raise parse_error(path, exc) from None
    cw = cw.apply(lambda s: s.str.strip())
    cw["area_fips"] = cw["area_fips"].str.zfill(5)
    if (cw["area_fips"] == "00000").any():
        raise DataError(f"{path}: a row has an empty area_fips; fill in the county FIPS code.")
    dup = cw.duplicated(["area_fips", "region_id"])
    if dup.any():
        raise DataError(f"{path}: county {cw.loc[dup, 'area_fips'].iloc[0]} is listed twice "
                        "for the same region; remove the repeat.")
    return cw


@dataclass(frozen=True)
class Region:
    """A set of counties studied together.

    Parameters
    ----------
    region_id : str
        Short identifier, e.g. ``"CENTRAL_OH12"``.
    name : str
        Display name.
    counties : tuple of str
        5-digit county FIPS codes.

    Examples
    --------
    >>> Region.from_counties(["99001", "99003"]).counties
    ('99001', '99003')
    """

    region_id: str
    name: str
    counties: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self):
        if not self.counties:
            raise DataError(f"Region {self.region_id!r} has no counties.")

    @classmethod
    def from_counties(cls, counties: Iterable[str | int], region_id: str = "custom",
                      name: str | None = None) -> "Region":
        """A region from a list of county FIPS codes (ints are zero-padded).

        Examples
        --------
        >>> Region.from_counties([39049], name="Franklin").counties
        ('39049',)
        """
        fips = county_codes(counties)
        return cls(region_id, name or f"{len(fips)} counties", fips)

    @classmethod
    def from_crosswalk(cls, path: str | Path, region_id: str) -> "Region":
        """A region from a crosswalk CSV and one of its ``region_id`` values.

        Examples
        --------
        >>> from sectorkit.lmi.qcew import example_region_path
        >>> r = Region.from_crosswalk(example_region_path() / "crosswalk.csv", "RIVERBEND4")
        >>> len(r.counties)
        4
        """
        cw = read_crosswalk(path)
        sel = cw[cw["region_id"] == region_id]
        if sel.empty:
            ids = ", ".join(sorted(set(cw["region_id"])))
            raise DataError(f"{path}: no region_id {region_id!r}; the file has: {ids}.")
        return cls(region_id, sel["region_name"].iloc[0], county_codes(sel["area_fips"]))


def county_codes(codes: Iterable[str | int]) -> tuple[str, ...]:
    """County FIPS codes, normalised (``1001`` -> ``01001``), repeats dropped, non-counties refused.

    An area name of several words (the team template's ``area``, e.g. ``Our region``) is kept as is.

    Raises
    ------
    DataError
        For a code that is not an area code, or an area that is not a county (the nation, a
        state, an MSA, a CSA, a U.S. aggregate), saying to use it as a reference area instead.

    Examples
    --------
    >>> county_codes([1001, " 01003", "1001"])
    ('01001', '01003')
    >>> county_codes(["39049", "39000"])
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.DataError: 39000 is a state, statewide, not a county: a region adds up counties only. Compare the region with it instead (as a reference area), and list the counties in the region.
    """  # noqa: E501 - a doctest's expected line cannot wrap
    out = []
    for c in codes:
        text = str(c).strip()
        if normalise_area_codes([text])[1] and any(ch.isalpha() for ch in text) and " " in text:
            out.append(text)  # an area named in the team template ("Our region"), not a code
            continue
        code = normalise_area_code(text)
        kind = area_kind(code)
        if kind == "nation":
            raise DataError(f"{code} is the nation, not a county: a region adds up counties only. "
                            "The nation is what the region is compared with by default; leave it out of the list.")
        if kind != "county":
            raise DataError(f"{code} is {KINDS[kind]}, not a county: a region adds up counties only. Compare the "
                            "region with it instead (as a reference area), and list the counties in the region.")
        out.append(code)
    return tuple(dict.fromkeys(out))


def reference_areas(data: pd.DataFrame) -> pd.DataFrame:
    """The areas in a tidy QCEW frame a region can be compared with: every area but counties.

    Parameters
    ----------
    data : pandas.DataFrame
        A tidy frame from :mod:`sectorkit.lmi.qcew` (its ``attrs["area_titles"]`` and
        ``attrs["set_aside"]`` are used when present).

    Returns
    -------
    pandas.DataFrame
        ``area_fips, kind, description, years, loaded``: one row per non-county area, the nation
        first; ``description`` says "the nation" for US000 only; ``years`` lists the years it has;
        ``loaded`` is False for U.S. aggregates the reader set aside (read them by naming them in
        ``areas=``).

    Examples
    --------
    >>> d = pd.DataFrame({"area_fips": ["39049", "39000", "US000"], "year": 2023})
    >>> reference_areas(d)[["area_fips", "kind", "description"]].values.tolist()
    [['US000', 'nation', 'the nation (U.S. total), US000'], ['39000', 'state', 'a state, statewide, 39000']]
    """
    titles = data.attrs.get("area_titles", {}) or {}
    years = data[["area_fips", "year"]].drop_duplicates().groupby("area_fips")["year"].agg(
        lambda y: ", ".join(str(int(v)) for v in sorted(y)))
    rows = []
    for code, yrs in years.items():
        if normalise_area_codes([code])[1]:
            continue  # a template area name, not a code
        kind = area_kind(code)
        if kind != "county":
            rows.append((code, kind, describe_area(code, titles.get(code) if kind != "nation" else None), yrs, True))
    for code, text in (data.attrs.get("set_aside", {}) or {}).items():
        rows.append((code, area_kind(code), text, "", False))
    order = list(KINDS)
    rows.sort(key=lambda r: (order.index(r[1]), r[0]))
    return pd.DataFrame(rows, columns=["area_fips", "kind", "description", "years", "loaded"])
