"""Tests of sectorkit.lmi.qcew: loaders, validation, oracle checks against BLS columns."""

import gzip
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sectorkit.core.errors import DataError
from sectorkit.lmi import archives, layouts, qcew
from sectorkit.lmi.measures import Region
from tests.support import QCEW, SHARED

FOLDER = QCEW / "ohio_morpc_county_annual"


@pytest.fixture(scope="module")
def real():
    files = sorted(FOLDER.glob("*.csv.gz"))
    assert len(files) == 48, f"shared QCEW data missing at {FOLDER} (set SECTORKIT_SHARED)"
    return qcew.read_area_files(files)


@pytest.fixture(scope="module")
def raw_real():
    files = sorted(FOLDER.glob("*.csv.gz"))
    assert files, f"shared QCEW data missing at {FOLDER}"
    return pd.concat([pd.read_csv(f, dtype={"area_fips": str, "industry_code": str,
                                            "disclosure_code": str}) for f in files])


def _example_file():
    return sorted(qcew.example_region_path().glob("2022.annual.99005.csv"))[0]


def _small_valid_text(n=25):
    lines = _example_file().read_text().splitlines()
    return "\n".join(lines[: n + 1]) + "\n"


# ------------------------------------------------------------------ real data
def test_real_structure(real):
    assert len(real) == 57065
    assert set(real["year"]) == {2020, 2021, 2022, 2023}
    assert real["area_fips"].nunique() == 12
    tot = real[(real.own_code == 0) & (real.industry_code == "10")]
    assert len(tot) == 48


def test_suppressed_are_unknown_not_zero(real, raw_real):
    n_supp = int((raw_real["disclosure_code"] == "N").sum())
    assert int(real["suppressed"].sum()) == n_supp > 0
    supp = real[real["suppressed"]]
    assert supp["employment"].isna().all() and supp["total_wages"].isna().all()
    assert real.loc[~real["suppressed"], "employment"].notna().all()


def _pairs(real):
    key = ["area_fips", "own_code", "industry_code"]
    cur = real[~real["suppressed"]]
    prev = cur.assign(year=cur["year"] + 1)[key + ["year", "employment", "total_wages"]]
    return cur.merge(prev, on=key + ["year"], suffixes=("", "_prev"))


def test_oracle_oty_employment_change_exact(real):
    p = _pairs(real)
    p = p[p["oty_employment_chg"].notna()]
    assert len(p) > 15000
    recomputed = p["employment"] - p["employment_prev"]
    assert (recomputed == p["oty_employment_chg"]).mean() == 1.0


def test_oracle_oty_percent_changes_within_rounding(real):
    p = _pairs(real)
    p = p[p["oty_employment_pct_chg"].notna() & (p["employment_prev"] > 0)
          & (p["total_wages_prev"] > 0)]
    pct = (p["employment"] / p["employment_prev"] - 1) * 100
    assert ((pct - p["oty_employment_pct_chg"]).abs() <= 0.05 + 1e-9).mean() == 1.0
    wpct = (p["total_wages"] / p["total_wages_prev"] - 1) * 100
    assert ((wpct - p["oty_total_wages_pct_chg"]).abs() <= 0.05 + 1e-9).mean() == 1.0


def test_oracle_average_pay_within_rounding(real):
    d = real[~real["suppressed"] & (real["employment"] > 0)]
    assert len(d) > 25000
    lo = d["total_wages"] / (d["employment"] + 0.5) - 0.5
    hi = d["total_wages"] / (d["employment"] - 0.5) + 0.5
    ok = (d["avg_annual_pay"] >= lo - 1e-6) & (d["avg_annual_pay"] <= hi + 1e-6)
    assert ok.mean() == 1.0


def test_titles_from_reference_folder(real):
    t = qcew.add_titles(real.head(200), reference=QCEW / "reference")
    assert t["area_title"].str.contains("Ohio").all()
    assert (t.loc[t.own_code == 5, "own_title"] == "Private").all()
    it = qcew.industry_titles(QCEW / "reference").set_index("industry_code")
    assert it.loc["452", "naics_status"] == "discontinued_2022"
    assert it.loc["455", "industry_title"] == "General merchandise retailers"


