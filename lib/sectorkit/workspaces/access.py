"""Who may open a region on this server: the access policy, the trainer code, and remembered passes.

The server's **access mode** is ``SECTORKIT_ACCESS``:

``open`` (the default, what ``make demo`` runs)
    Anyone who can reach the server opens every region. Right for one person on a laptop.
``code`` (a standalone server for a training)
    Opening a region needs its **access code**, set when the region is created and stored only as
    a salted hash (:mod:`sectorkit.core.codes`, in the workspace's ``region_access`` table, which
    no export carries). The **trainer code** (hashed in ``<root>/.trainer-code``) opens every region,
    the trainer view and the statewide view. A region with no code yet opens with the trainer code
    only. After a right code the page gets a **pass**, an HMAC (key: ``<root>/.access-secret``, random,
    mode 0600) of the region and its stored hash, which the browser keeps, so a person does not
    retype the code on every page; a pass opens only its own region and stops working when that
    region's code changes (the hash changes with it).
``hub`` (JupyterHub)
    The person is the hub user (``JUPYTERHUB_USER``). A region has **members** (hub users): only
    members and **trainers** (the hub users listed in ``SECTORKIT_TRAINERS``, comma-separated) open
    it; trainers alone open the trainer and statewide views. Whoever creates a region is its first
    member.

In every mode the illustrative example region opens for everyone until it is given a code or
members. :func:`may_open` and :func:`may_oversee` decide; they read only the region's access
entries (the workspace opened read-only) and never create a workspace or read an answer. A code
is never written to a log, a message or an exception; decisions are logged on the
``sectorkit.access`` logger by region and outcome only.

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> root = tempfile.mkdtemp()
>>> with Workspace.open("riverbend", root) as ws:
...     ws.set_access_code("riverbend-2026")
>>> may_open("riverbend", root, mode="open").allowed
True
>>> d = may_open("riverbend", root, mode="code"); d.allowed, d.ask_code, d.message
(False, True, 'This region needs its access code.')
>>> may_open("riverbend", root, mode="code", code="a-wrong-guess").message
'That code does not open this region.'
>>> d = may_open("riverbend", root, mode="code", code="riverbend-2026"); d.allowed, d.reason
(True, 'code')
>>> may_open("riverbend", root, mode="code", token=d.region_pass).reason
'pass'
>>> may_open("riverbend", root, mode="hub", user="ana").message
'You are not a member of this region; ask its team or a trainer.'
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sectorkit.core.atomic import atomic_write
from sectorkit.core.codes import AccessCodeError, AccessError, check_code, hash_code, verify_code
from sectorkit.core.errors import WorkspaceError
from sectorkit.core.ids import validate_region_id
from sectorkit.example import EXAMPLE_REGION
from sectorkit.store.access import check_member
from sectorkit.store.backends import DatabaseError
from sectorkit.store.workspace import Workspace, default_root, workspace_exists
from sectorkit.workspaces import archive

__all__ = [
    "ACCESS_ENV", "MODES", "TRAINERS_ENV", "USER_ENV", "Decision", "access_mode", "check_restore", "has_trainer_code",
    "hub_user", "is_trainer", "keeping_access", "may_open", "may_oversee", "new_region_access", "region_pass",
    "restore_target",
    "set_trainer_code", "trainer_pass", "trainer_users", "visible_regions",
]

ACCESS_ENV, TRAINERS_ENV, USER_ENV = "SECTORKIT_ACCESS", "SECTORKIT_TRAINERS", "JUPYTERHUB_USER"
MODES = ("open", "code", "hub")
TRAINER_FILE, SECRET_FILE = ".trainer-code", ".access-secret"
LOG = logging.getLogger("sectorkit.access")

NEEDS_CODE = "This region needs its access code."
WRONG_CODE = "That code does not open this region."
NO_CODE_YET = ("This region has no access code yet, so only a trainer's code opens it. A trainer sets one with "
               "\u201csectorkit access set-code {region}\u201d.")
STALE_PASS = ("The pass this browser kept for this region no longer opens it (its code has changed): type the "
              "region's access code.")
NOT_MEMBER = "You are not a member of this region; ask its team or a trainer."
NO_USER = ("This server lets the members of each region in, but it does not know who you are (no hub user): "
           "open it through the hub.")
TRAINERS_ONLY_HUB = "This view is for trainers only (the hub users named in SECTORKIT_TRAINERS)."
TRAINER_NEEDS_CODE = "This view is for trainers: type the trainer code."
WRONG_TRAINER_CODE = "That is not the trainer code."
NO_TRAINER_CODE = ("This view is for trainers, and no trainer code is set on this server yet. The administrator "
                   "sets one with \u201csectorkit access trainer-code\u201d.")


@dataclass(frozen=True)
class Decision:
    """Whether a person may open a page, and why.

    Attributes
    ----------
    allowed : bool
        True: build the page. (A Decision is also truthy exactly when allowed.)
    reason : str
        ``open`` (open mode), ``example`` (the open example region), ``member``, ``trainer``,
        ``code`` (the region's code typed), ``pass`` (a remembered pass); refusals: ``ask-code``,
        ``wrong-code``, ``stale-pass``, ``not-member``, ``no-user``, ``not-trainer``, ``no-trainer-code``,
        ``no-such-region``.
    message : str
        Plain text for the page ("" when allowed). Never contains a code.
    ask_code : bool
        The page should show the access form (code mode); False: a message only (hub mode).
    region_pass, trainer_pass : str or None
        After a right code: the pass for the browser to keep (``sk-key-pass-<region>``,
        ``sk-key-trainer-pass``).
    """

    allowed: bool
    reason: str
    message: str = ""
    ask_code: bool = False
    region_pass: str | None = None
    trainer_pass: str | None = None

    def __bool__(self) -> bool:
        return self.allowed


# -- the server's settings ---------------------------------------------------------------------------
def access_mode() -> str:
    """``SECTORKIT_ACCESS``: ``open`` (default), ``code`` or ``hub``; anything else is an :class:`AccessError`
    (a misspelt setting never leaves a server open)."""
    value = os.environ.get(ACCESS_ENV, "").strip().lower() or "open"
    if value not in MODES:
        raise AccessError(f"SECTORKIT_ACCESS is set to {value[:20]!r}; it must be open, code or hub. No region "
                          "opens until it is fixed.")
    return value


def hub_user() -> str | None:
    """The hub user (``JUPYTERHUB_USER``), or None off a hub."""
    return os.environ.get(USER_ENV, "").strip() or None


def trainer_users() -> frozenset[str]:
    """The hub users named in ``SECTORKIT_TRAINERS`` (comma-separated)."""
    return frozenset(u.strip() for u in os.environ.get(TRAINERS_ENV, "").split(",") if u.strip())


def is_trainer(user: str | None) -> bool:
    """True if ``user`` is a hub user listed in ``SECTORKIT_TRAINERS``."""
    return bool(user) and user in trainer_users()


def _folder(root: Any) -> Path:
    return Path(root).expanduser() if root is not None else default_root()


# -- the trainer code and the server secret ----------------------------------------------------------
def set_trainer_code(code: str, root: Any = None) -> Path:
    """Set or replace the trainer code (its hash in ``<root>/.trainer-code``, written atomically, mode 0600).

    Raises :class:`~sectorkit.core.codes.AccessCodeError` for an unusable code. Trainer passes kept by
    browsers stop working.
    """
    return atomic_write(_folder(root) / TRAINER_FILE, hash_code(code) + "\n", mode=0o600)


def _trainer_hash(root: Any) -> str | None:
    try:
        text = (_folder(root) / TRAINER_FILE).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return text or None


def has_trainer_code(root: Any = None) -> bool:
    """True when a trainer code is set under ``root``."""
    return _trainer_hash(root) is not None


def _secret(root: Any, *, create: bool) -> bytes | None:
    """The server's random pass key (``<root>/.access-secret``, 0600), made on first use if ``create``."""
    path = _folder(root) / SECRET_FILE
    try:
        text = path.read_bytes().strip()
    except FileNotFoundError:
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".access-secret.", suffix=".part", dir=path.parent)  # mode 0600
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, path)  # never over an existing key: if another kernel made it first, use theirs
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links: create it exclusively instead
                with contextlib.suppress(FileExistsError):
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                    with os.fdopen(fd, "w") as fh:
                        fh.write(Path(tmp).read_text())
        finally:
            os.unlink(tmp)
        text = path.read_bytes().strip()
    if len(text) < 32:
        raise AccessError(f"The server's pass key {path} is damaged: delete it (browsers then type their codes "
                          "once more).")
    return text


