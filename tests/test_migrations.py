"""The schema comes only from migrations, and migrations agree with the models."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from db import migrate
from db.models import Base

APPLICATION_TABLES = {
    "pipeline_runs",
    "validated_records",
    "daily_case_counts",
    "ingested_files",
    "intake_cases",
    "case_versions",
    "quarantined_records",
    "case_classifications",
    "dashboard_users",
    "audit_events",
}


def _schema(engine: Engine) -> dict[str, Any]:
    """Tables with their columns, indexes, unique, check and foreign-key constraints."""
    inspector = inspect(engine)
    schema: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        schema[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            ],
            "indexes": sorted(
                (i["name"] or "", tuple(i["column_names"])) for i in inspector.get_indexes(table)
            ),
            "unique": sorted(u["name"] or "" for u in inspector.get_unique_constraints(table)),
            "checks": sorted(
                (c["name"] or "", c["sqltext"]) for c in inspector.get_check_constraints(table)
            ),
            "foreign_keys": sorted(f["name"] or "" for f in inspector.get_foreign_keys(table)),
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
    for name in ("age_range", "pain_score_range", "temperature_range", "sex", "intake_id_alphabet"):
        assert f"ck_intake_cases_{name}" in checks
