"""Timestamps: stored as ISO 8601 text in UTC, shown as local wall-clock time.

Examples
--------
>>> stamp = now_utc()
>>> stamp.endswith("+00:00")
True
>>> local_time("not a time")
'not a time'
"""

from __future__ import annotations

from datetime import datetime, timezone

__all__ = ["local_time", "now_utc"]


def now_utc(timespec: str = "milliseconds") -> str:
    """The current moment in UTC as ISO 8601 text, e.g. ``2026-11-30T14:05:09.123+00:00``.

    Parameters
    ----------
    timespec : str
        Precision, as for :meth:`datetime.datetime.isoformat`: ``"milliseconds"`` (default;
        the workspace's ``updated_at`` and history) or ``"seconds"`` (records a person reads).

    Returns
    -------
    str
        Sorts in time order as text; :func:`datetime.datetime.fromisoformat` reads it back.

    Examples
    --------
    >>> len(now_utc("seconds")) == len("2026-11-30T14:05:09+00:00")
    True
    >>> datetime.fromisoformat(now_utc()).utcoffset().total_seconds()
    0.0
    """
    return datetime.now(timezone.utc).isoformat(timespec=timespec)


def local_time(iso: str | None = None) -> str:
    """An ISO timestamp (default: now) as local wall-clock time, e.g. ``14:05:09 on 30 Nov 2026``.

    Parameters
    ----------
    iso : str, optional
        A timestamp from :func:`now_utc` (any ISO 8601 text). Text that is not a timestamp is
        returned unchanged, so a damaged record still shows something.

    Examples
    --------
    >>> local_time("2026-11-15T12:00:00.123+00:00")[-11:]  # the hour depends on the time zone
    '15 Nov 2026'
    >>> local_time("not a time")
    'not a time'
    """
    try:
        moment = datetime.fromisoformat(iso) if iso else datetime.now()
    except ValueError:
        return iso
    return moment.astimezone().strftime("%H:%M:%S on %d %b %Y")
