"""Make sectorkit's Voila template visible to the Voila of the running Python environment.

Links ``share/jupyter/voila/templates/sectorkit`` into ``<sys.prefix>/share/jupyter/voila/templates``
(a symlink, so edits in the repository apply at once; a copy where links are not possible).
voila.json names the template, so Voila run from the repository root uses it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "share" / "jupyter" / "voila" / "templates" / "sectorkit"


def install(prefix: Path = Path(sys.prefix)) -> Path:
    target = prefix / "share" / "jupyter" / "voila" / "templates" / "sectorkit"
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.is_dir():
        shutil.rmtree(target)
    try:
        target.symlink_to(SOURCE, target_is_directory=True)
    except OSError:
        shutil.copytree(SOURCE, target)
    return target


if __name__ == "__main__":
    print(f"Voila template: {install()}")
