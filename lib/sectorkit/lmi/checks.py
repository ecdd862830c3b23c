"""Checking QCEW rows read from files: every problem is named by file, row, line and column.

Examples
--------
>>> per_unique(pd.Series(["A", " a", "A"]), lambda q: q.strip().upper()).tolist()
['A', 'A', 'A']
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from sectorkit.core.errors import DataError
from sectorkit.lmi import layouts as L

__all__ = ["RowMap", "annual_from_quarters", "check_rows", "drop_size_classes", "no_duplicates", "per_unique",
           "quarters_to_annual", "row_error"]

_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


class RowMap:
    """Where each row of a combined frame came from: its file and its row in that file.

    Examples
    --------
    >>> m = RowMap(["a.csv", "b.csv"], np.array([0, 0, 1]), np.array([0, 1, 0]))
    >>> m.where(2)
    ('b.csv', 0)
    """

    def __init__(self, labels: list[str], file_index: np.ndarray, row_in_file: np.ndarray):
        self.labels = labels
        self.file = np.asarray(file_index, dtype="int64")
        self.row = np.asarray(row_in_file, dtype="int64")

    def where(self, i: int) -> tuple[str, int]:
        return self.labels[int(self.file[i])], int(self.row[i])

    def take(self, positions: np.ndarray) -> "RowMap":
        return RowMap(self.labels, self.file[positions], self.row[positions])


def row_error(rows: RowMap, mask: np.ndarray, column: str, problem: str, todo: str) -> DataError:
    """A :class:`DataError` naming the first row where ``mask`` is True (file, row, line, column)."""
    label, i = rows.where(int(np.flatnonzero(mask)[0]))
    n = int(np.count_nonzero(mask))
    return DataError(f"{label}: row {i + 1} (line {i + 2}), column '{column}': {problem}. {todo}"
                     + (f" ({n} such rows in all.)" if n > 1 else ""))


def quarters_to_annual(df: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """Annual averages from the four quarters of quarterly rows, as BLS computes them.

    Annual average employment is the mean of the twelve monthly levels, establishments the mean of
    the four quarterly counts, total wages the sum of the four quarters' wages and average annual
    pay their ratio. A row is suppressed when any of its quarters is. Published LQs and
    over-the-year changes of quarters are not annual figures: they become unknown.

    Parameters
    ----------
    df : pandas.DataFrame
        Quarterly rows in canonical names, ``qtr`` in ``"1"``-``"4"``, checked.

    Returns
    -------
    (pandas.DataFrame, numpy.ndarray, pandas.DataFrame)
        Annual rows in canonical annual names; for each, the position in ``df`` of its first
        quarter; and the incomplete keys (with the quarters found), empty when every year is whole.

    Examples
    --------
    >>> q = pd.DataFrame({"area_fips": "01001", "own_code": 0.0, "industry_code": "10",
    ...     "agglvl_code": 70.0, "size_code": 0.0, "year": 2023.0, "qtr": ["1", "2", "3", "4"],
    ...     "disclosure_code": None, "qtrly_estabs": [10., 10., 12., 12.], "month1_emplvl": 100.,
    ...     "month2_emplvl": 100., "month3_emplvl": [100., 100., 100., 160.],
    ...     "total_qtrly_wages": 1000.})
    >>> a, first, missing = quarters_to_annual(q)
    >>> a[["annual_avg_estabs", "annual_avg_emplvl", "total_annual_wages"]].values.tolist(), len(missing)
    ([[11.0, 105.0, 4000.0]], 0)
    """
    key = ["area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year"]
    d = df.assign(_pos=np.arange(len(df)), _q=df["qtr"].astype(str).str.strip(),
                  _emp=df[["month1_emplvl", "month2_emplvl", "month3_emplvl"]].sum(axis=1),
                  _n=(df["disclosure_code"].fillna("").astype(str).str.strip() == "N").astype("int64"))
    g = d.groupby(key, sort=False, dropna=False)
    out = g.agg(annual_avg_estabs=("qtrly_estabs", "mean"), _emp=("_emp", "sum"),
                total_annual_wages=("total_qtrly_wages", "sum"), _pos=("_pos", "min"),
                _quarters=("_q", lambda s: ",".join(sorted(set(s)))), _n=("_n", "max")).reset_index()
    missing = out[out["_quarters"] != "1,2,3,4"]
    out["annual_avg_emplvl"] = out["_emp"] / 12.0
    with np.errstate(divide="ignore", invalid="ignore"):
        out["avg_annual_pay"] = np.where(out["annual_avg_emplvl"] > 0,
                                         out["total_annual_wages"] / out["annual_avg_emplvl"], 0.0)
    out["qtr"] = "A"
    out["disclosure_code"] = np.where(out["_n"] > 0, "N", None)
    for c in L.OPTIONAL_TEXT:
        out[c] = None
    for c in L.OPTIONAL_NUM:
        out[c] = np.nan
    first = out["_pos"].to_numpy(dtype="int64")
    return out.drop(columns=["_emp", "_pos", "_quarters", "_n"]), first, missing[key + ["_quarters"]]


def per_unique(col: pd.Series, fn) -> np.ndarray:
    """``fn`` of each value, computed once per distinct value (codes repeat on every row); an object array."""
    idx, uniq = pd.factorize(col.to_numpy(dtype=object), use_na_sentinel=True)
    out = np.asarray([fn(u) for u in uniq] + [None], dtype=object)
    return out[idx]


def check_rows(df: pd.DataFrame, rows: RowMap, kind: str, names: list[str]) -> None:
    """Check QCEW rows in canonical names; raise on the first problem, naming its file and row.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows of one layout kind (area codes already normalised).
    rows : RowMap
        Where each row came from.
    kind : {"annual", "quarterly"}
    names : list of str
        Each file's name (a year in it must match the rows' year).

    Raises
    ------
    DataError
        An empty required cell, an infinite value, a code or year that is not whole, a quarter
        that does not fit the layout (annual files want ``A``), a size class other than 0, a
        negative value, an implausible year, a year other than the file name's, a duplicate row.

    Examples
    --------
    >>> df = pd.DataFrame({"area_fips": ["01001"], "industry_code": ["10"], "qtr": ["1"], "own_code": [0.0],
    ...     "agglvl_code": [70.0], "size_code": [0.0], "year": [2023.0], "annual_avg_estabs": [1.0],
    ...     "annual_avg_emplvl": [5.0], "total_annual_wages": [9.0], "avg_annual_pay": [1.8]})
    >>> check_rows(df, RowMap(["f.csv"], np.zeros(1), np.zeros(1)), "annual", ["f.csv"])
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.DataError: f.csv: row 1 (line 2), column 'qtr': quarter '1' is not 'A'. sectorkit works on annual averages: use the annual-average files (qtr 'A'), or quarterly files with all four quarters of each year.
    """  # noqa: E501 - a doctest's expected line cannot wrap
    values = L.VALUE_COLS[:3] if kind == "annual" else L.Q_VALUE_COLS
    for col in ("industry_code", "qtr") + L.KEY_NUM_COLS + values:
        miss = df[col].isna().to_numpy()
        if miss.any():
            raise row_error(rows, miss, col, "the cell is empty",
                            "BLS files publish every cell (0 when suppressed); restore it.")
    num_cols = [c for c in df.columns if df[c].dtype.kind == "f"]
    num = df[num_cols].to_numpy()
    if np.isinf(num).any():
        j = int(np.flatnonzero(np.isinf(num).any(axis=0))[0])
        raise row_error(rows, np.isinf(num[:, j]), num_cols[j], "the value is infinite", "Fix the cell.")
    for col in L.KEY_NUM_COLS:
        v = df[col].to_numpy()
        bad = (v != np.round(v)) | (np.abs(v) > 1e6)
        if bad.any():
            raise row_error(rows, bad, col, f"'{v[bad][0]:g}' is not a valid code",
                            "Codes and years are whole numbers.")
    qtr = df["qtr"].to_numpy(dtype=object)
    if kind != "annual" or not (qtr == "A").all():
        qtr = per_unique(df["qtr"], lambda q: str(q).strip().upper())
    bad = qtr != "A" if kind == "annual" else ~np.isin(qtr, ["1", "2", "3", "4"])
    if bad.any():
        raise row_error(rows, bad, "qtr", f"quarter '{qtr[bad][0]}' is not " + ("'A'" if kind == "annual" else "1-4"),
                        "sectorkit works on annual averages: use the annual-average files (qtr 'A'), or "
                        "quarterly files with all four quarters of each year.")
    bad = df["size_code"].to_numpy() != 0
    if bad.any():
        raise row_error(rows, bad, "size_code", "size class is not 0 and the file has no all-sizes rows",
                        "Use the files for all establishment sizes (size_code 0).")
    for col in values + (("avg_annual_pay",) if kind == "annual" else ()):
        v = df[col].to_numpy()
        bad = v < 0
        if bad.any():
            raise row_error(rows, bad, col, f"negative value {v[bad][0]:g}",
                            "Employment, establishments and wages cannot be negative.")
    years = df["year"].to_numpy()
    bad = (years < 1900) | (years > 2100)
    if bad.any():
        raise row_error(rows, bad, "year", f"year {years[bad][0]:g} is not plausible", "Check the year column.")
    claimed = []
    for name in names:
        found = set(_YEAR_IN_NAME.findall(name))
        claimed.append(int(found.pop()) if len(found) == 1 else -1)
    claimed = np.asarray(claimed, dtype="int64")[rows.file]
    bad = (claimed > 0) & (years != claimed)
    if bad.any():
        raise row_error(rows, bad, "year",
                        f"year {int(years[bad][0])} in a file whose name says {int(claimed[bad][0])}",
                        "Each area file holds one year; split the file or rename it.")
    no_duplicates(df, rows, ["area_fips", "year", "own_code", "industry_code"] + (["qtr"] if kind != "annual" else []))


def drop_size_classes(df: pd.DataFrame, rows: RowMap) -> tuple[pd.DataFrame, RowMap]:
    """Drop the establishment-size rows (``size_code`` > 0) of files that also hold the all-sizes rows.

    BLS single files carry a size-class breakdown next to the all-sizes figures; the breakdown is
    not needed (and would repeat every key). A file with size-class rows only is left for
    :func:`check_rows` to refuse.

    Examples
    --------
    >>> df = pd.DataFrame({"size_code": [0.0, 3.0, 3.0]})
    >>> kept, _ = drop_size_classes(df, RowMap(["a", "b"], np.array([0, 0, 1]), np.arange(3)))
    >>> kept["size_code"].tolist()
    [0.0, 3.0]
    """
    size = df["size_code"].to_numpy(dtype="float64")
    sized = (size != 0) & ~np.isnan(size)  # an empty cell is left for check_rows to name
    if not sized.any():
        return df, rows
    drop = sized & np.isin(rows.file, np.unique(rows.file[~sized]))
    if not drop.any():
        return df, rows
    pos = np.flatnonzero(~drop)
    return df.iloc[pos].reset_index(drop=True), rows.take(pos)


def no_duplicates(df: pd.DataFrame, rows: RowMap, key: list[str]) -> None:
    """Raise when two rows share ``key``, naming both (rows of one file, or the two files)."""
    dup = df.duplicated(key, keep="first").to_numpy()
    if not dup.any():
        return
    j = int(np.flatnonzero(dup)[0])
    same = np.ones(len(df), dtype=bool)
    for k in key:
        same &= (df[k] == df[k].iloc[j]).to_numpy()
    i = int(np.flatnonzero(same)[0])
    (pa, ia), (pb, ib) = rows.where(i), rows.where(j)
    r = df.iloc[i]
    what = (f"area {r['area_fips']}, year {int(r['year'])}, own_code {int(r['own_code'])}, "
            f"industry {r['industry_code']}" + (f", quarter {r['qtr']}" if "qtr" in key else ""))
    if pa == pb:
        raise DataError(f"{pa}: rows {ia + 1} and {ib + 1} (lines {ia + 2} and {ib + 2}) "
                        f"are duplicates for {what}. Keep one of them.")
    raise DataError(f"{what} appears in two files ({Path(pa).name} and {Path(pb).name}). "
                    "Remove one of the files.")


def annual_from_quarters(df: pd.DataFrame, rows: RowMap) -> tuple[pd.DataFrame, RowMap]:
    """Annual rows from checked quarterly rows (:func:`quarters_to_annual`).

    Raises
    ------
    DataError
        When a year lacks a quarter: sectorkit works on annual averages.
    """
    annual, first, missing = quarters_to_annual(df)
    if len(missing):
        m = missing.iloc[0]
        label, _ = rows.where(int(first[missing.index[0]]))
        raise DataError(
            f"{label}: area {m['area_fips']}, year {int(m['year'])}, industry {m['industry_code']} has only "
            f"quarter(s) {m['_quarters']} ({len(missing)} such rows). sectorkit works on annual averages: "
            "download the annual-average files, or give all four quarters of each year.")
    return annual, rows.take(first)
