"""The alert ledger in the database: new urgent subjects are queued once (a unique key per subject
and level), a run claims what is due with a lease, and records how each send went."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Connection, and_, exists, func, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from db.models import AlertLedgerEntry, CaseClassification, IntakeCase, QuarantinedRecord, table_of
from db.needs_correction import unresolved
from db.states import AlertStatus, AlertSubject
from pipeline.contract.outputs import Triage

LEDGER = table_of(AlertLedgerEntry)
CASES = table_of(IntakeCase)
CLASSIFICATIONS = table_of(CaseClassification)
QUARANTINE = table_of(QuarantinedRecord)
LEASE: Final = dt.timedelta(minutes=10)
"""How long a claimed item is left to the run that claimed it before another may send it."""
ERROR_LENGTH: Final = 512
WAITING: Final = (AlertStatus.QUEUED, AlertStatus.FAILED, AlertStatus.PENDING)
"""Statuses of an item still to be sent (a pending one's round may have died)."""


@dataclass(frozen=True, slots=True)
class Claimed:
    """An item a run has claimed to send."""

    id: int
    subject: str
    clinic_id: str | None


def _insert_ignoring_known(connection: Connection, query: Any) -> int:
    dialect_insert: Any = (
        postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    )
    columns = ["subject", "subject_key", "level", "clinic_id", "status", "queued_at"]
    statement = dialect_insert(LEDGER).from_select(columns, query).on_conflict_do_nothing()
    # rowcount of INSERT ... SELECT is not reported by every driver; RETURNING is.
    return len(connection.execute(statement.returning(LEDGER.c.id)).all())


def _unannounced_cases() -> Any:
    known_case = exists().where(
        LEDGER.c.subject == AlertSubject.CASE,
        LEDGER.c.subject_key == CASES.c.intake_id,
        LEDGER.c.level == Triage.URGENT.value,
    )
    return (
        select(CASES.c.intake_id)
        .select_from(CASES.join(CLASSIFICATIONS))
        .where(CLASSIFICATIONS.c.triage == Triage.URGENT.value, ~known_case)
    )


def anything_due(connection: Connection) -> bool:
    """Whether a round has work: an urgent case or open red-flag record never announced, or an
    item waiting to be sent (queued, failed, or claimed by a round that may have died)."""
    waiting = select(LEDGER.c.id).where(LEDGER.c.status.in_(WAITING))
    known_record = exists().where(
        LEDGER.c.subject == AlertSubject.CORRECTION,
        LEDGER.c.subject_key == func.cast(QUARANTINE.c.id, LEDGER.c.subject_key.type),
    )
    records = select(QUARANTINE.c.id).where(unresolved(), ~known_record)
    return any(
        connection.execute(query.limit(1)).first() is not None
        for query in (waiting, _unannounced_cases(), records)
    )


def queue_new(connection: Connection, now: dt.datetime) -> int:
    """Queue every urgent case and every open red-flag record not in the ledger yet. Returns
    how many were queued."""
    stamp = literal(now, LEDGER.c.queued_at.type)
    urgent = literal(Triage.URGENT.value)
    queued = literal(AlertStatus.QUEUED.value)
    cases = _unannounced_cases().with_only_columns(
        literal(AlertSubject.CASE.value),
        CASES.c.intake_id,
        urgent,
        CASES.c.clinic_id,
        queued,
        stamp,
    )
    key = func.cast(QUARANTINE.c.id, LEDGER.c.subject_key.type)
    known_record = exists().where(
        LEDGER.c.subject == AlertSubject.CORRECTION,
        LEDGER.c.subject_key == key,
        LEDGER.c.level == urgent,
    )
    records = select(
        literal(AlertSubject.CORRECTION.value), key, urgent, QUARANTINE.c.clinic_id, queued, stamp
    ).where(unresolved(), ~known_record)
    return _insert_ignoring_known(connection, cases) + _insert_ignoring_known(connection, records)


def claim_due(connection: Connection, now: dt.datetime) -> list[Claimed]:
    """Claim every item due: queued and failed ones, and pending ones whose lease ran out. Run
    in a transaction that holds the pipeline's shared lock, so two runs never claim the same
    item."""
    due = or_(
        LEDGER.c.status.in_((AlertStatus.QUEUED, AlertStatus.FAILED)),
        # A run killed after sending but before recording leaves its items pending: once the
        # lease has run out the next run sends them again (at most one duplicate, never a loss).
        and_(LEDGER.c.status == AlertStatus.PENDING, LEDGER.c.claimed_at < now - LEASE),
    )
    rows = connection.execute(
        select(LEDGER.c.id, LEDGER.c.subject, LEDGER.c.clinic_id).where(due).order_by(LEDGER.c.id)
    ).all()
    if rows:
        connection.execute(
            update(LEDGER)
            .where(LEDGER.c.id.in_([r.id for r in rows]))
            .values(status=AlertStatus.PENDING, claimed_at=now, attempts=LEDGER.c.attempts + 1)
        )
    return [Claimed(r.id, r.subject, r.clinic_id) for r in rows]


def record(
    connection: Connection,
    ids: list[int],
    status: str,
    now: dt.datetime,
    error: str | None = None,
) -> None:
    """Record how sending the claimed items `ids` went (`sent`, `failed` or `no_channel`)."""
    if not ids:
        return
    values: dict[str, Any] = {"status": status, "last_error": error and error[:ERROR_LENGTH]}
    if status == AlertStatus.SENT:
        values["sent_at"] = now
    connection.execute(update(LEDGER).where(LEDGER.c.id.in_(ids)).values(**values))


def status_counts(connection: Connection) -> list[dict[str, Any]]:
    """Items per clinic and status, with the last error and the newest send."""
    rows = connection.execute(
        select(
            LEDGER.c.clinic_id,
            LEDGER.c.status,
            func.count().label("items"),
            func.max(LEDGER.c.sent_at).label("last_sent_at"),
            func.max(LEDGER.c.last_error).label("last_error"),
        )
        .group_by(LEDGER.c.clinic_id, LEDGER.c.status)
        .order_by(LEDGER.c.clinic_id, LEDGER.c.status)
    ).all()
    return [dict(r._mapping) for r in rows]


__all__ = ["LEASE", "Claimed", "claim_due", "queue_new", "record", "status_counts"]
