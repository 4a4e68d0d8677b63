"""Read a JSON Lines intake file (one JSON object a line, UTF-8) into a RawBatch.

The fast path gives all lines that look like objects to polars at once: first the union of the
keys in the whole file is inferred (so an unknown key is reported even if only the last line
has it), then every contract field is read as text. A field whose text starts like a list or
an object is read again on the careful path to tell `"[x]"` (a string) from `["x"]` (a list).
If polars rejects the lines (invalid JSON somewhere, or a value nested so deeply that
describing its type exhausts Python's recursion limit), it is tried again block by block, and
the lines of a rejected block take the careful path one by one.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

from pipeline.contract.fields import FIELD_NAMES
from pipeline.validate.batch import RawBatch, records_frame
from pipeline.validate.jsonl_careful import JsonRecord, read_json_object
from pipeline.validate.lines import Lines, split_lines
from pipeline.validate.reasons import REASONS_DTYPE, MalformedLine, malformed_frame

BLOCK_LINES: Final = 8192
"""When polars rejects a file, it is retried in blocks of this many lines."""

_REJECTED: Final = (pl.exceptions.PolarsError, RecursionError)
"""What the fast path raises for lines it cannot take."""
_KNOWN_AS_TEXT: Final = pl.Schema({name: pl.String() for name in FIELD_NAMES})
_NOT_UTF8: Final = "the line is not valid UTF-8"


@dataclass(slots=True)
class _Accumulator:
    """Records read so far, as line-indexed pieces, plus the file's unknown keys."""

    frames: list[pl.DataFrame] = field(default_factory=list)
    malformed: list[MalformedLine] = field(default_factory=list)
    unknown: dict[str, None] = field(default_factory=dict)  # ordered set


def read_jsonl_bytes(data: bytes) -> RawBatch:
    """Read a JSON Lines file's bytes. The first line is line 1; blank lines are skipped."""
    lines = split_lines(data)
    frame = pl.DataFrame(lines.text).with_columns(
        stripped=pl.col("text").str.strip_chars(" \t\r\n")
    )
    stripped = frame["stripped"]
    blank = (stripped.str.len_bytes() == 0).to_numpy()
    object_like = (
        lines.utf8 & (stripped.str.starts_with("{") & stripped.str.ends_with("}")).to_numpy()
    )
    acc = _Accumulator()
    for index in np.flatnonzero(~blank & ~object_like).tolist():
        outcome = _NOT_UTF8 if not lines.utf8[index] else read_json_object(lines.text[index])
        detail = outcome if isinstance(outcome, str) else "a JSON value that is not an object"
        acc.malformed.append(MalformedLine(index + 1, lines.raw_text(index), detail))
    _read_objects(lines, np.flatnonzero(object_like), acc)
    if not acc.frames:
        records = records_frame([], [], {})
    elif len(acc.frames) == 1:
        records = acc.frames[0]
    else:
        records = pl.concat(acc.frames).sort("line_number")
    malformed = malformed_frame(sorted(acc.malformed, key=lambda m: m.line_number))
    return RawBatch(records, malformed, tuple(acc.unknown))


def _read_objects(lines: Lines, indices: npt.NDArray[np.int64], acc: _Accumulator) -> None:
    if len(indices) == 0:
        return
    try:
        _read_fast(lines, indices, acc)
    except _REJECTED:
        for low in range(0, len(indices), BLOCK_LINES):
            block = indices[low : low + BLOCK_LINES]
            try:
                _read_fast(lines, block, acc)
            except _REJECTED:
                _read_careful(lines, block, acc)


def _read_fast(lines: Lines, indices: npt.NDArray[np.int64], acc: _Accumulator) -> None:
    """Read the object lines at `indices` with polars; raises one of `_REJECTED` if it
    cannot."""
    keep = np.zeros(len(lines), dtype=np.bool_)
    keep[indices] = True
    buffer = lines.join(keep)
    keys = pl.scan_ndjson(io.BytesIO(buffer), infer_schema_length=None).collect_schema().names()
    values = pl.read_ndjson(io.BytesIO(buffer), schema=_KNOWN_AS_TEXT)
    if values.height != len(indices):  # pragma: no cover - would be a reader bug
        msg = f"JSON Lines fast path read {values.height} rows from {len(indices)} lines"
        raise RuntimeError(msg)
    suspect = values.select(
        pl.any_horizontal(
            pl.col(name).str.starts_with("[") | pl.col(name).str.starts_with("{")
            for name in FIELD_NAMES
        ).fill_null(False)
    ).to_series()
    plain = ~suspect
    acc.frames.append(
        records_frame(
            indices[plain.to_numpy()] + 1,
            lines.text.gather(indices[plain.to_numpy()]),
            {name: values[name].filter(plain) for name in FIELD_NAMES},
        )
    )
    for key in keys:
        if key not in _KNOWN_AS_TEXT:
            acc.unknown[key] = None
    if suspect.any():
        _read_careful(lines, indices[suspect.to_numpy()], acc)


def _read_careful(lines: Lines, indices: npt.NDArray[np.int64], acc: _Accumulator) -> None:
    """Read the object lines at `indices` one by one with Python's json."""
    read: list[tuple[int, JsonRecord]] = []
    for index in indices.tolist():
        outcome = read_json_object(lines.text[index])
        if isinstance(outcome, str):
            acc.malformed.append(MalformedLine(index + 1, lines.raw_text(index), outcome))
            continue
        read.append((index, outcome))
        for key in outcome.unknown_keys:
            acc.unknown[key] = None
    acc.frames.append(
        records_frame(
            [index + 1 for index, _ in read],
            [lines.text[index] for index, _ in read],
            {name: [record.values[name] for _, record in read] for name in FIELD_NAMES},
            pl.Series([record.reasons or None for _, record in read], dtype=REASONS_DTYPE),
        )
    )
