"""Old import path, kept for notebooks written before the layered package: use :mod:`sectorkit.store.workspace`.

``sectorkit.workspace`` is the very same module object as ``sectorkit.store.workspace``.
"""

import sys as _sys
import warnings as _warnings

import sectorkit.store.workspace as _module

_warnings.warn("sectorkit.workspace moved to sectorkit.store.workspace", DeprecationWarning, stacklevel=2)
_sys.modules[__name__] = _module
