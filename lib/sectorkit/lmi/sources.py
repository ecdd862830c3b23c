"""Where the LMI Review's data comes from, and the only folders it may read.

Three data sources, each a folder sectorkit chose, never one a user typed:

- ``"example"`` (:data:`EXAMPLE`): the bundled illustrative region (``data/example_region``);
- ``"uploads"`` (:data:`UPLOADS`): the BLS files uploaded for the region, in its own folder
  ``<root>/<region>/lmi/`` (:mod:`sectorkit.lmi.uploads`; the caller passes that folder as a
  :class:`~pathlib.Path`, :func:`sectorkit.lmi.uploads.folder_of` of the workspace);
- ``"server"`` (:data:`SERVER`): a folder the server's administrator set up with the environment
  variable ``SECTORKIT_LMI_DIR`` (shown to users by ``SECTORKIT_LMI_LABEL``, never by its path);
- ``"bls"`` (:data:`BLS`): the BLS open-data files downloaded by county into the user's cache
  ``<root>/.cache/bls/<year>/<area>.csv`` (:mod:`sectorkit.lmi.fetch`; the caller passes the region's
  uploads folder, from which the root is taken); only the region's counties and the nation are read.

Every file read must resolve (links and ``..`` followed) inside one of those folders, else it is
refused with a message. The old ``"folder"`` source (a path typed in the page) is refused with a
note asking to upload the files; a saved setting can never name a folder, because the uploads
folder is only accepted as a ``Path`` from code, and settings are JSON.

:func:`load_source` turns a source choice (as the LMI Review saves it) into the QCEW frame and the
:class:`~sectorkit.lmi.measures.Region`; the report reads the same saved choice through it. Folders
are parsed once per content (:mod:`sectorkit.lmi.cache`: in the kernel, and on disk in the user's
cache, keyed by the files' bytes and the folder), so changing years, weights or counties never
re-parses files. :func:`warm_example` reads the example ahead of time (a preheated Voila kernel
calls it while it waits for its request).

Record kinds the LMI Review saves in a workspace:

- ``sector_choice`` (:data:`CHOICE_KIND`), key: the industry code; value: ``decision``
  (``shortlist``, ``maybe``, ``not-now`` or None), ``note``, ``title``, ``naics_digits``, ``saved_at``;
- ``lmi_settings`` (:data:`SETTINGS_KIND`), key ``current`` (:data:`SETTINGS_KEY`): ``source``,
  ``counties``, ``start_year``, ``end_year``, ``own_code``, ``naics_digits``, ``weights``, ``saved_at``,
  ``bls`` (the BLS county picker as last fetched: ``state``, ``counties``, ``first_year``, ``last_year``; or None)
  (older records may hold ``folder`` and ``crosswalk`` paths: they are never read).

>>> data, region = load_source("example")
>>> region.region_id, sorted(data["year"].unique().tolist())[:2]
('RIVERBEND4', [2020, 2021])
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from sectorkit.core.errors import DataError, SectorkitError
from sectorkit.lmi import cache as lmi_cache
from sectorkit.lmi import measures as lmi
from sectorkit.lmi import qcew
from sectorkit.lmi.fetch import cache_folder, cached_counties, load_cached
from sectorkit.lmi.uploads import CROSSWALK_NAME, FOLDER_NAME, inside

__all__ = ["BLS", "CHOICE_KIND", "EXAMPLE", "SERVER", "SETTINGS_KEY", "SETTINGS_KIND", "UPLOAD_NOTE", "UPLOADS",
           "load_source", "parse_counties", "server_folder", "server_label", "source_data", "source_folder",
           "warm_example"]

CHOICE_KIND = "sector_choice"
SETTINGS_KIND = "lmi_settings"
SETTINGS_KEY = "current"
EXAMPLE, UPLOADS, SERVER = "example", "uploads", "server"
BLS = "bls"
#: what an old saved choice of a typed folder path is told
UPLOAD_NOTE = ("The LMI Review no longer reads a folder typed as a path on the server. Upload your BLS files "
               "on the LMI Review page (Files uploaded for this region), then press Use these files.")
DEFAULT_SERVER_LABEL = "Data folder set up on this server"


def server_folder() -> Path | None:
    """The administrator's data folder (``SECTORKIT_LMI_DIR``), or None when it is not set.

    >>> server_folder() == (Path(os.environ["SECTORKIT_LMI_DIR"]) if os.environ.get("SECTORKIT_LMI_DIR") else None)
    True
    """
    env = os.environ.get("SECTORKIT_LMI_DIR", "").strip()
    return Path(env).expanduser() if env else None


def server_label() -> str | None:
    """How users see the administrator's folder (``SECTORKIT_LMI_LABEL``, or a default); None if unset."""
    if server_folder() is None:
        return None
    return os.environ.get("SECTORKIT_LMI_LABEL", "").strip() or DEFAULT_SERVER_LABEL


