"""Field cases 01-03 (``../shared/cases``): every BLS QCEW layout and every kind of area code.

Each case is read from the shared folder at test time (never copied into the repository). The
right values are checked twice: against the number the case README gives, and against an
independent hand computation from the raw CSV text (the ``csv`` module, not sectorkit's reader),
done the way :mod:`sectorkit.lmi.measures` defines the measures:

* LQ = (region industry employment / region all-ownership, all-industry total)
  / (nation industry employment / nation all-ownership, all-industry total), with the industry
  rows of the chosen ownership (private, 5) and the totals ``own_code 0, industry 10``;
* growth = region industry employment in the end year / in the start year - 1, in percent.
"""

from __future__ import annotations

import csv
import gzip
import io
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sectorkit.core.errors import DataError
from sectorkit.lmi import areas as A
from sectorkit.lmi import layouts, qcew, regions, screen, titles
from sectorkit.lmi import measures as lmi
from tests.support import QCEW, SHARED

CASES = SHARED / "cases"
C01 = CASES / "01_by_area_layout"
C02A = CASES / "02_us_aggregate_areas" / "a_singlefile"
C02B = CASES / "02_us_aggregate_areas" / "b_nonmetro_only"
C03 = CASES / "03_stripped_leading_zeros"
RIGHT_LQ = 1.9967  # manufacturing (31-33), private, 2023, README
RIGHT_GROWTH = 10.0  # health care (62), private, 2021-2023, percent, README


# ------------------------------------------------------------------ independent oracle
def raw_rows(files) -> list[dict]:
    """Rows of the case CSVs as text, by the csv module; area codes padded as FIPS (4 -> 5 digits)."""
    out = []
    for f in files:
        with open(f, newline="", encoding="utf-8-sig") as fh:
            for r in csv.DictReader(fh):
                code = r["area_fips"].strip()
                r["area_fips"] = code.zfill(5) if code.isdigit() else code
                out.append(r)
    return out


def emp(rows, area, year, own, code) -> float:
    hit = [float(r["annual_avg_emplvl"]) for r in rows if r["area_fips"] == area and int(r["year"]) == year
           and int(r["own_code"]) == own and r["industry_code"] == code]
    assert len(hit) == 1, (area, year, own, code, hit)
    return hit[0]


def hand_lq(rows, counties, ref, year=2023, code="31-33") -> float:
    local = sum(emp(rows, c, year, 5, code) for c in counties) / sum(emp(rows, c, year, 0, "10") for c in counties)
    return local / (emp(rows, ref, year, 5, code) / emp(rows, ref, year, 0, "10"))


def hand_growth(rows, counties, code="62", start=2021, end=2023) -> float:
    return (sum(emp(rows, c, end, 5, code) for c in counties)
            / sum(emp(rows, c, start, 5, code) for c in counties) - 1) * 100


def measures(data, counties, **kw) -> pd.DataFrame:
    return lmi.region_measures(data, lmi.Region.from_counties(counties), 2021, 2023, **kw).set_index("industry_code")


def csvs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.csv"))


def test_cases_are_there():
    for folder, n in ((C01, 6), (C02A, 2), (C02B, 6), (C03, 6)):
        assert len(csvs(folder)) == n, f"case files missing in {folder} (set SECTORKIT_SHARED)"


# ------------------------------------------------------------------ case 01: by-area layout
def test_case01_by_area_files_load_as_is():
    rows = raw_rows(csvs(C01))
    data = qcew.read_area_files(C01)
    assert sorted(data["area_fips"].unique()) == ["99101", "99103", "US000"]
    m = measures(data, ["99101", "99103"])
    lq, growth = m.loc["31-33", "lq"], m.loc["62", "growth_pct"]
    assert round(lq, 4) == RIGHT_LQ
    assert lq == pytest.approx(hand_lq(rows, ["99101", "99103"], "US000"), rel=1e-12)
    assert round(growth, 1) == RIGHT_GROWTH
    assert growth == pytest.approx(hand_growth(rows, ["99101", "99103"]), rel=1e-12)
    assert m.loc["31-33", "lq_method"] == "national file"
    # the `_count` column is the establishments; the file's titles are kept for naming areas
    estabs = data.set_index(["area_fips", "year", "own_code", "industry_code"])["establishments"]
    assert estabs[("99101", 2023, 5, "62")] == 125
    assert data.attrs["area_titles"]["99103"] == "Oak County, Example State"
    assert set(data["source"].astype(str)) == {f.name for f in csvs(C01)}  # names with spaces and commas


