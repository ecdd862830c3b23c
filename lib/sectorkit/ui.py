"""Old import path, kept for notebooks written before the layered package: use :mod:`sectorkit.views.html`.

``sectorkit.ui`` is the very same module object as ``sectorkit.views.html``.
"""

import sys as _sys
import warnings as _warnings

import sectorkit.views.html as _module

_warnings.warn("sectorkit.ui moved to sectorkit.views.html", DeprecationWarning, stacklevel=2)
_sys.modules[__name__] = _module
