"""When in the clinic's day each patient is taken in, and how that time is written."""

from __future__ import annotations

from typing import Final

import numpy as np

from pipeline.generate import clinic_parameters as cp
from pipeline.generate.arrays import FloatArray, IntArray

SECONDS_PER_DAY: Final = 86_400
SECONDS_PER_HOUR: Final = 3_600
_VOLUME: Final[FloatArray] = np.array(cp.HOURLY_VOLUME, dtype=np.float64)
_OPEN_HOURS: Final[IntArray] = np.flatnonzero(_VOLUME > 0).astype(np.int64)
"""The local hours in which anyone is taken in (in order)."""
_ARRIVAL_CDF: Final[FloatArray] = np.concatenate(
    ([0.0], np.cumsum(_VOLUME[_OPEN_HOURS]) / _VOLUME[_OPEN_HOURS].sum())
)


def local_intake_seconds(
    rng: np.random.Generator, day: IntArray, position: IntArray, records_in_file: IntArray
) -> IntArray:
    """Intake time of each record on the clinic's local clock, in seconds since 1970-01-01
    (local midnight of `day` is `day * 86400`), in file order.

    The i-th of n records in a clinic's day falls in the i-th of n equal slices of that day's
    arrival curve (`HOURLY_VOLUME`, local hours), at a random point inside it: times follow the
    curve and rise with the position, so a file is in time order without sorting.
    """
    quantile = (position + rng.random(len(position))) / records_in_file
    slot = np.clip(
        np.searchsorted(_ARRIVAL_CDF, quantile, side="right") - 1, 0, len(_OPEN_HOURS) - 1
    )
    within = (quantile - _ARRIVAL_CDF[slot]) / (_ARRIVAL_CDF[slot + 1] - _ARRIVAL_CDF[slot])
    seconds_into_day = np.floor((_OPEN_HOURS[slot] + np.clip(within, 0.0, 1.0)) * SECONDS_PER_HOUR)
    seconds_into_day = np.minimum(seconds_into_day, (_OPEN_HOURS[slot] + 1) * SECONDS_PER_HOUR - 1)
    result: IntArray = day * SECONDS_PER_DAY + seconds_into_day.astype(np.int64)
    return result


def written_day(
    local_seconds: IntArray, utc_offset_minutes: IntArray, in_local_time: IntArray
) -> IntArray:
    """The calendar date `intake_at` is written with, in days since 1970-01-01: the local date
    when written in local time, else the UTC date (`in_local_time` is 1 or 0)."""
    utc_seconds = local_seconds - utc_offset_minutes * 60
    seconds = np.where(in_local_time == 1, local_seconds, utc_seconds)
    day: IntArray = np.floor_divide(seconds, SECONDS_PER_DAY)
    return day
