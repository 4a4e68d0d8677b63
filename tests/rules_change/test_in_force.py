"""Which rules version is in force (SQLite and PostgreSQL): the one most cases were classified
by when approvals began (migration 0011), then the newest approval; a version in force that the
code does not have stops classification with its name instead of switching silently."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, insert, select, update

from db import migrate
from db.models import CaseClassification, RulesApproval
from pipeline.classify.versions import NEWEST, UnknownRulesVersionError
from pipeline.rules_change import in_force
from tests.dashboard import seed

OLD = "2026.11.1"


def test_upgrading_puts_in_force_the_version_most_cases_are_classified_by(
    engine: Engine,
) -> None:
    migrate.upgrade(engine, "0010")  # the schema before approvals began
    seed.seed_cases(engine, seed.standard_cases())
    with engine.begin() as connection:
        ids = connection.execute(
            select(CaseClassification.intake_id).order_by(CaseClassification.intake_id)
        ).scalars()
        most = list(ids)[: len(seed.standard_cases()) // 2 + 1]
        connection.execute(
            update(CaseClassification)
            .where(CaseClassification.intake_id.in_(most))
            .values(rules_version=OLD)
        )

    migrate.upgrade(engine)

    with engine.connect() as connection:
        (approval,) = connection.execute(select(RulesApproval)).all()
        assert in_force.status(connection) == in_force.RulesStatus(OLD, NEWEST)
    assert approval.version == OLD
    assert approval.report_id is None


def test_a_fresh_database_has_no_version_in_force_until_it_classifies(
    migrated_engine: Engine,
) -> None:
    now = dt.datetime.now(dt.UTC)
    with migrated_engine.begin() as connection:
        assert in_force.status(connection) == in_force.RulesStatus(None, NEWEST)
        assert not in_force.status(connection).waiting
        assert in_force.version_for_new_cases(connection, now) == NEWEST
    with migrated_engine.begin() as connection:
        assert in_force.version_for_new_cases(connection, now) == NEWEST
        assert len(connection.execute(select(RulesApproval)).all()) == 1


def test_a_version_in_force_the_code_does_not_have_stops_classification_by_name(
    migrated_engine: Engine,
) -> None:
    with migrated_engine.begin() as connection:
        connection.execute(
            insert(RulesApproval).values(
                version="2027.1.1",
                approved_by="a later deployment",
                reason="rolled back since",
                accepted_downgrades=False,
                approved_at=dt.datetime.now(dt.UTC),
            )
        )
    with (
        migrated_engine.begin() as connection,
        pytest.raises(UnknownRulesVersionError, match=r"'2027\.1\.1' is not in this code"),
    ):
        in_force.version_for_new_cases(connection, dt.datetime.now(dt.UTC))
