"""Follow-up items in the database: the pipeline opens (and reopens) them, a person changes
their state. Every change is checked against the item's `version`, so of two people changing
the same item at once the second is told who changed it first, and nothing is overwritten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import polars as pl
from sqlalchemy import ColumnElement, Connection, exists, insert, select, update

from db.models import (
    CaseClassification,
    CaseVersion,
    FollowUpEvent,
    FollowUpItem,
    IntakeCase,
    QuarantinedRecord,
    table_of,
)
from db.needs_correction import unresolved
from db.states import AlertSubject, FollowUpState
from pipeline.contract.outputs import Triage
from pipeline.follow_up.policy import TRIAGE_RANK, DuePolicy, check_change
from pipeline.load.bulk import bulk_insert, one_of, read_frame

ITEMS = table_of(FollowUpItem)
EVENTS = table_of(FollowUpEvent)
CASES = table_of(IntakeCase)
VERSIONS = table_of(CaseVersion)
CLASSIFICATIONS = table_of(CaseClassification)
QUARANTINE = table_of(QuarantinedRecord)
PIPELINE: Final = "pipeline"
"""Who opens and reopens items."""
FOLLOW_UP_LEVELS: Final = (Triage.URGENT.value, Triage.EVALUATE.value)
CANDIDATE_SCHEMA: Final = pl.Schema(
    {
        "subject": pl.String(),
        "subject_key": pl.String(),
        "clinic_id": pl.String(),
        "level": pl.String(),
        "landed_at": pl.Datetime("us", "UTC"),
    }
)


@dataclass(frozen=True, slots=True)
class Scope:
    """The part of the database one pass of `open_due_items` looks at."""

    case_files: Sequence[int] = ()
    """The cases whose current version came from these files..."""
    case_ids: Sequence[str] = ()
    """...and these cases."""
    record_files: Sequence[int] = ()
    """The quarantined records of these files."""


@dataclass(frozen=True, slots=True)
class Opened:
    """What one pass of the pipeline did to the items."""

    opened: int
    reopened: int


class ChangedMeanwhile(Exception):  # noqa: N818 (a situation a person is told of, not a bug)
    """Someone changed the item since it was shown: `state` and `changed_by` say how it is now."""

    def __init__(self, state: str, changed_by: str, changed_at: dt.datetime) -> None:
        super().__init__(f"{changed_by} changed this item first: it is {state} now")
        self.state, self.changed_by, self.changed_at = state, changed_by, changed_at


def _current_version_received() -> Any:
    return (
        select(VERSIONS.c.received_at)
        .where(VERSIONS.c.intake_id == CASES.c.intake_id, VERSIONS.c.version == CASES.c.version)
        .scalar_subquery()
    )


def _insert_items(
    connection: Connection, candidates: pl.DataFrame, policy: DuePolicy, now: dt.datetime
) -> int:
    if candidates.is_empty():
        return 0
    allowed = pl.when(pl.col("level") == Triage.URGENT.value).then(pl.lit(policy.urgent))
    items = candidates.with_columns(
        (pl.col("landed_at") + allowed.otherwise(pl.lit(policy.evaluate))).alias("due_at"),
        pl.lit(FollowUpState.OPEN.value).alias("state"),
        pl.lit(now).alias("changed_at"),
        pl.lit(PIPELINE).alias("changed_by"),
        pl.lit(1).alias("version"),
    )
    return bulk_insert(connection, ITEMS, items)


def _open_for_new_cases(
    connection: Connection, policy: DuePolicy, now: dt.datetime, new_cases: pl.DataFrame
) -> tuple[int, list[str]]:
    """Open an item for every urgent or evaluate case of `new_cases` (`intake_id`,
    `clinic_id`, `triage`, `received_at`: cases the load just inserted and classified in
    memory), from memory. Returns how many were opened, and the cases that had an item already
    (`intake rerun` can make a case new again) for `open_due_items` to look at."""
    candidates = new_cases.filter(pl.col("triage").is_in(FOLLOW_UP_LEVELS)).select(
        pl.lit(AlertSubject.CASE.value).alias("subject"),
        pl.col("intake_id").alias("subject_key"),
        "clinic_id",
        pl.col("triage").alias("level"),
        pl.col("received_at").alias("landed_at"),
    )
    if candidates.is_empty():
        return 0, []
    had_item = list(
        connection.execute(
            select(ITEMS.c.subject_key).where(
                ITEMS.c.subject == AlertSubject.CASE,
                one_of(connection, ITEMS.c.subject_key, candidates["subject_key"].to_list()),
            )
        ).scalars()
    )
    fresh = candidates.filter(~pl.col("subject_key").is_in(had_item))
    return _insert_items(connection, fresh, policy, now), had_item


def open_for_day(
    connection: Connection,
    policy: DuePolicy,
    now: dt.datetime,
    *,
    new_cases: pl.DataFrame,
    known_ids: Sequence[str],
    day_files: Sequence[int],
    earlier_files: Sequence[int],
    every_case: bool,
) -> Opened:
    """The follow-up pass of a day's load, in its transaction: the items of the cases it
    inserted from memory (`new_cases`, as `DayLoad.new_cases`), then the database's pass over
    the cases on record before the day (`known_ids`: re-sent or corrected), the cases of the
    `earlier_files` it classified and the quarantine of both kinds of files. With `every_case`
    the database's pass looks at every case instead (a run's first day catches up what an
    older version or a reclassification left without an item)."""
    opened, had_item = _open_for_new_cases(connection, policy, now, new_cases)
    scope = (
        None
        if every_case
        else Scope(
            case_files=earlier_files,
            case_ids=[*known_ids, *had_item],
            record_files=[*day_files, *earlier_files],
        )
    )
    rest = open_due_items(connection, policy, now, scope)
    return Opened(opened + rest.opened, rest.reopened)


def open_due_items(
    connection: Connection,
    policy: DuePolicy,
    now: dt.datetime,
    scope: Scope | None = None,
) -> Opened:
    """Open an item for every urgent or evaluate case, and every quarantined record whose red
    flag is unresolved, that has none; reopen a case's item when its triage rose since the item
    was opened (a lowered triage leaves the item as it is). Run in the classifying transaction.
    With `scope`, only its cases and records are looked at, not every case."""
    if scope is not None and not (scope.case_files or scope.case_ids or scope.record_files):
        return Opened(0, 0)
    ids = None if scope is None else _case_ids(connection, scope)
    has_item = exists().where(
        ITEMS.c.subject == AlertSubject.CASE, ITEMS.c.subject_key == CASES.c.intake_id
    )
    cases = read_frame(
        connection,
        select(
            CASES.c.intake_id.label("subject_key"),
            CASES.c.clinic_id,
            CLASSIFICATIONS.c.triage.label("level"),
            _current_version_received().label("landed_at"),
        )
        .select_from(CASES.join(CLASSIFICATIONS))
        .where(~has_item, *_keys_in(connection, CASES.c.intake_id, ids))
        .where(*_triage_is(CLASSIFICATIONS.c.triage.in_(FOLLOW_UP_LEVELS), ids)),
        pl.Schema({n: t for n, t in CANDIDATE_SCHEMA.items() if n != "subject"}),
    ).filter(pl.col("level").is_in(FOLLOW_UP_LEVELS))
    cases = cases.with_columns(pl.lit(AlertSubject.CASE.value).alias("subject"))
    key = QUARANTINE.c.id.cast(ITEMS.c.subject_key.type)
    has_record_item = exists().where(
        ITEMS.c.subject == AlertSubject.CORRECTION, ITEMS.c.subject_key == key
    )
    records = read_frame(
        connection,
        select(
            key.label("subject_key"),
            QUARANTINE.c.clinic_id,
            QUARANTINE.c.quarantined_at.label("landed_at"),
        ).where(unresolved(), ~has_record_item, *_records_in(scope)),
        pl.Schema(
            {
                "subject_key": pl.String(),
                "clinic_id": pl.String(),
                "landed_at": pl.Datetime("us", "UTC"),
            }
        ),
    ).with_columns(
        pl.lit(AlertSubject.CORRECTION.value).alias("subject"),
        pl.lit(Triage.URGENT.value).alias("level"),
    )
    opened = _insert_items(
        connection,
        pl.concat(
            [cases.select(CANDIDATE_SCHEMA.names()), records.select(CANDIDATE_SCHEMA.names())]
        ),
        policy,
        now,
    )
    return Opened(opened, _reopen_raised(connection, policy, now, ids))


def _case_ids(connection: Connection, scope: Scope) -> list[str]:
    """The intake ids of the scope's cases: its own, and those of the cases of its files."""
    ids = list(scope.case_ids)
    if scope.case_files:
        of_files = select(CASES.c.intake_id).where(CASES.c.file_id.in_(scope.case_files))
        ids += connection.execute(of_files).scalars()
    return ids


