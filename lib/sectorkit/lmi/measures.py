"""Regions and labor-market measures from a QCEW tidy frame.

A *region* is any set of counties. County rows from :mod:`sectorkit.lmi.qcew`
add up to the region, and :func:`region_measures` returns one row per
industry (NAICS 2- or 3-digit, private ownership by default) with size,
pay, growth, location quotient (LQ), shift-share and how much of the
picture is hidden by BLS suppression.

Method choices (read these before teaching with the numbers)
------------------------------------------------------------
**Location quotient.** BLS defines LQ = (local industry employment / local
all-ownership, all-industry total) / (the same ratio for the U.S.). The
industry term uses the row's ownership code; the denominator is the
``own_code 0, industry 10`` total.

* Single-county region: the published BLS LQ is used as is.
* The data holds a national file (area code starting with ``US``, e.g. the
  illustrative ``US999``): the national share is computed exactly.
* Otherwise (real county files without U.S. totals) the national share of
  each industry, ``s = E_i / E_total``, is *implied* by the published county
  LQs: each county gives ``local_share / LQ``. Because the published LQ is
  rounded to 2 decimals, each county actually pins ``s`` inside an interval
  ``[local_share / (LQ + 0.005), local_share / (LQ - 0.005)]``. We combine
  counties by **intersecting their intervals** (every county sees the same
  ``s``) and take the midpoint. The half-width of the intersection divided by
  the midpoint is a hard bound on the rounding error of the share, and hence
  of the region LQ; it is returned as ``lq_rel_error``. With a dozen counties
  it is typically well under 1 %; with one county whose LQ is 0.10 it is 5 %.
  If the intervals do not intersect (inconsistent inputs) the median of the
  point estimates is used and the row is flagged. The region LQ is then
  ``(sum of region employment / sum of region totals) / s``.
* ``reference_counties``: the LQ is measured against that set of counties
  instead of the nation (e.g. the region versus a state's counties).

**Suppression.** Suppressed county cells are unknown, never zero. Region
employment adds up the disclosed counties only, so where any county is
suppressed the region figure is a lower bound (``employment_is_lower_bound``);
``suppressed_share`` says what share of the region's jobs (all industries)
sit in counties where this industry is suppressed. Growth is measured on the
counties disclosed in *both* years, so the suppression pattern cannot
create growth.

**NAICS 2017 -> 2022.** Years up to 2021 use NAICS 2017 and later years
NAICS 2022. For 3-digit (and finer) codes, growth across the break is marked
not comparable when the code appears or disappears across it in the loaded
data, or when it is one of the codes whose content changed
(:data:`NAICS_2022_CHANGED`: all retail 3-digit codes, because nonstore
retail 454 was redistributed, and publishing/broadcasting/information
511, 513, 515, 516, 519). The 2-digit sectors are continuous.

**Shift-share** splits the region's change ``e1 - e0`` into a reference
growth effect ``e0 * G``, an industry-mix effect ``e0 * (g_i - G)`` and a
competitive (regional) effect ``e0 * (g_r - g_i)``, where ``G`` is the
reference all-industry growth, ``g_i`` the reference growth of the industry
and ``g_r`` the region's. The reference is, in order of preference:
``reference_counties`` if given, a national file in the data, or the national
industry growth implied by the LQ-derived shares, ``g_i = (s1 / s0)(1 + G) - 1``,
which needs the national all-industry growth ``national_growth`` from the
user (county files cannot reveal it). Without any of these the shift-share
columns are NaN and ``shift_share_reference`` says why.

Examples
--------
>>> from sectorkit.lmi import qcew
>>> from sectorkit.lmi import measures as lmi
>>> data = qcew.read_area_files(qcew.example_region_path())
>>> region = lmi.Region.from_crosswalk(qcew.example_region_path() / "crosswalk.csv",
...                                    "RIVERBEND4")
>>> m = lmi.region_measures(data, region, 2020, 2023)
>>> bool(m.set_index("industry_code").loc["31-33", "lq"] > 1)
True
"""

from __future__ import annotations

