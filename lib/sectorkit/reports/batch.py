"""Many regions at once: a pool of warm workers (or a Dask cluster), then an index page.

:func:`render_all` builds each region on a spawn process pool whose workers
have imported papermill and nbconvert and started a kernel zygote
(:mod:`sectorkit.reports._kernels`), or on a Dask cluster; this process writes
each result as it arrives, prints every PDF in one Chromium session and writes
``index.html`` (:func:`write_index`). A region that fails is reported in the
:class:`BatchResult` and never replaces a good report already in the folder.

>>> BatchResult(Path("out")).ok
True
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sectorkit.core.errors import SectorkitError
from sectorkit.reports._kernels import start_zygote
from sectorkit.reports.common import FORMATS, KERNEL, atomic_write, esc, one_line
from sectorkit.reports.notebook import REPORT_CSS, _exporter
from sectorkit.reports.pdf import PdfPrinter
from sectorkit.reports.render import _check_formats, build_region_html, write_report
from sectorkit.store.workspace import validate_region_id


@dataclass
class BatchResult:
    """What a batch produced: files per region, failures per region, the index page."""

    out_dir: Path
    written: dict[str, list[Path]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    index: Path | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def _pool_init(zygote: bool = True) -> None:
    # Warm the worker: the heavy imports, the exporter's templates and the kernel fork server.
    import papermill  # noqa: F401

    _exporter()
    if zygote and os.environ.get("SECTORKIT_REPORT_ZYGOTE", "1") != "0":
        start_zygote()


def _make_pool(workers: int) -> ProcessPoolExecutor:
    import multiprocessing as mp

    return ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"), initializer=_pool_init)


def render_all(regions: Sequence[str], out_dir: str | os.PathLike, home: str | os.PathLike | None = None, *,
               formats: Sequence[str] = FORMATS, start_year: int = 2020, end_year: int = 2023,
               workers: int | None = None, scheduler: str | Any | None = None, progress: bool = False,
               kernel: str = KERNEL) -> BatchResult:
    """Render many regions; one failure never stops the others.

    Each region runs in its own fresh kernel on a local process pool of warm
    workers (``workers``, default the CPU count), or, with ``scheduler`` (an
    address like ``tcp://host:8786`` or a ``distributed.Client``), on a Dask
    cluster (the workers must see the workspace folder). Results come back to
    this process, which writes each region's files atomically, prints the PDFs
    in one Chromium session and writes ``index.html``.
    """
    from tqdm import tqdm

    t0 = time.perf_counter()
    formats = _check_formats(formats)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    batch = BatchResult(out.resolve())
    valid: list[str] = []
    for r in dict.fromkeys(regions):
        try:
            valid.append(validate_region_id(r))
        except SectorkitError as exc:
            batch.failed[str(r)] = str(exc)
    home_s = None if home in (None, "") else str(Path(home).expanduser().resolve())
    args = dict(home=home_s, start_year=start_year, end_year=end_year, kernel=kernel)
    bar = tqdm(total=len(valid), desc="reports", unit="region", disable=not progress, leave=False)
    printer = PdfPrinter() if "pdf" in formats else None

    def collect(region: str, get) -> None:
        try:
            result = get()
            batch.written[region] = write_report(result, out, formats, printer)
        except SectorkitError as exc:
            batch.failed[region] = str(exc)
        except Exception as exc:  # noqa: BLE001 - any other failure is still this region's alone
            batch.failed[region] = one_line(exc)
        bar.update(1)

    try:
        if not valid:
            pass
        elif scheduler is not None:
            from distributed import Client
            from distributed import as_completed as dask_completed

            client = scheduler if isinstance(scheduler, Client) else Client(scheduler, timeout=30)
            try:
                futures = client.map(build_region_html, valid, pure=False, **args)
                names = {f.key: r for f, r in zip(futures, valid)}
                for fut in dask_completed(futures):
                    collect(names[fut.key], fut.result)
            finally:
                if client is not scheduler:
                    client.close()
        else:
            n = max(1, min(workers or os.cpu_count() or 1, len(valid)))
            with _make_pool(n) as pool:
                futures: dict[Future, str] = {pool.submit(build_region_html, r, **args): r for r in valid}
                for fut in as_completed(futures):
                    collect(futures[fut], fut.result)
    finally:
        bar.close()
        if printer is not None:
            printer.__exit__(None, None, None)
    batch.index = write_index(out, batch, formats)
    batch.seconds = time.perf_counter() - t0
    return batch


def write_index(out_dir: Path, batch: BatchResult, formats: Sequence[str] = FORMATS) -> Path:
    """``index.html``: a link to every region's report (relative, escaped) and the failures."""
    out_dir = Path(out_dir)
    reports = sorted(p.stem for p in out_dir.glob("*.html") if p.name != "index.html" and not p.name.startswith("."))
    rows = []
    for region in reports:
        links = [f'<a href="{esc(region)}.html">HTML</a>']
        if (out_dir / f"{region}.pdf").exists():
            links.append(f'<a href="{esc(region)}.pdf">PDF</a>')
        state = "Failed this run: an earlier report is shown" if region in batch.failed else (
            "Updated this run" if region in batch.written else "From an earlier run")
        rows.append(f"<tr><th scope='row'>{esc(region)}</th><td>{' · '.join(links)}</td><td>{esc(state)}</td></tr>")
    fails = "".join(f"<li><strong>{esc(r)}</strong>: {esc(msg)}</li>" for r, msg in sorted(batch.failed.items()))
    today = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Sector partnership reports</title>"
        + REPORT_CSS + "</head><body><main><h1>Sector partnership reports</h1>"
        f"<p>{len(batch.written)} report(s) written, {len(batch.failed)} failed. Generated {esc(today)}.</p>"
        "<section class='sk-section' aria-labelledby='reports-h'><h2 id='reports-h'>Reports</h2>"
        + ("<table><caption>One report per region</caption><thead><tr><th scope='col'>Region</th>"
           "<th scope='col'>Report</th><th scope='col'>This run</th></tr></thead><tbody>" + "".join(rows)
           + "</tbody></table>" if rows else "<p>No reports yet.</p>")
        + "</section><section class='sk-section' aria-labelledby='failures-h'><h2 id='failures-h'>Failures</h2>"
        + (f"<ul class='sk-list'>{fails}</ul>" if fails else "<p>None: every region's report was produced.</p>")
        + "</section></main></body></html>")
    target = out_dir / "index.html"
    atomic_write(target, page)
    return target
