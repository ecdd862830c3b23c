"""Read BLS QCEW files, in every layout BLS publishes, into one tidy frame.

The Quarterly Census of Employment and Wages (QCEW) comes as area slices (one area, all
industries), industry slices (one industry, all areas), by-area files (with title columns and
quoted values), the annual single file (every area of a year in one file) and zip archives of any
of these; files may be plain, gzipped or inside a zip (read in place), annual or quarterly (four
quarters are turned into annual averages). :mod:`sectorkit.lmi.layouts` recognises the layouts,
:mod:`sectorkit.lmi.archives` opens the files and :mod:`sectorkit.lmi.areas` knows the area codes.
This module checks the rows and returns a *tidy frame* (see :data:`TIDY_COLUMNS`), one row per
area, year, ownership and industry.

Area codes are normalised: all-digit codes are 5-digit FIPS (``1001`` -> ``01001``, a leading zero
lost in a spreadsheet); ``US000`` is the nation. The other U.S. aggregates (``USCMS``, ``USMSA``,
``USNMS``) are parts of the nation, not the nation: they are set aside unless asked for by name
(``areas=``) and listed in ``attrs["set_aside"]``. ``areas=`` also keeps a large single file's
read to the areas needed, in bounded memory.

Suppressed cells (``disclosure_code == "N"``) are published by BLS as 0. Here
they become unknown: ``employment``, ``total_wages`` and ``avg_annual_pay`` are
NaN and ``suppressed`` is True. They are never treated as zero.

Every problem a user can fix raises :class:`sectorkit.core.errors.DataError` naming
the file, the row or column and what to do.

Examples
--------
>>> from sectorkit.lmi import qcew
>>> data = qcew.read_area_files(qcew.example_region_path())
>>> sorted(data["year"].unique().tolist())
[2020, 2021, 2022, 2023]
>>> bool(data["suppressed"].any())
True
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import pandas as pd

from sectorkit.core import csvio
from sectorkit.core.errors import DataError
from sectorkit.core.paths import data_dir
from sectorkit.lmi import layouts as L
from sectorkit.lmi.archives import Source, expand, name_area_code
from sectorkit.lmi.areas import ALWAYS_KEPT, AreaFilter, bad_area, describe_area, nothing_kept
from sectorkit.lmi.checks import RowMap, annual_from_quarters, check_rows, drop_size_classes, no_duplicates
from sectorkit.lmi.layouts import AREA_FILE_COLUMNS
from sectorkit.lmi.template import TEMPLATE_COLUMNS, read_template, write_template
from sectorkit.lmi.titles import add_titles, industry_titles, ownership_titles

__all__ = [
    "AREA_FILE_COLUMNS",
    "STREAM_ABOVE",
    "TEMPLATE_COLUMNS",
    "TIDY_COLUMNS",
    "add_titles",
    "example_region_path",
    "industry_titles",
    "ownership_titles",
    "read_area_file",
    "read_area_files",
    "read_template",
    "write_template",
]

#: Columns of the tidy frame every loader returns.
TIDY_COLUMNS: tuple[str, ...] = (
    "area_fips", "year", "own_code", "industry_code", "agglvl_code", "naics_digits",
    "suppressed", "establishments", "employment", "total_wages", "avg_annual_pay",
    "lq_employment", "oty_employment_chg", "oty_employment_pct_chg",
    "oty_total_wages_pct_chg", "source",
)
#: Files larger than this (bytes of CSV text) are read in chunks, keeping only the areas needed.
STREAM_ABOVE = 48 * 2**20
#: Small files are read in groups of about this many bytes of text, each parsed as one text if it can be.
JOIN_BYTES = 16 * 2**20



def example_region_path() -> Path:
    """Folder of the shipped, ILLUSTRATIVE example region (fictional counties).

    The files are made by ``scripts/make_example_region.py`` and are not real
    BLS data. sectorkit is used from a repository checkout, so the folder is
    found relative to the repository root.

    Returns
    -------
    pathlib.Path
        ``<repo>/data/example_region``.

    Examples
    --------
    >>> example_region_path().name
    'example_region'
    >>> (example_region_path() / "crosswalk.csv").exists()
    True
    """
    return data_dir() / "example_region"


# --------------------------------------------------------------------------- reading
def _prepare(src: Source, raw: bytes) -> tuple[bytes, bytes, L.Layout, int, bool, str]:
    """(header line, body, layout, number of data lines, simple: UTF-8 and no quotes, encoding).

    A blank line in a simple file is not looked for here (a pass over the text): the joined parse in
    :func:`_gather` then finds fewer rows than lines and reads the files one by one.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    raw = raw.replace(b"\r\n", b"\n") if b"\r" in raw else raw
    if not raw.endswith(b"\n"):
        raw += b"\n"
    head, _, body = raw.partition(b"\n")
    header = csvio.header(src.label, head)  # type: ignore[arg-type]
    layout = L.recognise(src.label, header)
    lines = body.count(b"\n")
    simple = b'"' not in body
    err = L.field_count_error(src.label, body, len(header), lines=lines)
    if err is not None:
        raise err
    encoding = L.text_encoding(body)
    simple = simple and encoding == "utf-8"
    return head, body, layout, lines, simple, encoding


