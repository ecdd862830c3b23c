"""Rates a person types: a percentage where a fraction is expected, or the reverse, is asked about.

A growth rate of 7.14 % can be typed as ``0.0714`` (a fraction) or ``7.14`` (a percent). Where the
code expects one and gets the other, the results are off by a factor of 100 (shift-share effects
of 17,850 jobs on a 150-job change). :func:`check_rate` reads a rate as the caller expects it and
raises a question when the number looks like the other unit:

- ``expect="fraction"``: a number beyond ``limit`` (default 1, i.e. 100 %) raises
  :class:`RateLooksLikePercent` ("Did you mean 7.14 % = 0.0714?");
- ``expect="percent"``: a number strictly between ``-limit`` and ``limit`` (default 1, i.e. under
  1 %) other than 0 raises :class:`RateLooksLikeFraction` ("Did you mean 0.0714 = 7.14 %?").

Text with a percent sign (``"7.14%"``, ``"7.14 %"``) is never ambiguous: it is converted to the
expected unit without a question, which is also how a person confirms an unusual value
(``"150%"`` where a fraction is expected). Both errors are :class:`~sectorkit.core.errors.DataError`
(a :class:`~sectorkit.core.errors.SectorkitError`), so pages show their message; ``.suggested``
holds the value in the expected unit, ``.value`` what was given and ``.name`` the rate's name.

Examples
--------
>>> check_rate(0.0714, name="national growth")
0.0714
>>> check_rate("7.14%", name="national growth")
0.0714
>>> try:
...     check_rate(7.14, name="national growth")
... except RateLooksLikePercent as exc:
...     print(exc.suggested, "|", str(exc)[:84])
0.0714 | national growth is 7.14, which is 714 % as a fraction. Did you mean 7.14 % = 0.0714?
>>> check_rate(7.14, expect="percent", name="growth")
7.14
"""

from __future__ import annotations

import math
from typing import Any, Literal

from sectorkit.core.errors import DataError

__all__ = ["RateError", "RateLooksLikeFraction", "RateLooksLikePercent", "check_rate", "format_number"]


class RateError(DataError):
    """A rate that cannot be used as typed; ``name``, ``value`` (as given) and ``suggested`` (or None)."""

    def __init__(self, message: str, *, name: str, value: Any, suggested: float | None = None):
        super().__init__(message)
        self.name, self.value, self.suggested = name, value, suggested


class RateLooksLikePercent(RateError):
    """A fraction was expected and the number looks like a percentage (``suggested`` = value / 100)."""


class RateLooksLikeFraction(RateError):
    """A percentage was expected and the number looks like a fraction (``suggested`` = value * 100)."""


def format_number(value: float, digits: int = 6) -> str:
    """A short decimal for messages: no float noise, no trailing zeros (``0.0714``, ``714``).

    >>> format_number(7.14 * 100), format_number(0.07140000001), format_number(-0.5)
    ('714', '0.0714', '-0.5')
    """
    text = f"{value:.{digits}g}" if abs(value) >= 1 else f"{value:.{digits}f}"
    if "e" in text:
        return f"{value:g}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _tidy(value: float) -> float:
    """``value`` without the float noise of a division by 100 (7.14 / 100 -> 0.0714)."""
    return float(f"{value:.12g}")


def _parse(value: Any, name: str) -> tuple[float, bool]:
    """``(number, had a percent sign)``; a DataError for anything that is not a finite number."""
    percent = False
    number: Any = value
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if text.endswith("%"):
            percent, text = True, text[:-1].strip()
        try:
            number = float(text)
        except ValueError:
            raise RateError(f"{name} is '{value.strip()}', which is not a number; type for example 0.0714 or 7.14%.",
                            name=name, value=value) from None
    if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(float(number)):
        raise RateError(f"{name} is {value!r}, which is not a number; type for example 0.0714 or 7.14%.",
                        name=name, value=value)
    return float(number), percent


def check_rate(value: Any, *, expect: Literal["fraction", "percent"] = "fraction", name: str = "the rate",
               limit: float = 1.0) -> float:
    """Read ``value`` as a rate in the ``expect``-ed unit; ask (raise) when it looks like the other unit.

    Parameters
    ----------
    value : float, int or str
        What was typed or passed: ``0.0714``, ``7.14``, ``"7.14%"``, ``"0.0714"``.
    expect : {"fraction", "percent"}
        The unit the caller computes with (0.0714 or 7.14 for 7.14 %).
    name : str
        How messages name the rate ("national growth").
    limit : float
        ``expect="fraction"``: the largest plausible size of the fraction (1.0 = 100 %); beyond it the
        number is taken for a percentage. ``expect="percent"``: the smallest plausible size of a
        nonzero percentage (1.0 = 1 %); below it the number is taken for a fraction.

    Returns
    -------
    float
        The rate in the expected unit.

    Raises
    ------
    RateLooksLikePercent, RateLooksLikeFraction
        The number looks like the other unit; the message asks "Did you mean ...?" and
        ``.suggested`` is the value converted. Text with a ``%`` sign never raises these.
    RateError
        Not a finite number (a :class:`~sectorkit.core.errors.DataError`).

    >>> try:
    ...     check_rate(0.0714, expect="percent", name="growth")
    ... except RateLooksLikeFraction as exc:
    ...     print(exc.suggested, "|", str(exc)[:66])
    7.14 | growth is 0.0714, which is 0.0714 %. Did you mean 0.0714 = 7.14 %?
    >>> check_rate("150%", name="growth")
    1.5
    """
    if expect not in ("fraction", "percent"):
        raise ValueError(f"expect must be 'fraction' or 'percent', not {expect!r}")
    number, percent = _parse(value, name)
    if percent:
        return _tidy(number / 100) if expect == "fraction" else number
    shown = format_number(number)
    if expect == "fraction" and abs(number) > limit:
        suggested = _tidy(number / 100)
        raise RateLooksLikePercent(
            f"{name} is {shown}, which is {format_number(number * 100)} % as a fraction. Did you mean {shown} % = "
            f"{format_number(suggested)}? Type {format_number(suggested)} (or {shown}%), or type "
            f"{format_number(number * 100)}% if you really mean {format_number(number * 100)} %.",
            name=name, value=value, suggested=suggested)
    if expect == "percent" and number != 0 and abs(number) < limit:
        suggested = _tidy(number * 100)
        raise RateLooksLikeFraction(
            f"{name} is {shown}, which is {shown} %. Did you mean {shown} = {format_number(suggested)} %? "
            f"Type {format_number(suggested)} (or {format_number(suggested)}%), or type {shown}% if you really "
            f"mean {shown} %.",
            name=name, value=value, suggested=suggested)
    return number
