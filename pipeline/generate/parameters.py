"""The synthetic clinic in numbers: every prevalence, probability and share the generator uses.

This module is meant to be read (and tuned) by a clinician. It holds no logic: each constant says
what it means. Field names and allowed values come from the contract (`pipeline.contract`); the
tables below list values in the contract's order, which the column headers in the comments name.

Every synthetic patient has a latent *presentation*: how the knee trouble really reached the hip.
It decides the true mechanism (the ground truth the classifier is scored against) and shapes the
findings, which are drawn with realistic noise, so that no single finding gives the answer away.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Final

from pipeline.contract import Mechanism


class Presentation(IntEnum):
    """The latent clinical picture of one patient (its value is a column in the tables below)."""

    REFERRED = 0
    """Knee lesion irritates femoral/obturator fibres (L2-L4); the hip itself is quiet."""
    COMPENSATORY = 1
    """Limp and gluteal overuse: greater trochanteric pain syndrome."""
    BIOMECHANICAL = 2
    """Kinetic chain out of line (rotation, valgus/varus, instability) loading the hip joint."""
    MIXED_COMPENSATORY_BIOMECHANICAL = 3
    """Strong evidence for both compensatory and biomechanical."""
    MIXED_REFERRED_COMPENSATORY = 4
    """Referred ache from the knee plus a limp with gluteal fatigue (hip joint still quiet)."""
    NO_CLEAR_MECHANISM = 5
    """Too little evidence for any mechanism."""
    HIP_PAIN_BEFORE_INJURY = 6
    """Hip pain that began before the knee injury: it did not travel up from the knee."""
    CHILD_HIP_DISORDER = 7
    """A child's own hip (slipped capital femoral epiphysis, Perthes), felt at the knee too."""
    PRIMARY_HIP_OSTEOARTHRITIS = 8
    """Osteoarthritis of the hip itself, from 50 on, present alongside the knee injury."""
    HIP_HURT_IN_SAME_EVENT = 9
    """The fall or blow that hurt the knee hurt the hip as well (pain from that day on)."""


PRESENTATION_MECHANISM: Final[dict[Presentation, Mechanism]] = {
    Presentation.REFERRED: Mechanism.REFERRED,
    Presentation.COMPENSATORY: Mechanism.COMPENSATORY,
    Presentation.BIOMECHANICAL: Mechanism.BIOMECHANICAL,
    Presentation.MIXED_COMPENSATORY_BIOMECHANICAL: Mechanism.MIXED,
    Presentation.MIXED_REFERRED_COMPENSATORY: Mechanism.MIXED,
    Presentation.NO_CLEAR_MECHANISM: Mechanism.UNDETERMINED,
    Presentation.HIP_PAIN_BEFORE_INJURY: Mechanism.UNDETERMINED,
    Presentation.CHILD_HIP_DISORDER: Mechanism.UNDETERMINED,
    Presentation.PRIMARY_HIP_OSTEOARTHRITIS: Mechanism.UNDETERMINED,
    Presentation.HIP_HURT_IN_SAME_EVENT: Mechanism.UNDETERMINED,
}
"""The true mechanism of each presentation, as the contract names it (the ground truth)."""

# --- Knee injury and demographics --------------------------------------------------------------

#                meniscal ligament patello- osteo-   fracture contusion other
#                _tear    _injury  femoral  arthritis
KNEE_INJURY_BY_PRESENTATION: Final[dict[Presentation, tuple[float, ...]]] = {
    Presentation.CHILD_HIP_DISORDER: (0.03, 0.10, 0.40, 0.00, 0.07, 0.25, 0.15),
    Presentation.PRIMARY_HIP_OSTEOARTHRITIS: (0.30, 0.05, 0.05, 0.40, 0.05, 0.10, 0.05),
    Presentation.HIP_HURT_IN_SAME_EVENT: (0.00, 0.35, 0.00, 0.00, 0.30, 0.35, 0.00),
    Presentation.REFERRED: (0.44, 0.03, 0.05, 0.42, 0.01, 0.03, 0.02),  # the article's lesions
    Presentation.COMPENSATORY: (0.18, 0.18, 0.14, 0.20, 0.12, 0.12, 0.06),
    Presentation.BIOMECHANICAL: (0.14, 0.36, 0.22, 0.12, 0.05, 0.05, 0.06),
    Presentation.MIXED_COMPENSATORY_BIOMECHANICAL: (0.18, 0.30, 0.14, 0.18, 0.10, 0.05, 0.05),
    Presentation.MIXED_REFERRED_COMPENSATORY: (0.38, 0.06, 0.06, 0.38, 0.04, 0.04, 0.04),
    Presentation.NO_CLEAR_MECHANISM: (0.18, 0.16, 0.17, 0.17, 0.08, 0.17, 0.07),
    Presentation.HIP_PAIN_BEFORE_INJURY: (0.20, 0.10, 0.10, 0.35, 0.08, 0.12, 0.05),
}
"""The knee injury given the presentation (referred pain needs an irritating knee lesion)."""


