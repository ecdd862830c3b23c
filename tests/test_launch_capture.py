"""Step 4's launch record: the summary's content, the page without a browser, the executive summary
files (HTML escaped, PDF with the priorities in it), bad input, and the report section."""

from __future__ import annotations

import base64
import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from sectorkit.apps.launch_capture import SUMMARY_HTML, SUMMARY_PDF, LaunchCaptureApp
from sectorkit.partnership import read_summary, summarize
from sectorkit.reports.sections import launch_capture as section
from sectorkit.store.workspace import Workspace

HOSTILE = "<script>alert('x')</script> & \"quotes\""
MADE_ON = date(2027, 3, 20)


def fill(page: LaunchCaptureApp, question: str, rows: list[dict]) -> None:
    """Type rows into a table of the page's form, cell by cell, as a person would."""
    table = page.form.fields[question]
    start = len(table.views)
    for i, row in enumerate(rows):
        table.add_row()
        for column, value in row.items():
            table.cell(start + i, column).value = value


def record(page: LaunchCaptureApp) -> None:
    form = page.form
    form.fields["meeting-date"].input.value = "3/18/2027"
    form.fields["meeting-place"].input.value = "Ridgeline Fabrication, Riverbend"
    form.fields["companies-present"].input.value = "24"
    fill(page, "priorities", [
        {"priority": "Grow our own talent", "opportunity": "Demand for technicians keeps rising",
         "requirements": "Plant tours for counsellors\nPaid summer internships"},
        {"priority": "Shared apprenticeship", "requirements": "A common curriculum with the college"},
        {"priority": "Truck parking"},
    ])
    fill(page, "champions", [
        {"name": "Ana Petrov", "company": "Ridgeline Fabrication", "priority": "grow  our own TALENT",
         "commitment": "Host the first tour in April"},
        {"name": "Joe Tanaka", "company": "Corvid Controls", "priority": "Shared apprenticeship",
         "commitment": "Share our training plan"},
        {"name": "Lin Zhou", "company": "Harbor Tools", "priority": "Grow our own talent"},
        {"name": "Sam Ortiz", "priority": "Broadband"},
    ])
    form.fields["next-steps"].input.value = "Team calls within two weeks\nQuarterly meeting in June"


def test_summarize_groups_champions_and_lists_problems_by_hand():
    s = summarize(
        {"meeting-date": "2027-02-30", "companies-present": 19.0, "later": "- Housing\n\n* Transit"},
        [{"priority": "A"}, {"priority": ""}, {"priority": " a ", "requirements": "dup"}, {"opportunity": "x"},
         {"priority": "B"}],
        [{"name": "Ann", "priority": "A"}, {"name": "", "company": "Nobody Inc"}, {"name": "Bo", "priority": ""}],
        region_name="R",
    )
    assert s.meeting_date is None and s.meeting_date_text == "2027-02-30" and s.companies == 19
    assert [(p.name, p.row, [c.name for c in p.champions]) for p in s.priorities] == [("A", 1, ["Ann"]), ("B", 5, [])]
    assert [c.name for c in s.unassigned] == ["Bo"] and s.champion_count == 2
    assert s.later == ("Housing", "Transit")
    assert s.problems == (
        "The meeting date '2027-02-30' is not a date (write it as yyyy-mm-dd); it is kept as typed.",
        "'a' is listed twice (priority rows 1 and 3); its champions go under the first.",
        "Priority row 4 has no short name, so the summary leaves it out.",
        "Champion row 2 has no name, so the summary leaves it out.",
        "No champion has signed up for 'B' yet.",
        "Champion Bo (row 3) has no priority named.",
    )


def test_the_page_records_the_launch_and_its_panel_follows(home):
    with Workspace.open("riverbend", home, name="Riverbend") as ws:
        page = LaunchCaptureApp(ws, printer=lambda h, p: p.write_bytes(b"%PDF-1.4 test"), today=MADE_ON)
        assert "No priority or champion" in page.panel.value
        record(page)
        s = read_summary(ws)
        assert s.meeting_date == date(2027, 3, 18) and s.companies == 24 and s.place.startswith("Ridgeline")
        assert [(p.name, [c.name for c in p.champions]) for p in s.priorities] == [
            ("Grow our own talent", ["Ana Petrov", "Lin Zhou"]), ("Shared apprenticeship", ["Joe Tanaka"]),
            ("Truck parking", [])]
        assert s.priorities[0].requirements == "Plant tours for counsellors\nPaid summer internships"
        assert "3 priorities, 4 champions." in page.panel.value
        assert "No champion has signed up for &#x27;Truck parking&#x27; yet." in page.panel.value
        assert "names a priority that is not in the list: &#x27;Broadband&#x27;" in page.panel.value
        # reopening shows what was typed
        again = LaunchCaptureApp(ws)
        assert again.form.fields["priorities"].cell(2, "priority").value == "Truck parking"
        assert again.form.fields["meeting-place"].input.value == "Ridgeline Fabrication, Riverbend"


