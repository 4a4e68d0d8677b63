"""An independent reading of intake files and of the contract's rules, for the generator's tests.

Written from `pipeline.contract` and the spec alone (plain `csv` and `json`, no generator code),
so the tests check the generator against the contract rather than against itself.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pipeline.contract import FIELD_NAMES, FIELDS, RECORD_FIELD, Rule
from pipeline.contract.fields import (
    BOOLEAN_FALSE,
    BOOLEAN_TRUE,
    FUTURE_TOLERANCE_DAYS,
    ID_ALPHABET_PATTERN,
    Field,
    FieldType,
)

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CSV_INTEGER = re.compile(r"^-?\d+$")
CSV_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
ID_ALPHABET = re.compile(ID_ALPHABET_PATTERN)
MALFORMED = f"{RECORD_FIELD}:{Rule.MALFORMED.value}"


@dataclass(frozen=True)
class RawRecord:
    """One record as read: the physical line it starts on, its values (None if unreadable)."""

    file: str
    line_number: int
    values: dict[str, Any] | None
    """Field name -> value as read (CSV: str or None for empty; JSON: any JSON value or None
    when absent). None when the line could not be read as a record."""
    text: str
    """The record's raw text (its physical lines, without the final line feed)."""


def read_records(path: Path) -> Iterator[RawRecord]:
    """Every record of a CSV or JSON Lines intake file."""
    if path.suffix == ".csv":
        yield from _read_csv(path)
    else:
        yield from _read_jsonl(path)


def _read_csv(path: Path) -> Iterator[RawRecord]:
    physical = path.read_text(encoding="utf-8").split("\n")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle, strict=True)
        assert next(reader) == list(FIELD_NAMES), f"{path.name}: header is not the contract's"
        start = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:  # e.g. a quote left open until the end of the file
                yield RawRecord(path.name, start, None, "\n".join(physical[start - 1 :]))
                return
            end = reader.line_num
            text = "\n".join(physical[start - 1 : end])
            values = (
                {
                    name: (cell if cell != "" else None)
                    for name, cell in zip(FIELD_NAMES, row, strict=True)
                }
                if len(row) == len(FIELD_NAMES)
                else None
            )
            yield RawRecord(path.name, start, values, text)
            start = end + 1


def _read_jsonl(path: Path) -> Iterator[RawRecord]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            text = line.removesuffix("\n")
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError:
                yield RawRecord(path.name, number, None, text)
                continue
            values = (
                {name: parsed.get(name) for name in FIELD_NAMES}
                if isinstance(parsed, dict)
                else None
            )
            yield RawRecord(path.name, number, values, text)


def broken_rules(record: RawRecord, now: datetime) -> set[str]:
    """Every `field:rule` of the contract the record breaks (`_record:malformed` if unreadable)."""
    if record.values is None:
        return {MALFORMED}
    csv_text = record.file.endswith(".csv")
    broken: set[str] = set()
    parsed: dict[str, Any] = {}
    for field in FIELDS:
        value = record.values[field.name]
        if value is None or value == "":
            if field.required:
                broken.add(f"{field.name}:{Rule.REQUIRED.value}")
            continue
        rule, typed = _check_field(field, value, csv_text)
        if rule is not None:
            broken.add(f"{field.name}:{rule.value}")
        else:
            parsed[field.name] = typed
    intake_at = parsed.get("intake_at")
    if intake_at is not None:
        if intake_at > now + timedelta(days=FUTURE_TOLERANCE_DAYS):
            broken.add(f"intake_at:{Rule.NOT_IN_FUTURE.value}")
        intake_day = written_date(record.values["intake_at"])
        for name in ("injury_date", "hip_pain_onset_date"):
            if name in parsed and parsed[name] > intake_day:
                broken.add(f"{name}:{Rule.NOT_AFTER_INTAKE.value}")
    return broken


def written_date(intake_at: str) -> date:
    """The date of intake: the calendar date as written in `intake_at` (the contract)."""
    return date.fromisoformat(intake_at[:10])


def _check_field(field: Field, value: Any, csv_text: bool) -> tuple[Rule | None, Any]:
    """The rule a present value breaks (None if it keeps them all) and its typed value."""
    return _CHECKS[field.type](field, value, csv_text)


def _identifier(field: Field, value: Any, csv_text: bool) -> tuple[Rule | None, Any]:
    if not isinstance(value, str):
        return Rule.TYPE, None
    if not ID_ALPHABET.match(value):
        return Rule.ALPHABET, None
    fits = (field.min_length or 0) <= len(value) <= (field.max_length or len(value))
    return (None, value) if fits else (Rule.LENGTH, None)


def _text(field: Field, value: Any, csv_text: bool) -> tuple[Rule | None, Any]:
    if not isinstance(value, str):
        return Rule.TYPE, None
    too_long = field.max_length is not None and len(value) > field.max_length
    return (Rule.LENGTH, None) if too_long else (None, value)


