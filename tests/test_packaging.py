"""One source of truth for dependencies; Binder reads the intended files; notebooks open in Voila."""

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from sectorkit.core.paths import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "scripts"))
from requirements import pip_requirements  # noqa: E402

ENV = REPO_ROOT / "environment.yml"


def _name(req: str) -> str:
    return re.split(r"[=<>!~\[ ]", req, maxsplit=1)[0].lower().replace("_", "-")


def test_installer_reads_the_same_list_as_a_yaml_parser():
    parsed = yaml.safe_load(ENV.read_text())
    pip_lists = [d["pip"] for d in parsed["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_lists) == 1
    assert pip_requirements(ENV.read_text()) == pip_lists[0]
    assert "python=3.11" in parsed["dependencies"]


def test_every_requirement_is_pinned():
    for req in pip_requirements(ENV.read_text()):
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][0-9A-Za-z.\-+]*", req), f"{req} is not pinned with =="


def test_pyproject_dependencies_are_all_in_environment_yml():
    pinned = {_name(r) for r in pip_requirements(ENV.read_text())}
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    for dep in project["dependencies"]:
        assert _name(dep) in pinned, f"{dep} is in pyproject.toml but not pinned in environment.yml"


def test_every_third_party_import_in_the_package_is_installed_by_environment_yml():
    provided_by = {  # import name -> the environment.yml entry that brings it
        "yaml": "pyyaml", "IPython": "jupyterlab", "numpy": "pandas", "voila": "voila",
        "ipywidgets": "ipywidgets", "pandas": "pandas", "matplotlib": "matplotlib",
        "pydantic": "pydantic", "axe_playwright_python": "axe-playwright-python", "nbconvert": "nbconvert",
        "tqdm": "tqdm", "dask": "dask", "distributed": "distributed", "pypdf": "pypdf", "networkx": "networkx",
        "openpyxl": "openpyxl", "playwright": "playwright", "nbformat": "nbformat", "papermill": "papermill",
        "jupyter_client": "papermill", "ipykernel": "jupyterlab", "jupyter_core": "voila",
    }
    pinned = {_name(r) for r in pip_requirements(ENV.read_text())}
    stdlib = set(sys.stdlib_module_names)
    for path in (REPO_ROOT / "lib" / "sectorkit").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module.split(".")[0]]
            for name in names:
                if name in stdlib or name == "sectorkit" or name == "__future__":
                    continue
                assert name in provided_by, f"{path.name} imports {name}: add it to environment.yml and this map"
                assert provided_by[name] in pinned


def test_binder_uses_an_identical_copy_of_environment_yml():
    assert (REPO_ROOT / "binder" / "environment.yml").read_bytes() == ENV.read_bytes()


def test_repo2docker_would_build_from_binder_environment_yml():
    repo2docker = Path(sys.executable).parent / "repo2docker"
    proc = subprocess.run([str(repo2docker), "--no-build", "--debug", str(REPO_ROOT)],
                          capture_output=True, text=True, timeout=120)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-2000:]
    assert "Building conda environment for python=3.11" in out
    assert "binder/environment.yml" in out
    assert "postBuild" in out


def test_readme_binder_link_opens_a_worksheet_in_voila():
    readme = (REPO_ROOT / "README.md").read_text()
    links = re.findall(r"\(https://mybinder\.org/v2/gh/[^)]+\)", readme)
    assert links and all("urlpath=voila/render/worksheets/" in link or "urlpath=voila%2Frender%2Fworksheets%2F" in link
                          for link in links)
    target = re.search(r"worksheets(?:/|%2F)([a-z0-9_]+\.ipynb)", links[0]).group(1)
    assert (REPO_ROOT / "worksheets" / target).exists()


def test_readme_commands_are_the_makefile_targets():
    readme = (REPO_ROOT / "README.md").read_text()
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert "make demo" in readme and "make test" in readme
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (REPO_ROOT / ".ci" / "run").read_text()


def test_voila_template_named_in_voila_json_is_installed_for_this_python():
    import json

    config = json.loads((REPO_ROOT / "voila.json").read_text())
    name = config["VoilaConfiguration"]["template"]
    shipped = REPO_ROOT / "share" / "jupyter" / "voila" / "templates" / name
    assert (shipped / "index.html.j2").exists() and (shipped / "conf.json").exists()
    installed = Path(sys.prefix) / "share" / "jupyter" / "voila" / "templates" / name
    assert (installed / "index.html.j2").read_text() == (shipped / "index.html.j2").read_text()
    assert "cdn.jsdelivr.net" not in "".join(
        line for line in (shipped / "index.html.j2").read_text().splitlines() if "replace(" not in line
    )


OLD_PATHS = {
    "sectorkit.errors": "sectorkit.core.errors", "sectorkit.paths": "sectorkit.core.paths",
    "sectorkit.workspace": "sectorkit.store.workspace", "sectorkit.qcew": "sectorkit.lmi.qcew",
    "sectorkit.screen": "sectorkit.lmi.screen", "sectorkit.ui": "sectorkit.views.html",
    "sectorkit.charts": "sectorkit.views.charts", "sectorkit.forms": "sectorkit.apps.form",
    "sectorkit.lmi_review": "sectorkit.apps.lmi_review", "sectorkit.pages": "sectorkit.serve.pages",
    "sectorkit.voila": "sectorkit.serve.voila", "sectorkit.network": "sectorkit.universe",
    "sectorkit.report": "sectorkit.reports",
}


@pytest.mark.parametrize("old", sorted(OLD_PATHS))
def test_old_import_paths_are_the_new_modules(old):
    """Notebooks written before the layered package keep working: the old name is the new module."""
    import importlib
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(old)
    assert module is importlib.import_module(OLD_PATHS[old])
    shim = REPO_ROOT / "lib" / Path(*old.split(".")).with_suffix(".py")
    assert shim.exists() and len(shim.read_text().splitlines()) < 20
    del caught  # the DeprecationWarning fires on the first import only


def test_old_worksheet_entry_points_still_work(tmp_path, monkeypatch):
    """The cells of a worksheet notebook from before the generic page still open the form."""
    import ipywidgets as W

    monkeypatch.setenv("SECTORKIT_HOME", str(tmp_path))
    from sectorkit.pages import worksheet_page

    page = worksheet_page("step2-aar", "riverbend")
    assert isinstance(page, W.VBox) and "sk-page" in page._dom_classes
    assert "cannot open" in worksheet_page("no-such-spec", "riverbend").value
