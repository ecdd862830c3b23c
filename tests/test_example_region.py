"""Tests of the illustrative example region and its generator."""

import filecmp
import gzip
import importlib.util
from pathlib import Path

import pandas as pd

from sectorkit.lmi import qcew
from tests.support import SHARED

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = qcew.example_region_path()


def _gen():
    spec = importlib.util.spec_from_file_location("mk", REPO / "scripts" / "make_example_region.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_regeneration_is_byte_identical(tmp_path):
    written = _gen().build(tmp_path)
    names = sorted(p.name for p in written)
    assert names == sorted(p.name for p in EXAMPLE.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(EXAMPLE, tmp_path, names, shallow=False)
    assert not mismatch and not errors


def test_layout_equals_official_bls_file():
    real = sorted((SHARED / "data" / "qcew" / "ohio_morpc_county_annual").glob("*.csv.gz"))
    assert real, "shared data missing"
    with gzip.open(real[0], "rt") as f:
        official = f.readline().strip()
    for p in EXAMPLE.glob("*.annual.*.csv"):
        assert p.read_text().splitlines()[0] == official
    assert list(qcew.AREA_FILE_COLUMNS) == official.split(",")


def test_crosswalk_columns_match_shared():
    shared = (SHARED / "data" / "qcew" / "crosswalk" / "central_ohio_12_county_region.csv")
    assert (EXAMPLE / "crosswalk.csv").read_text().splitlines()[0] == \
        shared.read_text().splitlines()[0]


def test_readme_and_size():
    text = (EXAMPLE / "README.md").read_text()
    assert "ILLUSTRATIVE" in text and "not real BLS data" in text
    assert sum(p.stat().st_size for p in EXAMPLE.iterdir()) < 450_000


def test_contents_consistent():
    raw = pd.concat([pd.read_csv(p, dtype={"area_fips": str, "industry_code": str,
                                           "disclosure_code": str, "lq_disclosure_code": str})
                     for p in sorted(EXAMPLE.glob("*.annual.*.csv"))])
    assert set(raw["qtr"]) == {"A"} and set(raw["size_code"]) == {0}
    assert set(raw["own_code"]) == {0, 1, 2, 3, 5}
    assert {70, 71, 74, 75} <= set(raw["agglvl_code"])
    assert raw["area_fips"].str.startswith(("99", "US999")).all()
    supp = raw[raw["disclosure_code"] == "N"]
    assert len(supp) > 20 and (supp["annual_avg_emplvl"] == 0).all()
    # LQs recomputed against the illustrative nation agree within rounding
    tot = raw[(raw.own_code == 0) & (raw.industry_code == "10")].set_index(["area_fips", "year"])[
        "annual_avg_emplvl"]
    nat = raw[raw.area_fips == "US999"].set_index(["year", "own_code", "industry_code"])[
        "annual_avg_emplvl"]
    c = raw[(raw.area_fips != "US999") & (raw.disclosure_code != "N")]
    local = c["annual_avg_emplvl"].to_numpy() / tot.loc[list(zip(c.area_fips, c.year))].to_numpy()
    nshare = nat.loc[list(zip(c.year, c.own_code, c.industry_code))].to_numpy() / \
        nat.loc[[(y, 0, "10") for y in c.year]].to_numpy()
    assert (abs(local / nshare - c["lq_annual_avg_emplvl"].to_numpy()) <= 0.005 + 1e-9).all()
    # over-the-year changes agree with the previous year's file
    d = qcew.read_area_files(EXAMPLE)
    key = ["area_fips", "own_code", "industry_code"]
    prev = d.assign(year=d.year + 1)[key + ["year", "employment"]]
    p = d.merge(prev, on=key + ["year"], suffixes=("", "_prev")).dropna(
        subset=["oty_employment_chg", "employment", "employment_prev"])
    assert len(p) > 500
    assert (p["employment"] - p["employment_prev"] == p["oty_employment_chg"]).all()
