"""The partnership's own work after the launch: what business leaders said, and what the action teams do.

Pure functions on the rows of two worksheets (no widgets, no HTML):

* :mod:`.capture` (Step 4, the ``launch-capture`` worksheet): the priorities business leaders chose,
  what it would take to seize each, and the champions who committed, gathered into a
  :class:`~.capture.LaunchSummary` (the content of the meeting's executive summary) with the
  problems a facilitator should fix before sending it;
* :mod:`.action_teams` (Step 5, the ``action-teams`` worksheet): teams pre-filled from the launch
  priorities (never twice), and the 60-day deliverables checked against a given ``today``:
  overdue, unowned, due before they start, stuck.

The pages are :mod:`sectorkit.apps.launch_capture` and :mod:`sectorkit.apps.action_teams`; the HTML is
:mod:`sectorkit.views.partnership`.

>>> from datetime import date
>>> summary = summarize({}, [{"priority": "Grow our own"}], [{"name": "Ana", "priority": "grow our own"}])
>>> [(p.name, [c.name for c in p.champions]) for p in summary.priorities]
[('Grow our own', ['Ana'])]
>>> teams_from_priorities(summary.priorities, [])[0]["team"]
'Grow our own'
"""

from sectorkit.partnership.action_teams import (
    DELIVERABLES,
    NEXT_QUARTERLY,
    STATUS_LABELS,
    TEAMS,
    TEAMS_SPEC,
    Flag,
    TeamStatus,
    deliverable_flags,
    next_meeting,
    team_board,
    teams_from_priorities,
)
from sectorkit.partnership.capture import (
    CAPTURE_SPEC,
    CHAMPIONS,
    PRIORITIES,
    Champion,
    LaunchSummary,
    Priority,
    parse_date,
    read_summary,
    same_name,
    summarize,
)

__all__ = [
    "CAPTURE_SPEC", "CHAMPIONS", "DELIVERABLES", "NEXT_QUARTERLY", "PRIORITIES", "STATUS_LABELS", "TEAMS",
    "TEAMS_SPEC", "Champion", "Flag", "LaunchSummary", "Priority", "TeamStatus", "deliverable_flags",
    "next_meeting", "parse_date", "read_summary", "same_name", "summarize", "team_board", "teams_from_priorities",
]
