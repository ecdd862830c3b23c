"""Old import path, kept for notebooks written before the layered package: use :mod:`sectorkit.apps.assessment`.

``sectorkit.assessments`` is the very same module object as ``sectorkit.apps.assessment``.
"""

import sys as _sys
import warnings as _warnings

import sectorkit.apps.assessment as _module

_warnings.warn("sectorkit.assessments moved to sectorkit.apps.assessment", DeprecationWarning, stacklevel=2)
_sys.modules[__name__] = _module
