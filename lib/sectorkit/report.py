"""Old import path, kept for the report template and scripts written before the package: use :mod:`sectorkit.reports`.

``sectorkit.report`` is the very same module object as ``sectorkit.reports``.
"""

import sys as _sys
import warnings as _warnings

import sectorkit.reports as _module

_warnings.warn("sectorkit.report moved to sectorkit.reports", DeprecationWarning, stacklevel=2)
_sys.modules[__name__] = _module
