"""Who may open a region: its access code (stored only as a salted hash) and its members (hub users).

:class:`Access` is a mixin of :class:`~sectorkit.store.workspace.Workspace` on the ``region_access``
table: ``('code', <scrypt hash>)`` (at most one) and ``('member', <hub user name>)`` (any number).
The table never leaves the server: exports, workbooks and zips carry only the tables in
:data:`sectorkit.store.schema.TABLES`, which leaves it out. The store only keeps these entries;
what they mean for a page (the server's access mode, trainers) is decided in
:mod:`sectorkit.workspaces.access`.

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> ws = Workspace.open("riverbend", root=tempfile.mkdtemp())
>>> ws.has_access_code
False
>>> ws.set_access_code("riverbend-2026")
>>> ws.has_access_code, ws.check_access_code("riverbend-2026"), ws.check_access_code("guess-guess")
(True, True, False)
>>> ws.add_member("ana"), ws.add_member("ana"), ws.add_member("ben")
(True, False, True)
>>> ws.remove_member("ben"), ws.members()
(True, ['ana'])
>>> "region_access" in ws.to_dict()["tables"]
False
"""

from __future__ import annotations

from collections.abc import Iterable

from sectorkit.core.codes import AccessError, hash_code, verify_code

__all__ = ["CODE", "MEMBER", "MAX_MEMBER", "Access", "check_member"]

CODE, MEMBER = "code", "member"
#: the longest hub user name accepted
MAX_MEMBER = 200


def check_member(user: object) -> str:
    """A hub user name as stored (surrounding spaces dropped), or :class:`~sectorkit.core.codes.AccessError`.

    >>> check_member(" ana ")
    'ana'
    >>> check_member("")
    Traceback (most recent call last):
    ...
    sectorkit.core.codes.AccessError: Give the hub user name (for example ana).
    """
    text = user.strip() if isinstance(user, str) else ""
    if not text:
        raise AccessError("Give the hub user name (for example ana).")
    if len(text) > MAX_MEMBER or any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise AccessError(f"{text[:40]!r} is not a hub user name (at most {MAX_MEMBER} characters, no control "
                          "characters).")
    return text


class Access:
    """The region's access entries (mixin of ``Workspace``; uses its ``_conn`` and ``_transaction``)."""

    # -- the access code -------------------------------------------------------------------------
    def set_access_code(self, code: str) -> None:
        """Set or replace the region's access code (stored as :func:`~sectorkit.core.codes.hash_code`).

        Raises :class:`~sectorkit.core.codes.AccessCodeError` for an unusable code (nothing changes).
        Passes made for the old code (:mod:`sectorkit.workspaces.access`) stop working.
        """
        self.set_access_hash(hash_code(code))

    def set_access_hash(self, hashed: str) -> None:
        """Store an already hashed code (from :func:`~sectorkit.core.codes.hash_code`), replacing any other."""
        if not isinstance(hashed, str) or not hashed.startswith("scrypt$"):
            raise AccessError("An access code is stored only as a hash made by hash_code().")
        with self._transaction() as conn:
            conn.execute("DELETE FROM region_access WHERE kind = ?", (CODE,))
            conn.execute("INSERT INTO region_access (kind, value) VALUES (?, ?)", (CODE, hashed))

    def clear_access_code(self) -> None:
        """Remove the region's access code (then only a trainer opens it on a server that asks for codes)."""
        with self._transaction() as conn:
            conn.execute("DELETE FROM region_access WHERE kind = ?", (CODE,))

    def access_code_hash(self) -> str | None:
        """The stored hash of the access code, or None. It is a secret of the server: never show it."""
        row = self._conn.execute("SELECT value FROM region_access WHERE kind = ? ORDER BY value LIMIT 1",
                                 (CODE,)).fetchone()
        return row[0] if row else None

    @property
    def has_access_code(self) -> bool:
        """True when the region has an access code."""
        return self.access_code_hash() is not None

    def check_access_code(self, code: object) -> bool:
        """True if ``code`` is the region's access code (False when it has none; never raises for a bad code)."""
        stored = self.access_code_hash()
        return stored is not None and verify_code(code, stored)

    # -- members -----------------------------------------------------------------------------------
    def members(self) -> list[str]:
        """The hub users who may open the region, sorted."""
        rows = self._conn.execute("SELECT value FROM region_access WHERE kind = ? ORDER BY value", (MEMBER,))
        return [r[0] for r in rows.fetchall()]

    def is_member(self, user: object) -> bool:
        """True if ``user`` (a hub user name) is a member."""
        if not isinstance(user, str) or not user.strip():
            return False
        row = self._conn.execute("SELECT 1 FROM region_access WHERE kind = ? AND value = ?",
                                 (MEMBER, user.strip())).fetchone()
        return row is not None

    def add_member(self, user: str) -> bool:
        """Add a hub user as a member; True if added, False if already one (:func:`check_member` checks the name)."""
        name = check_member(user)
        with self._transaction() as conn:
            known = conn.execute("SELECT 1 FROM region_access WHERE kind = ? AND value = ?", (MEMBER, name)).fetchone()
            if known:
                return False
            conn.execute("INSERT INTO region_access (kind, value) VALUES (?, ?) ON CONFLICT (kind, value) DO NOTHING",
                         (MEMBER, name))
        return True

    def remove_member(self, user: str) -> bool:
        """Remove a member; True if removed, False if the user was not one."""
        name = check_member(user)
        with self._transaction() as conn:
            known = conn.execute("SELECT 1 FROM region_access WHERE kind = ? AND value = ?", (MEMBER, name)).fetchone()
            if not known:
                return False
            conn.execute("DELETE FROM region_access WHERE kind = ? AND value = ?", (MEMBER, name))
        return True

    # -- keeping access across a replace ----------------------------------------------------------
    def access_entries(self) -> list[tuple[str, str]]:
        """Every ``(kind, value)`` entry, to put back with :meth:`put_access_entries` after a replace
        (an import builds a new workspace without them). Holds the code's hash: keep it on the server."""
        rows = self._conn.execute("SELECT kind, value FROM region_access ORDER BY kind, value").fetchall()
        return [(k, v) for k, v in rows]

    def put_access_entries(self, entries: Iterable[tuple[str, str]]) -> None:
        """Replace every access entry with ``entries`` (from :meth:`access_entries`), in one transaction."""
        kept = [(k, v) for k, v in entries if k in (CODE, MEMBER) and isinstance(v, str)]
        with self._transaction() as conn:
            conn.execute("DELETE FROM region_access")
            for kind, value in kept:
                conn.execute("INSERT INTO region_access (kind, value) VALUES (?, ?) ON CONFLICT (kind, value) "
                             "DO NOTHING", (kind, value))
