"""Read intake files and validate their records against the contract.

- `read_intake_file(path) -> RawBatch`: records as text, unreadable lines, unknown columns;
- `validate(records, now) -> Validated`: valid records with the contract's types and a
  quarantine with every reason;
- `validate_file(path, now) -> (Validated, RawBatch)`: both, with unreadable lines in the
  quarantine.
"""

from pipeline.validate.batch import RAW_RECORD_SCHEMA, RawBatch
from pipeline.validate.file import UnsupportedFileError, read_intake_file, validate_file
from pipeline.validate.reasons import MALFORMED_SCHEMA, REASON_DTYPE, REASONS_DTYPE
from pipeline.validate.rules import QUARANTINE_SCHEMA, VALID_SCHEMA, Validated, validate

__all__ = [
    "MALFORMED_SCHEMA",
    "QUARANTINE_SCHEMA",
    "RAW_RECORD_SCHEMA",
    "REASONS_DTYPE",
    "REASON_DTYPE",
    "VALID_SCHEMA",
    "RawBatch",
    "UnsupportedFileError",
    "Validated",
    "read_intake_file",
    "validate",
    "validate_file",
]