import copy
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from sectorkit.core.errors import DataError
from sectorkit.lmi import tally
from sectorkit.lmi.memo import per_frame
from sectorkit.lmi.rates import RateLooksLikePercent, check_rate  # noqa: F401 - re-exported
from sectorkit.lmi.regions import CROSSWALK_COLUMNS, Region, read_crosswalk  # noqa: F401 - re-exported

__all__ = [
    "NAICS_2022_CHANGED",
    "RateLooksLikePercent",
    "Region",
    "check_rate",
    "growth_comparability",
    "implied_national_shares",
    "read_crosswalk",
    "region_measures",
]

#: 3-digit NAICS codes whose content changed between NAICS 2017 and 2022.
NAICS_2022_CHANGED: frozenset[str] = frozenset(
    {"441", "442", "443", "444", "445", "446", "447", "448", "449", "451", "452", "453",
     "454", "455", "456", "457", "458", "459", "511", "513", "515", "516", "519"}
)
#: The first year coded in NAICS 2022 in QCEW.
NAICS_2022_FIRST_YEAR = 2022
LQ_HALF_UNIT = 0.005  # published LQs are rounded to 2 decimals
#: the largest plausible U.S. all-industry employment growth over a period, as a fraction (50 %):
#: a bigger number given as ``national_growth`` is taken for a percentage and asked about
NATIONAL_GROWTH_LIMIT = 0.5


# --------------------------------------------------------------------------- helpers
_totals = tally.totals  # all-ownership, all-industry totals per area and year (employment, wages)
_is_nation = tally.is_nation


def _with_area_total(d: pd.DataFrame, tot: pd.DataFrame) -> pd.DataFrame:
    """``d`` with each row's ``area_total`` from ``tot`` (:func:`_totals`): an inner join on area and
    year, in ``d``'s order; a lookup, 3x faster than a merge (the merge when totals repeat)."""
    n = len(d)
    codes, _ = pd.factorize(np.concatenate([d["area_fips"].to_numpy(dtype=object),
                                            tot["area_fips"].to_numpy(dtype=object)]))
    key = codes * 10_000 + np.concatenate([d["year"].to_numpy(), tot["year"].to_numpy()]).astype("int64")
    index = pd.Index(key[n:])
    if not index.is_unique:
        return d.merge(tot[["area_fips", "year", "area_total"]], on=["area_fips", "year"], how="inner")
    pos = index.get_indexer(key[:n])
    return d[pos >= 0].reset_index(drop=True).assign(area_total=tot["area_total"].to_numpy()[pos[pos >= 0]])


def growth_comparability(codes: Sequence[str], start_year: int, end_year: int,
                         codes_start: Iterable[str] = (), codes_end: Iterable[str] = ()
                         ) -> pd.DataFrame:
    """Say whether each industry's growth from ``start_year`` to ``end_year`` compares like for like.

    Parameters
    ----------
    codes : sequence of str
        Industry codes to judge.
    start_year, end_year : int
        The period.
    codes_start, codes_end : iterable of str
        Codes present in the data in the start and end year (any area,
        suppressed or not). A 3-digit code missing on one side of the
        NAICS 2017/2022 break is a discontinued or new code.

    Returns
    -------
    pandas.DataFrame
        ``industry_code, growth_comparable, growth_note``.

    Examples
    --------
    >>> growth_comparability(["62", "452", "622"], 2020, 2023, ["62", "452", "622"],
    ...                      ["62", "455", "622"]).values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['62', True, ''],
     ['452', False, 'not comparable: 452 is not in the NAICS 2022 data (discontinued code)'],
     ['622', True, '']]
    """
    s0, s1 = set(codes_start), set(codes_end)
    crosses = start_year < NAICS_2022_FIRST_YEAR <= end_year
    ok, notes = [], []
    for c in codes:
        fine = not crosses or len(c) <= 2 or "-" in c or c == "10"
        note = ""
        if not fine:
            if s0 and c not in s0:
                note = f"not comparable: {c} is new in NAICS 2022 (absent in {start_year})"
            elif s1 and c not in s1:
                note = f"not comparable: {c} is not in the NAICS 2022 data (discontinued code)"
            elif c[:3] in NAICS_2022_CHANGED:
                note = f"not comparable: the content of {c} changed with NAICS 2022"
            else:
                fine = True
        ok.append(fine)
        notes.append(note)
    return pd.DataFrame({"industry_code": list(codes), "growth_comparable": ok,
                         "growth_note": notes})


