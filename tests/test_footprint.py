"""Geographic footprint: BLS oracle, region_measures on the same counties, bad input, the page, the LMI Review,
the report."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sectorkit.apps.footprint import FootprintApp
from sectorkit.apps.lmi_review import LMIReviewApp
from sectorkit.core.errors import DataError
from sectorkit.lmi import footprint as F
from sectorkit.lmi import qcew
from sectorkit.lmi import readiness as R
from sectorkit.lmi.measures import Region, region_measures
from sectorkit.lmi.sources import source_data
from sectorkit.lmi.uploads import folder_of, store_upload
from sectorkit.reports.sections import footprint as section
from tests.support import QCEW

FOLDER = QCEW / "ohio_morpc_county_annual"
CROSSWALK = QCEW / "crosswalk" / "central_ohio_12_county_region.csv"


@pytest.fixture(scope="module")
def real():
    files = sorted(FOLDER.glob("*.csv.gz"))
    assert len(files) == 48, f"shared QCEW data missing at {QCEW} (set SECTORKIT_SHARED)"
    return qcew.read_area_files(files)


@pytest.fixture(scope="module")
def published():
    """The BLS files read directly with pandas (not through sectorkit): the oracle."""
    files = sorted(FOLDER.glob("*2023*.csv.gz"))
    frames = [pd.read_csv(f, dtype={"area_fips": str, "industry_code": str}) for f in files]
    p = pd.concat(frames)
    return p[(p["own_code"] == 5)].set_index(["area_fips", "industry_code"])


@pytest.fixture(scope="module")
def example():
    return source_data("example")[0]


def test_one_county_figures_are_the_published_bls_figures(real, published):
    checked = 0
    for county in ("39049", "39041", "39089"):
        for sector in ("31-33", "62", "48-49", "23"):
            pub = published.loc[(county, sector)]
            if pub["disclosure_code"] == "N":
                continue
            f = F.footprint_figures(real, [county], sector, 2020, 2023)
            assert f["employment"] == pub["annual_avg_emplvl"]
            assert f["establishments"] == pub["annual_avg_estabs"]
            assert f["lq"] == pytest.approx(pub["lq_annual_avg_emplvl"])
            assert f["lq_method"] == "published (BLS)"
            checked += 1
    assert checked >= 10


def test_several_counties_add_up_the_published_county_figures(real, published):
    counties = ["39049", "39041", "39045", "39089", "39159"]
    for sector in ("62", "31-33", "54"):
        rows = published.loc[[(c, sector) for c in counties]]
        f = F.footprint_figures(real, counties, sector, 2020, 2023)
        assert f["establishments"] == rows["annual_avg_estabs"].sum()  # never suppressed
        disclosed = rows[rows["disclosure_code"] != "N"]
        assert f["employment"] == disclosed["annual_avg_emplvl"].sum()
        assert f["employment_is_lower_bound"] == (len(disclosed) < len(rows))
        # the footprint's figures are region_measures' on the same counties, LQ included
        m = region_measures(real, Region.from_counties(counties), 2020, 2023).set_index("industry_code").loc[sector]
        assert (f["lq"], f["growth_pct"]) == (m["lq"], m["growth_pct"])


def test_bad_input_gets_a_clear_message(example):
    with pytest.raises(DataError, match="The footprint has no county yet: mark at least one county In."):
        F.footprint_figures(example, [], "31-33", 2020, 2023)
    with pytest.raises(DataError, match="There is no data for county 12345. Counties in the data: 99001, 99003"):
        F.footprint_figures(example, ["99001", "12345"], "31-33", 2020, 2023)
    with pytest.raises(DataError, match="There is no data for county 01001"):
        F.footprint_figures(example, ["1001"], "31-33", 2020, 2023)  # padded, then looked up
    for bad in ("Franklin", "39000", "123", "US000"):
        with pytest.raises(DataError, match="is not a county FIPS code"):
            F.normalize_county(bad)
    assert F.normalize_county("1001") == "01001"
    with pytest.raises(DataError, match="no figures for industry 999"):
        F.footprint_figures(example, ["99001"], "999", 2020, 2023)


def test_size_check_boundaries_by_hand():
    # 12 seats * 4 invitations = 48; 25 seats * 4 = 100
    assert [F.size_check(n)[0] for n in (0, 47, 48, 99, 100, 5000)] == [
        "too small", "too small", "small", "small", "big enough", "big enough"]
    assert F.size_check(float("nan"))[0] == "unknown"
    assert "enough to invite 48 for a launch of 12, but not the 100" in F.size_check(60)[1]


def test_labor_market_flags_from_states_and_crosswalk(real, example):
    cat = F.county_catalog(real, CROSSWALK)
    assert cat.set_index("area_fips").loc["39049", "county_name"] == "Franklin County"
    assert F.labor_market_flags(["39049", "39041"], cat) == []  # one state, one crosswalk region
    two = pd.concat([cat, pd.DataFrame({"area_fips": ["54001"], "county_name": ["Barbour"], "state_fips": ["54"],
                                        "regions": [("West Virginia North",)]})])
    flags = F.labor_market_flags(["39049", "54001"], two)
    assert len(flags) == 2 and "2 states" in flags[0] and "different regions of your crosswalk" in flags[1]
    assert F.labor_market_flags(["99001", "99007"], F.county_catalog(example, source_data("example")[1])) == []


def test_footprint_record_round_trip_and_validation():
    fp = F.Footprint({"1001": (True, "core"), "01003": (False, "across the river")}, "31-33")
    assert F.Footprint.from_record(fp.to_record()) == fp
    with pytest.raises(DataError, match="the limit is 500"):
        F.Footprint({"99001": (True, "x" * 501)})
    assert F.Footprint.from_record({"counties": {"oops": {"in": True}, "99001": {"in": True}}}).included == ("99001",)
    assert F.Footprint.from_record(None) is None


def test_flow_shortlist_readiness_footprint(ws):
    """Shortlist -> readiness ranking -> footprint figures equal region_measures on the same counties."""
    for code, title in (("31-33", "Manufacturing"), ("62", "Health Care")):
        ws.put_record("sector_choice", code, {"decision": "shortlist", "title": title, "naics_digits": 2})
    ws.put_record("readiness", "31-33", {"title": "Manufacturing", "ratings": {"growing": 3, "champions": 4,
                                                                               "shared-challenges": 2}})
    ranked = R.rank_shortlist(R.shortlist_of(ws), R.load_ratings(ws.records("readiness")))
    assert ranked[["industry_code", "rank", "readiness"]].values.tolist() == [["31-33", 1, 3.0], ["62", None, None]]

    app = FootprintApp(ws)
    assert [v for _, v in app.sector.options] == ["31-33", "62"]  # the shortlist
    assert all(r.inside.value for r in app.rows.values())  # the LMI Review's region to start
    app.rows["99007"].inside.value = False
    app.rows["99007"].reason.value = "Harlan Ridge hires from the next valley <over the pass>"
    saved = ws.records("footprint")["current"]
    assert saved["counties"]["99007"] == {"in": False,
                                          "reason": "Harlan Ridge hires from the next valley <over the pass>"}
    assert saved["sector"] == "31-33"
    expect = app.measures_for(["99001", "99003", "99005"]).set_index("industry_code").loc["31-33"]
    got = app.last_figures
    assert (got["employment"], got["establishments"], got["lq"]) == (
        expect["employment"], expect["establishments"], expect["lq"])
    assert "Establishments" in app.figures.value and "Not too small?" in app.figures.value
    app.sector.value = "62"
    assert ws.records("footprint")["current"]["sector"] == "62"
    assert app.last_figures["employment"] == app.measures_for(["99001", "99003", "99005"]).set_index(
        "industry_code").loc["62", "employment"]

    again = FootprintApp(ws)  # reload shows what was saved
    assert again.sector.value == "62" and again.rows["99007"].inside.value is False
    assert again.rows["99007"].reason.value.startswith("Harlan Ridge")

    # the footprint is the region's county set: the LMI Review and the readiness figures use it
    review = LMIReviewApp(ws)
    assert review.region.counties == ("99001", "99003", "99005")
    figs, _ = R.lmi_figures({}, ["62"], counties="99001, 99003, 99005")
    assert figs.loc[0, "employment"] == app.last_figures["employment"]


def test_empty_footprint_and_bad_county_codes_on_the_page(ws, monkeypatch):
    app = FootprintApp(ws)
    for row in app.rows.values():
        row.inside.value = False
    assert "The footprint has no county yet: mark at least one county In." in app.figures.value
    assert ws.records("footprint")["current"]["counties"]["99001"]["in"] is False  # saved, nothing lost
    assert F.saved_counties(ws)[0] == ()
    assert LMIReviewApp(ws).region.counties == ("99001", "99003", "99005", "99007")  # no footprint: the whole region

    app.add_code.value = "1001"
    assert app.add_county() is None
    assert "Not added: There is no data for county 01001." in app.status_text() and app.add_code.value == "1001"
    app.add_code.value = "Franklin <b>"
    app.add_county()
    assert "is not a county FIPS code" in app.status_text() and app.status_is_error
    app.add_code.value = "99003"
    assert app.add_county() is True and app.rows["99003"].inside.value is True
    assert ws.records("footprint")["current"]["counties"]["99003"]["in"] is True

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ws, "put_record", broken)
    app.rows["99005"].inside.value = True
    assert app.status_text().startswith("Something went wrong while saving the footprint: RuntimeError: disk on fire.")
    assert app.rows["99005"].inside.value is True


def test_page_on_real_files_with_a_crosswalk(ws):
    for path in [*sorted(FOLDER.glob("*.csv.gz")), CROSSWALK]:  # uploaded on the LMI Review page
        store_upload(folder_of(ws), path.name, path.read_bytes())
    ws.put_record("lmi_settings", "current", {"source": "uploads", "counties": "CENTRAL_OH12",
                                              "start_year": 2020, "end_year": 2023, "own_code": 5, "naics_digits": 2})
    app = FootprintApp(ws)
    assert len(app.rows) == 12 and app.rows["39049"].inside.description == "In: Franklin County (39049)"
    for code, row in app.rows.items():
        row.inside.value = code == "39049"
    app.sector.value = "31-33"
    f = app.last_figures
    assert f["counties"] == ("39049",) and f["lq_method"] == "published (BLS)"
    assert "Big enough" in app.figures.value
    # the LMI Review's counties box is pre-filled from the newer footprint
    review = LMIReviewApp(ws)
    assert review.counties.value == "39049" and review.region.counties == ("39049",)


def test_missing_data_is_a_message_not_a_traceback(ws):
    ws.put_record("lmi_settings", "current", {"source": "uploads"})  # nothing uploaded yet
    app = FootprintApp(ws)
    assert any("The LMI data could not be read." in str(getattr(w, "value", "")) for w in app.container.children)
    assert app.rows == {}


def test_report_section(ws, monkeypatch, home):
    shown: list[str] = []
    monkeypatch.setattr(section, "show", shown.append)
    section.footprint("riverbend", str(home))
    assert "Not done yet" in shown[-1]
    ws.put_record("footprint", "current", F.Footprint({"99001": (True, "core <plant>"), "99007": (False, "far")},
                                                      "31-33").to_record())
    section.footprint("riverbend", str(home), 2020, 2023)
    html = shown[-1]
    assert "core &lt;plant&gt;" in html and "Riverbend County (illustrative)" in html and "Establishments" in html
    assert section.status(ws) == ("Geographic footprint", True, "1 counties in")
    assert not math.isnan(F.footprint_figures(source_data("example")[0], ["99001"], "31-33", 2020, 2023)["lq"])


@pytest.mark.parametrize("page_id", ["footprint", "industry-readiness"])
def test_registered_pages_open_for_a_region(tmp_path, page_id):
    from sectorkit.apps.registry import open_page, page_title

    example = open_page(page_id, "example", root=tmp_path)
    assert example.workspace.illustrative and "Illustrative example region." in example.header.value
    mine = open_page(page_id, "lakeside", root=tmp_path)
    assert mine.workspace.region == "lakeside" and mine.container.children[0] is mine.header
    assert page_title(page_id).startswith(("Geographic footprint", "Industry readiness"))
