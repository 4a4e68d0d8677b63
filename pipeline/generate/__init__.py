"""Synthetic intake data: a seeded, realistic generator that knows the truth behind every case.

`generate(GenerationConfig(...))` writes one intake file per clinic per day (CSV or JSON Lines,
per the contract) and `ground_truth.csv` next to them. The clinical numbers it draws from are in
`parameters`; the file layout other components rely on is in `layout`.
"""

from pipeline.generate.config import (
    MAX_CLINICS,
    MAX_DAYS,
    MAX_INVALID_RATE,
    MAX_RECORDS,
    GenerationConfig,
    OutputFormat,
)
from pipeline.generate.layout import INTAKE_FILE_PATTERNS, TRUTH_COLUMNS, TRUTH_FILE_NAME
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
