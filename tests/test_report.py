"""Region reports: the template run by papermill, the HTML and PDF, the batch, hostile input, Dask."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import nbformat
import pytest

from sectorkit import reports as report
from sectorkit.cli import main
from sectorkit.core.errors import InvalidRegionId
from sectorkit.example import ensure_example_workspace
from sectorkit.store.workspace import Workspace
from tests.support.seed import fill_report_workspace

HOSTILE = " <script>alert(1)</script> \"quoted\" 'single' {braces} {0}\nsecond line"
pytestmark = pytest.mark.notebook


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """Regions: example (illustrative answers everywhere), blank (nothing done), full (every part, from the test
    seed), hostile (markup in every text), broken (corrupt)."""
    root = tmp_path_factory.mktemp("home")
    ensure_example_workspace(root).close()
    Workspace.open("blank", root, name="Blank Region").close()
    with Workspace.open("full", root, name="Full Region") as ws:
        fill_report_workspace(ws)
    with Workspace.open("hostile", root, name='Hostile <b>name</b> "q" {x}\n<script>alert(1)</script>') as ws:
        fill_report_workspace(ws, text=HOSTILE)
    (root / "broken").mkdir()
    (root / "broken" / "workspace.sqlite").write_bytes(b"this is not an SQLite database, just text" * 4)
    return root


@pytest.fixture(scope="module")
def batch(home, tmp_path_factory):
    """One batch run shared by most tests: 3 good regions, a corrupt one and a missing one."""
    out = tmp_path_factory.mktemp("out")
    # a good report of 'broken' from an earlier run must survive this run's failure
    (out / "broken.html").write_text("<html><body>earlier good report</body></html>", encoding="utf-8")
    result = report.render_all(
        ["example", "full", "hostile", "broken", "missing"], out, home, formats=("html", "pdf"), workers=2
    )
    return result


def test_template_has_one_typed_parameters_cell():
    nb = nbformat.read(report.TEMPLATE, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    src = tagged[0].source
    for line in (
        'region: str = "example"  #',
        'home: str = ""  #',
        "start_year: int = 2020  #",
        "end_year: int = 2023  #",
    ):
        assert line in src
    assert all(not c.get("outputs") and not c.get("execution_count") for c in nb.cells if c.cell_type == "code")


def test_template_run_for_a_region_with_nothing_done(home, tmp_path):
    import papermill as pm

    out = tmp_path / "blank.ipynb"
    pm.execute_notebook(
        str(report.TEMPLATE),
        str(out),
        parameters={"region": "blank", "home": str(home), "start_year": 2021, "end_year": 2023},
        cwd=str(tmp_path),
        progress_bar=False,
        kernel_name="python3",
        log_output=False,
    )
    nb = nbformat.read(out, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert 'region = "blank"' in injected[0].source and "start_year = 2021" in injected[0].source
    assert json.dumps(str(home)) in injected[0].source
    shown = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", []))
    for title in report.SECTION_TITLES:
        assert title in shown
    assert "Labor-market years 2021–2023" in shown
    # every section but the overview says plainly that the part is not done; no chart is drawn from nothing
    assert shown.count("Not done yet:</strong>") >= len(report.SECTION_TITLES) - 1
    assert "the team has not marked any sector" in shown and "<img" not in shown


def test_batch_writes_reports_and_lists_failures(batch):
    out = batch.out_dir
    assert sorted(batch.written) == ["example", "full", "hostile"]
    assert set(batch.failed) == {"broken", "missing"}
    assert "cannot be read as a sectorkit workspace" in batch.failed["broken"]
    assert "No workspace for region 'missing'" in batch.failed["missing"]
    # the earlier good report of the failing region is untouched; nothing half-written is left
    assert (out / "broken.html").read_text(encoding="utf-8") == "<html><body>earlier good report</body></html>"
    assert not (out / "missing.html").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".") or p.suffix == ".part"]
    index = (out / "index.html").read_text(encoding="utf-8")
    for region in ("example", "full", "hostile"):
        assert f'href="{region}.html"' in index and f'href="{region}.pdf"' in index
    assert "Failures" in index and "missing" in index and "cannot be read" in index


def test_report_html_has_sections_and_no_code(batch):
    page = (batch.out_dir / "full.html").read_text(encoding="utf-8")
    for title in report.SECTION_TITLES:
        assert f">{title}</h2>" in page
    assert "jp-InputArea" not in page and "<pre" not in page and "report.header" not in page
    assert "<script" not in page
    # every chart carries a text alternative
    imgs = re.findall(r"<img\b[^>]*>", page)
    assert len(imgs) == 4 and all(re.search(r'alt="[^"]{40,}"', i) for i in imgs)  # sectors, universe, influence,
    assert "Manufacturing" in page and "Raj Iyer, 15 March" in page and "improved" in page  # assessments
    # the Steps 2-5 worksheets reach their sections: footprint, launch plan, influence map, launch record, teams
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    for shown in ("Hires from the next valley", "Convener: Valley Economic Alliance", "9 on the invitation list",
                  "High influence, no known path yet: Pat Lee", "Tours for teachers and paid internships",
                  "'Two plant tours for teachers' was due on", "'A list of shared suppliers' has no owner"):
        assert shown in words, shown


def test_example_report_has_every_section_filled(batch):
    """The illustrative region's answers reach every section: nothing is left "Not done yet"."""
    page = (batch.out_dir / "example.html").read_text(encoding="utf-8")
    for title in report.SECTION_TITLES:
        assert f">{title}</h2>" in page
    assert "Not done yet" not in page and 'class="sk-not-done"' not in page
    assert "Illustrative region.</strong>" in page  # still labelled illustrative
    overview = page.split('id="standing"')[1].split("</table>")[0]
    statuses = re.findall(r"<td>(Done|Not done yet)</td>", overview)
    assert statuses and set(statuses) == {"Done"}
    assert len(re.findall(r"<img\b[^>]*alt=", page)) >= 4  # sectors, universe, influence, assessments
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    for shown in ("6 of 6 done", "Convener: Valley Economic Alliance, Valley Community College",
                  "Grow our own talent", "Plant tours for teachers and counselors",
                  "High influence, no known path yet"):
        assert shown in words, shown


