"""Regions as a person handles them: create one from a display name, list them with their names.

A **region** is a workspace (:mod:`sectorkit.store.workspace`) plus, optionally, its **profile**:
the counties it covers (5-digit county FIPS codes), its state (a 2-letter USPS code) and its scope
(``"region"``, a regional partnership's team; or ``"state"``, a state agency's team, whose
workspace holds the state self-assessment and is read by the statewide view), kept as
``record("region_profile", "current", {"counties": [...], "state": "OH", "scope": "region"})``.

:func:`create_region` checks everything before it writes anything: a bad id, an id already in
use, a malformed county code or state leaves the workspace root exactly as it was. The new
workspace is built beside its place and moved there in one step
(:func:`~sectorkit.store.workspace.create_workspace`, on SQLite or PostgreSQL).

>>> import tempfile
>>> root = tempfile.mkdtemp()
>>> ws = create_region("Riverbend Valley", root, counties="39049, 39041", state="oh")
>>> ws.region, ws.name, region_profile(ws)
('riverbend-valley', 'Riverbend Valley', {'counties': ['39049', '39041'], 'state': 'OH', 'scope': 'region'})
>>> ws.close()
>>> create_region("Elsewhere", root, counties=["1001"])
Traceback (most recent call last):
...
sectorkit.core.errors.WorkspaceError: '1001' is not a 5-digit county FIPS code: is the leading zero missing? Try '01001'.
>>> [(s.region, s.illustrative) for s in list_region_summaries(root)]
[('example', True), ('riverbend-valley', False)]
"""  # noqa: E501 - a doctest's expected line cannot wrap

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sectorkit.core.codes import hash_code
from sectorkit.core.errors import InvalidRegionId, WorkspaceError
from sectorkit.core.ids import suggest_region_id, validate_region_id
from sectorkit.example import EXAMPLE_REGION, example_region_name
from sectorkit.store.access import check_member
from sectorkit.store.workspace import (
    Workspace,
    create_workspace,
    default_root,
    list_regions,
    workspace_exists,
)

__all__ = [
    "PROFILE_KEY",
    "PROFILE_KIND",
    "STATES",
    "RegionSummary",
    "create_region",
    "list_region_summaries",
    "SCOPES",
    "parse_counties",
    "parse_scope",
    "parse_state",
    "region_profile",
]

PROFILE_KIND, PROFILE_KEY = "region_profile", "current"

#: What a workspace belongs to: a regional partnership's team, or a state agency's team.
SCOPES = {"region": "A regional partnership's team", "state": "A state agency's team (statewide support)"}

#: USPS code -> state FIPS code (the 50 states, DC, Puerto Rico and the territories BLS publishes)
STATES: dict[str, str] = {
    "AL": "01", "AK": "02", "AZ": "04", "AR": "05", "CA": "06", "CO": "08", "CT": "09", "DE": "10", "DC": "11",
    "FL": "12", "GA": "13", "HI": "15", "ID": "16", "IL": "17", "IN": "18", "IA": "19", "KS": "20", "KY": "21",
    "LA": "22", "ME": "23", "MD": "24", "MA": "25", "MI": "26", "MN": "27", "MS": "28", "MO": "29", "MT": "30",
    "NE": "31", "NV": "32", "NH": "33", "NJ": "34", "NM": "35", "NY": "36", "NC": "37", "ND": "38", "OH": "39",
    "OK": "40", "OR": "41", "PA": "42", "RI": "44", "SC": "45", "SD": "46", "TN": "47", "TX": "48", "UT": "49",
    "VT": "50", "VA": "51", "WA": "53", "WV": "54", "WI": "55", "WY": "56", "AS": "60", "GU": "66", "MP": "69",
    "PR": "72", "VI": "78",
}
_STATE_FIPS = set(STATES.values())
MAX_NAME = 120
MAX_COUNTIES = 300


@dataclass(frozen=True)
class RegionSummary:
    """One region on the region picker.

    Attributes
    ----------
    region : str
        The region id (a slug).
    name : str
        Its display name (free text: escape it before showing it as HTML).
    illustrative : bool
        True for the bundled example region.
    last_activity : str or None
        UTC ISO time of the latest change in the workspace (None: nothing saved yet, or the
        example region before it was first opened).
    """

    region: str
    name: str
    illustrative: bool
    last_activity: str | None

    def __iter__(self):  # (id, name, illustrative, last activity), as a tuple unpacks
        return iter((self.region, self.name, self.illustrative, self.last_activity))