@dataclass(frozen=True, slots=True)
class NormalCurve:
    """A bell curve of whole numbers, cut at both ends (values outside are moved to the end)."""

    mean: float
    sd: float
    lowest: int
    highest: int


AGE_BY_KNEE_INJURY: Final[dict[str, NormalCurve]] = {
    # age in years: mean, sd, youngest, oldest
    "meniscal_tear": NormalCurve(44, 14, 14, 90),
    "ligament_injury": NormalCurve(28, 9, 13, 70),  # sport age
    "patellofemoral_pain": NormalCurve(27, 11, 11, 70),
    "osteoarthritis": NormalCurve(67, 10, 40, 99),
    "fracture": NormalCurve(52, 21, 8, 99),
    "contusion": NormalCurve(37, 18, 8, 95),
    "other": NormalCurve(45, 18, 10, 95),
}

AGE_BY_PRESENTATION: Final[dict[Presentation, NormalCurve]] = {
    Presentation.CHILD_HIP_DISORDER: NormalCurve(12, 2, 8, 15),  # the growth plate is open
    Presentation.PRIMARY_HIP_OSTEOARTHRITIS: NormalCurve(67, 9, 50, 95),
}
"""Presentations whose age does not follow the knee injury (ages are redrawn, not cut, when
outside the range, so there is no pile-up at the youngest or oldest age)."""

MIDLIFE_WOMEN_SHARE_BY_PRESENTATION: Final[dict[Presentation, float]] = {
    Presentation.COMPENSATORY: 0.45,
    Presentation.MIXED_COMPENSATORY_BIOMECHANICAL: 0.30,
    Presentation.MIXED_REFERRED_COMPENSATORY: 0.30,
}
"""Greater trochanteric pain syndrome is most common in women aged 40-60: this share of the
compensatory presentations are women of that age (the rest as the knee injury has it)."""
MIDLIFE_AGE: Final = NormalCurve(50, 6, 40, 60)

FEMALE_SHARE_BY_KNEE_INJURY: Final[dict[str, float]] = {
    "meniscal_tear": 0.42,
    "ligament_injury": 0.44,
    "patellofemoral_pain": 0.64,
    "osteoarthritis": 0.60,
    "fracture": 0.55,
    "contusion": 0.45,
    "other": 0.50,
}
"""Share of women among patients with each knee injury (of those recorded female or male)."""
SEX_OTHER_SHARE: Final = 0.006
SEX_UNKNOWN_SHARE: Final = 0.012

#                    same side as knee, other side, both
HIP_SIDE_BY_PRESENTATION: Final[dict[Presentation, tuple[float, ...]]] = {
    Presentation.REFERRED: (0.95, 0.01, 0.04),  # a nerve refers on its own side
    Presentation.COMPENSATORY: (0.62, 0.25, 0.13),
    Presentation.BIOMECHANICAL: (0.82, 0.08, 0.10),
    Presentation.MIXED_COMPENSATORY_BIOMECHANICAL: (0.70, 0.15, 0.15),
    Presentation.MIXED_REFERRED_COMPENSATORY: (0.75, 0.13, 0.12),
    Presentation.NO_CLEAR_MECHANISM: (0.60, 0.25, 0.15),
    Presentation.HIP_PAIN_BEFORE_INJURY: (0.45, 0.35, 0.20),
    Presentation.CHILD_HIP_DISORDER: (0.75, 0.10, 0.15),
    Presentation.PRIMARY_HIP_OSTEOARTHRITIS: (0.45, 0.30, 0.25),  # the hip's own side
    Presentation.HIP_HURT_IN_SAME_EVENT: (0.85, 0.05, 0.10),
}
"""Where the hip hurts relative to the injured knee."""

