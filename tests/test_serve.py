"""One generic page for every worksheet: the page registry, ``sheet_page``, the warm-up, the one
preheated pool in voila.json, and the old worksheet addresses (sectorkit.apps.registry,
sectorkit.serve.pages, sectorkit.serve.warm, sectorkit.serve.server)."""

from __future__ import annotations

import json
import re

import ipywidgets as W
import nbformat
import pytest
import tornado.testing
import tornado.web

import sectorkit.serve.voila as voila_mod
from sectorkit.apps import registry
from sectorkit.apps.registry import (
    GENERIC_NOTEBOOK,
    UnknownPage,
    legacy_notebooks,
    open_page,
    page_for_notebook,
    page_ids,
    page_title,
    register_page,
)
from sectorkit.cli import main as cli_main
from sectorkit.core.paths import REPO_ROOT
from sectorkit.serve import warm as warm_mod
from sectorkit.serve.pages import sheet_page
from sectorkit.serve.server import LegacyRedirect, legacy_route, legacy_target
from sectorkit.specs import available_specs, load_spec
from sectorkit.store.workspace import Workspace

WORKSHEETS = REPO_ROOT / "worksheets"
CUSTOM = {
    "lmi-review", "universe", "sustainability", "after-action-reviews",  # before the Step 2-5 worksheets
    "industry-readiness", "footprint", "prepare-launch", "influence-map", "launch-capture", "action-teams",
    "faq", "case-studies", "facilitator",  # reference pages (tests/test_reference.py)
}
#: The worksheet notebooks served before the generic page, and the page each one showed.
OLD_NOTEBOOKS = {
    "after_action_reviews.ipynb": "after-action-reviews",
    "lmi_review.ipynb": "lmi-review",
    "ng_indicators.ipynb": "ng-indicators",
    "red_flags_green_lights.ipynb": "red-flags-green-lights",
    "staffing_funding.ipynb": "staffing-funding",
    "step1_aar.ipynb": "step1-aar",
    "step2_aar.ipynb": "step2-aar",
    "sustainability.ipynb": "sustainability",
    "universe.ipynb": "universe",
}
HOSTILE = ["../x", "<script>alert(1)</script>", "step2_aar", "Step2-AAR", "a" * 200, "step2-aar/../../etc", " "]


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh workspace root, and no Voila request in the environment (plain Python)."""
    monkeypatch.setenv("SECTORKIT_HOME", str(tmp_path / "home"))
    for name in ("VOILA_PREHEAT", "VOILA_KERNEL_ID", "QUERY_STRING", "SECTORKIT_REGION"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "home"


def _text(widget: W.Widget) -> str:
    """Every string value in a widget tree (HTML, labels, inputs)."""
    found = []
    if isinstance(getattr(widget, "value", None), str):
        found.append(widget.value)
    if isinstance(getattr(widget, "description", None), str):
        found.append(widget.description)
    for child in getattr(widget, "children", ()):
        found.append(_text(child))
    return "\n".join(found)


# -- the registry -------------------------------------------------------------------------------
def test_every_spec_and_every_custom_page_is_a_page():
    assert set(available_specs()) | CUSTOM == set(page_ids())
    assert page_ids() == sorted(page_ids())


def test_titles_come_from_the_spec_or_the_registration():
    assert page_title("step2-aar") == load_spec("step2-aar").title
    assert page_title("lmi-review").startswith("LMI Review")
    assert page_title("sustainability") == "Sustainability Self-Assessment"


@pytest.mark.parametrize("page_id", sorted(set(available_specs()) | CUSTOM))
def test_every_page_opens_for_a_fresh_region(page_id, home):
    page = open_page(page_id, "fresh-region", root=home)
    assert isinstance(page.container, W.Widget)
    assert (home / "fresh-region" / "workspace.sqlite").exists()


def test_spec_pages_open_the_spec_driven_form(home):
    page = open_page("step2-aar", "lakeside", root=home)
    assert page.spec.id == "step2-aar" and page.workspace.region == "lakeside"


def test_unknown_page_lists_the_known_ones(home):
    with pytest.raises(UnknownPage) as err:
        open_page("step9-aar", "lakeside", root=home)
    message = str(err.value)
    assert "step9-aar" in message and "Known pages:" in message
    assert all(pid in message for pid in page_ids())
    assert not home.exists()  # nothing opened or created


@pytest.mark.parametrize("bad", HOSTILE)
def test_malformed_page_ids_are_refused_before_anything_is_opened(bad, home):
    with pytest.raises(UnknownPage, match="is not a worksheet page id"):
        open_page(bad, "lakeside", root=home)
    with pytest.raises(UnknownPage):
        page_title(bad)
    assert not home.exists()


def test_register_page_checks_its_arguments(monkeypatch):
    with pytest.raises(ValueError, match="lowercase"):
        register_page("../x", "X", lambda region, root=None: None)
    with pytest.raises(ValueError, match="generic page"):
        register_page("x-page", "X", lambda region, root=None: None, legacy_notebook=GENERIC_NOTEBOOK)
    monkeypatch.setattr(registry, "_CUSTOM", dict(registry._CUSTOM))  # the test's page goes away afterwards
    calls = []
    register_page("x-page", "X page", lambda region, root=None: calls.append((region, root)) or W.Box(),
                  legacy_notebook="x_page.ipynb")
    assert "x-page" in page_ids() and page_title("x-page") == "X page"
    assert page_for_notebook("x_page.ipynb") == "x-page"
    open_page("x-page", "lakeside", root="/r")
    assert calls == [("lakeside", "/r")]


# -- old worksheet notebooks --------------------------------------------------------------------
def test_every_old_worksheet_notebook_maps_to_its_page():
    for name, page_id in OLD_NOTEBOOKS.items():
        assert page_for_notebook(name) == page_id, name
        assert page_for_notebook(f"worksheets/{name}") == page_id  # a Binder path
    assert page_for_notebook(GENERIC_NOTEBOOK) is None
    assert page_for_notebook("no_such_page.ipynb") is None


@pytest.mark.parametrize("name", sorted(OLD_NOTEBOOKS))
def test_old_notebook_files_are_stubs_of_the_generic_page(name):
    nb = nbformat.read(WORKSHEETS / name, as_version=4)
    assert len(nb.cells) == 2
    assert nb.cells[0].source.rstrip().endswith("from sectorkit.serve.pages import sheet_page")
    assert nb.cells[1].source.strip() == f'sheet_page("{OLD_NOTEBOOKS[name]}")'


def test_every_worksheet_notebook_is_the_generic_page_or_a_known_stub():
    names = {p.name for p in WORKSHEETS.glob("*.ipynb")}
    assert names == set(OLD_NOTEBOOKS) | {GENERIC_NOTEBOOK}
    nb = nbformat.read(WORKSHEETS / GENERIC_NOTEBOOK, as_version=4)
    assert [c.cell_type for c in nb.cells] == ["code", "code"]
    assert "from sectorkit.serve.pages import sheet_page" in nb.cells[0].source and "warm()" in nb.cells[0].source
    assert nb.cells[1].source.strip() == "sheet_page()"


class TestLegacyRedirect(tornado.testing.AsyncHTTPTestCase):
    """The redirect handler ``sectorkit serve`` puts ahead of Voila's render handler."""

    def get_app(self):
        route = legacy_route("/", WORKSHEETS, legacy_notebooks())
        return tornado.web.Application([(route, LegacyRedirect, {"pages": legacy_notebooks()})])

    def test_every_old_address_redirects_to_its_page_for_the_same_region(self):
        for name, page_id in OLD_NOTEBOOKS.items():
            r = self.fetch(f"/voila/render/{name}?region=lake-side", follow_redirects=False)
            assert r.code == 302, name
            assert r.headers["Location"] == f"/voila/render/sheet.ipynb?sheet={page_id}&region=lake-side"

    def test_other_addresses_are_left_to_voila(self):
        for path in ("/voila/render/sheet.ipynb", "/voila/render/other.ipynb", "/voila/render/x/step2_aar.ipynb"):
            assert self.fetch(path, follow_redirects=False).code == 404, path


