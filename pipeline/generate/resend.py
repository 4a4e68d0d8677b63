"""Re-sends and corrections: earlier records that come back in a later file.

A re-send is the same record again, byte for byte. A correction keeps the `intake_id` and
changes one thing (the pain score, a temperature, the hip provocation test, knee swelling), as
when a clinician fixes a record after sending it. Both are valid; a correction's triage is
worked out again from its new content, its true mechanism is the original's.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final

import numpy as np
import polars as pl

from pipeline.contract import FIELDS_BY_NAME
from pipeline.contract.fields import BOOLEAN_TRUE
from pipeline.generate import columns as col
from pipeline.generate.plan import Chunk, RunPlan
from pipeline.generate.render import boolean_text, tenths_text

ORIGINAL: Final = "original"
RESEND: Final = "resend"
CORRECTION: Final = "correction"
"""The values of `_kind` (and of the truth's `record_kind`)."""

CORRECTED_TEMPERATURE_TENTHS: Final = (350, 410)
"""A corrected temperature stays within 35.0-41.0 degrees."""
NEWLY_MEASURED_TENTHS: Final = (366, 390)
"""A temperature added by a correction (it was not recorded before) lies in this range."""
_MAX_PAIN_SCORE: Final = 10

_CHANGE: Final = "_change"
_STEP: Final = "_step"
_PICK: Final = "_pick"


class Change(IntEnum):
    """What a correction changes."""

    PAIN_SCORE = 0
    TEMPERATURE = 1
    HIP_PROVOCATION = 2
    KNEE_EFFUSION = 3


def keep_sources(frame: pl.DataFrame) -> pl.DataFrame:
    """The records of a batch that come back later (they wait until their re-send's file)."""
    return frame.filter(pl.col(col.RESENT_LATER))


def resends_for_chunk(
    rng: np.random.Generator, plan: RunPlan, chunk: Chunk, waiting: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The re-sends and corrections written at the top of the files starting in `chunk`.

    Returns them and the records still waiting for a later chunk.
    """
    files = plan.files
    slots = plan.resend_slots.filter(
        pl.col("target_file").is_between(chunk.first_file, chunk.end_file - 1)
    ).with_columns(
        (
            pl.lit(pl.Series(files.first_original)).gather(pl.col("source_file"))
            + pl.col("source_position")
        ).alias(col.RUN_INDEX)
    )
    rows = (
        slots.join(waiting, on=col.RUN_INDEX, how="inner")
        .sort("target_file", "slot")
        .with_columns(
            pl.col("target_file").alias(col.FILE),
            pl.col("slot").alias(col.LINE_ORDER),
            pl.when(pl.col("correction"))
            .then(pl.lit(CORRECTION))
            .otherwise(pl.lit(RESEND))
            .alias(col.KIND),
        )
        .select(*waiting.columns, "correction")
    )
    if rows.height != slots.height:
        raise RuntimeError("a re-send's original was not kept: the plan and the chunks disagree")
    still_waiting = waiting.join(slots.select(col.RUN_INDEX), on=col.RUN_INDEX, how="anti")
    return _correct(rng, rows).drop("correction"), still_waiting


def _correct(rng: np.random.Generator, rows: pl.DataFrame) -> pl.DataFrame:
    """Change one thing in each correction (never to the same value, never to a bad one)."""
    size = rows.height
    work = rows.with_columns(
        pl.Series(_CHANGE, rng.integers(0, len(Change), size)),
        pl.Series(_STEP, rng.integers(1, 3, size) * rng.choice([-1, 1], size)),
        pl.Series(_PICK, rng.integers(0, 1 << 30, size)),
    )
    correction = pl.col("correction")
    change = pl.col(_CHANGE)
    return work.with_columns(
        _changed("pain_score", correction & (change == Change.PAIN_SCORE), _new_pain_score()),
        _changed("temperature_c", correction & (change == Change.TEMPERATURE), _new_temperature()),
        _changed(
            "hip_provocation",
            correction & (change == Change.HIP_PROVOCATION),
            _new_hip_provocation(),
        ),
        _changed(
            "knee_effusion", correction & (change == Change.KNEE_EFFUSION), _new_knee_effusion()
        ),
    ).drop(_CHANGE, _STEP, _PICK)


def _changed(field_name: str, where: pl.Expr, new_text: pl.Expr) -> pl.Expr:
    return pl.when(where).then(new_text).otherwise(pl.col(field_name)).alias(field_name)


def _stepped(old: pl.Expr, low: int, high: int) -> pl.Expr:
    """`old + step`, or `old - step` when that would leave [low, high]: always a new value."""
    up, down = old + pl.col(_STEP).abs(), old - pl.col(_STEP).abs()
    go_up = ((pl.col(_STEP) > 0) & (up <= high)) | (down < low)
    return pl.when(go_up).then(up).otherwise(down)


def _new_pain_score() -> pl.Expr:
    old = pl.col("pain_score").cast(pl.Int64)
    return _stepped(old, 0, _MAX_PAIN_SCORE).cast(pl.String)


def _new_temperature() -> pl.Expr:
    """A re-read temperature a few tenths off, or one measured now that was not before."""
    old = (pl.col("temperature_c").cast(pl.Float64) * 10).round().cast(pl.Int64)
    low, high = CORRECTED_TEMPERATURE_TENTHS
    first_low, first_high = NEWLY_MEASURED_TENTHS
    newly_measured = first_low + pl.col(_PICK) % (first_high - first_low + 1)
    reread = _stepped(old.clip(low, high), low, high)
    return tenths_text(pl.when(old.is_null()).then(newly_measured).otherwise(reread))


def _new_hip_provocation() -> pl.Expr:
    """Another of the allowed results (a test result added or revised)."""
    allowed = pl.Series(FIELDS_BY_NAME["hip_provocation"].allowed, dtype=pl.String)
    old_index = (
        pl.col("hip_provocation")
        .replace_strict(allowed, pl.Series(range(len(allowed))), default=-1, return_dtype=pl.Int64)
        .fill_null(-1)
    )
    new_index = (old_index + 1 + pl.col(_PICK) % (len(allowed) - 1)) % len(allowed)
    return pl.lit(allowed).gather(new_index)


def _new_knee_effusion() -> pl.Expr:
    """Swelling noted or withdrawn: the opposite of before (true when it was not recorded)."""
    was_swollen = pl.col("knee_effusion").str.to_lowercase().is_in(BOOLEAN_TRUE)
    return boolean_text(~was_swollen.fill_null(value=False), pl.col(col.BOOLEAN_SPELLING))
