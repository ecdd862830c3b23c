"""What every part of the report machinery shares: the error, the template path, escaping, atomic files.

>>> esc('<b>"x"</b>')
'&lt;b&gt;&quot;x&quot;&lt;/b&gt;'
>>> one_line(ValueError("two\\n  lines"))
'ValueError: two lines'
"""

from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path
from typing import Any

from sectorkit.core.errors import SectorkitError
from sectorkit.core.paths import REPO_ROOT

#: The report template papermill runs once per region.
TEMPLATE = REPO_ROOT / "reports" / "region_report.ipynb"
#: Output formats a report can be written in (the PDF is printed from the HTML).
FORMATS = ("html", "pdf")
#: The Jupyter kernel a report runs in.
KERNEL = "python3"


class ReportError(SectorkitError):
    """A report that could not be produced, with a one-line reason."""


def esc(value: Any) -> str:
    """``str(value)`` escaped for HTML text and attribute values."""
    return html.escape(str(value), quote=True)


def one_line(exc: BaseException) -> str:
    """An exception (or a kernel's ``ename``/``evalue``) as one line of at most 400 characters."""
    ename = getattr(exc, "ename", None)
    evalue = getattr(exc, "evalue", None)
    if ename:
        text = f"{ename}: {evalue}" if evalue else str(ename)
    else:
        text = f"{exc.__class__.__name__}: {exc}"
    text = " ".join(str(text).split())
    return text if len(text) <= 400 else text[:397] + "..."


def umask() -> int:
    """This process's file-creation mask (read without changing it for longer than a moment)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(target: Path, data: str | bytes) -> None:
    """Write ``target`` through a temporary file in its folder, synced, then renamed over it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