def source_folder(source: str, folder: Path | None = None) -> Path:
    """The folder a data source reads: the example's, the region's uploads folder, or the server's.

    Parameters
    ----------
    source : {"example", "uploads", "server", "bls"}
    folder : pathlib.Path, optional
        The region's uploads folder (``source="uploads"`` only; from
        :func:`sectorkit.lmi.uploads.folder_of`). A string (a saved or typed path) is refused.

    Raises
    ------
    DataError
        An unknown or retired source, a missing uploads folder, a server folder that is not set.

    >>> source_folder("example").name
    'example_region'
    >>> source_folder("uploads", "/etc")
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.DataError: The region's uploads folder was not given; a folder cannot be named by a path.
    """
    if source == EXAMPLE:
        return qcew.example_region_path()
    if source == UPLOADS:
        if not isinstance(folder, Path) or folder.name != FOLDER_NAME:
            raise DataError("The region's uploads folder was not given; a folder cannot be named by a path.")
        if folder.is_symlink():
            raise DataError("The region's uploads folder is a link; it cannot be read.")
        return folder
    if source == BLS:  # the user's download cache, beside the region folders
        if not isinstance(folder, Path) or folder.name != FOLDER_NAME:
            raise DataError("The region's uploads folder was not given; a folder cannot be named by a path.")
        return cache_folder(folder.parent.parent)
    if source == SERVER:
        path = server_folder()
        if path is None:
            raise DataError("This server has no data folder set up. Upload your BLS files for the region instead.")
        return path
    if source == "folder":
        raise DataError(UPLOAD_NOTE)
    raise DataError(f"Unknown data source {source!r}.")


def _read_cached(folder: Path, source: str = "") -> pd.DataFrame:
    """The folder's tidy frame, parsed once per content (:func:`sectorkit.lmi.cache.read_folder`).

    Kept in the kernel; on disk too, in the cache of the workspace root the folder belongs to (a
    region's uploads ``<root>/<region>/lmi`` and the BLS downloads ``<root>/.cache/bls``: that root;
    the server's folder: ``SECTORKIT_HOME``). The example is kept in memory only.
    """
    if source == EXAMPLE or folder == qcew.example_region_path():
        return lmi_cache.read_folder(folder, cache_dir=False)
    where = lmi_cache.default_dir(folder.parent.parent) if source in (UPLOADS, BLS) else None
    return lmi_cache.read_folder(folder, cache_dir=where)


def _read_source(source: str, folder: Path | None) -> tuple[pd.DataFrame, Path]:
    """The data of a source's folder, after checking that every file in it stays inside it."""
    path = source_folder(source, folder)
    if source == EXAMPLE:
        return _read_cached(path), path
    where = "uploaded for this region" if source == UPLOADS else f"in the {server_label()}"
    if not path.is_dir() or not any(f.name.lower().endswith((".csv", ".gz", ".zip")) and f.name != CROSSWALK_NAME
                                    for f in path.iterdir()):
        raise DataError(f"No BLS files are {where} yet. Upload the annual area files of your counties "
                        "(.csv, .csv.gz or the BLS zip), then press Use these files."
                        if source == UPLOADS else f"No BLS files are {where}. Ask the server's administrator.")
    outside = [f.name for f in path.iterdir() if not inside(f, [path])]
    if outside:
        raise DataError(f"'{outside[0]}' {where} links outside its folder; it cannot be read.")
    try:
        return _read_cached(path, source), path
    except DataError as exc:  # name files, not the server's paths
        raise DataError(str(exc).replace(f"{path}{os.sep}", "").replace(str(path), "the folder")) from None


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
                        "(for example 39041, 39049), or upload a crosswalk and give its region id.")
    bad = [t for t in items if not re.fullmatch(r"\d{4,5}", t)]
    if bad:
        raise DataError(f"'{bad[0]}' is not a county FIPS code. Use 5 digits, for example 39049.")
    return [t.zfill(5) for t in items]


