"""Sector screen: score and rank industries on the four Step 2 criteria.

The four criteria are **size** (employment), **wages** (average pay over the
region's all-industry average: is it family-sustaining?), **growth**
(employment change over the period) and **concentration** (location
quotient; above 1 means more concentrated than the nation).

How scores work (no black box)
------------------------------
* Each criterion is scored 0-100 by rank among the industries whose value
  is known: ``score = 100 * (rank - 1) / (n - 1)`` with rank 1 the lowest
  value (ties share their average rank; a lone industry scores 50).
* ``contribution = weight * score / (sum of the weights of the criteria
  known for that industry)``; ``total_score`` is the sum of contributions,
  i.e. the weighted mean of the known scores.
* **Unknown values** (suppressed by BLS, or growth not comparable across the
  NAICS 2022 break) are shown as NaN, get no score and no contribution:
  they are never scored as zero. The total then rests on the criteria that
  are known, and the ``why`` column says so. Industries with fewer than
  ``min_known`` known criteria are listed but not ranked.

Examples
--------
>>> import pandas as pd
>>> m = pd.DataFrame({"industry_code": ["31-33", "62", "72"],
...                   "employment": [300.0, 200.0, 100.0], "pay_ratio": [1.2, 1.0, 0.5],
...                   "growth_pct": [2.0, 6.0, None], "lq": [2.0, 1.1, 0.8]})
>>> s = sector_screen(m)
>>> s[["industry_code", "total_score", "rank"]].values.tolist()
[['31-33', 75.0, 1], ['62', 62.5, 2], ['72', 0.0, 3]]
"""

from __future__ import annotations

import functools
from typing import Mapping

import numpy as np
import pandas as pd

from sectorkit.core.errors import DataError
from sectorkit.lmi.measures import region_measures
from sectorkit.lmi.titles import industry_titles

__all__ = ["CRITERIA", "DEFAULT_WEIGHTS", "build_sector_screen", "screen_long", "sector_screen"]

#: criterion -> (column of the measures frame it scores, plain-English name)
CRITERIA: dict[str, tuple[str, str]] = {
    "size": ("employment", "size (jobs)"),
    "wages": ("pay_ratio", "wages vs region average"),
    "growth": ("growth_pct", "job growth"),
    "concentration": ("lq", "concentration (location quotient)"),
}
#: Equal weights; a team changes them to match its priorities.
DEFAULT_WEIGHTS: dict[str, float] = {"size": 1.0, "wages": 1.0, "growth": 1.0,
                                     "concentration": 1.0}


def _check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    w = dict(DEFAULT_WEIGHTS)
    if weights is not None:
        unknown = set(weights) - set(CRITERIA)
        if unknown:
            raise DataError(f"Unknown criterion {sorted(unknown)}; use {sorted(CRITERIA)}.")
        w.update({k: float(v) for k, v in weights.items()})
    if any(not np.isfinite(v) or v < 0 for v in w.values()):
        raise DataError("Weights must be numbers of 0 or more.")
    if sum(w.values()) == 0:
        raise DataError("At least one weight must be above 0.")
    return w


def _rank_score(values: pd.Series) -> pd.Series:
    known = values.notna()
    n = int(known.sum())
    r = values.rank(method="average")
    if n <= 1:
        return pd.Series(np.where(known, 50.0, np.nan), index=values.index)
    return 100.0 * (r - 1) / (n - 1)


#: the columns :func:`_why` reads (those after ``size_rank`` may be missing)
_WHY_COLUMNS = ("employment", "size_rank", "pay_ratio", "growth_pct", "lq", *(f"{k}_score" for k in CRITERIA),
                "employment_is_lower_bound", "growth_note", "suppressed_share", "n_counties_suppressed", "n_counties")


def _fmt_int(x: float) -> str:
    return f"{x:,.0f}"


def _known(x) -> bool:
    """``pd.notna`` of one value, 20x faster for a float (NaN is the only float that is not equal to itself)."""
    return x == x if type(x) is float else bool(pd.notna(x))


