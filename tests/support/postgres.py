"""A PostgreSQL server for the tests and the load benchmark: the given one, or a private throwaway cluster.

- :func:`server_url`: ``SECTORKIT_TEST_DATABASE_URL`` if set (a role that may ``CREATE DATABASE``),
  else :func:`private_cluster` for as long as the ``with`` lasts.
- :func:`private_cluster`: ``initdb`` + ``pg_ctl`` from Debian's ``postgresql`` package in a new
  temporary folder, listening only on a Unix socket in that folder (no TCP port, so nothing clashes
  with another cluster on the machine), stopped and deleted at the end. As root the server runs as
  the ``postgres`` user (``runuser``), because PostgreSQL refuses to run as root.
- :func:`fresh_database`: a new empty database on that server (``CREATE DATABASE``), dropped at the end:
  one per test, so tests never see each other's regions.

PostgreSQL missing is an error naming the package to install (tests never skip for it).

Use: ``with private_cluster() as url, fresh_database(url) as db: os.environ["SECTORKIT_DATABASE_URL"] = db``.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

__all__ = ["INSTALL_HINT", "TEST_URL_VARIABLE", "find_bin", "fresh_database", "private_cluster", "server_url"]

#: a PostgreSQL server the tests may use instead of starting their own (needs CREATEDB)
TEST_URL_VARIABLE = "SECTORKIT_TEST_DATABASE_URL"
INSTALL_HINT = ("PostgreSQL is needed for the storage tests on the PostgreSQL backend: install it with "
                "`apt-get install -y postgresql` (Debian/Ubuntu; `make test` does this when run as root), "
                f"or set {TEST_URL_VARIABLE}=postgresql://user:password@host/db for a server you have "
                "(a role allowed to CREATE DATABASE).")
_PORT = 5432  # only names the socket file; the private cluster listens on no TCP port
_names = itertools.count(1)


def find_bin(installed: Path = Path("/usr/lib/postgresql")) -> Path:
    """The folder of ``initdb``/``pg_ctl`` (newest ``<installed>/<n>/bin``, else on PATH); RuntimeError
    with :data:`INSTALL_HINT` when there is none."""
    found = sorted(installed.glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
                   if p.parent.parent.name.isdigit() else 0)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise RuntimeError(INSTALL_HINT)


def _as_server_user(folder: Path) -> list[str]:
    """The command prefix that runs the server's programs: ``runuser -u postgres --`` as root, else nothing."""
    if os.geteuid() != 0:
        return []
    try:
        shutil.chown(folder, "postgres", "postgres")
    except LookupError as exc:  # no postgres user: the package is not installed properly
        raise RuntimeError(INSTALL_HINT) from exc
    return ["runuser", "-u", "postgres", "--"]


def _stop_abandoned(bindir: Path, base: Path) -> None:
    """Stop and delete private clusters whose test process died without stopping them (killed runs)."""
    for folder in base.glob("sk-pg-*"):
        try:
            owner = int((folder / "owner.pid").read_text())
            os.kill(owner, 0)
            stat = Path(f"/proc/{owner}/stat")
            if not (stat.exists() and stat.read_text().rsplit(")", 1)[-1].split()[0] == "Z"):
                continue  # its owner is alive (not a zombie nobody reaped yet)
        except ProcessLookupError:
            pass
        except (OSError, ValueError):
            continue  # not ours to judge (no owner file yet, or another user's)
        if (folder / "data" / "postmaster.pid").exists():
            subprocess.run([*(["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []),
                            str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "-w", "stop"],
                           capture_output=True, cwd=folder)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def private_cluster(*, durable: bool = False) -> Iterator[str]:
    """Start a throwaway PostgreSQL cluster; yield its superuser URL (``postgresql://postgres@/postgres?host=...``).

    ``durable=False`` (the tests) turns ``fsync`` off: a killed client process still loses only its
    open transaction, only a crash of the machine could lose more, and the throwaway data does not
    matter. ``durable=True`` (the benchmark) keeps PostgreSQL's defaults, so save latencies are real.
    Raises RuntimeError naming the package when PostgreSQL is not installed, or with the server's log
    when it does not start.
    """
    bindir = find_bin()
    as_root = os.geteuid() == 0
    base = Path("/tmp") if as_root and Path("/tmp").is_dir() else None  # a TMPDIR under /root is closed to postgres
    _stop_abandoned(bindir, base or Path(tempfile.gettempdir()))
    folder = Path(tempfile.mkdtemp(prefix="sk-pg-", dir=base))
    try:
        run = _as_server_user(folder)
        folder.chmod(0o700)
        (folder / "owner.pid").write_text(str(os.getpid()))
        data, log = folder / "data", folder / "server.log"
        init = subprocess.run([*run, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                               "-E", "UTF8", "--locale=C", "--no-sync"], capture_output=True, text=True, cwd=folder)
        if init.returncode != 0:
            raise RuntimeError(f"initdb failed: {init.stderr.strip()[-800:]}")
        options = f"-c listen_addresses='' -c unix_socket_directories={folder} -p {_PORT} -c max_connections=200"
        if not durable:
            options += " -c fsync=off -c full_page_writes=off"
        start = subprocess.run([*run, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
                                "-o", options, "start"], capture_output=True, text=True, cwd=folder)
        if start.returncode != 0:
            text = log.read_text(errors="replace")[-1500:] if log.exists() else start.stderr
            raise RuntimeError(f"PostgreSQL did not start: {text.strip()}")
        try:
            yield f"postgresql://postgres@/postgres?host={quote(str(folder), safe='/')}&port={_PORT}"
        finally:
            subprocess.run([*run, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, cwd=folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def server_url(*, durable: bool = False) -> Iterator[str]:
    """``SECTORKIT_TEST_DATABASE_URL`` when set, else a :func:`private_cluster`'s URL, for the ``with`` block."""
    given = os.environ.get(TEST_URL_VARIABLE, "").strip()
    if given:
        yield given
        return
    with private_cluster(durable=durable) as url:
        yield url


def _with_database(url: str, name: str) -> str:
    """``url`` naming database ``name`` instead (user, host and query parameters such as ``host=`` kept)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@contextmanager
def fresh_database(url: str, prefix: str = "sk_test") -> Iterator[str]:
    """Create an empty database on the server at ``url``; yield its connection string; drop it at the end."""
    import psycopg
    from psycopg import sql

    name = f"{prefix}_{os.getpid()}_{next(_names)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    try:
        yield _with_database(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
