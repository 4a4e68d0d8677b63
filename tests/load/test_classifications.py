"""Classifying in the database reads back only the fields the rule set uses (the result is
the same as classifying the full records), chunk after chunk until no case is left."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from sqlalchemy import Engine, delete, func, select

from db.models import CaseClassification, table_of
from pipeline.classify import RULES_VERSION, classify
from pipeline.load import classifications
from pipeline.load.classifications import CASE_SCHEMA, CLASSIFICATIONS
from pipeline.validate import validate_file
from tests.factories import load_files, record

SAMPLE = Path(__file__).parents[2] / "sample_data"
NOW = dt.datetime(2026, 11, 21, 6, 0, tzinfo=dt.UTC)


def test_the_fields_read_back_classify_every_sample_case_as_the_full_record_does() -> None:
    valid = pl.concat(
        [validate_file(path, NOW)[0].valid for path in sorted(SAMPLE.glob("intake_*.csv"))]
    )
    assert valid.height > 1000
    read_back = valid.select(name for name in CASE_SCHEMA.names() if name != "version")
    assert_frame_equal(classify(read_back), classify(valid))


def _unclassified_cases(engine: Engine, count: int) -> None:
    """`count` cases loaded, then their classifications deleted."""
    load_files(engine, {"a.csv": [record(intake_id=f"INT-{i:03d}") for i in range(count)]}, NOW)
    with engine.begin() as conn:
        conn.execute(delete(table_of(CaseClassification)))


def test_cases_are_classified_chunk_after_chunk_until_none_is_left(
    migrated_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _unclassified_cases(migrated_engine, 7)
    monkeypatch.setattr(classifications, "CHUNK_CASES", 3)  # chunks of 3, 3 and 1
    with migrated_engine.begin() as conn:
        done = classifications.classify_cases(conn, classify, RULES_VERSION, NOW)
    assert done == 7
    with migrated_engine.connect() as conn:
        ids = conn.execute(select(table_of(CaseClassification).c.intake_id)).scalars().all()
    assert sorted(ids) == [f"INT-{i:03d}" for i in range(7)]


def test_a_classifier_that_drops_a_case_stops_with_an_error_and_writes_nothing(
    migrated_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _unclassified_cases(migrated_engine, 5)
    monkeypatch.setattr(classifications, "CHUNK_CASES", 2)

    def drops_int_003(cases: pl.DataFrame) -> pl.DataFrame:
        return classify(cases.filter(pl.col("intake_id") != "INT-003"))

    with (
        pytest.raises(classifications.UnclassifiedCasesError, match="none for INT-003"),
        migrated_engine.begin() as conn,
    ):
        classifications.classify_cases(conn, drops_int_003, RULES_VERSION, NOW)
    with migrated_engine.connect() as conn:
        written = conn.execute(select(func.count()).select_from(CLASSIFICATIONS)).scalar_one()
    assert written == 0  # the transaction rolled back: the case is not silently left out
