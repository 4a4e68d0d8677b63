"""Hypothesis strategies: valid intake records as text, and arbitrary text records."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from hypothesis import strategies as st

from pipeline.contract.fields import FIELD_NAMES, FIELDS, Field, FieldType
from tests.records import Record

INTAKE_DAYS: Final = (date(2026, 1, 1), date(2026, 11, 24))
_ID_CHARS: Final = "ABCdef0129_-"
_TRUE: Final = ("true", "TRUE", "1", "yes")
_FALSE: Final = ("false", "False", "0", "no")


def _value(field: Field) -> st.SearchStrategy[str | None]:
    match field.type:
        case FieldType.ID:
            value: st.SearchStrategy[str | None] = st.text(_ID_CHARS, min_size=1, max_size=8)
        case FieldType.ENUM:
            value = st.sampled_from(field.allowed)
        case FieldType.BOOLEAN:
            value = st.sampled_from(_TRUE + _FALSE)
        case FieldType.INTEGER:
            value = st.integers(int(field.minimum or 0), int(field.maximum or 0)).map(str)
        case FieldType.DECIMAL:
            value = st.integers(300, 450).map(lambda tenths: f"{tenths / 10:.1f}")
        case FieldType.TEXT:
            # Any text a UTF-8 file can hold (no lone surrogates) but NUL, which the
            # contract's free text cannot carry (rule `type`).
            value = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20)
        case _:
            value = st.just("")  # dates and date-times are drawn together in `valid_records`
    return value if field.required else st.none() | value


@st.composite
def valid_record(draw: st.DrawFn) -> Record:
    """Any record that satisfies the contract (dates consistent, intake in the past)."""
    values: Record = {f.name: draw(_value(f)) for f in FIELDS}
    intake = draw(st.dates(*INTAKE_DAYS))
    values["intake_at"] = f"{intake.isoformat()}T{draw(st.integers(0, 23)):02d}:30:00Z"
    values["injury_date"] = (intake - timedelta(days=draw(st.integers(0, 90)))).isoformat()
    values["hip_pain_onset_date"] = (intake - timedelta(days=draw(st.integers(0, 90)))).isoformat()
    return values


def valid_records(max_size: int = 12) -> st.SearchStrategy[list[Record]]:
    """Valid records with distinct intake ids."""
    return st.lists(valid_record(), min_size=1, max_size=max_size).map(
        lambda rs: [{**r, "intake_id": f"{r['intake_id']}-{i}"} for i, r in enumerate(rs)]
    )


def text_records(max_size: int = 8) -> st.SearchStrategy[list[Record]]:
    """Records whose every field is any text or not given."""
    record = st.fixed_dictionaries({name: st.none() | st.text(max_size=12) for name in FIELD_NAMES})
    return st.lists(record, min_size=0, max_size=max_size)
