"""The merge: staged records become case versions and current cases, in the database, in one
transaction per partition.

For every staged record, in the order received (file, then line):

- content never seen for its `intake_id` becomes a new case version, numbered after the
  newest one; for an `intake_id` never seen it is the case's first version (**loaded**),
  otherwise a **correction** (the earlier versions stay on record);
- content already on record for its `intake_id` (a re-send) changes nothing (**unchanged**).

Each case then takes its newest version, and a corrected case loses the classification of its
earlier version in the same transaction: no case ever carries the findings of one version and
the triage of another, not even if the run stops before classifying (the next run classifies
it). Everything is set-based SQL (window functions and
`INSERT ... SELECT ... ON CONFLICT`), the same statements on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Connection, case, delete, exists, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite

from db.models import CaseClassification, CaseVersion, IntakeCase, ValidatedRecord, table_of
from pipeline.load import files as register

STAGING = table_of(ValidatedRecord)
VERSIONS = table_of(CaseVersion)
CASES = table_of(IntakeCase)
CLASSIFICATIONS = table_of(CaseClassification)
CONTENT_COLUMNS: Final = tuple(
    name for name in STAGING.columns.keys() if name not in ("file_id", "line_number")
)


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What merging did with one file's valid records."""

    file_id: int
    loaded: int
    unchanged: int
    corrected: int


def _insert_new_versions(connection: Connection, file_ids: Sequence[int], now: dt.datetime) -> None:
    first_of_content = (
        func.row_number()
        .over(
            partition_by=[STAGING.c.intake_id, STAGING.c.content_hash],
            order_by=[STAGING.c.file_id, STAGING.c.line_number],
        )
        .label("nth")
    )
    staged = select(*STAGING.c, first_of_content).where(STAGING.c.file_id.in_(file_ids)).subquery()
    already_on_record = exists().where(
        VERSIONS.c.intake_id == staged.c.intake_id,
        VERSIONS.c.content_hash == staged.c.content_hash,
    )
    version = func.coalesce(CASES.c.version, 0) + func.row_number().over(
        partition_by=staged.c.intake_id, order_by=[staged.c.file_id, staged.c.line_number]
    )
    new_versions = (
        select(
            *(staged.c[c] for c in CONTENT_COLUMNS),
            version.label("version"),
            staged.c.file_id,
            literal(now, CaseVersion.received_at.type).label("received_at"),
        )
        .select_from(staged.outerjoin(CASES, CASES.c.intake_id == staged.c.intake_id))
        .where(staged.c.nth == 1, ~already_on_record)
    )
    columns = [*CONTENT_COLUMNS, "version", "file_id", "received_at"]
    connection.execute(VERSIONS.insert().from_select(columns, new_versions))


def _upsert_cases(connection: Connection, file_ids: Sequence[int], now: dt.datetime) -> None:
    v = VERSIONS.alias("v")
    newest = (
        select(func.max(VERSIONS.c.version))
        .where(VERSIONS.c.intake_id == v.c.intake_id)
        .scalar_subquery()
    )
    current = select(
        *(v.c[c] for c in CONTENT_COLUMNS),
        v.c.version,
        v.c.file_id,
        literal(now, IntakeCase.updated_at.type).label("updated_at"),
    ).where(v.c.file_id.in_(file_ids), v.c.version == newest)
    columns = [*CONTENT_COLUMNS, "version", "file_id", "updated_at"]
    dialect_insert: Any = (
        postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    )
    statement = dialect_insert(CASES).from_select(columns, current)
    statement = statement.on_conflict_do_update(
        index_elements=[CASES.c.intake_id],
        set_={c: statement.excluded[c] for c in columns if c != "intake_id"},
    )
    connection.execute(statement)


def _drop_outdated_classifications(connection: Connection, file_ids: Sequence[int]) -> None:
    outdated = exists().where(
        CASES.c.intake_id == CLASSIFICATIONS.c.intake_id,
        CASES.c.file_id.in_(file_ids),
        CASES.c.version != CLASSIFICATIONS.c.case_version,
    )
    connection.execute(delete(CLASSIFICATIONS).where(outdated))


def _outcomes(connection: Connection, file_ids: Sequence[int]) -> list[FileOutcome]:
    """What became of each file's staged records: the first record of each content in the file
    whose version the file itself brought is loaded (version 1) or corrected (later versions);
    every other one is unchanged. Counted from the staged records, so a file validated again
    (`pipeline.load.rerun`) counts what it holds now, not what it brought before."""
    first_in_file = (
        func.row_number()
        .over(
            partition_by=[STAGING.c.file_id, STAGING.c.intake_id, STAGING.c.content_hash],
            order_by=STAGING.c.line_number,
        )
        .label("nth")
    )
    staged = (
        select(STAGING.c.file_id, STAGING.c.intake_id, STAGING.c.content_hash, first_in_file)
        .where(STAGING.c.file_id.in_(file_ids))
        .subquery()
    )
    brought = (staged.c.nth == 1) & (VERSIONS.c.file_id == staged.c.file_id)
    rows = connection.execute(
        select(
            staged.c.file_id,
            func.count().label("staged"),
            func.sum(case((brought & (VERSIONS.c.version == 1), 1), else_=0)).label("loaded"),
            func.sum(case((brought & (VERSIONS.c.version > 1), 1), else_=0)).label("corrected"),
        )
        .select_from(
            staged.join(
                VERSIONS,
                (VERSIONS.c.intake_id == staged.c.intake_id)
                & (VERSIONS.c.content_hash == staged.c.content_hash),
            )
        )
        .group_by(staged.c.file_id)
    )
    counts = {int(r.file_id): (int(r.staged), int(r.loaded), int(r.corrected)) for r in rows}
    outcomes = []
    for file_id in file_ids:
        staged_count, loaded, corrected = counts.get(file_id, (0, 0, 0))
        outcomes.append(FileOutcome(file_id, loaded, staged_count - loaded - corrected, corrected))
    return outcomes


def merge(connection: Connection, file_ids: Sequence[int], now: dt.datetime) -> list[FileOutcome]:
    """Merge the staged records of `file_ids` into versions and cases, mark the files finished
    with their counts, and empty their staging. Run inside one transaction."""
    if not file_ids:
        return []
    _insert_new_versions(connection, file_ids, now)
    _upsert_cases(connection, file_ids, now)
    _drop_outdated_classifications(connection, file_ids)
    outcomes = _outcomes(connection, file_ids)
    for o in outcomes:
        register.mark_finished(
            connection,
            o.file_id,
            loaded=o.loaded,
            unchanged=o.unchanged,
            corrected=o.corrected,
            now=now,
        )
    connection.execute(delete(STAGING).where(STAGING.c.file_id.in_(file_ids)))
    return outcomes
