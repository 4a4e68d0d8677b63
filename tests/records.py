"""Intake records for tests: a neutral baseline case, changed one field at a time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

import polars as pl

from pipeline.contract.fields import FIELD_NAMES
from pipeline.validate.batch import records_frame
from pipeline.validate.content_hash import content_hash

NOW: Final = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
"""The validation time of every test."""

Record = dict[str, str | None]

BASELINE: Final[Record] = {
    "intake_id": "T-1",
    "clinic_id": "C1",
    "intake_at": "2026-11-20T10:00:00Z",
    "patient_ref": "P1",
    "age_years": "40",
    "sex": "female",
    "knee_injury": "contusion",
    "knee_side": "left",
    "injury_date": "2026-11-10",
    "knee_instability": "false",
    "knee_effusion": None,
    "hip_pain_side": "left",
    "hip_pain_onset_date": "2026-11-15",
    "hip_pain_location": "buttock",
    "pain_score": "4",
    "pain_trend": "stable",
    "worse_with_walking": None,
    "antalgic_gait": "false",
    "trendelenburg_sign": None,
    "trochanteric_tenderness": None,
    "hip_rom": None,
    "hip_provocation": None,
    "knee_provocation_reproduces_hip_pain": None,
    "femoral_rotation": None,
    "knee_alignment": None,
    "weight_bearing": "full",
    "temperature_c": None,
    "fever_reported": None,
    "rest_tried": "false",
    "notes": None,
}
"""A valid case with no red flag, no persistent pain and no mechanism finding: routine and
undetermined. Every optional field is left out."""


def record(**changes: str | None) -> Record:
    """The baseline with some fields changed (None: not given)."""
    unknown = set(changes) - set(FIELD_NAMES)
    assert not unknown, f"not contract fields: {unknown}"
    return {**BASELINE, **changes}


def raw_frame(*records: Record) -> pl.DataFrame:
    """Records as a reader gives them, on lines 2, 3, ..."""
    return records_frame(
        list(range(2, len(records) + 2)),
        [",".join(v or "" for v in r.values()) for r in records],
        {name: [r[name] for r in records] for name in FIELD_NAMES},
    )


def hashes(valid: pl.DataFrame) -> pl.Series:
    """The content hash the loader gives each valid record (`pipeline.validate.content_hash`)."""
    return valid.select(content_hash().alias("content_hash"))["content_hash"]
