"""Quarantine: a file's invalid records, as received, with every reason."""

from __future__ import annotations

import datetime as dt
from typing import Final

import polars as pl
from sqlalchemy import Connection, delete

from db.models import QuarantinedRecord, table_of
from pipeline.load.bulk import bulk_insert

QUARANTINE = table_of(QuarantinedRecord)
QUARANTINE_COLUMNS: Final = (
    "line_number",
    "intake_id",
    "clinic_id",
    "raw_record",
    "reasons",
    "red_flags",
)
# PostgreSQL text cannot hold a NUL: it is stored as the four characters `\x00` (as bytes that
# are not UTF-8 already are, `\xNN`), on SQLite too, so both databases hold the same text.
NUL_ESCAPE: Final = "\\x00"


def storable(text: pl.Expr) -> pl.Expr:
    """Text with each NUL character written as `\\x00`."""
    return text.str.replace_all("\x00", NUL_ESCAPE, literal=True)


def quarantine_file(
    connection: Connection, file_id: int, quarantine: pl.DataFrame, now: dt.datetime
) -> None:
    """Replace what is quarantined for a file by its invalid records `quarantine`
    (`pipeline.validate.QUARANTINE_SCHEMA`)."""
    # What an earlier load of the file (one `intake rerun` sent back) quarantined goes first,
    # so the step can run any number of times with the same result.
    connection.execute(delete(QUARANTINE).where(QUARANTINE.c.file_id == file_id))
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
