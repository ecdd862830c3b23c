"""Finding and loading spec files: ``data/worksheets/*.yaml`` by id, cached until a file changes.

A spec folder holds one spec per ``.yaml``/``.yml``/``.json`` file; files whose
name starts with ``_`` (such as ``_scales.yaml``, the shared scales) are not
specs and are never listed. A parsed spec is cached until its file, the
folder's ``_scales.yaml`` or ``modules.yaml`` changes.

>>> "step2-aar" in available_specs()
True
>>> load_spec("step2-aar").module
'step-2'
>>> load_spec("no-such-spec")
Traceback (most recent call last):
...
sectorkit.core.errors.SpecError: No worksheet spec with id 'no-such-spec'. Known specs: ...
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from sectorkit.core.errors import SpecError
from sectorkit.core.paths import data_dir
from sectorkit.specs.library import (
    library_stamp,
    modules,
    read_data_file,
    shared_scales,
)
from sectorkit.specs.models import WorksheetSpec, parse_spec

__all__ = ["available_specs", "load_spec", "load_spec_file", "spec_dir"]

_SUFFIXES = (".yaml", ".yml", ".json")


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def load_spec_file(path: str | os.PathLike) -> WorksheetSpec:
    """Read and validate one spec file (``.yaml``, ``.yml`` or ``.json``).

    Shared scales come from the ``_scales.yaml`` beside the file (else the shipped one).

    Raises
    ------
    SpecError
        If the file is missing, not YAML/JSON, or not a valid spec; the message lists every problem.
    """
    path = Path(path)
    return _load_spec_file(str(path), _mtime(path), library_stamp(path.parent))


@lru_cache(maxsize=256)
def _load_spec_file(name: str, mtime: int | None, stamp: tuple) -> WorksheetSpec:
    path = Path(name)
    data = read_data_file(path)
    return parse_spec(data, source=path.name, scales=shared_scales(path.parent), modules=modules())


def spec_dir() -> Path:
    """The folder of shipped specs: ``data/worksheets`` (``SECTORKIT_DATA`` moves it)."""
    return data_dir() / "worksheets"


def _spec_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in _SUFFIXES and not p.name.startswith(("_", ".")))


@lru_cache(maxsize=64)
def _index(folder: str, mtime: int | None) -> dict[str, Path]:
    index: dict[str, Path] = {}
    root = Path(folder)
    if not root.is_dir():
        return index
    for path in _spec_files(root):
        try:
            data = read_data_file(path)
        except SpecError:
            continue  # an unreadable file is reported when it is loaded by path
        spec_id = data.get("id") if isinstance(data, dict) else None
        if isinstance(spec_id, str):
            index[spec_id] = path
    return index


def _folder_index(folder: str | os.PathLike | None) -> dict[str, Path]:
    root = Path(folder or spec_dir())
    return _index(str(root), _mtime(root))


def available_specs(folder: str | os.PathLike | None = None) -> list[str]:
    """Ids of the specs in ``data/worksheets`` (or ``folder``), sorted; ``_`` files are skipped."""
    return sorted(_folder_index(folder))


def load_spec(spec_id: str, folder: str | os.PathLike | None = None) -> WorksheetSpec:
    """Load the spec with this id from ``data/worksheets`` (or ``folder``).

    Raises
    ------
    SpecError
        If no spec has that id (the message lists the known ids) or the spec is invalid.
    """
    index = _folder_index(folder)
    if spec_id not in index:
        known = ", ".join(sorted(index)) or "none"
        raise SpecError(f"No worksheet spec with id '{spec_id}'. Known specs: {known}.")
    return load_spec_file(index[spec_id])
