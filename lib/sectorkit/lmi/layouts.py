"""Recognising the BLS QCEW CSV layouts and reading them into one set of column names.

BLS publishes the same figures in several layouts. All of them are read here:

* **API slices** (``data.bls.gov/cew/data/api/<year>/a/area/<code>.csv``, and the industry slices
  ``.../a/industry/<code>.csv``) and the **annual single file** (``<year>.annual.singlefile.csv``):
  38 columns, ``annual_avg_estabs``;
* **by-area** and **by-industry** files (``<year>.annual 01001 Autauga County, Alabama.csv``):
  quoted values, title columns (``area_title``, ``own_title``, ``industry_title``,
  ``agglvl_title``, ``size_title``) and ``_count`` names (``annual_avg_estabs_count``);
* **quarterly** files of either kind (``qtrly_estabs``, ``month1_emplvl`` ...), whose four
  quarters are turned into annual averages by :func:`quarters_to_annual`.

Column names are compared after :func:`canonical` (trimmed, lower case, ``_estabs_count`` ->
``_estabs``), so a file re-saved by a spreadsheet with other capitals, quotes or column order reads
the same. Location-quotient and over-the-year columns are optional.

Examples
--------
>>> lay = recognise("f.csv", ["Area_FIPS", "own_code", "industry_code", "agglvl_code", "size_code",
...     "year", "qtr", "disclosure_code", "area_title", "annual_avg_estabs_count", "annual_avg_emplvl",
...     "total_annual_wages", "avg_annual_pay"])
>>> lay.kind, lay.names["annual_avg_estabs_count"], lay.titles
('annual', 'annual_avg_estabs', ('area_title',))
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, Callable

import numpy as np
import pandas as pd

from sectorkit.core import csvio
from sectorkit.core.errors import DataError

__all__ = ["ANNUAL_COLUMNS", "AREA_FILE_COLUMNS", "CheckedStream", "Layout", "QUARTERLY_COLUMNS", "canonical",
           "field_count_error", "parse", "recognise", "text_encoding"]

#: The 38 columns of a BLS QCEW annual area file (API slice, single file), in the official order.
AREA_FILE_COLUMNS: tuple[str, ...] = (
    "area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year",
    "qtr", "disclosure_code", "annual_avg_estabs", "annual_avg_emplvl",
    "total_annual_wages", "taxable_annual_wages", "annual_contributions",
    "annual_avg_wkly_wage", "avg_annual_pay", "lq_disclosure_code",
    "lq_annual_avg_estabs", "lq_annual_avg_emplvl", "lq_total_annual_wages",
    "lq_taxable_annual_wages", "lq_annual_contributions", "lq_annual_avg_wkly_wage",
    "lq_avg_annual_pay", "oty_disclosure_code", "oty_annual_avg_estabs_chg",
    "oty_annual_avg_estabs_pct_chg", "oty_annual_avg_emplvl_chg",
    "oty_annual_avg_emplvl_pct_chg", "oty_total_annual_wages_chg",
    "oty_total_annual_wages_pct_chg", "oty_taxable_annual_wages_chg",
    "oty_taxable_annual_wages_pct_chg", "oty_annual_contributions_chg",
    "oty_annual_contributions_pct_chg", "oty_annual_avg_wkly_wage_chg",
    "oty_annual_avg_wkly_wage_pct_chg", "oty_avg_annual_pay_chg",
    "oty_avg_annual_pay_pct_chg",
)

TEXT_COLS = ("area_fips", "industry_code", "qtr", "disclosure_code")
KEY_NUM_COLS = ("own_code", "agglvl_code", "size_code", "year")
#: the annual figures read (required), and the optional published LQ / over-the-year columns
VALUE_COLS = ("annual_avg_estabs", "annual_avg_emplvl", "total_annual_wages", "avg_annual_pay")
OPTIONAL_TEXT = ("lq_disclosure_code", "oty_disclosure_code")
OPTIONAL_NUM = ("lq_annual_avg_emplvl", "oty_annual_avg_emplvl_chg", "oty_annual_avg_emplvl_pct_chg",
                "oty_total_annual_wages_pct_chg")
#: Columns an annual file must have (canonical names).
ANNUAL_COLUMNS: tuple[str, ...] = TEXT_COLS + KEY_NUM_COLS + VALUE_COLS
Q_VALUE_COLS = ("qtrly_estabs", "month1_emplvl", "month2_emplvl", "month3_emplvl", "total_qtrly_wages")
#: Columns a quarterly file must have (canonical names).
QUARTERLY_COLUMNS: tuple[str, ...] = TEXT_COLS + KEY_NUM_COLS + Q_VALUE_COLS
TITLE_COLS = ("area_title", "own_title", "industry_title", "agglvl_title", "size_title")
_KIND = "a BLS QCEW file (area or industry slice, by-area file or single file)"
CHUNK_ROWS = 250_000


def canonical(name: str) -> str:
    """A column name as this module knows it: trimmed, lower case, ``_estabs_count`` -> ``_estabs``.

    Examples
    --------
    >>> canonical(' Annual_Avg_Estabs_Count '), canonical("oty_annual_avg_estabs_count_pct_chg")
    ('annual_avg_estabs', 'oty_annual_avg_estabs_pct_chg')
    """
    c = re.sub(r"[\s\-]+", "_", name.strip().strip('"').lower())
    return c.replace("_estabs_count", "_estabs")


@dataclass(frozen=True)
class Layout:
    """How one file's columns map onto the canonical names.

    Attributes
    ----------
    kind : {"annual", "quarterly"}
    ncols : int
        The number of columns of the header (every line must have as many fields).
    names : dict
        The file's column name -> canonical name, for the columns read.
    titles : tuple of str
        The title columns the file has (``area_title`` ...), by canonical name.
    """

    kind: str
    names: dict[str, str] = field(default_factory=dict)
    titles: tuple[str, ...] = ()
    ncols: int = 0

    @property
    def usecols(self) -> list[str]:
        return list(self.names)

    @property
    def dtypes(self) -> dict[str, object]:
        text = set(TEXT_COLS + OPTIONAL_TEXT + TITLE_COLS)  # object: no conversion to pandas' str dtype
        return {k: (object if v in text else "float64") for k, v in self.names.items()}

    @property
    def numeric(self) -> list[str]:
        """Canonical names of the numeric columns read."""
        return [v for v in self.names.values() if v not in set(TEXT_COLS + OPTIONAL_TEXT + TITLE_COLS)]

    def file_name(self, canonical_name: str) -> str:
        """The file's own name for a canonical column (for messages)."""
        return next((k for k, v in self.names.items() if v == canonical_name), canonical_name)


