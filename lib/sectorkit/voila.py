"""Old import path, kept for notebooks written before the layered package: use :mod:`sectorkit.serve.voila`.

``sectorkit.voila`` is the very same module object as ``sectorkit.serve.voila``.
"""

import sys as _sys
import warnings as _warnings

import sectorkit.serve.voila as _module

_warnings.warn("sectorkit.voila moved to sectorkit.serve.voila", DeprecationWarning, stacklevel=2)
_sys.modules[__name__] = _module