def _pass(secret: bytes, subject: str, stored_hash: str) -> str:
    return "p1." + hmac.new(secret, f"{subject}\0{stored_hash}".encode(), hashlib.sha256).hexdigest()


def _pass_ok(given: object, root: Any, subject: str, stored_hash: str | None) -> bool:
    if not isinstance(given, str) or not given or stored_hash is None:
        return False
    secret = _secret(root, create=False)
    return secret is not None and hmac.compare_digest(given.strip().encode(), _pass(secret, subject,
                                                                                      stored_hash).encode())


def region_pass(region: str, stored_hash: str, root: Any = None) -> str:
    """The pass for ``region`` whose code's stored hash is ``stored_hash`` (makes the server key if needed)."""
    return _pass(_secret(root, create=True), f"region:{validate_region_id(region)}", stored_hash)


def trainer_pass(root: Any = None) -> str | None:
    """The trainer pass for the current trainer code (None when no trainer code is set)."""
    stored = _trainer_hash(root)
    return _pass(_secret(root, create=True), "trainer", stored) if stored else None


# -- decisions ---------------------------------------------------------------------------------------
def _entries(region: str, root: Any) -> tuple[str | None, list[str]] | None:
    """(code hash, members) of an existing region, read-only; None when it has no workspace.

    A workspace that cannot be read this way (an older schema, damaged) has neither: only trainers
    open it (a trainer's page then brings it up to date).
    """
    if not workspace_exists(region, root):
        return None
    try:
        with Workspace.open(region, root, create=False, readonly=True) as ws:
            return ws.access_code_hash(), ws.members()
    except (WorkspaceError, *DatabaseError):
        return None, []


