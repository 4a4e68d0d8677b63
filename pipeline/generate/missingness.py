"""Which optional fields are left empty: an exam not done, a temperature not taken."""

from __future__ import annotations

import numpy as np

from pipeline.contract import OPTIONAL_FIELDS
from pipeline.generate import parameters as p
from pipeline.generate.arrays import BoolArray
from pipeline.generate.sampling import chance


def draw_missing(rng: np.random.Generator, size: int) -> dict[str, BoolArray]:
    """For each optional field of the contract, True where the record leaves it empty.

    Fields are missed one by one at their own rate, and all hip exam findings together when
    the hip was not examined at all.
    """
    hip_exam_not_done = chance(rng, p.HIP_EXAM_NOT_DONE_SHARE, size)
    missing: dict[str, BoolArray] = {}
    for name in OPTIONAL_FIELDS:
        share = p.OPTIONAL_FIELD_MISSING_SHARE.get(name, 0.0)
        missing[name] = chance(rng, share, size)
        if name in p.HIP_EXAM_FIELDS:
            missing[name] |= hip_exam_not_done
    return missing
