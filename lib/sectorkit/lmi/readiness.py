"""Industry readiness: rate each shortlisted sector on the readiness factors, rank the shortlist.

The labor-market screen (:mod:`sectorkit.lmi.screen`) says which sectors are big, well paid, growing
and concentrated. Whether a sector is *ready* for a partnership is a judgment the support team makes
from what it knows of the businesses: the readiness factors below paraphrase the ones the Next Gen
Sector Partnership training toolkit and its FAQ discuss (sectorkit's own wording).

Scale and ranking rule (no black box)
-------------------------------------
* Each factor is rated on :data:`RATINGS`, 1 (no sign yet) to 4 (strong evidence), with an evidence
  note. A factor without a rating is **unknown**, never zero.
* A sector's readiness is the **mean of its rated factors** (1 to 4). It is ranked only when at least
  :data:`MIN_RATED` of the six factors are rated; otherwise it is listed after the ranked sectors as
  "not rated" (with how many factors are rated so far), never scored.
* Ranked sectors are ordered by readiness (higher first); ties are broken by the LMI screen's total
  score (higher first), then by employment (larger first), then by industry code. Sectors sharing
  readiness and screen score share a rank.
* The reasons in words name the strongest and weakest rated factors, the LMI figures, and any
  disagreement between the team's "growing" rating (3 or 4) and a fall in jobs in the data.

Storage: one workspace record per sector, kind :data:`READINESS_KIND`, key the industry code, value
``{"title", "ratings": {factor: 1..4}, "evidence": {factor: text}, "saved_at"}``
(:class:`SectorReadiness`).

Examples
--------
>>> short = [{"industry_code": "62", "title": "Health Care"}, {"industry_code": "72", "title": "Food"}]
>>> r = {"62": SectorReadiness("62", "Health Care", {"growing": 4, "champions": 3, "shared-fate": 2})}
>>> ranked = rank_shortlist(short, r)
>>> ranked[["industry_code", "rank", "readiness", "status"]].values.tolist()
[['62', 1, 3.0, 'rated'], ['72', None, None, 'not rated']]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sectorkit.core.errors import DataError, SectorkitError
from sectorkit.lmi import screen as S
from sectorkit.lmi.sources import CHOICE_KIND, load_source

__all__ = ["FACTORS", "MIN_RATED", "RATINGS", "READINESS_KIND", "Factor", "SectorReadiness", "lmi_figures",
           "figures_text", "load_ratings", "rank_shortlist", "shortlist_of", "shortlisted"]

READINESS_KIND = "readiness"
#: the fewest rated factors for a sector to be ranked
MIN_RATED = 3
#: rating -> label (the shared scale of every factor)
RATINGS: dict[int, str] = {1: "No sign yet", 2: "Some signs", 3: "Clear signs", 4: "Strong evidence"}
EVIDENCE_LIMIT = 1000


@dataclass(frozen=True)
class Factor:
    """One readiness factor: ``id`` (stored), ``label`` (short, shown), ``question`` (what to ask)."""

    id: str
    label: str
    question: str


#: The six readiness factors, in the order they are shown.
FACTORS: tuple[Factor, ...] = (
    Factor("growing", "Growing, not contracting",
           "Are firms in the sector adding jobs, investing or expanding, rather than shrinking?"),
    Factor("shared-fate", "Leaders tie their success to the region's",
           "Do business leaders see their companies' long-term success as bound up with the region's?"),
    Factor("champions", "Champions we can name",
           "Can the team name senior business leaders who would personally invite their peers?"),
    Factor("partners-reaching-out", "Several partners already reaching out",
           "Are several support partners already reaching out to these businesses, each on its own?"),
    Factor("shared-challenges", "Shared challenges no firm solves alone",
           "Do the firms face problems (talent, sites, supply chains, rules) no single firm can fix alone?"),
    Factor("existing-table", "An existing table or association",
           "Do the firms already meet somewhere: an association, a network, a roundtable?"),
)
FACTOR_IDS = tuple(f.id for f in FACTORS)
_LABELS = {f.id: f.label for f in FACTORS}


@dataclass(frozen=True)
class SectorReadiness:
    """The team's readiness ratings of one sector (the record of kind :data:`READINESS_KIND`).

    Parameters
    ----------
    code : str
        NAICS industry code (the record key), e.g. ``"31-33"``.
    title : str
        The sector's title (plain text).
    ratings : dict of str to int
        Factor id -> rating 1..4; a missing factor is unrated.
    evidence : dict of str to str
        Factor id -> evidence note (at most 1000 characters).

    Raises
    ------
    DataError
        For an unknown factor, a rating outside 1..4 or a note that is too long.

    >>> SectorReadiness("62", "Health", {"growing": 5})
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.DataError: The rating of 'Growing, not contracting' must be 1 to 4, not 5.
    """

    code: str
    title: str = ""
    ratings: dict[str, int] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for fid, value in {**self.ratings, **self.evidence}.items():
            if fid not in _LABELS:
                raise DataError(f"Unknown readiness factor {fid!r}; known: {', '.join(FACTOR_IDS)}.")
        for fid, value in self.ratings.items():
            if isinstance(value, bool) or not isinstance(value, int) or value not in RATINGS:
                raise DataError(f"The rating of '{_LABELS[fid]}' must be 1 to 4, not {value!r}.")
        for fid, note in self.evidence.items():
            if len(str(note)) > EVIDENCE_LIMIT:
                raise DataError(f"The evidence note on '{_LABELS[fid]}' is {len(note):,} characters; "
                                f"the limit is {EVIDENCE_LIMIT:,}.")

    @classmethod
    def from_record(cls, code: str, value: Mapping[str, Any]) -> "SectorReadiness":
        """Read a saved record, dropping (not failing on) values that are no longer valid."""
        ratings = {k: v for k, v in dict(value.get("ratings") or {}).items()
                   if k in _LABELS and isinstance(v, int) and not isinstance(v, bool) and v in RATINGS}
        evidence = {k: str(v)[:EVIDENCE_LIMIT] for k, v in dict(value.get("evidence") or {}).items()
                    if k in _LABELS and v}
        return cls(str(code), str(value.get("title") or ""), ratings, evidence)

    def to_record(self) -> dict[str, Any]:
        """The JSON value saved in the workspace (without ``saved_at``)."""
        return {"title": self.title, "ratings": dict(self.ratings),
                "evidence": {k: v for k, v in self.evidence.items() if v}}

    @property
    def readiness(self) -> float | None:
        """Mean of the rated factors (1 to 4), or None with fewer than :data:`MIN_RATED` rated."""
        if len(self.ratings) < MIN_RATED:
            return None
        return sum(self.ratings.values()) / len(self.ratings)


def shortlisted(choices: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The sectors marked *Shortlist* in the LMI Review (records of kind ``sector_choice``), by code.

    >>> shortlisted({"72": {"decision": "maybe"}, "62": {"decision": "shortlist", "title": "Health Care"}})
    [{'industry_code': '62', 'title': 'Health Care', 'naics_digits': 2, 'note': ''}]
    """
    out = []
    for code, rec in sorted(choices.items()):
        if rec.get("decision") == "shortlist":
            out.append({"industry_code": str(code), "title": str(rec.get("title") or f"NAICS {code}"),
                        "naics_digits": int(rec.get("naics_digits") or (3 if len(str(code)) == 3 else 2)),
                        "note": str(rec.get("note") or "")})
    return out


