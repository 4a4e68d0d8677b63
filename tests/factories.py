"""Builders of typed test data: valid intake records as the validator hands them on."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Engine

from pipeline.classify import RULES_VERSION
from pipeline.contract.schema import RECORD_SCHEMA
from pipeline.load import day as day_load
from pipeline.load import files
from pipeline.load.decide import FileOutcome
from pipeline.load.landing import LandedFile
from pipeline.validate import MALFORMED_SCHEMA, RAW_RECORD_SCHEMA, RawBatch, Validated
from pipeline.validate.rules import QUARANTINE_SCHEMA

BASE_RECORD: dict[str, Any] = {
    "intake_id": "INT-0001",
    "clinic_id": "clinic_north",
    "intake_at": dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC),
    "patient_ref": "P_000123",
    "age_years": 54,
    "sex": "female",
    "knee_injury": "meniscal_tear",
    "knee_side": "left",
    "injury_date": dt.date(2026, 10, 1),
    "knee_instability": False,
    "knee_effusion": True,
    "hip_pain_side": "left",
    "hip_pain_onset_date": dt.date(2026, 10, 20),
    "hip_pain_location": "deep_diffuse",
    "pain_score": 5,
    "pain_trend": "stable",
    "worse_with_walking": None,
    "antalgic_gait": False,
    "trendelenburg_sign": None,
    "trochanteric_tenderness": False,
    "hip_rom": "full_painless",
    "hip_provocation": "negative",
    "knee_provocation_reproduces_hip_pain": True,
    "femoral_rotation": None,
    "knee_alignment": None,
    "weight_bearing": "full",
    "temperature_c": None,
    "fever_reported": None,
    "rest_tried": True,
    "notes": None,
}


def record(**overrides: Any) -> dict[str, Any]:
    """One valid intake record (typed values), with `overrides`."""
    unknown = set(overrides) - set(BASE_RECORD)
    assert not unknown, f"not contract fields: {unknown}"
    return BASE_RECORD | overrides


def valid_frame(records: list[dict[str, Any]]) -> pl.DataFrame:
    """A frame as the validator's `valid` output: line number, raw text, typed contract
    fields, intake date and a content hash."""
    frame = pl.DataFrame(records, schema=RECORD_SCHEMA)
    content = [repr(sorted(r.items())) for r in records]
    return frame.with_columns(
        pl.Series("line_number", range(2, len(records) + 2), dtype=pl.Int64),
        pl.Series("raw_record", content, dtype=pl.String),
        pl.col("intake_at").dt.date().alias("intake_date"),
        pl.Series(
            "content_hash", [hashlib.sha256(c.encode()).hexdigest() for c in content], pl.String
        ),
    )


def load_files(
    engine: Engine, sent: dict[str, list[dict[str, Any]]], now: dt.datetime
) -> list[FileOutcome]:
    """Register and load one day's files (name: records), as the pipeline does."""
    no_quarantine = pl.DataFrame(schema=QUARANTINE_SCHEMA)
    read = RawBatch(pl.DataFrame(schema=RAW_RECORD_SCHEMA), pl.DataFrame(schema=MALFORMED_SCHEMA))
    with engine.begin() as conn:
        validated = []
        for name, records in sent.items():
            landed = LandedFile(Path(name), "clinic_north", dt.date(2026, 11, 20), name * 2, 100)
            (registered,) = files.register(conn, [landed], now).new
            result = Validated(valid_frame(records), no_quarantine)
            validated.append(day_load.ValidatedFile(registered.id, result, read))
        return day_load.load_day(conn, validated, now, rules_version=RULES_VERSION).outcomes
