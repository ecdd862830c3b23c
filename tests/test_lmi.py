"""Tests of sectorkit.lmi: LQ oracle on real data, regions, vintage break, shift-share."""

import numpy as np
import pandas as pd
import pytest

from sectorkit.core.errors import DataError
from sectorkit.lmi import measures as lmi
from sectorkit.lmi import qcew
from tests.support import QCEW

CROSSWALK = QCEW / "crosswalk" / "central_ohio_12_county_region.csv"


@pytest.fixture(scope="module")
def real():
    files = sorted((QCEW / "ohio_morpc_county_annual").glob("*.csv.gz"))
    assert len(files) == 48, f"shared QCEW data missing at {QCEW} (set SECTORKIT_SHARED)"
    return qcew.read_area_files(files)


@pytest.fixture(scope="module")
def example():
    return qcew.read_area_files(qcew.example_region_path())


def test_oracle_county_lq_reproduced_within_rounding(real):
    """County LQs reproduce BLS's ``lq_annual_avg_emplvl`` within its 2-decimal rounding.

    Method (PROVENANCE.md section 5, leave one out): the shared files have no U.S. figures, so
    the national share of an industry is implied by ANOTHER county's published LQ.

    * Rows: every disclosed county row at NAICS 2 or 3 digits, private or government
      ownership, with a published LQ > 0 and employment > 0 (``l_i`` = its employment over
      the county's own_code 0 / industry 10 total). Pairs: that row with each other county
      ``j`` disclosed for the same year, ownership and industry with ``LQ_j > 0``.
    * Prediction from county ``j``: ``share_us = l_j / LQ_j`` and
      ``pred_i = l_i / share_us = l_i * LQ_j / l_j``.
    * Bound: both LQs are rounded to 2 decimals. ``LQ_j``'s rounding (+-0.005) moves
      ``pred_i`` by at most ``0.005 * l_i / l_j`` (= ``0.005 * pred_i / LQ_j``), and the
      published ``LQ_i`` is within 0.005 of the true value, so a pair passes when
      ``|pred_i - LQ_i| <= 0.005 + 0.005 * l_i / l_j`` (plus 1e-9 for floating point).
    * A row passes only if EVERY one of its pairs passes. We assert >= 99.9% of rows (and
      of pairs). No other widening: no intersection across counties, no relative slack.

    For reference (not asserted): with the bound of the published LQ alone (|pred - LQ_i|
    <= 0.005), about 2/3 of pairs pass, because a 2-decimal ``LQ_j`` cannot pin the share
    tighter than its own rounding.
    """
    tot = lmi._totals(real)
    d = real[real["naics_digits"].isin([2, 3]).to_numpy() & ~real["suppressed"].to_numpy()
             & (real["own_code"].to_numpy() != 0)]
    d = d[(d["lq_employment"] > 0) & (d["employment"] > 0)]
    d = d.merge(tot[["area_fips", "year", "area_total"]], on=["area_fips", "year"])
    d = d.assign(l=d["employment"] / d["area_total"])
    key = ["year", "own_code", "industry_code"]
    cols = key + ["area_fips", "l", "lq_employment"]
    pairs = d[cols].merge(d[cols], on=key, suffixes=("", "_ref"))
    pairs = pairs[pairs["area_fips"] != pairs["area_fips_ref"]]
    pred = pairs["l"] * pairs["lq_employment_ref"] / pairs["l_ref"]
    bound = 0.005 + 0.005 * pairs["l"] / pairs["l_ref"]
    ok = (pred - pairs["lq_employment"]).abs() <= bound + 1e-9
    rows_ok = ok.groupby([pairs[k] for k in key + ["area_fips"]]).all()
    assert len(rows_ok) > 4000  # disclosed NAICS 2-3 digit rows with another county to compare
    assert len(pairs) > 30000
    assert rows_ok.mean() >= 0.999, f"{rows_ok.mean():.4%} of {len(rows_ok)} rows"
    assert ok.mean() >= 0.999, f"{ok.mean():.4%} of {len(pairs)} pairs"
    # the bound is informative: from the best-measured other county it is tight
    tightest = bound.groupby([pairs[k] for k in key + ["area_fips"]]).min()
    assert tightest.median() < 0.0075


