"""Turn a field's text into its contract type, vectorized: the typed value, or null when the
field is not given or cannot be read as the type (the spellings accepted: docs/data.md)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Final

import polars as pl

from pipeline.contract.fields import BOOLEAN_FALSE, BOOLEAN_TRUE, Field, FieldType

DATE_FORMAT: Final = "%Y-%m-%d"
DATE_PATTERN: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATETIME_PATTERN: Final = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})?$"
)
DATETIME_FORMAT: Final = "%Y-%m-%dT%H:%M:%S%.f%#z"
_SHORT_TIME: Final = r"^(.{10})[Tt ]([0-9]{2}:[0-9]{2})([Zz+-].*)?$"
"""A date-time without seconds: date, `HH:MM`, then the offset if any."""
_UTC: Final = "+00:00"
_OFFSET_LENGTH: Final = len(_UTC)
_DATE_LENGTH: Final = len("2026-03-22")


def _letter_cases(word: str) -> list[str]:
    return sorted(
        {"".join(c) for c in itertools.product(*((ch.lower(), ch.upper()) for ch in word))}
    )


_TRUE_SPELLINGS: Final = [s for word in BOOLEAN_TRUE for s in _letter_cases(word)]
_FALSE_SPELLINGS: Final = [s for word in BOOLEAN_FALSE for s in _letter_cases(word)]
BOOLEAN_SPELLINGS: Final = pl.Enum(_TRUE_SPELLINGS + _FALSE_SPELLINGS)
"""Every accepted spelling of a boolean, true ones first: looking a text up in this enum is
the fastest exact, case-insensitive match polars offers."""


def parse_boolean(name: str) -> pl.Expr:
    code = pl.col(name).cast(BOOLEAN_SPELLINGS, strict=False).to_physical()
    return code < len(_TRUE_SPELLINGS)


def parse_integer(name: str) -> pl.Expr:
    """The integer as Int64 (the range, checked separately, makes it fit the contract type)."""
    return pl.col(name).str.to_integer(strict=False)


def parse_decimal(name: str) -> pl.Expr:
    number = pl.col(name).cast(pl.Float64, strict=False)
    return pl.when(number.is_finite()).then(number)


def parse_date(name: str) -> pl.Expr:
    text = pl.col(name)
    return pl.when(text.str.contains(DATE_PATTERN)).then(
        text.str.to_date(DATE_FORMAT, strict=False, cache=False)
    )


def parse_datetime(name: str) -> pl.Expr:
    """An instant in UTC; a date-time without an offset is taken as UTC (the contract)."""
    text = pl.col(name)
    # One spelling for the parser: `T`, seconds, and a numeric offset (`Z`, `z` or none: UTC).
    spelled = (
        text.str.replace(_SHORT_TIME, "${1}T${2}:00${3}")
        .str.replace(r"^(.{10})[t ]", "${1}T")
        .str.replace(r"[Zz]$", _UTC)
    )
    has_offset = spelled.str.slice(-_OFFSET_LENGTH, 1).is_in(["+", "-"])
    with_offset = pl.when(has_offset).then(spelled).otherwise(spelled + _UTC)
    return pl.when(text.str.contains(DATETIME_PATTERN)).then(
        with_offset.str.to_datetime(
            DATETIME_FORMAT, strict=False, time_unit="us", time_zone="UTC", cache=False
        )
    )


def written_date(name: str) -> pl.Expr:
    """The calendar date written in a date-time's text (`2026-03-22T01:00:00+02:00` is 22
    March whatever its UTC date): the clinic's own day. Null where the text is no date-time."""
    text = pl.col(name)
    return pl.when(text.str.contains(DATETIME_PATTERN)).then(
        text.str.slice(0, _DATE_LENGTH).str.to_date(DATE_FORMAT, strict=False, cache=False)
    )


def parse_enum(field: Field) -> pl.Expr:
    return pl.col(field.name).cast(pl.Enum(list(field.allowed)), strict=False)


PARSERS: Final[dict[FieldType, Callable[[Field], pl.Expr]]] = {
    FieldType.BOOLEAN: lambda f: parse_boolean(f.name),
    FieldType.INTEGER: lambda f: parse_integer(f.name),
    FieldType.DECIMAL: lambda f: parse_decimal(f.name),
    FieldType.DATE: lambda f: parse_date(f.name),
    FieldType.DATETIME: lambda f: parse_datetime(f.name),
    FieldType.ENUM: parse_enum,
}
"""The parser of each field type that has one (identifiers and free text are text already)."""
