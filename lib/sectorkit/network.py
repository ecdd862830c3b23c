"""Old import path, kept for notebooks written before the layered package: use :mod:`sectorkit.universe`.

``sectorkit.network`` is the very same module object as ``sectorkit.universe``.
"""

import sys as _sys
import warnings as _warnings

import sectorkit.universe as _module

_warnings.warn("sectorkit.network moved to sectorkit.universe", DeprecationWarning, stacklevel=2)
_sys.modules[__name__] = _module