def _crosswalk(folder: Path, crosswalk: str = "") -> Path | None:
    """The crosswalk of a source folder: ``crosswalk`` (a name in it) or its ``crosswalk.csv``; None if none."""
    cw = folder / (str(crosswalk).strip() or CROSSWALK_NAME)
    if not inside(cw, [folder]):
        raise DataError(f"The crosswalk '{crosswalk}' is outside the data folder; upload the crosswalk instead.")
    return cw if cw.is_file() else None


def load_source(source: str, folder: Path | None = None, counties: str = "", crosswalk: str = ""
                ) -> tuple[pd.DataFrame, lmi.Region]:
    """The QCEW data and the region for a data-source choice.

    Parameters
    ----------
    source : {"example", "uploads", "server", "bls"}
        The bundled illustrative region, the files uploaded for the region, or the server's folder
        (see the module docstring). ``"folder"`` (retired) raises with :data:`UPLOAD_NOTE`.
    folder : pathlib.Path, optional
        The region's uploads folder, for ``source="uploads"``; ignored otherwise.
    counties : str
        Comma-separated county FIPS codes, or a ``region_id`` of the source's crosswalk
        (``crosswalk.csv`` in its folder). With ``source="example"``: empty for the whole example
        region, or some of its counties (a saved footprint).
    crosswalk : str
        A crosswalk's file name inside the source's folder (default ``crosswalk.csv``); a path
        outside the folder is refused.

    Returns
    -------
    (pandas.DataFrame, Region)
        The tidy QCEW frame of every file in the folder (see :func:`sectorkit.lmi.qcew.read_area_files`)
        and the region (its counties, name and id).

    Raises
    ------
    DataError
        With a message a user can act on (no files uploaded, a bad file, an unknown county, a path).

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
    >>> load_source("folder", "/etc")
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.DataError: The LMI Review no longer reads a folder typed as a path on the server. ...
    """
    if source == EXAMPLE:
        path = qcew.example_region_path()
        data = _read_cached(path)
        cw = path / CROSSWALK_NAME
        if not counties.strip():
            return data, lmi.Region.from_crosswalk(cw, lmi.read_crosswalk(cw)["region_id"].iloc[0])
        fips = parse_counties(counties)  # a footprint: some of the example's counties
        return data, _check_counties(data, lmi.Region.from_counties(fips, name=_counties_name(fips)))
    path = source_folder(source, folder)
    if source == BLS:
        return load_cached(parse_counties(counties) if counties.strip() else [], path)
    cw = _crosswalk(path, crosswalk) if path.is_dir() else None
    if counties.strip() and not _is_fips_list(counties) and cw is not None:
        region = lmi.Region.from_crosswalk(cw, counties.strip())
    else:
        fips = parse_counties(counties)
        region = lmi.Region.from_counties(fips, name=_counties_name(fips))
    data, _ = _read_source(source, folder)
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


def source_data(source: str, folder: Path | None = None) -> tuple[pd.DataFrame, Path | None]:
    """Every county's data of a source (not only a region's), and the source's crosswalk file.

    Returns the tidy QCEW frame (read once per folder content, like :func:`load_source`) and the
    crosswalk path (the example's; an uploaded or server ``crosswalk.csv``; else None). ``folder``
    is the region's uploads folder as for :func:`load_source`. Raises :class:`DataError` like
    :func:`load_source`.

    >>> data, cw = source_data("example")
    >>> sorted(data["area_fips"].unique())[:2], cw.name
    (['99001', '99003'], 'crosswalk.csv')
    """
    if source == BLS:
        path = source_folder(source, folder)
        return load_cached(cached_counties(path), path)[0], None
    data, path = _read_source(source, folder)
    return data, _crosswalk(path)


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