def recognise(label: str, header: list[str], want_titles: tuple[str, ...] = ("area_title",)) -> Layout:
    """The layout of a file from its header line.

    Parameters
    ----------
    label : str
        The file, for messages.
    header : list of str
        The column names on the first line.
    want_titles : tuple of str
        Title columns to read when present (default the area title).

    Raises
    ------
    DataError
        When the header is not a QCEW layout (naming the missing columns and a close match).

    Examples
    --------
    >>> recognise("q.csv", ["area_fips", "own_code", "industry_code", "agglvl_code", "size_code",
    ...     "year", "qtr", "disclosure_code", "qtrly_estabs", "month1_emplvl", "month2_emplvl",
    ...     "month3_emplvl", "total_qtrly_wages"]).kind
    'quarterly'
    """
    try:
        return _recognise_known(tuple(header), want_titles)
    except DataError:
        return _recognise(label, header, want_titles)


@lru_cache(maxsize=64)
def _recognise_known(header: tuple[str, ...], want_titles: tuple[str, ...]) -> Layout:
    """Headers repeat file after file: recognise each once (errors are raised again, with the file)."""
    return _recognise("", list(header), want_titles)


def _recognise(label: str, header: list[str], want_titles: tuple[str, ...]) -> Layout:
    canon = [canonical(c) for c in header]
    quarterly = "month1_emplvl" in canon and "annual_avg_emplvl" not in canon
    need = QUARTERLY_COLUMNS if quarterly else ANNUAL_COLUMNS
    csvio.check_columns(label, canon, need, _KIND)  # type: ignore[arg-type]
    wanted = set(need) | set(want_titles) | (set() if quarterly else set(OPTIONAL_TEXT + OPTIONAL_NUM))
    names: dict[str, str] = {}
    for orig, c in zip(header, canon):
        if c in wanted and c not in names.values():
            names[orig] = c
    titles = tuple(c for c in canon if c in TITLE_COLS)
    return Layout("quarterly" if quarterly else "annual", names, titles, len(header))


