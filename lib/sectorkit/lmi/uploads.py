"""BLS files a team uploads for its region: checked, unpacked and stored in the region's own folder.

A region's uploaded labor-market files live in ``<root>/<region>/lmi/`` (:func:`region_folder`,
:func:`folder_of`), beside its workspace, and nowhere else. :func:`store_upload` takes one uploaded
file as its name and bytes (what an ``ipywidgets.FileUpload`` gives) and stores what it holds:

- ``.csv``: stored as it is;
- ``.csv.gz`` / ``.gz``: decompressed to ``<name>.csv``;
- ``.zip`` (as BLS distributes them, e.g. ``2023_annual_by_area.zip``): every ``.csv`` member is
  extracted, folders inside the zip flattened (``2023.annual.by_area/x.csv`` becomes ``x.csv``);
  other members (a README, ``__MACOSX/`` resource forks) are skipped.

Safety: a file name is a name, never a path. A name with a folder in it (``a/b.csv``, ``../x.csv``,
``/etc/passwd``, ``C:\\x.csv``), a NUL or control character, ``..``, a leading dot or another
extension is refused with a message naming it; a zip member that climbs out of the zip (``../x.csv``,
an absolute path) refuses the whole zip. Sizes are bounded: the upload (:data:`MAX_UPLOAD_BYTES`),
what it unpacks to (:data:`MAX_UNPACKED_BYTES`, counted while decompressing, so a zip or gzip bomb
stops at the limit whatever its headers claim) and a zip's members (:data:`MAX_MEMBERS`).

Every stored CSV must read as a BLS QCEW annual area file (through
:func:`sectorkit.lmi.qcew.read_area_file`, the reader the screen uses) or as a crosswalk
(:func:`sectorkit.lmi.read_crosswalk`, stored as ``crosswalk.csv``); otherwise the upload is refused
with the file's name and what is wrong. Files are unpacked and checked in a hidden staging folder
inside the region's folder and only then renamed into place, so a refused or failed upload leaves
nothing behind.

>>> import gzip, tempfile
>>> from pathlib import Path
>>> from sectorkit.lmi import qcew
>>> folder = Path(tempfile.mkdtemp()) / "lakeside" / "lmi"
>>> src = sorted(qcew.example_region_path().glob("2023.*99001*.csv"))[0]
>>> [p.name for p in store_upload(folder, src.name + ".gz", gzip.compress(src.read_bytes()))] == [src.name]
True
>>> [p.name for p in list_uploads(folder)] == [src.name]
True
>>> store_upload(folder, "../notes.csv", b"x")
Traceback (most recent call last):
...
sectorkit.core.errors.DataError: The file name '../notes.csv' has a folder in it. Upload the file itself: its name must be a plain name such as 2023.annual.39049.csv.
>>> remove_upload(folder, src.name).name == src.name, list_uploads(folder)
(True, [])
"""  # noqa: E501 - a doctest's expected line cannot wrap

from __future__ import annotations

import gzip
import io
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Any, BinaryIO

from sectorkit.core.errors import DataError
from sectorkit.core.ids import validate_region_id
from sectorkit.lmi import qcew
from sectorkit.lmi.regions import read_crosswalk
from sectorkit.store.workspace import default_root

__all__ = ["CROSSWALK_NAME", "MAX_MEMBERS", "MAX_UNPACKED_BYTES", "MAX_UPLOAD_BYTES", "UPLOAD_TYPES", "check_name",
           "folder_of", "inside", "list_uploads", "region_folder", "remove_upload", "store_upload"]

#: the largest upload accepted (bytes, as uploaded)
MAX_UPLOAD_BYTES = 200 * 2**20
#: the most one upload may unpack to (bytes of CSV, all members of a zip together)
MAX_UNPACKED_BYTES = 2 * 2**30
#: the most entries a zip may hold (folders included)
MAX_MEMBERS = 5000
#: the extensions an upload may have (what the page's FileUpload accepts)
UPLOAD_TYPES = (".csv", ".gz", ".zip")
#: the name a crosswalk (area_fips -> region_id) is stored under
CROSSWALK_NAME = "crosswalk.csv"
#: the folder beside a region's workspace that holds its uploads
FOLDER_NAME = "lmi"