def test_redirect_target_keeps_the_query_but_not_a_sheet():
    got = legacy_target("/voila/render/step2_aar.ipynb", "", "step2-aar")
    assert got == "/voila/render/sheet.ipynb?sheet=step2-aar"
    got = legacy_target("/voila/render/step2_aar.ipynb", "sheet=lmi-review&region=x&theme=dark", "step2-aar")
    assert got == "/voila/render/sheet.ipynb?sheet=step2-aar&region=x&theme=dark"


def test_redirects_only_cover_folders_with_the_generic_page(tmp_path):
    assert legacy_route("/", tmp_path, legacy_notebooks()) is None
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / GENERIC_NOTEBOOK).write_text("{}")
    route = legacy_route("/base/", tmp_path, legacy_notebooks())
    assert re.fullmatch(route, "/base/voila/render/ws/step2_aar.ipynb")
    assert not re.fullmatch(route, "/base/voila/render/step2_aar.ipynb")
    assert not re.fullmatch(route, "/base/voila/render/ws/sheet.ipynb")


# -- voila.json: one preheated pool --------------------------------------------------------------
def test_voila_json_preheats_only_the_generic_page():
    config = json.loads((REPO_ROOT / "voila.json").read_text())
    assert config["VoilaConfiguration"]["preheat_kernel"] is True
    assert config["VoilaConfiguration"]["default_pool_size"] == 0
    manager = config["VoilaKernelManager"]
    pools = manager["kernel_pools_config"]
    assert manager["fill_delay"] == 6

    def pool_size(notebook: str) -> int:  # how Voila 0.5's VoilaKernelManager.fill_if_needed looks it up
        default = pools.get("default", {})
        return pools.get(notebook, default).get("pool_size", default.get("pool_size", 1))

    served = {p.name: pool_size(p.name) for p in WORKSHEETS.glob("*.ipynb")}
    assert served.pop(GENERIC_NOTEBOOK) == 2
    assert set(served.values()) == {0}
    assert pool_size("worksheets/sheet.ipynb") == 2  # served from the repository root
    assert pool_size("worksheets/step2_aar.ipynb") == 0


