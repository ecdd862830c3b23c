"""Read BLS QCEW annual area files (and a simple team template) into one tidy frame.

The Quarterly Census of Employment and Wages (QCEW) publishes, for every county,
an "area slice" CSV of annual averages with 38 columns (``area_fips, own_code,
industry_code, ...``). This module reads those files, plain or gzipped, checks
them, and returns a *tidy frame* with friendly column names (see
:data:`TIDY_COLUMNS`), one row per area, year, ownership and industry.

Suppressed cells (``disclosure_code == "N"``) are published by BLS as 0. Here
they become unknown: ``employment``, ``total_wages`` and ``avg_annual_pay`` are
NaN and ``suppressed`` is True. They are never treated as zero.

Every problem a user can fix raises :class:`sectorkit.core.errors.DataError` naming
the file, the row or column and what to do.

Examples
--------
>>> from sectorkit.lmi import qcew
>>> data = qcew.read_area_files(qcew.example_region_path())
>>> sorted(data["year"].unique().tolist())
[2020, 2021, 2022, 2023]
>>> bool(data["suppressed"].any())
True
"""

from __future__ import annotations

import csv
import io
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from sectorkit.core import csvio
from sectorkit.core.errors import DataError
from sectorkit.core.paths import data_dir
from sectorkit.lmi.titles import add_titles, industry_titles, ownership_titles  # noqa: F401 - re-exported

__all__ = [
    "AREA_FILE_COLUMNS",
    "TEMPLATE_COLUMNS",
    "TIDY_COLUMNS",
    "add_titles",
    "example_region_path",
    "industry_titles",
    "ownership_titles",
    "read_area_file",
    "read_area_files",
    "read_template",
    "write_template",
]

#: The 38 columns of a BLS QCEW annual area file, in the official order.
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

# Columns read from an area file, with the dtype pandas should parse them as.
_TEXT_COLS = ("area_fips", "industry_code", "qtr", "disclosure_code",
              "lq_disclosure_code", "oty_disclosure_code")
_KEY_NUM_COLS = ("own_code", "agglvl_code", "size_code", "year")
_VALUE_COLS = ("annual_avg_estabs", "annual_avg_emplvl", "total_annual_wages",
               "avg_annual_pay")
_OPTIONAL_NUM_COLS = ("lq_annual_avg_emplvl", "oty_annual_avg_emplvl_chg",
                      "oty_annual_avg_emplvl_pct_chg", "oty_total_annual_wages_pct_chg")
_USECOLS = _TEXT_COLS + _KEY_NUM_COLS + _VALUE_COLS + _OPTIONAL_NUM_COLS
_DTYPES = {c: str for c in _TEXT_COLS} | {c: "float64" for c in _USECOLS if c not in _TEXT_COLS}

#: Columns of the tidy frame every loader returns.
TIDY_COLUMNS: tuple[str, ...] = (
    "area_fips", "year", "own_code", "industry_code", "agglvl_code", "naics_digits",
    "suppressed", "establishments", "employment", "total_wages", "avg_annual_pay",
    "lq_employment", "oty_employment_chg", "oty_employment_pct_chg",
    "oty_total_wages_pct_chg", "source",
)

#: Columns of the simple CSV template for teams with their own numbers.
#: ``own_code`` and ``location_quotient`` are optional.
TEMPLATE_COLUMNS: tuple[str, ...] = (
    "area", "year", "industry_code", "industry_title", "employment",
    "establishments", "total_wages",
)
_TEMPLATE_OPTIONAL = ("own_code", "location_quotient")

_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_DIGITS_BY_AGGLVL_UNIT = {0: 0, 1: 0, 2: -1, 3: -1, 4: 2, 5: 3, 6: 4, 7: 5, 8: 6}


# --------------------------------------------------------------------------- paths
def example_region_path() -> Path:
    """Folder of the shipped, ILLUSTRATIVE example region (fictional counties).

    The files are made by ``scripts/make_example_region.py`` and are not real
    BLS data. sectorkit is used from a repository checkout, so the folder is
    found relative to the repository root.

    Returns
    -------
    pathlib.Path
        ``<repo>/data/example_region``.

    Examples
    --------
    >>> example_region_path().name
    'example_region'
    >>> (example_region_path() / "crosswalk.csv").exists()
    True
    """
    return data_dir() / "example_region"