# --- Time course -------------------------------------------------------------------------------

HIP_PAIN_DAYS_MEDIAN: Final = 15.0
HIP_PAIN_DAYS_SPREAD: Final = 0.9
"""Days from hip pain onset to intake: log-normal with this median and log-scale spread (about
four in ten patients have had hip pain for 21 days or more)."""
HIP_PAIN_DAYS_MAX: Final = 365

LONGSTANDING_HIP_PAIN_DAYS_MEDIAN: Final = 120.0
LONGSTANDING_HIP_PAIN_DAYS_SPREAD: Final = 0.8
LONGSTANDING_HIP_PAIN_DAYS_RANGE: Final = (30, 3650)
"""Hip pain that began before the knee injury has been there longer: days before intake."""

INJURY_TO_HIP_PAIN_DAYS_MEDIAN: Final[dict[Presentation, float]] = {
    Presentation.REFERRED: 2.0,  # the knee lesion refers pain from the start
    Presentation.COMPENSATORY: 12.0,  # gluteal overuse takes weeks of limping
    Presentation.BIOMECHANICAL: 18.0,  # misalignment loads the hip over time
    Presentation.MIXED_COMPENSATORY_BIOMECHANICAL: 14.0,
    Presentation.MIXED_REFERRED_COMPENSATORY: 5.0,
    Presentation.NO_CLEAR_MECHANISM: 8.0,
    Presentation.HIP_PAIN_BEFORE_INJURY: 0.0,  # not used: the injury comes after the hip pain
    Presentation.CHILD_HIP_DISORDER: 6.0,  # noticed once the knee is looked at
    Presentation.PRIMARY_HIP_OSTEOARTHRITIS: 10.0,
    Presentation.HIP_HURT_IN_SAME_EVENT: 0.0,  # the same day: the same fall or blow
}
INJURY_TO_HIP_PAIN_DAYS_SPREAD: Final = 1.0
INJURY_TO_HIP_PAIN_DAYS_FEWEST: Final[dict[Presentation, int]] = {
    Presentation.COMPENSATORY: 3,
    Presentation.MIXED_COMPENSATORY_BIOMECHANICAL: 3,
}
"""Gluteal overuse needs days of limping: hip pain from limping does not start on the day of
the injury or the next (other presentations: 0 days at the fewest)."""
INJURY_TO_HIP_PAIN_DAYS_MAX: Final = 180
"""Days from the knee injury to the start of hip pain: log-normal by presentation."""

REST_TRIED_SHARE_RECENT: Final = 0.40
REST_TRIED_SHARE_AFTER_TWO_WEEKS: Final = 0.78
"""Share of patients who have rested the leg, with hip pain under / at least two weeks old."""
TWO_WEEKS_DAYS: Final = 14

# --- Pain ---------------------------------------------------------------------------------------

PAIN_SCORE_MEAN: Final = 5.0
PAIN_SCORE_SD: Final = 1.8
PAIN_SCORE_SERIOUS_EXTRA: Final = 2.0
"""Pain on the 0-10 scale: a normal curve, higher when a serious condition lies behind it."""

#                 improving, stable, worsening   (rapid worsening is a red flag, see below)
PAIN_TREND_SHARES: Final = (0.28, 0.42, 0.30)

# --- Red flags (urgent triage) -----------------------------------------------------------------

SERIOUS_CONDITION_SHARE: Final = 0.010
SERIOUS_CONDITION_SHARE_AFTER_FRACTURE: Final = 0.05
"""Patients with a serious condition behind the pain (joint infection, missed fracture). They
carry red flags, often several together."""
SERIOUS_FLAG_PROBABILITY: Final = 0.55
"""Each red flag (fever, no weight bearing, rapid worsening) shows in a serious case with this
probability, independently; at least one always shows."""

BACKGROUND_RAPID_WORSENING: Final = 0.010
BACKGROUND_NO_WEIGHT_BEARING: Final = 0.006
BACKGROUND_NO_WEIGHT_BEARING_AFTER_FRACTURE: Final = 0.35
BACKGROUND_FEVER: Final = 0.008
"""Red flags that appear on their own in patients without a serious condition (a broken knee
often cannot take weight at all)."""

