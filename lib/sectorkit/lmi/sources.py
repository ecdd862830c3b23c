"""Where the LMI Review's data comes from: the illustrative example region or a folder of BLS files.

:func:`load_source` turns a data-source choice (as the LMI Review saves it in its settings) into
the QCEW frame and the :class:`~sectorkit.lmi.measures.Region`; the report reads the same saved
choice through it. Folders are read once per content (a small cache keyed by the folder's file
names, sizes and modification times), so changing years or weights never re-reads files.
:func:`warm_example` reads the example region ahead of time (a preheated Voila kernel calls it
while it waits for its request).

Record kinds the LMI Review saves in a workspace:

- ``sector_choice`` (:data:`CHOICE_KIND`), key: the industry code; value: ``decision``
  (``shortlist``, ``maybe``, ``not-now`` or None), ``note``, ``title``, ``naics_digits``, ``saved_at``;
- ``lmi_settings`` (:data:`SETTINGS_KIND`), key ``current`` (:data:`SETTINGS_KEY`): the data source,
  folder, counties, crosswalk, years, ownership, NAICS level and weights.

>>> data, region = load_source("example")
>>> region.region_id, sorted(data["year"].unique().tolist())[:2]
('RIVERBEND4', [2020, 2021])
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sectorkit.core.errors import DataError, SectorkitError
from sectorkit.lmi import measures as lmi
from sectorkit.lmi import qcew

__all__ = ["CHOICE_KIND", "SETTINGS_KEY", "SETTINGS_KIND", "load_source", "parse_counties", "source_data",
           "warm_example"]

CHOICE_KIND = "sector_choice"
SETTINGS_KIND = "lmi_settings"
SETTINGS_KEY = "current"

#: read folders by (path, signature of their files); at most CACHE_SIZE of them are kept
_DATA_CACHE: dict[tuple, pd.DataFrame] = {}
CACHE_SIZE = 4


def _folder_signature(folder: Path) -> tuple:
    return tuple(sorted((f.name, f.stat().st_mtime_ns, f.stat().st_size)
                        for f in folder.iterdir() if f.is_file()))


def _read_cached(folder: Path) -> pd.DataFrame:
    key = (str(folder), _folder_signature(folder))
    if key not in _DATA_CACHE:
        data = qcew.read_area_files(folder)
        if len(_DATA_CACHE) >= CACHE_SIZE:
            _DATA_CACHE.pop(next(iter(_DATA_CACHE)))
        _DATA_CACHE[key] = data
    return _DATA_CACHE[key]


def parse_counties(text: str) -> list[str]:
    """County FIPS codes typed as a list (commas, semicolons or spaces), padded to 5 digits.

    Raises
    ------
    DataError
        When the list is empty or an item is not a 4- or 5-digit code.

    Examples
    --------
    >>> parse_counties("39041, 39049;9001")
    ['39041', '39049', '09001']
    >>> parse_counties("Franklin")
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.DataError: 'Franklin' is not a county FIPS code. Use 5 digits, for example 39049.
    """
    items = [t for t in re.split(r"[,;\s]+", text.strip()) if t]
    if not items:
        raise DataError("List the region's counties as 5-digit FIPS codes separated by commas "
                        "(for example 39041, 39049), or give a crosswalk file and its region id.")
    bad = [t for t in items if not re.fullmatch(r"\d{4,5}", t)]
    if bad:
        raise DataError(f"'{bad[0]}' is not a county FIPS code. Use 5 digits, for example 39049.")
    return [t.zfill(5) for t in items]


def load_source(source: str, folder: str = "", counties: str = "", crosswalk: str = ""
                ) -> tuple[pd.DataFrame, lmi.Region]:
    """The QCEW data and the region for a data-source choice.

    Parameters
    ----------
    source : {"example", "folder"}
        The bundled illustrative region, or a folder of BLS QCEW annual area files.
    folder : str
        The folder (``source="folder"``); it must exist and be a directory.
    counties : str
        Comma-separated county FIPS codes (a list wins over the crosswalk), or a ``region_id`` of
        ``crosswalk``. With ``source="example"``: empty for the whole example region, or some of its
        counties (a saved footprint).
    crosswalk : str
        Optional crosswalk CSV (see :func:`sectorkit.lmi.read_crosswalk`).

    Returns
    -------
    (pandas.DataFrame, Region)
        The tidy QCEW frame of every file in the folder (see :func:`sectorkit.lmi.qcew.read_area_files`)
        and the region (its counties, name and id).

    Raises
    ------
    DataError
        With a message a user can act on (missing folder, bad file, unknown county).

    Examples
    --------
    >>> data, region = load_source("example")
    >>> region.region_id, len(region.counties)
    ('RIVERBEND4', 4)
    >>> load_source("example", counties="99001, 99003")[1].counties
    ('99001', '99003')
    >>> load_source("example", counties="39049")
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.DataError: The data has no file for county 39049. It has: 99001, 99003, 99005, 99007.
    >>> load_source("folder", folder="")
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.DataError: Type the folder that holds your QCEW files, then press Load.
    """
    if source == "example":
        path = qcew.example_region_path()
        data = _read_cached(path)
        cw = path / "crosswalk.csv"
        if not counties.strip():
            return data, lmi.Region.from_crosswalk(cw, lmi.read_crosswalk(cw)["region_id"].iloc[0])
        fips = parse_counties(counties)  # a footprint: some of the example's counties
        return data, _check_counties(data, lmi.Region.from_counties(fips, name=_counties_name(fips)))
    if source != "folder":
        raise DataError(f"Unknown data source {source!r}.")
    if not folder.strip():
        raise DataError("Type the folder that holds your QCEW files, then press Load.")
    path = Path(folder.strip()).expanduser()
    if not path.exists():
        raise DataError(f"The folder {path} does not exist. Check the spelling and the full path.")
    if not path.is_dir():
        raise DataError(f"{path} is a file, not a folder. Give the folder that holds the QCEW files.")
    if crosswalk.strip() and not _is_fips_list(counties):
        cw = Path(crosswalk.strip()).expanduser()
        if not cw.is_file():
            raise DataError(f"The crosswalk file {cw} does not exist.")
        if not counties.strip():
            raise DataError("Give the region id from the crosswalk file in the counties box.")
        region = lmi.Region.from_crosswalk(cw, counties.strip())
    else:
        fips = parse_counties(counties)
        region = lmi.Region.from_counties(fips, name=_counties_name(fips))
    data = _read_cached(path)
    return data, _check_counties(data, region)


def _counties_name(fips: list[str]) -> str:
    return f"{len(fips)} counties ({', '.join(fips)})"


def _is_fips_list(text: str) -> bool:
    """True when ``text`` is a list of county codes (not a crosswalk region id)."""
    items = [t for t in re.split(r"[,;\s]+", text.strip()) if t]
    return bool(items) and all(re.fullmatch(r"\d{4,5}", t) for t in items)


def _check_counties(data: pd.DataFrame, region: lmi.Region) -> lmi.Region:
    have = set(data["area_fips"].astype(str))
    missing = [c for c in region.counties if c not in have]
    if missing:
        raise DataError(f"The data has no file for county {', '.join(missing)}. "
                        f"It has: {', '.join(sorted(c for c in have if not c.startswith('US'))) or 'no counties'}.")
    return region


def source_data(source: str, folder: str = "") -> tuple[pd.DataFrame, Path | None]:
    """Every county's data of a source (not only a region's), and the example's crosswalk file.

    Returns the tidy QCEW frame (read once per folder content, like :func:`load_source`) and, for
    the example, its crosswalk path (None for a folder). Raises :class:`DataError` like
    :func:`load_source` for a missing folder or an unknown source.

    >>> data, cw = source_data("example")
    >>> sorted(data["area_fips"].unique())[:2], cw.name
    (['99001', '99003'], 'crosswalk.csv')
    """
    if source == "example":
        path = qcew.example_region_path()
        return _read_cached(path), path / "crosswalk.csv"
    if source != "folder":
        raise DataError(f"Unknown data source {source!r}.")
    if not str(folder).strip():
        raise DataError("Type the folder that holds your QCEW files in the LMI Review, then press Load.")
    path = Path(str(folder).strip()).expanduser()
    if not path.is_dir():
        raise DataError(f"The folder {path} does not exist or is not a folder. Check it in the LMI Review.")
    return _read_cached(path), None


def warm_example() -> bool:
    """Read the example region's files into the cache now, so the first page view does not wait.

    Returns True when they were read (False if the example files are missing or unreadable:
    the LMI Review then says so when it opens). Safe to call more than once.

    >>> warm_example()
    True
    """
    try:
        _read_cached(qcew.example_region_path())
    except (SectorkitError, OSError):
        return False
    return True
