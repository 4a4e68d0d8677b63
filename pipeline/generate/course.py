"""The course of the complaint: dates, pain, rest, and the red flags that make a case urgent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from pipeline.contract.fields import FIELDS_BY_NAME, KNEE_INJURIES, PAIN_TRENDS, WEIGHT_BEARING
from pipeline.generate import parameters as p
from pipeline.generate.parameters import NormalCurve, Presentation
from pipeline.generate.sampling import (
    BoolArray,
    FloatArray,
    IntArray,
    chance,
    choose,
    clipped_normal_int,
    lognormal_days,
)

_FRACTURE: Final = KNEE_INJURIES.index("fracture")
_INJURY_TO_HIP_PAIN_MEDIAN: Final = np.array(
    [p.INJURY_TO_HIP_PAIN_DAYS_MEDIAN[pr] for pr in Presentation]
)
_INJURY_TO_HIP_PAIN_FEWEST: Final = np.array(
    [p.INJURY_TO_HIP_PAIN_DAYS_FEWEST.get(pr, 0) for pr in Presentation]
)
_CALM_TRENDS: Final = np.array([PAIN_TRENDS.index(t) for t in ("improving", "stable", "worsening")])
_RAPIDLY_WORSENING: Final = PAIN_TRENDS.index("rapidly_worsening")
_FULL, _PARTIAL, _NONE = (WEIGHT_BEARING.index(w) for w in ("full", "partial", "none"))
_RED_FLAG_COUNT: Final = 3  # rapid worsening, no weight bearing, fever
_PAIN_SCORE_MIN: Final = int(FIELDS_BY_NAME["pain_score"].minimum or 0)
_PAIN_SCORE_MAX: Final = int(FIELDS_BY_NAME["pain_score"].maximum or 0)


@dataclass(frozen=True, slots=True)
class Course:
    """Dates (days since 1970-01-01), pain and red flags of each patient; enums as indexes."""

    injury_day: IntArray
    hip_pain_onset_day: IntArray
    pain_score: IntArray
    pain_trend: IntArray
    weight_bearing: IntArray
    temperature_tenths: IntArray
    """Body temperature in tenths of a degree (368 = 36.8), as it would read if measured."""
    fever_reported: BoolArray
    rest_tried: BoolArray
    looks_unwell: BoolArray
    """Febrile or a serious condition behind the pain: the clinician takes the temperature."""


@dataclass(frozen=True, slots=True)
class RedFlags:
    """The warning signs each patient really has (whether the record shows them is later)."""

    serious: BoolArray
    rapid_worsening: BoolArray
    no_weight_bearing: BoolArray
    febrile: BoolArray


def draw_course(
    rng: np.random.Generator,
    presentation: IntArray,
    knee_injury: IntArray,
    antalgic_gait: BoolArray,
    intake_day: IntArray,
) -> Course:
    """Draw the time course and red flags of each patient, consistent with the intake day.

    Injury and hip pain onset are never after the intake day. The knee injury comes before the
    hip pain, except in `HIP_PAIN_BEFORE_INJURY`, where it comes after it.
    """
    size = len(presentation)
    injury_day, onset_day = _draw_dates(rng, presentation, intake_day)
    hip_pain_days = intake_day - onset_day
    flags = _draw_red_flags(rng, knee_injury)
    calm_trend = _CALM_TRENDS[choose(rng, p.PAIN_TREND_SHARES, size)]
    limp_share = np.where(
        antalgic_gait, p.PARTIAL_WEIGHT_BEARING_WITH_LIMP, p.PARTIAL_WEIGHT_BEARING_WITHOUT_LIMP
    )
    weight_bearing = np.where(chance(rng, limp_share, size), _PARTIAL, _FULL)
    rested_share = np.where(
        hip_pain_days >= p.TWO_WEEKS_DAYS,
        p.REST_TRIED_SHARE_AFTER_TWO_WEEKS,
        p.REST_TRIED_SHARE_RECENT,
    )
    pain_mean: FloatArray = p.PAIN_SCORE_MEAN + p.PAIN_SCORE_SERIOUS_EXTRA * flags.serious.astype(
        np.float64
    )
    return Course(
        injury_day=injury_day,
        hip_pain_onset_day=onset_day,
        pain_score=clipped_normal_int(
            rng,
            pain_mean,
            p.PAIN_SCORE_SD,
            lowest=_PAIN_SCORE_MIN,
            highest=_PAIN_SCORE_MAX,
            size=size,
        ),
        pain_trend=np.where(flags.rapid_worsening, _RAPIDLY_WORSENING, calm_trend),
        weight_bearing=np.where(flags.no_weight_bearing, _NONE, weight_bearing).astype(np.int64),
        temperature_tenths=_draw_temperature(rng, flags.febrile),
        fever_reported=chance(
            rng,
            np.where(flags.febrile, p.FEVER_REPORTED_WHEN_FEBRILE, p.FEVER_REPORTED_OTHERWISE),
            size,
        ),
        rest_tried=chance(rng, rested_share, size),
        looks_unwell=flags.febrile | flags.serious,
    )


def _draw_dates(
    rng: np.random.Generator, presentation: IntArray, intake_day: IntArray
) -> tuple[IntArray, IntArray]:
    """Injury day and hip pain onset day of each patient."""
    size = len(presentation)
    before_injury = presentation == Presentation.HIP_PAIN_BEFORE_INJURY
    recent_days = lognormal_days(
        rng,
        p.HIP_PAIN_DAYS_MEDIAN,
        p.HIP_PAIN_DAYS_SPREAD,
        fewest=0,
        most=p.HIP_PAIN_DAYS_MAX,
        size=size,
    )
    longstanding_days = lognormal_days(
        rng,
        p.LONGSTANDING_HIP_PAIN_DAYS_MEDIAN,
        p.LONGSTANDING_HIP_PAIN_DAYS_SPREAD,
        fewest=p.LONGSTANDING_HIP_PAIN_DAYS_RANGE[0],
        most=p.LONGSTANDING_HIP_PAIN_DAYS_RANGE[1],
        size=size,
    )
    hip_pain_days = np.where(before_injury, longstanding_days, recent_days)
    onset_day = intake_day - hip_pain_days
    injury_to_onset = lognormal_days(
        rng,
        _INJURY_TO_HIP_PAIN_MEDIAN[presentation],
        p.INJURY_TO_HIP_PAIN_DAYS_SPREAD,
        fewest=_INJURY_TO_HIP_PAIN_FEWEST[presentation],
        most=p.INJURY_TO_HIP_PAIN_DAYS_MAX,
        size=size,
    )
    # Hip pain first: the injury falls on one of the days after onset, up to the intake day.
    onset_to_injury = 1 + np.floor(rng.random(size) * hip_pain_days).astype(np.int64)
    injury_day = np.where(
        before_injury, onset_day + onset_to_injury, onset_day - injury_to_onset
    ).astype(np.int64)
    return injury_day, onset_day.astype(np.int64)


def _draw_red_flags(rng: np.random.Generator, knee_injury: IntArray) -> RedFlags:
    """Red flags: clustered in the few serious cases, and now and then one on its own."""
    size = len(knee_injury)
    fracture = knee_injury == _FRACTURE
    serious = chance(
        rng,
        np.where(fracture, p.SERIOUS_CONDITION_SHARE_AFTER_FRACTURE, p.SERIOUS_CONDITION_SHARE),
        size,
    )
    shown = rng.random((size, _RED_FLAG_COUNT)) < p.SERIOUS_FLAG_PROBABILITY
    forced = rng.integers(0, _RED_FLAG_COUNT, size)
    shown[np.arange(size), forced] |= ~shown.any(axis=1)  # a serious case shows at least one
    shown &= serious[:, None]
    no_weight_bearing_share = np.where(
        fracture, p.BACKGROUND_NO_WEIGHT_BEARING_AFTER_FRACTURE, p.BACKGROUND_NO_WEIGHT_BEARING
    )
    return RedFlags(
        serious=serious,
        rapid_worsening=shown[:, 0] | chance(rng, p.BACKGROUND_RAPID_WORSENING, size),
        no_weight_bearing=shown[:, 1] | chance(rng, no_weight_bearing_share, size),
        febrile=shown[:, 2] | chance(rng, p.BACKGROUND_FEVER, size),
    )


def _draw_temperature(rng: np.random.Generator, febrile: BoolArray) -> IntArray:
    """Temperature in tenths of a degree: >= 38.0 for most febrile patients, else normal."""
    size = len(febrile)
    normal = _from_curve(rng, p.TEMPERATURE_NORMAL_TENTHS, size)
    fever = _from_curve(rng, p.TEMPERATURE_FEBRILE_TENTHS, size)
    reads_febrile = febrile & chance(rng, p.FEVER_MEASURED_TOO_SHARE, size)
    return np.where(reads_febrile, fever, normal).astype(np.int64)


def _from_curve(rng: np.random.Generator, curve: NormalCurve, size: int) -> IntArray:
    return clipped_normal_int(
        rng, curve.mean, curve.sd, lowest=curve.lowest, highest=curve.highest, size=size
    )
