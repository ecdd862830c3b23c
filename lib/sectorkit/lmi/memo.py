"""Results kept beside one parsed QCEW frame for as long as that frame lives.

A team that changes the years on the LMI Review screens the same cached frame again
(:mod:`sectorkit.lmi.cache` returns the very same object). What depends on one year of the whole
frame only, such as the national shares implied by the counties' published LQs, is worked out once per
year and kept here, keyed by the frame's identity; an entry goes when its frame is garbage-collected,
so it can never be served for another frame (or another region's data).

>>> import pandas as pd
>>> frame = pd.DataFrame({"year": [2023]})
>>> per_frame(frame)["x"] = 1
>>> per_frame(frame)["x"], per_frame(pd.DataFrame({"year": [2023]}))
(1, {})
"""

from __future__ import annotations

import weakref
from typing import Any

__all__ = ["per_frame"]

_MEMO: dict[int, tuple[weakref.ref, dict]] = {}


def per_frame(frame: Any) -> dict:
    """The memo dictionary of ``frame`` (a new empty one the first time); dropped with the frame."""
    key = id(frame)
    entry = _MEMO.get(key)
    if entry is None or entry[0]() is not frame:
        entry = (weakref.ref(frame, lambda _ref, k=key: _MEMO.pop(k, None)), {})
        _MEMO[key] = entry
    return entry[1]
