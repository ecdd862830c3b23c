"""The package's layers: imports point down only, lazy imports are rare, modules stay small.

Every module under ``lib/sectorkit`` is parsed with :mod:`ast` (nothing is imported) and mapped
to its layer:

====  =======================================================================================
0     ``core``
1     ``store``, ``specs``
2     domain: ``lmi``, ``universe``, ``assessments``, ``example``, ``partnership``, ``workspaces``, ``statewide``
3     ``views``
4     ``apps``
5     top: ``serve``, ``reports``, ``lessons``, ``cli``, the package root (its façade), and the
      old-path shims at ``lib/sectorkit/*.py`` (one-file modules that alias a new module)
====  =======================================================================================

Checks: (a) no import points up a layer, wherever it is written (function-local imports and
``TYPE_CHECKING`` blocks included); (b) no function-local ``sectorkit`` import outside
:data:`LAZY_ALLOWED`; (c) no module over :data:`MAX_LINES` lines; (d) the package never imports
``tests`` or ``tools`` (test helpers and build-time code live outside it). Each failure names the
file and line and both modules.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from sectorkit.core.paths import REPO_ROOT

PACKAGE = REPO_ROOT / "lib" / "sectorkit"
MAX_LINES = 600
SOFT_LINES = 400

LAYERS: dict[str, int] = {
    "core": 0,
    "store": 1, "specs": 1,
    "lmi": 2, "universe": 2, "assessments": 2, "example": 2,
    "partnership": 2, "workspaces": 2, "statewide": 2,
    "views": 3,
    "apps": 4,
    "serve": 5, "reports": 5, "lessons": 5, "cli": 5,
}
TOP = 5
LAYER_NAMES = {0: "core", 1: "store/specs", 2: "domain", 3: "views", 4: "apps", 5: "top"}

#: Function-local ``sectorkit`` imports that are deliberate: (importing module, imported module) -> why.
#: Everything else imports at the top of its module, so its dependencies are visible and the layer
#: check sees them at import time as well.
LAZY_ALLOWED: dict[tuple[str, str], str] = {
    ("sectorkit", "sectorkit.apps.form"):
        "the root's worksheet() shortcut: `import sectorkit` runs before every submodule import and must "
        "not pull in ipywidgets (the root is the façade, so this points down)",
    ("sectorkit.cli", "sectorkit.reports"):
        "`sectorkit report` only: papermill, nbconvert and Playwright would add seconds to every other command",
    ("sectorkit.cli", "sectorkit.assessments"):
        "`sectorkit export-assessments` only: pandas and openpyxl are not needed by init, regions, answers",
    ("sectorkit.example", "sectorkit.universe"):
        "seeding a new example workspace only (once per machine): the Universe package brings networkx, "
        "which a form page for a real region never needs",
    ("sectorkit.cli", "sectorkit.serve"):
        "`sectorkit serve` only: the Voila/Jupyter server stack is not needed by any other command",
    ("sectorkit.store.backends", "sectorkit.store.postgres"):
        "only when SECTORKIT_DATABASE_URL names a PostgreSQL database: psycopg adds ~70 ms to every import of "
        "the store, and the SQLite default never needs it",
}

FORBIDDEN_ROOTS = ("tests", "tools")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. "sectorkit.lmi.qcew"
    target: str  # the imported module (or package) as written, e.g. "sectorkit.lmi.titles"
    line: int
    local: bool  # inside a function (or method)


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_shim(path: Path) -> bool:
    """An old-path module at the package's top level that only aliases its new home."""
    return path.parent == PACKAGE and "sys.modules[__name__]" in path.read_text()


