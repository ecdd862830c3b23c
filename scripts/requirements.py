"""Print the pip requirements listed in environment.yml (stdlib only, no YAML library needed).

environment.yml is sectorkit's single list of dependencies; the Makefile and CI
install exactly what this prints, and tests/test_packaging.py checks that this
reader agrees with a real YAML parser.

Usage: python scripts/requirements.py [environment.yml]
"""

from __future__ import annotations

import sys
from pathlib import Path


def pip_requirements(text: str) -> list[str]:
    """The entries of the ``- pip:`` list in an environment.yml text."""
    reqs: list[str] = []
    pip_indent = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        item = line.strip()
        if pip_indent is None:
            if item in ("- pip:", "-  pip:"):
                pip_indent = indent
            continue
        if indent <= pip_indent:
            break
        if item.startswith("- "):
            reqs.append(item[2:].strip().strip("'\""))
    if not reqs:
        raise SystemExit("environment.yml has no '- pip:' list of requirements")
    return reqs


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "environment.yml")
    print("\n".join(pip_requirements(path.read_text(encoding="utf-8"))))
