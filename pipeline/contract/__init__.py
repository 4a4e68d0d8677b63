"""The intake record contract: fields, rules and outputs (shared/spec/intake-record.md)."""

from pipeline.contract.fields import (
    FIELD_NAMES,
    FIELDS,
    FIELDS_BY_NAME,
    OPTIONAL_FIELDS,
    REQUIRED_FIELDS,
    Field,
    FieldType,
)
from pipeline.contract.outputs import Mechanism, Triage, TriageReason
from pipeline.contract.rules import RECORD_FIELD, Reason, Rule

__all__ = [
    "FIELDS",
    "FIELDS_BY_NAME",
    "FIELD_NAMES",
    "OPTIONAL_FIELDS",
    "RECORD_FIELD",
    "REQUIRED_FIELDS",
    "Field",
    "FieldType",
    "Mechanism",
    "Reason",
    "Rule",
    "Triage",
    "TriageReason",
]