def parse_counties(counties: str | Iterable[object] | None) -> list[str]:
    """County FIPS codes from a comma- (or space-) separated string or a list; checked, in order, no repeats.

    Raises
    ------
    WorkspaceError
        A code that is not 5 digits (a 4-digit code is told its leading zero is missing), a
        statewide code (``..000``), or an unknown state part.

    >>> parse_counties(" 39049,39041 39049 ")
    ['39049', '39041']
    >>> parse_counties("39000")
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.WorkspaceError: '39000' is a statewide code, not a county: give the county codes (5 digits).
    """
    if counties is None:
        return []
    items = re.split(r"[\s,;]+", counties) if isinstance(counties, str) else [str(c) for c in counties]
    codes: list[str] = []
    for raw in items:
        code = raw.strip()
        if not code:
            continue
        shown = repr(code if len(code) <= 20 else code[:20] + "...")
        if re.fullmatch(r"\d{4}", code):
            raise WorkspaceError(f"{shown} is not a 5-digit county FIPS code: is the leading zero missing? "
                                 f"Try '0{code}'.")
        if not re.fullmatch(r"\d{5}", code):
            raise WorkspaceError(f"{shown} is not a 5-digit county FIPS code (for example 39049 for Franklin "
                                 "County, Ohio).")
        if code.endswith("000"):
            raise WorkspaceError(f"{shown} is a statewide code, not a county: give the county codes (5 digits).")
        if code[:2] not in _STATE_FIPS:
            raise WorkspaceError(f"{shown} is not a county FIPS code: no state has the code {code[:2]}.")
        if code not in codes:
            codes.append(code)
    if len(codes) > MAX_COUNTIES:
        raise WorkspaceError(f"{len(codes)} counties is more than a region can hold ({MAX_COUNTIES}).")
    return codes


def parse_state(state: str | None) -> str:
    """A 2-letter USPS state code in capitals, or ``""`` for none.

    >>> parse_state(" oh "), parse_state("")
    ('OH', '')
    >>> parse_state("Ohio")
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.WorkspaceError: 'Ohio' is not a 2-letter state code (for example OH), or leave it empty.
    """
    text = (state or "").strip()
    if not text:
        return ""
    code = text.upper()
    if code not in STATES:
        shown = repr(text if len(text) <= 20 else text[:20] + "...")
        raise WorkspaceError(f"{shown} is not a 2-letter state code (for example OH), or leave it empty.")
    return code


def parse_scope(scope: str | None) -> str:
    """``"region"`` (the default, also for ``None`` or ``""``) or ``"state"``.

    >>> parse_scope(None), parse_scope(" State ")
    ('region', 'state')
    >>> parse_scope("county")
    Traceback (most recent call last):
    ...
    sectorkit.core.errors.WorkspaceError: 'county' is not a scope: choose region or state.
    """
    text = (scope or "").strip().lower() or "region"
    if text not in SCOPES:
        shown = repr(str(scope)[:20])
        raise WorkspaceError(f"{shown} is not a scope: choose region or state.")
    return text


def _folder(root: str | os.PathLike | None) -> Path:
    return Path(root).expanduser() if root is not None else default_root()