def _enum(field: Field, value: Any, csv_text: bool) -> tuple[Rule | None, Any]:
    return (None, value) if value in field.allowed else (Rule.ALLOWED_VALUES, None)


def _numeric(field: Field, value: Any, csv_text: bool) -> tuple[Rule | None, Any]:
    number = _number(value, field.type, csv_text)
    if number is None:
        return Rule.TYPE, None
    low = field.minimum if field.minimum is not None else number
    high = field.maximum if field.maximum is not None else number
    return (None, number) if low <= number <= high else (Rule.RANGE, None)


def _date(field: Field, value: Any, csv_text: bool) -> tuple[Rule | None, Any]:
    if not isinstance(value, str) or not ISO_DATE.match(value):
        return Rule.TYPE, None
    try:
        return None, date.fromisoformat(value)
    except ValueError:
        return Rule.TYPE, None


def _datetime(field: Field, value: Any, csv_text: bool) -> tuple[Rule | None, Any]:
    if not isinstance(value, str) or not ISO_DATE.match(value[:10]):
        return Rule.TYPE, None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return Rule.TYPE, None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # the contract: no offset means UTC
    return None, moment.astimezone(UTC)


def _boolean(field: Field, value: Any, csv_text: bool) -> tuple[Rule | None, Any]:
    if not csv_text:
        return (None, value) if isinstance(value, bool) else (Rule.TYPE, None)
    if value.lower() in BOOLEAN_TRUE:
        return None, True
    if value.lower() in BOOLEAN_FALSE:
        return None, False
    return Rule.TYPE, None


def _number(value: Any, field_type: FieldType, csv_text: bool) -> float | None:
    if csv_text:
        pattern = CSV_INTEGER if field_type is FieldType.INTEGER else CSV_DECIMAL
        return float(value) if pattern.match(value) else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if field_type is FieldType.INTEGER and not isinstance(value, int):
        return None
    return float(value)


def typed_values(record: RawRecord) -> dict[str, Any]:
    """The typed values of a valid record (None for empty optional fields)."""
    assert record.values is not None
    csv_text = record.file.endswith(".csv")
    typed: dict[str, Any] = {}
    for field in FIELDS:
        value = record.values[field.name]
        if value is None or value == "":
            typed[field.name] = None
            continue
        rule, typed[field.name] = _check_field(field, value, csv_text)
        assert rule is None, (record.file, record.line_number, field.name, value)
    return typed


def triage_of(record: RawRecord) -> tuple[str, list[str]]:
    """Triage and reasons by the contract's exact rules, worked out here independently.
    Every reason that holds is listed, an urgent case's persistent pain included."""
    v = typed_values(record)
    urgent = []
    if v["pain_trend"] == "rapidly_worsening":
        urgent.append("rapid_worsening")
    if v["weight_bearing"] == "none":
        urgent.append("no_weight_bearing")
    temperature = v["temperature_c"]
    if (temperature is not None and temperature >= 38.0) or v["fever_reported"] is True:
        urgent.append("fever")
    assert record.values is not None
    hip_pain_days = (written_date(record.values["intake_at"]) - v["hip_pain_onset_date"]).days
    persistent = ["persistent_despite_rest"] if hip_pain_days >= 21 and v["rest_tried"] else []
    if urgent:
        return "urgent", urgent + persistent
    if persistent:
        return "evaluate", persistent
    return "routine", []


def lenient_red_flags(record: RawRecord) -> list[str]:
    """The red flags an invalid record's text still shows, read leniently (the contract's "A
    red flag survives quarantine"), worked out here independently; none for a line that is
    not a record at all."""
    if record.values is None:
        return []

    def word(name: str) -> str:
        text = record.values[name] if record.values is not None else None
        return "" if text is None else "_".join(str(text).strip().lower().replace("-", " ").split())

    flags = []
    if word("pain_trend") == "rapidly_worsening":
        flags.append("rapid_worsening")
    if word("weight_bearing") == "none":
        flags.append("no_weight_bearing")
    try:
        degrees = float(word("temperature_c").replace(",", "."))
    except ValueError:
        degrees = None
    fever = degrees is not None and 30.0 <= degrees <= 45.0 and degrees >= 38.0
    if fever or word("fever_reported") in ("true", "1", "yes"):
        flags.append("fever")
    return flags


def read_truth(out_dir: Path) -> list[dict[str, str]]:
    """The rows of `ground_truth.csv`."""
    with (out_dir / "ground_truth.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


_CHECKS: dict[FieldType, Callable[[Field, Any, bool], tuple[Rule | None, Any]]] = {
    FieldType.ID: _identifier,
    FieldType.TEXT: _text,
    FieldType.ENUM: _enum,
    FieldType.BOOLEAN: _boolean,
    FieldType.INTEGER: _numeric,
    FieldType.DECIMAL: _numeric,
    FieldType.DATE: _date,
    FieldType.DATETIME: _datetime,
}
