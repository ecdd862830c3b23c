"""BLS QCEW area codes: what kind of area a code names, and the one spelling of each code.

QCEW files name every area by an ``area_fips`` code of five characters:

=====================  ================  =====================================================
code                   kind              meaning
=====================  ================  =====================================================
``US000``              ``nation``        the United States: the only code that is the nation
``USCMS`` ``USMSA``    ``us_aggregate``  all U.S. CSAs, all U.S. MSAs, all U.S. nonmetropolitan
``USNMS``                                counties (combined): parts of the nation, not the nation
``SS000``              ``state``         a state, statewide (``39000`` is Ohio)
``SS999``              ``state_unknown`` jobs of a state in no known county
``SSCCC``              ``county``        a county (``39049`` is Franklin County, Ohio)
``C####`` (``C257A``)  ``msa``           a metropolitan or micropolitan statistical area
``CS###``              ``csa``           a combined statistical area
=====================  ================  =====================================================

All-digit codes are 5-digit FIPS codes. A spreadsheet that saved ``01001`` as the number ``1001``
lost the leading zero: a 4-digit code is padded back (``1001`` -> ``01001``), in files and in typed
lists alike. Only counties are summed into a region; every other kind is a *reference area* a
region can be compared with. The shipped illustrative example uses ``US999`` for its made-up
nation (:data:`ILLUSTRATIVE_NATION`); it is not a BLS code.

Examples
--------
>>> normalise_area_code(1001), area_kind("1001")
('01001', 'county')
>>> [area_kind(c) for c in ("US000", "USNMS", "39000", "C1980", "CS198")]
['nation', 'us_aggregate', 'state', 'msa', 'csa']
>>> describe_area("USNMS")
'U.S. nonmetropolitan area counties (combined), USNMS'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from sectorkit.core.errors import DataError

__all__ = [
    "ALWAYS_KEPT",
    "AreaFilter",
    "ILLUSTRATIVE_NATION",
    "KINDS",
    "NATION",
    "US_AGGREGATES",
    "area_kind",
    "bad_area",
    "describe_area",
    "is_county",
    "is_nation",
    "normalise_area_code",
    "normalise_area_codes",
    "nothing_kept",
    "parse_area_list",
]

#: The nation's code: the only area that is "the nation".
NATION = "US000"
#: The made-up nation of the shipped illustrative example region (not a BLS code).
ILLUSTRATIVE_NATION = "US999"
#: Areas a reader keeps whatever areas are asked for: the nation is the default reference.
ALWAYS_KEPT = frozenset({NATION, ILLUSTRATIVE_NATION})
#: U.S. aggregates that are parts of the nation, with their BLS titles.
US_AGGREGATES: dict[str, str] = {
    "USCMS": "U.S. combined statistical areas (combined)",
    "USMSA": "U.S. metropolitan statistical areas (combined)",
    "USNMS": "U.S. nonmetropolitan area counties (combined)",
}
#: Every kind :func:`area_kind` returns, with a plain description.
KINDS: dict[str, str] = {
    "nation": "the nation",
    "us_aggregate": "a U.S. aggregate (part of the nation)",
    "state": "a state, statewide",
    "state_unknown": "a state's jobs in no known county",
    "county": "a county",
    "msa": "a metropolitan or micropolitan statistical area",
    "csa": "a combined statistical area",
}

_MSA = re.compile(r"C[0-9][0-9A-Z]{3}")
_CSA = re.compile(r"CS[0-9]{3}")
_US = re.compile(r"US[0-9A-Z]{3}")


def normalise_area_code(code: object) -> str:
    """The one spelling of an area code: 5-digit FIPS (4-digit codes padded), upper case.

    Parameters
    ----------
    code : str or int
        An ``area_fips`` value as found in a file or typed (``1001``, ``"01001"``, ``"us000"``).

    Returns
    -------
    str
        The code as BLS writes it (``"01001"``, ``"US000"``).

    Raises
    ------
    DataError
        When the code is not an area code (not 4-5 digits, ``US...``, ``C####`` or ``CS###``),
        saying what a code looks like and what to do when leading zeros were lost.

    Examples
    --------
    >>> normalise_area_code(" 1001"), normalise_area_code("c257a")
    ('01001', 'C257A')
    >>> normalise_area_code("101")
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.DataError: '101' is not a QCEW area code: a county or state code has 5 digits (for example 39049 or 01001; 4 digits are read as a lost leading zero, 1001 -> 01001), the nation is US000, an MSA C####, a CSA CS###.
    """  # noqa: E501 - a doctest's expected line cannot wrap
    out = _normalise(code)
    if out is None:
        raise DataError(f"{str(code).strip()[:40]!r} is not a QCEW area code: {_WHAT_A_CODE_IS}.")
    return out


_WHAT_A_CODE_IS = ("a county or state code has 5 digits (for example 39049 or 01001; 4 digits are read as a "
                   "lost leading zero, 1001 -> 01001), the nation is US000, an MSA C####, a CSA CS###")


def _normalise(code: object) -> str | None:
    if isinstance(code, bool):
        return None
    if isinstance(code, float) and code.is_integer():
        code = int(code)
    text = str(code).strip().upper()
    if text.isascii() and text.isdigit():
        return text.zfill(5) if len(text) in (4, 5) else None
    if _US.fullmatch(text) or _CSA.fullmatch(text) or _MSA.fullmatch(text):
        return text
    return None


def normalise_area_codes(codes: Iterable[object]) -> tuple[list[str | None], list[int]]:
    """Normalise many codes at once; bad ones become None and are listed by position.

    Returns
    -------
    (list, list of int)
        The normalised codes (None where a code is not an area code) and the positions of the
        bad ones, for the caller to name the file and row.

    Examples
    --------
    >>> normalise_area_codes(["1001", "US000", "Marion"])
    (['01001', 'US000', None], [2])
    """
    out = [_normalise(c) for c in codes]
    return out, [i for i, c in enumerate(out) if c is None]


def area_kind(code: object) -> str:
    """The kind of area a code names: one of :data:`KINDS`.

    Raises
    ------
    DataError
        When ``code`` is not an area code (see :func:`normalise_area_code`).

    Examples
    --------
    >>> area_kind("US000"), area_kind("USMSA"), area_kind("01999"), area_kind("US999")
    ('nation', 'us_aggregate', 'state_unknown', 'nation')
    """
    c = normalise_area_code(code)
    if c in (NATION, ILLUSTRATIVE_NATION):
        return "nation"
    if c.startswith("US"):
        return "us_aggregate"
    if c.startswith("CS"):
        return "csa"
    if c.startswith("C"):
        return "msa"
    if c.endswith("000"):
        return "state"
    if c.endswith("999"):
        return "state_unknown"
    return "county"


def is_nation(code: object) -> bool:
    """True for ``US000`` (and the illustrative example's ``US999``) only.

    Examples
    --------
    >>> is_nation("US000"), is_nation("USNMS"), is_nation("39000")
    (True, False, False)
    """
    return _normalise(code) in (NATION, ILLUSTRATIVE_NATION)


def is_county(code: object) -> bool:
    """True when ``code`` is a county FIPS code (4 digits are padded; states and others are not).

    Examples
    --------
    >>> is_county("1001"), is_county("39000"), is_county("C1980"), is_county("Franklin")
    (True, False, False, False)
    """
    return _normalise(code) is not None and area_kind(code) == "county"


def describe_area(code: object, title: str | None = None) -> str:
    """Plain words for an area: its title (or kind) and code; never "the nation" but for US000.

    Parameters
    ----------
    code : str
        An area code.
    title : str, optional
        The area's title (from a file or the BLS area titles); default from the kind.

    Examples
    --------
    >>> describe_area("US000"), describe_area("39000", "Ohio -- Statewide")
    ('the nation (U.S. total), US000', 'Ohio -- Statewide, 39000')
    """
    c = normalise_area_code(code)
    kind = area_kind(c)
    if title:
        return f"{title}, {c}"
    if c == NATION:
        return f"the nation (U.S. total), {c}"
    if c == ILLUSTRATIVE_NATION:
        return f"the illustrative nation, {c}"
    if c in US_AGGREGATES:
        return f"{US_AGGREGATES[c]}, {c}"
    return f"{KINDS[kind]}, {c}"


def parse_area_list(text: str) -> list[str]:
    """Area codes typed as a list (commas, semicolons or spaces), normalised, repeats dropped.

    Raises
    ------
    DataError
        When the list is empty or an item is not an area code.

    Examples
    --------
    >>> parse_area_list("1001, 1003;01003")
    ['01001', '01003']
    """
    items = [t for t in re.split(r"[,;\s]+", str(text).strip()) if t]
    if not items:
        raise DataError("List the areas as codes separated by commas, for example 39041, 39049.")
    return list(dict.fromkeys(normalise_area_code(t) for t in items))


# --------------------------------------------------------------------------- reading files
class AreaFilter:
    """Which rows of QCEW files to keep, by area: normalises codes, keeps the wanted ones, and
    sets aside the U.S. aggregates that are not the nation when no areas are named.

    Parameters
    ----------
    wanted : iterable of str, or str, optional
        The area codes to keep (normalised; a string is a typed list, ``"1001, 1003"``; the nation
        is always kept). None: every area but
        ``USCMS``, ``USMSA``, ``USNMS`` (set aside, see :attr:`set_aside`).

    Examples
    --------
    >>> f = AreaFilter(None)
    >>> codes, keep, bad = f.split(pd.Series(["1001", "USNMS", "US000", "x"]))
    >>> codes.tolist(), keep.tolist(), bad.tolist(), sorted(f.set_aside)
    (['01001', 'USNMS', 'US000', None], [True, False, True, False], [False, False, False, True], ['USNMS'])
    """

    def __init__(self, wanted: Iterable[str] | None):
        if wanted is None:
            self.wanted = None
        else:
            given = parse_area_list(wanted) if isinstance(wanted, str) else list(wanted)
            codes, bad = normalise_area_codes(given)
            if bad:
                raise DataError(f"{str(given[bad[0]])[:40]!r} is not an area code. Use 5-digit FIPS codes "
                                "(for example 39049), US000 for the nation, C#### for an MSA.")
            self.wanted = frozenset(codes) | ALWAYS_KEPT
        self.seen: set[str] = set()
        self.set_aside: set[str] = set()

    def wants_code(self, code: str | None) -> bool:
        """False for a file whose name says it holds an area not wanted (then it is not read)."""
        if self.wanted is None:
            return True
        if code is not None:
            self.seen.add(code)
        return code is None or code in self.wanted  # type: ignore[operator]

    def split(self, col: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(normalised codes, rows to keep, rows whose code is bad or empty), as numpy arrays."""
        idx, uniq = pd.factorize(col.to_numpy(dtype=object), use_na_sentinel=True)
        norm, bad_u = normalise_area_codes(uniq)
        norm_a = np.asarray(norm + [None], dtype=object)
        good = [c for c in norm if c is not None]
        self.seen.update(good)
        if self.wanted is None:
            aside = {c for c in good if area_kind(c) == "us_aggregate"}
            self.set_aside |= aside
            keep_u = np.array([c is not None and c not in aside for c in norm] + [False])
        else:
            keep_u = np.array([c in self.wanted for c in norm] + [False])
        bad = np.isin(idx, bad_u) | (idx < 0)
        return norm_a[idx], keep_u[idx], bad

    def keep_chunk(self, label: str):
        """A ``keep`` callable for :func:`sectorkit.lmi.layouts.parse` that raises on a bad code."""
        def keep(col: pd.Series) -> tuple[pd.Series, np.ndarray]:
            codes, mask, bad = self.split(col)
            if bad.any():
                j = int(np.flatnonzero(bad)[0])
                raise bad_area(label, int(col.index[j]), col.iloc[j])
            return pd.Series(codes, index=col.index), mask
        return keep


def bad_area(label: str, i: int, value: object) -> DataError:
    """The :class:`DataError` for an empty or malformed ``area_fips`` cell at row ``i`` of a file."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return DataError(f"{label}: row {i + 1} (line {i + 2}), column 'area_fips': the cell is empty. "
                         "BLS files publish every cell; restore it.")
    return DataError(f"{label}: row {i + 1} (line {i + 2}), column 'area_fips': '{str(value)[:40]}' is not "
                     "a QCEW area code (5-digit FIPS such as 39049, US000, C####, CS###). If a spreadsheet "
                     "changed the codes, download the file again.")


def nothing_kept(areas: AreaFilter) -> DataError:
    """The :class:`DataError` when none of the rows asked for is in the files."""
    seen = sorted(areas.seen)
    have = ", ".join(seen[:12]) + (f" and {len(seen) - 12} more" if len(seen) > 12 else "")
    if areas.wanted is not None:
        want = ", ".join(sorted(areas.wanted - ALWAYS_KEPT))
        return DataError(f"None of the areas asked for ({want}) is in the files; they hold {have or 'no rows'}. "
                         "Check the codes (5-digit FIPS) or add those areas' files.")
    return DataError(f"The files hold only U.S. aggregates that are not the nation ({have}). Add the county files "
                     "(and US000 for the nation), or name these areas to read them as reference areas.")
