"""The careful path for CSV lines the fast reader cannot take: quoting checked by RFC 4180.

Only damaged lines and records whose quoted fields span several lines come here, so a clean
file never pays for it. The rules, chosen so that damage stays contained:

- a field is either unquoted (no `"` in it) or quoted from its first to its last character,
  with `""` for a quote inside; a quote anywhere else makes the record malformed;
- a record whose quoted field runs over line breaks ends at the next line with an odd number of
  quotes; if it is not well formed, only its first line is reported malformed and reading
  starts again on the next line, so a stray quote never swallows the lines after it;
- a record must have exactly as many fields as the header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from pipeline.validate.lines import Lines
from pipeline.validate.reasons import MalformedLine

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
