"""Old import path, kept for notebooks written before the layered package: use :mod:`sectorkit.core.paths`.

``sectorkit.paths`` is the very same module object as ``sectorkit.core.paths``.
"""

import sys as _sys
import warnings as _warnings

import sectorkit.core.paths as _module

_warnings.warn("sectorkit.paths moved to sectorkit.core.paths", DeprecationWarning, stacklevel=2)
_sys.modules[__name__] = _module
