"""Impact reports in the database: compare every current case's classification in force with the
candidate rule set's, chunk by chunk (memory bounded by the chunk), without writing a
classification, and store the report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

import polars as pl
from sqlalchemy import Connection, Engine, insert, select

from db import transactions
from db.engine import SQLITE_BEGIN_OPTION
from db.models import CaseClassification, CaseVersion, IntakeCase, RulesImpactReport, table_of
from pipeline.classify import classify
from pipeline.classify.versions import NEWEST, rule_set
from pipeline.load.bulk import read_frame
from pipeline.load.classifications import CASE_SCHEMA, CHUNK_CASES
from pipeline.rules_change import impact, in_force, report_text

CASES = table_of(IntakeCase)
VERSIONS = table_of(CaseVersion)
CLASSIFICATIONS = table_of(CaseClassification)
REPORTS = table_of(RulesImpactReport)
READ_SCHEMA: Final = pl.Schema(
    {
        **{name: dtype for name, dtype in CASE_SCHEMA.items() if name != "version"},
        "clinic_id": pl.String(),
        "mechanism_before": pl.String(),
        "triage_before": pl.String(),
    }
)


class NothingToCompareError(RuntimeError):
    """No version is in force yet (a fresh database), so there is nothing to compare with."""


@dataclass(frozen=True, slots=True)
class StoredReport:
    """An impact report as stored: its id, versions, time, headline counts and document."""

    id: int
    in_force_version: str
    candidate_version: str
    made_at: dt.datetime
    cases: int
    mechanism_changes: int
    triage_changes: int
    triage_downgrades: int
    report: dict[str, Any]
    markdown: str


def _read_after(connection: Connection, last: str | None, chunk_cases: int) -> pl.DataFrame:
    """The next `chunk_cases` cases after `last` (by intake_id): the fields of their current
    version (a current case keeps only its key and the dashboard's columns) beside their
    classification."""
    columns = [
        *(VERSIONS.c[name] for name in READ_SCHEMA.names() if name in VERSIONS.c),
        CLASSIFICATIONS.c.mechanism.label("mechanism_before"),
        CLASSIFICATIONS.c.triage.label("triage_before"),
    ]
    current = (VERSIONS.c.intake_id == CASES.c.intake_id) & (VERSIONS.c.version == CASES.c.version)
    query = select(*columns).select_from(
        CASES.join(VERSIONS, current).outerjoin(
            CLASSIFICATIONS, CLASSIFICATIONS.c.intake_id == CASES.c.intake_id
        )
    )
    if last is not None:
        query = query.where(CASES.c.intake_id > last)
    return read_frame(connection, query.order_by(CASES.c.intake_id).limit(chunk_cases), READ_SCHEMA)


def compare_every_case(
    connection: Connection, candidate: str, chunk_cases: int = CHUNK_CASES
) -> impact.Impact:
    """Classify every current case by `candidate` and compare it with its classification in
    force, chunk by chunk; nothing is written."""
    rule_set(candidate)  # an unknown version fails before any case is read
    parts: list[impact.Impact] = []
    last: str | None = None
    while True:
        cases = _read_after(connection, last, chunk_cases)
        if cases.is_empty():
            return impact.combine(parts)
        after = classify(cases.drop("clinic_id", "mechanism_before", "triage_before"), candidate)
        parts.append(impact.compare(cases.select(impact.CASES_BEFORE.names()), after))
        last = cases["intake_id"][-1]


def _evidence_before(connection: Connection, intake_ids: list[str]) -> dict[str, list[str]]:
    if not intake_ids:
        return {}
    rows = connection.execute(
        select(CLASSIFICATIONS.c.intake_id, CLASSIFICATIONS.c.mechanism_evidence).where(
            CLASSIFICATIONS.c.intake_id.in_(intake_ids)
        )
    )
    return {row.intake_id: list(row.mechanism_evidence) for row in rows}


@dataclass(frozen=True, slots=True)
class PreparedReport:
    """A report made, not yet stored."""

    in_force_version: str
    candidate_version: str
    made_at: dt.datetime
    report: dict[str, Any]
    markdown: str


def prepare(
    connection: Connection,
    now: dt.datetime,
    candidate: str = NEWEST,
    chunk_cases: int = CHUNK_CASES,
) -> PreparedReport:
    """Compare every case under the version in force with `candidate` (default: the code's
    newest). Reads only: run it in one read transaction, so every chunk sees the same cases."""
    version = in_force.in_force(connection)
    if version is None:
        msg = "no rules version is in force yet (nothing classified): there is nothing to compare"
        raise NothingToCompareError(msg)
    compared = compare_every_case(connection, candidate, chunk_cases)
    evidence = _evidence_before(connection, compared.examples["intake_id"].to_list())
    document = report_text.document(version, candidate, now, compared, evidence)
    return PreparedReport(version, candidate, now, document, report_text.markdown(document))


def store(connection: Connection, prepared: PreparedReport) -> StoredReport:
    headline = report_text.headline(prepared.report)
    report_id = connection.execute(
        insert(REPORTS)
        .values(
            in_force_version=prepared.in_force_version,
            candidate_version=prepared.candidate_version,
            made_at=prepared.made_at,
            report=prepared.report,
            markdown=prepared.markdown,
            **headline,
        )
        .returning(REPORTS.c.id)
    ).scalar_one()
    return StoredReport(
        int(report_id),
        prepared.in_force_version,
        prepared.candidate_version,
        prepared.made_at,
        report=prepared.report,
        markdown=prepared.markdown,
        **headline,
    )


def make_report(
    engine: Engine,
    now: dt.datetime,
    candidate: str = NEWEST,
    chunk_cases: int = CHUNK_CASES,
) -> StoredReport:
    """Prepare the report in one read transaction (a snapshot: REPEATABLE READ on PostgreSQL,
    a read transaction on SQLite's write-ahead log), then store it in a short write."""
    if engine.dialect.name == "postgresql":
        reader = engine.execution_options(isolation_level="REPEATABLE READ")
    else:  # a reader takes no write lock, even on a writer's engine
        reader = engine.execution_options(**{SQLITE_BEGIN_OPTION: "DEFERRED"})
    with reader.begin() as connection:
        prepared = prepare(connection, now, candidate, chunk_cases)
    return transactions.write(engine, lambda connection: store(connection, prepared))


def _stored(row: Any) -> StoredReport:
    made_at = row.made_at if row.made_at.tzinfo else row.made_at.replace(tzinfo=dt.UTC)
    return StoredReport(
        id=row.id,
        in_force_version=row.in_force_version,
        candidate_version=row.candidate_version,
        made_at=made_at,
        cases=row.cases,
        mechanism_changes=row.mechanism_changes,
        triage_changes=row.triage_changes,
        triage_downgrades=row.triage_downgrades,
        report=row.report,
        markdown=row.markdown,
    )


def latest(connection: Connection, in_force_version: str, candidate: str) -> StoredReport | None:
    """The newest report of `candidate` against `in_force_version`, if one was made."""
    row = connection.execute(
        select(REPORTS)
        .where(
            REPORTS.c.in_force_version == in_force_version,
            REPORTS.c.candidate_version == candidate,
        )
        .order_by(REPORTS.c.made_at.desc(), REPORTS.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else _stored(row)


def by_id(connection: Connection, report_id: int) -> StoredReport | None:
    row = connection.execute(select(REPORTS).where(REPORTS.c.id == report_id)).first()
    return None if row is None else _stored(row)