def test_case01_sector_screen_as_typed():
    region = lmi.Region.from_counties(A.parse_area_list("99101, 99103"))
    s = screen.build_sector_screen(qcew.read_area_files(C01), region, 2021, 2023).set_index("industry_code")
    assert round(s.loc["31-33", "lq"], 4) == RIGHT_LQ
    assert round(s.loc["62", "growth_pct"], 1) == RIGHT_GROWTH


def test_case01_titles_come_from_the_files():
    data = qcew.read_area_files(C01)
    t = qcew.add_titles(data)
    assert set(t.loc[t.area_fips == "99101", "area_title"]) == {"Riverbend County, Example State"}


# ------------------------------------------------------------------ case 02a: single file
@pytest.fixture(scope="module")
def single():
    return qcew.read_area_files(C02A)


def test_case02a_singlefile_loads_and_only_us000_is_the_nation(single):
    rows = raw_rows(csvs(C02A))
    assert sorted(single["area_fips"].unique()) == ["99000", "99101", "99103", "C9990", "US000"]
    assert sorted(single.attrs["set_aside"]) == ["USCMS", "USMSA", "USNMS"]
    m = measures(single, ["99101", "99103"])
    assert round(m.loc["31-33", "lq"], 4) == RIGHT_LQ
    assert m.loc["31-33", "lq"] == pytest.approx(hand_lq(rows, ["99101", "99103"], "US000"), rel=1e-12)
    assert m.loc["31-33", "lq_method"] == "national file"
    assert [A.is_nation(c) for c in ("US000", "USCMS", "USMSA", "USNMS", "99000", "C9990")] == \
        [True, False, False, False, False, False]


@pytest.mark.parametrize("ref", ["99000", "C9990"])
def test_case02a_statewide_and_msa_are_reference_areas(single, ref):
    rows = raw_rows(csvs(C02A))
    m = measures(single, ["99101", "99103"], reference_counties=[ref])
    assert m.loc["31-33", "lq"] == pytest.approx(hand_lq(rows, ["99101", "99103"], ref), rel=1e-12)
    refs = regions.reference_areas(single).set_index("area_fips")
    assert refs.loc[ref, "kind"] == {"99000": "state", "C9990": "msa"}[ref]
    assert refs.loc[ref, "years"] == "2021, 2023"


def test_case02a_aggregates_never_summed_into_a_county_region(single):
    m = measures(single, ["99101", "99103"])
    assert m.attrs["region_employment"] == 10600 + 5200  # the two counties' totals, nothing else
    for code, word in (("99000", "state"), ("C9990", "statistical area"), ("US000", "nation"),
                       ("USNMS", "U.S. aggregate"), ("CS999", "combined")):
        with pytest.raises(DataError, match=f"{word}.*not a county"):
            lmi.Region.from_counties(["99101", code])


def test_case02a_us_aggregate_read_by_name_as_a_reference(single):
    rows = raw_rows(csvs(C02A))
    data = qcew.read_area_files(C02A, areas=["99101", "99103", "USNMS"])
    assert sorted(data["area_fips"].unique()) == ["99101", "99103", "US000", "USNMS"]
    m = measures(data, ["99101", "99103"], reference_counties=["USNMS"])
    assert m.loc["31-33", "lq"] == pytest.approx(hand_lq(rows, ["99101", "99103"], "USNMS"), rel=1e-12)
    refs = regions.reference_areas(single)
    assert refs.iloc[0]["area_fips"] == "US000" and "the nation" in refs.iloc[0]["description"]
    others = refs[refs["area_fips"] != "US000"]
    assert not others["description"].str.contains("the nation").any()
    assert set(others.loc[~others["loaded"], "area_fips"]) == {"USCMS", "USMSA", "USNMS"}


