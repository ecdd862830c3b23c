"""The simple CSV template for teams with their own numbers, read into the QCEW tidy frame.

Industry codes in a team's sheet are NAICS codes (``31-33``, ``62``, ``622``) or BLS groupings:
``10`` (all industries), ``101``/``102`` (goods-producing, service-providing) and ``1011``-``1029``
(supersectors). Groupings are read (``naics_digits`` -1, like BLS's own domain and supersector
rows) but they are not NAICS, so they never enter a NAICS screen.

Examples
--------
>>> naics_digits(["10", "101", "1013", "31-33", "622", "XYZ"]).tolist()
[0, -1, -1, 2, 3, -2]
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from sectorkit.core import csvio
from sectorkit.core.errors import DataError
from sectorkit.lmi.areas import normalise_area_codes
from sectorkit.lmi.checks import RowMap, row_error

__all__ = ["TEMPLATE_COLUMNS", "naics_digits", "read_template", "write_template"]

#: Columns of the simple CSV template for teams with their own numbers.
#: ``own_code`` and ``location_quotient`` are optional.
TEMPLATE_COLUMNS: tuple[str, ...] = (
    "area", "year", "industry_code", "industry_title", "employment",
    "establishments", "total_wages",
)
_TEMPLATE_OPTIONAL = ("own_code", "location_quotient")
_GROUPING = re.compile(r"10[12]|10(1[1-9]|2\d)")


def naics_digits(codes: Iterable[str]) -> np.ndarray:
    """NAICS level of industry codes: 0 all industries, -1 BLS grouping, 2-6 NAICS, -2 unknown.

    ``10`` is the all-industry total; ``101``, ``102`` and ``1011``-``1029`` are BLS domains and
    supersectors (not NAICS, so -1); ``31-33`` and other 2-digit codes are sectors; 3 to 6 digits
    are NAICS subsectors and finer.

    Examples
    --------
    >>> naics_digits(["10", "102", "1029", "1030", "44-45", "5417"]).tolist()
    [0, -1, -1, -2, 2, 4]
    """
    out = []
    for s in codes:
        s = str(s).strip()
        if s == "10":
            out.append(0)
        elif _GROUPING.fullmatch(s):
            out.append(-1)
        elif s.startswith("10"):
            out.append(-2)
        elif re.fullmatch(r"\d{2}(-\d{2})?", s):
            out.append(2)
        elif re.fullmatch(r"\d{3,6}", s):
            out.append(len(s))
        else:
            out.append(-2)
    return np.asarray(out, dtype="int64")


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


def _numbers(df: pd.DataFrame, rows: RowMap) -> dict[str, np.ndarray]:
    nums = {}
    for col in ("year", "employment", "establishments", "total_wages", "own_code", "location_quotient"):
        if col not in df:
            continue
        s = df[col]
        v = pd.to_numeric(s.where(s != "", None), errors="coerce").astype("float64")
        bad = (v.isna() & (s != "")).to_numpy() | np.isinf(v.to_numpy())
        if bad.any():
            raise row_error(rows, bad, col, f"'{s[bad].iloc[0][:40]}' is not a number",
                            "Use plain numbers without units, currency signs or thousands separators.")
        if (v < 0).any():
            raise row_error(rows, (v < 0).to_numpy(), col, f"negative value {v[v < 0].iloc[0]:g}",
                            "Counts, wages and quotients cannot be negative.")
        nums[col] = v.to_numpy()
    return nums


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
        Columns of :data:`sectorkit.lmi.qcew.TIDY_COLUMNS` plus ``industry_title``. Blank
        employment becomes NaN with ``suppressed`` True. ``agglvl_code`` is
        set as for a county file (70 total, 72 domain, 73 supersector, 74 sector, 75 subsector).
        A 4-digit all-digit area is a FIPS code that lost its leading zero (padded).

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
    rows = RowMap([str(path)], np.zeros(len(df), "int64"), np.arange(len(df)))
    nums = _numbers(df, rows)
    for col in ("area", "industry_code"):
        bad = (df[col] == "").to_numpy()
        if bad.any():
            raise row_error(rows, bad, col, "the cell is empty", "Fill it in.")
    bad = np.isnan(nums["year"]) | (nums["year"] != np.round(nums["year"]))
    if bad.any():
        raise row_error(rows, bad, "year", "the year is missing or not whole", "Use e.g. 2023.")
    digits = naics_digits(df["industry_code"])
    bad = digits < -1
    if bad.any():
        raise row_error(rows, bad, "industry_code", f"'{df['industry_code'][bad].iloc[0]}' is not a NAICS code",
                        "Use 10 (all industries), a 2-digit sector like 62 or 31-33, or a 3-digit code.")
    own = nums.get("own_code")
    if own is None:
        own = np.where(digits == 0, 0.0, 5.0)
    bad = np.isnan(own) | ~np.isin(own, [0, 1, 2, 3, 4, 5, 8, 9])
    if bad.any():
        raise row_error(rows, bad, "own_code", "not a BLS ownership code",
                        "Use 0 (all), 1-3 (government) or 5 (private).")
    emp = nums["employment"]
    supp = np.isnan(emp)
    grouping = np.where(df["industry_code"].str.len() == 3, 72, 73)
    agg = np.where(digits == 0, np.where(own == 0, 70, 71), np.where(digits < 0, grouping, 72 + digits))
    lq = nums.get("location_quotient", np.full(len(df), np.nan))
    wages = np.where(supp, np.nan, nums["total_wages"])
    with np.errstate(divide="ignore", invalid="ignore"):
        pay = np.where(emp > 0, wages / emp, np.nan)
    codes, _ = normalise_area_codes(df["area"])
    area = [c if c is not None else a for c, a in zip(codes, df["area"])]
    out = pd.DataFrame({
        "area_fips": area, "year": nums["year"].astype("int64"),
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
