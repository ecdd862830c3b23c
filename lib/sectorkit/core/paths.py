"""Where sectorkit finds its shipped data.

sectorkit is used from a checkout of its repository (installed editable), so
the shipped specs and the illustrative example region live in the repository's
``data/`` folder. ``SECTORKIT_DATA`` points elsewhere if needed.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def data_dir() -> Path:
    """The folder of shipped specs and example data."""
    env = os.environ.get("SECTORKIT_DATA")
    return Path(env).expanduser() if env else REPO_ROOT / "data"