def _allow(region: str, reason: str, **passes: str | None) -> Decision:
    LOG.info("access: region %s opened (%s)", region, reason)
    return Decision(True, reason, **passes)


def _refuse(region: str, reason: str, message: str, ask_code: bool = False) -> Decision:
    LOG.info("access: region %s refused (%s)", region, reason)
    return Decision(False, reason, message, ask_code)


def may_open(region: str, root: Any = None, *, user: str | None = None, code: str | None = None,
             token: str | None = None, trainer_token: str | None = None, mode: str | None = None) -> Decision:
    """May this person open ``region``'s pages (its home page, its worksheets)?

    Parameters
    ----------
    region : str
        A region id (else :class:`~sectorkit.core.errors.InvalidRegionId`).
    root : path, optional
        Workspace root folder (default ``SECTORKIT_HOME``).
    user : str, optional
        The hub user (hub mode); default ``JUPYTERHUB_USER``.
    code : str, optional
        A code the person typed (the region's or the trainer code).
    token, trainer_token : str, optional
        A pass the browser kept for this region, and a trainer pass.
    mode : str, optional
        ``open``, ``code`` or ``hub``; default :func:`access_mode`.

    Returns
    -------
    Decision
        A region with no workspace is refused as ``no-such-region`` (nothing is created), except the
        example region (created when its page opens, as always).
    """
    region = validate_region_id(region)
    mode = mode or access_mode()
    if mode == "open":
        return Decision(True, "open")
    entries = _entries(region, root)
    if entries is None:
        if region == EXAMPLE_REGION:
            return _allow(region, "example")
        return _refuse(region, "no-such-region", f"There is no workspace named \u2018{region}\u2019.")
    stored, members = entries
    if mode == "hub":
        user = user or hub_user()
        if not user:
            return _refuse(region, "no-user", NO_USER)
        if is_trainer(user):
            return _allow(region, "trainer")
        if user in members:
            return _allow(region, "member")
        if region == EXAMPLE_REGION and not members:
            return _allow(region, "example")
        return _refuse(region, "not-member", NOT_MEMBER)
    if region == EXAMPLE_REGION and stored is None:
        return _allow(region, "example")
    if _pass_ok(token, root, f"region:{region}", stored):
        return _allow(region, "pass", region_pass=token.strip())
    trainer_stored = _trainer_hash(root)
    if _pass_ok(trainer_token, root, "trainer", trainer_stored):
        return _allow(region, "trainer", trainer_pass=trainer_token.strip())
    if isinstance(code, str) and code.strip():
        if stored is not None and verify_code(code, stored):
            return _allow(region, "code", region_pass=region_pass(region, stored, root))
        if trainer_stored is not None and verify_code(code, trainer_stored):
            return _allow(region, "trainer", trainer_pass=trainer_pass(root))
        return _refuse(region, "wrong-code", WRONG_CODE, ask_code=True)
    if stored is None:
        return _refuse(region, "ask-code", NO_CODE_YET.format(region=region), ask_code=True)
    if token:
        return _refuse(region, "stale-pass", STALE_PASS, ask_code=True)
    return _refuse(region, "ask-code", NEEDS_CODE, ask_code=True)


def may_oversee(root: Any = None, *, user: str | None = None, code: str | None = None,
                trainer_token: str | None = None, mode: str | None = None) -> Decision:
    """May this person open the trainer view and the statewide view (every region at once)?

    Open mode: yes. Hub mode: trainers only (``SECTORKIT_TRAINERS``). Code mode: the trainer code or
    a trainer pass; with no trainer code set, nobody (the message says how to set one).
    """
    mode = mode or access_mode()
    if mode == "open":
        return Decision(True, "open")
    if mode == "hub":
        user = user or hub_user()
        if is_trainer(user):
            return _allow("(trainer view)", "trainer")
        return _refuse("(trainer view)", "not-trainer" if user else "no-user", TRAINERS_ONLY_HUB if user else NO_USER)
    stored = _trainer_hash(root)
    if stored is None:
        return _refuse("(trainer view)", "no-trainer-code", NO_TRAINER_CODE)
    if _pass_ok(trainer_token, root, "trainer", stored):
        return _allow("(trainer view)", "trainer", trainer_pass=trainer_token.strip())
    if isinstance(code, str) and code.strip():
        if verify_code(code, stored):
            return _allow("(trainer view)", "trainer", trainer_pass=trainer_pass(root))
        return _refuse("(trainer view)", "wrong-code", WRONG_TRAINER_CODE, ask_code=True)
    return _refuse("(trainer view)", "ask-code", TRAINER_NEEDS_CODE, ask_code=True)


