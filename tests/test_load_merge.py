"""Merging staged records into cases: new ids are loaded, re-sends change nothing,
corrections make a new version and keep the old one; every file's counts add up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Engine, func, select

from db.models import (
    CaseClassification,
    CaseVersion,
    IngestedFile,
    IntakeCase,
    ValidatedRecord,
    table_of,
)
from pipeline.classify import RULES_VERSION, classify
from pipeline.load import classifications, files, merge, stage
from pipeline.load.landing import LandedFile
from pipeline.validate.rules import QUARANTINE_SCHEMA
from tests.factories import record, valid_frame

NOW = dt.datetime(2026, 11, 21, 6, 0, tzinfo=dt.UTC)
NO_QUARANTINE = pl.DataFrame(schema=QUARANTINE_SCHEMA)


def _load_file(engine: Engine, name: str, records: list[dict[str, Any]]) -> merge.FileOutcome:
    """Register, stage and merge one file's records, as the pipeline does."""
    landed = LandedFile(Path(name), "clinic_north", dt.date(2026, 11, 20), name * 2, 100)
    with engine.begin() as conn:
        (registered,) = files.register(conn, [landed], NOW).new
        stage.stage(conn, registered.id, valid_frame(records), NO_QUARANTINE, NOW)
        files.mark_validated(
            conn, registered.id, records_in=len(records), quarantined=0, unknown_columns=[]
        )
        (outcome,) = merge.merge(conn, [registered.id], NOW)
    return outcome


def _count(engine: Engine, model: type[Any]) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table_of(model))).scalar_one())


def test_a_fresh_file_loads_every_record_as_a_new_case(migrated_engine: Engine) -> None:
    outcome = _load_file(migrated_engine, "a.csv", [record(intake_id=f"INT-{i}") for i in range(5)])
    assert (outcome.loaded, outcome.unchanged, outcome.corrected) == (5, 0, 0)
    assert _count(migrated_engine, IntakeCase) == 5
    assert _count(migrated_engine, CaseVersion) == 5
    assert _count(migrated_engine, ValidatedRecord) == 0


def test_a_re_sent_record_changes_nothing(migrated_engine: Engine) -> None:
    _load_file(migrated_engine, "a.csv", [record(intake_id="INT-1")])
    outcome = _load_file(migrated_engine, "b.csv", [record(intake_id="INT-1")])
    assert (outcome.loaded, outcome.unchanged, outcome.corrected) == (0, 1, 0)
    assert _count(migrated_engine, CaseVersion) == 1


def test_a_correction_becomes_the_current_case_and_keeps_the_earlier_version(
    migrated_engine: Engine,
) -> None:
    _load_file(migrated_engine, "a.csv", [record(intake_id="INT-1", pain_score=4)])
    outcome = _load_file(migrated_engine, "b.csv", [record(intake_id="INT-1", pain_score=8)])
    assert (outcome.loaded, outcome.unchanged, outcome.corrected) == (0, 0, 1)
    cases, versions = table_of(IntakeCase), table_of(CaseVersion)
    with migrated_engine.connect() as conn:
        current = conn.execute(select(cases.c.version, cases.c.pain_score)).one()
        history = conn.execute(
            select(versions.c.version, versions.c.pain_score).order_by(versions.c.version)
        ).all()
    assert tuple(current) == (2, 8)
    assert [tuple(v) for v in history] == [(1, 4), (2, 8)]


def test_an_original_and_its_correction_in_one_file_end_as_version_two(
    migrated_engine: Engine,
) -> None:
    outcome = _load_file(
        migrated_engine,
        "a.csv",
        [record(intake_id="INT-1", pain_score=4), record(intake_id="INT-1", pain_score=6)],
    )
    assert (outcome.loaded, outcome.unchanged, outcome.corrected) == (1, 0, 1)
    cases = table_of(IntakeCase)
    with migrated_engine.connect() as conn:
        assert tuple(conn.execute(select(cases.c.version, cases.c.pain_score)).one()) == (2, 6)


def test_going_back_to_earlier_content_is_counted_unchanged(migrated_engine: Engine) -> None:
    _load_file(migrated_engine, "a.csv", [record(intake_id="INT-1", pain_score=4)])
    _load_file(migrated_engine, "b.csv", [record(intake_id="INT-1", pain_score=8)])
    outcome = _load_file(migrated_engine, "c.csv", [record(intake_id="INT-1", pain_score=4)])
    assert (outcome.loaded, outcome.unchanged, outcome.corrected) == (0, 1, 0)


@pytest.mark.parametrize("records", [0, 1, 7])
def test_every_finished_file_adds_up(migrated_engine: Engine, records: int) -> None:
    _load_file(migrated_engine, "a.csv", [record(intake_id=f"INT-{i}") for i in range(records)])
    table = table_of(IngestedFile)
    with migrated_engine.connect() as conn:
        row = conn.execute(select(table)).one()
    assert row.status == "finished"
    assert row.records_in == (
        row.records_loaded + row.records_unchanged + row.records_corrected + row.records_quarantined
    )


def test_a_correction_removes_the_classification_of_the_earlier_version(
    migrated_engine: Engine,
) -> None:
    _load_file(migrated_engine, "a.csv", [record(intake_id="INT-1"), record(intake_id="INT-2")])
    with migrated_engine.begin() as conn:
        classifications.classify_cases(conn, classify, RULES_VERSION, NOW)
    _load_file(migrated_engine, "b.csv", [record(intake_id="INT-1", pain_score=9)])
    table = table_of(CaseClassification)
    with migrated_engine.connect() as conn:
        kept = conn.execute(select(table.c.intake_id, table.c.case_version)).all()
    assert [tuple(k) for k in kept] == [("INT-2", 1)]
