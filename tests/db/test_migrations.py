"""The schema comes only from migrations, and migrations agree with the models."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, Enum, inspect

from db import migrate
from db.engine import make_engine
from db.models import Base

APPLICATION_TABLES = {
    "pipeline_runs",
    "daily_case_counts",
    "ingested_files",
    "intake_cases",
    "case_versions",
    "quarantined_records",
    "case_classifications",
    "dashboard_users",
    "audit_events",
    "sign_in_limits",
    "dashboard_sessions",
    "alert_ledger",
    "follow_up_items",
    "follow_up_events",
    "rules_impact_reports",
    "rules_approvals",
}


def _schema(engine: Engine) -> dict[str, Any]:
    """Tables with their columns, primary key, indexes, unique, check and foreign-key
    constraints, each in full (a SQLite table rebuild must keep every one of them)."""
    inspector = inspect(engine)
    schema: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        schema[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], c["default"])
                for c in inspector.get_columns(table)
            ],
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "indexes": sorted(
                (i["name"] or "", tuple(i["column_names"]), i["unique"])
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (u["name"] or "", tuple(u["column_names"]))
                for u in inspector.get_unique_constraints(table)
            ),
            "checks": sorted(
                (c["name"] or "", c["sqltext"]) for c in inspector.get_check_constraints(table)
            ),
            "foreign_keys": sorted(
                (
                    f["name"] or "",
                    tuple(f["constrained_columns"]),
                    f["referred_table"],
                    tuple(f["referred_columns"]),
                    tuple(sorted(f["options"].items())),
                )
                for f in inspector.get_foreign_keys(table)
            ),
        }
    return schema


def test_upgrade_to_head_creates_every_table(migrated_engine: Engine) -> None:
    tables = set(inspect(migrated_engine).get_table_names())
    assert tables == APPLICATION_TABLES | {"alembic_version"}
    assert migrate.current_revision(migrated_engine) == migrate.head_revision()


def test_models_and_migrations_agree(migrated_engine: Engine) -> None:
    with migrated_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_downgrade_to_base_removes_every_table(migrated_engine: Engine) -> None:
    migrate.downgrade(migrated_engine, "base")
    assert set(inspect(migrated_engine).get_table_names()) <= {"alembic_version"}
    assert migrate.current_revision(migrated_engine) is None


def test_upgrade_downgrade_upgrade_leaves_the_same_schema(migrated_engine: Engine) -> None:
    first = _schema(migrated_engine)
    migrate.downgrade(migrated_engine, "base")
    migrate.upgrade(migrated_engine)
    assert _schema(migrated_engine) == first


def test_every_contract_check_exists_in_the_database(migrated_engine: Engine) -> None:
    checks = {c["name"] for c in inspect(migrated_engine).get_check_constraints("intake_cases")}
    for name in ("age_range", "sex", "knee_injury", "intake_id_alphabet", "patient_ref_alphabet"):
        assert f"ck_intake_cases_{name}" in checks
    checks = {c["name"] for c in inspect(migrated_engine).get_check_constraints("case_versions")}
    for name in ("age_range", "pain_score_range", "temperature_range", "sex", "intake_id_alphabet"):
        assert f"ck_case_versions_{name}" in checks


def test_every_enum_column_is_checked_in_the_database(migrated_engine: Engine) -> None:
    inspector = inspect(migrated_engine)
    for table in Base.metadata.tables.values():
        checks = {c["name"] for c in inspector.get_check_constraints(table.name)}
        for column in table.columns:
            if isinstance(column.type, Enum):
                assert f"ck_{table.name}_{column.type.name}" in checks, column


def _sqlite_tables(engine: Engine) -> dict[str, str]:
    """The CREATE TABLE statement of each table of a SQLite database, by table name."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
        ).all()
    return dict(rows)


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty SQLite database, for what only SQLite's migrations do."""
    built = make_engine(f"sqlite:///{tmp_path / 'intake.db'}")
    yield built
    built.dispose()


def test_sqlite_enum_checks_are_equalities_not_in_lists(sqlite_engine: Engine) -> None:
    migrate.upgrade(sqlite_engine)
    tables = _sqlite_tables(sqlite_engine)
    for name in ("case_versions", "intake_cases", "case_classifications"):
        assert " IN (" not in tables[name], name
    assert "CHECK (sex = 'female' OR sex = 'male' OR " in tables["case_versions"]
    assert "CHECK (triage = 'urgent' OR triage = 'evaluate' OR " in tables["case_classifications"]
    assert not any(" IN (" in sql for sql in tables.values())


def test_the_enum_check_migration_changes_only_the_form_of_sqlite_enum_checks(
    backend: str, engine: Engine
) -> None:
    migrate.upgrade(engine, "0003")
    before = _schema(engine)
    migrate.upgrade(engine, "0004")
    after = _schema(engine)
    migrate.downgrade(engine, "0003")
    assert _schema(engine) == before

    if backend == "postgresql":
        assert after == before
        return
    assert dict(after["case_versions"]["checks"])["ck_case_versions_sex"] == (
        "sex = 'female' OR sex = 'male' OR sex = 'other' OR sex = 'unknown'"
    )
    rewritten = 0
    for table in before:
        old, new = dict(before[table]["checks"]), dict(after[table]["checks"])
        assert new.keys() == old.keys(), table
        for name, sqltext in old.items():
            if " IN (" in sqltext:
                assert " IN (" not in new[name], name
                assert " OR " in new[name], name
                rewritten += 1
            else:
                assert new[name] == sqltext, name
        others = {k: v for k, v in after[table].items() if k != "checks"}
        assert others == {k: v for k, v in before[table].items() if k != "checks"}, table
    enum_columns = [
        c
        for t in Base.metadata.tables.values()
        if t.name in before  # tables that later revisions add are made in the new form
        and t.name != "intake_cases"
        for c in t.c
        if isinstance(c.type, Enum)
    ]
    content_enums = [c for c in Base.metadata.tables["case_versions"].c if isinstance(c.type, Enum)]
    # Until 0010, current cases and the staging table held every field of a case version.
    assert rewritten == len(enum_columns) + 2 * len(content_enums)


def test_after_a_sqlite_migration_foreign_keys_are_enforced_again(sqlite_engine: Engine) -> None:
    migrate.upgrade(sqlite_engine)
    migrate.downgrade(sqlite_engine, "0003")
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1


def test_a_sqlite_migration_that_would_leave_a_dangling_row_is_rolled_back(
    sqlite_engine: Engine,
) -> None:
    migrate.upgrade(sqlite_engine, "0003")
    assert sqlite_engine.url.database is not None
    # A plain sqlite3 connection does not enforce foreign keys: a quarantined row of no file.
    with sqlite3.connect(sqlite_engine.url.database) as raw:
        raw.execute(
            "INSERT INTO quarantined_records (file_id, line_number, raw_record, reasons,"
            " quarantined_at) VALUES (999, 1, 'x', '[]', '2026-11-20 09:30:00')"
        )
    raw.close()
    with pytest.raises(RuntimeError, match="quarantined_records -> ingested_files"):
        migrate.upgrade(sqlite_engine)
    assert migrate.current_revision(sqlite_engine) == "0003"
    assert " IN (" in _sqlite_tables(sqlite_engine)["case_versions"]
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
