"""Old import path, kept for notebooks written before the layered package: use :mod:`sectorkit.lmi.qcew`.

``sectorkit.qcew`` is the very same module object as ``sectorkit.lmi.qcew``.
"""

import sys as _sys
import warnings as _warnings

import sectorkit.lmi.qcew as _module

_warnings.warn("sectorkit.qcew moved to sectorkit.lmi.qcew", DeprecationWarning, stacklevel=2)
_sys.modules[__name__] = _module
