"""Triage, vectorized, exactly as the contract says: `urgent` when any red flag holds, otherwise
`evaluate` when the hip pain persists despite rest, otherwise `routine`, with every reason that
holds."""

from __future__ import annotations

from typing import Final

import polars as pl

from pipeline.classify.labels import bit_set
from pipeline.contract.outputs import (
    FEVER_TEMPERATURE_C,
    PERSISTENT_PAIN_DAYS,
    Triage,
    TriageReason,
)

INTAKE_DATE: Final = "intake_date"
RED_FLAGS: Final = (
    TriageReason.RAPID_WORSENING,
    TriageReason.NO_WEIGHT_BEARING,
    TriageReason.FEVER,
)
"""The reasons that make a case urgent."""
REASON_BITS: Final = "triage_reason_bits"
"""Column of the reasons that hold, as a bit set over `TRIAGE_REASONS` (see `labels`)."""


def reason_holds() -> dict[TriageReason, pl.Expr]:
    """For each triage reason, whether it holds (never null), in the contract's order."""
    days_of_pain = (pl.col(INTAKE_DATE) - pl.col("hip_pain_onset_date")).dt.total_days()
    holds = {
        TriageReason.RAPID_WORSENING: pl.col("pain_trend") == "rapidly_worsening",
        TriageReason.NO_WEIGHT_BEARING: pl.col("weight_bearing") == "none",
        # A field not given is never a red flag and never hides one: fever holds when either
        # the measured temperature or the patient's report shows it, whichever is given.
        TriageReason.FEVER: (pl.col("temperature_c") >= FEVER_TEMPERATURE_C).fill_null(False)
        | pl.col("fever_reported").fill_null(False),
        TriageReason.PERSISTENT_DESPITE_REST: (days_of_pain >= PERSISTENT_PAIN_DAYS)
        & pl.col("rest_tried"),
    }
    # TriageReason is declared in the contract's order: iterate it, not the dict above.
    return {reason: holds[reason].fill_null(False) for reason in TriageReason}


TRIAGE_FIELDS: Final = tuple(
    dict.fromkeys(
        name
        for holds in reason_holds().values()
        for name in holds.meta.root_names()
        if name != INTAKE_DATE
    )
)
"""The contract fields triage reads (besides the intake date), as its rules above name them."""


def triage_columns() -> list[pl.Expr]:
    """`triage` (String) and the reasons that hold as a bit set (`REASON_BITS`)."""
    holds = reason_holds()
    triage = (
        pl.when(pl.any_horizontal(holds[flag] for flag in RED_FLAGS))
        .then(pl.lit(Triage.URGENT.value))
        .when(holds[TriageReason.PERSISTENT_DESPITE_REST])
        .then(pl.lit(Triage.EVALUATE.value))
        .otherwise(pl.lit(Triage.ROUTINE.value))
    )
    # Every reason that holds, not only the deciding one: an urgent case whose pain also
    # persists despite rest says so too (more for the clinician to know, never less).
    return [triage.alias("triage"), bit_set(holds.values()).alias(REASON_BITS)]
