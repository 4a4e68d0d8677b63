"""The classification the product produces for every case (the contract's "Outputs")."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Mechanism(StrEnum):
    """How the knee trouble reached the hip."""

    REFERRED = "referred"
    COMPENSATORY = "compensatory"
    BIOMECHANICAL = "biomechanical"
    MIXED = "mixed"
    UNDETERMINED = "undetermined"


class Triage(StrEnum):
    """How urgent the case is, most urgent first."""

    URGENT = "urgent"
    EVALUATE = "evaluate"
    ROUTINE = "routine"


class TriageReason(StrEnum):
    """Why a case is urgent or needs evaluation."""

    RAPID_WORSENING = "rapid_worsening"
    NO_WEIGHT_BEARING = "no_weight_bearing"
    FEVER = "fever"
    PERSISTENT_DESPITE_REST = "persistent_despite_rest"


MECHANISMS: Final = tuple(m.value for m in Mechanism)
TRIAGE_LEVELS: Final = tuple(t.value for t in Triage)
TRIAGE_REASONS: Final = tuple(r.value for r in TriageReason)


FEVER_TEMPERATURE_C: Final = 38.0
"""Triage: a measured `temperature_c` at or above this is fever (37.9 is not, 38.0 is)."""
PERSISTENT_PAIN_DAYS: Final = 21
"""Triage: hip pain lasting this many days or more, from `hip_pain_onset_date` to the date of
`intake_at`, with rest tried, needs evaluation."""
