"""Records as lines of text: CSV rows (RFC 4180 quoting) or JSON Lines objects.

Every line ends with a line feed. A CSV cell is quoted only when it holds a comma, a quote or a
line break; a note with a line break then spans two physical lines. JSON strings are escaped, so
a JSON Lines record is always exactly one physical line.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from pipeline.contract import FIELD_NAMES, FIELDS
from pipeline.contract.fields import Field, FieldType
from pipeline.generate import columns as col
from pipeline.generate import damage
from pipeline.generate.config import OutputFormat
from pipeline.generate.damage import LineDamage

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
    variant = (pl.col(col.DAMAGE_SHARE) * len(damage.SHORT_ROW_CELLS)).floor().cast(pl.Int64)
    return (
        pl.when(pl.col(col.DAMAGE) == LineDamage.SHORT_ROW.value)
        .then(damage.short_row(cells, variant))
        .when(pl.col(col.DAMAGE) == LineDamage.STRAY_QUOTE.value)
        .then(damage.stray_quote_row(cells))
    )


def _json_line(needs_escapes: tuple[bool, ...]) -> pl.Expr:
    members = [_json_member(f, e) for f, e in zip(FIELDS, needs_escapes, strict=True)]
    return pl.concat_str(
        pl.lit("{"), pl.concat_str(members, separator=",", ignore_nulls=True), pl.lit("}")
    )


def _damaged_json_line(line: pl.Expr) -> pl.Expr:
    low, high = damage.TRUNCATED_LINE_KEEPS
    keep_share = low + (high - low) * pl.col(col.DAMAGE_SHARE)
    return pl.when(pl.col(col.DAMAGE) == LineDamage.TRUNCATED_LINE.value).then(
        damage.truncated_line(line, keep_share)
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
