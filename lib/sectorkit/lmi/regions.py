"""Regions as sets of counties, and the county-to-region crosswalk CSV that defines them.

Examples
--------
>>> from sectorkit.core.paths import data_dir
>>> r = Region.from_crosswalk(data_dir() / "example_region" / "crosswalk.csv", "RIVERBEND4")
>>> r.name, len(r.counties)
('Riverbend Valley (4 illustrative counties)', 4)
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sectorkit.core.csvio import check_columns, header, parse_error, read_bytes
from sectorkit.core.errors import DataError

__all__ = ["CROSSWALK_COLUMNS", "Region", "read_crosswalk"]

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
        fips = tuple(dict.fromkeys(str(c).strip().zfill(5) for c in counties))
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
        return cls(region_id, sel["region_name"].iloc[0], tuple(sel["area_fips"]))