def test_case02a_read_only_the_needed_areas():
    one = qcew.read_area_file(C02A / "2023.annual.singlefile.csv", areas=["99101"])
    assert sorted(one["area_fips"].unique()) == ["99101", "US000"]  # the nation always comes along
    with pytest.raises(DataError, match="None of the areas asked for.*39049"):
        qcew.read_area_files(C02A, areas=["39049"])


# ------------------------------------------------------------------ case 02b: nonmetro only
def test_case02b_nonmetro_is_never_the_nation():
    data = qcew.read_area_files(C02B)
    assert "USNMS" not in set(data["area_fips"])
    assert "nonmetropolitan" in data.attrs["set_aside"]["USNMS"]
    assert "the nation" not in data.attrs["set_aside"]["USNMS"]
    m = measures(data, ["99101", "99103"])
    assert m.loc["31-33", "lq_method"] == "implied from county LQs"  # the counties' published LQs
    assert m.loc["31-33", "lq"] == pytest.approx(1.996, abs=5e-4)
    bound = m.loc["31-33", "lq"] * m.loc["31-33", "lq_rel_error"]
    assert abs(m.loc["31-33", "lq"] - RIGHT_LQ) <= bound + 1e-4  # the true LQ is inside the rounding bound


def test_case02b_nonmetro_file_alone_reads_as_itself():
    """A file holding only the U.S. nonmetro aggregate (an upload of that one file) reads as what it is."""
    alone = qcew.read_area_file(C02B / "2023.annual.USNMS.csv")
    assert set(alone["area_fips"]) == {"USNMS"} and regions.reference_areas(alone)["kind"].tolist() == ["us_aggregate"]


def test_case02b_nonmetro_as_an_explicit_reference():
    rows = raw_rows(csvs(C02B))
    data = qcew.read_area_files(C02B, areas=["99101", "99103", "USNMS"])
    m = measures(data, ["99101", "99103"], reference_counties=["USNMS"])
    assert m.loc["31-33", "lq"] == pytest.approx(hand_lq(rows, ["99101", "99103"], "USNMS"), rel=1e-12)
    assert A.describe_area("USNMS").startswith("U.S. nonmetropolitan")


# ------------------------------------------------------------------ case 03: lost leading zeros
@pytest.mark.parametrize("typed", ["1001, 1003", "01001, 01003", "1001;01003"])
def test_case03_stripped_zeros_read_as_fips(typed):
    rows = raw_rows(csvs(C03))
    data = qcew.read_area_files(C03)
    assert sorted(data["area_fips"].unique()) == ["01001", "01003", "US000"]
    counties = A.parse_area_list(typed)
    assert counties == ["01001", "01003"]
    m = measures(data, counties)
    assert round(m.loc["31-33", "lq"], 4) == RIGHT_LQ
    assert m.loc["31-33", "lq"] == pytest.approx(hand_lq(rows, counties, "US000"), rel=1e-12)
    assert lmi.Region.from_counties(typed.replace(";", ",").split(",")).counties == ("01001", "01003")


def test_area_codes_that_cannot_be_fips_are_refused(tmp_path):
    text = (C03 / "2023.annual.01001.csv").read_text().replace("\n1001,", "\n101,", 1)
    (tmp_path / "2023.annual.x.csv").write_text(text)
    with pytest.raises(DataError, match=r"row 1 .*area_fips.*'101' is not a QCEW area code"):
        qcew.read_area_files(tmp_path)
    with pytest.raises(DataError, match="not a QCEW area code"):
        A.parse_area_list("101, 1003")