def visible_regions(summaries: Iterable[Any], root: Any = None, *, user: str | None = None,
                    mode: str | None = None) -> list[Any]:
    """The region picker's entries (anything with ``.region``) this person may see: in hub mode the
    regions they may open; otherwise all (in code mode opening one asks its code)."""
    mode = mode or access_mode()
    items = list(summaries)
    if mode != "hub":
        return items
    return [s for s in items if may_open(s.region, root, user=user, mode=mode).allowed]


# -- creating and replacing regions ------------------------------------------------------------------
def new_region_access(code: str | None = None, repeat: str | None = None, *, user: str | None = None,
                      mode: str | None = None) -> tuple[str | None, list[str]]:
    """What a new region starts with: ``(access code or None, members)``, checked; pass both to
    :func:`~sectorkit.workspaces.regions.create_region` (``access_code=``, ``members=``).

    Code mode needs a code (typed twice: ``repeat``); hub mode needs a hub user, who becomes the
    first member; open mode takes a code if one is given (kept for when the server asks for codes).
    Raises :class:`~sectorkit.core.codes.AccessCodeError` / :class:`AccessError`, never naming a code.
    """
    mode = mode or access_mode()
    given = isinstance(code, str) and bool(code.strip())
    if mode == "code" and not given:
        raise AccessCodeError("This server asks for an access code to open each region: type one for the new "
                              "region, twice, and give it to its team.")
    members: list[str] = []
    if mode == "hub":
        user = user or hub_user()
        if not user:
            raise AccessError(NO_USER)
        members = [check_member(user)]
    if not given:
        return None, members
    text = check_code(code)
    if repeat is not None and (not isinstance(repeat, str) or _checked(repeat) != text):
        raise AccessCodeError("The two access codes differ: type the same code in both boxes.")
    return text, members


def _checked(code: str) -> str | None:
    try:
        return check_code(code)
    except AccessCodeError:
        return None


def restore_target(data: bytes, filename: str, region: str | None = None) -> str:
    """The region a restore of ``data`` would write (``region``, else the id in the file; the file's own
    problems raise the restore's :class:`~sectorkit.core.errors.WorkspaceError`)."""
    if region:
        return validate_region_id(region)
    # the restore's own checks (same package), so this names the file's problems exactly as the restore would
    return archive._parse(data, archive._shown(filename))["region"]


def check_restore(target: str, root: Any = None, *, page_region: str | None, page_open: bool,
                  user: str | None = None, mode: str | None = None) -> None:
    """Raise :class:`AccessError` if a restore from a region's home page may not write ``target``.

    Open mode: anything (as before). Otherwise an existing workspace may be replaced only from its own
    home page (``page_region``, which the person opened with access: ``page_open``); a new region in
    code mode must be created first with its code (a restore carries no code); in hub mode the person
    restoring becomes its first member (the caller adds them).
    """
    mode = mode or access_mode()
    if mode == "open":
        return
    target = validate_region_id(target)
    if target == EXAMPLE_REGION or workspace_exists(target, root):
        if target != page_region or not page_open:
            raise AccessError(f"On this server a region\u2019s workspace can be replaced only from its own home page "
                              f"(open \u2018{target}\u2019 first), or restore the file under another id.")
        return
    if mode == "code":
        raise AccessError("On this server every region needs an access code, and a downloaded file carries none. "
                          "Create the region first (with its code), open its home page, and restore the file there "
                          "with \u201creplace the existing workspace\u201d ticked.")
    if not (user or hub_user()):
        raise AccessError(NO_USER)


@contextlib.contextmanager
def keeping_access(region: str, root: Any = None) -> Iterator[None]:
    """Keep ``region``'s access code and members across a replace (an import builds a workspace without
    them). Between the replace and the put-back the region has neither, so only trainers open it."""
    region = validate_region_id(region)
    entries: list[tuple[str, str]] = []
    if workspace_exists(region, root):
        with Workspace.open(region, root, create=False) as ws:
            entries = ws.access_entries()
    yield
    if entries and workspace_exists(region, root):
        with Workspace.open(region, root, create=False) as ws:
            ws.put_access_entries(entries)
