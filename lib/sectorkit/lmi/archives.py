"""Where QCEW rows come from: CSV files, gzipped files, zip archives (read in place) and folders.

BLS distributes QCEW as single CSV slices (``01001.csv``), folders of by-area CSVs
(``2023.annual 01001 Autauga County, Alabama.csv``) and zip archives of either
(``2023_annual_by_area.zip``, ``2023_annual_singlefile.zip``). :func:`expand` turns a folder, a
file or a list of them into :class:`Source` objects, one per CSV (a zip archive gives one per CSV
member, read from inside the archive: nothing is extracted to disk). Each source reads its bytes
(small files) or opens a stream (large ones, read in chunks).

Examples
--------
>>> import tempfile, zipfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with zipfile.ZipFile(folder / "2023_annual_by_area.zip", "w") as z:
...     z.writestr("2023.annual.by_area/2023.annual 01001 Autauga County, Alabama.csv", "a,b\\n1,2\\n")
>>> [s.name for s in expand(folder)]
['2023.annual 01001 Autauga County, Alabama.csv']
>>> expand(folder)[0].read_bytes()
b'a,b\\n1,2\\n'
"""

from __future__ import annotations

import gzip
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from sectorkit.core import csvio
from sectorkit.core.errors import DataError

__all__ = ["Source", "expand", "is_data_name", "name_area_code"]

_BROKEN = (OSError, EOFError, zlib.error, zipfile.BadZipFile, NotImplementedError, RuntimeError)
# by-area file names: "<year>.annual <area code> <area title>.csv" (also "<year>.q1-q4 ...")
_BY_AREA_NAME = re.compile(r"(?:19|20)\d{2}\.(?:annual|q[1-4](?:-q[1-4])?) (\S+) (\D.*)\.csv", re.I)


def is_data_name(name: str) -> bool:
    """True for a file name that may hold QCEW rows (``.csv``, ``.csv.gz``, ``.zip``), not a title
    table, a crosswalk or a system file.

    Examples
    --------
    >>> [is_data_name(n) for n in ("2023.annual.01001.csv", "x.CSV.GZ", "area_titles.csv",
    ...                            "crosswalk.csv", "._2023.csv", "notes.txt")]
    [True, True, False, False, False, False]
    """
    low = name.lower()
    if low.startswith(("._", "~$", ".~")) or "title" in low or low == "crosswalk.csv":
        return False
    return low.endswith((".csv", ".csv.gz", ".zip"))


def name_area_code(name: str) -> str | None:
    """The area code a BLS by-area file name carries (``2023.annual 01001 Autauga County, ...``).

    None for other names (API slices, industry files, single files), whose rows are read to find
    their areas.

    Examples
    --------
    >>> name_area_code("2023.annual 01001 Autauga County, Alabama.csv")
    '01001'
    >>> name_area_code("2023.annual 31111 NAICS 31111 Animal food manufacturing.csv") is None
    True
    """
    m = _BY_AREA_NAME.fullmatch(PurePosixPath(name).name)
    if not m or m.group(2).upper().startswith("NAICS"):
        return None
    code = m.group(1).upper()
    if code.isdigit():
        return code.zfill(5) if len(code) in (4, 5) else None
    return code if re.fullmatch(r"US\w{3}|CS\d{3}|C\w{4}", code) else None


