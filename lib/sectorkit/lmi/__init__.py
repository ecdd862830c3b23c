"""Labor-market information: BLS QCEW files (:mod:`.qcew`), regional measures
(:mod:`.measures`: employment, pay, growth, location quotients, shift-share) and the
Step 2 sector screen (:mod:`.screen`).

``from sectorkit.lmi import region_measures`` keeps working: the measures' public
names are re-exported here.
"""

from sectorkit.lmi.measures import *  # noqa: F401,F403
from sectorkit.lmi.measures import __all__ as _measures_all

__all__ = list(_measures_all)