FEVER_MEASURED_TOO_SHARE: Final = 0.75
"""When a patient is febrile and the temperature is taken, it reads >= 38.0 this often (the
rest are reported fever with a normal reading, e.g. after antipyretics)."""
FEVER_REPORTED_WHEN_FEBRILE: Final = 0.70
FEVER_REPORTED_OTHERWISE: Final = 0.004
"""The patient reports fever or chills (when asked)."""

TEMPERATURE_NORMAL_TENTHS: Final = NormalCurve(368, 4, 350, 379)
"""Normal body temperature in tenths of a degree (37.9 at most)."""
TEMPERATURE_FEBRILE_TENTHS: Final = NormalCurve(386, 5, 380, 408)
"""Febrile temperature in tenths of a degree, from 38.0 (the triage threshold): the cut puts
many readings exactly on the threshold."""

PARTIAL_WEIGHT_BEARING_WITH_LIMP: Final = 0.40
PARTIAL_WEIGHT_BEARING_WITHOUT_LIMP: Final = 0.10

# --- Findings, by presentation -----------------------------------------------------------------

#                                        REF   COMP  BIO   M-CB  M-RC  NONE  PRE   CHILD HIPOA SAME
BOOLEAN_FINDING_RATES: Final[dict[str, tuple[float, ...]]] = {
    "knee_instability": (0.15, 0.25, 0.70, 0.65, 0.20, 0.15, 0.12, 0.10, 0.12, 0.45),
    "knee_effusion": (0.60, 0.25, 0.25, 0.28, 0.60, 0.20, 0.15, 0.15, 0.25, 0.55),
    "worse_with_walking": (0.40, 0.88, 0.60, 0.90, 0.85, 0.40, 0.55, 0.70, 0.75, 0.60),
    "antalgic_gait": (0.30, 0.95, 0.45, 0.92, 0.85, 0.25, 0.40, 0.75, 0.55, 0.75),
    "trendelenburg_sign": (0.05, 0.70, 0.15, 0.70, 0.65, 0.07, 0.15, 0.30, 0.25, 0.20),
    "trochanteric_tenderness": (0.04, 0.80, 0.15, 0.78, 0.45, 0.10, 0.12, 0.10, 0.15, 0.25),
    "knee_provocation_reproduces_hip_pain": (
        0.90, 0.10, 0.15, 0.15, 0.86, 0.07, 0.05, 0.10, 0.08, 0.10,
    ),
}  # fmt: skip
"""Probability that a yes/no finding is present, by presentation (columns in `Presentation`
order: referred, compensatory, biomechanical, mixed comp+bio, mixed ref+comp, no clear
mechanism, hip pain before injury, child's hip, primary hip osteoarthritis, hip hurt in the
same event). A limp with a referred ache tires the gluteals too: the trochanter of a mixed
referred + compensatory case is often tender. The limp is the compensatory mechanism itself, so
nearly every compensatory case still limps at intake; a knee that refers pain nearly always
brings the hip pain on when it is loaded (the test that shows the referral)."""

EFFUSION_AFTER_FRACTURE: Final = 0.85
"""A fracture into the knee bleeds into the joint (haemarthrosis): the knee is swollen at least
this often, whatever the presentation."""

INSTABILITY_AFTER_LIGAMENT_INJURY: Final = 0.75
"""A torn ligament makes the knee give way at least this often, whatever the presentation."""

REFERRED_WITHOUT_LESION_HAS_EFFUSION: Final = True
"""Referred pain needs an irritated knee: when the injury is not a meniscal tear or
osteoarthritis, the knee of a referred case is always swollen (knee_effusion = true)."""

IRRITATING_KNEE_INJURIES: Final = ("meniscal_tear", "osteoarthritis")
"""Knee injuries that irritate the joint enough to refer pain on their own."""