def test_oracle_leave_one_out_combined_counties(real):
    """The library's own estimator (``implied_national_shares``, which intersects the rounding
    intervals of all OTHER counties) reproduces each county's published LQ within
    ``0.005 + pred * rel_error`` (published rounding plus the proven half-width of the
    intersected share interval) for >= 99.9% of disclosed NAICS 2-3 digit rows."""
    d = real[real["naics_digits"].isin([2, 3]) | (real["industry_code"] == "10")]
    loo = lmi.implied_national_shares(d, leave_one_out=True)
    loo = loo[loo["industry_code"] != "10"]
    loo = loo[np.isfinite(loo["rel_error"])]
    pred = loo["local_share"] / loo["national_share"]
    tol = 0.005 + pred * loo["rel_error"] + 1e-9
    ok = (pred - loo["lq_published"]).abs() <= tol
    assert len(loo) > 4000
    assert ok.mean() >= 0.999
    # the other counties pin the national share tightly: median bound well under 1 %
    assert loo["rel_error"].median() < 0.005


def test_single_county_uses_published_lq(real):
    r = lmi.Region.from_counties(["39049"])
    m = lmi.region_measures(real, r, 2021, 2023)
    pub = real[(real.area_fips == "39049") & (real.year == 2023) & (real.own_code == 5)
               & (real.naics_digits == 2)].set_index("industry_code")["lq_employment"]
    got = m.set_index("industry_code")["lq"]
    common = got.index.intersection(pub.dropna().index)
    assert len(common) > 15
    assert np.allclose(got[common], pub[common])
    assert (m["lq_method"] == "published (BLS)").all()


def test_region_lq_implied_matches_exact_nation(example):
    r = lmi.Region.from_crosswalk(qcew.example_region_path() / "crosswalk.csv", "RIVERBEND4")
    exact = lmi.region_measures(example, r, 2020, 2023, digits=(2, 3)).set_index("industry_code")
    counties_only = example[~example["area_fips"].str.startswith("US")]
    implied = lmi.region_measures(counties_only, r, 2020, 2023, digits=(2, 3),
                                  national_growth=0.04).set_index("industry_code")
    assert (implied["lq_method"] == "implied from county LQs").all()
    both = exact["lq"].notna() & implied["lq"].notna()
    rel = (implied["lq"][both] / exact["lq"][both] - 1).abs()
    assert both.sum() > 30
    assert (rel <= implied["lq_rel_error"][both] + 1e-9).mean() >= 0.95
    assert rel.max() < 0.05


def test_region_lq_by_hand(example):
    r = lmi.Region.from_counties(["99001", "99003"])
    m = lmi.region_measures(example, r, 2021, 2023).set_index("industry_code")
    e = example[example.year == 2023]
    def emp(area, own, code):
        return e[(e.area_fips == area) & (e.own_code == own) & (e.industry_code == code)][
            "employment"].sum()
    local = (emp("99001", 5, "62") + emp("99003", 5, "62")) / (
        emp("99001", 0, "10") + emp("99003", 0, "10"))
    nat = emp("US999", 5, "62") / emp("US999", 0, "10")
    assert m.loc["62", "lq"] == pytest.approx(local / nat)


def test_reference_counties_lq_and_shift_share(example):
    r = lmi.Region.from_counties(["99005"])
    ref = ["99001", "99003", "99005", "99007"]
    m = lmi.region_measures(example, r, 2020, 2023, reference_counties=ref)
    assert (m["lq_method"] == "reference counties").all()
    own = lmi.region_measures(example, lmi.Region.from_counties(ref), 2020, 2023,
                              reference_counties=ref)
    full = own[own["n_counties_suppressed"] == 0]
    assert np.allclose(full["lq"], 1.0)
    ss = m.dropna(subset=["competitive_effect"])
    total = ss["national_growth_effect"] + ss["industry_mix_effect"] + ss["competitive_effect"]
    assert len(ss) > 5
    assert np.allclose(total, ss["employment_change"])


