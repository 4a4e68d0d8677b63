"""What a run of the generator is asked to produce (checked before anything is written), and
where its files go and what they are called (ingestion relies on the names)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Final

MAX_RECORDS: Final = 100_000_000
MAX_DAYS: Final = 3_660
MAX_CLINICS: Final = 99
"""Clinics beyond the named ones are `clinic_09` ... `clinic_99`."""
MAX_INVALID_RATE: Final = 0.5


class OutputFormat(StrEnum):
    """The file formats the contract accepts."""

    CSV = "csv"
    JSONL = "jsonl"


@dataclass(frozen=True, slots=True)
class GenerationConfig:
    """One run: how many records over which days and clinics, in which format, and where.

    The same configuration always produces byte-identical files.
    """

    records: int
    """Records written in total (originals, re-sends, corrections and bad records)."""
    days: int
    """Number of consecutive days of intake, ending on `end_date`."""
    end_date: date
    clinics: int
    seed: int
    output_format: OutputFormat
    invalid_rate: float
    """Share of records that break the contract; also scales re-sends and corrections."""
    out_dir: Path
    replace_existing: bool = False
    """Remove intake files already in `out_dir` first (otherwise the run refuses to mix)."""

    def __post_init__(self) -> None:
        problems = [
            f"records must be 1 to {MAX_RECORDS:,}" if not 1 <= self.records <= MAX_RECORDS else "",
            f"days must be 1 to {MAX_DAYS}" if not 1 <= self.days <= MAX_DAYS else "",
            f"clinics must be 1 to {MAX_CLINICS}" if not 1 <= self.clinics <= MAX_CLINICS else "",
            "seed must be 0 or more" if self.seed < 0 else "",
            f"invalid rate must be 0 to {MAX_INVALID_RATE}"
            if not 0.0 <= self.invalid_rate <= MAX_INVALID_RATE
            else "",
        ]
        message = "; ".join(problem for problem in problems if problem)
        if message:
            raise ValueError(message)

    @property
    def start_date(self) -> date:
        """The first day of intake."""
        return self.end_date - timedelta(days=self.days - 1)


# Where the files go: one per clinic per sending day, plus `ground_truth.csv` next to them;
# ingestion reads only files matching `INTAKE_FILE_PATTERNS`, so the truth is never ingested.
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