def implied_national_shares(data: pd.DataFrame, own_code: int | Sequence[int] | None = None,
                            leave_one_out: bool = False) -> pd.DataFrame:
    """National employment share of each industry implied by published county LQs.

    Each disclosed county row with a published LQ bounds the national share
    ``s = E_i / E_total`` to ``[l / (LQ + 0.005), l / (LQ - 0.005)]`` where
    ``l`` is the county's industry employment over its all-ownership total.
    The bounds of all counties are intersected and the midpoint is returned.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy county rows (:mod:`sectorkit.lmi.qcew`), any number of counties.
    own_code : int or sequence of int, optional
        Restrict to these ownership codes.
    leave_one_out : bool, default False
        If True, return one row per county row with the share implied by
        the *other* counties (used to check the method against BLS's LQs).

    Returns
    -------
    pandas.DataFrame
        ``year, own_code, industry_code`` (and ``area_fips``, ``local_share``,
        ``lq_published`` when ``leave_one_out``), ``national_share``,
        ``share_low``, ``share_high``, ``rel_error`` (half-width / share),
        ``n_counties`` and ``consistent``.

    Examples
    --------
    >>> d = pd.DataFrame({"area_fips": ["A", "A", "B", "B"], "year": 2023,
    ...     "own_code": [0, 5, 0, 5], "industry_code": ["10", "62", "10", "62"],
    ...     "naics_digits": [0, 2, 0, 2], "suppressed": False,
    ...     "employment": [1000., 150., 500., 50.], "lq_employment": [1.0, 1.5, 1.0, 1.0]})
    >>> s = implied_national_shares(d, own_code=5)
    >>> round(float(s["national_share"].iloc[0]), 4), int(s["n_counties"].iloc[0])
    (0.1, 2)
    """
    tot = _totals(data)
    sel = (data["naics_digits"].to_numpy() >= 0) & ~data["suppressed"].to_numpy() \
        & ~(data["own_code"].to_numpy() == 0) & ~_is_nation(data["area_fips"])
    if own_code is not None:
        sel &= np.isin(data["own_code"].to_numpy(), np.atleast_1d(own_code))
    d = data.loc[sel, ["area_fips", "year", "own_code", "industry_code", "employment",
                       "lq_employment"]]
    d = d[d["lq_employment"].notna().to_numpy() & (d["employment"].to_numpy() > 0)]
    d = _with_area_total(d, tot)
    lq = d["lq_employment"].to_numpy()
    local = d["employment"].to_numpy() / d["area_total"].to_numpy()
    half = LQ_HALF_UNIT + 1e-9
    lo = local / (lq + half)
    with np.errstate(divide="ignore"):
        hi = np.where(lq > half, local / np.maximum(lq - half, 1e-12), np.inf)
        point = np.where(lq > 0, local / np.where(lq > 0, lq, 1.0), np.nan)
    d = d.assign(local_share=local, lo=lo, hi=hi, point=point)
    key = ["year", "own_code", "industry_code"]
    if not leave_one_out:
        g = d.groupby(key, sort=False)  # one reduction at a time: 2.5x faster than a named .agg
        out = pd.DataFrame({"share_low": g["lo"].max(), "share_high": g["hi"].min(),
                            "n_counties": g.size()}).reset_index()
        # the median of the point estimates is the fallback for the few industries whose
        # intervals do not intersect (or are unbounded): compute it for those only
        need = ~((out["share_low"].to_numpy() <= out["share_high"].to_numpy() * (1 + 1e-9))
                 & np.isfinite(out["share_high"].to_numpy()))
        out["median_point"] = np.nan
        if need.any():
            few = out.loc[need, key]
            sub = d.merge(few, on=key, how="inner")
            med = sub.groupby(key, sort=False)["point"].median().rename("m").reset_index()
            out.loc[need, "median_point"] = few.merge(med, on=key, how="left")["m"].to_numpy()
    else:
        g = d.groupby(key, sort=False)
        n = g["lo"].transform("size").to_numpy()
        lo_rank = g["lo"].rank(method="first", ascending=False).to_numpy()
        hi_rank = g["hi"].rank(method="first", ascending=True).to_numpy()
        lo1 = g["lo"].transform("max").to_numpy()
        hi1 = g["hi"].transform("min").to_numpy()
        lo2 = d["lo"].where(lo_rank == 2).groupby([d[k] for k in key]).transform("max").to_numpy()
        hi2 = d["hi"].where(hi_rank == 2).groupby([d[k] for k in key]).transform("min").to_numpy()
        pt = d["point"]
        sum_pt = pt.groupby([d[k] for k in key]).transform("sum").to_numpy()
        cnt_pt = pt.notna().groupby([d[k] for k in key]).transform("sum").to_numpy()
        own_pt = np.nan_to_num(pt.to_numpy())
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_other = (sum_pt - own_pt) / (cnt_pt - pt.notna().to_numpy())
        out = d[["area_fips"] + key + ["local_share", "lq_employment"]].rename(
            columns={"lq_employment": "lq_published"})
        out = out.assign(share_low=np.where(lo_rank == 1, lo2, lo1),
                         share_high=np.where(hi_rank == 1, hi2, hi1),
                         median_point=mean_other, n_counties=n - 1)
        out = out[out["n_counties"].to_numpy() > 0]
    low, high = out["share_low"].to_numpy(), out["share_high"].to_numpy()
    consistent = low <= high * (1 + 1e-9)
    share = np.where(consistent & np.isfinite(high), (low + high) / 2, out["median_point"])
    share = np.where(consistent & ~np.isfinite(high), np.nan, share)
    with np.errstate(invalid="ignore"):
        rel = np.where(consistent & np.isfinite(high), (high - low) / 2 / share, np.nan)
    return out.drop(columns="median_point").assign(
        national_share=share, rel_error=rel, consistent=consistent).reset_index(drop=True)


