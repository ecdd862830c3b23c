"""Old import path, kept for notebooks written before the layered package: use :mod:`sectorkit.apps.form`.

``sectorkit.forms`` is the very same module object as ``sectorkit.apps.form``.
"""

import sys as _sys
import warnings as _warnings

import sectorkit.apps.form as _module

_warnings.warn("sectorkit.forms moved to sectorkit.apps.form", DeprecationWarning, stacklevel=2)
_sys.modules[__name__] = _module
