"""The contract as polars types: the schema of a frame of valid intake records."""

from __future__ import annotations

from typing import Final

import polars as pl

from pipeline.contract.fields import FIELDS, Field, FieldType

_SCALAR_DTYPES: Final[dict[FieldType, pl.DataType]] = {
    FieldType.ID: pl.String(),
    FieldType.TEXT: pl.String(),
    FieldType.DATETIME: pl.Datetime("us", "UTC"),
    FieldType.DATE: pl.Date(),
    FieldType.INTEGER: pl.Int16(),
    FieldType.DECIMAL: pl.Float64(),
    FieldType.BOOLEAN: pl.Boolean(),
}


def polars_dtype(field: Field) -> pl.DataType:
    """The polars type a valid value of `field` has."""
    if field.type is FieldType.ENUM:
        return pl.Enum(list(field.allowed))
    return _SCALAR_DTYPES[field.type]


RECORD_SCHEMA: Final = pl.Schema({f.name: polars_dtype(f) for f in FIELDS})
"""Column names and types of a frame of valid intake records, in contract order."""
