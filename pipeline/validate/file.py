"""One intake file: read by its extension into a RawBatch, or read and validated in one call
(valid records, and a quarantine holding the broken records and the unreadable lines)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Final

import polars as pl

from pipeline.validate.batch import RawBatch
from pipeline.validate.csv_reader import read_csv_bytes
from pipeline.validate.jsonl_reader import read_jsonl_bytes
from pipeline.validate.red_flags import RED_FLAGS_DTYPE
from pipeline.validate.rules import QUARANTINE_SCHEMA, Validated, validate

READERS: Final[dict[str, Callable[[bytes], RawBatch]]] = {
    ".csv": read_csv_bytes,
    ".jsonl": read_jsonl_bytes,
}
"""The reader for each file extension the contract accepts."""


class UnsupportedFileError(ValueError):
    """The file is neither `.csv` nor `.jsonl`."""


def read_intake_file(path: Path) -> RawBatch:
    """Read an intake file by its extension (`.csv` or `.jsonl`, any case).

    A damaged line never stops the rest of the file: it ends up in `RawBatch.malformed`.
    Raises OSError when the file cannot be read and UnsupportedFileError for other extensions.
    """
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        msg = f"{path}: not an intake file (expected {' or '.join(READERS)})"
        raise UnsupportedFileError(msg)
    return reader(path.read_bytes())


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
