"""sectorkit: an executable curriculum for industry-led regional sector partnerships.

Based on the Next Gen Sector Partnership training toolkit; sectorkit is an
independent project and not an official Next Gen Sector Partnership product.

Heavy libraries (pandas, matplotlib, ipywidgets) are imported by the modules
that need them, never here, so ``import sectorkit`` stays fast in a worksheet.
"""

from sectorkit.core.errors import (
    DataError,
    InvalidRegionId,
    SectorkitError,
    SpecError,
    WorkspaceError,
)

__version__ = "0.1.0"

ATTRIBUTION = (
    "Based on the Next Gen Sector Partnership training toolkit. sectorkit is an "
    "independent, open-source project; it is not official Next Gen Sector "
    "Partnership material."
)

__all__ = [
    "ATTRIBUTION",
    "DataError",
    "InvalidRegionId",
    "SectorkitError",
    "SpecError",
    "WorkspaceError",
    "__version__",
]


def worksheet(spec_id: str, region: str = "example", root=None):
    """Open a worksheet bound to a region's workspace; show its ``.container``.

    Imported lazily so ``import sectorkit`` does not pull in ipywidgets.
    """
    from sectorkit.apps.form import open_worksheet

    return open_worksheet(spec_id, region=region, root=root)
