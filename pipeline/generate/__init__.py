"""Synthetic intake data: `generate(GenerationConfig(...))` writes one intake file per clinic
per day and `ground_truth.csv`, the truth behind every case (numbers in `parameters`, the file
names other components rely on in `config`)."""

from pipeline.generate.config import (
    INTAKE_FILE_PATTERNS,
    MAX_CLINICS,
    MAX_DAYS,
    MAX_INVALID_RATE,
    MAX_RECORDS,
    TRUTH_COLUMNS,
    TRUTH_FILE_NAME,
    GenerationConfig,
    OutputFormat,
)
from pipeline.generate.run import ForeignIntakeFilesError, GenerationSummary, generate

__all__ = [
    "INTAKE_FILE_PATTERNS",
    "MAX_CLINICS",
    "MAX_DAYS",
    "MAX_INVALID_RATE",
    "MAX_RECORDS",
    "TRUTH_COLUMNS",
    "TRUTH_FILE_NAME",
    "ForeignIntakeFilesError",
    "GenerationConfig",
    "GenerationSummary",
    "OutputFormat",
    "generate",
]