def test_pdf_is_valid_with_text(batch):
    from pypdf import PdfReader

    reader = PdfReader(batch.out_dir / "full.pdf")
    assert len(reader.pages) > 0
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Full Region" in text and "What the action teams promised" in text


def test_hostile_workspace_text_is_escaped(batch):
    page = (batch.out_dir / "hostile.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Hostile &lt;b&gt;name&lt;/b&gt;" in page and "<b>name</b>" not in page
    assert "{braces} {0}" in page  # braces are text, not a format string
    assert "second line" in page


def test_hostile_parameters_are_data(home, tmp_path):
    """A workspace root whose name holds quotes, braces, a newline and markup is passed as data."""
    import shutil

    weird = tmp_path / "we\"ird ' {x} <script>\nhome"
    shutil.copytree(home / "full", weird / "full")
    nb = report._parameterize("full", str(weird), 2020, 2023)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    ns: dict = {}
    exec(compile(injected.source, "params", "exec"), {}, ns)  # noqa: S102 - checking it is only assignments
    assert ns["home"] == str(weird) and ns["region"] == "full"
    result = report.build_region_html("full", weird)
    assert "Full Region" in result["html"] and "<script" not in result["html"]


@pytest.mark.parametrize("bad", ["../x", 'a"; import os', "<b>", "x/../../etc", ""])
def test_hostile_region_ids_are_refused(bad, tmp_path, capsys):
    out = tmp_path / "out"
    with pytest.raises(InvalidRegionId):
        report.render_region(bad, out, tmp_path)
    assert main(["--home", str(tmp_path), "report", bad, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "is not a valid region id" in err and "Traceback" not in err
    assert not any(tmp_path.rglob("*.html"))
    batch = report.render_all([bad], out, tmp_path, formats=("html",))
    assert bad in batch.failed and "not a valid region id" in batch.failed[bad]
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert html.escape(bad) in index
    if "<" in bad or '"' in bad:
        assert bad not in index


def test_cli_report_exit_codes(home, tmp_path, capsys):
    assert main(["--home", str(home), "report", "--out", str(tmp_path)]) == 2
    assert "region ids, or --all" in capsys.readouterr().err
    assert main(["--home", str(home), "report", "example", "--format", "docx", "--out", str(tmp_path)]) == 2
    assert "Unknown report format docx" in capsys.readouterr().err
    code = main(["--home", str(home), "report", "missing", "--format", "html", "--quiet", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1 and "report for 'missing' failed" in err and "Traceback" not in err


def test_report_page_passes_axe(batch):
    from playwright.sync_api import sync_playwright

    from sectorkit.reports.pdf import launch_browser
    from tests.support.browser import axe_violations

    with sync_playwright() as p:
        browser = launch_browser(p)
        try:
            page = browser.new_page()
            for name in ("full.html", "index.html"):
                page.goto((batch.out_dir / name).as_uri())
                assert axe_violations(page) == [], name
        finally:
            browser.close()


#: the printable width of a report page in CSS px: US Letter (8.5 in) less the two 12 mm margins of the @page rule
PRINT_WIDTH_PX = int((8.5 * 25.4 - 2 * 12) / 25.4 * 96)
#: every table that is wider than its container or sticks out of the page's text column, named by its caption
TOO_WIDE_JS = """() => {
  const main = document.querySelector('main').getBoundingClientRect();
  return [...document.querySelectorAll('table')].flatMap(t => {
    const box = t.parentElement, r = t.getBoundingClientRect();
    const name = (t.caption ? t.caption.textContent : (t.querySelector('th') || {}).textContent || '').trim();
    return (t.scrollWidth > box.clientWidth + 1 || r.right > main.right + 1 || r.left < main.left - 1)
      ? [`${name.slice(0, 70)}: ${Math.round(r.width)} px wide, ${box.clientWidth} px available`] : [];
  });
}"""


def test_no_table_is_wider_than_the_printed_page(batch):
    """Laid out for print at the PDF's text width, every table fits (the Universe table's last columns were cut)."""
    from playwright.sync_api import sync_playwright

    from sectorkit.reports.pdf import launch_browser

    assert "@page { size: letter; margin: 14mm 12mm; }" in report.REPORT_CSS  # the width computed above
    with sync_playwright() as p:
        browser = launch_browser(p)
        try:
            page = browser.new_page(viewport={"width": PRINT_WIDTH_PX, "height": 1000})
            page.emulate_media(media="print")
            for name in ("example.html", "full.html", "hostile.html"):
                page.goto((batch.out_dir / name).as_uri())
                assert page.evaluate("document.querySelectorAll('table').length") >= 10, name
                assert page.evaluate(TOO_WIDE_JS) == [], name
                assert page.evaluate("document.documentElement.scrollWidth") <= PRINT_WIDTH_PX, name
        finally:
            browser.close()


def test_dask_local_cluster(home, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = report.render_all(
            ["example", "full"], tmp_path, home, formats=("html",), scheduler=cluster.scheduler_address
        )
    assert result.ok, result.failed
    assert sorted(result.written) == ["example", "full"]
    assert "Full Region" in (tmp_path / "full.html").read_text(encoding="utf-8")


def test_every_section_is_called_once_by_the_template():
    """The template calls each registered section's render function exactly once, and nothing else."""
    import ast

    nb = nbformat.read(report.TEMPLATE, as_version=4)
    calls = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "report"
            ):
                calls.append(node.func.attr)
    registered = [s.render.__name__ for s in report.SECTIONS.values()]
    assert sorted(calls) == sorted(registered)
    assert calls == registered  # and in report order
    assert report.SECTION_TITLES == [s.title for s in report.SECTIONS.values()]


def test_jupyter_client_is_a_version_the_kernel_override_was_checked_against():
    """``_kernels`` overrides jupyter_client's private ``_async_launch_kernel``: re-check it before widening
    the range."""
    import inspect

    import jupyter_client
    from jupyter_client.manager import AsyncKernelManager

    from sectorkit.reports._kernels import JUPYTER_CLIENT_CHECKED, _ipc_kernel_manager

    version = tuple(int(p) for p in re.findall(r"\d+", jupyter_client.__version__)[:2])
    low, high = JUPYTER_CLIENT_CHECKED
    assert low <= version < high, f"jupyter_client {jupyter_client.__version__} is outside the checked range"
    private = AsyncKernelManager._async_launch_kernel
    assert inspect.iscoroutinefunction(private)
    assert list(inspect.signature(private).parameters) == ["self", "kernel_cmd", "kw"]
    manager = _ipc_kernel_manager(Path("/tmp/sk-kernel"))
    assert issubclass(manager, AsyncKernelManager) and "_async_launch_kernel" in vars(manager)


def test_report_sections_match_the_placements_specs_can_name():
    from sectorkit.specs.models import REPORT_SECTIONS

    assert list(REPORT_SECTIONS) == list(report.SECTIONS)


def test_action_teams_section_picks_content_by_tag_not_by_id(tmp_path, monkeypatch):
    """A new spec's questions tagged ``commitment`` / ``action-team`` reach the report whatever their ids."""
    import shutil

    from sectorkit.reports.sections import action_teams as section

    data = tmp_path / "data"
    shutil.copytree(Path(report.TEMPLATE).parents[1] / "data" / "worksheets", data / "worksheets")
    (data / "worksheets" / "launch_plan.yaml").write_text(
        "id: launch-plan\nversion: 1\ntitle: 'Launch plan <b>'\nmodule: step-4\nsections:\n"
        "  - id: plan\n    title: Plan\n    questions:\n"
        "      - {id: promises-we-made, type: long_text, label: 'What we promised', tags: [commitment]}\n"
        "      - {id: teams-meeting, type: choice, label: 'Are the teams meeting?', tags: [action-team],\n"
        "         options: [{value: 'weekly', label: 'Every week'}, {value: 'no', label: 'No'}]}\n"
        "      - {id: next-actions, type: long_text, label: 'Not tagged, so not a promise'}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SECTORKIT_DATA", str(data))
    with Workspace.open("tagged", tmp_path / "home", name="Tagged") as ws:
        ws.save_answers(
            "launch-plan",
            {
                "promises-we-made": "- Call <Acme> by Friday\n\n- Book the room",
                "teams-meeting": "weekly",
                "next-actions": "Untagged text",
            },
        )
        ws.save_answers("step1-aar", {"next-actions": "Invite the college"})
    shown: list[str] = []
    monkeypatch.setattr(section, "show", shown.append)
    section.action_teams("tagged", tmp_path / "home")
    page = shown[0]
    assert "Call &lt;Acme&gt; by Friday" in page and "Book the room" in page
    assert "Launch plan &lt;b&gt;: What we promised" in page
    assert "Are the teams meeting? <strong>Every week</strong>" in page
    assert "Untagged text" not in page
    # curriculum order: Step 1's review (module step-1) before the launch plan (module step-4)
    assert page.index("Invite the college") < page.index("Call &lt;Acme&gt;")


def test_tagged_table_rows_reach_the_report(tmp_path, monkeypatch):
    """An action-team tracker (a table tagged ``action-team``) is shown row by row, escaped, names not ids."""
    import shutil

    from sectorkit.reports.sections import action_teams as section

    data = tmp_path / "data"
    shutil.copytree(Path(report.TEMPLATE).parents[1] / "data" / "worksheets", data / "worksheets")
    (data / "worksheets" / "tracker.yaml").write_text(
        "id: team-tracker\nversion: 1\ntitle: Action-team tracker\nmodule: step-5\nsections:\n"
        "  - id: teams\n    title: Teams\n    questions:\n"
        "      - id: teams\n        type: table\n        label: Our action teams\n        tags: [action-team]\n"
        "        columns:\n"
        "          - {id: team, type: text, label: Team, required: true}\n"
        "          - {id: lead, type: organization, label: Lead organization}\n"
        "          - {id: due, type: date, label: Due}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SECTORKIT_DATA", str(data))
    with Workspace.open("tracked", tmp_path / "home", name="Tracked") as ws:
        ws.put_record("organization", "acme", {"name": "Acme <Tools>"})
        ws.save_row("team-tracker", "teams", None, {"team": "Talent <pipeline>", "lead": "acme", "due": "2027-03-01"})
        ws.save_row("team-tracker", "teams", None, {"team": "Transit", "lead": None, "due": None})
        row, detail = section.status(ws)[1:], section.status(ws)[2]
    assert row[0] is True and detail == "2 action(s) written down"
    shown: list[str] = []
    monkeypatch.setattr(section, "show", shown.append)
    section.action_teams("tracked", tmp_path / "home")
    page = shown[0]
    assert "Action-team tracker: Our action teams</h3><table" in page
    assert "<td>Talent &lt;pipeline&gt;</td><td>Acme &lt;Tools&gt;</td><td>2027-03-01</td>" in page
    assert "<td>Transit</td>" in page and page.count("<tr>") == 3  # heading + two rows