def test_executive_summary_html_and_pdf_with_chromium(home):
    with Workspace.open("riverbend", home, name=f"Riverbend {HOSTILE}") as ws:
        page = LaunchCaptureApp(ws, today=MADE_ON)  # the real printer: the report machinery's Chromium
        record(page)
        page.form.fields["champions"].cell(0, "commitment").value = f"Host a tour {HOSTILE}\nand a second"
        page.make_summary()
        assert not page.status_is_error, page.status_text()
        assert page.status_text().startswith("Saved at") and "3 priorities, 4 champions" in page.status_text()
        folder = ws.path.parent
        doc = (folder / SUMMARY_HTML).read_text(encoding="utf-8")
        assert "<script>" not in doc
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quotes&quot;" in doc
        assert "Host a tour &lt;script&gt;" in doc and "<br>and a second" in doc
        assert "18 March 2027, Ridgeline Fabrication, Riverbend" in doc and "Summary prepared on 2027-03-20" in doc
        assert "24 companies in the room" in doc and "not an official Next Gen document" in doc
        assert doc.index("Grow our own talent") < doc.index("Shared apprenticeship") < doc.index("Truck parking")
        assert "Champions of other themes" in doc and "Sam Ortiz</strong> (theme: Broadband)" in doc
        assert "Team calls within two weeks" in doc
        pdf = (folder / SUMMARY_PDF).read_bytes()
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        flat = " ".join(text.split())
        for expected in ("Grow our own talent", "Shared apprenticeship", "Truck parking", "Ana Petrov",
                         "Plant tours for counsellors"):
            assert expected in flat
        assert not list(folder.glob("*.part"))
        links = dict(re.findall(r"<a download='([^']+)' href='data:[^;]+(?:;charset=utf-8)?;base64,([^']+)'",
                                page.downloads.value))
        assert set(links) == {SUMMARY_HTML, SUMMARY_PDF}
        assert base64.b64decode(links[SUMMARY_PDF]) == pdf
        assert base64.b64decode(links[SUMMARY_HTML]).decode("utf-8") == doc


def test_summary_refuses_an_empty_record_and_survives_a_failing_printer(home):
    def broken(html_file, pdf_file):
        pdf_file.write_bytes(b"half a file")
        raise OSError("printer on fire")

    with Workspace.open("riverbend", home) as ws:
        page = LaunchCaptureApp(ws, printer=broken, today=MADE_ON)
        page.make_summary()
        assert page.status_is_error
        assert page.status_text() == ("No summary made: write at least one priority (its short name) in the "
                                      "launch record first.")
        assert not (ws.path.parent / SUMMARY_HTML).exists()
        fill(page, "priorities", [{"priority": "Grow our own"}])
        page.make_summary()
        assert page.status_is_error and "printing the PDF: OSError: printer on fire" in page.status_text()
        assert "The HTML summary is ready above" in page.status_text()
        assert (ws.path.parent / SUMMARY_HTML).exists() and not (ws.path.parent / SUMMARY_PDF).exists()
        assert not list(ws.path.parent.glob(".*.part"))
        assert SUMMARY_HTML in page.downloads.value and SUMMARY_PDF not in page.downloads.value
        assert [r.value["priority"] for r in ws.rows("launch-capture", "priorities")] == ["Grow our own"]

        page.printer = lambda h, p: p.write_bytes(b"<html>not a pdf")
        page.make_summary()
        assert page.status_is_error and "did not write a PDF" in page.status_text()


def test_a_bad_date_or_a_too_long_cell_is_reported_and_kept(home):
    with Workspace.open("riverbend", home) as ws:
        page = LaunchCaptureApp(ws)
        page.form.fields["meeting-date"].input.value = "18/3/2027"
        fill(page, "priorities", [{"priority": "x" * 130}])
        # the form's own status line (at the top of the form) says what was not saved
        assert page.form.status_is_error and "Not saved" in page.form.status_text()
        assert page.form.fields["priorities"].cell(0, "priority").value == "x" * 130  # still in the box
        fill(page, "priorities", [{"priority": "Grow our own"}])
        assert ws.answers("launch-capture")["meeting-date"] == "18/3/2027"
        assert "The meeting date &#x27;18/3/2027&#x27; is not a date" in page.panel.value


def test_report_section_shows_the_record_escaped_and_leaves_commitments_to_their_section(home, monkeypatch):
    with Workspace.open("riverbend", home) as ws:
        assert section.status(ws) == ("Launch record (priorities and champions)", False, "not written down yet")
        ws.save_answers("launch-capture", {"meeting-place": f"Hall {HOSTILE}", "next-steps": "Call the college"})
        ws.save_rows("launch-capture", "priorities", [{"priority": f"Grow {HOSTILE}", "requirements": "Tours"}])
        ws.save_rows("launch-capture", "champions", [{"name": "Ana", "priority": "Grow"}])
        assert section.status(ws)[1] is True and "The priorities business leaders chose: 1" in section.status(ws)[2]
    shown: list[str] = []
    monkeypatch.setattr(section, "show", shown.append)
    section.launch_capture("riverbend", str(home))
    (out,) = shown
    assert "<script>" not in out and "Grow &lt;script&gt;" in out and "Hall &lt;script&gt;" in out
    assert "Tours" in out and "Ana" in out and "Call the college" not in out
    assert 'id="launch-capture"' in out


def test_report_section_on_an_empty_region_says_not_done(home, monkeypatch):
    Workspace.open("empty", home).close()
    shown: list[str] = []
    monkeypatch.setattr(section, "show", shown.append)
    section.launch_capture("empty", str(home))
    assert "Not done yet:</strong> nothing from the launch meeting is written down yet." in shown[0]


@pytest.mark.parametrize("bad", ["../x", "Bad Region"])
def test_report_section_rejects_bad_region_ids(home, bad):
    from sectorkit.core.errors import SectorkitError

    with pytest.raises(SectorkitError):
        section.launch_capture(bad, str(home))
