"""A file's physical lines (offsets, text, UTF-8 or not), split on the raw bytes with numpy so a
million lines take a fraction of a second; one damaged line never stops the rest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa

UTF8_BOM: Final = b"\xef\xbb\xbf"
"""A byte order mark some tools put at the start of a UTF-8 file; it is not part of the data."""

_NEWLINE: Final = ord("\n")
_REPLACEMENT: Final = ord("?")
_FIRST_NON_ASCII: Final = 0x80
_SCAN_CHUNK_BYTES: Final = 1 << 20
"""Newlines are searched for in slices of this size: fast because each slice stays in cache."""
_TEXT_CHUNKS: Final = 16
"""The line column is split into this many chunks, which polars processes in parallel."""
_UTF8_BLOCK_LINES: Final = 4096
"""In a file that is not all UTF-8, lines are checked in blocks of this many, then one by one
inside a block that fails."""

Offsets = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Lines:
    """The physical lines of one file, numbered from 1.

    `text` holds each line without its terminator (`\\n`, and a `\\r` before it); a line that is
    not valid UTF-8 has `utf8` false and a placeholder text that must not be used as data.
    """

    data: bytes
    """The file's bytes after any byte order mark."""
    starts: Offsets
    """Byte offset in `data` where each line starts."""
    ends: Offsets
    """Byte offset in `data` where each line's content ends (before `\\r\\n` or `\\n`)."""
    text: pl.Series
    utf8: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.starts)

    def raw_text(self, first: int, last: int | None = None) -> str:
        """Lines `first`..`last` (0-based, inclusive) exactly as received, joined by their own
        line breaks; bytes that are not UTF-8 appear as `\\xNN` escapes."""
        end = self.ends[first if last is None else last]
        return self.data[self.starts[first] : end].decode("utf-8", errors="backslashreplace")

    def join(self, keep: npt.NDArray[np.bool_]) -> bytes:
        """The lines where `keep` is true, each ending with a line break, as one buffer. Copied
        run by run of consecutive kept lines; when every line is kept, the data itself."""
        if keep.all():
            return self.data
        edges = np.flatnonzero(np.diff(np.concatenate(([False], keep, [False])).astype(np.int8)))
        pieces: list[bytes] = []
        for first, stop in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
            end = int(self.starts[stop]) if stop < len(self) else len(self.data)
            piece = self.data[int(self.starts[first]) : end]
            pieces.append(piece if piece.endswith(b"\n") else piece + b"\n")
        return b"".join(pieces)

    def span_is_utf8(self, first: int, last: int) -> bool:
        """Whether every line from `first` to `last` (inclusive) is valid UTF-8."""
        return bool(self.utf8[first : last + 1].all())


def split_lines(data: bytes) -> Lines:
    """Split a file's bytes into physical lines (a final line break adds no empty line)."""
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    buffer = np.frombuffer(data, dtype=np.uint8)
    newlines = _newline_positions(buffer)
    starts = np.concatenate(([0], newlines + 1)).astype(np.int64)
    if len(starts) and starts[-1] == len(data):
        starts = starts[:-1]  # the file ends with a line break: no empty last line
    next_starts = np.append(starts[1:], len(data)).astype(np.int64)[: len(starts)]
    ends = _content_ends(buffer, starts, next_starts)
    utf8 = _utf8_flags(data, starts, next_starts)
    text_buffer = data
    if not utf8.all():
        sanitized = buffer.copy()
        for line in np.flatnonzero(~utf8).tolist():
            segment = sanitized[starts[line] : next_starts[line]]
            segment[segment >= _FIRST_NON_ASCII] = _REPLACEMENT
        text_buffer = sanitized.tobytes()
    text = _string_column(text_buffer, starts, next_starts)
    return Lines(data=data, starts=starts, ends=ends, text=text, utf8=utf8)


def _newline_positions(buffer: npt.NDArray[np.uint8]) -> Offsets:
    parts = [
        np.flatnonzero(buffer[low : low + _SCAN_CHUNK_BYTES] == _NEWLINE) + low
        for low in range(0, len(buffer), _SCAN_CHUNK_BYTES)
    ]
    return np.concatenate(parts).astype(np.int64) if parts else np.empty(0, dtype=np.int64)


def _content_ends(buffer: npt.NDArray[np.uint8], starts: Offsets, next_starts: Offsets) -> Offsets:
    """Where each line's content ends: before its `\\n` and a `\\r` right before that."""
    ends = next_starts.copy()
    if len(ends) == 0:
        return ends
    has_newline = (ends > starts) & (buffer[np.maximum(ends - 1, 0)] == _NEWLINE)
    ends[has_newline] -= 1
    has_cr = (ends > starts) & (buffer[np.maximum(ends - 1, 0)] == ord("\r"))
    ends[has_cr] -= 1
    return ends


def _utf8_flags(data: bytes, starts: Offsets, next_starts: Offsets) -> npt.NDArray[np.bool_]:
    """Which lines are valid UTF-8. A valid file is checked in one pass; in a damaged file only
    the blocks of lines around the damage are checked line by line."""
    flags = np.ones(len(starts), dtype=np.bool_)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return flags
    for first in range(0, len(starts), _UTF8_BLOCK_LINES):
        last = min(first + _UTF8_BLOCK_LINES, len(starts)) - 1
        try:
            data[starts[first] : next_starts[last]].decode("utf-8")
        except UnicodeDecodeError:
            for line in range(first, last + 1):
                try:
                    data[starts[line] : next_starts[line]].decode("utf-8")
                except UnicodeDecodeError:
                    flags[line] = False
    return flags


def _string_column(text_buffer: bytes, starts: Offsets, next_starts: Offsets) -> pl.Series:
    """Each line as a String, built from the buffer and the line offsets without a Python loop.

    The column is made of `_TEXT_CHUNKS` chunks so that polars runs string work on them in
    parallel (polars splits work by chunk when it evaluates a frame).
    """
    buffer = pa.py_buffer(text_buffer)
    bounds = np.linspace(0, len(starts), _TEXT_CHUNKS + 1).astype(np.int64)
    chunks: list[pa.Array] = []
    for low, high in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        if high == low and chunks:
            continue
        offsets = np.append(starts[low:high], next_starts[high - 1] if high > low else 0)
        chunks.append(
            pa.Array.from_buffers(
                pa.large_utf8(), high - low, [None, pa.py_buffer(offsets.astype(np.int64)), buffer]
            )
        )
    series = pl.from_arrow(pa.chunked_array(chunks, type=pa.large_utf8()))
    assert isinstance(series, pl.Series)  # a chunked array becomes a Series, chunks kept
    series = series.alias("text")
    stripped = pl.DataFrame(series).select(pl.col("text").str.strip_suffix("\n")).to_series()
    if b"\r" not in text_buffer:
        return stripped
    return pl.DataFrame(stripped).select(pl.col("text").str.strip_suffix("\r")).to_series()
