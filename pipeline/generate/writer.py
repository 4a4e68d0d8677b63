"""Write intake files and the truth file, so that no reader ever sees half a file.

Each file is written under a hidden `.{name}.part` name and renamed into place once complete;
the truth file is renamed last, when every intake file is in place.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Final, Self

import numpy as np
import polars as pl

from pipeline.generate.config import TRUTH_FILE_NAME, OutputFormat, partial_file_name
from pipeline.generate.lines import LINE_END, csv_header
from pipeline.generate.sampling import IntArray

_FIRST_RECORD_LINE: Final = {OutputFormat.CSV: 2, OutputFormat.JSONL: 1}
"""Physical line of a file's first record (a CSV file starts with its header row)."""


class IntakeWriter:
    """Writes batches of lines into their files and their truth rows into the truth file."""

    def __init__(self, out_dir: Path, output_format: OutputFormat, file_names: Sequence[str]):
        self._out_dir = out_dir
        self._format = output_format
        self._names = file_names
        self._open: dict[int, tuple[BinaryIO, int]] = {}
        out_dir.mkdir(parents=True, exist_ok=True)
        self._truth_part = out_dir / partial_file_name(TRUTH_FILE_NAME)
        self._truth = self._truth_part.open("wb")
        self._truth_has_header = False

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self._abandon()

    def write_lines(
        self, file_index: IntArray, lines: pl.Series, continuing_file: int | None
    ) -> IntArray:
        """Append each line to its file; return the physical line each record starts on.

        `file_index` gives each line's file and must be grouped by file, in file order. Every
        file is complete after this call except `continuing_file`, which the next batch goes on
        writing.
        """
        size = lines.len()
        if size == 0:
            return np.zeros(0, dtype=np.int64)
        physical = lines.str.count_matches(LINE_END, literal=True).to_numpy().astype(np.int64)
        frame = lines.to_frame()
        segment_start = np.concatenate(([0], np.flatnonzero(np.diff(file_index)) + 1, [size]))
        line_numbers = np.empty(size, dtype=np.int64)
        for start, end in itertools.pairwise(segment_start):
            file = int(file_index[start])
            handle, next_line = self._open.pop(file) if file in self._open else self._start(file)
            lines_here = physical[start:end]
            line_numbers[start:end] = next_line + np.cumsum(lines_here) - lines_here
            _write_raw(frame.slice(start, end - start), handle)
            next_line += int(lines_here.sum())
            if file == continuing_file:
                self._open[file] = (handle, next_line)
            else:
                self._finish(file, handle)
        return line_numbers

    def write_truth(self, rows: pl.DataFrame) -> None:
        """Append rows to the truth file (the header comes with the first rows)."""
        rows.write_csv(self._truth, include_header=not self._truth_has_header)
        self._truth_has_header = True

    def close(self) -> None:
        """Put the truth file in place (every intake file must be complete by now)."""
        if self._open:
            raise RuntimeError(f"files left incomplete: {sorted(self._open)}")
        self._truth.close()
        os.replace(self._truth_part, self._out_dir / TRUTH_FILE_NAME)

    def _start(self, file: int) -> tuple[BinaryIO, int]:
        handle = (self._out_dir / partial_file_name(self._names[file])).open("wb")
        if self._format is OutputFormat.CSV:
            handle.write(csv_header().encode())
        return handle, _FIRST_RECORD_LINE[self._format]

    def _finish(self, file: int, handle: BinaryIO) -> None:
        handle.close()
        name = self._names[file]
        os.replace(self._out_dir / partial_file_name(name), self._out_dir / name)

    def _abandon(self) -> None:
        """After a failure: close everything and remove the partial files."""
        for file, (handle, _) in self._open.items():
            handle.close()
            (self._out_dir / partial_file_name(self._names[file])).unlink(missing_ok=True)
        self._open.clear()
        self._truth.close()
        self._truth_part.unlink(missing_ok=True)


def _write_raw(lines: pl.DataFrame, handle: BinaryIO) -> None:
    """Write a one-column frame of finished lines exactly as they are (no quoting, no ends)."""
    lines.write_csv(handle, include_header=False, quote_style="never", line_terminator="")
