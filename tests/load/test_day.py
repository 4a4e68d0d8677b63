"""Loading a day's files: new ids are loaded, re-sends change nothing, corrections make a new
version and keep the old one; the cases made current are classified in the same transaction;
every file's counts add up. Each record is written once: nothing is staged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from db.models import (
    CaseClassification,
    CaseVersion,
    IngestedFile,
    IntakeCase,
    table_of,
)
from pipeline.classify import RULES_VERSION, classify
from pipeline.load.decide import FileOutcome
from tests.factories import load_files, record, valid_frame

NOW = dt.datetime(2026, 11, 21, 6, 0, tzinfo=dt.UTC)


def _load_file(engine: Engine, name: str, records: list[dict[str, Any]]) -> FileOutcome:
    (outcome,) = load_files(engine, {name: records}, NOW)
    return outcome


def _count(engine: Engine, model: type[Any]) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table_of(model))).scalar_one())


def _current_version_and_pain(engine: Engine) -> tuple[int, int]:
    """The one case's current version number and that version's pain score."""
    cases, versions = table_of(IntakeCase), table_of(CaseVersion)
    current_version = (versions.c.intake_id == cases.c.intake_id) & (
        versions.c.version == cases.c.version
    )
    with engine.connect() as conn:
        row = conn.execute(
            select(cases.c.version, versions.c.pain_score).join(versions, current_version)
        ).one()
    return row.version, row.pain_score


def test_a_fresh_file_loads_every_record_as_a_new_case(migrated_engine: Engine) -> None:
    outcome = _load_file(migrated_engine, "a.csv", [record(intake_id=f"INT-{i}") for i in range(5)])
    assert (outcome.loaded, outcome.unchanged, outcome.corrected) == (5, 0, 0)
    assert _count(migrated_engine, IntakeCase) == 5
    assert _count(migrated_engine, CaseVersion) == 5
    assert _count(migrated_engine, CaseClassification) == 5


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
    current = _current_version_and_pain(migrated_engine)
    versions = table_of(CaseVersion)
    with migrated_engine.connect() as conn:
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
    current = _current_version_and_pain(migrated_engine)
    assert tuple(current) == (2, 6)


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


def test_a_correction_is_classified_again_with_its_new_version(
    migrated_engine: Engine,
) -> None:
    _load_file(migrated_engine, "a.csv", [record(intake_id="INT-1"), record(intake_id="INT-2")])
    _load_file(migrated_engine, "b.csv", [record(intake_id="INT-1", pain_score=9)])
    table = table_of(CaseClassification)
    with migrated_engine.connect() as conn:
        kept = conn.execute(
            select(table.c.intake_id, table.c.case_version, table.c.rules_version).order_by(
                table.c.intake_id
            )
        ).all()
    assert [tuple(k) for k in kept] == [("INT-1", 2, RULES_VERSION), ("INT-2", 1, RULES_VERSION)]


def test_the_load_writes_what_the_rule_set_decides_for_each_current_case(
    migrated_engine: Engine,
) -> None:
    records = [record(intake_id=f"INT-{i}", pain_score=i) for i in range(6)]
    _load_file(migrated_engine, "a.csv", records)
    table = table_of(CaseClassification)
    with migrated_engine.connect() as conn:
        stored = conn.execute(
            select(table.c.intake_id, table.c.mechanism, table.c.triage).order_by(table.c.intake_id)
        ).all()
    expected = classify(valid_frame(records)).sort("intake_id")
    assert [tuple(r) for r in stored] == list(
        expected.select("intake_id", "mechanism", "triage").iter_rows()
    )


def test_a_re_send_in_a_later_file_of_the_same_day_is_unchanged_there(
    migrated_engine: Engine,
) -> None:
    first, second = load_files(
        migrated_engine,
        {
            "a.csv": [record(intake_id="INT-1"), record(intake_id="INT-2")],
            "b.csv": [record(intake_id="INT-1"), record(intake_id="INT-2", pain_score=9)],
        },
        NOW,
    )
    assert (first.loaded, first.unchanged, first.corrected) == (2, 0, 0)
    assert (second.loaded, second.unchanged, second.corrected) == (0, 1, 1)
    assert _count(migrated_engine, CaseVersion) == 3
