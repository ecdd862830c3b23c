"""Write a file whole or not at all: a temporary file in the same folder, synced, then renamed.

A reader (or a crash) sees either the old file or the new one, never a half-written file, and a
failed write leaves no temporary file behind.

Examples
--------
>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out" / "note.txt"
>>> atomic_write(target, "hello").read_text()
'hello'
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write", "current_umask"]


def current_umask() -> int:
    """This process's file-creation mask (read without changing it for longer than a moment).

    >>> 0 <= current_umask() <= 0o777
    True
    """
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str | os.PathLike, data: str | bytes, *, mode: int | None = None) -> Path:
    """Replace ``path`` with ``data`` atomically and return the path.

    Parameters
    ----------
    path : str or path-like
        The file to write; missing parent folders are created.
    data : str or bytes
        The whole content; text is written as UTF-8.
    mode : int, optional
        Permission bits of the new file. Default: what ``open(path, "w")`` would give
        (``0o666`` less the umask), not the private ``0o600`` of a temporary file.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    OSError
        When the folder cannot be written; ``path`` is then unchanged.

    Examples
    --------
    >>> import tempfile, pathlib, stat
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "bundle.js"
    >>> _ = atomic_write(target, b"x", mode=0o644)
    >>> oct(stat.S_IMODE(target.stat().st_mode)), [p.name for p in target.parent.iterdir()]
    ('0o644', ['bundle.js'])
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~current_umask() if mode is None else mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