def text_encoding(raw: bytes) -> str:
    """``utf-8`` for ASCII or UTF-8 bytes, else ``cp1252`` (Windows; Latin-1 letters read the same).

    Examples
    --------
    >>> text_encoding("Doña".encode("utf-8")), text_encoding("Doña".encode("latin-1"))
    ('utf-8', 'cp1252')
    """
    if raw.isascii():
        return "utf-8"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _read_kwargs(layout: Layout, encoding: str = "utf-8") -> dict:
    return dict(usecols=layout.usecols, dtype=layout.dtypes, encoding=encoding, encoding_errors="replace",
                engine="c", skip_blank_lines=True)


def _parser_error(label: str, exc: Exception, layout: Layout, reopen: Callable[[], IO[bytes]]) -> DataError:
    if isinstance(exc, DataError):
        return exc
    if isinstance(exc, ValueError) and "Error tokenizing" not in str(exc) \
            and not isinstance(exc, pd.errors.ParserError):
        return _first_non_numeric(label, layout, reopen)
    return csvio.parse_error(label, exc)  # type: ignore[arg-type]


def _first_non_numeric(label: str, layout: Layout, reopen: Callable[[], IO[bytes]]) -> DataError:
    """Find the first cell of a numeric column that is not a number and describe it."""
    cols = [layout.file_name(c) for c in layout.numeric]
    try:
        with reopen() as f:
            for chunk in pd.read_csv(f, dtype=str, usecols=cols, keep_default_na=False, encoding="utf-8",
                                     encoding_errors="replace", chunksize=CHUNK_ROWS):
                for col in cols:
                    values = chunk[col].str.strip()
                    nums = pd.to_numeric(values.where(values != "", "0"), errors="coerce")
                    bad = nums.isna().to_numpy() | ~np.isfinite(nums.to_numpy(dtype="float64", na_value=np.nan))
                    if bad.any():
                        j = int(np.flatnonzero(bad)[0])
                        i = int(chunk.index[j])
                        return DataError(f"{label}: row {i + 1} (line {i + 2}), column '{col}': "
                                         f"'{chunk[col].iloc[j][:40]}' is not a number. Fix or remove that cell.")
    except DataError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - any parser failure is a data problem
        return csvio.parse_error(label, exc)  # type: ignore[arg-type]
    return DataError(f"{label}: a numeric column holds text; check the file.")


def parse(label: str, layout: Layout, open_stream: Callable[[], IO[bytes]],
          keep: Callable[[pd.Series], tuple[pd.Series, np.ndarray]] | None = None,
          chunk_rows: int | None = None, encoding: str = "utf-8") -> tuple[pd.DataFrame, np.ndarray]:
    """Read a file's rows in canonical column names, optionally in chunks keeping some rows only.

    Parameters
    ----------
    label : str
        The file, for messages.
    layout : Layout
        From :func:`recognise`.
    open_stream : callable
        Returns a context manager of a binary stream of the whole file (header included).
    keep : callable, optional
        Given a chunk's ``area_fips`` column, returns the normalised codes and a boolean mask of
        the rows to keep (the caller's area filter). Default: every row, codes as read.
    chunk_rows : int, optional
        Read this many rows at a time (bounded memory for a single file of millions of rows).
    encoding : str, default "utf-8"
        The text encoding (:func:`text_encoding`); bytes that do not decode are replaced (only
        title columns can hold letters).

    Returns
    -------
    (pandas.DataFrame, numpy.ndarray)
        The kept rows (canonical names) and each one's 0-based row number in the file.

    Raises
    ------
    DataError
        A line with the wrong number of fields, a number column holding text, a broken file.

    Examples
    --------
    >>> import io
    >>> text = b'"area_fips","own_code","industry_code","agglvl_code","size_code","year","qtr",' \\
    ...     b'"disclosure_code","annual_avg_estabs_count","annual_avg_emplvl","total_annual_wages",' \\
    ...     b'"avg_annual_pay"\\n"1001","0","10","70","0","2023","A","",9,"100",5000,50\\n'
    >>> lay = recognise("f.csv", csvio.header("f.csv", text))
    >>> df, rows = parse("f.csv", lay, lambda: io.BytesIO(text))
    >>> df[["area_fips", "annual_avg_estabs", "annual_avg_emplvl"]].values.tolist(), rows.tolist()
    ([['1001', 9.0, 100.0]], [0])
    """
    frames, rows = [], []
    try:
        with open_stream() as f:
            src = CheckedStream(f, label, layout.ncols) if chunk_rows and layout.ncols else f
            reader = pd.read_csv(src, chunksize=chunk_rows, **_read_kwargs(layout, encoding))
            for chunk in (reader if chunk_rows else [reader]):
                chunk = chunk.rename(columns=layout.names)
                idx = np.asarray(chunk.index, dtype="int64")
                if keep is not None and len(chunk):
                    codes, mask = keep(chunk["area_fips"])
                    chunk = chunk.assign(area_fips=codes)
                    if not mask.all():
                        chunk, idx = chunk[mask], idx[mask]
                frames.append(chunk)
                rows.append(idx)
    except Exception as exc:  # noqa: BLE001 - anything from the parser is bad input
        raise _parser_error(label, exc, layout, open_stream) from None
    df = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    return df.reset_index(drop=True), np.concatenate(rows) if rows else np.zeros(0, "int64")


