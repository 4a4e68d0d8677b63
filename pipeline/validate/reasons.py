"""Quarantine reasons as polars data: the contract's (field, rule, value) triple, every reason a
record failed, the value exactly as received (null when nothing was given)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import polars as pl

from pipeline.contract.rules import RECORD_FIELD, Rule

REASON_DTYPE: Final = pl.Struct({"field": pl.String, "rule": pl.String, "value": pl.String})
"""One reason a record is invalid: `{field, rule, value}`."""

REASONS_DTYPE: Final = pl.List(REASON_DTYPE)
"""Every reason a record is invalid, in a stable order (contract field order, then rule)."""

MALFORMED_SCHEMA: Final = pl.Schema(
    {"line_number": pl.Int64(), "raw_record": pl.String(), "reasons": REASONS_DTYPE}
)
"""Lines that could not be read into fields at all (encoding, quoting, columns, JSON)."""


@dataclass(frozen=True, slots=True)
class MalformedLine:
    """A physical line that could not be read as a record, and what was wrong with it.

    `detail` goes into the reason's `value`: for a record that cannot be read there is no field
    value to quote, so the value says what made it unreadable (the raw text is kept beside it).
    """

    line_number: int
    raw_record: str
    detail: str


def malformed_frame(lines: Sequence[MalformedLine]) -> pl.DataFrame:
    """The malformed lines as a frame of `MALFORMED_SCHEMA`, each with one `malformed` reason."""
    return pl.DataFrame(
        {
            "line_number": [m.line_number for m in lines],
            "raw_record": [m.raw_record for m in lines],
            "reasons": [
                [{"field": RECORD_FIELD, "rule": Rule.MALFORMED.value, "value": m.detail}]
                for m in lines
            ],
        },
        schema=MALFORMED_SCHEMA,
    )


def reason_expr(field: str, rule: Rule, value: pl.Expr) -> pl.Expr:
    """A reason struct for every row: `{field, rule, value}` with `value` as received."""
    return pl.struct(
        pl.lit(field, pl.String).alias("field"),
        pl.lit(rule.value, pl.String).alias("rule"),
        value.cast(pl.String).alias("value"),
    )