def lmi_figures(settings: Mapping[str, Any], codes: Iterable[str], counties: str | None = None,
                folder: Path | None = None) -> tuple[pd.DataFrame | None, str | None]:
    """The LMI screen's figures for ``codes``, from the LMI Review's saved settings.

    Parameters
    ----------
    settings : mapping
        The ``lmi_settings`` record (source, folder, counties, crosswalk, years, ownership, weights);
        missing keys take the LMI Review's defaults (the example region, 2020-2023, private).
    codes : iterable of str
        Industry codes (2-digit sectors such as ``31-33`` and/or 3-digit subsectors).
    counties : str, optional
        County FIPS codes to use instead of the settings' counties (the saved footprint).

    Returns
    -------
    (pandas.DataFrame or None, str or None)
        One row per code found: ``industry_code, employment, establishments, lq, growth_pct,
        pay_ratio, total_score, screen_rank, why`` (jobs and establishments are counts in the end
        year; ``growth_pct`` is percent), plus ``attrs`` ``start_year``, ``end_year``, ``region_name``;
        or None and the reason when the data cannot be read.

    >>> f, problem = lmi_figures({"source": "example"}, ["62"])
    >>> f["industry_code"].tolist(), problem, f.attrs["end_year"]
    (['62'], None, 2023)
    """
    codes = [str(c) for c in codes]
    try:
        source = settings.get("source") or "example"
        chosen = counties if counties is not None else ("" if source == "example" else settings.get("counties", ""))
        data, region = load_source(source, folder, chosen or "")
        years = sorted(int(y) for y in data["year"].unique())
        end = int(settings.get("end_year") or years[-1])
        start = int(settings.get("start_year") or max([y for y in years if y <= end - 3] or [years[0]]))
        parts = []
        for digits in sorted({3 if len(c) == 3 else 2 for c in codes}):
            sc = S.build_sector_screen(data, region, start, end, digits=digits,
                                       own_code=int(settings.get("own_code", 5)), weights=settings.get("weights"))
            parts.append(sc)
    except (SectorkitError, KeyError, ValueError, TypeError) as exc:
        return None, str(exc)
    if not parts:
        return None, "no sector is shortlisted"
    sc = pd.concat(parts, ignore_index=True)
    sc = sc[sc["industry_code"].astype(str).isin(codes)]
    out = sc[["industry_code", "employment", "establishments", "lq", "growth_pct", "pay_ratio", "total_score",
              "rank", "why"]].rename(columns={"rank": "screen_rank"}).reset_index(drop=True)
    out.attrs.update(start_year=start, end_year=end, region_name=region.name)
    return out, None


