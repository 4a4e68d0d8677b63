"""What the examination finds, drawn from distributions that depend on the presentation, and
which optional fields are left empty (an exam not done, a temperature not taken)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from pipeline.contract import OPTIONAL_FIELDS
from pipeline.contract.fields import KNEE_INJURIES, WEIGHT_BEARING
from pipeline.generate import parameters as p
from pipeline.generate.course import Course
from pipeline.generate.parameters import Presentation
from pipeline.generate.sampling import BoolArray, FloatArray, IntArray, chance, choose_by_row

BOOLEAN_RATES: Final[dict[str, FloatArray]] = {
    name: np.array(rates) for name, rates in p.BOOLEAN_FINDING_RATES.items()
}
"""Per boolean finding, its probability for each presentation (index = `Presentation`)."""
ENUM_SHARES: Final[dict[str, FloatArray]] = {
    name: np.array([table[pr] for pr in Presentation])
    for name, table in p.ENUM_FINDINGS_BY_PRESENTATION.items()
}
"""Per enum finding, a (presentation x value) share table, values in the contract's order."""

_LIGAMENT_INJURY: Final = KNEE_INJURIES.index("ligament_injury")
_FRACTURE: Final = KNEE_INJURIES.index("fracture")
_IRRITATING_INJURIES: Final = np.array([KNEE_INJURIES.index(i) for i in p.IRRITATING_KNEE_INJURIES])
_REFERRED_PRESENTATIONS: Final = np.array(
    [Presentation.REFERRED, Presentation.MIXED_REFERRED_COMPENSATORY]
)


@dataclass(frozen=True, slots=True)
class Findings:
    """The examination of each patient, by contract field name.

    `present` holds the yes/no findings; `value_index` the findings with several values, as
    indexes into the field's allowed values.
    """

    present: dict[str, BoolArray]
    value_index: dict[str, IntArray]


def draw_findings(
    rng: np.random.Generator, presentation: IntArray, knee_injury: IntArray
) -> Findings:
    """Draw every examination finding for each patient."""
    size = len(presentation)
    present = {
        name: chance(rng, rates[presentation], size) for name, rates in BOOLEAN_RATES.items()
    }
    torn_ligament = knee_injury == _LIGAMENT_INJURY
    present["knee_instability"] |= torn_ligament & chance(
        rng, p.INSTABILITY_AFTER_LIGAMENT_INJURY, size
    )
    present["knee_effusion"] |= (knee_injury == _FRACTURE) & chance(
        rng, p.EFFUSION_AFTER_FRACTURE, size
    )
    if p.REFERRED_WITHOUT_LESION_HAS_EFFUSION:
        referred_without_lesion = np.isin(presentation, _REFERRED_PRESENTATIONS) & ~np.isin(
            knee_injury, _IRRITATING_INJURIES
        )
        present["knee_effusion"] |= referred_without_lesion
    value_index = {
        name: choose_by_row(rng, shares, presentation) for name, shares in ENUM_SHARES.items()
    }
    return Findings(present=present, value_index=value_index)


# Which optional fields are left empty, each for a reason where there is one.
_FULL_WEIGHT = WEIGHT_BEARING.index("full")


def draw_missing(rng: np.random.Generator, course: Course) -> dict[str, BoolArray]:
    """For each optional field of the contract, True where the record leaves it empty.

    Fields are missed one by one at their own rate, and all hip exam findings together when
    the hip was not examined at all. Two are missed for a reason: the Trendelenburg test (the
    patient stands on the bad leg) is skipped far more often when the patient is in pain or
    not bearing full weight, and the temperature is nearly always taken when the patient looks
    unwell, often not when the patient looks well.
    """
    size = len(course.pain_score)
    hip_exam_not_done = chance(rng, p.HIP_EXAM_NOT_DONE_SHARE, size)
    in_pain = (course.pain_score >= p.IN_PAIN_SCORE) | (course.weight_bearing != _FULL_WEIGHT)
    reasoned = {
        "trendelenburg_sign": np.where(
            in_pain,
            p.TRENDELENBURG_NOT_DONE_IN_PAIN,
            p.OPTIONAL_FIELD_MISSING_SHARE["trendelenburg_sign"],
        ),
        "temperature_c": np.where(
            course.looks_unwell,
            p.TEMPERATURE_NOT_TAKEN_WHEN_UNWELL,
            p.OPTIONAL_FIELD_MISSING_SHARE["temperature_c"],
        ),
    }
    missing: dict[str, BoolArray] = {}
    for name in OPTIONAL_FIELDS:
        share = reasoned.get(name, p.OPTIONAL_FIELD_MISSING_SHARE.get(name, 0.0))
        missing[name] = chance(rng, share, size)
        if name in p.HIP_EXAM_FIELDS:
            missing[name] |= hip_exam_not_done
    return missing