def _parse_joined(prepared: list, group: list[int]) -> tuple | None:
    """Parse simple files that share one header as one text; None when they do not, or when the rows
    do not add up to the lines (a blank line, a broken file: the files are then read one by one, to
    name the culprit)."""
    if len(prepared) < 2 or len({p[0] for p in prepared}) > 1 or prepared[0][2].kind != "annual" \
            or not all(p[4] for p in prepared):
        return None
    counts = [p[3] for p in prepared]
    text = b"".join([prepared[0][0] + b"\n"] + [p[1] for p in prepared])
    try:
        df, _ = L.parse("", prepared[0][2], L.bytes_opener(text))
    except DataError:
        return None
    if len(df) != sum(counts):
        return None
    starts = np.concatenate([[0], np.cumsum(counts)])
    return df, np.repeat(np.asarray(group), counts), np.arange(len(df)) - np.repeat(starts[:-1], counts)


def _read_groups(sources: list[Source], groups: list[list[int]]) -> Iterator[list]:
    """Each group's files read and prepared (:func:`_prepare`), in order: two threads read (zlib and
    file reads let go of the GIL), the next group while the caller parses this one."""
    if sum(map(len, groups)) < 2:
        yield from ([_prepare(sources[i], sources[i].read_bytes()) for i in g] for g in groups)
        return
    with ThreadPoolExecutor(max_workers=2) as pool:
        def submit(g):
            return [pool.submit(lambda i: _prepare(sources[i], sources[i].read_bytes()), i) for i in g]
        pending = submit(groups[0])
        for k in range(len(groups)):
            following = submit(groups[k + 1]) if k + 1 < len(groups) else []
            yield [f.result() for f in pending]
            pending = following


def _gather(sources: list[Source], areas: AreaFilter) -> tuple[dict[str, list], list[str]]:
    """Read every source: per layout kind, a list of (frame, file index, rows in file).

    Small files are read in groups of about :data:`JOIN_BYTES` of text (memory holds two groups'
    text, not every file's), each parsed as one text when its files allow (:func:`_parse_joined`).
    """
    sizes = {i: s.size() for i, s in enumerate(sources) if areas.wants_code(name_area_code(s.name))}
    small = [i for i, n in sizes.items() if n <= STREAM_ABOVE]
    big = [i for i, n in sizes.items() if n > STREAM_ABOVE]
    groups: list[list[int]] = []
    for i in small:
        if not groups or (sum(sizes[j] for j in groups[-1]) + sizes[i] > JOIN_BYTES and len(groups[-1]) > 1):
            groups.append([])
        groups[-1].append(i)
    parts: dict[str, list] = {"annual": [], "quarterly": []}
    for group, prepared in zip(groups, _read_groups(sources, groups)):
        for i, (_, _, _, lines, _, _) in zip(group, prepared):
            if lines == 0:
                raise DataError(f"{sources[i].label}: has a header but no data rows.")
        joined = _parse_joined(prepared, group)
        if joined is not None:
            parts["annual"].append(joined)
            continue
        for i, (head, body, layout, _, _, encoding) in zip(group, prepared):
            df, rows = L.parse(sources[i].label, layout, L.bytes_opener(head + b"\n" + body), encoding=encoding)
            if len(df) == 0:
                raise DataError(f"{sources[i].label}: has a header but no data rows.")
            parts[layout.kind].append((df, np.full(len(df), i), rows))
    for i in big:
        src = sources[i]
        with src.open() as f:
            head = f.readline(1 << 20)
        layout = L.recognise(src.label, csvio.header(src.label, head))  # type: ignore[arg-type]
        df, rows = L.parse(src.label, layout, src.open, areas.keep_chunk(src.label), L.CHUNK_ROWS)
        parts[layout.kind].append((df, np.full(len(df), i), rows))
    return parts, [s.label for s in sources]


