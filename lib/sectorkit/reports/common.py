"""What every part of the report machinery shares: the error, the template path, escaping, atomic files.

>>> esc('<b>"x"</b>')
'&lt;b&gt;&quot;x&quot;&lt;/b&gt;'
>>> one_line(ValueError("two\\n  lines"))
'ValueError: two lines'
"""

from __future__ import annotations

import html
from typing import Any

from sectorkit.core.atomic import atomic_write, current_umask  # noqa: F401 - re-exported
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


# one atomic write and one umask reader for the whole package (core.atomic); re-exported here
umask = current_umask