# ------------------------------------------------------------------ containers: gz, zip, streams
def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


def test_by_area_zip_read_in_place_and_only_needed_members(tmp_path):
    members = {f"2023.annual.by_area/{f.name}": f.read_bytes() for f in csvs(C01)}
    members.update({f"2021.annual.by_area/{f.name}": f.read_bytes() for f in csvs(C01) if f.name.startswith("2021")})
    members = {k: v for k, v in members.items() if k.split("/")[1][:4] == k[:4]}
    members["2023.annual.by_area/2023.annual 99105 Elm County, Example State.csv"] = b"\x00broken"
    z = _zip(tmp_path / "annual_by_area.zip", members)
    data = qcew.read_area_files(z, areas=["99101", "99103"])  # the broken member is never opened
    m = measures(data, ["99101", "99103"])
    assert round(m.loc["31-33", "lq"], 4) == RIGHT_LQ
    assert round(m.loc["62", "growth_pct"], 1) == RIGHT_GROWTH
    assert not list(tmp_path.glob("*.csv"))  # nothing extracted
    with pytest.raises(DataError, match=r"99105 Elm County.*binary"):
        qcew.read_area_files(z)


def test_gzipped_and_zipped_files_read_like_plain_ones(tmp_path):
    for f in csvs(C03):
        (tmp_path / (f.name + ".gz")).write_bytes(gzip.compress(f.read_bytes()))
    gz = measures(qcew.read_area_files(tmp_path), ["01001", "01003"])
    z = _zip(tmp_path / "single.zip", {f.name: f.read_bytes() for f in csvs(C02A)})
    zd = measures(qcew.read_area_file(z), ["99101", "99103"])
    assert round(gz.loc["31-33", "lq"], 4) == round(zd.loc["31-33", "lq"], 4) == RIGHT_LQ


def test_large_single_file_read_in_chunks_matches(monkeypatch, tmp_path):
    """The chunked reader (used above STREAM_ABOVE bytes) keeps the same rows as the in-memory one."""
    whole = qcew.read_area_files(C02A, areas=["99101", "99103", "99000"])
    monkeypatch.setattr(qcew, "STREAM_ABOVE", 0)
    monkeypatch.setattr(layouts, "CHUNK_ROWS", 5)
    _zip(tmp_path / "2023_annual_singlefile.zip",
             {"2023.annual.singlefile.csv": (C02A / "2023.annual.singlefile.csv").read_bytes()})
    (tmp_path / "2021.annual.singlefile.csv.gz").write_bytes(gzip.compress((C02A / "2021.annual.singlefile.csv")
                                                                          .read_bytes()))
    chunked = qcew.read_area_files(tmp_path, areas=["99101", "99103", "99000"])
    key = ["area_fips", "year", "own_code", "industry_code"]
    cols = [c for c in qcew.TIDY_COLUMNS if c != "source"]
    a = whole[cols].sort_values(key).reset_index(drop=True)
    b = chunked[cols].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    bad = (C02A / "2023.annual.singlefile.csv").read_text().replace('"99103","5","62"', '"99103","5","62"x', 1)
    (tmp_path / "2021.annual.singlefile.csv.gz").unlink()
    (tmp_path / "2023_annual_singlefile.zip").unlink()
    (tmp_path / "2023.annual.singlefile.csv").write_text(bad.replace(',52,990,', ',52,99O,'))
    with pytest.raises(DataError, match=r"row 32 .*annual_avg_emplvl.*99O"):
        qcew.read_area_files(tmp_path, areas=["99103"])


def test_industry_slices(tmp_path):
    """BLS industry slices (one industry, every area) of both years give the same region figures."""
    rows = raw_rows(csvs(C02A))
    head = (C02A / "2023.annual.singlefile.csv").read_text().splitlines()[0]
    for f in csvs(C02A):
        lines = f.read_text().splitlines()[1:]
        year = f.name[:4]
        for code in ("10", "31-33", "62"):
            part = [ln for ln in lines if f',"{code}",' in ln]
            (tmp_path / f"{year}.annual {code} {code}.csv").write_text("\n".join([head] + part) + "\n")
    m = measures(qcew.read_area_files(tmp_path), ["99101", "99103"])
    assert m.loc["31-33", "lq"] == pytest.approx(hand_lq(rows, ["99101", "99103"], "US000"), rel=1e-12)
    assert round(m.loc["62", "growth_pct"], 1) == RIGHT_GROWTH


