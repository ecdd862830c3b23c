"""Worksheet specs: questions, scales, tables and checklists declared as data.

:mod:`sectorkit.specs.models` holds the spec language (pydantic models, validation,
``parse_spec``); :mod:`sectorkit.specs.library` the shared scales, tags and modules
specs draw on; :mod:`sectorkit.specs.loader` finds and loads spec files by id;
:mod:`sectorkit.specs.migrate` carries saved answers across renamed question ids.
"""

from sectorkit.specs.library import modules, shared_scales  # noqa: F401
from sectorkit.specs.loader import available_specs, load_spec, load_spec_file, spec_dir  # noqa: F401
from sectorkit.specs.migrate import apply_renames  # noqa: F401
from sectorkit.specs.models import (  # noqa: F401
    KNOWN_TAGS,
    REPORT_SECTIONS,
    Dimension,
    Module,
    Option,
    Question,
    Rename,
    ReportPlacement,
    Scale,
    Section,
    WorksheetSpec,
    module_order,
    parse_spec,
)
