"""Intake files for tests: records written as CSV lines and JSON Lines objects."""

from __future__ import annotations

import json
from typing import Final

from pipeline.contract.fields import FIELD_NAMES
from tests.records import record

HEADER: Final = ",".join(FIELD_NAMES)


def csv_value(value: str | None) -> str:
    """A value as a CSV cell, quoted when it needs to be (RFC 4180)."""
    if value is None:
        return ""
    if any(c in value for c in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def line(**changes: str | None) -> str:
    """The baseline record with some fields changed, as one CSV line."""
    return ",".join(csv_value(v) for v in record(**changes).values())


def csv(*lines: str, header: str = HEADER, newline: str = "\n") -> bytes:
    """A CSV file: the header, then the lines."""
    return newline.join([header, *lines]).encode() + newline.encode()


def obj(**changes: object) -> str:
    """The baseline record with some fields changed, as one JSON object (fields not given are
    left out)."""
    values: dict[str, object] = {k: v for k, v in record().items() if v is not None}
    values.update(changes)
    return json.dumps(values)


def jsonl(*lines: str) -> bytes:
    """A JSON Lines file."""
    return ("\n".join(lines) + "\n").encode()
