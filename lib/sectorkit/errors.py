"""Old import path, kept for notebooks written before the layered package: use :mod:`sectorkit.core.errors`.

``sectorkit.errors`` is the very same module object as ``sectorkit.core.errors``.
"""

import sys as _sys
import warnings as _warnings

import sectorkit.core.errors as _module

_warnings.warn("sectorkit.errors moved to sectorkit.core.errors", DeprecationWarning, stacklevel=2)
_sys.modules[__name__] = _module