_QUOTED = re.compile(rb'"[^"]*"')


def field_count_error(label: str, body: bytes, ncols: int, first_line: int = 2,
                      lines: int | None = None) -> DataError | None:
    """The error for the first line of ``body`` whose number of fields is not ``ncols``, or None.

    Commas inside quoted fields (``"Oak County, Example State"``) do not count; blank lines are
    ignored. A reader given column names silently drops extra fields, so this check is what keeps
    a shifted line from reading one column's value as another's.

    Examples
    --------
    >>> field_count_error("f.csv", b'1,"a, b",3\\n4,5,6,7\\n', 3)
    DataError('f.csv: line 3 has 4 fields but the header has 3. Fix or remove that line.')
    """
    lines = body.count(b"\n") if lines is None else lines
    if body.count(b",") == (ncols - 1) * lines:
        return None
    stripped = _QUOTED.sub(b"", body) if b'"' in body else body
    if stripped.count(b",") == (ncols - 1) * stripped.count(b"\n"):
        return None
    for n, line in enumerate(stripped.split(b"\n")):
        if line.strip() and line.count(b",") != ncols - 1:
            return DataError(f"{label}: line {first_line + n} has {line.count(b',') + 1} fields but the header "
                             f"has {ncols}. Fix or remove that line.")
    return None


class CheckedStream(io.RawIOBase):
    """A binary stream passing a CSV through while checking each line's number of fields.

    Lines are checked in blocks as the parser reads them (:func:`field_count_error`), so a file of
    millions of rows is checked without holding it in memory.
    """

    def __init__(self, raw: IO[bytes], label: str, ncols: int):
        self.raw, self.label, self.ncols = raw, label, ncols
        self.pending, self.line, self.in_header = b"", 1, True

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # noqa: ANN001 - a writable buffer
        data = self.raw.read(len(b))
        self._check(data, final=not data)
        b[:len(data)] = data
        return len(data)

    def _check(self, data: bytes, final: bool) -> None:
        buf = self.pending + data
        if self.in_header:
            i = buf.find(b"\n")
            if i < 0 and not final:
                self.pending = buf
                return
            self.in_header, buf, self.line = False, (buf[i + 1:] if i >= 0 else b""), 2
        cut = len(buf) if final else buf.rfind(b"\n") + 1
        block, self.pending = buf[:cut], buf[cut:]
        if block and not block.endswith(b"\n"):
            block += b"\n"
        err = field_count_error(self.label, block, self.ncols, self.line)
        if err is not None:
            raise err
        self.line += block.count(b"\n")


def bytes_opener(raw: bytes) -> Callable[[], IO[bytes]]:
    """An ``open_stream`` for :func:`parse` over bytes in memory."""
    return lambda: io.BytesIO(raw)
