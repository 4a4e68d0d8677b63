"""Which optional fields are left empty: an exam not done, a temperature not taken, each for a
reason where there is one."""

from __future__ import annotations

import numpy as np

from pipeline.contract import OPTIONAL_FIELDS
from pipeline.contract.fields import WEIGHT_BEARING
from pipeline.generate import parameters as p
from pipeline.generate.arrays import BoolArray
from pipeline.generate.course import Course
from pipeline.generate.sampling import chance

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
