"""Worksheet specs: questions, scales, tables and checklists declared as data.

See :mod:`sectorkit.specs.models` for the spec language.
"""

from sectorkit.specs.models import *  # noqa: F401,F403
from sectorkit.specs.models import (  # noqa: F401
    Dimension,
    Option,
    Question,
    Section,
    WorksheetSpec,
    available_specs,
    load_spec,
    load_spec_file,
    parse_spec,
    spec_dir,
)