# --------------------------------------------------------------------------- reading
def _first_non_numeric(path: Path, raw: bytes, columns: Iterable[str]) -> DataError:
    """Find the first cell that is not a number and describe it."""
    try:
        text = pd.read_csv(io.BytesIO(raw), dtype=str, usecols=list(columns),
                           keep_default_na=False, encoding="utf-8")
    except Exception as exc:  # noqa: BLE001 - any parser failure is a data problem
        return csvio.parse_error(path, exc)
    for col in columns:
        values = text[col].str.strip()
        nums = pd.to_numeric(values.where(values != "", "0"), errors="coerce")
        bad = nums.isna() | ~np.isfinite(nums.to_numpy(dtype="float64", na_value=np.nan))
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            return DataError(
                f"{path}: row {i + 1} (line {i + 2}), column '{col}': "
                f"'{text[col].iloc[i][:40]}' is not a number. Fix or remove that cell."
            )
    return DataError(f"{path}: a numeric column holds text; check the file.")


class _Rows:
    """Map row numbers of a concatenated frame back to (file, row in file)."""

    def __init__(self, paths: list[Path], counts: list[int]):
        self.paths = paths
        self.starts = np.concatenate([[0], np.cumsum(counts)]).astype("int64")

    def where(self, i: int) -> tuple[Path, int]:
        k = int(np.searchsorted(self.starts, i, side="right") - 1)
        return self.paths[k], int(i - self.starts[k])

    def file_index(self, n: int) -> np.ndarray:
        return np.repeat(np.arange(len(self.paths)), np.diff(self.starts))[:n]


def _row_error(rows: _Rows, mask: np.ndarray, column: str, problem: str, todo: str) -> DataError:
    path, i = rows.where(int(np.flatnonzero(mask)[0]))
    return DataError(
        f"{path}: row {i + 1} (line {i + 2}), column '{column}': {problem}. {todo}"
        + (f" ({int(mask.sum())} such rows in all.)" if mask.sum() > 1 else "")
    )


def _parse(path: Path, raw: bytes) -> pd.DataFrame:
    try:
        return pd.read_csv(io.BytesIO(raw), usecols=list(_USECOLS), dtype=_DTYPES,
                           encoding="utf-8", engine="c")
    except UnicodeDecodeError:
        raise DataError(f"{path}: is not UTF-8 text; is this a CSV file?") from None
    except pd.errors.ParserError as exc:
        raise csvio.parse_error(path, exc) from None
    except ValueError as exc:
        if "Error tokenizing" in str(exc):
            raise csvio.parse_error(path, exc) from None
        raise _first_non_numeric(path, raw, [c for c in _USECOLS if c not in _TEXT_COLS]) from None
    except Exception as exc:  # noqa: BLE001 - anything else from the parser is bad input
        raise csvio.parse_error(path, exc) from None


def _load(files: list[Path]) -> pd.DataFrame:
    """Read, check and tidy area files; one parser call when their layout allows it."""
    raws, bodies, counts = [], [], []
    header0 = None
    same_layout = True
    # zlib and file reads release the GIL: decompress on two threads (results stay in file
    # order, and the first bad file, in order, raises as it would reading one by one)
    if len(files) > 1:
        with ThreadPoolExecutor(max_workers=2) as pool:
            contents = list(pool.map(csvio.read_bytes, files))
    else:
        contents = [csvio.read_bytes(f) for f in files]
    for f, raw in zip(files, contents):
        header = csvio.header(f, raw)
        csvio.check_columns(f, header, _USECOLS, "a BLS QCEW annual area file")
        raw = raw.replace(b"\r\n", b"\n") if b"\r" in raw else raw
        if not raw.endswith(b"\n"):
            raw += b"\n"
        raws.append(raw)
        head, _, body = raw.partition(b"\n")
        if header0 is None:
            header0 = head
        same_layout &= (head == header0 and b"\n\n" not in body and b'"' not in body)
        bodies.append(body)
        counts.append(body.count(b"\n"))
        if b'"' not in body and body.count(b",") != (len(header) - 1) * counts[-1]:
            for n, line in enumerate(body.split(b"\n")[:-1]):
                if line.strip() and line.count(b",") != len(header) - 1:
                    raise DataError(
                        f"{f}: line {n + 2} has {line.count(b',') + 1} fields but the header "
                        f"has {len(header)}. Fix or remove that line.")
    df = None
    if same_layout:
        big = b"".join([header0 + b"\n"] + bodies)
        try:
            df = pd.read_csv(io.BytesIO(big), usecols=list(_USECOLS), dtype=_DTYPES,
                             encoding="utf-8", engine="c")
        except Exception:  # noqa: BLE001 - re-read file by file to name the culprit
            df = None
        if df is not None and len(df) != sum(counts):
            df = None
    if df is None:
        frames = [_parse(f, r) for f, r in zip(files, raws)]
        counts = [len(x) for x in frames]
        df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    rows = _Rows(files, counts)
    for f, c in zip(files, counts):
        if c == 0:
            raise DataError(f"{f}: has a header but no data rows.")
    _validate_area(rows, df)
    return _tidy_from_area(df, rows)