#                              lateral groin buttock deep_diffuse
HIP_PAIN_LOCATION_BY_PRESENTATION: Final[dict[Presentation, tuple[float, ...]]] = {
    Presentation.REFERRED: (0.01, 0.34, 0.01, 0.64),  # femoral/obturator: groin, deep ache
    Presentation.COMPENSATORY: (0.84, 0.06, 0.06, 0.04),  # trochanteric pain is lateral
    Presentation.BIOMECHANICAL: (0.12, 0.62, 0.14, 0.12),
    Presentation.MIXED_COMPENSATORY_BIOMECHANICAL: (0.50, 0.36, 0.09, 0.05),
    Presentation.MIXED_REFERRED_COMPENSATORY: (0.15, 0.25, 0.05, 0.55),
    Presentation.NO_CLEAR_MECHANISM: (0.28, 0.24, 0.28, 0.20),
    Presentation.HIP_PAIN_BEFORE_INJURY: (0.15, 0.55, 0.15, 0.15),
    Presentation.CHILD_HIP_DISORDER: (0.10, 0.45, 0.05, 0.40),
    Presentation.PRIMARY_HIP_OSTEOARTHRITIS: (0.10, 0.70, 0.10, 0.10),
    Presentation.HIP_HURT_IN_SAME_EVENT: (0.35, 0.35, 0.20, 0.10),
}

#                      full_painless painful restricted
HIP_ROM_BY_PRESENTATION: Final[dict[Presentation, tuple[float, ...]]] = {
    Presentation.REFERRED: (0.93, 0.05, 0.02),
    Presentation.COMPENSATORY: (0.80, 0.17, 0.03),  # extra-articular: the joint moves freely
    Presentation.BIOMECHANICAL: (0.06, 0.76, 0.18),  # loaded for weeks: painful, rarely stiff
    Presentation.MIXED_COMPENSATORY_BIOMECHANICAL: (0.08, 0.77, 0.15),
    Presentation.MIXED_REFERRED_COMPENSATORY: (0.90, 0.08, 0.02),
    Presentation.NO_CLEAR_MECHANISM: (0.60, 0.28, 0.12),
    Presentation.HIP_PAIN_BEFORE_INJURY: (0.15, 0.35, 0.50),
    Presentation.CHILD_HIP_DISORDER: (0.15, 0.40, 0.45),
    Presentation.PRIMARY_HIP_OSTEOARTHRITIS: (0.03, 0.17, 0.80),  # lost rotation comes first
    Presentation.HIP_HURT_IN_SAME_EVENT: (0.25, 0.60, 0.15),
}

#                          positive negative not_done
HIP_PROVOCATION_BY_PRESENTATION: Final[dict[Presentation, tuple[float, ...]]] = {
    Presentation.REFERRED: (0.04, 0.90, 0.06),
    Presentation.COMPENSATORY: (0.15, 0.72, 0.13),
    Presentation.BIOMECHANICAL: (0.72, 0.18, 0.10),
    Presentation.MIXED_COMPENSATORY_BIOMECHANICAL: (0.70, 0.20, 0.10),
    Presentation.MIXED_REFERRED_COMPENSATORY: (0.05, 0.88, 0.07),
    Presentation.NO_CLEAR_MECHANISM: (0.20, 0.60, 0.20),
    Presentation.HIP_PAIN_BEFORE_INJURY: (0.65, 0.20, 0.15),
    Presentation.CHILD_HIP_DISORDER: (0.60, 0.25, 0.15),
    Presentation.PRIMARY_HIP_OSTEOARTHRITIS: (0.70, 0.15, 0.15),
    Presentation.HIP_HURT_IN_SAME_EVENT: (0.60, 0.25, 0.15),
}

#                           neutral internal external not_assessed
FEMORAL_ROTATION_BY_PRESENTATION: Final[dict[Presentation, tuple[float, ...]]] = {
    Presentation.REFERRED: (0.78, 0.05, 0.04, 0.13),
    Presentation.COMPENSATORY: (0.68, 0.10, 0.07, 0.15),
    Presentation.BIOMECHANICAL: (0.10, 0.52, 0.26, 0.12),
    Presentation.MIXED_COMPENSATORY_BIOMECHANICAL: (0.12, 0.50, 0.26, 0.12),
    Presentation.MIXED_REFERRED_COMPENSATORY: (0.75, 0.06, 0.05, 0.14),
    Presentation.NO_CLEAR_MECHANISM: (0.68, 0.08, 0.07, 0.17),
    Presentation.HIP_PAIN_BEFORE_INJURY: (0.60, 0.12, 0.10, 0.18),
    Presentation.CHILD_HIP_DISORDER: (0.55, 0.05, 0.25, 0.15),
    Presentation.PRIMARY_HIP_OSTEOARTHRITIS: (0.60, 0.08, 0.14, 0.18),
    Presentation.HIP_HURT_IN_SAME_EVENT: (0.65, 0.08, 0.08, 0.19),
}

