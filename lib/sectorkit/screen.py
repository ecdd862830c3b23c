"""Old import path, kept for notebooks written before the layered package: use :mod:`sectorkit.lmi.screen`.

``sectorkit.screen`` is the very same module object as ``sectorkit.lmi.screen``.
"""

import sys as _sys
import warnings as _warnings

import sectorkit.lmi.screen as _module

_warnings.warn("sectorkit.screen moved to sectorkit.lmi.screen", DeprecationWarning, stacklevel=2)
_sys.modules[__name__] = _module
