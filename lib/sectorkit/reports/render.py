"""Building one region's report (papermill, a fresh kernel) and writing it (HTML, PDF) atomically.

:func:`build_region_html` runs the template for one region in a temporary
folder with a **fresh kernel** (papermill starts one per run and shuts it down),
so no region can see another's state, and converts it to HTML without code; it
runs anywhere (a pool worker, a Dask worker). :func:`write_report` stages every
requested format as a temporary file in the output folder and renames them
into place only when all are good; :func:`render_region` does both.

>>> _check_formats(["pdf"])
('html', 'pdf')
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from sectorkit.reports._kernels import _ipc_kernel_manager
from sectorkit.reports.common import FORMATS, KERNEL, ReportError, one_line, umask
from sectorkit.reports.notebook import _parameterize, notebook_to_html
from sectorkit.reports.pdf import PdfPrinter, chromium_pdf
from sectorkit.store.workspace import validate_region_id


def build_region_html(region: str, home: str | os.PathLike | None = None, start_year: int = 2020,
                      end_year: int = 2023, kernel: str = KERNEL) -> dict:
    """Execute the template for one region with a fresh kernel; return ``{"region", "html", "seconds"}``.

    Runs anywhere (a pool worker, a Dask worker); writes only to its own
    temporary folder. Raises :class:`ReportError` with a one-line reason.
    """
    import papermill as pm

    t0 = time.perf_counter()
    region = validate_region_id(region)
    home_s = "" if home in (None, "") else str(Path(home).expanduser().resolve())
    if home_s and not Path(home_s).is_dir():
        raise ReportError(f"The workspace folder {home_s} does not exist.")
    nb = _parameterize(region, home_s, start_year, end_year)
    with tempfile.TemporaryDirectory(prefix="sk-report-") as tmp:
        out = Path(tmp) / "report.ipynb"
        for attempt in range(2):
            try:
                executed = pm.execute_notebook(nb, str(out), cwd=tmp, kernel_name=kernel, progress_bar=False,
                                               log_output=False, request_save_on_cell_execute=False,
                                               # the outputs are in: stop the kernel at once (0.2 s a region)
                                               shutdown_kernel="immediate",
                                               kernel_manager_class=_ipc_kernel_manager(Path(tmp) / "kernel"))
                break
            except pm.PapermillExecutionError as exc:
                raise ReportError(one_line(exc)) from None
            except RuntimeError as exc:  # a kernel that died while starting (e.g. a port clash): once more
                if attempt or "kernel" not in str(exc).lower():
                    raise ReportError(one_line(exc)) from None
    body = notebook_to_html(executed, region)
    return {"region": region, "html": body, "seconds": time.perf_counter() - t0}


def _inside(out_dir: Path, region: str, suffix: str) -> Path:
    target = (out_dir / f"{region}.{suffix}").resolve()
    if target.parent != out_dir.resolve():
        raise ReportError(f"Refusing to write outside the output folder: {target}.")
    return target


def write_report(result: dict, out_dir: Path, formats: Sequence[str] = FORMATS, printer: PdfPrinter | None = None
                 ) -> list[Path]:
    """Write one built report into ``out_dir``: every format to a temporary file first, then renamed.

    Either every requested file is replaced or none is, so a good earlier report
    is never left half-overwritten.
    """
    region = validate_region_id(result["region"])
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = {fmt: _inside(out_dir, region, fmt) for fmt in formats}
    staged: dict[str, Path] = {}
    try:
        fd, name = tempfile.mkstemp(prefix=f".{region}.", suffix=".html.part", dir=out_dir)
        staged["html"] = html_tmp = Path(name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(result["html"].encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        if "pdf" in formats:
            fd, name = tempfile.mkstemp(prefix=f".{region}.", suffix=".pdf.part", dir=out_dir)
            os.close(fd)
            staged["pdf"] = pdf_tmp = Path(name)
            # print from a temporary .html copy (Chromium decides the type by the file's suffix)
            with tempfile.TemporaryDirectory(prefix="sk-print-") as tmp:
                src = Path(tmp) / f"{region}.html"
                shutil.copyfile(html_tmp, src)
                try:
                    if printer is not None:
                        printer.print(src, pdf_tmp)
                    else:
                        chromium_pdf(src, pdf_tmp)
                except ReportError:
                    raise
                except Exception as exc:  # noqa: BLE001 - a browser failure becomes this region's failure
                    raise ReportError(f"The PDF could not be printed: {one_line(exc)}") from None
            if pdf_tmp.stat().st_size == 0 or not pdf_tmp.read_bytes()[:5] == b"%PDF-":
                raise ReportError("The PDF printer produced an empty file.")
        mode = 0o666 & ~umask()
        for fmt in formats:
            os.chmod(staged[fmt], mode)  # mkstemp makes 0600; a report is meant to be shared
            os.replace(staged[fmt], targets[fmt])
        return [targets[f] for f in formats]
    finally:
        for p in staged.values():
            p.unlink(missing_ok=True)


def render_region(region: str, out_dir: str | os.PathLike, home: str | os.PathLike | None = None,
                  formats: Sequence[str] = FORMATS, start_year: int = 2020, end_year: int = 2023,
                  kernel: str = KERNEL) -> list[Path]:
    """Build one region's report and write ``<out_dir>/<region>.html`` (and ``.pdf``) atomically."""
    formats = _check_formats(formats)
    result = build_region_html(region, home, start_year, end_year, kernel)
    return write_report(result, Path(out_dir), formats)


def _check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    fs = tuple(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    bad = [f for f in fs if f not in FORMATS]
    if bad or not fs:
        raise ReportError(f"Unknown report format {', '.join(bad) or '(none)'}: use html, pdf or html,pdf.")
    return fs if "html" in fs else ("html", *fs)  # the PDF is printed from the HTML
