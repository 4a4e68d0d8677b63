"""The database itself refuses rows that break the contract, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import DataError, IntegrityError

from db.models import (
    CASE_FIELDS,
    AuditEvent,
    Base,
    CaseClassification,
    CaseVersion,
    DailyCaseCount,
    DashboardUser,
    IngestedFile,
    IntakeCase,
    PipelineRun,
)
from tests.factories import record

REFUSED = (IntegrityError, DataError)
"""How a database refuses a row: a broken constraint, or a value its column cannot hold."""

NOW = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def _file(engine: Engine, **overrides: Any) -> int:
    row: dict[str, Any] = {
        "source_path": "landing/intake_clinic_north_2026-11-20.csv",
        "content_hash": "0" * 64,
        "size_bytes": 1024,
        "received_at": NOW,
        "status": "landed",
        "landing_date": NOW.date(),
        "unknown_columns": [],
    } | overrides
    with engine.begin() as conn:
        file_id: int = conn.execute(
            insert(IngestedFile).returning(IngestedFile.id), row
        ).scalar_one()
    return file_id


def _case(file_id: int, **overrides: Any) -> dict[str, Any]:
    """A valid case version row: the tests' base record with its version, file and hash."""
    base = record()
    key = {"version": 1, "file_id": file_id, "updated_at": NOW, "content_hash": "a" * 64}
    return base | key | {"intake_date": base["intake_at"].date()} | overrides


def _current(row: dict[str, Any]) -> dict[str, Any]:
    """The current case of a version row: its key and the fields a case carries."""
    keep = ("intake_id", "version", "file_id", "updated_at", *CASE_FIELDS)
    return {k: v for k, v in row.items() if k in keep}


def _insert_case(engine: Engine, row: dict[str, Any]) -> None:
    """Insert a case as the pipeline does: its version first, then the case pointing at it."""
    version = {k: v for k, v in row.items() if k != "updated_at"} | {"received_at": NOW}
    with engine.begin() as conn:
        conn.execute(insert(CaseVersion), version)
        conn.execute(insert(IntakeCase), _current(row))


def test_a_valid_case_is_accepted(migrated_engine: Engine) -> None:
    _insert_case(migrated_engine, _case(_file(migrated_engine)))
    with migrated_engine.connect() as conn:
        assert conn.execute(select(IntakeCase.intake_id)).scalars().all() == ["INT-0001"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("sex", "woman", id="unknown sex"),
        pytest.param("knee_injury", "sprain", id="unknown knee injury"),
        pytest.param("hip_rom", "stiff", id="unknown optional enum value"),
        pytest.param("clinic_id", None, id="missing required clinic"),
        pytest.param("knee_instability", None, id="missing required boolean"),
        pytest.param("age_years", 121, id="age above 120"),
        pytest.param("age_years", -1, id="negative age"),
        pytest.param("pain_score", 11, id="pain above 10"),
        pytest.param("temperature_c", 45.5, id="temperature above 45"),
        pytest.param("temperature_c", 29.9, id="temperature below 30"),
        pytest.param("intake_id", "INT 0001", id="space in intake id"),
        pytest.param("patient_ref", "Jane.Doe", id="dot in patient ref"),
        pytest.param("clinic_id", "", id="empty clinic id"),
        pytest.param("injury_date", dt.date(2026, 11, 21), id="injury after intake"),
        pytest.param("hip_pain_onset_date", dt.date(2026, 12, 1), id="hip onset after intake"),
        pytest.param("notes", "x" * 2001, id="notes over 2000 characters"),
    ],
)
def test_the_database_rejects_a_row_that_breaks_the_contract(
    migrated_engine: Engine, field: str, value: object
) -> None:
    file_id = _file(migrated_engine)
    with pytest.raises(REFUSED):
        _insert_case(migrated_engine, _case(file_id, **{field: value}))


