"""Make sectorkit's Voila template visible to the Voila of the running Python environment.

Creates ``<sys.prefix>/share/jupyter/voila/templates/sectorkit/`` holding:

* links to the files of ``share/jupyter/voila/templates/sectorkit`` in the repository (symlinks,
  so edits in the repository apply at once; copies where links are not possible);
* ``static/chunks.js``, built here from this environment's own Voila and widget-manager files:
  the front-end chunks the worksheet pages load, in one script (see ``tools/voila_bundle/page_bundle.py``).

voila.json names the template, so Voila run from the repository root uses it. Run again after
upgrading Voila or ipywidgets (``make`` does, as its install step depends on this script).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "lib")]  # tools/ is not installed; lib/ before the editable install

from tools.voila_bundle.page_bundle import (  # noqa: E402
    BUNDLE_NAME,
    TEMPLATE_DIR,
    build_bundle,
    recorded_chunks,
    search_roots,
)

SOURCE = TEMPLATE_DIR


def install() -> Path:
    target = Path(sys.prefix) / "share" / "jupyter" / "voila" / "templates" / "sectorkit"
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.is_dir():
        shutil.rmtree(target)
    (target / "static").mkdir(parents=True)
    items = [i for i in SOURCE.iterdir() if i.name != "static"] + sorted((SOURCE / "static").glob("*"))
    for item in items:
        link = target / item.relative_to(SOURCE)
        try:
            link.symlink_to(item, target_is_directory=item.is_dir())
        except OSError:
            (shutil.copytree if item.is_dir() else shutil.copy)(item, link)
    report = build_bundle(recorded_chunks(), target / "static" / BUNDLE_NAME, search_roots())
    print(f"Voila template: {target}")
    print(f"  {BUNDLE_NAME}: {len(report.included)} chunks, {report.size / 1e6:.1f} MB")
    if report.missing:
        print(f"  {len(report.missing)} recorded chunks are not installed here (pages fetch what they need as usual);")
        print("  after upgrading Voila or ipywidgets, record again: python scripts/record_voila_chunks.py")
    if report.rejected:
        print(f"  not bundled (not chunk files): {', '.join(report.rejected)}")
    return target


if __name__ == "__main__":
    install()