def _combine(parts: list, labels: list[str], areas: AreaFilter
             ) -> tuple[pd.DataFrame, RowMap]:
    frames = [p[0] for p in parts]
    df = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    rows = RowMap(labels, np.concatenate([p[1] for p in parts]), np.concatenate([p[2] for p in parts]))
    codes, keep, bad = areas.split(df["area_fips"])
    if bad.any():
        j = int(np.flatnonzero(bad)[0])
        label, i = rows.where(j)
        raise bad_area(label, i, df["area_fips"].iloc[j])
    df = df.assign(area_fips=codes)
    if not keep.all():
        pos = np.flatnonzero(keep)
        df, rows = df.iloc[pos].reset_index(drop=True), rows.take(pos)
    return df, rows


def _tidy(df: pd.DataFrame, rows: RowMap, names: list[str]) -> pd.DataFrame:
    def text(col):
        return df[col].to_numpy(dtype=object) if col in df else np.full(len(df), None, dtype=object)

    supp = text("disclosure_code") == "N"
    lq_supp = text("lq_disclosure_code") == "N"
    oty_supp = text("oty_disclosure_code") == "N"
    agg = df["agglvl_code"].to_numpy().astype("int64")
    digits = np.array([0, 0, -1, -1, 2, 3, 4, 5, 6, -1], dtype="int64")[agg % 10]
    idx, uniq = pd.factorize(df["industry_code"].to_numpy(dtype=object), use_na_sentinel=True)
    stripped = [str(u).strip() for u in uniq]
    codes = np.asarray(stripped + [""], dtype=object)[idx] if stripped != list(uniq) \
        else df["industry_code"].to_numpy(dtype=object)
    grouping = np.asarray([len(c) > 2 and c.startswith("10") for c in stripped] + [False])[idx]
    digits = np.where(grouping, -1, digits)  # BLS domains and supersectors (101, 1012) are never NAICS

    def unknown_if(mask, col):
        if col not in df:
            return np.full(len(df), np.nan)
        v = df[col].to_numpy(dtype="float64", copy=True)
        v[mask] = np.nan
        return v

    fi = rows.file
    source = pd.Categorical.from_codes(fi, categories=names) if len(set(names)) == len(names) \
        else [names[k] for k in fi]
    return pd.DataFrame({
        "area_fips": df["area_fips"].to_numpy(dtype=object),
        "year": df["year"].to_numpy().astype("int64"),
        "own_code": df["own_code"].to_numpy().astype("int64"),
        "industry_code": codes,
        "agglvl_code": agg,
        "naics_digits": digits,
        "suppressed": supp,
        "establishments": df["annual_avg_estabs"].to_numpy(dtype="float64"),
        "employment": unknown_if(supp, "annual_avg_emplvl"),
        "total_wages": unknown_if(supp, "total_annual_wages"),
        "avg_annual_pay": unknown_if(supp, "avg_annual_pay"),
        "lq_employment": unknown_if(lq_supp | supp, "lq_annual_avg_emplvl"),
        "oty_employment_chg": unknown_if(oty_supp, "oty_annual_avg_emplvl_chg"),
        "oty_employment_pct_chg": unknown_if(oty_supp, "oty_annual_avg_emplvl_pct_chg"),
        "oty_total_wages_pct_chg": unknown_if(oty_supp, "oty_total_annual_wages_pct_chg"),
        "source": source,
    })


