"""Strip outputs, execution counts and widget state from notebooks (run before committing).

Usage: python scripts/clean_notebooks.py NOTEBOOK...
"""

from __future__ import annotations

import sys

import nbformat


def clean(path: str) -> bool:
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
    for key in ("widgets", "papermill"):
        nb.metadata.pop(key, None)
    after = nbformat.writes(nb)
    if after != before:
        nbformat.write(nb, path)
        return True
    return False


if __name__ == "__main__":
    changed = [p for p in sys.argv[1:] if clean(p)]
    print("cleaned: " + (", ".join(changed) if changed else "nothing to clean"))