def _keys_in(connection: Connection, key: ColumnElement[str], ids: list[str] | None) -> list[Any]:
    """`key` among the scope's intake ids (no condition for a pass over every case). The ids
    go in as one list the database starts from, through the key's unique index."""
    return [] if ids is None else [one_of(connection, key, ids)]


def _triage_is(condition: ColumnElement[bool], ids: list[str] | None) -> list[Any]:
    """`condition` on the triage in SQL for a pass over every case only. With a scope the
    caller filters the scope's few rows itself: SQLite, without statistics, would rather walk
    the triage index through every classified case than start from the scope's cases."""
    return [condition] if ids is None else []


def _records_in(scope: Scope | None) -> list[Any]:
    return [] if scope is None else [QUARANTINE.c.file_id.in_(scope.record_files)]


def _reopen_raised(
    connection: Connection, policy: DuePolicy, now: dt.datetime, ids: list[str] | None
) -> int:
    raised = connection.execute(
        select(
            ITEMS.c.id,
            ITEMS.c.state,
            ITEMS.c.level,
            ITEMS.c.version,
            CLASSIFICATIONS.c.triage,
            _current_version_received().label("landed_at"),
        )
        .select_from(
            ITEMS.join(
                CASES,
                (ITEMS.c.subject == AlertSubject.CASE) & (ITEMS.c.subject_key == CASES.c.intake_id),
            ).join(CLASSIFICATIONS)
        )
        .where(
            ITEMS.c.level == Triage.EVALUATE.value,
            *_triage_is(CLASSIFICATIONS.c.triage == Triage.URGENT.value, ids),
            # On the items' key: PostgreSQL otherwise walks every evaluate item first.
            *_keys_in(connection, ITEMS.c.subject_key, ids),
        )
    ).all()
    raised = [row for row in raised if TRIAGE_RANK[row.triage] > TRIAGE_RANK[row.level]]
    for row in raised:
        landed = row.landed_at if row.landed_at.tzinfo else row.landed_at.replace(tzinfo=dt.UTC)
        connection.execute(
            update(ITEMS)
            .where(ITEMS.c.id == row.id)
            .values(
                level=row.triage,
                state=FollowUpState.OPEN,
                outcome=None,
                due_at=landed + policy.allowed(row.triage),
                changed_at=now,
                changed_by=PIPELINE,
                version=row.version + 1,
            )
        )
        connection.execute(
            insert(EVENTS).values(
                item_id=row.id,
                at=now,
                by=PIPELINE,
                state_from=row.state,
                state_to=FollowUpState.OPEN,
                level=row.triage,
                outcome=None,
                note=f"reopened: the triage rose from {row.level} to {row.triage}",
            )
        )
    return len(raised)


