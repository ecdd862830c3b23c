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


class EditConflict(WorkspaceError):
    """A save that started from a value a teammate changed meanwhile (nothing is lost: both are kept).

    Attributes: ``worksheet``, ``question``, ``row_id`` (None for an answer), ``yours`` (the value
    that was not saved; it is kept as a conflict until someone chooses), ``theirs`` (the saved
    value), ``theirs_by`` (who saved it, or None) and ``theirs_at`` (when, UTC ISO).
    """

    def __init__(self, worksheet: str, question: str, row_id: str | None, yours, theirs, theirs_by, theirs_at):
        who = theirs_by or "someone else"
        super().__init__(f"{who} changed this answer while you were editing it; both versions are kept. "
                         "Choose the one to keep.")
        self.worksheet, self.question, self.row_id = worksheet, question, row_id
        self.yours, self.theirs, self.theirs_by, self.theirs_at = yours, theirs, theirs_by, theirs_at
