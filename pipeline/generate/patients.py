"""Who the patient is: latent presentation, knee injury, age, sex and the sides that hurt."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from pipeline.contract.fields import HIP_PAIN_SIDES, KNEE_INJURIES, KNEE_SIDES, SEXES
from pipeline.generate import parameters as p
from pipeline.generate.parameters import Presentation
from pipeline.generate.sampling import (
    FloatArray,
    IntArray,
    chance,
    choose_by_row,
    choose_each,
    truncated_normal_int,
)

INJURY_SHARES: Final = np.array([p.KNEE_INJURY_BY_PRESENTATION[pr] for pr in Presentation])
"""(presentation x knee injury) shares, rows in `Presentation` order, columns as the contract."""
_AGE = [p.AGE_BY_KNEE_INJURY[injury] for injury in KNEE_INJURIES]
AGE_MEAN: Final = np.array([a.mean for a in _AGE])
AGE_SD: Final = np.array([a.sd for a in _AGE])
AGE_YOUNGEST: Final = np.array([a.lowest for a in _AGE])
AGE_OLDEST: Final = np.array([a.highest for a in _AGE])
FEMALE_SHARE: Final = np.array([p.FEMALE_SHARE_BY_KNEE_INJURY[i] for i in KNEE_INJURIES])
HIP_SIDE_SHARES: Final = np.array([p.HIP_SIDE_BY_PRESENTATION[pr] for pr in Presentation])
MIDLIFE_WOMEN_SHARE: Final = np.array(
    [p.MIDLIFE_WOMEN_SHARE_BY_PRESENTATION.get(pr, 0.0) for pr in Presentation]
)

_SEX: Final = {name: SEXES.index(name) for name in ("female", "male", "other", "unknown")}
_SAME_SIDE, _OTHER_SIDE, _BOTH_SIDES = 0, 1, 2
"""Columns of `HIP_SIDE_SHARES`: where the hip hurts relative to the injured knee."""
_HIP_SAME_SIDE: Final = np.array([HIP_PAIN_SIDES.index(side) for side in KNEE_SIDES])
_HIP_OTHER_SIDE: Final = np.array([HIP_PAIN_SIDES.index(side) for side in reversed(KNEE_SIDES)])
_HIP_BOTH_SIDES: Final = HIP_PAIN_SIDES.index("both")


@dataclass(frozen=True, slots=True)
class Patients:
    """One entry per patient; enum fields are indexes into the contract's value tuples."""

    presentation: IntArray
    """The latent `Presentation` (the truth behind the case)."""
    knee_injury: IntArray
    age_years: IntArray
    sex: IntArray
    knee_side: IntArray
    hip_pain_side: IntArray


def draw_patients(rng: np.random.Generator, presentation_shares: FloatArray) -> Patients:
    """Draw a patient for each row of a (records x presentation) share matrix."""
    size = len(presentation_shares)
    presentation = choose_each(rng, presentation_shares)
    injury = choose_by_row(rng, INJURY_SHARES, presentation)
    age = truncated_normal_int(
        rng,
        AGE_MEAN[injury],
        AGE_SD[injury],
        lowest=AGE_YOUNGEST[injury],
        highest=AGE_OLDEST[injury],
        size=size,
    )
    for own, curve in p.AGE_BY_PRESENTATION.items():
        age = np.where(presentation == own, _ages(rng, curve, size), age)
    sex = _draw_sex(rng, injury)
    midlife_woman = chance(rng, MIDLIFE_WOMEN_SHARE[presentation], size)
    age = np.where(midlife_woman, _ages(rng, p.MIDLIFE_AGE, size), age)
    sex = np.where(midlife_woman, _SEX["female"], sex)
    knee_side = rng.integers(0, len(KNEE_SIDES), size=size).astype(np.int64)
    hip_relation = choose_by_row(rng, HIP_SIDE_SHARES, presentation)
    return Patients(
        presentation=presentation,
        knee_injury=injury,
        age_years=age.astype(np.int64),
        sex=sex.astype(np.int64),
        knee_side=knee_side,
        hip_pain_side=_hip_side(hip_relation, knee_side),
    )


def _ages(rng: np.random.Generator, curve: p.NormalCurve, size: int) -> IntArray:
    return truncated_normal_int(
        rng, curve.mean, curve.sd, lowest=curve.lowest, highest=curve.highest, size=size
    )


def _draw_sex(rng: np.random.Generator, injury: IntArray) -> IntArray:
    size = len(injury)
    sex = np.where(chance(rng, FEMALE_SHARE[injury], size), _SEX["female"], _SEX["male"])
    recorded_otherwise = rng.random(size)
    sex[recorded_otherwise < p.SEX_OTHER_SHARE + p.SEX_UNKNOWN_SHARE] = _SEX["unknown"]
    sex[recorded_otherwise < p.SEX_OTHER_SHARE] = _SEX["other"]
    return sex.astype(np.int64)


def _hip_side(relation: IntArray, knee_side: IntArray) -> IntArray:
    """Same side / other side / both, relative to the knee, as the contract's hip side index."""
    side = np.where(relation == _SAME_SIDE, _HIP_SAME_SIDE[knee_side], _HIP_OTHER_SIDE[knee_side])
    return np.where(relation == _BOTH_SIDES, _HIP_BOTH_SIDES, side).astype(np.int64)