def test_the_database_rejects_a_duplicate_intake_id(migrated_engine: Engine) -> None:
    file_id = _file(migrated_engine)
    _insert_case(migrated_engine, _case(file_id))
    with pytest.raises(IntegrityError):
        _insert_case(migrated_engine, _case(file_id, version=2, content_hash="b" * 64))


def test_a_case_must_point_at_a_version_of_itself(migrated_engine: Engine) -> None:
    file_id = _file(migrated_engine)
    with pytest.raises(IntegrityError), migrated_engine.begin() as conn:
        conn.execute(insert(IntakeCase), _current(_case(file_id)))


def test_a_case_must_come_from_a_known_file(migrated_engine: Engine) -> None:
    with pytest.raises(IntegrityError):
        _insert_case(migrated_engine, _case(file_id=999))


def test_a_finished_file_whose_counts_do_not_add_up_is_rejected(migrated_engine: Engine) -> None:
    with pytest.raises(IntegrityError):
        _file(
            migrated_engine,
            status="finished",
            finished_at=NOW,
            records_in=10,
            records_loaded=8,
            records_quarantined=1,
        )


def test_a_classification_outside_the_contract_is_rejected(migrated_engine: Engine) -> None:
    _insert_case(migrated_engine, _case(_file(migrated_engine)))
    row = {
        "intake_id": "INT-0001",
        "case_version": 1,
        "rules_version": "test",
        "mechanism": "neuropathic",
        "mechanism_evidence": [],
        "triage": "routine",
        "triage_reasons": [],
        "classified_at": NOW,
    }
    with pytest.raises(IntegrityError), migrated_engine.begin() as conn:
        conn.execute(insert(CaseClassification), row)


def _version(file_id: int, **overrides: Any) -> dict[str, Any]:
    """A case version, as the load writes it."""
    case = {k: v for k, v in _case(file_id).items() if k != "updated_at"}
    return case | {"received_at": NOW} | overrides


ENUM_ROWS: list[tuple[type[Base], dict[str, Any], str, str]] = [
    (
        DashboardUser,
        {"username": "ana", "role": "viewer", "created_at": NOW},
        "role",
        "owner",
    ),
    (AuditEvent, {"username": "ana", "event": "sign_in", "at": NOW}, "event", "sign_out"),
    (
        PipelineRun,
        {"run_id": "r1", "job_name": "ingest", "finished_at": NOW, "status": "success"},
        "status",
        "killed",
    ),
    (
        DailyCaseCount,
        {
            "intake_date": NOW.date(),
            "clinic_id": "clinic_north",
            "mechanism": "referred",
            "triage": "routine",
            "knee_injury": "fracture",
            "age_band": "50-59",
            "sex": "male",
            "cases": 3,
        },
        "triage",
        "soon",
    ),
]
"""A valid row of each small table with an enum column, the column and a value it refuses
(short enough for the column: the CHECK is what refuses it)."""


@pytest.mark.parametrize(
    ("model", "row", "field", "value"),
    [pytest.param(*r, id=f"{r[0].__tablename__}.{r[2]}") for r in ENUM_ROWS],
)
def test_every_table_refuses_a_value_outside_its_enum(
    migrated_engine: Engine, model: type[Base], row: dict[str, Any], field: str, value: str
) -> None:
    with migrated_engine.begin() as conn:
        conn.execute(insert(model), row)
    with pytest.raises(IntegrityError), migrated_engine.begin() as conn:
        conn.execute(insert(model), row | {field: value, "username": "bo", "run_id": "r2"})


def test_versions_and_files_refuse_a_value_outside_their_enums(migrated_engine: Engine) -> None:
    file_id = _file(migrated_engine)
    with migrated_engine.begin() as conn:
        conn.execute(insert(CaseVersion), _version(file_id))
    with pytest.raises(IntegrityError), migrated_engine.begin() as conn:
        conn.execute(insert(CaseVersion), _version(file_id, version=2, pain_trend="bad"))
    with pytest.raises(IntegrityError):
        _file(migrated_engine, content_hash="1" * 64, status="lost")