def _num(value: Any) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def figures_text(fig: Mapping[str, Any] | None, start: Any, end: Any) -> str:
    if not fig:
        return "No LMI figures for this sector."
    bits = []
    jobs = _num(fig.get("employment"))
    if jobs is not None:
        bits.append(f"{jobs:,.0f} jobs")
    lq = _num(fig.get("lq"))
    if lq is not None:
        bits.append(f"LQ {lq:.2f}")
    growth = _num(fig.get("growth_pct"))
    if growth is not None:
        period = f" {start}-{end}" if start and end else ""
        bits.append(f"jobs {growth:+.1f}%{period}")
    else:
        bits.append("growth unknown")
    return "Data: " + ", ".join(bits) + "."


def _why(rec: SectorReadiness | None, fig: Mapping[str, Any] | None, start: Any, end: Any) -> str:
    ratings = rec.ratings if rec else {}
    n = len(ratings)
    parts = []
    if n < MIN_RATED:
        parts.append(f"Not rated yet: {n} of {len(FACTORS)} factors rated; rate at least {MIN_RATED} to rank it.")
    else:
        mean = sum(ratings.values()) / n
        parts.append(f"Readiness {mean:.2f} of 4 on {n} of {len(FACTORS)} factors.")
        order = sorted(ratings.items(), key=lambda kv: (-kv[1], FACTOR_IDS.index(kv[0])))
        top = [f"{_LABELS[k].lower()} ({v})" for k, v in order if v == order[0][1]]
        low = [f"{_LABELS[k].lower()} ({v})" for k, v in order if v == order[-1][1]]
        if order[0][1] == order[-1][1]:
            parts.append(f"Every rated factor is {order[0][1]} ({RATINGS[order[0][1]].lower()}).")
        else:
            parts.append("Strongest: " + "; ".join(top) + ". Weakest: " + "; ".join(low) + ".")
    parts.append(figures_text(fig, start, end))
    growth = _num(fig.get("growth_pct")) if fig else None
    if ratings.get("growing", 0) >= 3 and growth is not None and growth < 0:
        parts.append(f"Check: the team rates it growing, but the data show jobs falling {growth:.1f}%.")
    elif growth is not None and growth < 0:
        parts.append("The data show jobs falling: the toolkit warns that contracting sectors make weak candidates.")
    return " ".join(parts)


