"""Old import path, kept for notebooks written before the layered package: use :mod:`sectorkit.serve.pages`.

``sectorkit.pages`` is the very same module object as ``sectorkit.serve.pages``.
"""

import sys as _sys
import warnings as _warnings

import sectorkit.serve.pages as _module

_warnings.warn("sectorkit.pages moved to sectorkit.serve.pages", DeprecationWarning, stacklevel=2)
_sys.modules[__name__] = _module