def _load(sources: list[Source], wanted: Iterable[str] | None) -> pd.DataFrame:
    areas = AreaFilter(wanted)
    parts, labels = _gather(sources, areas)
    names = [s.name for s in sources]
    frames, maps = [], []
    for kind in ("annual", "quarterly"):
        if not parts[kind]:
            continue
        df, rows = _combine(parts.pop(kind), labels, areas)  # popped: the pieces are freed once combined
        if len(df) == 0:
            continue
        df, rows = drop_size_classes(df, rows)
        check_rows(df, rows, kind, names)
        if kind == "quarterly":
            df, rows = annual_from_quarters(df, rows)
        frames.append(df)
        maps.append(rows)
    if not frames and wanted is None and areas.set_aside:  # only aggregates given: they are what was asked for
        return _load(sources, sorted(areas.set_aside))
    named = areas.wanted - ALWAYS_KEPT if areas.wanted is not None else set()
    if not frames or (named and not any(f["area_fips"].isin(list(named)).any() for f in frames)):
        raise nothing_kept(areas)
    if len(frames) > 1:
        df = pd.concat(frames, ignore_index=True)
        rows = RowMap(labels, np.concatenate([m.file for m in maps]), np.concatenate([m.row for m in maps]))
        no_duplicates(df, rows, ["area_fips", "year", "own_code", "industry_code"])
    else:
        df, rows = frames[0], maps[0]
    out = _tidy(df, rows, names)
    titles = {}
    if "area_title" in df:
        t = pd.DataFrame({"a": out["area_fips"], "t": df["area_title"]}).dropna().drop_duplicates("a")
        titles = dict(zip(t["a"], t["t"].astype(str).str.strip()))
    out.attrs["area_titles"] = titles
    out.attrs["set_aside"] = {c: describe_area(c) for c in sorted(areas.set_aside)}
    return out


def read_area_file(path: str | Path, *, areas: Iterable[str] | None = None) -> pd.DataFrame:
    """Read one BLS QCEW file (any layout; ``.csv``, ``.csv.gz`` or ``.zip``) into a tidy frame.

    Parameters
    ----------
    path : str or Path
        An area or industry slice (``https://data.bls.gov/cew/data/api/<year>/a/area/<fips>.csv``),
        a by-area file, an annual single file, or a zip archive of them.
    areas : iterable of str, optional
        Keep only these area codes (and the nation, US000); see :func:`read_area_files`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TIDY_COLUMNS`. Suppressed cells are NaN with
        ``suppressed`` True; ``naics_digits`` is 0 for totals, -1 for
        domains/supersectors and 2-6 for NAICS levels.

    Raises
    ------
    DataError
        If the file is missing, empty, binary, not a QCEW file, has a
        renamed column, a non-numeric or negative value, a bad area code, a duplicate row,
        incomplete quarters, or a year different from the one in its name.

    Examples
    --------
    >>> f = sorted(example_region_path().glob("2023.*99001*.csv"))[0]
    >>> df = read_area_file(f)
    >>> df.loc[(df.own_code == 0) & (df.industry_code == "10"), "area_fips"].tolist()
    ['99001']
    """
    return _load(expand(Path(path)), areas)


def read_area_files(paths: str | Path | Iterable[str | Path], *,
                    areas: Iterable[str] | None = None) -> pd.DataFrame:
    """Read many QCEW files (a folder, a zip archive or a list) into one tidy frame.

    Parameters
    ----------
    paths : str, Path or iterable of them
        A folder (every ``.csv``, ``.csv.gz`` and ``.zip`` in it except ``crosswalk.csv`` and
        title tables), a zip archive, or a list of files.
    areas : iterable of str, optional
        Area codes to keep (typed codes are normalised: ``1001`` -> ``01001``); the nation
        (``US000``) is always kept. A single file of millions of rows is then read in chunks,
        keeping only these areas, and by-area files of other areas are not opened. Default: every
        area except U.S. aggregates that are not the nation (``USCMS``, ``USMSA``, ``USNMS``), which
        are set aside and listed in ``attrs["set_aside"]`` (unless the files hold nothing else); name
        them here to read them as reference areas.

    Returns
    -------
    pandas.DataFrame
        The rows of every file, columns :data:`TIDY_COLUMNS`; ``attrs["area_titles"]`` holds the
        area titles the files carry (by-area files), ``attrs["set_aside"]`` the aggregates set aside.

    Raises
    ------
    DataError
        For any problem :func:`read_area_file` reports, when the same
        area, year, ownership and industry appears in two files, and when none of ``areas`` is there.

    Examples
    --------
    >>> data = read_area_files(example_region_path())
    >>> sorted(data["area_fips"].unique().tolist())
    ['99001', '99003', '99005', '99007', 'US999']
    >>> sorted(read_area_files(example_region_path(), areas=["99001"])["area_fips"].unique())
    ['99001', 'US999']
    """
    return _load(expand(paths), areas)
