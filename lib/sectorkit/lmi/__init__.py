"""Labor-market information: BLS QCEW files in every layout (:mod:`.qcew`, with :mod:`.layouts`,
:mod:`.archives` and :mod:`.checks`), area codes (:mod:`.areas`), regions and reference areas
(:mod:`.regions`), regional measures (:mod:`.measures`: employment, pay, growth, location
quotients, shift-share) and the Step 2 sector screen (:mod:`.screen`).

``from sectorkit.lmi import region_measures`` keeps working: the measures' public
names are re-exported here, with the area-code helpers.
"""

from sectorkit.lmi.areas import (  # noqa: F401 - re-exported
    NATION,
    area_kind,
    describe_area,
    is_county,
    is_nation,
    normalise_area_code,
    parse_area_list,
)
from sectorkit.lmi.measures import *  # noqa: F401,F403
from sectorkit.lmi.measures import __all__ as _measures_all
from sectorkit.lmi.regions import county_codes, reference_areas  # noqa: F401 - re-exported

__all__ = list(_measures_all) + ["NATION", "area_kind", "county_codes", "describe_area", "is_county", "is_nation",
                                 "normalise_area_code", "parse_area_list", "reference_areas"]
