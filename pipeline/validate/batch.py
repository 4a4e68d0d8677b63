"""What reading one intake file gives: its records as text, its unreadable lines, its columns.
Reading only decides each field's text; whether it is a valid value is validation's job, so
every record read at all comes out valid or quarantined with its reasons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import polars as pl

from pipeline.contract.fields import FIELD_NAMES
from pipeline.validate.reasons import MALFORMED_SCHEMA, REASONS_DTYPE

RAW_RECORD_SCHEMA: Final = pl.Schema(
    {
        "line_number": pl.Int64(),
        "raw_record": pl.String(),
        **{name: pl.String() for name in FIELD_NAMES},
        "read_reasons": REASONS_DTYPE,
    }
)
"""Records as read: 1-based line where the record starts, its text exactly as received, every
contract field as text (null = not given; an empty CSV cell or JSON `""` is not given), and
`read_reasons`: problems the reader already found in a readable record (a JSON list or object
where the contract wants a single value), null when there are none."""


@dataclass(frozen=True, slots=True)
class RawBatch:
    """One intake file, read.

    `records` has `RAW_RECORD_SCHEMA`, one row per record that could be read into fields, in
    line order. `malformed` has `MALFORMED_SCHEMA`: lines that could not be read at all.
    `unknown_columns` are names the contract does not know (kept out of the data, reported once
    per file); `missing_columns` are contract fields the CSV header does not name (each record
    then lacks them: a required one fails `required`). JSON Lines has no header, so there a
    field left out is simply not given in that record and `missing_columns` is empty.
    """

    records: pl.DataFrame
    malformed: pl.DataFrame
    unknown_columns: tuple[str, ...] = ()
    missing_columns: tuple[str, ...] = ()

    @property
    def records_in(self) -> int:
        """Every record the file holds, readable or not: what validation must account for."""
        return self.records.height + self.malformed.height


def empty_records() -> pl.DataFrame:
    """A records frame with no rows."""
    return pl.DataFrame(schema=RAW_RECORD_SCHEMA)


def empty_malformed() -> pl.DataFrame:
    """A malformed-lines frame with no rows."""
    return pl.DataFrame(schema=MALFORMED_SCHEMA)


def records_frame(
    line_numbers: pl.Series | Sequence[int],
    raw_records: pl.Series | Sequence[str],
    fields: Mapping[str, pl.Series | Sequence[str | None]],
    read_reasons: pl.Series | None = None,
) -> pl.DataFrame:
    """Assemble a records frame: contract fields that are absent become null columns, names the
    contract does not know are left out, and an empty text is "not given" (null)."""
    height = len(line_numbers)
    columns: dict[str, pl.Series] = {
        "line_number": pl.Series("line_number", line_numbers, dtype=pl.Int64),
        "raw_record": pl.Series("raw_record", raw_records, dtype=pl.String),
    }
    for name in FIELD_NAMES:
        values = fields.get(name)
        columns[name] = (
            pl.Series(name, [None] * height, dtype=pl.String)
            if values is None
            else pl.Series(name, values, dtype=pl.String)
        )
    columns["read_reasons"] = (
        pl.Series("read_reasons", [None] * height, dtype=REASONS_DTYPE)
        if read_reasons is None
        else read_reasons.alias("read_reasons").cast(REASONS_DTYPE)
    )
    frame = pl.DataFrame(columns)
    return frame.with_columns(
        pl.when(pl.col(name) != "").then(pl.col(name)).alias(name) for name in FIELD_NAMES
    )
