"""Read and validate one intake file: one call, one quarantine holding both the records that broke
a rule and the lines that could not be read at all (records in = valid + quarantined)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl

from pipeline.validate.batch import RawBatch
from pipeline.validate.read import read_intake_file
from pipeline.validate.red_flags import RED_FLAGS_DTYPE
from pipeline.validate.rules import QUARANTINE_SCHEMA, Validated, validate


def validate_file(path: Path, now: datetime) -> tuple[Validated, RawBatch]:
    """Validate the file at `path` at time `now` (timezone-aware). The RawBatch is returned
    too, for its unknown and missing columns. Raises what `read_intake_file` raises."""
    batch = read_intake_file(path)
    validated = validate(batch.records, now)
    return Validated(validated.valid, with_malformed(validated.quarantine, batch)), batch


def with_malformed(quarantine: pl.DataFrame, batch: RawBatch) -> pl.DataFrame:
    """The quarantine and the batch's unreadable lines together, in line order."""
    if batch.malformed.height == 0:
        return quarantine
    unreadable = batch.malformed.select(
        "line_number",
        "raw_record",
        pl.lit(None, pl.String).alias("intake_id"),
        pl.lit(None, pl.String).alias("clinic_id"),
        "reasons",
        pl.lit([], RED_FLAGS_DTYPE).alias("red_flags"),
    )
    return pl.concat([quarantine, unreadable]).sort("line_number").cast(dict(QUARANTINE_SCHEMA))  # type: ignore[arg-type]
