r"""Staging: a validated file's valid records into `validated_records`, the rest into quarantine.

Each staged record gets its content hash here (`pipeline.validate.content_hash`): the merge
tells a re-send (same hash as the current version) from a correction by it.

Re-staging a file first removes what an earlier, interrupted attempt staged for it, so the step
can run any number of times with the same result.

Quarantine keeps records as received, except for one character: a NUL, which PostgreSQL text
cannot hold, is stored as the four characters `\x00` (as bytes that are not UTF-8 already are,
`\xNN`), on SQLite too, so both databases hold the same text.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import polars as pl
from sqlalchemy import Connection, delete

from db.models import QuarantinedRecord, ValidatedRecord, table_of
from pipeline.load.bulk import bulk_insert
from pipeline.validate.content_hash import content_hash

STAGING = table_of(ValidatedRecord)
QUARANTINE = table_of(QuarantinedRecord)
STAGED_COLUMNS: Final = tuple(STAGING.columns.keys())
QUARANTINE_COLUMNS: Final = (
    "line_number",
    "intake_id",
    "clinic_id",
    "raw_record",
    "reasons",
    "red_flags",
)
NUL_ESCAPE: Final = "\\x00"


def storable(text: pl.Expr) -> pl.Expr:
    """Text with each NUL character written as `\\x00`."""
    return text.str.replace_all("\x00", NUL_ESCAPE, literal=True)


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
    """Write one file's valid records to staging, each with its content hash, and its invalid
    ones to quarantine."""
    clear(connection, file_id)
    staged = valid.with_columns(
        pl.lit(file_id).alias("file_id"), content_hash().alias("content_hash")
    )
    staged = staged.select(c for c in STAGED_COLUMNS if c in staged.columns)
    bulk_insert(connection, STAGING, staged)
    quarantined = quarantine.select(QUARANTINE_COLUMNS).with_columns(
        pl.lit(file_id).alias("file_id"),
        pl.lit(now).alias("quarantined_at"),
        storable(pl.col("intake_id")).str.slice(0, QUARANTINE.c.intake_id.type.length),  # type: ignore[attr-defined]
        storable(pl.col("clinic_id")).str.slice(0, QUARANTINE.c.clinic_id.type.length),  # type: ignore[attr-defined]
        storable(pl.col("raw_record")),
        (pl.col("red_flags").list.len() > 0).alias("has_red_flag"),
        pl.col("reasons").list.eval(pl.element().struct.with_fields(storable(pl.field("value")))),
    )
    bulk_insert(connection, QUARANTINE, quarantined)
