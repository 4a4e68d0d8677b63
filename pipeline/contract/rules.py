"""Names of the contract's validation rules, as they appear in quarantine reasons: the triple
(field, or `RECORD_FIELD` for a record not readable as a whole; rule; value exactly as received)."""

from __future__ import annotations

from enum import StrEnum
from typing import Final, TypedDict


class Rule(StrEnum):
    """Every way a record can break the contract."""

    REQUIRED = "required"  # a required field is missing or empty
    TYPE = "type"  # not an integer, decimal, date, date-time, boolean or text (NUL) as needed
    ALLOWED_VALUES = "allowed_values"  # not one of the enum's values
    ALPHABET = "alphabet"  # an id with characters outside A-Z a-z 0-9 _ -
    LENGTH = "length"  # too short or too long
    RANGE = "range"  # a number outside its range
    NOT_IN_FUTURE = "not_in_future"  # intake_at more than a day ahead
    NOT_AFTER_INTAKE = "not_after_intake"  # a date after intake_at
    DUPLICATE_IN_FILE = "duplicate_in_file"  # the same intake_id twice in one file, differently
    MALFORMED = "malformed"  # the line itself cannot be read (encoding, quoting, columns, JSON)


RECORD_FIELD: Final = "_record"
"""The `field` of a reason that concerns the whole record rather than one field."""


class Reason(TypedDict):
    """One reason a record is invalid."""

    field: str
    rule: str
    value: str | None
