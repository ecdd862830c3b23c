"""Download BLS QCEW open-data area slices by county into a per-user cache, and read them back.

BLS publishes every area's annual averages as a CSV "area slice" at
``https://data.bls.gov/cew/data/api/{year}/a/area/{area}.csv`` (:data:`BLS_URL`; another base
address, e.g. a mirror or a test server, is set with the environment variable
``SECTORKIT_BLS_URL``). :func:`fetch_areas` downloads the slices of some counties and years, plus
the nation (``US000``, for location quotients), into ``<cache>/{year}/{area}.csv`` where the cache
is ``$SECTORKIT_HOME/.cache/bls`` (:func:`cache_folder`). Each download:

- waits at most ``timeout`` seconds for the server to connect or send more bytes, and is retried
  (``retries`` times, with backoff) after a timeout or a 5xx/429 answer;
- stops once it passes ``max_bytes`` (the body is streamed, never read whole first);
- is read with :func:`sectorkit.lmi.qcew.read_area_file` before it is kept: a web page (BLS's
  error pages answer with status 200 at times), another layout, another area or year, or
  quarterly rows are refused and not cached;
- is written atomically (a temporary file renamed into place), so the cache never holds half a file.

A file already in the cache is not downloaded again. When the server cannot be reached at all
(no network), the fetch says so (``FetchResult.offline``) and uses what is cached.

Area codes are checked before they reach a URL or a path: a 5-digit FIPS code or ``US000``.
County names come from the BLS area titles table shipped with sectorkit
(``sectorkit/data/area_titles.csv``, public domain): :func:`states`, :func:`counties_of`,
:func:`area_name`, :func:`region_name`.

>>> counties_of("39")[:2]
[('Adams County', '39001'), ('Allen County', '39003')]
>>> region_name(["39041", "39049"]), region_name(["39049"])
('2 counties in Ohio', 'Franklin County, Ohio')
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import requests

from sectorkit.core.errors import DataError
from sectorkit.lmi import qcew
from sectorkit.lmi.areas import NATION
from sectorkit.lmi.regions import Region
from sectorkit.store.workspace import default_root

__all__ = ["BLS_URL", "ENV_URL", "FetchResult", "MAX_BYTES", "area_name", "bls_url", "cache_folder",
           "cached_counties", "cached_files", "check_area", "counties_of", "fetch_areas", "latest_year", "load_cached",
           "region_name", "states"]

BLS_URL = "https://data.bls.gov/cew/data/api"
ENV_URL = "SECTORKIT_BLS_URL"
MAX_BYTES = 50 * 2**20
FIRST_YEAR = 1990
USER_AGENT = "sectorkit (BLS QCEW open data; https://www.bls.gov/cew/)"
_AREA = re.compile(r"\d{5}|US000")
_CHUNK = 64 * 1024
#: parsed cache reads by (file, mtime, size) signature; a few are kept
_READ: dict[tuple, pd.DataFrame] = {}


# --------------------------------------------------------------------------- names
@lru_cache(maxsize=1)
def _titles() -> dict[str, str]:
    table = pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "area_titles.csv", dtype=str,
                        keep_default_na=False)
    return dict(zip(table["area_fips"], table["area_title"].str.strip()))


def _state_title(code: str) -> str:
    t = _titles().get(f"{code}000", "")
    return re.sub(r"\s*--\s*Statewide$|, not unknown$", "", t)


def states() -> list[tuple[str, str]]:
    """Every state (and DC, Puerto Rico, the Virgin Islands) with counties: ``(name, 2-digit code)``, by name.

    >>> ("Ohio", "39") in states(), len(states()) >= 52
    (True, True)
    """
    have = {c[:2] for c in _titles() if c.isdigit() and not c.endswith("000")}
    return sorted(((_state_title(s), s) for s in have if _state_title(s)), key=lambda x: x[0])


def counties_of(state: str) -> list[tuple[str, str]]:
    """The counties (or parishes, boroughs, cities) of a state: ``(name, 5-digit FIPS)``, by name.

    ``state`` is the 2-digit state code (``"39"``); an unknown code gives ``[]``.

    >>> counties_of("39")[48]
    ('Madison County', '39097')
    """
    name = _state_title(state)
    out = [(t.removesuffix(f", {name}") if name else t, c) for c, t in _titles().items()
           if c[:2] == state and c.isdigit() and not c.endswith("000")]
    return sorted(out)


def area_name(code: str) -> str:
    """The BLS title of an area code (the code itself when the table does not know it).

    >>> area_name("39049"), area_name("US000"), area_name("99001")
    ('Franklin County, Ohio', 'U.S. TOTAL', '99001')
    """
    return _titles().get(code, code)


def region_name(counties: Iterable[str]) -> str:
    """How a region of counties is named: the county's title, or ``"<n> counties in <State>"``.

    >>> region_name(["39049", "18001"])
    '2 counties in Ohio and Indiana'
    """
    fips = list(dict.fromkeys(counties))
    if len(fips) == 1:
        return area_name(fips[0])
    named = list(dict.fromkeys(_state_title(c[:2]) or c[:2] for c in fips))
    where = named[0] if len(named) == 1 else ", ".join(named[:-1]) + f" and {named[-1]}"
    return f"{len(fips)} counties in {where}"


def latest_year(today: dt.date | None = None) -> int:
    """The latest year whose annual averages BLS has published (in September of the next year).

    >>> latest_year(dt.date(2026, 11, 30)), latest_year(dt.date(2026, 3, 1))
    (2025, 2024)
    """
    today = today or dt.date.today()
    return today.year - 1 if today.month >= 9 else today.year - 2


# --------------------------------------------------------------------------- where
def bls_url() -> str:
    """The base address of the area slices: ``SECTORKIT_BLS_URL`` if set, else :data:`BLS_URL`."""
    return (os.environ.get(ENV_URL, "").strip() or BLS_URL).rstrip("/")


def cache_folder(root: str | os.PathLike | None = None) -> Path:
    """The download cache: ``<root>/.cache/bls`` (``root`` default: ``SECTORKIT_HOME``, else ``~/.sectorkit``).

    >>> cache_folder("/srv/sk").as_posix()
    '/srv/sk/.cache/bls'
    """
    return (Path(root).expanduser() if root is not None else default_root()) / ".cache" / "bls"


def check_area(code: object) -> str:
    """An area code safe for a URL and a file name: 5 digits or ``US000`` (upper-cased), else DataError.

    >>> check_area("39049"), check_area("us000")
    ('39049', 'US000')
    >>> check_area("../etc/passwd")
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.DataError: '../etc/passwd' is not a county code: use 5 digits (39049) or US000.
    """
    text = str(code).strip().upper() if isinstance(code, (str, int)) and not isinstance(code, bool) else ""
    if not _AREA.fullmatch(text):
        raise DataError(f"{str(code)[:40]!r} is not a county code: use 5 digits (39049) or US000.")
    return text


def _check_year(year: object) -> int:
    try:
        y = int(year)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        y = 0
    if str(year).strip() != str(y) or not FIRST_YEAR <= y <= dt.date.today().year:
        raise DataError(f"{str(year)[:20]!r} is not a year BLS publishes ({FIRST_YEAR}-{latest_year()}).")
    return y


def cached_files(areas: Iterable[str], cache_dir: str | os.PathLike, years: Iterable[int] | None = None
                 ) -> list[Path]:
    """The cached slices of ``areas`` (for ``years``, default every cached year), by year then area.

    >>> cached_files(["39049"], "/nonexistent")
    []
    """
    codes = [check_area(a) for a in areas]
    folder = Path(cache_dir)
    if years is None:
        years = sorted(int(p.name) for p in folder.glob("[12][0-9][0-9][0-9]") if p.is_dir()) if folder.is_dir() else []
    return [f for y in years for a in codes if (f := folder / str(int(y)) / f"{a}.csv").is_file()]


def cached_counties(cache_dir: str | os.PathLike) -> list[str]:
    """Every county with a cached file (any year), sorted.

    >>> cached_counties("/nonexistent")
    []
    """
    folder = Path(cache_dir)
    found = {f.stem for f in folder.glob("[12][0-9][0-9][0-9]/[0-9][0-9][0-9][0-9][0-9].csv")}
    return sorted(c for c in found if not c.endswith("000"))


# --------------------------------------------------------------------------- fetching
@dataclass
class FetchResult:
    """What :func:`fetch_areas` did.

    Attributes
    ----------
    files : list of Path
        The cached file of every requested (year, area) that is available now, downloaded or not.
    fetched, from_cache : list of (int, str)
        The (year, area) pairs downloaded now, and those already in the cache.
    failed : dict of (int, str) -> str
        The pairs that could not be had, with the reason in words.
    offline : bool
        True when the server could not be reached at all.
    """

    files: list[Path] = field(default_factory=list)
    fetched: list[tuple[int, str]] = field(default_factory=list)
    from_cache: list[tuple[int, str]] = field(default_factory=list)
    failed: dict[tuple[int, str], str] = field(default_factory=dict)
    offline: bool = False

    def summary(self) -> str:
        """The result in one or two sentences (names of areas from the area titles table).

        >>> FetchResult(fetched=[(2023, "39049")], failed={(2023, "US000"): "not found"}).summary()
        'Downloaded 1 file. 1 file could not be had. The U.S., 2023: not found.'
        """
        parts = []
        if self.offline:
            parts.append("The BLS server could not be reached (this server may be offline); "
                         "the files already downloaded are used.")
        if self.fetched:
            parts.append(f"Downloaded {_n(len(self.fetched), 'file')}.")
        if self.from_cache:
            parts.append(f"{_n(len(self.from_cache), 'file')} already downloaded before.")
        if self.failed:
            groups: dict[tuple[str, str], list[int]] = {}
            for (y, a), why in self.failed.items():
                groups.setdefault((a, why), []).append(y)
            parts.append(f"{_n(len(self.failed), 'file')} could not be had.")
            parts += [f"{'The U.S.' if a == NATION else area_name(a)}, {_years(ys)}: {why}."
                      for (a, why), ys in list(groups.items())[:4]]
            parts += [f"And {len(groups) - 4} more."] if len(groups) > 4 else []
        return " ".join(parts) or "Nothing to fetch."


def _years(years: list[int]) -> str:
    ys = sorted(years)
    return str(ys[0]) if len(ys) == 1 else f"{ys[0]}-{ys[-1]}" if ys == list(range(ys[0], ys[-1] + 1)) else \
        ", ".join(map(str, ys))


def _n(k: int, word: str) -> str:
    return f"{k} {word}{'' if k == 1 else 's'}"


class _Refused(Exception):
    """A download that must not be retried (with the reason in words)."""


class _Offline(Exception):
    """The server cannot be reached."""


def fetch_areas(areas: Iterable[str], years: Iterable[int], cache_dir: str | os.PathLike, *,
                base_url: str | None = None, timeout: float = 20, retries: int = 3, max_bytes: int = MAX_BYTES,
                progress: Callable[[int, int, str], None] | None = None, backoff: float = 0.5,
                session: requests.Session | None = None) -> FetchResult:
    """Download the annual area slices of ``areas`` (and ``US000``) for ``years`` into ``cache_dir``.

    Parameters
    ----------
    areas : iterable of str
        5-digit county (or state) FIPS codes; ``US000`` is always added.
    years : iterable of int
        The years (from 1990 to the current year).
    cache_dir : path
        The cache folder (:func:`cache_folder`); files go to ``{year}/{area}.csv`` in it.
    base_url : str, optional
        Default :func:`bls_url`; the file is ``{base_url}/{year}/a/area/{area}.csv``.
    timeout : float
        Seconds to wait for a connection or for more bytes; a file taking more than ten times
        this in all is abandoned.
    retries : int
        Further tries after a timeout or a 5xx/429 answer (waiting ``backoff``, then twice as long...).
    max_bytes : int
        A file larger than this (50 MB) is refused.
    progress : callable, optional
        Called as ``progress(done, total, what)`` before each file and once at the end.

    Returns
    -------
    FetchResult

    Raises
    ------
    DataError
        A bad area code or year, or a base address that is not http(s). Download problems are
        not raised: they are in ``FetchResult.failed``.
    """
    codes = list(dict.fromkeys([check_area(a) for a in areas] + [NATION]))
    wanted = sorted({_check_year(y) for y in years})
    base = (base_url or bls_url()).rstrip("/")
    if not re.match(r"https?://[^/\s]+", base):
        raise DataError(f"The BLS address {base[:60]!r} is not an http(s) address; check {ENV_URL}.")
    folder = Path(cache_dir)
    result = FetchResult()
    todo = [(y, a) for y in wanted for a in codes]
    http = session or requests.Session()
    if session is None:
        http.headers["User-Agent"] = USER_AGENT
    try:
        for done, (year, area) in enumerate(todo):
            if progress:
                progress(done, len(todo), f"{area_name(area)}, {year}")
            target = folder / str(year) / f"{area}.csv"
            if target.is_file():
                result.from_cache.append((year, area))
            elif result.offline:
                result.failed[(year, area)] = "not downloaded yet, and BLS cannot be reached"
                continue
            else:
                try:
                    _download(http, f"{base}/{year}/a/area/{area}.csv", target, year, area, timeout=timeout,
                              retries=retries, max_bytes=max_bytes, backoff=backoff)
                    result.fetched.append((year, area))
                except _Offline:
                    result.offline = True
                    result.failed[(year, area)] = "not downloaded yet, and BLS cannot be reached"
                    continue
                except _Refused as exc:
                    result.failed[(year, area)] = str(exc)
                    continue
            result.files.append(target)
    finally:
        if session is None:
            http.close()
    if progress:
        progress(len(todo), len(todo), "done")
    return result


def _download(http: requests.Session, url: str, target: Path, year: int, area: str, *, timeout: float,
              retries: int, max_bytes: int, backoff: float) -> None:
    """Get one file into ``target`` (checked, atomically) or raise _Refused / _Offline."""
    problem, unreachable = "", False
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(min(backoff * 2 ** (attempt - 1), 30))
        try:
            body = _get(http, url, timeout, max_bytes)
        except _Retry as exc:
            problem, unreachable = str(exc), False
            continue
        except requests.ConnectTimeout:
            problem, unreachable = f"no connection within {timeout:g} s", True
            continue
        except requests.ConnectionError as exc:
            if _unreachable(exc):
                raise _Offline() from None
            problem, unreachable = "the connection broke off", False
            continue
        except requests.Timeout:
            problem, unreachable = f"no answer within {timeout:g} s", False
            continue
        except requests.RequestException as exc:  # a broken transfer encoding, too many redirects...
            problem, unreachable = f"the download failed ({type(exc).__name__})", False
            continue
        _keep(body, target, year, area)
        return
    if unreachable:
        raise _Offline()
    raise _Refused(f"{problem}, {retries + 1} tries")


def _unreachable(exc: requests.ConnectionError) -> bool:
    """True when no connection could be made at all (no network, no such host, refused), not a broken one."""
    reason = getattr(exc.args[0], "reason", exc.args[0]) if exc.args else None
    names = {c.__name__ for c in type(reason).__mro__} | {c.__name__ for c in type(exc).__mro__}
    return bool(names & {"NewConnectionError", "NameResolutionError", "ProxyError"})


class _Retry(Exception):
    """A passing failure (5xx, 429, too slow): worth another try."""


def _get(http: requests.Session, url: str, timeout: float, max_bytes: int) -> bytes:
    started = time.monotonic()
    with http.get(url, stream=True, timeout=(timeout, timeout), allow_redirects=True) as r:
        if r.status_code == 404:
            raise _Refused("not on BLS open data (error 404; BLS keeps the last five published years online)")
        if r.status_code == 429 or r.status_code >= 500:
            raise _Retry(f"the server answered {r.status_code}")
        if r.status_code != 200:
            raise _Refused(f"the server answered {r.status_code} {r.reason or ''}".rstrip())
        if "html" in r.headers.get("Content-Type", "").lower():
            raise _Refused("the server sent a web page, not a CSV file")
        size = r.headers.get("Content-Length", "")
        if size.isdigit() and int(size) > max_bytes and "gzip" not in r.headers.get("Content-Encoding", ""):
            raise _Refused(f"the file is larger than {_size(max_bytes)}")
        body = bytearray()
        for chunk in r.iter_content(_CHUNK):
            body += chunk
            if len(body) > max_bytes:
                raise _Refused(f"the file is larger than {_size(max_bytes)}")
            if time.monotonic() - started > 10 * timeout:
                raise _Retry(f"the file took more than {10 * timeout:g} s")
    return bytes(body)


def _size(n: int) -> str:
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n / 1024:.0f} KB"


def _keep(body: bytes, target: Path, year: int, area: str) -> None:
    """Check a downloaded slice with the QCEW reader, then move it into the cache atomically."""
    if body.lstrip()[:1] == b"<":
        raise _Refused("the server sent a web page, not a CSV file")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=target.parent))
    try:
        tmp = staging / f"{year}.annual.{area}.csv"  # the year in the name is checked against the rows
        with tmp.open("wb") as fh:
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            data = qcew.read_area_file(tmp)
        except DataError as exc:
            raise _Refused("not a BLS annual area file: " + str(exc).replace(f"{tmp}: ", "")
                           .replace(str(tmp), "the file")[:200]) from None
        found = set(data["area_fips"])
        if found != {area} or set(data["year"]) != {year}:
            held = ", ".join(area_name(a) for a in sorted(found))
            raise _Refused(f"the file holds {held} {_years(sorted(set(data['year'])))}, not {area_name(area)} {year}")
        os.replace(tmp, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# --------------------------------------------------------------------------- reading back
def load_cached(counties: Iterable[str], cache_dir: str | os.PathLike) -> tuple[pd.DataFrame, Region]:
    """The cached data of ``counties`` (every cached year, and the nation's files) and their region.

    Returns the tidy QCEW frame (:func:`sectorkit.lmi.qcew.read_area_files`) and a
    :class:`~sectorkit.lmi.regions.Region` named by :func:`region_name`. Read once per content of
    the files (a few reads are kept).

    Raises
    ------
    DataError
        No county given, a bad code, or a county with no downloaded file ("press Fetch").

    >>> load_cached(["39049"], "/nonexistent")
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.DataError: No BLS data is downloaded yet for Franklin County, Ohio. Choose the counties and years, then press Fetch from BLS.
    """  # noqa: E501 - a doctest's expected line cannot wrap
    codes = list(dict.fromkeys(check_area(c) for c in counties if str(c).strip()))
    counties_only = [c for c in codes if c != NATION and not c.endswith("000")]
    if not counties_only:
        raise DataError("Choose at least one county, then press Fetch from BLS.")
    missing = [c for c in counties_only if not cached_files([c], cache_dir)]
    if missing:
        names = ", ".join(area_name(c) for c in missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise DataError(f"No BLS data is downloaded yet for {names}. Choose the counties and years, "
                        "then press Fetch from BLS.")
    years = sorted({int(f.parent.name) for f in cached_files(counties_only, cache_dir)})
    files = cached_files(counties_only, cache_dir, years)
    nation = cached_files([NATION], cache_dir, years)
    files += nation if len(nation) == len(years) else []  # the nation for every year, or LQs are implied
    key = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    if key not in _READ:
        if len(_READ) >= 4:
            _READ.pop(next(iter(_READ)))
        _READ[key] = qcew.read_area_files(files)
    return _READ[key], Region.from_counties(counties_only, region_id="bls", name=region_name(counties_only))
