"""The one error family sectorkit raises for problems a user can fix.

Widgets and the CLI catch :class:`SectorkitError` and show its message; any
other exception is a bug in sectorkit.
"""


class SectorkitError(Exception):
    """A problem with the user's input, data or settings, with a clear message."""


class InvalidRegionId(SectorkitError, ValueError):
    """A region id that is not a safe slug."""


class WorkspaceError(SectorkitError):
    """A workspace that cannot be opened, saved, exported or imported."""


class NoSuchRegion(WorkspaceError, LookupError):
    """A region id with no workspace, where one must exist (a page opened from an address)."""


class SpecError(SectorkitError):
    """A worksheet spec file that is missing or invalid."""


class DataError(SectorkitError, ValueError):
    """A labor-market data file that cannot be read as promised."""