_CHUNK = 1 << 20
_EXAMPLE_NAME = "2023.annual.39049.csv"
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f:*?\"<>|]")


def region_folder(region: str, root: str | os.PathLike | None = None) -> Path:
    """The folder of ``region``'s uploaded files: ``<root>/<region>/lmi`` (not created here).

    ``root`` is the workspace root (default: ``SECTORKIT_HOME``, as for the workspace). Raises
    :class:`~sectorkit.core.errors.InvalidRegionId` for a region id that is not a slug.

    >>> region_folder("lakeside", "/srv/sectorkit").as_posix()
    '/srv/sectorkit/lakeside/lmi'
    >>> region_folder("../etc", "/srv/sectorkit")
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.InvalidRegionId: ...
    """
    base = Path(root).expanduser() if root is not None else default_root()
    return base / validate_region_id(region) / FOLDER_NAME


def folder_of(workspace: Any) -> Path:
    """The uploads folder of an open workspace (beside its ``workspace.sqlite``).

    >>> import tempfile
    >>> from sectorkit.store.workspace import Workspace
    >>> root = tempfile.mkdtemp()
    >>> folder_of(Workspace.open("lakeside", root)) == region_folder("lakeside", root)
    True
    """
    return Path(workspace.path).parent / FOLDER_NAME


def inside(path: str | os.PathLike, folders: list[Path]) -> bool:
    """True when ``path``, with every link and ``..`` resolved, is inside one of ``folders``.

    >>> inside("/srv/x/lmi/a.csv", [Path("/srv/x/lmi")]), inside("/srv/x/lmi/../../etc/passwd", [Path("/srv/x/lmi")])
    (True, False)
    """
    real = Path(path).resolve()
    return any(real.is_relative_to(Path(f).resolve()) for f in folders)


def check_name(name: object, kinds: tuple[str, ...] = UPLOAD_TYPES) -> str:
    """``name`` if it is a plain file name ending in one of ``kinds``; else a :class:`DataError`.

    Refused: a folder in it (``/`` or ``\\``), ``..``, a leading dot, a NUL or control character,
    ``: * ? " < > |``, an empty or overlong name, another extension. Case of the extension is ignored.

    >>> check_name("2023.annual 39049 Franklin County, Ohio.csv")
    '2023.annual 39049 Franklin County, Ohio.csv'
    >>> check_name("report.xlsx")
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.DataError: 'report.xlsx' is not a CSV, gzip or zip file. Upload the BLS files as .csv, .csv.gz or .zip.
    """  # noqa: E501 - a doctest's expected line cannot wrap
    text = name if isinstance(name, str) else repr(name)
    shown = text.replace("\x00", "\\0")
    if not isinstance(name, str) or not name.strip():
        raise DataError("An uploaded file has no name. Upload it again.")
    if "/" in name or "\\" in name:
        raise DataError(f"The file name '{shown}' has a folder in it. Upload the file itself: its name must be a "
                        f"plain name such as {_EXAMPLE_NAME}.")
    if ".." in name or name.startswith(".") or _BAD_CHARS.search(name) or len(name) > 200 or name != name.strip():
        raise DataError(f"The file name '{shown}' is not allowed (no '..', no leading dot, no control or special "
                        f"characters, at most 200 characters). Rename the file, for example {_EXAMPLE_NAME}.")
    if not name.lower().endswith(kinds):
        raise DataError(f"'{shown}' is not a CSV, gzip or zip file. Upload the BLS files as .csv, .csv.gz or .zip.")
    return name