def test_shipped_titles_cover_real_two_three_digit_codes(real):
    codes = set(real.loc[real["naics_digits"].isin([2, 3]), "industry_code"])
    shipped = set(qcew.industry_titles()["industry_code"])
    assert codes <= shipped


# ------------------------------------------------------------------ bad inputs
def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


def _mutate_column(text, col, value, row=3):
    lines = text.splitlines()
    header = lines[0].split(",")
    j = header.index(col)
    cells = lines[row].split(",")
    cells[j] = value
    lines[row] = ",".join(cells)
    return "\n".join(lines) + "\n"


def test_valid_small_file_parses(tmp_path):
    df = qcew.read_area_file(_write(tmp_path, "2022.annual.99005.csv", _small_valid_text()))
    assert list(df.columns) == list(qcew.TIDY_COLUMNS)
    assert len(df) == 25


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="not found"):
        qcew.read_area_file(tmp_path / "nope.csv")


def test_renamed_column_suggests_name(tmp_path):
    text = _small_valid_text().replace("annual_avg_emplvl,", "annual_avg_emplvl_x,", 1)
    with pytest.raises(DataError, match=r"annual_avg_emplvl.*annual_avg_emplvl_x"):
        qcew.read_area_file(_write(tmp_path, "f.csv", text))


def test_missing_column(tmp_path):
    df = pd.read_csv(_example_file(), dtype=str).drop(columns="own_code")
    p = tmp_path / "f.csv"
    df.to_csv(p, index=False)
    with pytest.raises(DataError, match="own_code"):
        qcew.read_area_file(p)


def test_non_numeric_cell_names_row_and_column(tmp_path):
    text = _mutate_column(_small_valid_text(), "annual_avg_emplvl", "12a", row=3)
    with pytest.raises(DataError, match=r"row 3 .*annual_avg_emplvl.*12a"):
        qcew.read_area_file(_write(tmp_path, "f.csv", text))


def test_duplicate_keys(tmp_path):
    lines = _small_valid_text().splitlines()
    text = "\n".join(lines + [lines[5]]) + "\n"
    with pytest.raises(DataError, match="duplicate"):
        qcew.read_area_file(_write(tmp_path, "f.csv", text))


def test_duplicate_across_files(tmp_path):
    a = _write(tmp_path, "a.csv", _small_valid_text())
    b = _write(tmp_path, "b.csv", _small_valid_text())
    with pytest.raises(DataError, match="two files"):
        qcew.read_area_files([a, b])


def test_negative_value(tmp_path):
    text = _mutate_column(_small_valid_text(), "total_annual_wages", "-5", row=4)
    with pytest.raises(DataError, match=r"row 4 .*negative"):
        qcew.read_area_file(_write(tmp_path, "f.csv", text))


def test_mixed_years_in_file_claiming_one_year(tmp_path):
    text = _mutate_column(_small_valid_text(), "year", "2021", row=6)
    with pytest.raises(DataError, match=r"year 2021 in a file whose name says 2022"):
        qcew.read_area_file(_write(tmp_path, "2022.annual.99005.csv", text))


def test_empty_file_and_header_only(tmp_path):
    with pytest.raises(DataError, match="empty"):
        qcew.read_area_file(_write(tmp_path, "e.csv", ""))
    header = _small_valid_text().splitlines()[0] + "\n"
    with pytest.raises(DataError, match="no data rows"):
        qcew.read_area_file(_write(tmp_path, "h.csv", header))


def test_random_csv_is_not_an_area_file(tmp_path):
    with pytest.raises(DataError, match="does not look like"):
        qcew.read_area_file(_write(tmp_path, "r.csv", "name,age\nann,3\nbob,4\n"))


def test_binary_file(tmp_path):
    p = tmp_path / "b.csv"
    p.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(DataError, match="binary"):
        qcew.read_area_file(p)