@dataclass(frozen=True)
class Source:
    """One CSV of QCEW rows: a file (plain or gzipped) or a member of a zip archive.

    Attributes
    ----------
    path : pathlib.Path
        The file on disk (the archive, for a member).
    member : str or None
        The member's name inside the zip archive.
    """

    path: Path
    member: str | None = None

    @property
    def name(self) -> str:
        """The CSV's own file name (a member's base name), used for the year in the name."""
        return PurePosixPath(self.member).name if self.member else self.path.name

    @property
    def label(self) -> str:
        """How messages name the source: the path, and the member inside an archive."""
        return f"{self.path} (in the archive: {self.member})" if self.member else str(self.path)

    def size(self) -> int:
        """Size of the CSV text in bytes (after decompression; best effort for gzip)."""
        try:
            if self.member:
                with zipfile.ZipFile(self.path) as z:
                    return z.getinfo(self.member).file_size
            n = self.path.stat().st_size
            with self.path.open("rb") as f:
                if f.read(2) != b"\x1f\x8b" or n < 18:
                    return n
                f.seek(-4, io.SEEK_END)
                return max(int.from_bytes(f.read(4), "little"), n)  # ISIZE, modulo 4 GiB
        except (OSError, KeyError, zipfile.BadZipFile):
            return 0

    def read_bytes(self) -> bytes:
        """The CSV's bytes, decompressed, never empty or binary.

        Raises
        ------
        DataError
            Missing or unreadable file, a broken gzip or zip, an empty or a binary file.
        """
        if not self.member:
            return csvio.read_bytes(self.path)
        try:
            with zipfile.ZipFile(self.path) as z:
                raw = z.read(self.member)
        except _BROKEN as exc:
            raise _broken(self, exc) from None
        if raw[:2] == b"\x1f\x8b":
            try:
                raw = gzip.decompress(raw)
            except _BROKEN as exc:
                raise _broken(self, exc) from None
        if not raw.strip():
            raise DataError(f"{self.label}: the file is empty. Download it again or pick another file.")
        if b"\x00" in raw[:65536]:
            raise DataError(f"{self.label}: is a binary file, not a CSV text file. Export or download "
                            "the data as CSV.")
        return raw

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """A binary stream of the CSV text (decompressed as it is read), for large files."""
        try:
            if self.member:
                with zipfile.ZipFile(self.path) as z, z.open(self.member) as f:
                    yield f
            else:
                with self.path.open("rb") as raw:
                    gz = raw.read(2) == b"\x1f\x8b"
                    raw.seek(0)
                    if gz:
                        with gzip.open(raw, "rb") as f:
                            yield f
                    else:
                        yield raw
        except DataError:
            raise
        except _BROKEN as exc:
            raise _broken(self, exc) from None


def _broken(src: Source, exc: BaseException) -> DataError:
    if isinstance(exc, NotImplementedError):
        return DataError(f"{src.label}: the archive uses a compression method Python cannot read ({exc}). "
                         "Download it again from BLS, or unzip it and give the CSV files.")
    return DataError(f"{src.label}: cannot be read or decompressed ({exc.__class__.__name__}: {exc}). "
                     "The download may be incomplete; fetch the file again.")


def _zip_members(path: Path) -> list[Source]:
    try:
        with zipfile.ZipFile(path) as z:
            names = [i.filename for i in z.infolist() if not i.is_dir()]
    except (OSError, zipfile.BadZipFile) as exc:
        raise DataError(f"{path}: is not a readable zip archive ({exc}). Download it again.") from None
    members = sorted(n for n in names if not n.startswith("__MACOSX/")
                     and is_data_name(PurePosixPath(n).name) and not n.lower().endswith(".zip"))
    if not members:
        raise DataError(f"{path}: the zip archive holds no .csv files. Is it a BLS QCEW download?")
    return [Source(path, m) for m in members]


def _one(path: Path) -> list[Source]:
    if path.is_dir():
        files = sorted(f for f in path.iterdir() if f.is_file() and is_data_name(f.name))
        if not files:
            raise DataError(f"{path}: the folder holds no .csv, .csv.gz or .zip files.")
        return [s for f in files for s in _one(f)]
    if path.name.lower().endswith(".zip") and path.is_file():
        return _zip_members(path)
    return [Source(path)]


def expand(paths: str | Path | Iterable[str | Path]) -> list[Source]:
    """The CSV sources behind a folder, a file, a zip archive, or a list of them.

    Parameters
    ----------
    paths : str, Path or iterable of them
        A folder (every ``.csv``, ``.csv.gz`` and ``.zip`` in it except title tables and
        ``crosswalk.csv``), a file, or a list of files and folders.

    Returns
    -------
    list of Source
        In order; a zip archive contributes each CSV member (title tables skipped).

    Raises
    ------
    DataError
        No files given, an empty folder, an unreadable archive or one without CSV files.

    Examples
    --------
    >>> expand([])
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.DataError: No files given: pass a folder or a list of QCEW files.
    """
    if isinstance(paths, (str, Path)):
        return _one(Path(paths))
    out = [s for p in paths for s in _one(Path(p))]
    if not out:
        raise DataError("No files given: pass a folder or a list of QCEW files.")
    return out
