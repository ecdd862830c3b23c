"""Old import path, kept for notebooks written before the layered package: use :mod:`sectorkit.views.charts`.

``sectorkit.charts`` is the very same module object as ``sectorkit.views.charts``.
"""

import sys as _sys
import warnings as _warnings

import sectorkit.views.charts as _module

_warnings.warn("sectorkit.charts moved to sectorkit.views.charts", DeprecationWarning, stacklevel=2)
_sys.modules[__name__] = _module
