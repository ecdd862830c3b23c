"""Access codes, stored only as salted hashes (the standard library's scrypt; no hand-made crypto).

A region's access code (and the trainer code) is what a person types to open a region on a
standalone server (see :mod:`sectorkit.workspaces.access`). Only :func:`hash_code`'s result is
ever stored: ``scrypt$<n>$<r>$<p>$<salt, base64>$<hash, base64>``, with a random 16-byte salt per
hash and the cost parameters in the string, so a later sectorkit can raise them and still check
old hashes. :func:`verify_code` compares in constant time (:func:`hmac.compare_digest`) and says
False for anything malformed, never raises on a stored string.

The code itself is never put in a message, a log line or an exception: errors say what is wrong
with it ("at least 8 characters"), not what it was.

Codes are compared as typed, except that surrounding spaces are dropped and the text is put in
Unicode NFC form (the same letters typed on another keyboard give the same code).

>>> stored = hash_code("riverbend-2026")
>>> stored.startswith("scrypt$") and "riverbend" not in stored
True
>>> verify_code("riverbend-2026", stored), verify_code(" riverbend-2026 ", stored), verify_code("other-code", stored)
(True, True, False)
>>> verify_code("riverbend-2026", "scrypt$1$2$3$not-base64$x")
False
>>> hash_code("short")
Traceback (most recent call last):
...
sectorkit.core.codes.AccessCodeError: An access code needs at least 8 characters; this one has 5.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import unicodedata

from sectorkit.core.errors import SectorkitError

__all__ = ["MAX_LENGTH", "MIN_LENGTH", "AccessCodeError", "AccessError", "check_code", "hash_code", "verify_code"]

#: the shortest and longest access code accepted (characters, after dropping surrounding spaces)
MIN_LENGTH = 8
MAX_LENGTH = 200

#: scrypt cost: n=2**15, r=8, p=1 uses 32 MiB and about 0.07 s per hash on one core
N, R, P = 2**15, 8, 1
DKLEN = 32
SALT_BYTES = 16
#: what verify_code accepts from a stored string (so a tampered string cannot ask for gigabytes)
MAX_N, MAX_R, MAX_P = 2**20, 32, 16


class AccessError(SectorkitError):
    """Access to a region or to the trainer pages: refused, or set up wrongly (the message says which)."""


class AccessCodeError(AccessError, ValueError):
    """An access code that cannot be used (too short, too long, the two typings differ); never names the code."""


def check_code(code: object) -> str:
    """The code as it is hashed (surrounding spaces dropped, NFC), or :class:`AccessCodeError`.

    >>> check_code("  riverbend-2026 ")
    'riverbend-2026'
    >>> check_code(None)
    Traceback (most recent call last):
    ...
    sectorkit.core.codes.AccessCodeError: Type an access code (at least 8 characters).
    """
    if not isinstance(code, str) or not code.strip():
        raise AccessCodeError(f"Type an access code (at least {MIN_LENGTH} characters).")
    text = unicodedata.normalize("NFC", code.strip())
    if len(text) < MIN_LENGTH:
        raise AccessCodeError(f"An access code needs at least {MIN_LENGTH} characters; this one has {len(text)}.")
    if len(text) > MAX_LENGTH:
        raise AccessCodeError(f"An access code is at most {MAX_LENGTH} characters; this one has {len(text)}.")
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise AccessCodeError("An access code cannot contain control characters (tabs, line breaks).")
    return text


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(text: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(text.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=dklen,
                          maxmem=128 * r * (n + p + 2) + 2**20)


def hash_code(code: str) -> str:
    """A new salted hash of ``code`` (checked by :func:`check_code` first), to store instead of it.

    Returns ``"scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>"``; two calls on one code give different
    strings (new salt each time). Raises :class:`AccessCodeError` for an unusable code.
    """
    text = check_code(code)
    salt = os.urandom(SALT_BYTES)
    return "$".join(("scrypt", str(N), str(R), str(P), _b64(salt), _b64(_scrypt(text, salt, N, R, P, DKLEN))))


def verify_code(code: object, stored: object) -> bool:
    """True if ``code`` is the code ``stored`` (a :func:`hash_code` string) was made from.

    False for a wrong code, an empty or unusable code, and a malformed or unknown ``stored`` string.
    """
    if not isinstance(code, str) or not isinstance(stored, str):
        return False
    try:
        text = check_code(code)
    except AccessCodeError:
        return False
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt = base64.b64decode(parts[4], validate=True)
        expected = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        return False
    if not (1 < n <= MAX_N and n & (n - 1) == 0 and 0 < r <= MAX_R and 0 < p <= MAX_P
            and salt and 16 <= len(expected) <= 64):
        return False
    try:
        actual = _scrypt(text, salt, n, r, p, len(expected))
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(actual, expected)
