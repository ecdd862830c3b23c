"""The statewide view: read every partnership of a state without changing any (domain layer).

See :mod:`sectorkit.statewide.rollup`.
"""

from sectorkit.statewide.rollup import (
    AssessmentResult,
    MetricRollup,
    RegionSnapshot,
    Stage,
    StateRollup,
    read_region,
    roll_up_metric,
    stage_of,
    state_rollup,
    states_present,
)

__all__ = ["AssessmentResult", "MetricRollup", "RegionSnapshot", "Stage", "StateRollup", "read_region",
           "roll_up_metric", "stage_of", "state_rollup", "states_present"]