def _why(row: Mapping, n_known_size: int, start: int | None, end: int | None,
         w: dict[str, float]) -> str:
    """The ``why`` text of one screened industry (``row``: its values by column, Python scalars or not)."""
    parts = []
    if _known(row["employment"]):
        lb = "at least " if bool(row.get("employment_is_lower_bound", False)) else ""
        parts.append(f"{lb}{_fmt_int(row['employment'])} jobs (size rank "
                     f"{int(row['size_rank'])} of {n_known_size})")
    if _known(row["pay_ratio"]):
        pr = row["pay_ratio"]
        word = "above" if pr >= 1.0 else "below"
        parts.append(f"pays {pr:.2f}x the region's average ({word})")
    if _known(row["growth_pct"]):
        period = f" {start}-{end}" if start and end else ""
        g = row["growth_pct"]
        parts.append(f"jobs {'grew' if g >= 0 else 'fell'} {abs(g):.1f}%{period}")
    if _known(row["lq"]):
        lq = row["lq"]
        parts.append(f"LQ {lq:.2f}, " + ("more concentrated than the nation" if lq > 1
                                          else "less concentrated than the nation"))
    unknown = [CRITERIA[k][1] for k in CRITERIA if not _known(row[CRITERIA[k][0]])]
    text = "; ".join(parts)
    if unknown:
        reason = row.get("growth_note") if not _known(row["growth_pct"]) else ""
        text += ". Unknown: " + ", ".join(unknown)
        if isinstance(reason, str) and reason:
            text += f" (growth {reason})"
        text += "; not scored as zero, the total uses the known criteria"
    share = row.get("suppressed_share")
    if share is not None and _known(share) and share > 0:
        text += (f". Suppressed in {int(row.get('n_counties_suppressed', 0))} of "
                 f"{int(row.get('n_counties', 0))} counties ({share:.0%} of region jobs live there)")
    strengths = [k for k in CRITERIA if _known(row[f"{k}_score"]) and row[f"{k}_score"] >= 75
                 and w[k] > 0]
    if strengths:
        text += ". Strong on: " + ", ".join(CRITERIA[k][1] for k in strengths)
    return text + "."


@functools.lru_cache(maxsize=1)
def _title_of() -> dict[str, str]:
    """sectorkit's NAICS titles by code (the shipped table is read once)."""
    t = industry_titles()
    return dict(zip(t["industry_code"].tolist(), t["industry_title"].tolist()))


def sector_screen(measures: pd.DataFrame, weights: Mapping[str, float] | None = None, *,
                  min_known: int = 2, titles: bool = True) -> pd.DataFrame:
    """Score and rank industries on size, wages, growth and concentration.

    Parameters
    ----------
    measures : pandas.DataFrame
        One row per industry with ``industry_code, employment, pay_ratio,
        growth_pct, lq`` (e.g. from :func:`sectorkit.lmi.region_measures`).
    weights : mapping, optional
        Weight per criterion (``size``, ``wages``, ``growth``,
        ``concentration``); missing ones keep the default 1. A weight of 0
        drops the criterion.
    min_known : int, default 2
        Industries with fewer known (positively weighted) criteria are not
        ranked (capped at the number of positively weighted criteria) (``rank`` is missing) but stay in the table.
    titles : bool, default True
        Add ``industry_title`` from sectorkit's NAICS table if missing.

    Returns
    -------
    pandas.DataFrame
        Per industry: each criterion's raw value, ``<criterion>_score``,
        ``<criterion>_weight``, ``<criterion>_contribution``,
        ``n_known``, ``total_score``, ``rank`` (1 = best) and ``why``, sorted
        by rank. Weights are also in ``attrs["weights"]``.

    Raises
    ------
    DataError
        Unknown criterion names, negative or all-zero weights, or a
        measures frame lacking a needed column.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"industry_code": ["31-33", "62"], "employment": [300.0, 200.0],
    ...                   "pay_ratio": [1.2, 1.0], "growth_pct": [2.0, 6.0], "lq": [2.0, 1.1]})
    >>> sector_screen(m, weights={"growth": 4})["industry_code"].tolist()
    ['62', '31-33']
    """
    w = _check_weights(weights)
    need = ["industry_code"] + [c for c, _ in CRITERIA.values()]
    missing = [c for c in need if c not in measures.columns]
    if missing:
        raise DataError(f"The measures table lacks column(s) {missing}; "
                        "build it with sectorkit.lmi.region_measures().")
    # every column is computed on arrays and the frame built once, in its final order (pandas would
    # copy the frame, and deep-copy its attrs, at each of the ~20 steps); read through a view without
    # attrs (pandas deep-copies them for every column taken)
    attrs, measures = measures.attrs, measures.copy(deep=False)
    measures.attrs = {}
    n = len(measures)
    index = pd.RangeIndex(n)
    new: dict[str, object] = {}
    value = {}
    for c in need[1:]:
        v = measures[c]
        value[c] = v.to_numpy() if v.dtype == np.float64 else \
            pd.to_numeric(v, errors="coerce").astype("float64").to_numpy()
    known_w = np.zeros(n)
    n_known = np.zeros(n, dtype="int64")
    for k, (col, _) in CRITERIA.items():
        new[col] = value[col]
        new[f"{k}_score"] = _rank_score(pd.Series(value[col], index=index)).to_numpy(dtype="float64") \
            if w[k] > 0 else np.full(n, np.nan)
        new[f"{k}_weight"] = np.full(n, w[k])
        has = ~np.isnan(value[col]) & (w[k] > 0)
        known_w += np.where(has, w[k], 0.0)
        n_known += has
    with np.errstate(invalid="ignore", divide="ignore"):
        for k in CRITERIA:
            new[f"{k}_contribution"] = w[k] * new[f"{k}_score"] / known_w
    contrib = pd.DataFrame({k: new[f"{k}_contribution"] for k in CRITERIA}, index=index)
    new["n_known"] = n_known
    enough = n_known >= min(min_known, sum(1 for v in w.values() if v > 0))
    total = np.where(enough, contrib.sum(axis=1, min_count=1).to_numpy(), np.nan)
    new["total_score"] = total
    rank = pd.Series(total, index=index).rank(method="min", ascending=False).astype("Int64")
    new["rank"] = rank.array
    size_rank = pd.Series(value["employment"], index=index).rank(method="min", ascending=False).to_numpy()
    n_size = int((~np.isnan(value["employment"])).sum())
    start, end = attrs.get("start_year"), attrs.get("end_year")
    lists = {"size_rank": size_rank.tolist(), **{c: new[c].tolist() for c in _WHY_COLUMNS[:9] if c in new}}
    lists.update({c: measures[c].tolist() for c in _WHY_COLUMNS[9:] if c in measures.columns})
    names = list(lists)
    not_ranked = f" Not ranked: fewer than {min_known} criteria are known."
    new["why"] = np.array([_why(dict(zip(names, r)), n_size, start, end, w) + ("" if ok else not_ranked)
                           for r, ok in zip(zip(*lists.values()), enough.tolist())] if n else [], dtype=object)
    front = ["industry_code"]
    if "industry_title" in measures.columns:
        front.append("industry_title")
    elif titles:
        names_of = _title_of()
        new["industry_title"] = np.array([t if isinstance(t := names_of.get(c), str) else f"NAICS {c}"
                                          for c in measures["industry_code"].tolist()], dtype=object)
        front.append("industry_title")
    order = np.lexsort((measures["industry_code"].to_numpy(dtype=object).astype(str),
                        np.where(rank.isna().to_numpy(), np.iinfo("int64").max,
                                 rank.to_numpy(dtype="int64", na_value=0))))
    crit = []
    for k, (col, _) in CRITERIA.items():
        crit += [col, f"{k}_score", f"{k}_weight", f"{k}_contribution"]
    tail = ["n_known", "total_score", "rank", "why"]
    rest = [c for c in measures.columns if c not in front + crit + tail and c != "size_rank"]
    out = {}
    for c in front + crit + tail + rest:
        v = new[c] if c in new else measures[c].array
        out[c] = v[order] if isinstance(v, np.ndarray) else v.take(order)
    s = pd.DataFrame(out, index=index)
    s.attrs = dict(attrs)
    s.attrs["weights"] = w
    return s