def list_uploads(folder: str | os.PathLike) -> list[Path]:
    """The CSV files stored in a region's uploads folder, by name (empty if there is no folder).

    The crosswalk (``crosswalk.csv``) is listed too; the hidden staging folders of uploads in
    progress are not.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir()
                   if f.name.lower().endswith(".csv") and not f.name.startswith(".") and f.is_file()
                   and not f.is_symlink()), key=lambda f: f.name)


def remove_upload(folder: str | os.PathLike, name: str) -> Path:
    """Delete the stored file ``name`` from the uploads ``folder``; returns its (former) path.

    Raises :class:`DataError` for a name that is not a plain ``.csv`` name or is not stored there.
    """
    folder = Path(folder)
    target = folder / check_name(name, (".csv",))
    if not target.is_file() or target.is_symlink() or not inside(target, [folder]):
        raise DataError(f"There is no uploaded file named '{name}' for this region.")
    target.unlink()
    return target


# --------------------------------------------------------------------------- storing
def store_upload(folder: str | os.PathLike, name: str, data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES,
                 max_unpacked: int = MAX_UNPACKED_BYTES, max_members: int = MAX_MEMBERS) -> list[Path]:
    """Check one uploaded file and store the CSV files it holds in the region's ``folder``.

    Parameters
    ----------
    folder : path
        The region's uploads folder (:func:`region_folder`); created if missing.
    name : str
        The file's name as uploaded: a plain name ending in ``.csv``, ``.gz`` or ``.zip``.
    data : bytes
        The file's content (a ``memoryview`` is fine).
    max_bytes, max_unpacked, max_members : int
        Limits: the upload's size, the bytes it may unpack to, a zip's entries.

    Returns
    -------
    list of pathlib.Path
        The stored CSV files, by name. A file of the same name is replaced.

    Raises
    ------
    DataError
        A bad name, a file over a limit, a broken gzip or zip, a zip member reaching outside the
        zip, no CSV in a zip, or a CSV that is neither a QCEW annual area file nor a crosswalk
        (the message names the file and says why). Nothing is stored then.
    """
    name = check_name(name)
    size = len(data)
    if size > max_bytes:
        raise DataError(f"'{name}' is {_mb(size)}; the limit is {_mb(max_bytes)} per upload. Upload fewer "
                        "counties or years at a time.")
    if size == 0:
        raise DataError(f"'{name}' is empty. Download it again.")
    folder = Path(folder)
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=folder))
    try:
        staged = _unpack(staging, name, bytes(data), max_unpacked, max_members)
        checked = [(f, _check(f, shown)) for f, shown in staged]
        return _move_into_place(folder, checked)
    except BaseException:
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _mb(n: int) -> str:
    return f"{n / 2**20:,.1f} MB"


def _unpack(staging: Path, name: str, data: bytes, limit: int, max_members: int) -> list[tuple[Path, str]]:
    """Write the upload's CSV files into ``staging``: [(staged file, name shown in messages)]."""
    low = name.lower()
    if low.endswith(".zip"):
        return _unzip(staging, name, data, limit, max_members)
    if low.endswith(".gz"):
        target = _csv_name(name[:-7] if low.endswith(".csv.gz") else name[:-3])
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as src:
                _copy_limited(src, staging / target, limit, name)
        except (OSError, EOFError, zlib.error) as exc:
            raise DataError(f"'{name}' is not a readable gzip file ({exc}). Download it again.") from None
        return [(staging / target, target)]
    target = _csv_name(name[:-4])
    _copy_limited(io.BytesIO(data), staging / target, limit, name)
    return [(staging / target, name)]


def _csv_name(stem: str) -> str:
    """``<stem>.csv`` (the extension in lower case, as the QCEW reader looks for it), checked."""
    return check_name(stem + ".csv", (".csv",))


