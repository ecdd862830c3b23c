"""Parsed QCEW folders, cached by content: in this process, and on disk for the user.

Reading a folder of BLS files (:func:`sectorkit.lmi.qcew.read_area_files`) parses every file; a team
that changes weights, years or counties should not wait for that again. :func:`read_folder` returns
the same tidy frame, from one of two layers:

- **memory**: the last :data:`MEMORY_ENTRIES` folders read in this process (a Voila kernel), at most
  :data:`MEMORY_ROWS` rows in all;
- **disk**: one file per folder content in the user's cache folder (:func:`default_dir`:
  ``$SECTORKIT_HOME/.cache/lmi/parsed``, or ``SECTORKIT_LMI_CACHE``; ``SECTORKIT_LMI_CACHE=off``
  turns the disk layer off), read by a new kernel or after a server restart.

Both layers use one **key**: a hash of the cache format, the reader's own source code (a new
sectorkit version never reads an old entry), the folder (resolved, so two regions' folders never
share an entry, even with the same file names or the same bytes), the areas asked for, and each data
file's name and a hash of its bytes (SHA-256). A file's hash is kept while its size, modification
and change times, inode and device stay the same; a file changed less than :data:`RACY_SECONDS`
before it was hashed is hashed again (a rewrite within one tick of the file system's clock, with
its modification time put back, is still seen), so a changed file always gives a new key.

Disk entries are NumPy ``.npz`` archives (a zip of ``.npy`` arrays; no pickled objects): each
column as an array (text columns as codes and their distinct values) and a JSON description
(the key, folder, files, columns, dtypes and the frame's ``attrs``). Not Parquet: pyarrow would add
about 40 MB to every kernel (pandas imports it when it is installed) and switch pandas' default
string storage for all of sectorkit, for an entry NumPy reads as fast (a few ms for 70,000 rows).

An entry is written on a background thread, :data:`WRITE_DELAY` after the parse (the caller shows
its screen first; :func:`flush` writes at once, and is called when Python exits), to a temporary
file renamed into place (never seen half-written). An entry that cannot be read, or whose
description does not match its key, folder and files, is deleted and the folder parsed again. The
folder is kept under :data:`DISK_BYTES` (least recently used entries go first). Caching never makes
a read fail: a cache folder that cannot be written only costs the speed.

Frames are shared, not copied: callers must not change the frame they get in place.

Examples
--------
>>> import tempfile
>>> from sectorkit.lmi import qcew
>>> where = Path(tempfile.mkdtemp())
>>> clear_memory()
>>> data, origin = load(qcew.example_region_path(), cache_dir=where)
>>> origin, sorted(data["year"].unique().tolist())
('read', [2020, 2021, 2022, 2023])
>>> load(qcew.example_region_path(), cache_dir=where)[1]
'memory'
>>> clear_memory()
>>> again, origin = load(qcew.example_region_path(), cache_dir=where)
>>> origin, again.equals(data), again.attrs == data.attrs
('disk', True, True)
"""

from __future__ import annotations

import atexit
import hashlib
import io
import json
import logging
import os
import queue
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from sectorkit.core import csvio
from sectorkit.lmi import archives, areas, checks, layouts, qcew, template, titles
from sectorkit.lmi.archives import is_data_name
from sectorkit.store.workspace import default_root

__all__ = ["DISK_BYTES", "FORMAT", "MEMORY_ENTRIES", "MEMORY_ROWS", "RACY_SECONDS", "clear_memory", "default_dir",
           "entry_path", "flush", "folder_key", "load", "read_folder"]

log = logging.getLogger(__name__)

#: the format written in every entry; entries of another format are never read
FORMAT = "sectorkit-lmi-cache/1"
#: folders kept in memory per process, and the most rows they may hold together (the newest is always kept)
MEMORY_ENTRIES = 4
MEMORY_ROWS = 3_000_000
#: the most bytes of entries kept on disk (least recently used ones are deleted first)
DISK_BYTES = 1 << 30
#: a file changed this recently before it was hashed is hashed again on the next read
RACY_SECONDS = 2.0
_HASHES_KEPT = 8192
#: seconds between a parse and the start of its entry's write (:func:`flush` writes at once)
WRITE_DELAY = 1.0
HASH_THREADS_ABOVE = 16 * 2**20

