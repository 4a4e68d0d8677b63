"""The content hash of a valid record: SHA-256 of its contract values in a canonical text, the
same however the record was written (CSV or JSON Lines, `TRUE` or `1`, `+01:00` or `Z`), so an
exact re-send (same hash) is told from a correction (same `intake_id`, new hash)."""

from __future__ import annotations

from typing import Final

import polars as pl
from polars_hash import CryptographicHashingNameSpace

from pipeline.contract.fields import FIELDS, Field, FieldType

# The canonical text is this version, then every contract field that is not a boolean in
# contract order, then all booleans as one number, each part preceded by `|`. No value but
# free text can hold `|` and free text carries its length, so the text decodes to exactly one
# record. The loader hashes each record it loads (`pipeline.load.day`); validation compares the
# records of one file by the canonical text alone (`pipeline.validate.duplicates`).
CANONICAL_VERSION: Final = "intake-record-v1"
BOOLEAN_FIELDS: Final = tuple(f.name for f in FIELDS if f.type is FieldType.BOOLEAN)
_NOT_GIVEN_DIGIT: Final = 2
_BASE: Final = 3
DECIMAL_SCALE: Final = 1_000_000
"""Decimals enter the canonical text in millionths."""
SEPARATOR: Final = "|"
INTAKE_DATE: Final = "intake_date"
"""The column of the date of intake (the date written in `intake_at`)."""
WRITTEN_DATE_MARK: Final = "@"


def canonical_text(columns: dict[str, pl.Expr] | None = None) -> pl.Expr:
    """The canonical text of each record from its typed field columns and its date of intake
    (by default the columns named like the fields, and `intake_date`)."""

    def column(name: str) -> pl.Expr:
        return columns[name] if columns is not None else pl.col(name)

    parts = [pl.lit(CANONICAL_VERSION)]
    for field in FIELDS:
        if field.type is FieldType.DATETIME:
            parts.append(_instant(column(field.name), column(INTAKE_DATE)).fill_null(""))
        elif field.type is not FieldType.BOOLEAN:
            parts.append(_canonical(field, column(field.name)).fill_null(""))  # not given: ""
    # The booleans as one number: digit i (base 3, most significant first) is the i-th boolean
    # field, 0 false, 1 true, 2 not given (one part instead of nine: a short text, a fast hash).
    booleans = pl.sum_horizontal(
        column(name).cast(pl.Int64).fill_null(_NOT_GIVEN_DIGIT)
        * _BASE ** (len(BOOLEAN_FIELDS) - 1 - i)
        for i, name in enumerate(BOOLEAN_FIELDS)
    )
    parts.append(booleans.cast(pl.String))
    return pl.concat_str(parts, separator=SEPARATOR)


def _instant(instant: pl.Expr, written: pl.Expr) -> pl.Expr:
    """`intake_at` in the canonical text: its microseconds, and its written date where that is
    not its UTC date."""
    # Microseconds since the epoch, then `@` and the written date in days only where it differs
    # from the UTC date: a record whose two dates agree keeps the hash it had before the date of
    # intake became the written one.
    micros = instant.dt.epoch("us").cast(pl.String)
    differs = (written != instant.dt.date()).fill_null(False)
    return (
        pl.when(differs)
        .then(
            pl.concat_str(micros, pl.lit(WRITTEN_DATE_MARK), written.cast(pl.Int32).cast(pl.String))
        )
        .otherwise(micros)
    )


def content_hash(columns: dict[str, pl.Expr] | None = None) -> pl.Expr:
    """The hex SHA-256 of each record's canonical text (64 lowercase hex characters)."""
    # polars-hash computes it in Rust; it is the standard SHA-256 of the text's UTF-8 bytes
    # (`hashlib.sha256(text.encode()).hexdigest()` gives the same).
    return CryptographicHashingNameSpace(canonical_text(columns)).sha2_256()


def _canonical(field: Field, column: pl.Expr) -> pl.Expr:
    match field.type:
        case FieldType.DECIMAL:  # millionths, rounded: 37.5 -> 37500000
            return (column * DECIMAL_SCALE).round(0).cast(pl.Int64).cast(pl.String)
        case FieldType.DATE:  # days since 1970-01-01
            return column.cast(pl.Int32).cast(pl.String)
        case FieldType.TEXT:  # length in characters, `:`, the text: any text is unambiguous
            return pl.concat_str(column.str.len_chars().cast(pl.String), pl.lit(":"), column)
        case _:  # identifiers, enums and integers are their own canonical text
            return column.cast(pl.String)