def _validate_area(rows: _Rows, df: pd.DataFrame) -> None:
    for col in ("area_fips", "industry_code", "qtr") + _KEY_NUM_COLS + _VALUE_COLS[:3]:
        miss = df[col].isna().to_numpy()
        if miss.any():
            raise _row_error(rows, miss, col, "the cell is empty",
                             "BLS files publish every cell (0 when suppressed); restore it.")
    num = df[list(_KEY_NUM_COLS + _VALUE_COLS + _OPTIONAL_NUM_COLS)].to_numpy()
    if np.isinf(num).any():
        j = int(np.flatnonzero(np.isinf(num).any(axis=0))[0])
        col = (_KEY_NUM_COLS + _VALUE_COLS + _OPTIONAL_NUM_COLS)[j]
        raise _row_error(rows, np.isinf(num[:, j]), col, "the value is infinite", "Fix the cell.")
    for col in _KEY_NUM_COLS:
        v = df[col].to_numpy()
        bad = (v != np.round(v)) | (np.abs(v) > 1e6)
        if bad.any():
            raise _row_error(rows, bad, col, f"'{v[bad][0]:g}' is not a valid code",
                             "Codes and years are whole numbers.")
    qtr = df["qtr"].to_numpy(dtype=object)
    bad = qtr != "A"
    if bad.any():
        raise _row_error(rows, bad, "qtr", f"quarter '{qtr[bad][0]}' is not 'A'",
                         "sectorkit needs the annual-average files (qtr 'A'), not quarterly ones.")
    bad = df["size_code"].to_numpy() != 0
    if bad.any():
        raise _row_error(rows, bad, "size_code", "size class is not 0",
                         "Use the area files for all establishment sizes (size_code 0).")
    for col in _VALUE_COLS:
        v = df[col].to_numpy()
        bad = v < 0
        if bad.any():
            raise _row_error(rows, bad, col, f"negative value {v[bad][0]:g}",
                             "Employment, establishments and wages cannot be negative.")
    years = df["year"].to_numpy()
    bad = (years < 1900) | (years > 2100)
    if bad.any():
        raise _row_error(rows, bad, "year", f"year {years[bad][0]:g} is not plausible",
                         "Check the year column.")
    claimed = []
    for p in rows.paths:
        found = set(_YEAR_IN_NAME.findall(p.name))
        claimed.append(int(found.pop()) if len(found) == 1 else -1)
    claimed = np.asarray(claimed)[rows.file_index(len(df))]
    bad = (claimed > 0) & (years != claimed)
    if bad.any():
        raise _row_error(
            rows, bad, "year",
            f"year {int(years[bad][0])} in a file whose name says {int(claimed[bad][0])}",
            "Each area file holds one year; split the file or rename it.",
        )
    key = ["area_fips", "year", "own_code", "industry_code"]
    dup = df.duplicated(key, keep="first").to_numpy()
    if dup.any():
        j = int(np.flatnonzero(dup)[0])
        same = np.ones(len(df), dtype=bool)
        for k in key:
            same &= (df[k] == df[k].iloc[j]).to_numpy()
        i = int(np.flatnonzero(same)[0])
        (pa, ia), (pb, ib) = rows.where(i), rows.where(j)
        r = df.iloc[i]
        what = (f"area {r['area_fips']}, year {int(r['year'])}, own_code {int(r['own_code'])}, "
                f"industry {r['industry_code']}")
        if pa == pb:
            raise DataError(f"{pa}: rows {ia + 1} and {ib + 1} (lines {ia + 2} and {ib + 2}) "
                            f"are duplicates for {what}. Keep one of them.")
        raise DataError(f"{what} appears in two files ({pa.name} and {pb.name}). "
                        "Remove one of the files.")


