"""A server's processes, read from ``/proc``: its descendants and how many page kernels it runs.

A kernel is counted by its launcher: the process whose command line holds ``ipykernel_launcher``
(a plain kernel, or the zygote's small client that stands in for a forked one,
:mod:`sectorkit.reports._zygote`), so a forked kernel and its watcher are not counted twice.
Same counting as ``benchmarks/voila_load.py``. Linux only.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

__all__ = ["cpu_seconds", "descendants", "kernel_count", "wait_for_kernels"]


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (children of all its threads), parents first."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(k) for k in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def cpu_seconds(pids: list[int]) -> float:
    """CPU seconds (user + system) the processes ``pids`` have used so far; gone ones count 0."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            continue
    return total


def kernel_count(pid: int) -> int:
    """The number of kernels running below the server process ``pid``."""
    count = 0
    for p in descendants(pid):
        try:
            if b"ipykernel_launcher" in Path(f"/proc/{p}/cmdline").read_bytes():
                count += 1
        except OSError:
            continue
    return count


def wait_for_kernels(pid: int, expected: int, timeout: float, steady: float = 0.0) -> float:
    """Wait until ``kernel_count(pid) == expected`` (for ``steady`` seconds in a row); return the
    seconds waited. Raises AssertionError with the last count after ``timeout`` seconds."""
    start = time.monotonic()
    since = None
    while True:
        now = time.monotonic()
        count = kernel_count(pid)
        if count == expected:
            since = now if since is None else since
            if now - since >= steady:
                return since - start
        else:
            since = None
        if now - start > timeout:
            raise AssertionError(f"{count} kernels after {timeout:.0f} s, expected {expected}")
        time.sleep(0.25)