def test_truncated_gzip(tmp_path):
    data = gzip.compress(_small_valid_text().encode())
    p = tmp_path / "t.csv.gz"
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match="gzip"):
        qcew.read_area_file(p)


def test_gzip_roundtrip(tmp_path):
    p = tmp_path / "2022.annual.99005.csv.gz"
    p.write_bytes(gzip.compress(_small_valid_text().encode()))
    assert len(qcew.read_area_file(p)) == 25


def test_quarterly_file_rejected(tmp_path):
    text = _small_valid_text().replace(",A,", ",1,")
    with pytest.raises(DataError, match="annual"):
        qcew.read_area_file(_write(tmp_path, "f.csv", text))


def test_ragged_row(tmp_path):
    text = _small_valid_text().rstrip("\n") + ",1,2,3\n"
    with pytest.raises(DataError):
        qcew.read_area_file(_write(tmp_path, "f.csv", text))


def test_empty_folder(tmp_path):
    with pytest.raises(DataError, match="no .csv"):
        qcew.read_area_files(tmp_path)


# ------------------------------------------------------------------ template
def test_template_roundtrip(tmp_path):
    df = qcew.read_template(qcew.write_template(tmp_path / "t.csv"))
    assert df.loc[(df.industry_code == "62") & (df.year == 2022), "suppressed"].item()
    assert df.loc[df.industry_code == "10", "own_code"].eq(0).all()
    assert df.loc[df.industry_code == "31-33", "naics_digits"].eq(2).all()
    row = df[(df.industry_code == "31-33") & (df.year == 2023)].iloc[0]
    assert row["avg_annual_pay"] == pytest.approx(670000000 / 9300)


@pytest.mark.parametrize("mutate, match", [
    (lambda t: t.replace("employment", "employmnt", 1), "employmnt"),
    (lambda t: t.replace("9300", "9,3OO"), "not a number"),
    (lambda t: t.replace("9300", "-9300"), "negative"),
    (lambda t: t.replace(",31-33,", ",XYZ,", 1), "not a NAICS code"),
    (lambda t: t + t.splitlines()[1] + "\n", "repeat"),
    (lambda t: t.splitlines()[0] + "\n", "no data rows"),
])
def test_template_errors(tmp_path, mutate, match):
    text = qcew.write_template(tmp_path / "t.csv").read_text()
    p = _write(tmp_path, "bad.csv", mutate(text))
    with pytest.raises(DataError, match=match):
        qcew.read_template(p)


