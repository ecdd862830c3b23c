"""Idle memory of the demo server: the real worksheets vs thirty worksheets.

Starts the server the way ``make demo`` does (``sectorkit serve worksheets/`` from the repository
root, so the repository's ``voila.json`` applies: one preheated pool, for the generic page
``sheet.ipynb``), twice, one after the other:

* **real**: the repository's worksheets (``worksheets/``, ``data/``);
* **thirty**: throwaway specs generated into a temporary copy of the data folder
  (``SECTORKIT_DATA``; the example region's data linked in) until there are 30 worksheet pages,
  each with an old-style two-cell notebook beside the real ones, as the one-pool-per-notebook
  design would have had them.

Each time it waits until Voila says the pool is full and the server and its kernels are idle
(the preheated kernels have run the generic page's warm-up), then prints the number of
preheated kernels, the kernel processes, and the idle resident memory: the RSS of the server
plus every process under it (Linux ``/proc``). ``ratio`` = memory(thirty) / memory(real).

Goal: ratio <= 1.2 (with one pool per notebook it was about 30 / 9: 2 kernels of about 126 MB
per notebook).

Usage: python benchmarks/server_memory.py
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sectorkit.apps.registry import page_ids
from sectorkit.core.paths import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT))  # tests.support is not installed
from tests.support.procs import cpu_seconds, descendants  # noqa: E402
from tests.support.voila import voila_server, wait_for_pool  # noqa: E402

SERVE = [sys.executable, "-m", "sectorkit.cli", "serve"]
TOTAL = 30
STUB = """{{
 "cells": [
  {{"cell_type": "code", "execution_count": null, "id": "a0000001", "metadata": {{}}, "outputs": [],
   "source": ["from sectorkit.serve.pages import sheet_page"]}},
  {{"cell_type": "code", "execution_count": null, "id": "a0000002", "metadata": {{}}, "outputs": [],
   "source": ["sheet_page(\\"{page_id}\\")"]}}
 ],
 "metadata": {{"kernelspec": {{"display_name": "Python 3", "language": "python", "name": "python3"}},
              "language_info": {{"name": "python"}}}},
 "nbformat": 4, "nbformat_minor": 5
}}
"""


def rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def wait_until_idle(pid: int, window: float = 1.0, busy: float = 0.05, timeout: float = 120) -> None:
    """Wait until the server and its kernels use under ``busy`` CPU-seconds per ``window``."""
    deadline = time.monotonic() + timeout
    before = cpu_seconds(descendants(pid))
    while time.monotonic() < deadline:
        time.sleep(window)
        now = cpu_seconds(descendants(pid))
        if now - before < busy:
            return
        before = now


def is_kernel(pid: int) -> bool:
    try:
        return "ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False


def thirty_worksheets(tmp: Path) -> tuple[Path, Path, int]:
    """A data folder and a worksheets folder with throwaway specs (and old-style stubs) up to 30 pages."""
    data = tmp / "data"
    (data / "worksheets").mkdir(parents=True)
    for entry in (REPO_ROOT / "data").iterdir():
        if entry.name != "worksheets":
            (data / entry.name).symlink_to(entry)  # example region data, modules list, ...
    for spec in (REPO_ROOT / "data" / "worksheets").glob("*.yaml"):
        shutil.copy(spec, data / "worksheets" / spec.name)
    pages = tmp / "worksheets"
    shutil.copytree(REPO_ROOT / "worksheets", pages, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    template = (REPO_ROOT / "data" / "worksheets" / "ng_indicators.yaml").read_text()
    extra = TOTAL - len(page_ids())
    for i in range(1, extra + 1):
        spec_id = f"bench-sheet-{i:02d}"
        text = re.sub(r"^id: .*$", f"id: {spec_id}", template, count=1, flags=re.MULTILINE)
        text = re.sub(r"^title: .*$", f'title: "Throwaway worksheet {i}"', text, count=1, flags=re.MULTILINE)
        (data / "worksheets" / f"{spec_id.replace('-', '_')}.yaml").write_text(text)
        (pages / f"{spec_id.replace('-', '_')}.ipynb").write_text(STUB.format(page_id=spec_id))
    return data, pages, extra


def measure(folder: Path, env: dict[str, str]) -> dict:
    """Serve ``folder`` as ``make demo`` does; the idle numbers once the pool is full."""
    subprocess.run(SERVE[:-1] + ["init-example"], env={**os.environ, **env}, check=True, capture_output=True)
    with voila_server(folder, cwd=REPO_ROOT, env=env, command=SERVE, timeout=240) as server:
        wait_for_pool(server, "sheet.ipynb", time.monotonic() + 240)
        time.sleep(2)
        wait_until_idle(server.proc.pid)
        log = server.log.read_text()
        pools = {nb: int(n) for nb, n in re.findall(r"Kernel pool of (\S+) is filled with (\d+) kernel", log)}
        pids = descendants(server.proc.pid)
        kernels = [p for p in pids if is_kernel(p)]
        return {
            "notebooks": len(list(folder.glob("*.ipynb"))),
            "pools": pools,
            "preheated": sum(pools.values()),
            "kernels": len(kernels),
            "server_mb": rss_bytes(server.proc.pid) / 2**20,
            "kernel_mb": sum(rss_bytes(p) for p in kernels) / 2**20,
            "total_mb": sum(rss_bytes(p) for p in pids) / 2**20,
        }


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="sectorkit-memory-"))
    try:
        real = measure(REPO_ROOT / "worksheets", {"SECTORKIT_HOME": str(tmp / "home-real")})
        data, pages, extra = thirty_worksheets(tmp)
        thirty = measure(pages, {"SECTORKIT_HOME": str(tmp / "home-30"), "SECTORKIT_DATA": str(data)})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; server: sectorkit serve (make demo)")
    for name, r, pages_n in (("real", real, len(page_ids())), ("thirty", thirty, TOTAL)):
        print(f"\n{name}: {pages_n} worksheet pages, {r['notebooks']} notebooks in the served folder")
        print(f"  preheated kernels: {r['preheated']} ({', '.join(f'{k}: {v}' for k, v in r['pools'].items())}); "
              f"kernel processes: {r['kernels']}")
        print(f"  idle RSS: {r['total_mb']:.0f} MB  (server {r['server_mb']:.0f} MB, kernels {r['kernel_mb']:.0f} MB)")
        print(f"  one pool of 2 per notebook would have preheated {2 * (r['notebooks'] - 1)} kernels")
    ratio = thirty["total_mb"] / real["total_mb"]
    print(f"\n({extra} throwaway specs generated for the thirty case)")
    print(f"ratio memory(thirty)/memory(real): {ratio:.2f}  (goal <= 1.2: {'met' if ratio <= 1.2 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