# --------------------------------------------------------------------------- measures
def _check_region_data(t: pd.DataFrame, region: Region, years: Sequence[int]) -> None:
    """Raise unless every county of the region has a total in each year (``t``: :func:`_totals`)."""
    have = set(zip(t["area_fips"].tolist(), t["year"].tolist()))
    for y in years:
        missing = [c for c in region.counties if (c, y) not in have]
        if missing:
            raise DataError(
                f"No QCEW data for {', '.join(missing)} in {y} (region {region.region_id}). "
                "Load that county's file for that year or choose other years."
            )


def region_measures(data: pd.DataFrame, region: Region, start_year: int, end_year: int, *,
                    digits: int | Sequence[int] = 2, own_code: int = 5,
                    reference_counties: Sequence[str] | None = None,
                    national_growth: float | None = None,
                    exclude: Sequence[str] = ("99",)) -> pd.DataFrame:
    """Size, pay, growth, LQ, shift-share and suppression for a region's industries.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy QCEW frame from :mod:`sectorkit.lmi.qcew` (may also hold other
        counties and a national ``US...`` area).
    region : Region
        The counties to add up.
    start_year, end_year : int
        Period for change and growth; levels are for ``end_year``.
    digits : int or sequence of int, default 2
        NAICS level(s): 2 (sectors) and/or 3 (subsectors).
    own_code : int, default 5
        Ownership: 5 private, 1/2/3 government, 0 all (only industry 10).
    reference_counties : sequence of str, optional
        Measure LQ and shift-share against these counties instead of the nation.
    national_growth : float or str, optional
        National all-industry employment growth from ``start_year`` to
        ``end_year`` as a fraction (0.05 = 5 %, or the text ``"5%"``); needed for
        shift-share when the data has no national file and no ``reference_counties``.
        A number beyond +-0.5 looks like a percentage and raises
        :class:`~sectorkit.lmi.rates.RateLooksLikePercent` ("Did you mean 7.14 % = 0.0714?";
        type ``"60%"`` to mean 60 %).
    exclude : sequence of str, default ("99",)
        Industry codes left out (99 = unclassified).

    Returns
    -------
    pandas.DataFrame
        One row per industry: ``industry_code, naics_digits, own_code,
        employment, employment_start, establishments, avg_annual_pay,
        pay_ratio, employment_change, growth_pct, cagr_pct,
        growth_comparable, growth_note, lq, lq_rel_error, lq_method,
        national_growth_effect, industry_mix_effect, competitive_effect,
        shift_share_reference, n_counties, n_counties_suppressed,
        suppressed_share, employment_is_lower_bound``. ``pay_ratio`` is the
        industry's average annual pay over the region's all-industry,
        all-ownership average. ``attrs`` holds the region, years,
        ``region_avg_pay``, ``region_employment`` and
        ``unassigned_share`` (share of the ownership's jobs that are in no
        disclosed industry at this level because of suppression).

    Raises
    ------
    DataError
        If a region county has no data for one of the years.

    Examples
    --------
    >>> from sectorkit.lmi import qcew
    >>> data = qcew.read_area_files(qcew.example_region_path())
    >>> r = Region.from_counties(["99001", "99003", "99005", "99007"])
    >>> m = region_measures(data, r, 2020, 2023).set_index("industry_code")
    >>> bool(m.loc["48-49", "growth_pct"] > m.loc["44-45", "growth_pct"])
    True
    >>> m.loc["62", "lq_method"]
    'national file'
    """
    years = (int(start_year), int(end_year))
    if years[0] >= years[1]:
        raise DataError(f"start_year {start_year} must be before end_year {end_year}.")
    if national_growth is not None:  # a percentage typed for a fraction is asked about, not used
        national_growth = check_rate(national_growth, expect="fraction", name="National growth",
                                     limit=NATIONAL_GROWTH_LIMIT)
    digits = tuple(np.atleast_1d(digits).tolist())
    exclude = tuple(exclude)
    # one year of the frame at a time, cut once and kept beside the frame (lmi.tally, lmi.memo): a change
    # of years reuses the year that stays, a change of counties both; the parts carry no ``attrs``
    source, data_attrs = data, copy.deepcopy(data.attrs)
    part = {y: tally.year_part(source, y) for y in years}
    ind_y = {y: tally.industry_rows(source, y, digits, own_code, exclude) for y in years}
    counties = list(region.counties)
    _check_region_data(pd.concat([part[y]["tot"] for y in years]), region, years)
    reg_ind = {y: ind_y[y][ind_y[y]["area_fips"].isin(counties).to_numpy()] for y in years}  # hashed, not pairwise
    tot1 = part[years[1]]["tot"]
    reg_tot1 = tot1[tot1["area_fips"].isin(counties).to_numpy()]
    T1, wages1 = (_region_sum(reg_tot1[c]) for c in ("area_total", "area_total_wages"))
    region_avg_pay = wages1 / T1

    # ---- county rows of the end and start years, matched by county and industry, summed by industry
    res = tally.industry_sums(reg_ind[years[1]], reg_ind[years[0]],
                              reg_tot1.set_index("area_fips")["area_total"])
    codes = res["industry_code"].to_numpy(dtype=object)
    col = {c: res[c].to_numpy() for c in tally.SUM_COLUMNS}
    naics_digits = np.array([3 if len(c) == 3 else 2 for c in codes], dtype="int64")
    emp = col["employment"]
    with np.errstate(invalid="ignore", divide="ignore"):
        avg_pay = col["total_wages"] / emp
        m1, m0 = col["emp_m1"], col["emp_m0"]
        growth = np.where(m0 > 0, m1 / m0 - 1, np.nan)
    span = years[1] - years[0]
    comp = growth_comparability(codes.tolist(), *years, codes_start=part[years[0]]["codes"],
                                codes_end=part[years[1]]["codes"])
    ok = comp["growth_comparable"].to_numpy()
    notes = comp["growth_note"].to_numpy(dtype=object)
    partial = ok & (col["n_matched"] < col["n_counties"]) & ~np.isnan(growth)
    notes = np.where(partial, [f"growth over the {k} of {n} counties disclosed in both years"
                               for k, n in zip(col["n_matched"].tolist(), col["n_counties"].tolist())], notes)
    notes = np.where(ok & np.isnan(growth) & (notes == ""), "growth unknown: suppressed", notes)
    growth = np.where(ok, growth, np.nan)
    with np.errstate(invalid="ignore"):
        cagr = (np.power(1 + growth, 1 / span) - 1) * 100

    # ---- location quotient
    def implied(y: int) -> pd.DataFrame:
        """The year's implied national shares by industry code; per year of the whole frame, kept
        beside it, so a change of years reuses the other year."""
        kept = per_frame(source).setdefault(("implied", digits, own_code, exclude, tally._frame_key(source)), {})
        if y not in kept:
            missing = [x for x in years if x not in kept]
            got = implied_national_shares(pd.concat([ind_y[x] for x in missing] + [part[x]["t10"] for x in missing]),
                                          own_code=own_code)
            for x in missing:
                kept[x] = got[got["year"].to_numpy() == x].set_index("industry_code")
        return kept[y]

    region_share = emp / T1
    nation = pd.concat([part[y]["nation"] for y in years]) if any(len(part[y]["nation"]) for y in years) \
        else part[years[1]]["nation"]
    lq_rel = np.full(len(codes), np.nan)
    if reference_counties is not None:
        refc = list(reference_counties)
        ref = ind_y[years[1]][ind_y[years[1]]["area_fips"].isin(refc).to_numpy()]
        ref_T = tot1.loc[tot1["area_fips"].isin(refc).to_numpy(), "area_total"].sum()
        s = ref.groupby("industry_code")["employment"].sum(min_count=1) / ref_T
        lq = region_share / _at(s, codes)
        method = "reference counties"
    elif len(counties) == 1:
        pub = reg_ind[years[1]].set_index("industry_code")["lq_employment"]
        lq = _at(pub, codes)
        lq_rel = LQ_HALF_UNIT / lq
        method = "published (BLS)"
    elif len(nation):
        s = _nation_shares(nation, years[1], own_code)
        lq = region_share / _at(s, codes)
        lq_rel = np.zeros(len(codes))
        method = "national file"
    else:
        imp = implied(years[1])
        lq = region_share / _at(imp["national_share"], codes)
        lq_rel = _at(imp["rel_error"], codes)
        method = "implied from county LQs"

    # ---- shift-share
    G, gi, ref_note = _reference_growth(part, ind_y, codes, years, own_code, reference_counties,
                                        national_growth, nation, implied)
    e0 = col["emp_m0"]
    ok_ss = ok & ~np.isnan(gi) & ~np.isnan(growth) & np.isfinite(G)

    # ---- region-level suppression gap (sums skip unknown cells, as pandas' do)
    t_own = part[years[1]]["all10"]
    own_tot = np.nansum(t_own["employment"].to_numpy()[
        (t_own["own_code"].to_numpy() == own_code) & t_own["area_fips"].isin(counties).to_numpy()])
    unassigned = {}
    r1 = reg_ind[years[1]]
    r_digits, r_emp = r1["naics_digits"].to_numpy(), r1["employment"].to_numpy()
    for k in digits:
        known = np.nansum(r_emp[r_digits == k])
        unassigned[k] = float(max(own_tot - known, 0.0) / own_tot) if own_tot else float("nan")

    order = np.argsort(naics_digits, kind="stable")  # the rows are sorted by code: now by level, then code
    columns = {
        "industry_code": res["industry_code"].array, "naics_digits": naics_digits,
        "own_code": np.full(len(codes), own_code, dtype="int64"), "employment": emp,
        "employment_start": col["employment_start_all"], "establishments": col["establishments"],
        "avg_annual_pay": avg_pay, "pay_ratio": avg_pay / region_avg_pay,
        "employment_change": np.where(ok, m1 - m0, np.nan), "growth_pct": growth * 100, "cagr_pct": cagr,
        "growth_comparable": ok, "growth_note": notes, "lq": lq, "lq_rel_error": lq_rel, "lq_method": method,
        "national_growth_effect": np.where(ok_ss, e0 * G, np.nan),
        "industry_mix_effect": np.where(ok_ss, e0 * (gi - G), np.nan),
        "competitive_effect": np.where(ok_ss, e0 * (growth - gi), np.nan),
        "shift_share_reference": ref_note, "n_counties": col["n_counties"],
        "n_counties_suppressed": col["n_counties_suppressed"], "suppressed_share": col["supp_total"] / T1,
        "employment_is_lower_bound": col["n_counties_suppressed"] > 0}
    out = pd.DataFrame({k: v[order] if isinstance(v, (np.ndarray, pd.api.extensions.ExtensionArray)) else v
                        for k, v in columns.items()}, index=pd.RangeIndex(len(codes)))
    out.attrs = data_attrs
    out.attrs.update(region=region.region_id, region_name=region.name, counties=counties,
                     start_year=years[0], end_year=years[1], own_code=own_code,
                     region_employment=T1, region_avg_pay=region_avg_pay,
                     unassigned_share=unassigned, lq_method=method,
                     shift_share_reference=ref_note)
    return out


