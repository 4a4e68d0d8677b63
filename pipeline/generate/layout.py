"""Where the generator's files go and what they are called (other components rely on this).

One file per clinic per sending day, directly in the output directory, named
`intake_{clinic_id}_{YYYY-MM-DD}.csv` (or `.jsonl`), plus one `ground_truth.csv` next to them.
Ingestion reads only files matching `INTAKE_FILE_PATTERNS`, so the truth is never ingested.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from pipeline.generate.config import OutputFormat

TRUTH_FILE_NAME: Final = "ground_truth.csv"
"""The ground truth of every record written, one row per record."""

TRUTH_COLUMNS: Final = (
    "file",
    "line_number",
    "intake_id",
    "record_kind",
    "valid",
    "mechanism",
    "triage",
    "triage_reasons",
    "invalid_rules",
)
"""Columns of the truth file, in order (see `pipeline.generate.truth` for their meaning)."""

INTAKE_FILE_PATTERNS: Final = ("intake_*.csv", "intake_*.jsonl")
"""Glob patterns of intake files; anything else in the landing directory is not intake data."""

PARTIAL_FILE_SUFFIX: Final = ".part"
"""A file is written under a hidden `.{name}.part` name and renamed when complete, so a reader
watching the directory never sees half a file."""


def intake_file_name(clinic_id: str, sending_day: date, output_format: OutputFormat) -> str:
    """The name of one clinic's file for one day."""
    return f"intake_{clinic_id}_{sending_day.isoformat()}.{output_format.value}"


def partial_file_name(name: str) -> str:
    """The hidden name a file has while it is being written."""
    return f".{name}{PARTIAL_FILE_SUFFIX}"