#                         neutral valgus varus not_assessed
KNEE_ALIGNMENT_BY_PRESENTATION: Final[dict[Presentation, tuple[float, ...]]] = {
    Presentation.REFERRED: (0.70, 0.07, 0.09, 0.14),
    Presentation.COMPENSATORY: (0.66, 0.10, 0.09, 0.15),
    Presentation.BIOMECHANICAL: (0.14, 0.45, 0.29, 0.12),
    Presentation.MIXED_COMPENSATORY_BIOMECHANICAL: (0.15, 0.44, 0.29, 0.12),
    Presentation.MIXED_REFERRED_COMPENSATORY: (0.70, 0.07, 0.09, 0.14),
    Presentation.NO_CLEAR_MECHANISM: (0.66, 0.09, 0.09, 0.16),
    Presentation.HIP_PAIN_BEFORE_INJURY: (0.62, 0.10, 0.12, 0.16),
    Presentation.CHILD_HIP_DISORDER: (0.70, 0.08, 0.07, 0.15),
    Presentation.PRIMARY_HIP_OSTEOARTHRITIS: (0.55, 0.12, 0.18, 0.15),
    Presentation.HIP_HURT_IN_SAME_EVENT: (0.66, 0.10, 0.09, 0.15),
}

ENUM_FINDINGS_BY_PRESENTATION: Final[dict[str, dict[Presentation, tuple[float, ...]]]] = {
    "hip_pain_location": HIP_PAIN_LOCATION_BY_PRESENTATION,
    "hip_rom": HIP_ROM_BY_PRESENTATION,
    "hip_provocation": HIP_PROVOCATION_BY_PRESENTATION,
    "femoral_rotation": FEMORAL_ROTATION_BY_PRESENTATION,
    "knee_alignment": KNEE_ALIGNMENT_BY_PRESENTATION,
}
"""The findings with several values, each a table of value shares by presentation."""

# --- Missing optional fields -------------------------------------------------------------------

HIP_EXAM_NOT_DONE_SHARE: Final = 0.015
"""No hip examination at intake: every hip exam finding is left empty together (rare: the hip
is what the patient came about)."""
HIP_EXAM_FIELDS: Final = (
    "trendelenburg_sign",
    "trochanteric_tenderness",
    "hip_rom",
    "hip_provocation",
)

OPTIONAL_FIELD_MISSING_SHARE: Final[dict[str, float]] = {
    "knee_effusion": 0.08,
    "worse_with_walking": 0.10,
    "trendelenburg_sign": 0.06,  # and far more often when in pain: see below
    "trochanteric_tenderness": 0.05,
    "hip_rom": 0.03,
    "hip_provocation": 0.04,
    "knee_provocation_reproduces_hip_pain": 0.10,
    "femoral_rotation": 0.10,
    "knee_alignment": 0.10,
    "temperature_c": 0.45,  # not measured in a patient who looks well: see below
    "fever_reported": 0.25,  # not asked
    "notes": 0.45,
}
"""Share of records where an optional field is simply not filled in."""

TRENDELENBURG_NOT_DONE_IN_PAIN: Final = 0.55
"""Standing on the bad leg is not asked of a patient in pain (pain score `IN_PAIN_SCORE` or
more, or not bearing full weight): the Trendelenburg test is left out this often then."""
IN_PAIN_SCORE: Final = 7
TEMPERATURE_NOT_TAKEN_WHEN_UNWELL: Final = 0.05
"""A patient who looks unwell (febrile, a serious condition behind the pain) nearly always has
the temperature taken; a patient who looks well often does not (`temperature_c` above)."""

NOTE_WITH_LINE_BREAK_SHARE: Final = 0.003
"""Share of notes typed on two lines (a line break inside the quoted CSV cell)."""
NOTE_TWO_PHRASES_SHARE: Final = 0.40
"""Share of notes made of two phrases rather than one."""
NOTE_STARTS_WITH_A_FINDING_SHARE: Final = 0.60
"""Share of notes whose first phrase describes one of the patient's findings in words (a
phrase about a finding, never about the mechanism behind it)."""
