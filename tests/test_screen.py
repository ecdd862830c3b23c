"""Unit tests of sectorkit.lmi.screen with hand-computed expectations."""

import numpy as np
import pandas as pd
import pytest

from sectorkit.core.errors import DataError
from sectorkit.lmi import measures as lmi
from sectorkit.lmi import qcew, screen


def tiny():
    return pd.DataFrame({
        "industry_code": ["31-33", "62", "72", "51"],
        "employment": [400.0, 300.0, 200.0, np.nan],
        "pay_ratio": [1.2, 1.0, 0.5, 1.8],
        "growth_pct": [2.0, 6.0, np.nan, 10.0],
        "lq": [2.0, 1.1, 0.8, 0.5],
    })


def test_hand_computed_scores():
    s = screen.sector_screen(tiny(), titles=False).set_index("industry_code")
    # size among 3 known: 400->100, 300->50, 200->0; 51 unknown
    assert s.loc["31-33", "size_score"] == 100 and s.loc["72", "size_score"] == 0
    assert np.isnan(s.loc["51", "size_score"])
    # wages 4 known: 0.5,1.0,1.2,1.8 -> 0, 33.3, 66.7, 100
    assert s.loc["62", "wages_score"] == pytest.approx(100 / 3)
    # growth 3 known: 2,6,10 -> 0,50,100
    assert s.loc["62", "growth_score"] == 50
    # lq 4 known: 0.5,0.8,1.1,2.0 -> 0, 33.3, 66.7, 100
    assert s.loc["31-33", "total_score"] == pytest.approx((100 + 200 / 3 + 0 + 100) / 4)
    assert s.loc["72", "total_score"] == pytest.approx((0 + 0 + 100 / 3) / 3)
    assert s.loc["51", "total_score"] == pytest.approx((100 + 100 + 0) / 3)
    contrib = s[[f"{k}_contribution" for k in screen.CRITERIA]].sum(axis=1, min_count=1)
    assert np.allclose(contrib, s["total_score"])
    assert list(screen.sector_screen(tiny(), titles=False)["industry_code"]) == \
        list(s.sort_values("total_score", ascending=False).index)


def test_unknown_not_zero_and_explained():
    s = screen.sector_screen(tiny(), titles=False).set_index("industry_code")
    assert np.isnan(s.loc["72", "growth_contribution"])
    assert "Unknown: job growth" in s.loc["72", "why"]
    assert "not scored as zero" in s.loc["72", "why"]


def test_weights_change_ranking():
    base = screen.sector_screen(tiny(), titles=False)
    grow = screen.sector_screen(tiny(), {"growth": 10, "size": 0, "wages": 0,
                                         "concentration": 0}, titles=False)
    assert base.iloc[0]["industry_code"] == "31-33"
    assert grow.iloc[0]["industry_code"] == "51"
    assert grow.attrs["weights"]["growth"] == 10
    assert np.isnan(grow.set_index("industry_code").loc["72", "total_score"])  # 0 known


def test_min_known():
    s = screen.sector_screen(tiny(), min_known=4, titles=False).set_index("industry_code")
    assert pd.isna(s.loc["72", "rank"]) and "Not ranked" in s.loc["72", "why"]
    assert s.loc["31-33", "rank"] == 1 and s.loc["62", "rank"] == 2
    assert pd.isna(s.loc["51", "rank"])


@pytest.mark.parametrize("weights", [{"jobs": 1}, {"size": -1},
                                     {"size": 0, "wages": 0, "growth": 0, "concentration": 0}])
def test_bad_weights(weights):
    with pytest.raises(DataError):
        screen.sector_screen(tiny(), weights)


def test_missing_column():
    with pytest.raises(DataError, match="lq"):
        screen.sector_screen(tiny().drop(columns="lq"))


def test_long_form():
    long = screen.screen_long(screen.sector_screen(tiny(), titles=False))
    assert len(long) == 16 and set(long["criterion"]) == set(screen.CRITERIA)


def test_example_region_story():
    data = qcew.read_area_files(qcew.example_region_path())
    r = lmi.Region.from_crosswalk(qcew.example_region_path() / "crosswalk.csv", "RIVERBEND4")
    s = screen.build_sector_screen(data, r, 2020, 2023)
    top3 = set(s.head(3)["industry_code"])
    assert {"31-33", "62"} <= top3 or {"31-33", "48-49"} <= top3
    assert s["why"].str.len().min() > 20
