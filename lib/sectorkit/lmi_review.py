"""Old import path, kept for notebooks written before the layered package: use :mod:`sectorkit.apps.lmi_review`.

``sectorkit.lmi_review`` is the very same module object as ``sectorkit.apps.lmi_review``.
"""

import sys as _sys
import warnings as _warnings

import sectorkit.apps.lmi_review as _module

_warnings.warn("sectorkit.lmi_review moved to sectorkit.apps.lmi_review", DeprecationWarning, stacklevel=2)
_sys.modules[__name__] = _module