# ------------------------------------------------------------------ quarterly rows
def _quarterly(src: Path, quarters=("1", "2", "3", "4")) -> str:
    """Quarterly rows equal to the annual ones: each month at the annual average, wages a quarter each."""
    cols = ["area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year", "qtr", "disclosure_code",
            "qtrly_estabs", "month1_emplvl", "month2_emplvl", "month3_emplvl", "total_qtrly_wages"]
    out = io.StringIO()
    w = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    w.writerow(cols)
    for r in raw_rows([src]):
        for q in quarters:
            e = float(r["annual_avg_emplvl"])
            w.writerow([r["area_fips"], r["own_code"], r["industry_code"], r["agglvl_code"], r["size_code"],
                        r["year"], q, r["disclosure_code"], float(r["annual_avg_estabs_count"]), e, e, e,
                        float(r["total_annual_wages"]) / 4])
    return out.getvalue()


def test_quarterly_rows_become_annual_averages(tmp_path):
    for f in csvs(C01):
        (tmp_path / f.name.replace(".annual", ".q1-q4")).write_text(_quarterly(f))
    q = qcew.read_area_files(tmp_path)
    a = qcew.read_area_files(C01)
    key = ["area_fips", "year", "own_code", "industry_code"]
    for col in ("employment", "establishments", "total_wages"):
        pd.testing.assert_series_equal(q.set_index(key)[col].sort_index(), a.set_index(key)[col].sort_index())
    m = measures(q, ["99101", "99103"])
    assert round(m.loc["31-33", "lq"], 4) == RIGHT_LQ
    assert q["lq_employment"].isna().all()  # quarterly LQs are not annual ones


def test_incomplete_quarters_are_refused(tmp_path):
    f = csvs(C01)[0]
    (tmp_path / f.name).write_text(_quarterly(f, quarters=("1", "2")))
    with pytest.raises(DataError, match=r"only quarter\(s\) 1,2.*annual averages"):
        qcew.read_area_files(tmp_path)


# ------------------------------------------------------------------ title tables, encodings
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_title_tables_in_any_encoding(tmp_path, encoding):
    ref = QCEW / "reference"
    for name in ("industry_titles.csv", "ownership_titles.csv"):
        (tmp_path / name).write_bytes((ref / name).read_text(encoding="utf-8").encode(encoding))
    text = (ref / "area_titles.csv").read_text(encoding="utf-8")
    text = text.replace("01001,", "1001,", 1).replace('35013,"Dona Ana', '35013,"Doña Ana')
    (tmp_path / "area-titles-csv.csv").write_bytes(text.encode(encoding))
    at = titles.area_titles(tmp_path).set_index("area_fips")["area_title"]
    assert at["35013"] == "Doña Ana County, New Mexico"
    assert at["01001"].startswith("Autauga")
    assert at["US000"] == "U.S. TOTAL"
    it = titles.industry_titles(tmp_path).set_index("industry_code")
    assert it.loc["455", "industry_title"] == "General merchandise retailers"