def test_shift_share_needs_reference_on_real_data(real):
    r = lmi.Region.from_crosswalk(CROSSWALK, "CENTRAL_OH12")
    m = lmi.region_measures(real, r, 2020, 2023)
    assert m["competitive_effect"].isna().all()
    assert "national_growth" in m.attrs["shift_share_reference"]
    m2 = lmi.region_measures(real, r, 2020, 2023, national_growth=0.05)
    ok = m2.dropna(subset=["competitive_effect"])
    assert len(ok) > 10
    total = ok[["national_growth_effect", "industry_mix_effect", "competitive_effect"]].sum(axis=1)
    assert np.allclose(total, ok["employment_change"])


def test_naics_break_not_silent(real):
    r = lmi.Region.from_crosswalk(CROSSWALK, "CENTRAL_OH12")
    m = lmi.region_measures(real, r, 2020, 2023, digits=(2, 3)).set_index("industry_code")
    for code in ("452", "455", "511", "513", "519"):
        assert not m.loc[code, "growth_comparable"], code
        assert np.isnan(m.loc[code, "growth_pct"])
        assert "not comparable" in m.loc[code, "growth_note"]
    two = m[m["naics_digits"] == 2]
    assert two["growth_comparable"].all()
    after = lmi.region_measures(real, r, 2022, 2023, digits=3).set_index("industry_code")
    assert after.loc["455", "growth_comparable"]


def test_suppression_reported(real):
    r = lmi.Region.from_crosswalk(CROSSWALK, "CENTRAL_OH12")
    m = lmi.region_measures(real, r, 2020, 2023, digits=3)
    assert {"suppressed_share", "n_counties_suppressed", "employment_is_lower_bound"} <= set(m)
    part = m[m["n_counties_suppressed"] > 0]
    assert len(part) > 10 and (part["suppressed_share"] > 0).all()
    assert part["employment_is_lower_bound"].all()
    assert 0 < m.attrs["unassigned_share"][3] < 1


def test_pay_ratio_against_all_industry_average(example):
    r = lmi.Region.from_counties(["99001", "99003", "99005", "99007"])
    m = lmi.region_measures(example, r, 2020, 2023)
    assert np.allclose(m["pay_ratio"], m["avg_annual_pay"] / m.attrs["region_avg_pay"])


def test_missing_county_year_and_bad_region(example, tmp_path):
    with pytest.raises(DataError, match="No QCEW data for 12345"):
        lmi.region_measures(example, lmi.Region.from_counties(["12345"]), 2020, 2023)
    with pytest.raises(DataError, match="no region_id"):
        lmi.Region.from_crosswalk(qcew.example_region_path() / "crosswalk.csv", "NOPE")
    with pytest.raises(DataError, match="before"):
        lmi.region_measures(example, lmi.Region.from_counties(["99001"]), 2023, 2020)


def test_implied_shares_fall_back_to_median_point_when_intervals_disagree():
    """Industry 62: the counties' LQ intervals do not intersect (hand-computed: points 0.10 and
    0.20), so the share is the median of the points and marked inconsistent; industry 44's
    intervals agree (points 0.05 and 0.05) and give the midpoint."""
    from sectorkit.lmi import implied_national_shares

    d = pd.DataFrame({
        "area_fips": ["A", "A", "A", "B", "B", "B"], "year": 2023,
        "own_code": [0, 5, 5, 0, 5, 5], "industry_code": ["10", "62", "44", "10", "62", "44"],
        "naics_digits": [0, 2, 2, 0, 2, 2], "suppressed": False,
        "employment": [1000., 150., 50., 500., 50., 25.],
        "lq_employment": [1.0, 1.5, 1.0, 1.0, 0.5, 1.0]})
    s = implied_national_shares(d, own_code=5).set_index("industry_code")
    assert not s.loc["62", "consistent"]
    assert s.loc["62", "national_share"] == pytest.approx(0.15)
    assert s.loc["44", "consistent"]
    assert s.loc["44", "national_share"] == pytest.approx(0.05, rel=1e-3)
    assert s.loc["44", "n_counties"] == 2
