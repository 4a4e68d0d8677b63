"""Validate read records against the contract, vectorized: `validate(records, now)` splits them
into valid records with the contract's types and quarantined records with every reason; records
in = valid + quarantined, always."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

import polars as pl

from pipeline.contract.fields import FIELD_NAMES, FIELDS, FieldType
from pipeline.contract.rules import Rule
from pipeline.contract.schema import RECORD_SCHEMA
from pipeline.validate.batch import RAW_RECORD_SCHEMA
from pipeline.validate.checks import (
    INTAKE_DATE,
    Check,
    field_checks,
    final_value,
    intake_checks,
    intake_date,
    parsed_values,
    typed_value,
    value_column,
)
from pipeline.validate.content_hash import canonical_text
from pipeline.validate.duplicates import DUPLICATE_IN_FILE, DUPLICATE_OF_LINE, ID, mark_duplicates
from pipeline.validate.reasons import REASONS_DTYPE, reason_expr
from pipeline.validate.red_flags import RED_FLAGS_DTYPE, lenient_clinic, red_flags

VALID_SCHEMA: Final = pl.Schema(
    {
        "line_number": pl.Int64(),
        "raw_record": pl.String(),
        **RECORD_SCHEMA,
        INTAKE_DATE: pl.Date(),
        DUPLICATE_OF_LINE: pl.Int64(),
    }
)
"""Valid records: line and raw text, every contract field with its contract type, the date of
intake (the calendar date written in `intake_at`) and, for an exact re-send of an earlier line
of the same file, that line (`duplicate_of_line`, else null). The content hash that tells a re-
send from a correction in the database is the loader's (`content_hash.content_hash`, computed
from these typed fields when the records are staged): validation only compares the records of
one file."""

QUARANTINE_SCHEMA: Final = pl.Schema(
    {
        "line_number": pl.Int64(),
        "raw_record": pl.String(),
        "intake_id": pl.String(),
        "clinic_id": pl.String(),
        "reasons": REASONS_DTYPE,
        "red_flags": RED_FLAGS_DTYPE,
    }
)
"""Quarantined records: line, raw text, `intake_id` and `clinic_id` as received (null if none
could be read), every reason as `{field, rule, value}` with the value as received, and the red
flags its text still shows (`pipeline.validate.red_flags`; empty: none)."""

_RULE_ORDER: Final = tuple(Rule)
_TEXT_IS_CANONICAL: Final = (FieldType.ID, FieldType.ENUM, FieldType.TEXT)
_BROKEN: Final = "broken"


@dataclass(frozen=True, slots=True)
class Validated:
    """The outcome of validating one batch of records."""

    valid: pl.DataFrame
    quarantine: pl.DataFrame

    @property
    def records_in(self) -> int:
        return self.valid.height + self.quarantine.height


def validate(records: pl.DataFrame, now: datetime) -> Validated:
    """Validate records as a reader gives them (`RAW_RECORD_SCHEMA`; a missing field column or
    `read_reasons` is taken as all null). `now` (timezone-aware) is the time of validation,
    for `not_in_future`. Never raises on the content of the records."""
    frame = _conform(records)
    own, cross = field_checks(), intake_checks(now)
    checks = sorted(
        [*own, *cross], key=lambda c: (FIELD_NAMES.index(c.field), _RULE_ORDER.index(c.rule))
    )
    checked = (
        frame.lazy()
        .with_columns(**parsed_values())
        .with_columns(intake_date().alias(INTAKE_DATE))
        .with_columns(**{c.column: c.failed for c in [*own, *cross]})
        .with_columns(
            pl.any_horizontal(pl.col(c.column) for c in checks)
            .or_(pl.col("read_reasons").is_not_null())
            .alias(_BROKEN)
        )
        .collect()
    )
    checked = mark_duplicates(checked, canonical_text(_canonical_inputs()))
    invalid = pl.col(_BROKEN) | pl.col(DUPLICATE_IN_FILE)
    valid = checked.filter(~invalid).select(
        "line_number",
        "raw_record",
        *[final_value(name) for name in FIELD_NAMES],
        INTAKE_DATE,
        DUPLICATE_OF_LINE,
    )
    quarantine = checked.filter(invalid).select(
        "line_number",
        "raw_record",
        pl.col(ID),
        lenient_clinic().alias("clinic_id"),
        _reasons(checks).alias("reasons"),
        red_flags().alias("red_flags"),
    )
    return Validated(valid.cast(dict(VALID_SCHEMA)), quarantine)  # type: ignore[arg-type]


def _canonical_inputs() -> dict[str, pl.Expr]:
    """What two records of one file are compared by: the inputs of the content hash's canonical
    text (equal exactly when the loader's content hashes would be). For a valid record, the text
    of an identifier, an enum value or free text is already its canonical value (taken as is);
    every other field contributes its parsed value."""
    return {
        **{
            field.name: pl.col(field.name)
            if field.type in _TEXT_IS_CANONICAL
            else typed_value(field.name)
            for field in FIELDS
        },
        INTAKE_DATE: pl.col(INTAKE_DATE),
    }


def _conform(records: pl.DataFrame) -> pl.DataFrame:
    """The records with every column of `RAW_RECORD_SCHEMA` (absent ones null), in one chunk:
    columns cut into different chunks (as readers that assemble pieces leave them) make every
    later step realign them, which costs more than aligning once here."""
    missing = [
        pl.lit(None, dtype).alias(name)
        for name, dtype in RAW_RECORD_SCHEMA.items()
        if name not in records.columns
    ]
    conformed = records.with_columns(missing).select(
        pl.col(name).cast(dtype) for name, dtype in RAW_RECORD_SCHEMA.items()
    )
    return conformed if max(conformed.n_chunks("all"), default=1) <= 1 else conformed.rechunk()


def _reasons(checks: list[Check]) -> pl.Expr:
    """Every reason of a record: the reader's, each broken check's, then duplicate_in_file."""
    # The reader's (a JSON value of the wrong kind) first, then contract field order and within
    # a field the order of `checks`, `duplicate_in_file` last.
    found = [
        pl.when(pl.col(c.column)).then(reason_expr(c.field, c.rule, pl.col(c.field)))
        for c in checks
    ]
    found.append(
        pl.when(pl.col(DUPLICATE_IN_FILE)).then(reason_expr(ID, Rule.DUPLICATE_IN_FILE, pl.col(ID)))
    )
    read = pl.col("read_reasons").fill_null(pl.lit([], REASONS_DTYPE))
    return pl.concat_list([read, pl.concat_list(found).list.drop_nulls()]).cast(REASONS_DTYPE)


__all__ = ["QUARANTINE_SCHEMA", "VALID_SCHEMA", "Validated", "validate", "value_column"]
