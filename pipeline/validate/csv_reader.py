"""Read a CSV intake file (header row, UTF-8, comma, RFC 4180 quoting) into a RawBatch.

The fast path hands every line that is certainly one well-formed record to polars' CSV reader
in one go; everything else (damaged lines, records whose quoted fields span lines) takes the
careful path in `csv_careful`. A line is certainly well formed when it is UTF-8 and either
has no quote and exactly as many fields as the header, or has quotes and matches the RFC 4180
record pattern with exactly as many fields as the header. For a line without quotes the field
count is checked after parsing, cheaply: its length must equal the lengths of its fields plus
the commas between them, which fails for a short or a long row.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Final

import numpy as np
import polars as pl

from pipeline.contract.fields import FIELD_NAMES
from pipeline.validate.batch import RawBatch, empty_malformed, empty_records, records_frame
from pipeline.validate.csv_careful import read_damaged, split_record
from pipeline.validate.lines import Lines, split_lines
from pipeline.validate.reasons import MalformedLine, malformed_frame

MAX_COLUMNS: Final = 1_000
"""A header naming more columns than this is refused (the contract has 30 fields): reading
a record's fields costs more than linear time in the width, so a hostile header of a million
names would stall ingestion for minutes."""
_QUOTED_FIELD: Final = r'"(?:[^"]|"")*"'
_UNQUOTED_FIELD: Final = r'[^",]*'


def read_csv_bytes(data: bytes) -> RawBatch:
    """Read a CSV file's bytes. Line 1 is the header; the first record is on line 2."""
    lines = split_lines(data)
    if len(lines) == 0:
        return RawBatch(empty_records(), empty_malformed())
    header = _read_header(lines)
    if isinstance(header, str):
        return RawBatch(empty_records(), _all_malformed(lines, header))
    unknown = tuple(name for name in header if name not in FIELD_NAMES)
    missing = tuple(name for name in FIELD_NAMES if name not in header)
    return RawBatch(*_read_records(lines, header), unknown, missing)


def record_pattern(width: int) -> str:
    """A regular expression that matches one RFC 4180 record of exactly `width` fields."""
    field = f"(?:{_QUOTED_FIELD}|{_UNQUOTED_FIELD})"
    return f"^{field}(?:,{field}){{{width - 1}}}$"


def _read_header(lines: Lines) -> list[str] | str:
    """The header's column names, or why the header cannot be used."""
    if not lines.utf8[0]:
        return "the header (line 1) is not valid UTF-8, so no record can be read"
    text = lines.raw_text(0)
    if text.count(",") >= MAX_COLUMNS:
        return f"the header (line 1) names more than {MAX_COLUMNS:,} columns"
    names = split_record(text)
    if names is None:
        return "the header (line 1) is not valid CSV, so no record can be read"
    repeated = sorted(name for name, count in Counter(names).items() if count > 1)
    if repeated:
        return f"the header (line 1) names {', '.join(repeated)} more than once"
    return names


def _all_malformed(lines: Lines, detail: str) -> pl.DataFrame:
    """Every non-blank line after the header, malformed for the same file-level reason."""
    return malformed_frame(
        [
            MalformedLine(index + 1, lines.raw_text(index), detail)
            for index in range(1, len(lines))
            if lines.ends[index] > lines.starts[index]
        ]
    )


def _read_records(lines: Lines, header: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    width = len(header)
    flags = _line_flags(lines, width)
    candidate = flags["candidate"].to_numpy()
    parsed = _parse_candidates(lines, candidate, width)
    field_bytes = parsed.select(
        pl.sum_horizontal(pl.all().str.len_bytes().fill_null(0)) + (width - 1)
    ).to_series()
    candidates = flags.filter(pl.col("candidate"))
    well_formed = candidates["quoted"] | (candidates["length"] == field_bytes)
    simple = np.zeros(len(flags), dtype=np.bool_)
    simple[np.flatnonzero(candidate)[well_formed.to_numpy()]] = True

    damaged = np.flatnonzero(~simple & ~flags["blank"].to_numpy()) + 1  # 0-based line index
    quote_counts = np.zeros(len(lines), dtype=np.int64)
    quote_counts[damaged] = (
        lines.text.gather(damaged).str.count_matches('"', literal=True).fill_null(0).to_numpy()
    )
    careful = read_damaged(lines, damaged.tolist(), quote_counts, width)
    for record in careful.records:  # lines inside a multi-line record are not records
        simple[record.first - 1 : record.last] = False

    keep = pl.Series(simple[candidate])
    fast = records_frame(
        pl.Series(np.flatnonzero(simple) + 2),
        flags["text"].filter(pl.Series(simple)),
        dict(zip(header, parsed.filter(keep), strict=True)),
    )
    slow = records_frame(
        [r.first + 1 for r in careful.records],
        [r.raw_record for r in careful.records],
        {name: [r.fields[i] for r in careful.records] for i, name in enumerate(header)},
    )
    records = pl.concat([fast, slow]).sort("line_number") if slow.height else fast
    return records, malformed_frame(careful.malformed)


def _line_flags(lines: Lines, width: int) -> pl.DataFrame:
    """Per data line: its text, length, whether blank or quoted, and whether it can go to the
    fast path (`candidate`: UTF-8, not blank, and either unquoted or a well-formed RFC 4180
    record of `width` fields). String work runs on the chunked line column, so in parallel."""
    frame = pl.DataFrame(lines.text.slice(1)).with_columns(
        length=pl.col("text").str.len_bytes(),
        quoted=pl.col("text").str.contains('"', literal=True),
    )
    quoted = frame["quoted"].to_numpy()
    well_quoted = np.zeros(frame.height, dtype=np.bool_)
    if quoted.any():
        well_quoted[quoted] = (
            frame.filter(pl.col("quoted"))
            .select(pl.col("text").str.contains(record_pattern(width)))
            .to_series()
            .to_numpy()
        )
    blank = frame["length"].to_numpy() == 0
    candidate = lines.utf8[1:] & ~blank & (~quoted | well_quoted)
    return frame.with_columns(pl.Series("blank", blank), pl.Series("candidate", candidate))


def _parse_candidates(lines: Lines, candidate: np.ndarray, width: int) -> pl.DataFrame:
    """Parse the candidate lines (after the header) with polars, one row per candidate line.

    The header line goes first so polars sees the full width; its row is dropped again. Short
    rows come back padded with nulls and long rows truncated: the caller's length check finds
    both.
    """
    buffer = lines.join(np.concatenate(([True], candidate)))
    schema = {f"column_{i}": pl.String() for i in range(width)}
    frame = pl.read_csv(
        io.BytesIO(buffer),
        has_header=False,
        schema=schema,
        quote_char='"',
        separator=",",
        truncate_ragged_lines=True,
        raise_if_empty=False,
    ).slice(1)
    if frame.height != int(candidate.sum()):  # pragma: no cover - would be a reader bug
        msg = f"CSV fast path read {frame.height} rows from {int(candidate.sum())} lines"
        raise RuntimeError(msg)
    return frame