# ------------------------------------------------------------------ property test
VALID = _small_valid_text(12).encode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_corrupt_files_raise_only_dataerror(tmp_path, data):
    buf = bytearray(VALID)
    kind = data.draw(st.sampled_from(["bytes", "cell", "truncate"]))
    if kind == "bytes":
        for _ in range(data.draw(st.integers(1, 6))):
            i = data.draw(st.integers(0, len(buf) - 1))
            buf[i] = data.draw(st.integers(0, 255))
    elif kind == "cell":
        lines = bytes(buf).decode().splitlines()
        r = data.draw(st.integers(0, len(lines) - 1))
        cells = lines[r].split(",")
        c = data.draw(st.integers(0, len(cells) - 1))
        cells[c] = data.draw(st.text(max_size=6))
        lines[r] = ",".join(cells)
        buf = bytearray(("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))
    else:
        buf = buf[: data.draw(st.integers(0, len(buf)))]
    p = tmp_path / "2022.annual.99005.csv"
    p.write_bytes(bytes(buf))
    try:
        df = qcew.read_area_file(p)
    except DataError:
        return
    assert list(df.columns) == list(qcew.TIDY_COLUMNS)
    assert (df["employment"].dropna() >= 0).all()


def test_unmutated_file_parses_every_time(tmp_path):
    p = tmp_path / "2022.annual.99005.csv"
    p.write_bytes(VALID)
    assert len(qcew.read_area_file(p)) == 12


# ------------------------------------------------------------------ layouts, containers, area codes
CASE01 = SHARED / "cases" / "01_by_area_layout"


def _by_area_text():
    return sorted(CASE01.glob("2023.annual 99101*.csv"))[0].read_bytes()


def test_folder_skips_title_tables_crosswalk_and_system_files(tmp_path):
    _write(tmp_path, "2022.annual.99005.csv", _small_valid_text())
    _write(tmp_path, "area_titles.csv", "area_fips,area_title\n99005,X\n")
    _write(tmp_path, "crosswalk.csv", "area_fips\n99005\n")
    (tmp_path / "._2022.annual.99005.csv").write_bytes(b"\x00\x05\x16\x07")
    assert [s.name for s in archives.expand(tmp_path)] == ["2022.annual.99005.csv"]
    assert len(qcew.read_area_files(tmp_path)) == 25


def test_bom_crlf_and_plain_files_read_together(tmp_path):
    text = _small_valid_text()
    (tmp_path / "2022.annual.99005.csv").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    other = text.replace("99005,", "99007,")
    _write(tmp_path, "2022.annual.99007.csv", other)
    df = qcew.read_area_files(tmp_path)
    assert sorted(df["area_fips"].unique()) == ["99005", "99007"] and len(df) == 50


@pytest.mark.parametrize("content, match", [
    (b"PK\x03\x04 not really a zip", "not a readable zip"),
    (None, "holds no .csv"),
])
def test_broken_or_empty_zip(tmp_path, content, match):
    z = tmp_path / "qcew.zip"
    if content is None:
        with zipfile.ZipFile(z, "w") as zf:
            zf.writestr("readme.txt", "hello")
    else:
        z.write_bytes(content)
    with pytest.raises(DataError, match=match):
        qcew.read_area_files(z)


@pytest.mark.parametrize("streamed", [False, True])
def test_zip_member_errors_name_the_member(tmp_path, monkeypatch, streamed):
    if streamed:  # the chunked reader checks every line's fields as it reads
        monkeypatch.setattr(qcew, "STREAM_ABOVE", 0)
        monkeypatch.setattr(layouts, "CHUNK_ROWS", 2)
    z = tmp_path / "2023_annual_by_area.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("2023.annual.by_area/2023.annual 99101 Riverbend.csv",
                    _by_area_text().replace(b'"A","","Riverbend', b'"A","","Riverbend').replace(b",2200,", b",2,200,"))
    with pytest.raises(DataError, match=r"in the archive: 2023.annual.by_area/2023.annual 99101 Riverbend.csv\): "
                                        r"line 4 has 44 fields but the header has 43"):
        qcew.read_area_files(z)


def test_areas_argument_accepts_typed_lists_and_refuses_names():
    d = qcew.read_area_files(CASE01, areas="99101")
    assert sorted(d["area_fips"].unique()) == ["99101", "US000"]
    with pytest.raises(DataError, match="'Marion' is not an area code"):
        qcew.read_area_files(CASE01, areas=["Marion"])


def test_region_refuses_areas_that_are_not_counties():
    with pytest.raises(DataError, match="US000 is the nation, not a county"):
        qcew_region(["99101", "US000"])
    with pytest.raises(DataError, match="not a QCEW area code"):
        qcew_region(["123"])
    assert qcew_region(["1001", "01001"]).counties == ("01001",)


def qcew_region(codes):
    return Region.from_counties(codes)


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_corrupt_by_area_files_raise_only_dataerror(data):
    """Quoted by-area files with titles, corrupted, through the in-memory and the chunked readers."""
    buf = bytearray(_by_area_text())
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(buf) - 1))
        buf[i] = data.draw(st.sampled_from(b'",\n\r0123456789AN\x00\xe9 x'))
    streamed = data.draw(st.booleans())
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as mp:
        if streamed:
            mp.setattr(qcew, "STREAM_ABOVE", 0)
            mp.setattr(layouts, "CHUNK_ROWS", 2)
        p = Path(tmp) / "2023.annual 99101 Riverbend County.csv"
        p.write_bytes(bytes(buf))
        try:
            df = qcew.read_area_file(p)
        except DataError:
            return
    assert list(df.columns) == list(qcew.TIDY_COLUMNS)
    assert (df["employment"].dropna() >= 0).all()
