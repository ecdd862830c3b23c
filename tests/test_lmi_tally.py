"""The fast paths of the region measures and the sector screen (sectorkit.lmi.tally, screen): the
NumPy sums equal pandas' merge and group-by to the last bit, the per-year parts kept beside a frame
are never served for another frame and go with it, and the screen's columns, order and ``why`` text
are those of the frame-by-frame pandas computation they replace."""

from __future__ import annotations

import gc
import itertools

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from sectorkit.lmi import cache, memo, screen, tally
from sectorkit.lmi import measures as lmi
from tests.support import QCEW

OHIO = QCEW / "ohio_morpc_county_annual"
CROSSWALK = QCEW / "crosswalk" / "central_ohio_12_county_region.csv"


@pytest.fixture(scope="module")
def real():
    return cache.read_folder(OHIO, cache_dir=False)


@pytest.fixture(scope="module")
def region():
    return lmi.Region.from_crosswalk(CROSSWALK, "CENTRAL_OH12")


def region_rows(data, region, year):
    rows = tally.industry_rows(data, year, (2, 3), 5, ("99",))
    return rows[rows["area_fips"].isin(list(region.counties)).to_numpy()]


def area_totals(data, region, year):
    tot = tally.year_part(data, year)["tot"]
    return tot[tot["area_fips"].isin(list(region.counties)).to_numpy()].set_index("area_fips")["area_total"]


def test_numpy_sums_equal_the_merge_and_group_by_on_the_real_files(real, region):
    for y0, y1 in itertools.combinations([2020, 2021, 2022, 2023], 2):
        end, start = region_rows(real, region, y1), region_rows(real, region, y0)
        fast = tally._sums_numpy(end, start, area_totals(real, region, y1))
        assert fast is not None
        assert_frame_equal(fast, tally._sums_merge(end, start, area_totals(real, region, y1)), check_exact=True)
        assert fast["n_counties_suppressed"].sum() > 0 and (fast["n_matched"] < fast["n_counties"]).any()


def test_numpy_sums_leave_what_they_cannot_match_to_the_last_bit_to_the_merge(real, region):
    end, start, tot = region_rows(real, region, 2023), region_rows(real, region, 2020), area_totals(real, region, 2023)
    twice = pd.concat([end, end.iloc[:1]])  # a county and industry twice: the merge's cross product
    fractional = end.assign(employment=end["employment"] + 0.1)  # sums whose order could show
    whole_ints = end.assign(establishments=end["establishments"].fillna(0).astype("int64"))
    for frame in (twice, fractional, whole_ints):
        assert tally._sums_numpy(frame, start, tot) is None
        assert_frame_equal(tally.industry_sums(frame, start, tot), tally._sums_merge(frame, start, tot))
    assert tally.whole(np.array([1.0, np.nan, 3.0])) and not tally.whole(np.array([1.5]))
    assert not tally.whole(np.array([2.0 ** 53]))


def test_the_year_parts_are_kept_per_frame_never_shared_and_go_with_the_frame(real, region):
    frame = real.copy()
    part = tally.year_part(frame, 2023)
    assert tally.year_part(frame, 2023) is part
    assert set(part["rows"]["year"]) == {2023} and part["rows"].attrs == {}
    # same shape, other figures: its own parts, its own measures
    other = frame.assign(employment=frame["employment"] * 2)
    assert tally.year_part(other, 2023) is not part
    a = lmi.region_measures(frame, region, 2020, 2023, digits=(2, 3), national_growth=0.05)
    b = lmi.region_measures(other, region, 2020, 2023, digits=(2, 3), national_growth=0.05)
    assert (b["employment"].dropna() == 2 * a["employment"].dropna()).all()
    # a column added to the frame is a new key: the parts are cut again
    frame["extra"] = 1
    assert tally.year_part(frame, 2023) is not part
    n = len(memo._MEMO)
    del frame, other, part
    gc.collect()
    assert len(memo._MEMO) <= n - 2


def test_measures_after_changes_of_years_and_counties_equal_those_of_a_fresh_frame(real, region):
    frame = real.copy()
    small = lmi.Region.from_counties(list(region.counties)[:3])
    for y0, y1 in [(2020, 2023), (2021, 2023), (2020, 2022), (2021, 2022), (2020, 2023)]:
        for r in (region, small):
            kept = lmi.region_measures(frame, r, y0, y1, digits=(2, 3), national_growth=0.05)
            fresh = lmi.region_measures(real.copy(), r, y0, y1, digits=(2, 3), national_growth=0.05)
            assert_frame_equal(kept, fresh, check_exact=True)
            assert kept.attrs == fresh.attrs


@pytest.mark.parametrize("value", [1.5, float("nan"), np.float64("nan"), np.float64(2.0), None, pd.NA, "x", 3,
                                   np.int64(0), pd.NaT])
def test_known_is_pandas_notna(value):
    assert screen._known(value) is bool(pd.notna(value))


def test_the_screen_keeps_extra_columns_and_attrs_in_pandas_order():
    m = pd.DataFrame({"industry_code": ["62", "31-33", "777", "72"], "note": list("abcd"),
                      "employment": [300, 400, 10, None], "pay_ratio": ["1.0", "1.2", "x", "0.5"],
                      "growth_pct": [6.0, 2.0, np.nan, 3.0], "lq": [1.1, 2.0, np.nan, 0.8],
                      "suppressed_share": [0.0, 0.25, np.nan, 0.0], "n_counties_suppressed": [0, 1, 0, 0],
                      "n_counties": [3, 4, 1, 2], "employment_is_lower_bound": [False, True, False, False]},
                     index=[10, 11, 12, 13])
    m.attrs = {"start_year": 2020, "end_year": 2023, "region": "R"}
    s = screen.sector_screen(m)
    crit = [c for k, (col, _) in screen.CRITERIA.items()
            for c in (col, f"{k}_score", f"{k}_weight", f"{k}_contribution")]
    assert list(s.columns) == ["industry_code", "industry_title", *crit, "n_known", "total_score", "rank", "why",
                               "note", "suppressed_share", "n_counties_suppressed", "n_counties",
                               "employment_is_lower_bound"]
    assert list(s.index) == [0, 1, 2, 3] and s["industry_code"].tolist() == ["31-33", "62", "72", "777"]
    assert s["note"].tolist() == ["b", "a", "d", "c"] and s["pay_ratio"].dtype == np.float64
    assert s.loc[3, "industry_title"] == "NAICS 777" and pd.isna(s.loc[3, "rank"])
    assert s.loc[3, "why"].endswith("Not ranked: fewer than 2 criteria are known.")
    assert s.loc[0, "why"].startswith("at least 400 jobs (size rank 1 of 3)")
    assert "Suppressed in 1 of 4 counties (25% of region jobs live there)" in s.loc[0, "why"]
    assert "jobs grew 2.0% 2020-2023" in s.loc[0, "why"]
    assert s.attrs == {**m.attrs, "weights": screen.DEFAULT_WEIGHTS} and "weights" not in m.attrs
    assert screen.sector_screen(m.iloc[:0], titles=False).empty
