"""Read a CSV intake file (header row, UTF-8, comma, RFC 4180 quoting) into a RawBatch: polars
reads every line that is certainly one well-formed record; the rest takes the careful path."""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

from pipeline.contract.fields import FIELD_NAMES
from pipeline.validate.batch import RawBatch, empty_malformed, empty_records, records_frame
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
    # A quoted candidate matched the record pattern already; an unquoted one has the header's
    # width exactly when its length is its fields' lengths plus the commas between them.
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


# The careful path: only damaged lines and records whose quoted fields span lines come here,
# so a clean file never pays for it. Its rules keep damage contained: a field is unquoted (no
# `"`) or quoted from first to last character (`""` inside); a record whose quoted field runs
# over line breaks ends at the next line with an odd number of quotes, and if it is not well
# formed only its first line is malformed and reading starts again on the next line, so a
# stray quote never swallows the lines after it; a record has exactly the header's width.

_FIELD: Final = re.compile(r'"(?:[^"]|"")*+"|[^",\n]*+')
"""One field: quoted (anything but a lone quote inside) or unquoted (no quote, comma, newline)."""

NOT_UTF8: Final = "the line is not valid UTF-8"
UNCLOSED_QUOTE: Final = "a quoted field is never closed"
MISPLACED_QUOTE: Final = (
    "a quote where RFC 4180 allows none (inside an unquoted field or after a closing quote)"
)


@dataclass(frozen=True, slots=True)
class CarefulRecord:
    """A record read on the careful path: lines `first`..`last` (0-based) and its fields."""

    first: int
    last: int
    raw_record: str
    fields: list[str]


@dataclass(frozen=True, slots=True)
class CarefulResult:
    """What the careful path made of the lines it was given."""

    records: list[CarefulRecord]
    malformed: list[MalformedLine]


def split_record(text: str) -> list[str] | None:
    """The fields of one record's text, unquoted; None when its quoting is not RFC 4180."""
    fields: list[str] = []
    position = 0
    while True:
        match = _FIELD.match(text, position)
        if match is None:  # pragma: no cover - the pattern matches the empty string
            return None
        value = match.group()
        fields.append(value[1:-1].replace('""', '"') if value.startswith('"') else value)
        position = match.end()
        if position == len(text):
            return fields
        if text[position] != ",":
            return None
        position += 1


def field_count_detail(found: int, width: int) -> str:
    """What is wrong with a record that has the wrong number of fields."""
    return f"{found} fields where the header has {width}"


def read_damaged(
    lines: Lines, starts: list[int], quote_counts: npt.NDArray[np.int64], width: int
) -> CarefulResult:
    """Read the records that start at `starts` (0-based line indices in ascending order, each a
    line the fast path could not take); `quote_counts[i]` is the number of quotes on line i for
    at least those lines. Lines consumed by a multi-line record are skipped as starts."""
    odd_lines = np.asarray(
        [i for i in starts if quote_counts[i] % 2 == 1], dtype=np.int64
    )  # a record spanning lines ends on the next such line
    records: list[CarefulRecord] = []
    malformed: list[MalformedLine] = []
    next_free = 0
    for first in starts:
        if first < next_free:
            continue
        outcome = _read_one(lines, first, quote_counts, odd_lines, width)
        if isinstance(outcome, CarefulRecord):
            records.append(outcome)
            next_free = outcome.last + 1
        else:
            malformed.append(MalformedLine(first + 1, lines.raw_text(first), outcome))
    return CarefulResult(records, malformed)


def _read_one(
    lines: Lines,
    first: int,
    quote_counts: npt.NDArray[np.int64],
    odd_lines: npt.NDArray[np.int64],
    width: int,
) -> CarefulRecord | str:
    """The record starting on line `first`, or what makes that line malformed."""
    if not lines.utf8[first]:
        return NOT_UTF8
    last = first
    if quote_counts[first] % 2 == 1:
        following = int(np.searchsorted(odd_lines, first, side="right"))
        if following == len(odd_lines) or not lines.span_is_utf8(first, odd_lines[following]):
            return _quote_problem(lines.raw_text(first))
        last = int(odd_lines[following])
    text = lines.raw_text(first, last)
    fields = split_record(text)
    if fields is None:
        return MISPLACED_QUOTE if last == first else _quote_problem(text)
    if len(fields) != width:
        detail = field_count_detail(len(fields), width)
        return (
            f"{detail}, in a record over lines {first + 1}-{last + 1}" if last > first else detail
        )
    return CarefulRecord(first, last, text, fields)


def _quote_problem(text: str) -> str:
    """What is wrong with a record whose quotes do not work out: its first quote stands inside
    a field, or it opens a quoted field that is never closed."""
    position = text.find('"')
    return MISPLACED_QUOTE if position > 0 and text[position - 1] not in ",\n" else UNCLOSED_QUOTE
