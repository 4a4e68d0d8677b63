"""A rules change is reviewed before it touches a case, on SQLite and PostgreSQL, through the
real Dagster jobs and the real `intake rules` commands: the candidate in the code waits while
the rules in force classify new cases; the impact report changes no case and its counts add
up; approval (audited) lets the reclassify job apply it to every case; a report with triage
downgrades blocks approval unless they are accepted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import dagster as dg
import polars as pl
from sqlalchemy import Engine, func, select, update
from typer.testing import CliRunner

from db.models import (
    AuditEvent,
    CaseClassification,
    CaseVersion,
    IntakeCase,
    RulesApproval,
    RulesImpactReport,
    table_of,
)
from pipeline import run
from pipeline.classify import classify
from pipeline.classify.versions import NEWEST
from pipeline.cli import app
from pipeline.defs.reclassify.sensors import rules_version_sensor
from pipeline.defs.resources import IntakeDatabase
from pipeline.defs.rules_change.sensors import rules_candidate_sensor
from pipeline.load.bulk import read_frame
from pipeline.load.classifications import CASE_SCHEMA
from pipeline.rules_change import in_force, reports

OLD = "2026.11.1"
END = dt.date(2026, 11, 20)
DAYS = (END - dt.timedelta(days=2), END - dt.timedelta(days=1), END)
CASES = table_of(IntakeCase)
VERSIONS = table_of(CaseVersion)
CLASSIFICATIONS = table_of(CaseClassification)
REPORTS = table_of(RulesImpactReport)
APPROVALS = table_of(RulesApproval)
EVENTS = table_of(AuditEvent)


def _ingest(landing: Path, url: str, instance: dg.DagsterInstance, *days: dt.date) -> None:
    result = run.run_days(
        min(days), max(days), landing_dir=landing, database_url=url, instance=instance
    )
    assert result.success, [e.message for e in result.all_events if e.is_failure]


def _rules(url: str, *args: str) -> Any:
    return CliRunner().invoke(app, ["rules", *args, "--url", url])


def _classifications(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        return list(
            connection.execute(select(CLASSIFICATIONS).order_by(CLASSIFICATIONS.c.intake_id))
        )


def _versions(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(CLASSIFICATIONS.c.rules_version, func.count()).group_by(
                CLASSIFICATIONS.c.rules_version
            )
        )
        return dict(rows.all())


def _case_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(CASES)).scalar_one())


def _sensor(sensor: Any, url: str, instance: dg.DagsterInstance) -> Any:
    resources = {"database": IntakeDatabase(url=url)}
    with dg.build_sensor_context(instance=instance, resources=resources) as context:
        return sensor(context)


def _start_on_the_old_rules(url: str) -> None:
    """A database that has been classifying by 2026.11.1 (approved on the fresh database)."""
    approved = _rules(url, "approve", OLD, "--by", "lead", "--reason", "the rules we had")
    assert approved.exit_code == 0, approved.output


def test_new_cases_keep_the_version_in_force_while_a_candidate_waits(
    landing: Path, database_url: str, migrated_engine: Engine, instance: dg.DagsterInstance
) -> None:
    _start_on_the_old_rules(database_url)
    _ingest(landing, database_url, instance, DAYS[0], DAYS[1])
    assert set(_versions(migrated_engine)) == {OLD}
    assert isinstance(_sensor(rules_version_sensor, database_url, instance), dg.SkipReason)

    impact = _rules(database_url, "impact", "--out", str(landing.parent / "impact.md"))
    assert impact.exit_code == 0, impact.output
    before_new_day = _classifications(migrated_engine)
    _ingest(landing, database_url, instance, DAYS[2])

    versions = _versions(migrated_engine)
    assert versions == {OLD: _case_count(migrated_engine)}
    assert len(_classifications(migrated_engine)) > len(before_new_day)
    # the candidate waits: nothing asks for a reclassification, the impact report is asked for
    assert isinstance(_sensor(rules_version_sensor, database_url, instance), dg.SkipReason)
    assert isinstance(_sensor(rules_candidate_sensor, database_url, instance), dg.SensorResult)
    with migrated_engine.connect() as connection:
        assert in_force.status(connection) == in_force.RulesStatus(OLD, NEWEST)


def test_the_impact_report_changes_no_case_and_its_counts_add_up_to_the_cases(
    landing: Path, database_url: str, migrated_engine: Engine, instance: dg.DagsterInstance
) -> None:
    _start_on_the_old_rules(database_url)
    _ingest(landing, database_url, instance, *DAYS)
    before = _classifications(migrated_engine)

    out = landing.parent / "impact.md"
    impact = _rules(database_url, "impact", "--out", str(out))

    assert impact.exit_code == 0, impact.output
    assert _classifications(migrated_engine) == before
    with migrated_engine.connect() as connection:
        stored = connection.execute(select(REPORTS)).one()
        per_clinic: dict[str, int] = dict(
            connection.execute(
                select(CASES.c.clinic_id, func.count()).group_by(CASES.c.clinic_id)
            ).all()
        )
    assert (stored.in_force_version, stored.candidate_version) == (OLD, NEWEST)
    assert stored.cases == len(before) == _case_count(migrated_engine)
    transitions = pl.DataFrame(stored.report["transitions"])
    for kind in ("mechanism", "triage"):
        of_kind = transitions.filter(pl.col("kind") == kind)
        assert of_kind["cases"].sum() == stored.cases
        by_clinic = of_kind.group_by("clinic_id").agg(pl.col("cases").sum())
        assert dict(by_clinic.iter_rows()) == per_clinic
    assert sum(week["cases"] for week in stored.report["weekly"]) == stored.cases
    # the triage rules are the contract's in both versions: nothing moves
    assert stored.triage_changes == stored.triage_downgrades == 0
    assert 0 < stored.mechanism_changes < stored.cases
    assert out.read_text(encoding="utf-8") == stored.markdown
    assert f"Rules impact report {stored.id}: {OLD} -> {NEWEST}" in impact.output
    with migrated_engine.connect() as connection:  # read 37 cases at a time: the same report
        chunked = reports.compare_every_case(connection, NEWEST, chunk_cases=37)
    assert chunked.transitions.to_dicts() == stored.report["transitions"]
    assert chunked.downgrades.is_empty()


def test_approval_applies_the_candidate_to_every_case(
    landing: Path, database_url: str, migrated_engine: Engine, instance: dg.DagsterInstance
) -> None:
    _start_on_the_old_rules(database_url)
    _ingest(landing, database_url, instance, *DAYS)
    refused = _rules(database_url, "approve", NEWEST, "--by", "lead", "--reason", "unread")
    assert refused.exit_code == 2
    assert "no impact report" in refused.stderr
    assert _rules(database_url, "impact", "--out", str(landing.parent / "i.md")).exit_code == 0

    approved = _rules(
        database_url, "approve", NEWEST, "--by", "dr.lee", "--reason", "issue 9's refinements"
    )
    assert approved.exit_code == 0, approved.output
    requested = _sensor(rules_version_sensor, database_url, instance)
    assert isinstance(requested, dg.SensorResult)
    assert len(requested.run_requests or []) == 1
    job = run.definitions().resolve_job_def("reclassify_job")
    config = {"resources": {"database": {"config": {"url": database_url}}}}
    assert job.execute_in_process(instance=instance, run_config=config).success

    assert _versions(migrated_engine) == {NEWEST: _case_count(migrated_engine)}
    with migrated_engine.connect() as connection:
        current = (VERSIONS.c.intake_id == CASES.c.intake_id) & (
            VERSIONS.c.version == CASES.c.version
        )
        query = select(*VERSIONS.c[*CASE_SCHEMA.names()]).select_from(CASES.join(VERSIONS, current))
        cases = read_frame(connection, query, CASE_SCHEMA)
        stored = {row.intake_id: row for row in _classifications(migrated_engine)}
        event = connection.execute(select(EVENTS).where(EVENTS.c.event == "rules_approved")).all()[
            -1
        ]
        assert in_force.in_force(connection) == NEWEST
    expected = classify(cases.drop("version"))  # the newest rules, applied to each case anew
    for row in expected.iter_rows(named=True):
        assert stored[row["intake_id"]].mechanism == row["mechanism"]
        assert stored[row["intake_id"]].mechanism_evidence == row["mechanism_evidence"]
    assert event.username == "dr.lee"
    assert event.filters["version"] == NEWEST
    assert event.filters["replaces"] == OLD
    assert event.filters["reason"] == "issue 9's refinements"
    assert isinstance(_sensor(rules_version_sensor, database_url, instance), dg.SkipReason)
    assert isinstance(_sensor(rules_candidate_sensor, database_url, instance), dg.SkipReason)


def test_triage_downgrades_block_approval_without_accept_downgrades(
    landing: Path, database_url: str, migrated_engine: Engine, instance: dg.DagsterInstance
) -> None:
    _start_on_the_old_rules(database_url)
    _ingest(landing, database_url, instance, DAYS[0])
    with migrated_engine.begin() as connection:
        # as a more cautious rule set in force would have it: some routine cases urgent
        raised = connection.execute(
            update(CLASSIFICATIONS)
            .where(CLASSIFICATIONS.c.triage == "routine", CLASSIFICATIONS.c.intake_id.like("%1"))
            .values(triage="urgent")
        ).rowcount
    assert raised > 0

    impact = _rules(database_url, "impact", "--out", str(landing.parent / "impact.md"))
    assert impact.exit_code == 1  # it ran, and what it found needs someone
    assert f"{raised:,} cases would have their triage go down" in impact.stderr
    with migrated_engine.connect() as connection:
        report = connection.execute(select(REPORTS)).one()
    assert report.triage_downgrades == raised
    assert {d["before"] for d in report.report["downgrades"]} == {"urgent"}
    assert {d["after"] for d in report.report["downgrades"]} == {"routine"}
    assert len(report.report["downgrades"]) == raised

    refused = _rules(database_url, "approve", NEWEST, "--by", "lead", "--reason", "looks fine")
    assert refused.exit_code == 2
    assert "--accept-downgrades" in refused.stderr
    with migrated_engine.connect() as connection:
        assert in_force.in_force(connection) == OLD
    assert isinstance(_sensor(rules_version_sensor, database_url, instance), dg.SkipReason)

    reason = "the urgent flags were set by hand, not by the rules"
    accepted = _rules(
        database_url, "approve", NEWEST, "--by", "lead", "--reason", reason, "--accept-downgrades"
    )
    assert accepted.exit_code == 0, accepted.output
    with migrated_engine.connect() as connection:
        approval = connection.execute(
            select(APPROVALS).order_by(APPROVALS.c.id.desc()).limit(1)
        ).one()
    assert (approval.version, approval.replaces, approval.report_id) == (NEWEST, OLD, report.id)
    assert approval.accepted_downgrades is True
    assert approval.reason == reason


def test_a_fresh_database_takes_up_the_code_rules_without_approval(
    landing: Path, database_url: str, migrated_engine: Engine, instance: dg.DagsterInstance
) -> None:
    assert "no approval needed" in _rules(database_url, "status").output
    _ingest(landing, database_url, instance, DAYS[0])
    assert set(_versions(migrated_engine)) == {NEWEST}
    with migrated_engine.connect() as connection:
        (approval,) = connection.execute(select(APPROVALS)).all()
    assert (approval.version, approval.approved_by) == (NEWEST, in_force.FRESH_DATABASE_BY)
    assert approval.report_id is None
    assert isinstance(_sensor(rules_candidate_sensor, database_url, instance), dg.SkipReason)
    nothing = _rules(database_url, "approve", NEWEST, "--by", "lead", "--reason", "again")
    assert nothing.exit_code == 2
    assert "already in force" in nothing.stderr


def test_the_impact_report_asset_runs_while_a_candidate_waits_with_its_summary_as_metadata(
    landing: Path, database_url: str, migrated_engine: Engine, instance: dg.DagsterInstance
) -> None:
    _start_on_the_old_rules(database_url)
    _ingest(landing, database_url, instance, DAYS[0])
    before = _classifications(migrated_engine)
    requested = _sensor(rules_candidate_sensor, database_url, instance)
    assert isinstance(requested, dg.SensorResult)
    (request,) = requested.run_requests or []

    job = run.definitions().resolve_job_def("rules_impact_job")
    config = {"resources": {"database": {"config": {"url": database_url}}}}
    result = job.execute_in_process(instance=instance, run_config=config)

    assert result.success
    (materialized,) = result.asset_materializations_for_node("rules_impact_report")
    metadata = {key: value.value for key, value in materialized.metadata.items()}
    with migrated_engine.connect() as connection:
        stored = connection.execute(select(REPORTS)).one()
    assert metadata["report_id"] == stored.id
    assert (metadata["in_force"], metadata["candidate"]) == (OLD, NEWEST)
    assert metadata["dagster/row_count"] == stored.cases == _case_count(migrated_engine)
    assert metadata["triage_downgrades"] == 0
    assert metadata["mechanism_changes"] == stored.mechanism_changes
    summary = str(metadata["summary"])
    assert "| in force |" in summary
    assert not any(row.intake_id in summary for row in before)  # no case id in the UI
    assert _classifications(migrated_engine) == before
    # the next tick gives the same run key (Dagster runs a key once) until the cases change
    again = _sensor(rules_candidate_sensor, database_url, instance)
    assert [r.run_key for r in again.run_requests or []] == [request.run_key]


def test_impact_says_why_it_cannot_compare(database_url: str, migrated_engine: Engine) -> None:
    fresh = _rules(database_url, "impact")
    assert fresh.exit_code == 1
    assert "nothing classified" in fresh.stderr
    _start_on_the_old_rules(database_url)
    unknown = _rules(database_url, "impact", "--candidate", "2027.1.1")
    assert unknown.exit_code == 2
    assert "'2027.1.1' is not in this code (it has 2026.11.1, 2026.11.2)" in unknown.stderr
    with migrated_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(REPORTS)).scalar_one() == 0
