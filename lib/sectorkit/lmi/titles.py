"""Titles for codes in QCEW data: NAICS industries, ownerships and areas.

The default tables ship with sectorkit (``sectorkit/data/*.csv``: NAICS 2- and 3-digit codes of
NAICS 2017 and 2022, public-domain BLS titles); a BLS ``reference/`` folder gives every code.

Examples
--------
>>> industry_titles().set_index("industry_code").loc["31-33", "industry_title"]
'Manufacturing'
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from sectorkit.core.csvio import check_columns, header, parse_error, read_bytes
from sectorkit.core.errors import DataError
from sectorkit.lmi.regions import read_crosswalk

__all__ = ["add_titles", "industry_titles", "ownership_titles"]


def _package_data(name: str) -> Path:
    return Path(__file__).resolve().parents[1] / "data" / name


@lru_cache(maxsize=8)
def _titles_cached(reference: str | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    if reference is None:
        ind = pd.read_csv(_package_data("industry_titles.csv"), dtype=str)
        own = pd.read_csv(_package_data("ownership_titles.csv"), dtype={"own_code": "int64",
                                                                         "own_title": str})
        return ind, own, None
    ref = Path(reference)
    need = {"industry_titles.csv": ("industry_code", "industry_title"),
            "ownership_titles.csv": ("own_code", "own_title"),
            "area_titles.csv": ("area_fips", "area_title")}
    tables = {}
    for name, cols in need.items():
        f = ref / name
        if not f.exists():
            raise DataError(f"{ref}: no {name} in this reference folder. "
                            "Point to the folder holding the BLS title tables.")
        raw = read_bytes(f)
        check_columns(f, header(f, raw), cols, f"the BLS {name} table")
        try:
            t = pd.read_csv(io.BytesIO(raw), dtype=str, usecols=list(cols), keep_default_na=False)
        except Exception as exc:  # noqa: BLE001
            raise parse_error(f, exc) from None
        tables[name] = t
    ind = tables["industry_titles.csv"]
    status = np.where(ind["industry_title"].str.startswith("NAICS17 "), "discontinued_2022",
                      "current")
    ind = ind.assign(
        industry_title=ind["industry_title"].str.replace(r"^(NAICS\d* )?\S+ ", "", regex=True),
        naics_status=status)
    own = tables["ownership_titles.csv"]
    own = own.assign(own_code=pd.to_numeric(own["own_code"], errors="coerce")).dropna()
    own["own_code"] = own["own_code"].astype("int64")
    return ind, own, tables["area_titles.csv"]


def industry_titles(reference: str | Path | None = None) -> pd.DataFrame:
    """NAICS titles: the shipped 2-/3-digit table, or a BLS ``reference/`` folder.

    Parameters
    ----------
    reference : str or Path, optional
        A folder with BLS ``industry_titles.csv``, ``ownership_titles.csv`` and
        ``area_titles.csv``. Default: the small table shipped with sectorkit
        (NAICS 2- and 3-digit codes, NAICS 2017 and 2022, public-domain BLS titles).

    Returns
    -------
    pandas.DataFrame
        ``industry_code, industry_title, naics_status`` where ``naics_status``
        is ``current`` or ``discontinued_2022`` (a NAICS 2017 code).

    Examples
    --------
    >>> t = industry_titles().set_index("industry_code")
    >>> t.loc["455", "industry_title"], t.loc["452", "naics_status"]
    ('General merchandise retailers', 'discontinued_2022')
    """
    return _titles_cached(None if reference is None else str(reference))[0].copy()


def ownership_titles(reference: str | Path | None = None) -> pd.DataFrame:
    """BLS ownership codes and titles (``own_code, own_title``).

    Examples
    --------
    >>> ownership_titles().set_index("own_code").loc[5, "own_title"]
    'Private'
    """
    return _titles_cached(None if reference is None else str(reference))[1].copy()


def add_titles(data: pd.DataFrame, reference: str | Path | None = None,
               crosswalk: str | Path | None = None) -> pd.DataFrame:
    """Return ``data`` with ``industry_title``, ``own_title`` and ``area_title`` columns.

    Parameters
    ----------
    data : pandas.DataFrame
        A tidy frame from this module.
    reference : str or Path, optional
        A BLS ``reference/`` folder; default the shipped 2-/3-digit table
        (finer codes then get an empty title, shown as their code).
    crosswalk : str or Path, optional
        A crosswalk CSV (``area_fips, county_name, ...``) used for area titles
        when no reference folder is given or a code is not in it.

    Returns
    -------
    pandas.DataFrame
        A new frame; ``data`` is not changed.

    Examples
    --------
    >>> from sectorkit.lmi.qcew import example_region_path, read_area_files
    >>> d = read_area_files(example_region_path())
    >>> t = add_titles(d, crosswalk=example_region_path() / "crosswalk.csv")
    >>> t.loc[t.industry_code == "62", "industry_title"].iloc[0]
    'Health care and social assistance'
    """
    ind, own, area = _titles_cached(None if reference is None else str(reference))
    out = data.drop(columns=[c for c in ("industry_title", "own_title", "area_title")
                             if c in data.columns])
    imap = dict(zip(ind["industry_code"], ind["industry_title"]))
    codes = out["industry_code"].astype(str)
    out["industry_title"] = codes.map(imap).fillna("NAICS " + codes)
    out["own_title"] = out["own_code"].map(dict(zip(own["own_code"], own["own_title"])))
    amap: dict[str, str] = {}
    if crosswalk is not None:
        cw = read_crosswalk(crosswalk)
        amap.update(zip(cw["area_fips"], cw["county_name"]))
    if area is not None:
        amap.update(zip(area["area_fips"], area["area_title"]))
    out["area_title"] = out["area_fips"].map(amap).fillna(out["area_fips"])
    if "US999" in set(out["area_fips"]) and "US999" not in amap:
        out.loc[out["area_fips"] == "US999", "area_title"] = "Illustrative nation"
    return out