def rank_shortlist(shortlist: Iterable[Mapping[str, Any]], ratings: Mapping[str, SectorReadiness],
                   figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """One ranked shortlist: readiness ratings next to the LMI figures, with the reasons in words.

    Parameters
    ----------
    shortlist : iterable of mapping
        The shortlisted sectors, each with ``industry_code`` and ``title`` (see :func:`shortlisted`).
    ratings : mapping of str to SectorReadiness
        The team's ratings by industry code (sectors without one are "not rated").
    figures : pandas.DataFrame, optional
        :func:`lmi_figures` output (``industry_code, employment, lq, growth_pct, total_score, ...``).

    Returns
    -------
    pandas.DataFrame
        One row per shortlisted sector, ranked ones first (see the module docstring for the rule):
        ``rank`` (int, or None when not rated), ``industry_code, title, status`` ("rated" or
        "not rated"), ``readiness`` (mean 1-4, or None), ``n_rated``, one column per factor id
        (rating or None), ``employment, lq, growth_pct, total_score`` (NaN when unknown) and ``why``.

    Examples
    --------
    >>> figs = pd.DataFrame({"industry_code": ["62", "31-33"], "employment": [900.0, 1200.0],
    ...                      "lq": [1.1, 1.6], "growth_pct": [4.0, -2.0], "total_score": [60.0, 70.0]})
    >>> three = {"growing": 3, "champions": 3, "existing-table": 3}
    >>> r = {"62": SectorReadiness("62", "Health", three), "31-33": SectorReadiness("31-33", "Mfg", three)}
    >>> out = rank_shortlist([{"industry_code": "62"}, {"industry_code": "31-33"}], r, figs)
    >>> out[["industry_code", "rank"]].values.tolist()  # equal readiness: the screen score decides
    [['31-33', 1], ['62', 2]]
    >>> out["why"].iloc[0].split(". Check")[1]
    ': the team rates it growing, but the data show jobs falling -2.0%.'
    """
    figs: dict[str, dict] = {}
    start = end = None
    if figures is not None:
        figs = {str(r["industry_code"]): r for r in figures.to_dict("records")}
        start, end = figures.attrs.get("start_year"), figures.attrs.get("end_year")
    rows = []
    for item in shortlist:
        code = str(item["industry_code"])
        rec = ratings.get(code)
        fig = figs.get(code)
        readiness = rec.readiness if rec else None
        row = {"rank": None, "industry_code": code,
               "title": str(item.get("title") or (rec.title if rec else "") or f"NAICS {code}"),
               "status": "rated" if readiness is not None else "not rated",
               "readiness": None if readiness is None else round(readiness, 2),
               "n_rated": len(rec.ratings) if rec else 0}
        for fid in FACTOR_IDS:
            row[fid] = rec.ratings.get(fid) if rec else None
        for col in ("employment", "lq", "growth_pct", "total_score"):
            v = _num(fig.get(col)) if fig else None
            row[col] = float("nan") if v is None else v
        row["why"] = _why(rec, fig, start, end)
        rows.append(row)

    def key(r: dict) -> tuple:
        score = r["total_score"] if not math.isnan(r["total_score"]) else -math.inf
        jobs = r["employment"] if not math.isnan(r["employment"]) else -math.inf
        return (r["readiness"] is None, -(r["readiness"] or 0), -score, -jobs, r["industry_code"])

    rows.sort(key=key)
    last: tuple | None = None
    for i, r in enumerate(rows, start=1):
        if r["readiness"] is None:
            continue
        tie = (r["readiness"], r["total_score"])
        r["rank"] = rows[i - 2]["rank"] if last == tie else i
        last = tie
    columns = ["rank", "industry_code", "title", "status", "readiness", "n_rated", *FACTOR_IDS,
               "employment", "lq", "growth_pct", "total_score", "why"]
    out = pd.DataFrame(rows, columns=columns)
    for col in ("rank", "readiness", *FACTOR_IDS):  # None stays None (unknown), never NaN or 0
        out[col] = pd.Series([r[col] for r in rows], index=out.index, dtype=object)
    out.attrs.update(start_year=start, end_year=end)
    return out


def load_ratings(records: Mapping[str, Mapping[str, Any]]) -> dict[str, SectorReadiness]:
    """The saved readiness records (kind :data:`READINESS_KIND`) as :class:`SectorReadiness` by code."""
    return {str(code): SectorReadiness.from_record(code, value) for code, value in records.items()}


def shortlist_of(workspace: Any) -> list[dict[str, Any]]:
    """The shortlisted sectors of a workspace (anything with ``records(kind)``)."""
    return shortlisted(workspace.records(CHOICE_KIND))