# ------------------------------------------------------------------ BLS groupings are not NAICS
def test_template_groupings_never_enter_a_naics_screen(tmp_path):
    text = qcew.write_template(tmp_path / "t.csv").read_text()
    extra = "".join(f"Our region,{y},{code},{title},{n},10,{n * 50000}\n" for y in (2022, 2023)
                    for code, title, n in (("101", "Goods-producing", 12000), ("102", "Service-providing", 30000),
                                           ("1012", "Construction", 2500), ("1029", "Unclassified", 5)))
    (tmp_path / "t.csv").write_text(text + extra)
    df = qcew.read_template(tmp_path / "t.csv")
    groups = df[df["industry_code"].isin(["101", "102", "1012", "1029"])]
    assert len(groups) == 8 and (groups["naics_digits"] == -1).all()
    assert set(groups["agglvl_code"]) == {72, 73}
    m = lmi.region_measures(df, lmi.Region.from_counties(["Our region"]), 2022, 2023, digits=(2, 3))
    assert set(m["industry_code"]) == {"31-33", "62"}


def test_grouping_codes_in_area_files_are_not_naics(tmp_path):
    text = (C03 / "2023.annual.01001.csv").read_text()
    first = text.splitlines()[3]  # a 31-33 row at agglvl 74, recoded as supersector 1013 (still agglvl 74)
    (tmp_path / "2023.annual.01001.csv").write_text(text + first.replace(",31-33,", ",1013,") + "\n")
    d = qcew.read_area_files(tmp_path)
    assert d.loc[d.industry_code == "1013", "naics_digits"].tolist() == [-1]


# ------------------------------------------------------------------ generated variants of every kind
AREA_MAP = {"99101": "01001", "99103": "01003"}  # counties re-coded to a state whose FIPS starts with 0


def _variant_rows() -> list[dict]:
    """Case 01's rows (API column names) plus case 02b's U.S. nonmetro rows, counties re-coded 0100x."""
    out = []
    for r in raw_rows(csvs(C01)) + [r for r in raw_rows(csvs(C02B)) if r["area_fips"] == "USNMS"]:
        r = {k.replace("_estabs_count", "_estabs"): v for k, v in r.items()}
        r["area_fips"] = AREA_MAP.get(r["area_fips"], r["area_fips"])
        if r["area_fips"] == "01001":
            r["area_title"] = "Doña County, Alabama"  # a title that is not ASCII
        out.append(r)
    return out


VARIANT_ROWS = _variant_rows()
TITLES = list(layouts.TITLE_COLS)


@st.composite
def variants(draw):
    cols = list(layouts.AREA_FILE_COLUMNS) + draw(st.lists(st.sampled_from(TITLES), unique=True))
    cols += draw(st.sampled_from([[], ["notes"]]))
    return {
        "columns": draw(st.permutations(cols)),
        "count_names": draw(st.booleans()),
        "upper": draw(st.booleans()),
        "quoting": draw(st.sampled_from(["all", "minimal", "bls"])),
        "encoding": draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1"])),
        "newline": draw(st.sampled_from(["\n", "\r\n"])),
        "strip_zeros": draw(st.booleans()),
        "typed": draw(st.sampled_from(["1001, 1003", "01001 01003", "1001;01003"])),
        "grouping": draw(st.sampled_from(["by_area", "single", "industry"])),
        "container": draw(st.sampled_from(["plain", "gz", "zip"])),
        "reference": draw(st.sampled_from(["US000", "USNMS", "both"])),
    }


