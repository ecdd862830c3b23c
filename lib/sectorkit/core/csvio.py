"""Reading a user's CSV file safely: every problem a user can fix is a :class:`DataError`.

The loaders of labor-market data (:mod:`sectorkit.lmi.qcew`, :mod:`sectorkit.lmi.regions`,
:mod:`sectorkit.lmi.titles`) read a file with :func:`read_bytes` (plain or gzipped, never
empty or binary), look at its :func:`header`, :func:`check_columns` against what they need (with
a "did you mean" for a misspelt column), and turn a parser failure into :func:`parse_error`.

Examples
--------
>>> import tempfile, pathlib
>>> f = pathlib.Path(tempfile.mkdtemp()) / "counties.csv"
>>> _ = f.write_text("area_fips,county_nme\\n39049,Franklin\\n")
>>> raw = read_bytes(f)
>>> header(f, raw)
['area_fips', 'county_nme']
>>> check_columns(f, header(f, raw), ["area_fips", "county_name"], "a crosswalk")
Traceback (most recent call last):
...
sectorkit.core.errors.DataError: ...counties.csv: missing column(s) 'county_name' (found 'county_nme': rename it to 'county_name'?) for a crosswalk.
"""  # noqa: E501 - a doctest's expected line cannot wrap

from __future__ import annotations

import csv
import difflib
import gzip
import zlib
from collections.abc import Iterable
from pathlib import Path

from sectorkit.core.errors import DataError

__all__ = ["check_columns", "header", "parse_error", "read_bytes"]


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``, decompressed if gzipped.

    Parameters
    ----------
    path : pathlib.Path
        A CSV file, plain or gzipped (recognised by its first two bytes, not its name).

    Returns
    -------
    bytes
        The (decompressed) content, not empty.

    Raises
    ------
    sectorkit.core.errors.DataError
        Missing, a folder, unreadable, a broken gzip, empty, or binary (a NUL byte in the first
        64 KiB), each with what to do.

    Examples
    --------
    >>> import gzip, tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.csv.gz"
    >>> _ = f.write_bytes(gzip.compress(b"a,b\\n1,2\\n"))
    >>> read_bytes(f)
    b'a,b\\n1,2\\n'
    >>> read_bytes(f.parent / "nope.csv")
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.DataError: ...nope.csv: file not found. Check the path or download the file again.
    """
    if not path.exists():
        raise DataError(f"{path}: file not found. Check the path or download the file again.")
    if path.is_dir():
        raise DataError(f"{path}: is a folder; pass a CSV file or use read_area_files().")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror}).") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise DataError(
                f"{path}: looks gzipped but cannot be decompressed ({exc}). "
                "The download may be incomplete; fetch the file again."
            ) from None
    if not raw or raw.isspace():  # not raw.strip(): that copies the whole file
        raise DataError(f"{path}: the file is empty. Download it again or pick another file.")
    if b"\x00" in raw[:65536]:
        raise DataError(
            f"{path}: is a binary file, not a CSV text file. Export or download the data as CSV."
        )
    return raw


def header(path: Path, raw: bytes) -> list[str]:
    """The column names on the first line of ``raw`` (UTF-8, a BOM allowed), stripped.

    Raises
    ------
    sectorkit.core.errors.DataError
        When the first line is not UTF-8 text or not CSV.

    Examples
    --------
    >>> header(Path("x.csv"), b'\\xef\\xbb\\xbf area ,"b,c"\\r\\n1,2\\n')
    ['area', 'b,c']
    """
    first = raw.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(
            f"{path}: the header line is not UTF-8 text; is this really a CSV file?"
        ) from None
    try:
        return [c.strip() for c in next(csv.reader([text]))]
    except (csv.Error, StopIteration):
        raise DataError(f"{path}: the header line cannot be read as CSV.") from None


def check_columns(path: Path, header: list[str], required: Iterable[str], kind: str) -> None:
    """Raise unless every ``required`` column is in ``header``.

    Parameters
    ----------
    path : pathlib.Path
        Named in the message.
    header : list of str
        The file's columns (from :func:`header`).
    required : iterable of str
        The columns the caller needs.
    kind : str
        What the file should be, for the message (``"a BLS QCEW annual area file"``).

    Raises
    ------
    sectorkit.core.errors.DataError
        "does not look like <kind>" when no required column is there; otherwise the missing
        ones, each with the closest column found as a rename hint.

    Examples
    --------
    >>> check_columns(Path("x.csv"), ["a", "b"], ["a"], "a test file")
    >>> check_columns(Path("x.csv"), ["q", "r"], ["a", "b"], "a test file")
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.DataError: x.csv: does not look like a test file: none of the expected columns (a, b, ...) is in its header (q, r).
    """  # noqa: E501 - a doctest's expected line cannot wrap
    required = list(required)
    present = set(header)
    missing = [c for c in required if c not in present]
    if not missing:
        return
    if len(missing) == len(required):
        raise DataError(
            f"{path}: does not look like {kind}: none of the expected columns "
            f"({', '.join(required[:6])}, ...) is in its header "
            f"({', '.join(header[:6])}{', ...' if len(header) > 6 else ''})."
        )
    hints = []
    extra = [c for c in header if c not in set(required)]
    for c in missing:
        close = difflib.get_close_matches(c, extra, n=1, cutoff=0.6)
        hints.append(f"'{c}'" + (f" (found '{close[0]}': rename it to '{c}'?)" if close else ""))
    raise DataError(f"{path}: missing column(s) {', '.join(hints)} for {kind}.")


def parse_error(path: Path, exc: Exception) -> DataError:
    """A :class:`DataError` for a CSV parser's failure on ``path`` (its last message line kept).

    Returned, not raised, so the caller writes ``raise parse_error(path, exc) from None``.

    Examples
    --------
    >>> parse_error(Path("x.csv"), ValueError("Error tokenizing data.\\nExpected 3 fields in line 4, saw 5"))
    DataError('x.csv: cannot be parsed as CSV (Expected 3 fields in line 4, saw 5). Check the line named and fix it.')
    """  # noqa: E501 - a doctest's expected line cannot wrap
    msg = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    return DataError(f"{path}: cannot be parsed as CSV ({msg}). Check the line named and fix it.")