# -- the generic page ----------------------------------------------------------------------------
def test_sheet_page_opens_the_sheet_for_the_region_in_the_query(home, monkeypatch):
    Workspace.open("lakeside", home).close()
    monkeypatch.setenv("QUERY_STRING", "sheet=step2-aar&region=lakeside")
    page = sheet_page()
    assert isinstance(page, W.VBox)
    text = _text(page)
    assert load_spec("step2-aar").title in text and "lakeside" in text


def test_sheet_page_with_an_explicit_page_ignores_the_query_sheet(home, monkeypatch):
    Workspace.open("lakeside", home).close()
    monkeypatch.setenv("QUERY_STRING", "sheet=lmi-review&region=lakeside")
    assert load_spec("step1-aar").title in _text(sheet_page("step1-aar"))


@pytest.mark.parametrize("sheet", ["step2-aar", "universe", "lmi-review"])
def test_an_unknown_region_in_the_address_creates_nothing(sheet, home, monkeypatch):
    home.mkdir()
    monkeypatch.setenv("QUERY_STRING", f"sheet={sheet}&region=new-region-x")
    page = sheet_page()
    assert isinstance(page, W.HTML) and "role='alert'" in page.value
    assert "There is no workspace named \u201cnew-region-x\u201d" in page.value
    assert "sheet.ipynb?create=new-region-x" in page.value and "Create it?" in page.value
    assert list(home.iterdir()) == []


def test_the_example_region_always_opens(home, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "sheet=step1-aar&region=example")
    assert load_spec("step1-aar").title in _text(sheet_page())
    assert (home / "example" / "workspace.sqlite").exists()


def _nav(page: W.VBox) -> tuple[str, str]:
    top, bottom = page.children[0].value, page.children[-1].value
    return top, bottom


def test_every_page_has_navigation_home_its_step_and_previous_next(home, monkeypatch):
    Workspace.open("lakeside", home).close()
    page = sheet_page("industry-readiness", region="lakeside")
    top, bottom = _nav(page)
    links = re.findall(r"href='([^']*)'[^>]*>([^<]*)<", top)
    assert links[0] == ("sheet.ipynb?region=lakeside", "Home: all steps and worksheets")
    assert links[1] == ("sheet.ipynb?region=lakeside&amp;module=step-2", "Step 2: Define the scope of industry focus")
    assert links[2][0] == "sheet.ipynb?sheet=lmi-review&amp;region=lakeside" and "Previous" in links[2][1]
    assert links[3][0] == "sheet.ipynb?sheet=footprint&amp;region=lakeside" and "Next" in links[3][1]
    assert "aria-label='Worksheet navigation'" in top and "aria-label='Previous and next worksheet'" in bottom


