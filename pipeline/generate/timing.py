"""When in the day each patient is taken in."""

from __future__ import annotations

from typing import Final

import numpy as np

from pipeline.generate import parameters as p
from pipeline.generate.arrays import FloatArray, IntArray

SECONDS_PER_DAY: Final = 86_400
_FIRST_HOUR, _END_HOUR = p.INTAKE_HOURS_UTC
_HOUR_EDGES: Final[FloatArray] = 3600.0 * np.arange(_FIRST_HOUR, _END_HOUR + 1, dtype=np.float64)
_ARRIVAL_CDF: Final[FloatArray] = np.concatenate(
    ([0.0], np.cumsum(p.HOURLY_VOLUME) / np.sum(p.HOURLY_VOLUME))
)


def intake_seconds(
    rng: np.random.Generator, day: IntArray, position: IntArray, records_in_file: IntArray
) -> IntArray:
    """Intake time of each record, in seconds since 1970-01-01 UTC, in file order.

    The i-th of n records in a clinic's day falls in the i-th of n equal slices of that day's
    arrival curve (`HOURLY_VOLUME`), at a random point inside it: times follow the curve and
    rise with the position, so a file is in time order without sorting.
    """
    quantile = (position + rng.random(len(position))) / records_in_file
    seconds_into_day = np.floor(np.interp(quantile, _ARRIVAL_CDF, _HOUR_EDGES))
    seconds_into_day = np.minimum(seconds_into_day, _HOUR_EDGES[-1] - 1)
    result: IntArray = day * SECONDS_PER_DAY + seconds_into_day.astype(np.int64)
    return result
