"""Follow-up items in the database: the pipeline opens (and reopens) them, a person changes
their state. Every change is checked against the item's `version`, so of two people changing
the same item at once the second is told who changed it first, and nothing is overwritten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import polars as pl
from sqlalchemy import Connection, exists, insert, select, update

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
from pipeline.load.bulk import bulk_insert, read_frame

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


def open_due_items(
    connection: Connection,
    policy: DuePolicy,
    now: dt.datetime,
    file_ids: Sequence[int] | None = None,
) -> Opened:
    """Open an item for every urgent or evaluate case, and every quarantined record whose red
    flag is unresolved, that has none; reopen a case's item when its triage rose since the item
    was opened (a lowered triage leaves the item as it is). Run in the classifying transaction.
    With `file_ids`, only the cases whose current version and the records those files brought
    are looked at (what a day's load classified and quarantined), not every case."""
    if file_ids is not None and not file_ids:
        return Opened(0, 0)
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
        .where(CLASSIFICATIONS.c.triage.in_(FOLLOW_UP_LEVELS), ~has_item)
        .where(*_scope(CASES.c.file_id, file_ids)),
        pl.Schema({n: t for n, t in CANDIDATE_SCHEMA.items() if n != "subject"}),
    ).with_columns(pl.lit(AlertSubject.CASE.value).alias("subject"))
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
        ).where(unresolved(), ~has_record_item, *_scope(QUARANTINE.c.file_id, file_ids)),
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
    return Opened(opened, _reopen_raised(connection, policy, now, file_ids))


def _scope(file_id: Any, file_ids: Sequence[int] | None) -> list[Any]:
    return [] if file_ids is None else [file_id.in_(file_ids)]


def _reopen_raised(
    connection: Connection, policy: DuePolicy, now: dt.datetime, file_ids: Sequence[int] | None
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
            CLASSIFICATIONS.c.triage == Triage.URGENT.value,
            *_scope(CASES.c.file_id, file_ids),
        )
    ).all()
    for row in raised:
        if TRIAGE_RANK[row.triage] <= TRIAGE_RANK[row.level]:
            continue
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
