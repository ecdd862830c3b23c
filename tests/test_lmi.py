"""Tests of sectorkit.lmi: LQ oracle on real data, regions, vintage break, shift-share."""

import os
from pathlib import Path

import numpy as np
import pytest

from sectorkit import lmi, qcew
from sectorkit.errors import DataError

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SECTORKIT_SHARED", REPO.parent / "shared"))
QCEW = SHARED / "data" / "qcew"
CROSSWALK = QCEW / "crosswalk" / "central_ohio_12_county_region.csv"


@pytest.fixture(scope="module")
def real():
    files = sorted((QCEW / "ohio_morpc_county_annual").glob("*.csv.gz"))
    assert len(files) == 48, f"shared QCEW data missing at {QCEW} (set SECTORKIT_SHARED)"
    return qcew.read_area_files(files)


@pytest.fixture(scope="module")
def example():
    return qcew.read_area_files(qcew.example_region_path())


def test_oracle_leave_one_out_lq_within_rounding(real):
    d = real[real["naics_digits"].isin([2, 3]) | (real["industry_code"] == "10")]
    loo = lmi.implied_national_shares(d, leave_one_out=True)
    loo = loo[loo["industry_code"] != "10"]
    loo = loo[np.isfinite(loo["rel_error"])]
    pred = loo["local_share"] / loo["national_share"]
    # published LQ rounding (0.005) plus the proven rounding bound of the other counties' share
    tol = 0.005 + pred * loo["rel_error"] + 1e-9
    ok = (pred - loo["lq_published"]).abs() <= tol
    n = len(loo)
    assert n > 4000  # disclosed NAICS 2-3 digit rows with an LQ and other counties to compare
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
