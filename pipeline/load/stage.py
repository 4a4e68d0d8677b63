"""Staging: a validated file's valid records into `validated_records`, the rest into quarantine.

Re-staging a file first removes what an earlier, interrupted attempt staged for it, so the step
can run any number of times with the same result.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import polars as pl
from sqlalchemy import Connection, delete

from db.models import QuarantinedRecord, ValidatedRecord, table_of
from pipeline.load.bulk import bulk_insert

STAGING = table_of(ValidatedRecord)
QUARANTINE = table_of(QuarantinedRecord)
STAGED_COLUMNS: Final = tuple(STAGING.columns.keys())
QUARANTINE_COLUMNS: Final = ("line_number", "intake_id", "raw_record", "reasons")


def clear(connection: Connection, file_id: int) -> None:
    """Remove whatever was staged or quarantined for a file before."""
    connection.execute(delete(STAGING).where(STAGING.c.file_id == file_id))
    connection.execute(delete(QUARANTINE).where(QUARANTINE.c.file_id == file_id))


def stage(
    connection: Connection,
    file_id: int,
    valid: pl.DataFrame,
    quarantine: pl.DataFrame,
    now: dt.datetime,
) -> None:
    """Write one file's valid records to staging and its invalid ones to quarantine."""
    clear(connection, file_id)
    staged = valid.with_columns(pl.lit(file_id).alias("file_id")).select(
        [c for c in STAGED_COLUMNS if c in valid.columns or c == "file_id"]
    )
    bulk_insert(connection, STAGING, staged)
    quarantined = quarantine.select(QUARANTINE_COLUMNS).with_columns(
        pl.lit(file_id).alias("file_id"),
        pl.lit(now).alias("quarantined_at"),
        pl.col("intake_id").str.slice(0, QUARANTINE.c.intake_id.type.length),  # type: ignore[attr-defined]
    )
    bulk_insert(connection, QUARANTINE, quarantined)
