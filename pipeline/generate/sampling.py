"""Vectorized random draws, one value for every record of a batch, and the numpy array types
(one value a record) the generator passes around."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

# Array types used across the generator: numpy arrays, one value per record.
IntArray: TypeAlias = npt.NDArray[np.int64]
"""Integers, one per record (codes into a contract value tuple, days, counts)."""
FloatArray: TypeAlias = npt.NDArray[np.float64]
"""Floats, one per record (probabilities, shares)."""
BoolArray: TypeAlias = npt.NDArray[np.bool_]
"""Yes/no, one per record."""


def choose_by_row(rng: np.random.Generator, shares: FloatArray, row: IntArray) -> IntArray:
    """For each record, the index of a category drawn with the shares in `shares[row]`.

    `shares` is a (groups x categories) table whose rows sum to 1; `row` picks each record's
    group (e.g. its presentation).
    """
    return choose_each(rng, shares[row])


def choose_each(rng: np.random.Generator, shares: FloatArray) -> IntArray:
    """For each row of a (records x categories) share matrix, a category index drawn from it."""
    cumulative = np.cumsum(shares, axis=1)
    cumulative[:, -1] = 1.0  # guard against rounding: the last category always closes at 1
    u = rng.random(len(shares))
    chosen: IntArray = (u[:, None] >= cumulative).sum(axis=1).astype(np.int64)
    return chosen


def choose(rng: np.random.Generator, shares: Sequence[float] | FloatArray, size: int) -> IntArray:
    """`size` category indices drawn with the same shares for every record."""
    table = np.asarray(shares, dtype=np.float64)
    return rng.choice(len(table), size=size, p=table / table.sum()).astype(np.int64)


def chance(rng: np.random.Generator, probability: FloatArray | float, size: int) -> BoolArray:
    """True for each record with the given probability (a scalar or one per record)."""
    return rng.random(size) < probability


def clipped_normal_int(
    rng: np.random.Generator,
    mean: FloatArray | float,
    sd: FloatArray | float,
    *,
    lowest: IntArray | int,
    highest: IntArray | int,
    size: int,
) -> IntArray:
    """Whole numbers from a normal curve, rounded and cut to [lowest, highest]."""
    values = np.rint(rng.normal(mean, sd, size))
    return np.clip(values, lowest, highest).astype(np.int64)


def truncated_normal_int(
    rng: np.random.Generator,
    mean: FloatArray | float,
    sd: FloatArray | float,
    *,
    lowest: IntArray | int,
    highest: IntArray | int,
    size: int,
    attempts: int = 8,
) -> IntArray:
    """Whole numbers from a normal curve, rounded; values outside [lowest, highest] are drawn
    again (up to `attempts` times, then cut), so no value piles up at either end."""
    mean_array = np.broadcast_to(np.asarray(mean, dtype=np.float64), (size,))
    sd_array = np.broadcast_to(np.asarray(sd, dtype=np.float64), (size,))
    low = np.broadcast_to(np.asarray(lowest), (size,))
    high = np.broadcast_to(np.asarray(highest), (size,))
    values = np.rint(rng.normal(mean_array, sd_array))
    for _ in range(attempts):
        outside = np.flatnonzero((values < low) | (values > high))
        if outside.shape[0] == 0:
            break
        values[outside] = np.rint(rng.normal(mean_array[outside], sd_array[outside]))
    return np.clip(values, low, high).astype(np.int64)


def lognormal_days(
    rng: np.random.Generator,
    median: FloatArray | float,
    spread: float,
    *,
    fewest: IntArray | int,
    most: int,
    size: int,
) -> IntArray:
    """Whole days from a log-normal curve with the given median, cut to [fewest, most]
    (`fewest` may differ per record).

    A median of 0 gives 0 days; the draw is floored, so a median of m days has about half
    the records below m.
    """
    median_array = np.broadcast_to(np.asarray(median, dtype=np.float64), (size,))
    days = np.floor(median_array * np.exp(rng.normal(0.0, spread, size)))
    return np.clip(days, fewest, most).astype(np.int64)
