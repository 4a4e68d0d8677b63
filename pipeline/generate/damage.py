"""File-level damage: lines that cannot be read as a record at all.

CSV gets short rows (cells missing at the end) and a stray, unclosed quote; JSON Lines gets
lines cut off mid-object. The truth names such a record `_record:malformed`.

A stray quote opens a quoted cell that never closes, so an RFC 4180 reader takes everything up
to the end of the file into that cell. It is therefore only ever put in the last record of a
file: the damage stays in that one record, and the reader sees a row that is far too short.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import polars as pl

SHORT_ROW_CELLS: Final = (5, 11, 17, 23)
"""A short row keeps this many leading cells (each choice drops at least one required field)."""
STRAY_QUOTE_BEFORE_CELL: Final = 3
"""The stray quote opens the cell with this index (0-based): `patient_ref`."""
TRUNCATED_LINE_KEEPS: Final = (0.3, 0.95)
"""A truncated JSON line keeps between these shares of its characters (never the closing `}`)."""


class LineDamage(StrEnum):
    """How a record's line is broken."""

    SHORT_ROW = "short_row"
    STRAY_QUOTE = "stray_quote"
    TRUNCATED_LINE = "truncated_line"


def short_row(cells: list[pl.Expr], variant: pl.Expr) -> pl.Expr:
    """The first few cells only, joined as a CSV row (how many: `SHORT_ROW_CELLS[variant]`)."""
    result = pl.lit(None, dtype=pl.String)
    for index, keep in enumerate(SHORT_ROW_CELLS):
        row = pl.concat_str(cells[:keep], separator=",")
        result = pl.when(variant == index).then(row).otherwise(result)
    return result


def stray_quote_row(cells: list[pl.Expr]) -> pl.Expr:
    """The row with a quote opening cell `STRAY_QUOTE_BEFORE_CELL` that is never closed."""
    before = pl.concat_str(cells[:STRAY_QUOTE_BEFORE_CELL], separator=",")
    after = pl.concat_str(cells[STRAY_QUOTE_BEFORE_CELL:], separator=",")
    return pl.concat_str(before, pl.lit(',"'), after)


def truncated_line(line: pl.Expr, keep_share: pl.Expr) -> pl.Expr:
    """The line cut after `keep_share` of its characters (at least one, never all)."""
    length = line.str.len_chars()
    keep = (length.cast(pl.Float64) * keep_share).floor().cast(pl.Int64).clip(1, length - 1)
    return line.str.slice(0, keep)
