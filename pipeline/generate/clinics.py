"""The clinics of a run and their case mix: which mechanism is how common where, and when."""

from __future__ import annotations

import math
from datetime import date
from typing import Final

import numpy as np

from pipeline.contract import Mechanism
from pipeline.generate import clinic_parameters as cp
from pipeline.generate.clinic_parameters import ClinicProfile
from pipeline.generate.parameters import Presentation
from pipeline.generate.sampling import FloatArray, IntArray

MECHANISM_ORDER: Final = tuple(Mechanism)
"""Mechanisms in the contract's order: the columns of every mechanism share matrix."""

_EPOCH: Final = date(1970, 1, 1)
_DRIFT_REFERENCE_DAY: Final = (date.fromisoformat(cp.DRIFT_REFERENCE_DATE_ISO) - _EPOCH).days
_EXTRA_CLINIC_STREAM: Final = 0xC11
"""Seed stream of the randomly tilted clinics beyond the named ones (independent of the rest)."""


def clinic_profiles(count: int, seed: int) -> tuple[ClinicProfile, ...]:
    """The first `count` clinics: the named ones, then `clinic_09`, ... with seeded case mixes."""
    named = cp.CLINIC_PROFILES[:count]
    extra_count = count - len(named)
    if extra_count <= 0:
        return named
    rng = np.random.default_rng([seed, _EXTRA_CLINIC_STREAM])
    volumes = rng.uniform(*cp.EXTRA_CLINIC_VOLUME_RANGE, size=extra_count)
    tilts = rng.uniform(*cp.EXTRA_CLINIC_TILT_RANGE, size=(extra_count, len(MECHANISM_ORDER)))
    phases = rng.integers(0, cp.MECHANISM_DRIFT_PERIOD_DAYS, size=extra_count)
    quarter_hours = rng.integers(
        -cp.MAX_UTC_OFFSET_MINUTES // 15, cp.MAX_UTC_OFFSET_MINUTES // 15 + 1, size=extra_count
    )
    extra = tuple(
        ClinicProfile(
            clinic_id=f"clinic_{len(named) + i + 1:02d}",
            description="additional clinic with a randomly tilted case mix",
            relative_volume=round(float(volumes[i]), 3),
            mechanism_tilt={
                m: round(float(t), 3) for m, t in zip(MECHANISM_ORDER, tilts[i], strict=True)
            },
            drift_phase_days=int(phases[i]),
            utc_offset_minutes=15 * int(quarter_hours[i]),
        )
        for i in range(extra_count)
    )
    return named + extra


def mechanism_shares(
    clinics: tuple[ClinicProfile, ...], clinic_index: IntArray, epoch_day: IntArray
) -> FloatArray:
    """Expected share of each mechanism (columns in `MECHANISM_ORDER`) at a clinic on a day.

    The base shares are tilted by the clinic's character and drift slowly: each mechanism's
    weight follows its own slow wave (phases spread evenly over the mechanisms, shifted by
    the clinic), so one mechanism gains ground while another loses it. Rows sum to 1.
    """
    base = np.array([cp.BASE_MECHANISM_SHARES[m] for m in MECHANISM_ORDER])
    tilt = np.array([[c.mechanism_tilt.get(m, 1.0) for m in MECHANISM_ORDER] for c in clinics])
    phase = np.array([c.drift_phase_days for c in clinics], dtype=np.float64)
    cycle = 2 * math.pi / cp.MECHANISM_DRIFT_PERIOD_DAYS
    mechanism_offset = 2 * math.pi * np.arange(len(MECHANISM_ORDER)) / len(MECHANISM_ORDER)
    angle = (
        cycle * (epoch_day - _DRIFT_REFERENCE_DAY + phase[clinic_index])[:, None]
        + mechanism_offset[None, :]
    )
    weights = (
        base[None, :] * tilt[clinic_index] * np.exp(cp.MECHANISM_DRIFT_AMPLITUDE * np.sin(angle))
    )
    shares: FloatArray = weights / weights.sum(axis=1, keepdims=True)
    return shares


def presentation_shares(mechanism_share: FloatArray) -> FloatArray:
    """Split mechanism shares into presentation shares (columns in `Presentation` order)."""
    column = {m: i for i, m in enumerate(MECHANISM_ORDER)}
    mixed = mechanism_share[:, column[Mechanism.MIXED]]
    undetermined = mechanism_share[:, column[Mechanism.UNDETERMINED]]
    by_presentation = {
        Presentation.REFERRED: mechanism_share[:, column[Mechanism.REFERRED]],
        Presentation.COMPENSATORY: mechanism_share[:, column[Mechanism.COMPENSATORY]],
        Presentation.BIOMECHANICAL: mechanism_share[:, column[Mechanism.BIOMECHANICAL]],
        Presentation.MIXED_COMPENSATORY_BIOMECHANICAL: mixed
        * cp.MIXED_SHARE_COMPENSATORY_BIOMECHANICAL,
        Presentation.MIXED_REFERRED_COMPENSATORY: mixed
        * (1 - cp.MIXED_SHARE_COMPENSATORY_BIOMECHANICAL),
        **{pr: undetermined * share for pr, share in cp.UNDETERMINED_SHARES.items()},
    }
    return np.stack([by_presentation[pr] for pr in Presentation], axis=1)