def _unzip(staging: Path, name: str, data: bytes, limit: int, max_members: int) -> list[tuple[Path, str]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise DataError(f"'{name}' is not a readable zip file ({exc}). Download it again.") from None
    with zf:
        members = zf.infolist()
        if len(members) > max_members:
            raise DataError(f"'{name}' holds {len(members):,} entries; the limit is {max_members:,}. "
                            "Zip fewer files together.")
        if sum(m.file_size for m in members) > limit:
            raise DataError(f"'{name}' unpacks to more than {_mb(limit)}, the limit for one upload. "
                            "Upload the files for your counties only.")
        picked: dict[str, zipfile.ZipInfo] = {}
        for m in members:
            parts = m.filename.replace("\\", "/").split("/")
            if m.filename.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", m.filename):
                raise DataError(f"'{name}' holds '{m.filename}', which reaches outside the zip. Nothing was "
                                "stored; zip the files themselves.")
            base = parts[-1]
            if m.is_dir() or not base or "__MACOSX" in parts or base.startswith(".") \
                    or not base.lower().endswith(".csv"):
                continue  # folders, resource forks, READMEs: not data
            try:
                base = _csv_name(base[:-4])
            except DataError as exc:
                raise DataError(f"In '{name}': {exc}") from None
            if base in picked:
                raise DataError(f"'{name}' holds two files named '{base}' ({picked[base].filename} and "
                                f"{m.filename}). Keep one of them.")
            picked[base] = m
        if not picked:
            raise DataError(f"'{name}' holds no .csv file. Upload the BLS annual area files (.csv) or their zip.")
        out, left = [], limit
        for base, m in sorted(picked.items()):
            try:
                with zf.open(m) as src:
                    left -= _copy_limited(src, staging / base, left, name)
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, zlib.error, NotImplementedError) as exc:
                raise DataError(f"'{m.filename}' in '{name}' cannot be unpacked ({exc}). Download the zip "
                                "again.") from None
            out.append((staging / base, base))
        return out


def _copy_limited(src: BinaryIO, target: Path, limit: int, name: str) -> int:
    """Copy ``src`` to ``target``, stopping with a :class:`DataError` past ``limit`` bytes; returns the bytes."""
    n = 0
    with open(target, "wb") as out:
        while chunk := src.read(_CHUNK):
            n += len(chunk)
            if n > limit:
                raise DataError(f"'{name}' unpacks to more than {_mb(limit)}, the limit for one upload. "
                                "Upload the files for your counties only.")
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return n


def _check(path: Path, shown: str) -> str:
    """The stored name of a staged CSV: itself if it reads as a QCEW area file, crosswalk.csv for a crosswalk."""
    try:
        qcew.read_area_file(path)
        if path.name.lower() == CROSSWALK_NAME:
            raise DataError(f"'{shown}' is a QCEW file named like the crosswalk. Rename it.")
        return path.name
    except DataError as area_problem:
        problem = str(area_problem).replace(str(path), f"'{shown}'")
    try:
        head = path.open("rb").readline(65536)
    except OSError:
        head = b""
    if b"region_id" in head and b"area_fips" in head:
        try:
            read_crosswalk(path)
        except DataError as exc:
            raise DataError(str(exc).replace(str(path), f"'{shown}'")) from None
        return CROSSWALK_NAME
    if f"'{shown}'" not in problem:
        problem = f"'{shown}' is not a BLS QCEW annual area file: {problem}"
    raise DataError(f"{problem} Nothing was stored from this upload.")


def _move_into_place(folder: Path, checked: list[tuple[Path, str]]) -> list[Path]:
    names = [n for _, n in checked]
    if names.count(CROSSWALK_NAME) > 1:
        raise DataError("The upload holds more than one crosswalk (a file with area_fips and region_id "
                        "columns). Upload one.")
    moved: list[Path] = []
    try:
        for staged, stored in checked:
            target = folder / stored
            if target.is_symlink() or target.is_dir():
                raise DataError(f"'{stored}' cannot replace what is stored under that name. Rename the file.")
            os.replace(staged, target)
            moved.append(target)
    except BaseException:
        for target in moved:  # a failure half way: take back this upload's files
            target.unlink(missing_ok=True)
        raise
    return sorted(moved, key=lambda p: p.name)