def create_region(
    name: str,
    root: str | os.PathLike | None = None,
    *,
    region_id: str | None = None,
    counties: str | Iterable[object] = (),
    state: str = "",
    scope: str = "region",
    access_code: str | None = None,
    members: Iterable[str] = (),
) -> Workspace:
    """Create a new region's workspace with its display name and profile; all or nothing.

    Parameters
    ----------
    name : str
        The display name (free text, 1-120 characters; surrounding spaces dropped).
    root : path, optional
        Workspace root folder (default ``SECTORKIT_HOME``).
    region_id : str, optional
        The id (a slug); default :func:`~sectorkit.core.ids.suggest_region_id` of ``name``.
    counties : str or iterable of str
        5-digit county FIPS codes (a comma-separated string or a list); optional.
    state : str
        A 2-letter USPS code, or ``""`` (a ``"state"`` scope needs one).
    scope : str
        ``"region"`` or ``"state"`` (:data:`SCOPES`).
    access_code : str, optional
        The code that opens the region on a server that asks for codes (stored only as a salted
        hash, :mod:`sectorkit.core.codes`); see :func:`sectorkit.workspaces.access.new_region_access`.
    members : iterable of str
        Hub users who may open it on a hub (the creator, as a rule).

    Returns
    -------
    Workspace
        The new workspace, open (close it when done); its profile is :func:`region_profile`.

    Raises
    ------
    WorkspaceError
        An empty or too long name, a bad id (the message suggests one),
        an id already in use (the example region's included), a malformed county code or state,
        or a root that cannot be written. Nothing is created then.
    AccessCodeError
        An access code that is too short or too long (:func:`~sectorkit.core.codes.check_code`);
        an :class:`~sectorkit.core.codes.AccessError` for a bad member name. Nothing is created.
    """
    display = (name or "").strip() if isinstance(name, str) else ""
    if not display:
        raise WorkspaceError("Give the region a name (for example 'Central Ohio').")
    if len(display) > MAX_NAME:
        raise WorkspaceError(f"A region name is at most {MAX_NAME} characters; this one has {len(display)}.")
    rid = (region_id or "").strip() or suggest_region_id(display)
    try:
        rid = validate_region_id(rid)
    except InvalidRegionId as exc:
        raise WorkspaceError(f"{exc} Suggested: '{suggest_region_id(rid)}'.") from None
    profile = {"counties": parse_counties(counties), "state": parse_state(state), "scope": parse_scope(scope)}
    if profile["scope"] == "state" and not profile["state"]:
        raise WorkspaceError("A state team's workspace needs its state (a 2-letter code, for example OH).")
    hashed = hash_code(access_code) if access_code is not None else None  # checked before anything is written
    people = [check_member(m) for m in members]
    folder = _folder(root)
    if rid == EXAMPLE_REGION or workspace_exists(rid, folder):
        raise WorkspaceError(f"There is already a region with the id '{rid}': open it from the list of regions, "
                             "or choose another id.")

    def fill(ws: Workspace) -> None:
        ws.put_record(PROFILE_KIND, PROFILE_KEY, profile)
        if hashed is not None:
            ws.set_access_hash(hashed)
        for person in people:
            ws.add_member(person)

    try:  # built beside the target and moved into place in one step, on either backend
        return create_workspace(rid, folder, name=display, setup=fill)
    except FileExistsError:
        raise WorkspaceError(f"There is already a region with the id '{rid}'.") from None


def region_profile(ws: Workspace) -> dict:
    """The region's profile: ``{"counties": [5-digit FIPS, ...], "state": "OH" or "", "scope": "region" or "state"}``.

    Never set: no counties, no state, scope ``"region"``. Works on a read-only workspace.
    """
    saved = ws.records(PROFILE_KIND).get(PROFILE_KEY)
    saved = saved if isinstance(saved, dict) else {}
    counties = saved.get("counties")
    return {"counties": [str(c) for c in counties] if isinstance(counties, list) else [],
            "state": saved.get("state") if isinstance(saved.get("state"), str) else "",
            "scope": saved.get("scope") if saved.get("scope") in SCOPES else "region"}


def list_region_summaries(root: str | os.PathLike | None = None) -> list[RegionSummary]:
    """Every region under ``root``, the example region first, then by display name.

    Reads each workspace (and closes it); creates nothing: the example region is listed even
    before its workspace exists (with no activity). A workspace that cannot be read is listed
    under its id with the name "(cannot be read)".
    """
    folder = _folder(root)
    found: list[RegionSummary] = []
    for rid in list_regions(folder):
        try:
            with Workspace.open(rid, folder, create=False) as ws:
                found.append(RegionSummary(rid, ws.name, ws.illustrative, ws.activity()["last"]))
        except WorkspaceError:
            found.append(RegionSummary(rid, f"{rid} (cannot be read)", False, None))
    if not any(s.region == EXAMPLE_REGION for s in found):
        found.append(RegionSummary(EXAMPLE_REGION, example_region_name(), True, None))
    return sorted(found, key=lambda s: (s.region != EXAMPLE_REGION, s.name.casefold(), s.region))
