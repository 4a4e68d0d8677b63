"""The synthetic clinics in numbers: how common each mechanism is, the clinics with their case
mix and time zone, the slow drift of the mix, and when in the week and the day patients arrive.

Meant to be read (and tuned) like `parameters`, which holds the clinical picture of a patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from pipeline.contract import Mechanism
from pipeline.generate.parameters import Presentation

# --- How common each mechanism is --------------------------------------------------------------

BASE_MECHANISM_SHARES: Final[dict[Mechanism, float]] = {
    Mechanism.REFERRED: 0.22,
    Mechanism.COMPENSATORY: 0.30,
    Mechanism.BIOMECHANICAL: 0.20,
    Mechanism.MIXED: 0.10,
    Mechanism.UNDETERMINED: 0.18,
}
"""Share of patients by true mechanism in an average clinic, before clinic and time effects."""

MIXED_SHARE_COMPENSATORY_BIOMECHANICAL: Final = 0.65
"""Of the mixed cases, the share that is compensatory + biomechanical (the rest: referred +
compensatory; referred + biomechanical is not generated, its hip exams contradict each other)."""

UNDETERMINED_SHARES: Final[dict[Presentation, float]] = {
    Presentation.NO_CLEAR_MECHANISM: 0.47,
    Presentation.HIP_PAIN_BEFORE_INJURY: 0.25,
    Presentation.CHILD_HIP_DISORDER: 0.04,
    Presentation.PRIMARY_HIP_OSTEOARTHRITIS: 0.14,
    Presentation.HIP_HURT_IN_SAME_EVENT: 0.10,
}
"""How the undetermined cases divide: no clear mechanism, hip pain before the injury, and the
hip causes of their own (the hip, not the knee, is the source)."""


@dataclass(frozen=True, slots=True)
class ClinicProfile:
    """One clinic: its id, how busy it is, and how its case mix differs from the average."""

    clinic_id: str
    description: str
    relative_volume: float
    """Intake volume relative to the other clinics (1.0 = typical)."""
    mechanism_tilt: dict[Mechanism, float]
    """Multiplier on the base share of a mechanism here (missing mechanisms: 1.0)."""
    drift_phase_days: int
    """Where this clinic is in the slow drift cycle of its case mix on the reference date."""
    utc_offset_minutes: int = 0
    """The clinic's time zone: its local time is UTC plus this many minutes (its intake times
    are written in local time with this offset; its day is its local day)."""


CLINIC_PROFILES: Final[tuple[ClinicProfile, ...]] = (
    ClinicProfile(
        "clinic_north",
        "sports medicine: young, active patients, many ligament injuries",
        1.00,
        {Mechanism.BIOMECHANICAL: 1.7, Mechanism.REFERRED: 0.6},
        0,
        utc_offset_minutes=60,
    ),
    ClinicProfile(
        "clinic_harbour",
        "general orthopaedics with an older population: osteoarthritis, meniscal degeneration",
        0.85,
        {Mechanism.REFERRED: 1.6, Mechanism.BIOMECHANICAL: 0.7},
        120,
        utc_offset_minutes=-300,
    ),
    ClinicProfile(
        "clinic_riverside",
        "rehabilitation centre: patients weeks into a limp",
        0.70,
        {Mechanism.COMPENSATORY: 1.5, Mechanism.MIXED: 1.3},
        240,
        utc_offset_minutes=600,
    ),
    ClinicProfile(
        "clinic_east",
        "urgent care walk-in",
        0.60,
        {Mechanism.UNDETERMINED: 1.5},
        60,
        utc_offset_minutes=-480,
    ),
    ClinicProfile(
        "clinic_hillside",
        "community physiotherapy",
        0.45,
        {Mechanism.COMPENSATORY: 1.2},
        300,
        utc_offset_minutes=720,
    ),
    ClinicProfile(
        "clinic_lakeside", "mixed general practice", 0.40, {}, 180, utc_offset_minutes=-180
    ),
    ClinicProfile(
        "clinic_central",
        "teaching hospital knee clinic",
        0.90,
        {Mechanism.MIXED: 1.4},
        420,
        utc_offset_minutes=330,
    ),
    ClinicProfile(
        "clinic_west",
        "small rural practice",
        0.25,
        {Mechanism.UNDETERMINED: 1.3},
        360,
        utc_offset_minutes=-720,
    ),
)
"""The named clinics, used in this order. More clinics than these are named `clinic_09`, ...
with a typical volume and a case mix tilted at random (seeded)."""

EXTRA_CLINIC_VOLUME_RANGE: Final = (0.3, 1.0)
"""Relative volume of clinics beyond the named ones: drawn uniformly from this range."""
EXTRA_CLINIC_TILT_RANGE: Final = (0.7, 1.4)
MAX_UTC_OFFSET_MINUTES: Final = 12 * 60
"""Clinics lie in time zones up to 12 hours either side of UTC; those beyond the named ones
get a seeded offset in quarter hours."""
"""Mechanism multipliers of clinics beyond the named ones: drawn uniformly from this range."""

DRIFT_REFERENCE_DATE_ISO: Final = "2026-01-01"
"""Dates are placed on the drift cycle relative to this day, so a date always has the same mix."""
MECHANISM_DRIFT_PERIOD_DAYS: Final = 540
"""The case mix drifts slowly: each mechanism's share rises and falls over this many days."""
MECHANISM_DRIFT_AMPLITUDE: Final = 0.35
"""Strength of the drift: a mechanism's share is multiplied by between exp(-A) and exp(+A)."""

# --- When patients arrive ----------------------------------------------------------------------

WEEKDAY_VOLUME: Final[tuple[float, ...]] = (1.15, 1.05, 1.00, 1.00, 0.90, 0.35, 0.20)
"""Relative intake volume Monday to Sunday: clinics are quiet at weekends."""

HOURLY_VOLUME: Final[tuple[float, ...]] = (
    0.04, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
    0.6, 1.0, 1.2, 1.2, 1.1, 0.8, 0.9, 1.0, 1.0, 0.9, 0.7, 0.5, 0.3,
    0.1, 0.05, 0.04, 0.06,
)  # fmt: skip
"""Relative intake volume for each hour of the clinic's local day, 00:00 to 23:00: office
hours 07:00-20:00 (morning peak, lunch dip), then the evening and the first hour after
midnight, when an urgent-care desk still takes patients in (some intakes near local midnight)."""