def layer_of(module: str, path: Path | None = None) -> int | None:
    """The layer of ``sectorkit.x...``; None when ``x`` is not mapped (a new top-level name)."""
    parts = module.split(".")
    if parts == ["sectorkit"]:
        return TOP
    if path is not None and is_shim(path):
        return TOP
    return LAYERS.get(parts[1])


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(path: Path) -> list[Import]:
    """Every import in ``path``, with whether it sits inside a function."""
    module = module_name(path)
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[Import] = []

    def visit(node: ast.AST, local: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = local or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend(Import(module, a.name, child.lineno, local) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = _resolve(module, path.name == "__init__.py", child)
                for alias in child.names:
                    # `from sectorkit import universe` imports the submodule; `from x import name` its package
                    sub = f"{base}.{alias.name}"
                    target = sub if _is_module(sub) else base
                    found.append(Import(module, target, child.lineno, local))
            visit(child, inner)

    visit(tree, False)
    return found


def _is_module(dotted: str) -> bool:
    if not dotted.startswith("sectorkit."):
        return False
    rel = Path(*dotted.split(".")[1:])
    return (PACKAGE / rel).with_suffix(".py").exists() or (PACKAGE / rel / "__init__.py").exists()


def package_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(REPO_ROOT)}:{line}"


def layer_violations() -> list[str]:
    problems = []
    for path in package_modules():
        module = module_name(path)
        own = layer_of(module, path)
        if own is None:
            problems.append(f"{_where(path, 1)}: {module} is in no layer; add its package to LAYERS in this test")
            continue
        for imp in dict.fromkeys(imports_of(path)):
            if not imp.target.startswith("sectorkit"):
                continue
            target_path = _path_of(imp.target)
            theirs = layer_of(imp.target, target_path)
            if theirs is not None and theirs > own:
                problems.append(
                    f"{_where(path, imp.line)}: {module} ({LAYER_NAMES[own]}, layer {own}) imports "
                    f"{imp.target} ({LAYER_NAMES[theirs]}, layer {theirs}){' inside a function' if imp.local else ''}"
                )
    return problems


def _path_of(dotted: str) -> Path | None:
    rel = Path(*dotted.split(".")[1:]) if "." in dotted else Path()
    for candidate in ((PACKAGE / rel).with_suffix(".py"), PACKAGE / rel / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def lazy_import_violations() -> list[str]:
    problems: list[str] = []
    for path in package_modules():
        for imp in dict.fromkeys(imports_of(path)):  # one line per module imported from
            if imp.local and imp.target.startswith("sectorkit") and not _allowed(imp):
                problems.append(
                    f"{_where(path, imp.line)}: {imp.module} imports {imp.target} inside a function; "
                    "import it at the top of the module (or add the pair, with the reason, to LAZY_ALLOWED)"
                )
    return problems


def _allowed(imp: Import) -> bool:
    return any(imp.module == mod and (imp.target == tgt or imp.target.startswith(tgt + "."))
               for mod, tgt in LAZY_ALLOWED)


def forbidden_import_violations() -> list[str]:
    return [
        f"{_where(path, imp.line)}: {imp.module} imports {imp.target}: test helpers and build-time code "
        "stay outside the installed package"
        for path in package_modules()
        for imp in imports_of(path)
        if imp.target.split(".")[0] in FORBIDDEN_ROOTS
    ]


def line_counts() -> dict[str, int]:
    return {str(p.relative_to(REPO_ROOT)): len(p.read_text().splitlines()) for p in package_modules()}


# -- the checks ------------------------------------------------------------------------------------

def test_imports_point_down_the_layers():
    problems = layer_violations()
    assert not problems, "imports pointing up a layer:\n" + "\n".join(problems)


def test_no_function_local_sectorkit_imports_outside_the_allow_list():
    problems = lazy_import_violations()
    assert not problems, "function-local imports:\n" + "\n".join(problems)


def test_the_package_never_imports_tests_or_build_tools():
    problems = forbidden_import_violations()
    assert not problems, "\n".join(problems)


def test_modules_stay_under_the_line_limit():
    over = {f: n for f, n in line_counts().items() if n > MAX_LINES}
    assert not over, f"modules over {MAX_LINES} lines (split by concern): " + ", ".join(
        f"{f} ({n})" for f, n in sorted(over.items(), key=lambda kv: -kv[1]))


# -- the checker itself, on small packages with known answers ------------------------------------

@pytest.mark.parametrize(("source", "expected"), [
    ("from sectorkit.apps.form import x\n", "sectorkit.apps.form"),
    ("import sectorkit.views.html as h\n", "sectorkit.views.html"),
    ("from sectorkit import views\n", "sectorkit.views"),
    ("from ..views import html\n", "sectorkit.views.html"),
    ("def f():\n    from sectorkit.apps import form\n", "sectorkit.apps.form"),
])
def test_checker_sees_every_import_form(tmp_path, monkeypatch, source, expected):
    """Top-level, aliased, package-relative and function-local imports are all seen and resolved."""
    pkg = tmp_path / "sectorkit"
    for folder in ("core", "views", "apps", "lmi"):
        (pkg / folder).mkdir(parents=True)
        (pkg / folder / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "views" / "html.py").write_text("")
    (pkg / "apps" / "form.py").write_text("")
    (pkg / "lmi" / "bad.py").write_text(source)
    monkeypatch.setattr(f"{__name__}.PACKAGE", pkg)
    monkeypatch.setattr(f"{__name__}.REPO_ROOT", tmp_path)
    (imp,) = imports_of(pkg / "lmi" / "bad.py")
    assert imp.target == expected
    problems = layer_violations()
    assert len(problems) == 1 and problems[0].startswith("sectorkit/lmi/bad.py:")
    assert f"imports {expected}" in problems[0] and "sectorkit.lmi.bad (domain, layer 2)" in problems[0]