_lock = threading.Lock()
_memory: OrderedDict[str, pd.DataFrame] = OrderedDict()
#: (path, device, inode, size, mtime_ns, ctime_ns) -> (hash of the bytes, when it was hashed)
_hashes: dict[tuple, tuple[str, float]] = {}
_reader_version: list[str] = []
#: entries waiting to be written by the background thread, and the event that makes it start at once
_queue: queue.Queue = queue.Queue()
_hurry = threading.Event()
_worker: list[threading.Thread] = []


# --------------------------------------------------------------------------- keys
def _reader() -> str:
    """A hash of the code that parses files (and the library versions): a new reader, new keys."""
    if not _reader_version:
        h = hashlib.blake2b(digest_size=12)
        for mod in (qcew, layouts, checks, areas, archives, template, titles, csvio, sys.modules[__name__]):
            h.update(Path(mod.__file__).read_bytes())
        h.update(f"{pd.__version__} {np.__version__}".encode())
        _reader_version.append(h.hexdigest())
    return _reader_version[0]


def _data_files(path: Path) -> list[Path]:
    """The files :func:`~sectorkit.lmi.qcew.read_area_files` reads for ``path`` (a folder or a file)."""
    if path.is_dir():
        return sorted(f for f in path.iterdir() if f.is_file() and is_data_name(f.name))
    return [path]