def _tidy_from_area(df: pd.DataFrame, rows: _Rows) -> pd.DataFrame:
    supp = df["disclosure_code"].to_numpy(dtype=object) == "N"
    lq_supp = df["lq_disclosure_code"].to_numpy(dtype=object) == "N"
    oty_supp = df["oty_disclosure_code"].to_numpy(dtype=object) == "N"
    agg = df["agglvl_code"].to_numpy().astype("int64")
    digits = np.array([0, 0, -1, -1, 2, 3, 4, 5, 6, -1], dtype="int64")[agg % 10]

    def unknown_if(mask, col):
        v = df[col].to_numpy(dtype="float64", copy=True)
        v[mask] = np.nan
        return v

    names = [p.name for p in rows.paths]
    source = pd.Categorical.from_codes(rows.file_index(len(df)), categories=names) \
        if len(set(names)) == len(names) else [names[k] for k in rows.file_index(len(df))]
    return pd.DataFrame({
        "area_fips": df["area_fips"],
        "year": df["year"].to_numpy().astype("int64"),
        "own_code": df["own_code"].to_numpy().astype("int64"),
        "industry_code": df["industry_code"],
        "agglvl_code": agg,
        "naics_digits": digits,
        "suppressed": supp,
        "establishments": df["annual_avg_estabs"].to_numpy(dtype="float64"),
        "employment": unknown_if(supp, "annual_avg_emplvl"),
        "total_wages": unknown_if(supp, "total_annual_wages"),
        "avg_annual_pay": unknown_if(supp, "avg_annual_pay"),
        "lq_employment": unknown_if(lq_supp | supp, "lq_annual_avg_emplvl"),
        "oty_employment_chg": unknown_if(oty_supp, "oty_annual_avg_emplvl_chg"),
        "oty_employment_pct_chg": unknown_if(oty_supp, "oty_annual_avg_emplvl_pct_chg"),
        "oty_total_wages_pct_chg": unknown_if(oty_supp, "oty_total_annual_wages_pct_chg"),
        "source": source,
    })


def read_area_file(path: str | Path) -> pd.DataFrame:
    """Read one BLS QCEW annual area file (``.csv`` or ``.csv.gz``) into a tidy frame.

    Parameters
    ----------
    path : str or Path
        A file in the official 38-column annual area layout
        (``https://data.bls.gov/cew/data/api/<year>/a/area/<fips>.csv``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TIDY_COLUMNS`. Suppressed cells are NaN with
        ``suppressed`` True; ``naics_digits`` is 0 for totals, -1 for
        domains/supersectors and 2-6 for NAICS levels.

    Raises
    ------
    DataError
        If the file is missing, empty, binary, not a QCEW area file, has a
        renamed column, a non-numeric or negative value, a duplicate row,
        quarterly data, or a year different from the one in its name.

    Examples
    --------
    >>> f = sorted(example_region_path().glob("2023.*99001*.csv"))[0]
    >>> df = read_area_file(f)
    >>> df.loc[(df.own_code == 0) & (df.industry_code == "10"), "area_fips"].tolist()
    ['99001']
    """
    return _load([Path(path)])


