"""Helpers shared by the tests, the benchmarks and ``scripts/record_voila_chunks.py``.

Never imported by the ``sectorkit`` package itself (``tests/test_layers.py`` checks it).

- :mod:`tests.support.voila`: Voila and Jupyter servers in a subprocess, the kernel-pool wait.
- :mod:`tests.support.browser`: the first-widget selector and timer, axe-core.
- :mod:`tests.support.seed`: a workspace with something in every report section.
- :mod:`tests.support.postgres`: a PostgreSQL server (``SECTORKIT_TEST_DATABASE_URL`` or a private
  throwaway cluster) and a fresh database per test.
"""

from __future__ import annotations

import os
from pathlib import Path

from sectorkit.core.paths import REPO_ROOT

__all__ = ["QCEW", "REPO_ROOT", "SHARED"]

#: The project's shared folder (real BLS files, read in place, never copied): ``SECTORKIT_SHARED``,
#: else ``../shared`` beside the repository.
SHARED = Path(os.environ.get("SECTORKIT_SHARED", REPO_ROOT.parent / "shared"))
#: The real QCEW files: ``ohio_morpc_county_annual/*.csv.gz`` and ``crosswalk/``.
QCEW = SHARED / "data" / "qcew"
