"""Repairing text that cannot be stored: broken Unicode (half an emoji).

A browser, a spreadsheet or an old file can hand Python a string with an *unpaired UTF-16
surrogate*: one half of a character such as an emoji (``"ok \\ud83d"``). Such a string cannot be
written as UTF-8, so SQLite, JSON files and CSV writers refuse it. :func:`repair_text` joins
halves that belong together and replaces each half left alone with U+FFFD (``"\\ufffd"``, the
replacement character), so the rest of the text is kept; :func:`has_broken_unicode` tells whether
a string needs it; :func:`repair_data` does the same through lists and dicts. In a file,
:func:`repair_xml_char_refs` and :func:`repair_xlsx` repair the ``&#55357;`` references that some
tools write for half an emoji (invalid XML, which no reader accepts).

Examples
--------
>>> repair_text("ok \\ud83d")
'ok \\ufffd'
>>> repair_text("two halves \\ud83d\\ude00 make one emoji") == "two halves \\U0001F600 make one emoji"
True
>>> has_broken_unicode("ok"), has_broken_unicode("ok \\ud83d")
(False, True)
>>> repair_data({"q": ["fine", "bad \\udc00"]})
({'q': ['fine', 'bad \\ufffd']}, 1)
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

__all__ = ["REPLACEMENT", "broken_unicode_note", "has_broken_unicode", "repair_data", "repair_text",
           "repair_xlsx", "repair_xml_char_refs"]

#: What a broken character becomes (U+FFFD REPLACEMENT CHARACTER, shown as a question mark in a diamond).
REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")


def has_broken_unicode(text: Any) -> bool:
    """True if ``text`` is a string holding a UTF-16 surrogate (which UTF-8 cannot store)."""
    return isinstance(text, str) and _SURROGATE.search(text) is not None


def repair_text(text: str) -> str:
    """``text`` with surrogate pairs joined and each lone surrogate replaced by :data:`REPLACEMENT`.

    Text without surrogates is returned unchanged (the same object). Raises nothing.

    >>> repair_text("\\ud83d at the start, at the end \\udc00")
    '\\ufffd at the start, at the end \\ufffd'
    """
    if not has_broken_unicode(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def repair_data(value: Any) -> tuple[Any, int]:
    """Repair every string in ``value`` (str, list, tuple, dict keys and values); return ``(value, n)``.

    ``n`` is how many strings had a broken character (0: ``value`` is returned as is).

    >>> repair_data(["a", ("b\\ud800",)])
    (['a', ('b\\ufffd',)], 1)
    """
    if isinstance(value, str):
        fixed = repair_text(value)
        return fixed, int(fixed is not value)
    if isinstance(value, dict):
        count, out = 0, {}
        for key, item in value.items():
            k, a = repair_data(key)
            v, b = repair_data(item)
            out[k] = v
            count += a + b
        return (out, count) if count else (value, 0)
    if isinstance(value, (list, tuple)):
        parts = [repair_data(item) for item in value]
        count = sum(n for _, n in parts)
        if not count:
            return value, 0
        items = [v for v, _ in parts]
        return (tuple(items) if isinstance(value, tuple) else items), count
    return value, 0


def broken_unicode_note(where: str) -> str:
    """The one sentence a page or an import shows after repairing ``where`` (plain text).

    >>> broken_unicode_note("'Which counties?'")[:60]
    "'Which counties?' had a broken character (half of an emoji o"
    """
    return (f"{where} had a broken character (half of an emoji or symbol); it was saved as {REPLACEMENT}. "
            "Retype it if it matters.")


_REF = rb"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));"
_CHAR_REF = re.compile(_REF)


def _code(m: re.Match, first: int = 1) -> int:
    hexa, dec = m.group(first), m.group(first + 1)
    return int(hexa, 16) if hexa else int(dec)


def repair_xml_char_refs(xml: bytes) -> tuple[bytes, int]:
    """``xml`` with each character reference to a UTF-16 surrogate repaired; return ``(xml, changed)``.

    A high+low pair of references becomes one reference to the character; a half alone becomes
    ``&#65533;`` (U+FFFD). ``changed`` counts the references rewritten (0: ``xml`` is returned as is).

    >>> repair_xml_char_refs(b"<t>ok &#55357;</t><t>&#xD83D;&#xDE00;</t>")
    (b'<t>ok &#65533;</t><t>&#128512;</t>', 3)
    """
    changed = 0

    def fix(m: re.Match) -> bytes:
        nonlocal changed
        code = _code(m)
        if not 0xD800 <= code <= 0xDFFF:
            return m.group(0)
        changed += 1
        return b"&#65533;"

    def pair(m: re.Match) -> bytes:
        nonlocal changed
        hi, lo = _code(m, 1), _code(m, 3)
        if 0xD800 <= hi <= 0xDBFF and 0xDC00 <= lo <= 0xDFFF:
            changed += 2
            return b"&#%d;" % (0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
        return _CHAR_REF.sub(fix, m.group(0))

    if b"&#" not in xml:
        return xml, 0
    fixed = re.sub(_REF + _REF, pair, xml)
    fixed = _CHAR_REF.sub(fix, fixed)
    return (fixed, changed) if changed else (xml, 0)


def repair_xlsx(data: bytes) -> tuple[bytes, int]:
    """An Excel workbook (``.xlsx`` bytes) with :func:`repair_xml_char_refs` applied to each XML part.

    Returns ``(bytes, changed)``; raises :class:`zipfile.BadZipFile` for data that is not a zip file.
    """
    changed = 0
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            part = zin.read(info)
            if info.filename.endswith(".xml"):
                part, n = repair_xml_char_refs(part)
                changed += n
            zout.writestr(info, part)
    return (out.getvalue(), changed) if changed else (data, 0)
