"""Array type names used across the generator (numpy arrays, one value per record)."""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import numpy.typing as npt

IntArray: TypeAlias = npt.NDArray[np.int64]
"""Integers, one per record (codes into a contract value tuple, days, counts)."""
FloatArray: TypeAlias = npt.NDArray[np.float64]
"""Floats, one per record (probabilities, shares)."""
BoolArray: TypeAlias = npt.NDArray[np.bool_]
"""Yes/no, one per record."""