def test_previous_next_walk_the_whole_curriculum_in_order():
    seq = registry.page_sequence()
    assert seq[0] == "introduction-check" and seq.index("universe") < seq.index("step1-aar")
    assert seq.index("step1-aar") < seq.index("lmi-review") < seq.index("step2-aar")
    assert seq.index("step2-aar") < seq.index("prepare-launch") < seq.index("step6-aar") < seq.index("metrics-tracker")
    assert seq.index("metrics-tracker") < seq.index("state-self-assessment") == len(seq) - 1
    assert registry.neighbours(seq[0])[0] is None and registry.neighbours(seq[-1])[1] is None
    for before, after in zip(seq, seq[1:]):
        assert registry.neighbours(after)[0] == before and registry.neighbours(before)[1] == after
    placed = {pid for pid in registry.page_ids() if registry.page_place(pid)[0] and not registry.is_reference(pid)}
    assert placed == set(seq)  # every page that names a module is reachable by previous / next (reference pages
    # such as the FAQ are not: tests/test_reference.py)


def test_navigation_escapes_titles_and_says_when_the_server_is_temporary(home, monkeypatch):
    monkeypatch.setattr(registry, "_CUSTOM", dict(registry._CUSTOM))
    register_page("tricky", "<img src=x onerror=alert(1)> & co", lambda region, root=None: W.Box(),
                  part_of="step-1", order=1)
    Workspace.open("lakeside", home).close()
    monkeypatch.setenv("SECTORKIT_TEMPORARY", "1")
    top, bottom = _nav(sheet_page("universe", region="lakeside"))
    assert "<img" not in top and "&lt;img src=x onerror=alert(1)&gt; &amp; co" in top
    assert "temporary" in top and "Download from the home page" in top and "temporary" not in bottom


@pytest.mark.parametrize("reserved", sorted(registry.RESERVED))
def test_home_and_trainer_are_not_page_ids(reserved):
    with pytest.raises(ValueError, match="reserved"):
        register_page(reserved, "x", lambda region, root=None: W.Box())
    assert reserved not in registry.page_ids()


def test_saved_answers_show_on_the_generic_page(home, monkeypatch):
    with Workspace.open("lakeside", home) as ws:
        ws.save_answers("step2-aar", {"footprint-description": "Two valleys"})
    monkeypatch.setenv("QUERY_STRING", "region=lakeside&sheet=step2-aar")
    assert "Two valleys" in _text(sheet_page())


def test_unknown_sheet_is_a_message_naming_the_known_pages(home, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "sheet=step9-aar&region=lakeside")
    page = sheet_page()
    assert isinstance(page, W.HTML) and "role='alert'" in page.value
    assert "This worksheet cannot open" in page.value and "step9-aar" in page.value
    assert "Known pages:" in page.value and "step2-aar" in page.value and "lmi-review" in page.value


@pytest.mark.parametrize("bad", HOSTILE)
def test_hostile_sheet_ids_are_a_message_with_nothing_opened(bad, home, monkeypatch):
    from urllib.parse import urlencode

    monkeypatch.setenv("QUERY_STRING", urlencode({"sheet": bad, "region": "lakeside"}))
    page = sheet_page()
    assert isinstance(page, W.HTML) and "role='alert'" in page.value
    assert "is not a worksheet page id" in page.value
    assert "<script>" not in page.value and "Known pages:" in page.value
    assert not home.exists()


