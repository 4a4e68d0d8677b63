"""Records as lines of text (CSV rows with RFC 4180 quoting, or JSON Lines objects, one physical
line each), and the damage that makes a line unreadable as a record."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import polars as pl

from pipeline.contract import FIELD_NAMES, FIELDS
from pipeline.contract.fields import Field, FieldType
from pipeline.generate import columns as col
from pipeline.generate.config import OutputFormat

# File-level damage: short CSV rows, a stray unclosed quote (only ever in a file's last record,
# since an RFC 4180 reader takes everything after it into that cell), JSON lines cut off
# mid-object. The truth names such a record `_record:malformed`.
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


LINE_END: Final = "\n"
_CSV_SPECIAL: Final = [",", '"', "\r", "\n"]
_JSON_ESCAPES: Final = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"))
_JSON_SPECIAL: Final = [raw for raw, _ in _JSON_ESCAPES]
_JSON_NUMBER: Final = r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$"
_JSON_BOOLEANS: Final = ("true", "false")
_ROW: Final = "_row"


def csv_header() -> str:
    """The header row: the contract's fields in contract order."""
    return ",".join(f.name for f in FIELDS) + LINE_END


def render_lines(frame: pl.DataFrame, output_format: OutputFormat) -> pl.Series:
    """One line per record (damaged where `_damage` says so), each ending with a line feed."""
    if output_format is OutputFormat.CSV:
        needs_quotes = frame.select(pl.col(FIELD_NAMES).str.contains_any(_CSV_SPECIAL).any()).row(0)
        cells = [_csv_cell(pl.col(f.name), q) for f, q in zip(FIELDS, needs_quotes, strict=True)]
        line, damaged = pl.concat_str(cells, separator=","), _damaged_csv_line(cells)
    else:
        needs_escapes = frame.select(pl.col(FIELD_NAMES).str.contains_any(_JSON_SPECIAL).any())
        line = _json_line(needs_escapes.row(0))
        damaged = _damaged_json_line(line)
    lines = frame.select(pl.concat_str(line, pl.lit(LINE_END)).alias("line")).to_series()
    damaged_rows = frame.with_row_index(_ROW).filter(pl.col(col.DAMAGE).is_not_null())
    if damaged_rows.height == 0:
        return lines
    broken = damaged_rows.select(pl.concat_str(damaged, pl.lit(LINE_END))).to_series()
    return lines.scatter(damaged_rows[_ROW], broken)


def _csv_cell(text: pl.Expr, may_need_quotes: bool) -> pl.Expr:
    """RFC 4180: quote a cell holding a comma, quote or line break, doubling inner quotes."""
    if not may_need_quotes:
        return text.fill_null("")
    quoted = pl.concat_str(pl.lit('"'), text.str.replace_all('"', '""', literal=True), pl.lit('"'))
    return pl.when(text.str.contains_any(_CSV_SPECIAL)).then(quoted).otherwise(text).fill_null("")


def _damaged_csv_line(cells: list[pl.Expr]) -> pl.Expr:
    variant = (pl.col(col.DAMAGE_SHARE) * len(SHORT_ROW_CELLS)).floor().cast(pl.Int64)
    return (
        pl.when(pl.col(col.DAMAGE) == LineDamage.SHORT_ROW.value)
        .then(short_row(cells, variant))
        .when(pl.col(col.DAMAGE) == LineDamage.STRAY_QUOTE.value)
        .then(stray_quote_row(cells))
    )


def _json_line(needs_escapes: tuple[bool, ...]) -> pl.Expr:
    members = [_json_member(f, e) for f, e in zip(FIELDS, needs_escapes, strict=True)]
    return pl.concat_str(
        pl.lit("{"), pl.concat_str(members, separator=",", ignore_nulls=True), pl.lit("}")
    )


def _damaged_json_line(line: pl.Expr) -> pl.Expr:
    low, high = TRUNCATED_LINE_KEEPS
    keep_share = low + (high - low) * pl.col(col.DAMAGE_SHARE)
    return pl.when(pl.col(col.DAMAGE) == LineDamage.TRUNCATED_LINE.value).then(
        truncated_line(line, keep_share)
    )


def _json_member(field: Field, may_need_escapes: bool) -> pl.Expr:
    """`"name":value`; for an empty field `"name":null`, or null when the record leaves empty
    fields out (`_omit_empty`; a required field missing from a bad record is left out too).

    Numbers and booleans are written bare when the text is a JSON number or boolean, and as a
    JSON string otherwise (the bad values of an invalid record).
    """
    text = pl.col(field.name)
    quoted = _json_string(text, may_need_escapes)
    if field.type in (FieldType.INTEGER, FieldType.DECIMAL):
        value = pl.when(text.str.contains(_JSON_NUMBER)).then(text).otherwise(quoted)
    elif field.type is FieldType.BOOLEAN:
        value = pl.when(text.is_in(_JSON_BOOLEANS)).then(text).otherwise(quoted)
    else:
        value = quoted
    empty = pl.when(~pl.col(col.OMIT_EMPTY)).then(pl.lit(f'"{field.name}":null'))
    return pl.concat_str(pl.lit(f'"{field.name}":'), value).fill_null(empty)


def _json_string(text: pl.Expr, may_need_escapes: bool) -> pl.Expr:
    """A JSON string. The generator writes no control characters other than line breaks and
    tabs, so escaping these, quotes and backslashes is complete."""
    escaped = text
    for raw, escape in _JSON_ESCAPES if may_need_escapes else ():
        escaped = escaped.str.replace_all(raw, escape, literal=True)
    return pl.concat_str(pl.lit('"'), escaped, pl.lit('"'))
