"""The building blocks of :func:`sectorkit.lmi.measures.region_measures`: one year of a tidy QCEW
frame, kept beside the frame, and a region's county rows summed by industry.

A team that changes the years on the LMI Review screens the same cached frame again
(:mod:`sectorkit.lmi.cache` returns the very same object). What one year of the whole frame gives
(its rows, the counties' all-industry totals, the industry rows of a level and ownership, the
codes present, the national rows) is cut once and kept in :func:`sectorkit.lmi.memo.per_frame`: a
change of years reuses the year that stays, and a change of counties reuses both. Entries go with
their frame and carry its length and columns in their key; like every user of the cache, callers
must not change a frame in place.

:func:`industry_sums` adds up a region's county rows by industry with NumPy (an outer join of the
end and start years on county and industry, then sums): 5x faster than the pandas merge and
group-by it replaces, which is kept for the rare frames it does not cover (a county and industry
twice in one year, integer columns, numbers that are not whole, whose sums could differ in the
last bit).

Examples
--------
>>> import pandas as pd
>>> d = pd.DataFrame({"area_fips": ["A", "A", "B", "A", "A"], "year": [2023, 2023, 2023, 2020, 2020],
...     "own_code": [0, 5, 5, 0, 5], "industry_code": ["10", "62", "62", "10", "62"],
...     "naics_digits": [0, 2, 2, 0, 2], "suppressed": False,
...     "employment": [100., 20., 5., 90., 15.], "total_wages": 1e6, "establishments": 3.0})
>>> part = year_part(d, 2023)
>>> len(part["rows"]), part["tot"]["area_total"].tolist(), sorted(part["codes"])
(3, [100.0], ['10', '62'])
>>> year_part(d, 2023) is part
True
>>> ind = industry_rows(d, 2023, (2,), 5, ("99",))
>>> sums = industry_sums(ind, industry_rows(d, 2020, (2,), 5, ("99",)), pd.Series({"A": 100.0, "B": 50.0}))
>>> sums["industry_code"].tolist(), sums["employment"].tolist(), sums["emp_m0"].tolist()
(['62'], [25.0], [15.0])
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from sectorkit.lmi import areas
from sectorkit.lmi.memo import per_frame

__all__ = ["SUM_COLUMNS", "USED", "industry_rows", "industry_sums", "is_nation", "totals", "whole", "year_part"]

#: the tidy frame's columns :func:`sectorkit.lmi.measures.region_measures` reads
USED = frozenset({"area_fips", "year", "own_code", "industry_code", "naics_digits", "suppressed", "employment",
                  "total_wages", "establishments", "lq_employment"})
#: the columns of :func:`industry_sums`, after ``industry_code``
SUM_COLUMNS = ("employment", "total_wages", "emp_m1", "emp_m0", "employment_start_all", "establishments",
               "supp_total", "n_counties", "n_counties_suppressed", "n_matched")
_MASKED = ("employment", "total_wages", "emp_m1", "emp_m0", "employment_0")  # NaN where no county is known


def totals(data: pd.DataFrame) -> pd.DataFrame:
    """All-ownership, all-industry totals per area and year: ``area_fips, year, area_total,
    area_total_wages`` (NaN wages when the frame has no ``total_wages``)."""
    t = data[(data["own_code"].to_numpy() == 0) & (data["industry_code"].to_numpy(dtype=object) == "10")]
    t = t if "total_wages" in t.columns else t.assign(total_wages=np.nan)
    return t[["area_fips", "year", "employment", "total_wages"]].rename(
        columns={"employment": "area_total", "total_wages": "area_total_wages"})


def is_nation(fips: pd.Series) -> np.ndarray:
    """Boolean mask of the national rows (``US000``; never a U.S. aggregate such as ``USCMS``)."""
    # test the few distinct codes, not every row (a region's data has ~100x more rows than areas)
    nation = [f for f in pd.unique(fips.to_numpy(dtype=object)) if areas.is_nation(str(f))]
    return fips.isin(nation).to_numpy() if nation else np.zeros(len(fips), dtype=bool)


def _frame_key(frame: pd.DataFrame) -> tuple:
    return len(frame), tuple(map(str, frame.columns))


def year_part(frame: pd.DataFrame, year: int) -> dict:
    """One year of ``frame``, cut once per frame and year (:func:`sectorkit.lmi.memo.per_frame`).

    Returns a dict: ``rows`` (that year's rows, the :data:`USED` columns, no ``attrs``), ``all10``
    (its all-industry rows, any ownership), ``t10`` (those of all ownerships), ``tot`` (:func:`totals`
    of them), ``codes`` (set of the industry codes present, any area or ownership)
    and ``nation`` (the national rows). Shared between callers: do not change them in place.
    """
    key = ("year", int(year), _frame_key(frame))
    memo = per_frame(frame)
    part = memo.get(key)
    if part is None:
        view = frame.copy(deep=False)
        view.attrs = {}  # pandas deep-copies attrs on every operation
        rows = view.loc[view["year"].to_numpy() == year, [c for c in view.columns if c in USED]]
        all10 = rows[rows["industry_code"].to_numpy(dtype=object) == "10"]
        t10 = all10[all10["own_code"].to_numpy() == 0]
        nation = is_nation(rows["area_fips"])
        part = {"rows": rows, "all10": all10, "t10": t10, "tot": totals(t10),
                "codes": set(pd.unique(rows["industry_code"].to_numpy(dtype=object))),
                "nation": rows[nation] if nation.any() else rows.iloc[:0]}
        memo[key] = part
    return part


def industry_rows(frame: pd.DataFrame, year: int, digits: Sequence[int], own_code: int,
                  exclude: Sequence[str]) -> pd.DataFrame:
    """The rows of one year at NAICS ``digits`` and ownership ``own_code``, less the ``exclude``
    codes (all areas); kept per frame, year, level, ownership and exclusions like :func:`year_part`."""
    key = ("industry", int(year), tuple(digits), own_code, tuple(exclude), _frame_key(frame))
    memo = per_frame(frame)
    got = memo.get(key)
    if got is None:
        d = year_part(frame, year)["rows"]
        mask = np.isin(d["naics_digits"].to_numpy(), list(digits)) & (d["own_code"].to_numpy() == own_code) \
            & ~np.isin(d["industry_code"].to_numpy(dtype=object), list(exclude))
        got = memo[key] = d[mask]
    return got


def whole(values: np.ndarray) -> bool:
    """True when the known ``values`` are whole numbers adding up to less than 2**53 in absolute value:
    then every partial sum is exact, and a sum in any order (or pandas' compensated one) is the same."""
    known = values[~np.isnan(values)]
    return bool((known % 1 == 0).all()) and float(np.abs(known).sum()) < 2.0 ** 53


def _sum(groups: np.ndarray, values: np.ndarray, n: int, masked: bool) -> np.ndarray:
    """Per group: the sum of the known values (NaN where none is known when ``masked``, else 0)."""
    known = ~np.isnan(values)
    out = np.bincount(groups[known], weights=values[known], minlength=n)
    if masked:
        out = np.where(np.bincount(groups[known], minlength=n) > 0, out, np.nan)
    return out


def industry_sums(end: pd.DataFrame, start: pd.DataFrame, area_total: pd.Series) -> pd.DataFrame:
    """A region's county rows summed by industry.

    Parameters
    ----------
    end : pandas.DataFrame
        The region's industry rows of the end year: ``area_fips, industry_code, employment,
        total_wages, establishments, suppressed`` (and more, ignored).
    start : pandas.DataFrame
        The region's industry rows of the start year: ``area_fips, industry_code, employment``.
    area_total : pandas.Series
        Each region county's all-industry employment in the end year, by ``area_fips``.

    Returns
    -------
    pandas.DataFrame
        One row per industry in either year (sorted by code; those only in the start year with no
        known employment left out): ``industry_code`` and :data:`SUM_COLUMNS`: the end year's
        ``employment`` and ``total_wages``, ``emp_m1`` and ``emp_m0`` (end and start employment of
        the counties known in both years), ``employment_start_all``, ``establishments``,
        ``supp_total`` (end-year jobs of the counties where the industry is suppressed),
        ``n_counties`` (in the end year), ``n_counties_suppressed`` and ``n_matched``. Sums skip
        unknown cells; the employment and wage sums are NaN where no cell is known.
    """
    fast = _sums_numpy(end, start, area_total)
    return fast if fast is not None else _sums_merge(end, start, area_total)


def _sums_numpy(end: pd.DataFrame, start: pd.DataFrame, area_total: pd.Series) -> pd.DataFrame | None:
    """:func:`industry_sums` on arrays; None when the frame is outside what it covers."""
    if not all(end[c].dtype == np.float64 for c in ("employment", "total_wages", "establishments")) \
            or start["employment"].dtype != np.float64 or end["suppressed"].dtype != bool \
            or not area_total.index.is_unique:
        return None
    n1 = len(end)
    a_codes, _ = pd.factorize(np.concatenate([end["area_fips"].to_numpy(dtype=object),
                                              start["area_fips"].to_numpy(dtype=object)]))
    i_codes, uniq = pd.factorize(np.concatenate([end["industry_code"].to_numpy(dtype=object),
                                                 start["industry_code"].to_numpy(dtype=object)]), sort=True)
    if len(a_codes) and min(a_codes.min(), i_codes.min()) < 0:
        return None  # a missing county or industry code: the merge's rules
    n = len(uniq)
    key = a_codes.astype("int64") * max(n, 1) + i_codes
    k1, k0 = pd.Index(key[:n1]), pd.Index(key[n1:])
    if not (k1.is_unique and k0.is_unique):
        return None  # a county and industry twice in a year: the merge's cross products
    g1, g0 = i_codes[:n1], i_codes[n1:]
    e1, e0 = end["employment"].to_numpy(), start["employment"].to_numpy()
    wages, est = end["total_wages"].to_numpy(), end["establishments"].to_numpy()
    tot = area_total.reindex(end["area_fips"].to_numpy(dtype=object)).to_numpy(dtype="float64")
    if not all(map(whole, (e1, e0, wages, est, tot))):
        return None  # the merge's sums, in its order, to the last bit
    pos = k0.get_indexer(k1)
    e0_of_1 = np.where(pos >= 0, e0[pos], np.nan)
    matched = ~np.isnan(e1) & ~np.isnan(e0_of_1)
    supp = end["suppressed"].to_numpy()
    cols = {
        "employment": _sum(g1, e1, n, True),
        "total_wages": _sum(g1, wages, n, True),
        "emp_m1": _sum(g1, np.where(matched, e1, np.nan), n, True),
        "emp_m0": _sum(g1, np.where(matched, e0_of_1, np.nan), n, True),
        "employment_start_all": _sum(g0, e0, n, True),
        "establishments": _sum(g1, est, n, False),
        "supp_total": _sum(g1, np.where(supp, tot, 0.0), n, False),
        "n_counties": np.bincount(g1, minlength=n).astype("int64"),
        "n_counties_suppressed": np.bincount(g1[supp], minlength=n).astype("int64"),
        "n_matched": np.bincount(g1[matched], minlength=n).astype("int64"),
    }
    keep = (cols["n_counties"] > 0) | ~np.isnan(cols["employment_start_all"])
    codes = pd.array(np.asarray(uniq, dtype=object)[keep], dtype=end["industry_code"].dtype)
    return pd.DataFrame({"industry_code": codes, **{k: v[keep] for k, v in cols.items()}})


def _sums_merge(end: pd.DataFrame, start: pd.DataFrame, area_total: pd.Series) -> pd.DataFrame:
    """:func:`industry_sums` with pandas: an outer merge of the two years, then a group-by."""
    e1 = end[["area_fips", "industry_code", "employment", "total_wages", "establishments", "suppressed"]]
    e0 = start[["area_fips", "industry_code", "employment", "suppressed"]]
    both = e1.merge(e0, on=["area_fips", "industry_code"], how="outer", suffixes=("", "_0"))
    both = both.merge(area_total.rename("area_total").rename_axis("area_fips").reset_index(),
                      on="area_fips", how="left")
    matched = both["employment"].notna().to_numpy() & both["employment_0"].notna().to_numpy()
    in1 = both["suppressed"].notna().to_numpy()
    supp1 = both["suppressed"].fillna(False).to_numpy(dtype=bool)
    both = both.assign(
        emp_m1=np.where(matched, both["employment"], np.nan),
        emp_m0=np.where(matched, both["employment_0"], np.nan),
        supp_total=np.where(supp1, both["area_total"], 0.0),
        n_in=in1.astype("int64"), n_supp=supp1.astype("int64"),
        n_m=matched.astype("int64"))
    g = both.groupby("industry_code", sort=True)
    sum_cols = list(_MASKED)
    sums = g[sum_cols + ["establishments", "supp_total", "n_in", "n_supp", "n_m"]].sum()
    counts = g[sum_cols].count()
    sums[sum_cols] = sums[sum_cols].where(counts[sum_cols].to_numpy() > 0)
    res = sums.rename(columns={"employment_0": "employment_start_all", "n_in": "n_counties",
                               "n_supp": "n_counties_suppressed", "n_m": "n_matched"}).reset_index()
    res = res[(res["n_counties"].to_numpy() > 0) | res["employment_start_all"].notna().to_numpy()]
    return res[["industry_code", *SUM_COLUMNS]].reset_index(drop=True)