def _write_variant(folder: Path, v: dict) -> None:
    keep = {"US000": ("US000",), "USNMS": ("USNMS",), "both": ("US000", "USNMS")}[v["reference"]]
    rows = [r for r in VARIANT_ROWS if r["area_fips"] in keep or r["area_fips"] in AREA_MAP.values()]
    numeric = set(layouts.AREA_FILE_COLUMNS) - {"area_fips", "industry_code", "qtr", "disclosure_code",
                                                 "lq_disclosure_code", "oty_disclosure_code"}

    def name(c):
        n = c.replace("_estabs", "_estabs_count") if v["count_names"] else c
        return n.upper() if v["upper"] else n

    def cell(r, c):
        x = r.get(c, "") if c != "notes" else "made by hand"
        if c == "area_fips" and v["strip_zeros"] and x.isdigit():
            x = x.lstrip("0")
        if v["quoting"] == "bls" and c in numeric:
            return float(x)
        return x

    files: dict[str, list] = {}
    for r in rows:
        code = cell(r, "area_fips")
        key = {"by_area": f"{r['year']}.annual {code} {r.get('area_title') or code}.csv",
               "single": f"{r['year']}.annual.singlefile.csv",
               "industry": f"{r['year']}.annual {r['industry_code']} {r['industry_code']}.csv"}[v["grouping"]]
        files.setdefault(key, []).append(r)
    quoting = {"all": csv.QUOTE_ALL, "minimal": csv.QUOTE_MINIMAL, "bls": csv.QUOTE_NONNUMERIC}[v["quoting"]]
    blobs = {}
    for key, part in files.items():
        out = io.StringIO()
        w = csv.writer(out, quoting=quoting, lineterminator=v["newline"])
        w.writerow([name(c) for c in v["columns"]])
        w.writerows([[cell(r, c) for c in v["columns"]] for r in part])
        blobs[key] = out.getvalue().encode(v["encoding"])
    if v["container"] == "zip":
        _zip(folder / "qcew.zip", {f"by_area/{k}": b for k, b in blobs.items()})
    for key, blob in (blobs.items() if v["container"] != "zip" else ()):
        if v["container"] == "gz":
            (folder / (key + ".gz")).write_bytes(gzip.compress(blob))
        else:
            (folder / key).write_bytes(blob)


@settings(max_examples=30, deadline=None)
@given(v=variants())
def test_every_layout_variant_gives_the_right_answer(v):
    """Column order, quoting, encodings, title and extra columns, `_count` names, capitals, line ends,
    codes with and without leading zeros, area / single / industry files, plain / gz / zip, and the
    nation, the nonmetro aggregate or both: the region's LQ and growth are the case's right values."""
    with tempfile.TemporaryDirectory() as tmp:
        _write_variant(Path(tmp), v)
        data = qcew.read_area_files(tmp)
    counties = A.parse_area_list(v["typed"])
    m = measures(data, counties)
    assert round(m.loc["62", "growth_pct"], 1) == RIGHT_GROWTH
    assert "USNMS" not in set(data["area_fips"])
    if "area_title" in v["columns"]:  # titles in any encoding read as written
        assert data.attrs["area_titles"]["01001"] == "Doña County, Alabama"
    if v["reference"] == "USNMS":  # no nation: never "the nation", the counties' published LQs instead
        assert m.loc["31-33", "lq_method"] == "implied from county LQs"
        assert m.loc["31-33", "lq"] == pytest.approx(1.996, abs=5e-4)
        assert "USNMS" in data.attrs["set_aside"]
    else:
        assert m.loc["31-33", "lq_method"] == "national file"
        assert round(m.loc["31-33", "lq"], 4) == RIGHT_LQ
        assert m.loc["31-33", "lq"] == pytest.approx(hand_lq(raw_rows(csvs(C01)), ["99101", "99103"], "US000"),
                                                     rel=1e-12)


def test_size_class_rows_of_a_single_file_are_dropped_but_a_by_size_file_is_refused(tmp_path):
    text = (C02A / "2023.annual.singlefile.csv").read_text()
    sized = [ln.replace('"10","70","0"', '"10","70","3"').replace(",10600,", ",600,")
             for ln in text.splitlines() if '"99101","0","10","70"' in ln]
    (tmp_path / "2023.annual.singlefile.csv").write_text(text + "\n".join(sized) + "\n")
    d = qcew.read_area_files(tmp_path)
    total = d[(d.area_fips == "99101") & (d.own_code == 0) & (d.industry_code == "10")]["employment"]
    assert total.tolist() == [10600]
    (tmp_path / "2023.annual.singlefile.csv").unlink()
    (tmp_path / "2023.annual.by_size.csv").write_text(text.splitlines()[0] + "\n" + "\n".join(sized) + "\n")
    with pytest.raises(DataError, match="size class is not 0 and the file has no all-sizes rows"):
        qcew.read_area_files(tmp_path)