def screen_long(screen: pd.DataFrame) -> pd.DataFrame:
    """The screen in long form: one row per industry and criterion.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"industry_code": ["62", "72"], "employment": [2.0, 1.0],
    ...                   "pay_ratio": [1.0, 0.5], "growth_pct": [1.0, 2.0], "lq": [1.0, 1.0]})
    >>> screen_long(sector_screen(m, titles=False)).shape
    (8, 9)
    """
    rows = []
    for k, (col, label) in CRITERIA.items():
        part = screen[["industry_code", col, f"{k}_score", f"{k}_weight",
                       f"{k}_contribution", "total_score", "rank"]].rename(columns={
            col: "value", f"{k}_score": "score", f"{k}_weight": "weight",
            f"{k}_contribution": "contribution"})
        part.insert(1, "criterion", k)
        part.insert(2, "measure", label)
        rows.append(part)
    return pd.concat(rows, ignore_index=True)


def build_sector_screen(data: pd.DataFrame, region, start_year: int, end_year: int, *,
                        digits: int = 2, own_code: int = 5,
                        weights: Mapping[str, float] | None = None, **measure_kwargs
                        ) -> pd.DataFrame:
    """Region measures and the sector screen in one call.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy QCEW frame.
    region : sectorkit.lmi.Region
        The counties.
    start_year, end_year : int
        Growth period; levels are for ``end_year``.
    digits, own_code, weights, **measure_kwargs
        Passed to :func:`sectorkit.lmi.region_measures` and :func:`sector_screen`.

    Returns
    -------
    pandas.DataFrame
        The screen (see :func:`sector_screen`).

    Examples
    --------
    >>> from sectorkit.lmi import qcew
    >>> from sectorkit.lmi import measures as lmi
    >>> data = qcew.read_area_files(qcew.example_region_path())
    >>> r = lmi.Region.from_crosswalk(qcew.example_region_path() / "crosswalk.csv", "RIVERBEND4")
    >>> s = build_sector_screen(data, r, 2020, 2023)
    >>> s.loc[0, "industry_title"] in set(s["industry_title"])
    True
    """
    m = region_measures(data, region, start_year, end_year, digits=digits, own_code=own_code,
                        **measure_kwargs)
    return sector_screen(m, weights)
