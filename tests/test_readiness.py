"""Industry readiness: the ranking rule by hand, the record, the page driven without a browser, the report."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sectorkit.apps.readiness import ReadinessApp
from sectorkit.core.errors import DataError
from sectorkit.lmi import readiness as R
from sectorkit.lmi import screen as S
from sectorkit.lmi.sources import load_source
from sectorkit.reports.sections import readiness as section

SHORT = [{"industry_code": c, "title": t} for c, t in
         [("62", "Health Care"), ("31-33", "Manufacturing"), ("48-49", "Transportation"), ("23", "Construction")]]
FIGS = pd.DataFrame({"industry_code": ["62", "31-33", "48-49", "23"], "employment": [900.0, 1200.0, 400.0, 300.0],
                     "lq": [1.1, 1.6, 0.9, 1.0], "growth_pct": [4.0, -2.0, 6.0, 1.0],
                     "total_score": [60.0, 70.0, 50.0, 40.0]})


def shortlist(ws, *codes):
    for code in codes:
        title = next(s["title"] for s in SHORT if s["industry_code"] == code)
        ws.put_record("sector_choice", code, {"decision": "shortlist", "title": title, "naics_digits": 2})


def test_ranking_by_hand():
    ratings = {
        # mean (4 + 3 + 3 + 2) / 4 = 3.0
        "62": R.SectorReadiness("62", "Health Care", {"growing": 4, "shared-fate": 3, "champions": 3,
                                                      "partners-reaching-out": 2}),
        # mean (4 + 4 + 4) / 3 = 4.0, and the team says growing although the data show -2 %
        "31-33": R.SectorReadiness("31-33", "Manufacturing", {"growing": 4, "champions": 4, "existing-table": 4}),
        # two factors only: listed, not rated, never a zero
        "48-49": R.SectorReadiness("48-49", "Transportation", {"growing": 1, "champions": 1}),
    }
    out = R.rank_shortlist(SHORT, ratings, FIGS)
    assert out["industry_code"].tolist() == ["31-33", "62", "48-49", "23"]  # unrated after, by screen score
    assert out["rank"].tolist() == [1, 2, None, None]
    assert out["readiness"].tolist() == [4.0, 3.0, None, None]
    assert out["status"].tolist() == ["rated", "rated", "not rated", "not rated"]
    assert out["n_rated"].tolist() == [3, 4, 2, 0]
    assert out.loc[2, "growing"] == 1 and out.loc[3, "growing"] is None
    why = dict(zip(out["industry_code"], out["why"]))
    assert why["62"].startswith("Readiness 3.00 of 4 on 4 of 6 factors. Strongest: growing, not contracting (4). "
                                "Weakest: several partners already reaching out (2).")
    assert "Data: 900 jobs, LQ 1.10, jobs +4.0%." in why["62"]
    assert why["31-33"].startswith("Readiness 4.00 of 4 on 3 of 6 factors. Every rated factor is 4 (strong evidence).")
    assert "Check: the team rates it growing, but the data show jobs falling -2.0%." in why["31-33"]
    assert why["48-49"].startswith("Not rated yet: 2 of 6 factors rated; rate at least 3 to rank it.")
    assert why["23"].startswith("Not rated yet: 0 of 6")


def test_equal_readiness_is_broken_by_the_screen_then_shares_a_rank():
    three = {"growing": 3, "champions": 2, "existing-table": 4}  # mean 3.0
    ratings = {c: R.SectorReadiness(c, "", three) for c in ("62", "31-33", "23")}
    figs = FIGS.assign(total_score=[60.0, 70.0, 50.0, 60.0])  # 62 and 23 tie on the screen as well
    out = R.rank_shortlist(SHORT, ratings, figs)
    assert list(zip(out["industry_code"], out["rank"])) == [("31-33", 1), ("62", 2), ("23", 2), ("48-49", None)]


def test_without_figures_the_ranking_still_works_and_says_so():
    out = R.rank_shortlist(SHORT[:1], {"62": R.SectorReadiness("62", "", {"growing": 2, "champions": 2,
                                                                         "existing-table": 2})})
    assert out.loc[0, "rank"] == 1 and math.isnan(out.loc[0, "employment"])
    assert "No LMI figures for this sector." in out.loc[0, "why"]


@pytest.mark.parametrize("ratings, evidence, message", [
    ({"growing": 0}, {}, "must be 1 to 4, not 0"),
    ({"growing": True}, {}, "must be 1 to 4"),
    ({"size": 3}, {}, "Unknown readiness factor 'size'"),
    ({}, {"champions": "x" * 1001}, "1,001 characters"),
])
def test_bad_ratings_are_refused_with_a_message(ratings, evidence, message):
    with pytest.raises(DataError, match=message):
        R.SectorReadiness("62", "Health", ratings, evidence)


def test_a_damaged_record_is_read_without_its_bad_values():
    rec = R.SectorReadiness.from_record("62", {"title": "H", "ratings": {"growing": 9, "champions": 3, "x": 2},
                                               "evidence": {"champions": "Dana at the hospital", "y": "z"}})
    assert rec.ratings == {"champions": 3} and rec.evidence == {"champions": "Dana at the hospital"}


def test_lmi_figures_are_the_lmi_review_screen(tmp_path):
    figs, problem = R.lmi_figures({"source": "example", "start_year": 2020, "end_year": 2023}, ["62", "31-33", "484"])
    assert problem is None
    data, region = load_source("example")
    for digits in (2, 3):
        sc = S.build_sector_screen(data, region, 2020, 2023, digits=digits).set_index("industry_code")
        for code in figs["industry_code"]:
            if (len(code) == 3) == (digits == 3):
                row = figs.set_index("industry_code").loc[code]
                assert row["employment"] == sc.loc[code, "employment"] and row["lq"] == sc.loc[code, "lq"]
                assert row["screen_rank"] == sc.loc[code, "rank"]
    assert set(figs["industry_code"]) == {"62", "31-33", "484"}
    none, why = R.lmi_figures({"source": "folder", "folder": "/etc"}, ["62"])  # a saved path is never read
    assert none is None and "no longer reads a folder typed as a path" in why
    none, why = R.lmi_figures({"source": "uploads"}, ["62"], folder=tmp_path / "lmi")  # nothing uploaded
    assert none is None and "upload" in why.lower()


def test_no_shortlist_says_what_to_do_first(ws):
    app = ReadinessApp(ws)
    text = "".join(w.value for w in app.body.children if isinstance(getattr(w, "value", None), str))
    assert "No sector is shortlisted yet." in text and "LMI Review" in text and "sheet=lmi-review" in text
    assert app.rows == {}


def test_page_saves_reloads_and_ranks(ws):
    shortlist(ws, "62", "31-33")
    app = ReadinessApp(ws)
    assert set(app.rows) == {"31-33", "62"}
    assert "jobs" in app.rows["62"].figures.value  # the LMI figures beside the ratings
    row = app.rows["62"]
    for fid, value in {"growing": 4, "champions": 3, "existing-table": 2}.items():
        row.rating[fid].value = value
    row.evidence["champions"].value = "Dana (St. Luke's) will <sign> the letter"
    saved = ws.records("readiness")["62"]
    assert saved["ratings"] == {"growing": 4, "champions": 3, "existing-table": 2}
    assert saved["evidence"] == {"champions": "Dana (St. Luke's) will <sign> the letter"}
    assert app.status_text().startswith("Saved at")
    ranked = app.ranked()[["industry_code", "rank", "readiness"]].values.tolist()
    assert ranked == [["62", 1, 3.0], ["31-33", None, None]]
    assert "<sign>" not in app.ranking.value
    again = ReadinessApp(ws)
    assert again.rows["62"].rating["growing"].value == 4
    assert again.rows["62"].evidence["champions"].value.startswith("Dana")
    assert again.rows["31-33"].rating["growing"].label == "Not rated"  # not rated stays not rated
    # clearing a rating removes it (unknown, not zero)
    again.rows["62"].rating["growing"].value = 0  # "Not rated"
    assert ws.records("readiness")["62"]["ratings"] == {"champions": 3, "existing-table": 2}


def test_too_long_evidence_and_a_failing_save_become_messages(ws, monkeypatch):
    shortlist(ws, "62")
    app = ReadinessApp(ws)
    app.rows["62"].evidence["growing"].value = "x" * 1200
    assert app.status_is_error and "1,200 characters" in app.status_text()
    assert app.rows["62"].evidence["growing"].value == "x" * 1200  # nothing typed is lost
    assert "growing" not in ws.records("readiness").get("62", {}).get("evidence", {})
    app.rows["62"].evidence["growing"].value = "Two plants hiring"
    assert not app.status_is_error

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ws, "put_record", broken)
    app.rows["62"].rating["champions"].value = 3
    assert app.status_text().startswith("Something went wrong while saving the ratings: RuntimeError: disk on fire.")
    assert app.rows["62"].rating["champions"].value == 3


def test_report_section_lists_ranked_and_not_rated(ws, monkeypatch, home):
    shown: list[str] = []
    monkeypatch.setattr(section, "show", shown.append)
    section.readiness("riverbend", str(home))
    assert "Not done yet" in shown[-1] and "no sector is shortlisted" in shown[-1]
    shortlist(ws, "62", "31-33")
    ws.put_record("readiness", "62", {"title": "Health <Care>", "ratings": {"growing": 4, "champions": 4,
                                                                            "existing-table": 4}})
    section.readiness("riverbend", str(home), 2020, 2023)
    html = shown[-1]
    assert "Shortlisted sectors ranked by readiness" in html and "not rated" in html and "Readiness 4.00" in html
    ws.put_record("readiness", "62", {"ratings": {"growing": 4}, "evidence": {"growing": "Two <new> clinics"}})
    section.readiness("riverbend", str(home))
    assert "Growing, not contracting (strong evidence): Two &lt;new&gt; clinics" in shown[-1]
    assert section.status(ws) == ("Industry readiness", False, "0 of 2 shortlisted sectors rated")  # 1 factor


def test_a_sector_can_be_shortlisted_here_by_its_code(ws):
    app = ReadinessApp(ws)
    app.add_code.value = "1011"
    assert app.add_sector() is None and "'1011' is not a NAICS sector" in app.status_text()
    assert app.add_code.value == "1011" and app.rows == {}
    app.add_code.value = "<b>62</b>"
    app.add_sector()
    assert "'<b>62</b>' is not a NAICS sector" in app.status_text()
    app.add_code.value = " 62 "
    assert app.add_sector() is True
    assert ws.records("sector_choice")["62"]["decision"] == "shortlist"
    assert list(app.rows) == ["62"] and app.add_code.value == ""
    assert "Health care" in app.ranking.value and "not rated" in app.ranking.value
    app.rows["62"].rating["growing"].value = 3
    assert ws.records("readiness")["62"]["ratings"] == {"growing": 3}