def _stat(path: Path) -> tuple:
    st = path.stat()
    return (str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _file_hash(path: Path, sig: tuple) -> str:
    """SHA-256 of the file's bytes; known while its :func:`_stat` stays the same (but see RACY_SECONDS)."""
    known = _hashes.get(sig)
    if known is not None and known[1] - max(sig[4], sig[5]) / 1e9 > RACY_SECONDS:
        return known[0]
    hashed_at = time.time()
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
    if len(_hashes) >= _HASHES_KEPT:
        _hashes.clear()
    _hashes[sig] = (h.hexdigest(), hashed_at)
    return h.hexdigest()


def _describe(folder: str | os.PathLike, wanted: Iterable[str] | None) -> tuple[dict, list[tuple]]:
    """What the key is made of, and the files' :func:`_stat` (to see a file change during a read)."""
    path = Path(folder).resolve()
    files = _data_files(path)
    sigs = [_stat(f) for f in files]
    if sum(sig[3] for sig in sigs) > HASH_THREADS_ABOVE:  # hashlib lets go of the GIL: two threads
        with ThreadPoolExecutor(max_workers=2) as pool:
            hashes = list(pool.map(_file_hash, files, sigs))
    else:
        hashes = [_file_hash(f, sig) for f, sig in zip(files, sigs)]
    return {"format": FORMAT, "reader": _reader(), "folder": str(path),
            "areas": None if wanted is None else sorted({str(a) for a in wanted}),
            "files": [[f.name, h] for f, h in zip(files, hashes)]}, sigs


def _key_of(desc: dict) -> str:
    return hashlib.blake2b(json.dumps(desc, sort_keys=True).encode(), digest_size=20).hexdigest()


def folder_key(folder: str | os.PathLike, areas: Iterable[str] | None = None) -> str:
    """The cache key of a folder (or file) of QCEW files: 40 hex digits.

    It changes when a data file is added, removed, renamed or changed (its bytes), and differs for
    two folders even when they hold the same files. Raises :class:`OSError` for an unreadable file.

    >>> from sectorkit.lmi import qcew
    >>> k = folder_key(qcew.example_region_path())
    >>> len(k), k == folder_key(qcew.example_region_path()), k == folder_key(qcew.example_region_path(), ["99001"])
    (40, True, False)
    """
    return _key_of(_describe(folder, areas)[0])


# --------------------------------------------------------------------------- where
def default_dir(root: str | os.PathLike | None = None) -> Path | None:
    """The disk cache's folder: ``SECTORKIT_LMI_CACHE``, else ``<root>/.cache/lmi/parsed``.

    ``root`` is the workspace root (default ``SECTORKIT_HOME``, else ``~/.sectorkit``). Returns
    None when ``SECTORKIT_LMI_CACHE`` is ``off`` (memory only). The folder is created when an entry
    is first written.

    >>> default_dir("/srv/sectorkit").as_posix() if not os.environ.get("SECTORKIT_LMI_CACHE") else ""
    '/srv/sectorkit/.cache/lmi/parsed'
    """
    env = os.environ.get("SECTORKIT_LMI_CACHE", "").strip()
    if env.lower() in ("off", "0", "no", "false"):
        return None
    if env:
        return Path(env).expanduser()
    base = Path(root).expanduser() if root is not None else default_root()
    return base / ".cache" / "lmi" / "parsed"


def entry_path(key: str, cache_dir: str | os.PathLike) -> Path:
    """The file of a key's disk entry (it may not exist).

    >>> entry_path("ab" * 20, "/tmp/c").name
    'abababababababababababababababababababab.npz'
    """
    return Path(cache_dir) / f"{key}.npz"


# --------------------------------------------------------------------------- disk entries
def _small_int(a: np.ndarray) -> np.ndarray:
    if len(a) == 0:
        return a
    lo, hi = int(a.min()), int(a.max())
    for t in (np.int8, np.int16, np.int32):
        if np.iinfo(t).min <= lo and hi <= np.iinfo(t).max:
            return a.astype(t)
    return a


def _encode(df: pd.DataFrame) -> tuple[dict[str, np.ndarray], list[dict]] | None:
    """The frame's columns as arrays, and how to rebuild each; None if a column cannot be stored."""
    arrays: dict[str, np.ndarray] = {}
    cols: list[dict] = []
    for i, name in enumerate(df.columns):
        s = df[name]
        d = {"name": str(name), "dtype": str(s.dtype)}
        if isinstance(s.dtype, pd.CategoricalDtype):
            cats = s.cat.categories
            if not all(isinstance(c, str) for c in cats):
                return None
            d.update(kind="category", ordered=bool(s.cat.ordered))
            arrays[f"c{i}"] = _small_int(s.cat.codes.to_numpy())
            arrays[f"c{i}u"] = np.asarray(list(cats), dtype=str) if len(cats) else np.zeros(0, "U1")
        elif s.dtype == object or isinstance(s.dtype, pd.StringDtype):
            codes, uniq = pd.factorize(s.to_numpy(dtype=object), use_na_sentinel=True)
            if (codes < 0).any() and s.dtype == object:
                return None  # None and NaN would not come back apart
            if not all(isinstance(u, str) for u in uniq):
                return None
            d.update(kind="text")
            arrays[f"c{i}"] = _small_int(codes)
            arrays[f"c{i}u"] = np.asarray(list(uniq), dtype=str) if len(uniq) else np.zeros(0, "U1")
        elif isinstance(s.dtype, np.dtype) and s.dtype.kind in "biuf":
            d.update(kind="number")
            arrays[f"c{i}"] = _small_int(s.to_numpy()) if s.dtype.kind in "iu" else s.to_numpy()
        else:
            return None
        cols.append(d)
    return arrays, cols


def _decode(z, meta: dict) -> pd.DataFrame:
    n = int(meta["rows"])
    data = {}
    for i, c in enumerate(meta["columns"]):
        a = z[f"c{i}"]
        if len(a) != n:
            raise ValueError(f"column {c['name']} has {len(a)} rows, not {n}")
        if c["kind"] == "number":
            data[c["name"]] = a.astype(c["dtype"], copy=False)
        elif c["kind"] == "category":
            cats = z[f"c{i}u"].astype(object)
            if len(a) and (a.max() >= len(cats) or a.min() < -1):
                raise ValueError(f"column {c['name']} has codes out of range")
            data[c["name"]] = pd.Categorical.from_codes(a, categories=cats, ordered=c["ordered"])
        else:
            uniq = z[f"c{i}u"].astype(object)
            if len(a) and (a.max() >= len(uniq) or a.min() < -1):
                raise ValueError(f"column {c['name']} has codes out of range")
            dtype = pd.api.types.pandas_dtype(c["dtype"])
            if isinstance(dtype, pd.StringDtype):  # the distinct values made text once, then taken: 5x faster
                data[c["name"]] = pd.array(uniq, dtype=dtype).take(a.astype("intp"), allow_fill=True)
                continue
            values = np.append(uniq, np.nan)[a] if (a < 0).any() else uniq[a]
            data[c["name"]] = pd.array(values, dtype=dtype)
    df = pd.DataFrame(data)
    df.attrs = meta["attrs"]
    return df


def _read_entry(path: Path, key: str, desc: dict) -> pd.DataFrame | None:
    """The entry's frame, None if there is none; a broken or mismatched entry is deleted."""
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(z["meta"].tobytes().decode("utf-8"))
            if meta.get("key") != key or meta.get("describe") != desc:
                raise ValueError("the entry is for another folder or content")
            df = _decode(z, meta)
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - whatever is wrong with an entry, it is rebuilt
        log.warning("LMI cache: ignoring the broken entry %s (%s: %s)", path.name, type(exc).__name__, exc)
        _unlink(path)
        return None
    try:
        os.utime(path)  # recently used: the last to be pruned
    except OSError:
        pass
    return df


def _write_entry(path: Path, key: str, desc: dict, df: pd.DataFrame) -> bool:
    """Write an entry atomically (temporary file, then rename); False when it cannot be stored.

    Never raises: a cache that cannot be written only costs speed (the reason is logged).
    """
    try:
        return _write(path, key, desc, df)
    except Exception:  # noqa: BLE001 - on a background thread: log, never break a read
        log.exception("LMI cache: could not write %s", path)
        return False


def _write(path: Path, key: str, desc: dict, df: pd.DataFrame) -> bool:
    enc = _encode(df)
    if enc is None:
        return False
    arrays, cols = enc
    meta = {"format": FORMAT, "key": key, "describe": desc, "rows": len(df), "columns": cols, "attrs": df.attrs}
    try:
        text = json.dumps(meta)
    except (TypeError, ValueError):
        return False  # attrs that JSON cannot hold: memory only
    if json.loads(text)["attrs"] != df.attrs:
        return False  # attrs JSON would not give back as they are (tuples, number keys): memory only
    arrays["meta"] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    buf = None
    if sum(a.nbytes for a in arrays.values()) < 32 * 2**20:  # in memory, then one write (4x faster)
        buf = io.BytesIO()
        np.savez(buf, **arrays)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            if buf is not None:
                f.write(buf.getbuffer())
            else:
                np.savez(f, **arrays)
        del buf
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("LMI cache: cannot write %s (%s)", path, exc)
        if tmp is not None:
            _unlink(Path(tmp))
        return False
    _prune(path.parent, keep=path)
    return True


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _prune(folder: Path, keep: Path) -> None:
    """Delete the least recently used entries past :data:`DISK_BYTES`, and day-old temporary files."""
    try:
        entries = [(e.stat().st_mtime, e.stat().st_size, e) for e in folder.glob("*.npz") if e != keep]
        total = sum(s for _, s, _ in entries) + keep.stat().st_size
        for t in folder.glob(".*.tmp"):  # left by a process that was killed while writing
            if time.time() - t.stat().st_mtime > 86400:
                _unlink(t)
    except OSError:
        return
    for _, size, e in sorted(entries, key=lambda t: t[0]):
        if total <= DISK_BYTES:
            break
        _unlink(e)
        total -= size


# --------------------------------------------------------------------------- reading
def flush() -> None:
    """Write the entries waiting for the background thread now, and wait until they are written
    (also called when Python exits).

    >>> flush()
    """
    if not (_worker and _worker[0].is_alive()):
        return
    _hurry.set()
    try:
        _queue.join()
    finally:
        _hurry.clear()


def _forget_writes() -> None:
    """In a forked child: the parent's writer thread is not there; its queue is the parent's business."""
    global _queue
    _queue = queue.Queue()
    _worker.clear()


os.register_at_fork(after_in_child=_forget_writes)


def _write_worker() -> None:
    while True:
        job = _queue.get()
        try:
            _hurry.wait(WRITE_DELAY)  # the kernel first shows the screen, then writes
            _write_entry(*job)
        finally:
            _queue.task_done()


def _write_later(path: Path, key: str, desc: dict, df: pd.DataFrame) -> None:
    """Write the entry on a background thread, :data:`WRITE_DELAY` seconds from now: the caller
    builds and shows its screen meanwhile without sharing the interpreter with the write."""
    with _lock:
        if not _worker:
            _worker.append(threading.Thread(target=_write_worker, name="lmi-cache-writer", daemon=True))
            _worker[0].start()
            atexit.register(flush)
    _queue.put((path, key, desc, df))


def clear_memory() -> None:
    """Forget the folders kept in this process, once the pending disk writes are done (the disk
    entries stay).

    >>> clear_memory()
    """
    flush()
    with _lock:
        _memory.clear()
        _hashes.clear()


def load(folder: str | os.PathLike, *, areas: Iterable[str] | None = None,
         cache_dir: str | os.PathLike | None | bool = None) -> tuple[pd.DataFrame, str]:
    """The tidy frame of a folder (or file) of QCEW files, and where it came from.

    Parameters
    ----------
    folder : str or Path
        A folder of BLS files, or one file (a zip archive ...), as for
        :func:`sectorkit.lmi.qcew.read_area_files`.
    areas : iterable of str, optional
        Passed to :func:`~sectorkit.lmi.qcew.read_area_files` (part of the key).
    cache_dir : path, None or False
        The disk cache's folder; None: :func:`default_dir`; False: memory only.

    Returns
    -------
    (pandas.DataFrame, str)
        The frame :func:`~sectorkit.lmi.qcew.read_area_files` returns (with the same ``attrs``),
        shared with other callers (do not change it in place), and ``"memory"``, ``"disk"`` or
        ``"read"`` (parsed now).

    Raises
    ------
    DataError
        What :func:`~sectorkit.lmi.qcew.read_area_files` raises (nothing is cached then).
    """
    wanted = None if areas is None else list(areas)
    try:
        desc, sigs = _describe(folder, wanted)
    except OSError:  # a missing folder or file: let the reader say so, in its words
        return qcew.read_area_files(folder, areas=wanted), "read"
    key = _key_of(desc)
    with _lock:
        df = _memory.get(key)
        if df is not None:
            _memory.move_to_end(key)
            return df, "memory"
    where = default_dir() if cache_dir is None else (Path(cache_dir) if cache_dir is not False else None)
    origin = "disk"
    df = _read_entry(entry_path(key, where), key, desc) if where is not None else None
    if df is None:
        df, origin = qcew.read_area_files(folder, areas=wanted), "read"
        try:
            same = [_stat(f) for f in _data_files(Path(desc["folder"]))] == sigs
        except OSError:
            same = False
        if not same:  # a file changed while it was read: serve what was read, keep nothing
            return df, origin
        if where is not None and desc["files"]:
            _write_later(entry_path(key, where), key, desc, df)
    with _lock:
        _memory[key] = df
        while len(_memory) > MEMORY_ENTRIES or (len(_memory) > 1 and sum(map(len, _memory.values())) > MEMORY_ROWS):
            _memory.popitem(last=False)
    return df, origin


def read_folder(folder: str | os.PathLike, *, areas: Iterable[str] | None = None,
                cache_dir: str | os.PathLike | None | bool = None) -> pd.DataFrame:
    """:func:`sectorkit.lmi.qcew.read_area_files` of a folder, cached by content (see :func:`load`).

    >>> from sectorkit.lmi import qcew
    >>> d = read_folder(qcew.example_region_path(), cache_dir=False)
    >>> d is read_folder(qcew.example_region_path(), cache_dir=False), len(d) == len(qcew.read_area_files(
    ...     qcew.example_region_path()))
    (True, True)
    """
    return load(folder, areas=areas, cache_dir=cache_dir)[0]