def _region_sum(s: pd.Series) -> float:
    """The sum of the known values (0 if none), to the last bit as a group-by sum gives it."""
    if tally.whole(s.to_numpy(dtype="float64")):
        return float(np.nansum(s.to_numpy(dtype="float64")))
    return float(s.groupby(np.zeros(len(s), dtype="int64")).sum().iloc[0]) if len(s) else 0.0


def _at(s: pd.Series, codes: np.ndarray) -> np.ndarray:
    """``s``'s values at ``codes`` (NaN where missing), as floats: ``Series.map`` on arrays."""
    pos = s.index.get_indexer(codes)
    v = s.to_numpy(dtype="float64")
    return np.where(pos >= 0, v[pos], np.nan) if len(v) else np.full(len(codes), np.nan)


def _nation_shares(nation: pd.DataFrame, year: int, own_code: int) -> pd.Series:
    n = nation[nation["year"].to_numpy() == year]
    total = n.loc[(n["own_code"] == 0) & (n["industry_code"] == "10"), "employment"]
    if total.empty:
        raise DataError(f"The national file for {year} has no own_code 0, industry 10 total row.")
    rows = n[n["own_code"].to_numpy() == own_code]
    return rows.set_index("industry_code")["employment"] / float(total.iloc[0])


def _reference_growth(part, ind_y, codes, years, own_code, reference_counties, national_growth,
                      nation, implied):
    """Reference all-industry growth G and industry growth g_i (aligned with ``codes``)."""
    if reference_counties is not None:
        refc = list(reference_counties)
        tot = pd.concat([part[y]["tot"] for y in years])
        t = tot[tot["area_fips"].isin(refc).to_numpy()].groupby("year")["area_total"].sum()
        G = float(t.loc[years[1]] / t.loc[years[0]] - 1)
        ind = pd.concat([ind_y[y] for y in years])
        r = ind[ind["area_fips"].isin(refc).to_numpy()]
        p = r.pivot_table(index=["area_fips", "industry_code"], columns="year",
                          values="employment", aggfunc="sum")
        p = p.dropna()
        s = p.groupby("industry_code").sum()
        gi = (s[years[1]] / s[years[0]] - 1) if len(s) else pd.Series(dtype="float64")
        return G, _at(gi, codes), \
            f"reference counties ({len(refc)}), growth on counties disclosed in both years"
    if len(nation):
        s1 = _nation_shares(nation, years[1], own_code)
        s0 = _nation_shares(nation, years[0], own_code)
        n = nation[(nation["own_code"] == 0) & (nation["industry_code"] == "10")]
        t = n.set_index("year")["employment"]
        G = float(t.loc[years[1]] / t.loc[years[0]] - 1)
        gi = (s1 / s0) * (1 + G) - 1
        return G, _at(gi, codes), "national file"
    if national_growth is None:
        return float("nan"), np.full(len(codes), np.nan), (
            "not computed: give national_growth (U.S. all-industry growth for the period) "
            "or reference_counties")
    G = float(national_growth)
    s0, s1 = (_at(implied(y)["national_share"], codes) for y in years)
    gi = (s1 / s0) * (1 + G) - 1
    return G, gi, (
        f"nation: industry growth implied by county LQs, all-industry growth {G:.2%} given")
