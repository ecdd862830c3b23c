"""Titles for codes in QCEW data: NAICS industries, ownerships and areas.

The default tables ship with sectorkit (``sectorkit/data/*.csv``: NAICS 2- and 3-digit codes of
NAICS 2017 and 2022, public-domain BLS titles); a BLS ``reference/`` folder gives every code.
Title tables are read in any encoding BLS and spreadsheet tools write (UTF-8, UTF-8 with a byte
order mark, Windows-1252 / Latin-1; see :func:`read_title_table`), with the column names and the
area codes normalised (a spreadsheet that dropped the leading zero of ``01001`` is undone).

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

from sectorkit.core.csvio import check_columns, parse_error, read_bytes
from sectorkit.core.errors import DataError
from sectorkit.lmi.areas import normalise_area_codes
from sectorkit.lmi.regions import read_crosswalk

__all__ = ["add_titles", "area_titles", "decode_text", "industry_titles", "ownership_titles", "read_title_table"]

_TABLES = {"industry_titles": ("industry_code", "industry_title"),
           "ownership_titles": ("own_code", "own_title"),
           "area_titles": ("area_fips", "area_title")}


def decode_text(raw: bytes) -> str:
    """Text of a CSV file in UTF-8 (a byte order mark dropped), else Windows-1252, else Latin-1.

    Examples
    --------
    >>> decode_text("Doña Ana".encode("utf-8-sig")), decode_text("Doña Ana".encode("cp1252"))
    ('Doña Ana', 'Doña Ana')
    """
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def read_title_table(path: str | Path, columns: tuple[str, str]) -> pd.DataFrame:
    """Read a two-column BLS title table (``area_titles.csv`` ...) in any common encoding.

    Parameters
    ----------
    path : str or Path
        The CSV (plain or gzipped), UTF-8, UTF-8 with BOM, Windows-1252 or Latin-1.
    columns : (str, str)
        The code and title columns, e.g. ``("area_fips", "area_title")``; the header is matched
        ignoring case, spaces and quotes.

    Returns
    -------
    pandas.DataFrame
        The two columns as text, trimmed; ``area_fips`` codes normalised (``1001`` -> ``01001``).

    Raises
    ------
    DataError
        Missing file, wrong columns (with a close match), a file that is not CSV.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "area_titles.csv"
    >>> _ = f.write_bytes('"Area_FIPS","area_title"\\r\\n"1001","Autauga"\\r\\n35013,Doña Ana\\r\\n'.encode("cp1252"))
    >>> read_title_table(f, ("area_fips", "area_title")).values.tolist()
    [['01001', 'Autauga'], ['35013', 'Doña Ana']]
    """
    path = Path(path)
    text = decode_text(read_bytes(path))
    try:
        t = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except Exception as exc:  # noqa: BLE001
        raise parse_error(path, exc) from None
    t.columns = [str(c).strip().strip('"').lower().replace(" ", "_") for c in t.columns]
    check_columns(path, list(t.columns), columns, f"a BLS title table ({', '.join(columns)})")
    t = t[list(columns)].apply(lambda c: c.str.strip())
    if columns[0] == "area_fips":
        codes, _ = normalise_area_codes(t["area_fips"])
        t["area_fips"] = [c if c is not None else a for c, a in zip(codes, t["area_fips"])]
    return t


def _find_table(ref: Path, stem: str) -> Path:
    """``<stem>.csv`` in a reference folder, or a variant BLS or a copy used (``area-titles-csv.csv``)."""
    exact = ref / f"{stem}.csv"
    if exact.exists():
        return exact
    if ref.is_dir():
        for f in sorted(ref.iterdir()):
            if f.name.lower().replace("-", "_").startswith(stem) and f.name.lower().endswith((".csv", ".csv.gz")):
                return f
    raise DataError(f"{ref}: no {stem}.csv in this reference folder. "
                    "Point to the folder holding the BLS title tables.")


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
    tables = {stem + ".csv": read_title_table(_find_table(ref, stem), cols) for stem, cols in _TABLES.items()}
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


def area_titles(reference: str | Path) -> pd.DataFrame:
    """BLS area codes and titles (``area_fips, area_title``) from a ``reference/`` folder.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> ref = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (ref / "area_titles.csv").write_text("area_fips,area_title\\nUS000,U.S. TOTAL\\n1001,Autauga\\n")
    >>> _ = (ref / "industry_titles.csv").write_text("industry_code,industry_title\\n10,10 Total\\n")
    >>> _ = (ref / "ownership_titles.csv").write_text("own_code,own_title\\n0,Total Covered\\n")
    >>> area_titles(ref).values.tolist()
    [['US000', 'U.S. TOTAL'], ['01001', 'Autauga']]
    """
    return _titles_cached(str(reference))[2].copy()


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
    amap: dict[str, str] = dict(data.attrs.get("area_titles", {}) or {})  # titles the files carried
    if crosswalk is not None:
        cw = read_crosswalk(crosswalk)
        amap.update(zip(cw["area_fips"], cw["county_name"]))
    if area is not None:
        amap.update(zip(area["area_fips"], area["area_title"]))
    out["area_title"] = out["area_fips"].map(amap).fillna(out["area_fips"])
    if "US999" in set(out["area_fips"]) and "US999" not in amap:
        out.loc[out["area_fips"] == "US999", "area_title"] = "Illustrative nation"
    return out
