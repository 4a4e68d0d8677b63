"""Read one intake file, CSV or JSON Lines, into a RawBatch (records as text, unreadable lines,
unknown and missing columns). See `csv_reader` and `jsonl_reader` for each format's rules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

from pipeline.validate.batch import RawBatch
from pipeline.validate.csv_reader import read_csv_bytes
from pipeline.validate.jsonl_reader import read_jsonl_bytes

READERS: Final[dict[str, Callable[[bytes], RawBatch]]] = {
    ".csv": read_csv_bytes,
    ".jsonl": read_jsonl_bytes,
}
"""The reader for each file extension the contract accepts."""


class UnsupportedFileError(ValueError):
    """The file is neither `.csv` nor `.jsonl`."""


def read_intake_file(path: Path) -> RawBatch:
    """Read an intake file by its extension (`.csv` or `.jsonl`, any case).

    A damaged line never stops the rest of the file: it ends up in `RawBatch.malformed`.
    Raises OSError when the file cannot be read and UnsupportedFileError for other extensions.
    """
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        msg = f"{path}: not an intake file (expected {' or '.join(READERS)})"
        raise UnsupportedFileError(msg)
    return reader(path.read_bytes())


__all__ = ["RawBatch", "UnsupportedFileError", "read_intake_file"]