def change_state(
    connection: Connection,
    item_id: int,
    version: int,
    *,
    to: str,
    by: str,
    now: dt.datetime,
    outcome: str | None = None,
    note: str | None = None,
) -> int:
    """A person moves an item to `to` (closing with an outcome, a short note optional), if it
    is still at `version`; returns the new version. Raises `FollowUpError` for a change the
    rules forbid and `ChangedMeanwhile` if someone changed the item first."""
    row = connection.execute(select(ITEMS).where(ITEMS.c.id == item_id)).one()
    if row.version != version:
        raise ChangedMeanwhile(row.state, row.changed_by, row.changed_at)
    check_change(row.state, to, outcome)
    changed = connection.execute(
        update(ITEMS)
        .where(ITEMS.c.id == item_id, ITEMS.c.version == version)
        .values(
            state=to, outcome=outcome, note=note, changed_at=now, changed_by=by, version=version + 1
        )
    )
    if changed.rowcount != 1:  # changed between the read and the write (PostgreSQL)
        fresh = connection.execute(select(ITEMS).where(ITEMS.c.id == item_id)).one()
        raise ChangedMeanwhile(fresh.state, fresh.changed_by, fresh.changed_at)
    connection.execute(
        insert(EVENTS).values(
            item_id=item_id,
            at=now,
            by=by,
            state_from=row.state,
            state_to=to,
            level=row.level,
            outcome=outcome,
            note=note,
        )
    )
    return version + 1
