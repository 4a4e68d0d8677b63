"""Every rule of the contract as a vectorized check: one boolean expression per (field, rule)
that is true exactly when a record breaks that rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

import polars as pl

from pipeline.contract.fields import (
    FIELDS,
    FIELDS_BY_NAME,
    FUTURE_TOLERANCE_DAYS,
    ID_ALPHABET_PATTERN,
    Field,
    FieldType,
    fields_of_type,
)
from pipeline.contract.rules import Rule
from pipeline.contract.schema import RECORD_SCHEMA
from pipeline.validate.parse import PARSERS, written_date

INTAKE_TIME: Final = "intake_at"
"""The field every date is compared with."""
DATES_NOT_AFTER_INTAKE: Final = tuple(f.name for f in fields_of_type(FieldType.DATE))
"""`injury_date` and `hip_pain_onset_date`: neither may be after the date of intake."""
INTAKE_DATE: Final = "intake_date"
"""The calendar date written in `intake_at` (the clinic's own day): the "date of intake" of
the contract's day-based rules. The instant, in UTC, orders records and checks the future."""

_VALUE_PREFIX: Final = "value:"


@dataclass(frozen=True, slots=True)
class Check:
    """One (field, rule) of the contract and the expression that is true when it is broken."""

    field: str
    rule: Rule
    failed: pl.Expr

    @property
    def column(self) -> str:
        """The name of the check's boolean column while validating."""
        return f"broken:{self.field}:{self.rule.value}"


def value_column(name: str) -> str:
    """The name of a field's typed value column while validating."""
    return f"{_VALUE_PREFIX}{name}"


def typed_value(name: str) -> pl.Expr:
    return pl.col(value_column(name))


def intake_date() -> pl.Expr:
    """The date of intake: the date written in `intake_at`, for a readable `intake_at` only."""
    return pl.when(typed_value(INTAKE_TIME).is_not_null()).then(written_date(INTAKE_TIME))


def parsed_values() -> dict[str, pl.Expr]:
    """Every typed field's parsed value (before its range is checked), by value column name."""
    return {
        value_column(field.name): PARSERS[field.type](field)
        for field in FIELDS
        if field.type in PARSERS
    }


def field_checks() -> list[Check]:
    """The checks that need only the field itself (and its parsed value column)."""
    return [check for field in FIELDS for check in _field_rules(field)]


def final_value(name: str) -> pl.Expr:
    """A field's value with its contract type, for a record that passed every check."""
    if FIELDS_BY_NAME[name].type in PARSERS:
        return typed_value(name).cast(RECORD_SCHEMA[name], strict=False).alias(name)
    return pl.col(name)


def intake_checks(now: datetime) -> list[Check]:
    """The checks that compare fields with the intake time (need the typed values)."""
    if now.tzinfo is None:
        msg = "validation time must be timezone-aware"
        raise ValueError(msg)
    latest = now.astimezone(UTC) + timedelta(days=FUTURE_TOLERANCE_DAYS)
    checks = [
        Check(
            INTAKE_TIME,
            Rule.NOT_IN_FUTURE,
            (typed_value(INTAKE_TIME) > pl.lit(latest, RECORD_SCHEMA[INTAKE_TIME])).fill_null(
                False
            ),
        )
    ]
    checks.extend(
        Check(
            name, Rule.NOT_AFTER_INTAKE, (typed_value(name) > pl.col(INTAKE_DATE)).fill_null(False)
        )
        for name in DATES_NOT_AFTER_INTAKE
    )
    return checks


# In contract field order, and within a field in the order a person would fix them: given at
# all (`required`), readable as its type (`type`, `allowed_values`, `alphabet`, `length`),
# sensible (`range`), consistent with the intake time (`not_in_future`, `not_after_intake`). A
# field not given is only checked for `required` (every other check is false for a null); a
# field that cannot be read is not checked against other fields.
def _field_rules(field: Field) -> list[Check]:
    name = field.name
    checks: list[Check] = []
    if field.required:
        checks.append(Check(name, Rule.REQUIRED, pl.col(name).is_null()))
    if field.type in (FieldType.ID, FieldType.TEXT):
        return checks + _text_checks(field)
    type_rule = Rule.ALLOWED_VALUES if field.type is FieldType.ENUM else Rule.TYPE
    checks.append(Check(name, type_rule, given(name) & typed_value(name).is_null()))
    if field.minimum is not None and field.maximum is not None:
        in_range = typed_value(name).is_between(field.minimum, field.maximum)
        checks.append(Check(name, Rule.RANGE, (~in_range).fill_null(False)))
    return checks


def given(name: str) -> pl.Expr:
    """Whether the field was given (a reader turns empty text into null)."""
    return pl.col(name).is_not_null()


NUL: Final = "\x00"
"""The one character no database text column stores (PostgreSQL refuses it): text that holds
it is binary data, not text, and breaks `type`."""


def _text_checks(field: Field) -> list[Check]:
    """Identifiers: length and alphabet; free text: no NUL character, and length."""
    name = field.name
    length = pl.col(name).str.len_chars()
    checks: list[Check] = []
    if field.type is FieldType.TEXT:
        checks.append(
            Check(name, Rule.TYPE, given(name) & pl.col(name).str.contains(NUL, literal=True))
        )
    if field.type is FieldType.ID:
        checks.append(
            Check(
                name, Rule.ALPHABET, given(name) & ~pl.col(name).str.contains(ID_ALPHABET_PATTERN)
            )
        )
    too_short = length < field.min_length if field.min_length is not None else pl.lit(False)
    too_long = length > field.max_length if field.max_length is not None else pl.lit(False)
    checks.append(Check(name, Rule.LENGTH, given(name) & (too_short | too_long)))
    return checks
