"""Turn typed values into the text a clinic's system writes: one string (or null) per field."""

from __future__ import annotations

from typing import Final

import polars as pl

from pipeline.contract import FIELDS
from pipeline.contract.fields import BOOLEAN_FALSE, BOOLEAN_TRUE, Field, FieldType
from pipeline.generate import columns as col
from pipeline.generate import messiness as m
from pipeline.generate.messiness import CSV_BOOLEAN_SPELLINGS

BOOLEAN_SPELLINGS: Final = CSV_BOOLEAN_SPELLINGS
"""Indexed by the `_boolean_spelling` column."""
PLAIN_BOOLEANS: Final = 0
"""The spelling `true`/`false` (the one JSON Lines uses)."""
INTAKE_AT_STYLES: Final = m.INTAKE_AT_STYLES
"""Indexed by the `_intake_offset` column."""

ISO_DATETIME: Final = "%Y-%m-%dT%H:%M:%S"

_SECONDS_PER_MINUTE: Final = 60
_TENTHS: Final = 10

if any(
    t.lower() not in BOOLEAN_TRUE or f.lower() not in BOOLEAN_FALSE for t, f in BOOLEAN_SPELLINGS
):
    raise ValueError("every boolean spelling must be one the contract accepts")


def render_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Replace every typed contract column by its text; helper columns are kept as they are."""
    return frame.with_columns(
        _field_text(field).alias(field.name)
        for field in FIELDS
        if field.type not in (FieldType.ID, FieldType.TEXT)
    )


def intake_at_text(seconds: pl.Expr, style: pl.Expr, utc_offset_minutes: pl.Expr) -> pl.Expr:
    """ISO 8601 `intake_at` from UTC seconds, in the record's style (`INTAKE_AT_STYLES`): the
    clinic's local time with its offset (`+HH:MM`/`-HH:MM`), `...Z`, or UTC with no offset."""
    local = style == m.LOCAL_TIME
    shift = pl.when(local).then(utc_offset_minutes).otherwise(0) * _SECONDS_PER_MINUTE
    clock = pl.from_epoch(seconds + shift, time_unit="s").dt.strftime(ISO_DATETIME)
    size = utc_offset_minutes.abs()
    offset = pl.concat_str(
        pl.when(utc_offset_minutes < 0).then(pl.lit("-")).otherwise(pl.lit("+")),
        (size // 60).cast(pl.String).str.zfill(2),
        pl.lit(":"),
        (size % 60).cast(pl.String).str.zfill(2),
    )
    suffix = (
        pl.when(local).then(offset).otherwise(pl.lit(pl.Series(INTAKE_AT_STYLES)).gather(style))
    )
    return pl.concat_str(clock, suffix)


def date_text(epoch_days: pl.Expr) -> pl.Expr:
    """ISO 8601 date (`2026-03-14`) from days since 1970-01-01."""
    return epoch_days.cast(pl.Int32).cast(pl.Date).cast(pl.String)


def tenths_text(tenths: pl.Expr) -> pl.Expr:
    """A decimal with one digit after the point (`36.8`) from a non-negative number of tenths."""
    return pl.concat_str(
        (tenths // _TENTHS).cast(pl.String), pl.lit("."), (tenths % _TENTHS).cast(pl.String)
    )


def boolean_text(value: pl.Expr, spelling: pl.Expr) -> pl.Expr:
    """`true`/`false` in the record's spelling; null stays null."""
    true = pl.lit(pl.Series([t for t, _ in BOOLEAN_SPELLINGS])).gather(spelling)
    false = pl.lit(pl.Series([f for _, f in BOOLEAN_SPELLINGS])).gather(spelling)
    return pl.when(value.is_null()).then(None).when(value).then(true).otherwise(false)


def enum_text(field: Field, index: pl.Expr) -> pl.Expr:
    """The allowed value at each index (the tables and draws use the contract's order)."""
    return pl.lit(pl.Series(field.allowed, dtype=pl.String)).gather(index)


def _field_text(field: Field) -> pl.Expr:
    value = pl.col(field.name)
    match field.type:
        case FieldType.DATETIME:
            return intake_at_text(value, pl.col(col.INTAKE_OFFSET), pl.col(col.UTC_OFFSET))
        case FieldType.DATE:
            return date_text(value)
        case FieldType.INTEGER:
            return value.cast(pl.String)
        case FieldType.DECIMAL:
            return tenths_text(value)
        case FieldType.BOOLEAN:
            return boolean_text(value, pl.col(col.BOOLEAN_SPELLING))
        case FieldType.ENUM:
            return enum_text(field, value)
        case _:
            raise ValueError(f"{field.name}: {field.type} is written as it is")