def _expand(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    if isinstance(paths, (str, Path)):
        p = Path(paths)
        if p.is_dir():
            files = sorted(f for f in p.iterdir()
                           if f.is_file() and (f.name.endswith(".csv") or f.name.endswith(".csv.gz"))
                           and f.name != "crosswalk.csv")
            if not files:
                raise DataError(f"{p}: the folder holds no .csv or .csv.gz files.")
            return files
        return [p]
    files = [Path(x) for x in paths]
    if not files:
        raise DataError("No files given: pass a folder or a list of QCEW area files.")
    return files


def read_area_files(paths: str | Path | Iterable[str | Path]) -> pd.DataFrame:
    """Read many QCEW annual area files (a folder or a list) into one tidy frame.

    Parameters
    ----------
    paths : str, Path or iterable of them
        A folder (every ``*.csv`` and ``*.csv.gz`` in it except
        ``crosswalk.csv``) or a list of files.

    Returns
    -------
    pandas.DataFrame
        The rows of every file, columns :data:`TIDY_COLUMNS`.

    Raises
    ------
    DataError
        For any problem :func:`read_area_file` reports, and when the same
        area, year, ownership and industry appears in two files.

    Examples
    --------
    >>> data = read_area_files(example_region_path())
    >>> sorted(data["area_fips"].unique().tolist())
    ['99001', '99003', '99005', '99007', 'US999']
    """
    return _load(_expand(paths))


# --------------------------------------------------------------------------- template
def write_template(path: str | Path) -> Path:
    """Write an example of the simple CSV template for teams with their own numbers.

    Columns: ``area`` (any name or FIPS), ``year``, ``industry_code`` (NAICS
    2- or 3-digit, ``10`` for the all-industry total), ``industry_title``,
    ``employment``, ``establishments``, ``total_wages`` (dollars per year) and
    optionally ``own_code`` (default 5 = private; the ``10`` total defaults to
    0 = all ownerships) and ``location_quotient``. Leave ``employment`` blank
    when the figure is confidential; it is then treated as unknown.

    Parameters
    ----------
    path : str or Path
        Where to write the CSV.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import tempfile, os
    >>> p = write_template(os.path.join(tempfile.mkdtemp(), "mine.csv"))
    >>> read_template(p)["industry_code"].tolist()
    ['10', '31-33', '62', '10', '31-33', '62']
    """
    rows = [
        ("Our region", 2022, "10", "Total, all industries", 50000, 2100, 2900000000),
        ("Our region", 2022, "31-33", "Manufacturing", 9000, 150, 630000000),
        ("Our region", 2022, "62", "Health care and social assistance", "", 400, ""),
        ("Our region", 2023, "10", "Total, all industries", 51000, 2150, 3050000000),
        ("Our region", 2023, "31-33", "Manufacturing", 9300, 152, 670000000),
        ("Our region", 2023, "62", "Health care and social assistance", 8200, 410, 480000000),
    ]
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(TEMPLATE_COLUMNS)
        w.writerows(rows)
    return path


def _naics_digits(code: pd.Series) -> np.ndarray:
    c = code.to_numpy(dtype=object)
    out = np.full(len(c), -1, dtype="int64")
    for i, s in enumerate(c):
        if s == "10":
            out[i] = 0
        elif re.fullmatch(r"\d{2}(-\d{2})?", s):
            out[i] = 2
        elif re.fullmatch(r"\d{3,6}", s):
            out[i] = len(s)
    return out


def read_template(path: str | Path) -> pd.DataFrame:
    """Read the simple team template (see :func:`write_template`) into the tidy frame.

    Parameters
    ----------
    path : str or Path
        A CSV with :data:`TEMPLATE_COLUMNS` (plus optional ``own_code``,
        ``location_quotient``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TIDY_COLUMNS` plus ``industry_title``. Blank
        employment becomes NaN with ``suppressed`` True. ``agglvl_code`` is
        set as for a county file (70 total, 74 sector, 75 subsector).

    Raises
    ------
    DataError
        Missing or renamed columns, non-numeric or negative values,
        unknown industry codes, duplicate rows, an empty file.

    Examples
    --------
    >>> import tempfile, os
    >>> df = read_template(write_template(os.path.join(tempfile.mkdtemp(), "t.csv")))
    >>> df.loc[df.industry_code == "62", ["year", "employment", "suppressed"]].values.tolist()
    [[2022, nan, True], [2023, 8200.0, False]]
    """
    path = Path(path)
    raw = csvio.read_bytes(path)
    header = csvio.header(path, raw)
    csvio.check_columns(path, header, TEMPLATE_COLUMNS, "the sectorkit CSV template")
    cols = [c for c in TEMPLATE_COLUMNS + _TEMPLATE_OPTIONAL if c in header]
    try:
        df = pd.read_csv(io.BytesIO(raw), usecols=cols, dtype=str, keep_default_na=False,
                         encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError(f"{path}: is not UTF-8 text; save it as CSV UTF-8.") from None
    except Exception as exc:  # noqa: BLE001
        raise csvio.parse_error(path, exc) from None
    if df.empty:
        raise DataError(f"{path}: has a header but no data rows.")
    df = df.apply(lambda s: s.str.strip())
    rows = _Rows([path], [len(df)])
    nums = {}
    for col in ("year", "employment", "establishments", "total_wages", "own_code",
                "location_quotient"):
        if col not in df:
            continue
        s = df[col]
        v = pd.to_numeric(s.where(s != "", None), errors="coerce").astype("float64")
        bad = (v.isna() & (s != "")).to_numpy() | np.isinf(v.to_numpy())
        if bad.any():
            raise _row_error(rows, bad, col, f"'{s[bad].iloc[0][:40]}' is not a number",
                             "Use plain numbers without units, currency signs or thousands separators.")
        if (v < 0).any():
            raise _row_error(rows, (v < 0).to_numpy(), col, f"negative value {v[v < 0].iloc[0]:g}",
                             "Counts, wages and quotients cannot be negative.")
        nums[col] = v.to_numpy()
    for col in ("area", "industry_code"):
        bad = (df[col] == "").to_numpy()
        if bad.any():
            raise _row_error(rows, bad, col, "the cell is empty", "Fill it in.")
    bad = np.isnan(nums["year"]) | (nums["year"] != np.round(nums["year"]))
    if bad.any():
        raise _row_error(rows, bad, "year", "the year is missing or not whole", "Use e.g. 2023.")
    digits = _naics_digits(df["industry_code"])
    bad = digits < 0
    if bad.any():
        raise _row_error(rows, bad, "industry_code",
                         f"'{df['industry_code'][bad].iloc[0]}' is not a NAICS code",
                         "Use 10 (all industries), a 2-digit sector like 62 or 31-33, or a 3-digit code.")
    own = nums.get("own_code")
    if own is None:
        own = np.where(digits == 0, 0.0, 5.0)
    bad = np.isnan(own) | ~np.isin(own, [0, 1, 2, 3, 4, 5, 8, 9])
    if bad.any():
        raise _row_error(rows, bad, "own_code", "not a BLS ownership code",
                         "Use 0 (all), 1-3 (government) or 5 (private).")
    emp = nums["employment"]
    supp = np.isnan(emp)
    agg = np.where(digits == 0, np.where(own == 0, 70, 71), 72 + digits)
    lq = nums.get("location_quotient", np.full(len(df), np.nan))
    wages = np.where(supp, np.nan, nums["total_wages"])
    with np.errstate(divide="ignore", invalid="ignore"):
        pay = np.where(emp > 0, wages / emp, np.nan)
    out = pd.DataFrame({
        "area_fips": df["area"], "year": nums["year"].astype("int64"),
        "own_code": own.astype("int64"), "industry_code": df["industry_code"],
        "agglvl_code": agg.astype("int64"), "naics_digits": digits, "suppressed": supp,
        "establishments": nums["establishments"], "employment": emp,
        "total_wages": wages, "avg_annual_pay": pay, "lq_employment": lq,
        "oty_employment_chg": np.nan, "oty_employment_pct_chg": np.nan,
        "oty_total_wages_pct_chg": np.nan, "source": path.name,
        "industry_title": df["industry_title"],
    })
    key = ["area_fips", "year", "own_code", "industry_code"]
    dup = out.duplicated(key, keep=False).to_numpy()
    if dup.any():
        i = np.flatnonzero(dup)[:2]
        raise DataError(f"{path}: rows {i[0] + 1} and {i[1] + 1} repeat the same area, year, "
                        "ownership and industry. Keep one of them.")
    out["source"] = out["source"].astype("category")
    return out