@pytest.mark.parametrize("query", ["sheet=step2-aar&region=../../etc", "sheet=step2-aar&region=%3Cb%3E"])
def test_bad_region_is_a_message(query, home, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", query)
    page = sheet_page()
    assert "This worksheet cannot open" in page.value and "is not a valid region id" in page.value
    assert "<b>" not in page.value
    assert not home.exists()


def test_without_a_sheet_the_home_page_links_every_page_of_the_curriculum(home, monkeypatch):
    with Workspace.open("lakeside", home) as ws:
        ws.save_answers("step1-aar", {"x": "y"})
    monkeypatch.setenv("QUERY_STRING", "region=lakeside")
    text = _text(sheet_page())
    for pid in registry.page_sequence():
        assert f"sheet.ipynb?sheet={pid}&amp;region=lakeside" in text, pid
    shown = re.sub(r"<[^>]*>", " ", text)  # what a person reads: no file names
    assert ".ipynb" not in shown


def test_home_page_escapes_page_titles(home, monkeypatch):
    monkeypatch.setattr(registry, "_CUSTOM", dict(registry._CUSTOM))
    register_page("tricky", "<img src=x onerror=alert(1)> & co", lambda region, root=None: W.Box(),
                  part_of="step-1", order=1)
    Workspace.open("lakeside", home).close()
    text = _text(sheet_page(region="lakeside"))
    assert "<img src=x" not in text and "&lt;img src=x onerror=alert(1)&gt; &amp; co" in text


def test_a_preheated_kernel_asks_voila_for_the_request_once(home, monkeypatch):
    """Voila answers one request per kernel: a second ask would wait for ever."""
    import voila.utils

    asked = []
    monkeypatch.setattr(voila_mod, "_received", None)
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setattr(voila.utils, "get_query_string", lambda: asked.append(1) or "sheet=step2-aar&region=pre")
    page = sheet_page()
    assert asked == [1] and "pre" in _text(page)


# -- the warm-up ---------------------------------------------------------------------------------
def test_warm_loads_every_spec_and_the_example_data(monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "True")  # a preheated kernel, before its request
    result = warm_mod.warm()
    assert result == {"skipped": 0, "modules": len(registry.page_modules()), "specs": len(available_specs()),
                      "spec_problems": 0, "data": 2, "data_skipped": 0}
    assert {"sectorkit.apps.form", "sectorkit.apps.lmi_review", "sectorkit.apps.universe",
            "sectorkit.apps.assessment"} <= set(registry.page_modules())


def test_the_chart_warm_up_draws_once_a_process(monkeypatch):
    """The fork server draws one chart so its kernels start with fonts and text layout loaded; a
    forked kernel's own warm-up (sheet.ipynb's first cell) must not draw again."""
    import matplotlib.font_manager

    from sectorkit.views import figures

    first = figures.warm()
    assert first > 1000 and matplotlib.font_manager._get_font.cache_info().currsize > 0
    monkeypatch.setattr(figures, "figure_html", lambda *a, **k: (_ for _ in ()).throw(AssertionError("drew")))
    assert figures.warm() == first


def test_a_kernel_that_already_has_its_request_does_not_warm(monkeypatch):
    """An empty pool or a Jupyter server extension: warming would only delay the page."""
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    assert warm_mod.warm() == {"skipped": 1, "modules": 0, "specs": 0, "spec_problems": 0, "data": 0,
                               "data_skipped": 0}


def test_a_missing_or_failing_data_warmer_never_breaks_the_page(monkeypatch):
    monkeypatch.setattr(warm_mod, "DATA_WARMERS", [("sectorkit.no_such_module", "warm"),
                                                    ("sectorkit.lmi.sources", "no_such_function"),
                                                    ("builtins", "input")])
    monkeypatch.setattr("builtins.input", lambda: (_ for _ in ()).throw(RuntimeError("boom")))
    result = warm_mod.warm(always=True)
    assert result["data"] == 0 and result["data_skipped"] == 3


def test_generic_page_does_not_warm_on_import():
    """The spec warm loop left serve/pages.py for serve/warm.py (called by sheet.ipynb's first cell)."""
    source = (REPO_ROOT / "lib" / "sectorkit" / "serve" / "pages.py").read_text()
    assert not re.search(r"^for ", source, re.MULTILINE)


# -- the CLI -------------------------------------------------------------------------------------
def test_cli_other_commands_still_refuse_unknown_options(capsys):
    with pytest.raises(SystemExit) as err:
        cli_main(["regions", "--bogus"])
    assert err.value.code == 2 and "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_the_server_side_registry_stays_small():
    """``sectorkit serve`` reads the page list for the old addresses without importing any page's code."""
    import subprocess
    import sys

    code = ("import sys, sectorkit.serve.server as s; from sectorkit.apps.registry import legacy_notebooks; "
            "assert legacy_notebooks(); print(sorted(m for m in ('pandas', 'ipywidgets', 'matplotlib', "
            "'sectorkit.apps.form', 'sectorkit.apps.lmi_review') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
