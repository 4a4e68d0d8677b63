"""The follow-up worklist's and the case view's questions to the database, and nothing else. Not
cached: a state change shows at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

import polars as pl
from sqlalchemy import ColumnElement, Integer, Select, case, cast, func, or_, select

from dashboards.database import engine_for
from dashboards.queries import as_utc
from dashboards.settings import WORKLIST_PAGE_SIZE
from db.models import (
    CaseClassification,
    CaseVersion,
    FollowUpEvent,
    FollowUpItem,
    IngestedFile,
    IntakeCase,
    QuarantinedRecord,
    table_of,
)
from db.states import AlertSubject, FollowUpState
from pipeline.contract.fields import FIELD_NAMES

ITEMS = table_of(FollowUpItem)
EVENTS = table_of(FollowUpEvent)
CASES = table_of(IntakeCase)
VERSION_ONLY = ("id", "received_at")
"""Columns of a case version that are not the case's content."""
VERSIONS = table_of(CaseVersion)
CLASSIFICATIONS = table_of(CaseClassification)
QUARANTINE = table_of(QuarantinedRecord)
FILES = table_of(IngestedFile)

STATE_GROUPS: Final = {
    "open": (FollowUpState.OPEN, FollowUpState.CONTACTED),
    "closed": (FollowUpState.CLOSED,),
    "all": tuple(FollowUpState),
}
"""What the worklist's "Show" choice lists: open (the default: not yet closed), closed, all."""

ITEM_SCHEMA: Final = pl.Schema(
    {
        "item_id": pl.Int64(),
        "version": pl.Int64(),
        "subject": pl.String(),
        "subject_key": pl.String(),
        "clinic_id": pl.String(),
        "level": pl.String(),
        "state": pl.String(),
        "outcome": pl.String(),
        "landed_at": pl.Datetime("us", "UTC"),
        "due_at": pl.Datetime("us", "UTC"),
        "changed_by": pl.String(),
        "changed_at": pl.Datetime("us", "UTC"),
        "patient_ref": pl.String(),
        "triage_now": pl.String(),
        "triage_reasons": pl.List(pl.String()),
        "red_flags": pl.List(pl.String()),
        "intake_id": pl.String(),
    }
)
"""One listed item: the item, and its case's patient ref and current triage (or, for a
record needing correction, its red flags and intake id as received)."""


@dataclass(frozen=True, slots=True)
class ItemQuery:
    """Which items to list: the state group, the clinics (empty: all), the levels (empty:
    both), and an intake id or patient ref to find (exact)."""

    show: str = "open"
    clinics: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    find: str = ""

    def as_record(self) -> dict[str, Any]:
        return {
            "show": self.show,
            "clinics": list(self.clinics),
            "levels": list(self.levels),
            "find": self.find or None,
        }


@dataclass(frozen=True, slots=True)
class ItemPage:
    items: pl.DataFrame
    total: int


def _record_id() -> ColumnElement[Any]:
    """The quarantined record an item is about (NULL for a case's item)."""
    numeric = case((ITEMS.c.subject == AlertSubject.CORRECTION, ITEMS.c.subject_key), else_=None)
    return cast(numeric, Integer)


def _joined() -> Any:
    return (
        ITEMS.outerjoin(
            CASES,
            (ITEMS.c.subject == AlertSubject.CASE) & (CASES.c.intake_id == ITEMS.c.subject_key),
        )
        .outerjoin(CLASSIFICATIONS, CLASSIFICATIONS.c.intake_id == CASES.c.intake_id)
        .outerjoin(QUARANTINE, QUARANTINE.c.id == _record_id())
    )


def _conditions(query: ItemQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [ITEMS.c.state.in_(STATE_GROUPS[query.show])]
    if query.clinics:
        conditions.append(ITEMS.c.clinic_id.in_(query.clinics))
    if query.levels:
        conditions.append(ITEMS.c.level.in_(query.levels))
    if query.find:
        conditions.append(
            or_(
                ITEMS.c.subject_key == query.find,
                CASES.c.patient_ref == query.find,
                QUARANTINE.c.intake_id == query.find,
            )
        )
    return conditions


def _listing() -> Select[Any]:
    return select(
        ITEMS.c.id.label("item_id"),
        ITEMS.c.version,
        ITEMS.c.subject,
        ITEMS.c.subject_key,
        ITEMS.c.clinic_id,
        ITEMS.c.level,
        ITEMS.c.state,
        ITEMS.c.outcome,
        ITEMS.c.landed_at,
        ITEMS.c.due_at,
        ITEMS.c.changed_by,
        ITEMS.c.changed_at,
        CASES.c.patient_ref,
        CLASSIFICATIONS.c.triage.label("triage_now"),
        CLASSIFICATIONS.c.triage_reasons,
        QUARANTINE.c.red_flags,
        func.coalesce(CASES.c.intake_id, QUARANTINE.c.intake_id).label("intake_id"),
    ).select_from(_joined())


def item_page(url: str, query: ItemQuery, page: int) -> ItemPage:
    """Page `page` (from 1) of the items the query matches: not closed first, urgent first,
    then due soonest (the longest waiting of each level)."""
    conditions = _conditions(query)
    # "urgent" sorts after "evaluate", so level DESC puts urgent first: the order of the
    # `ix_follow_up_items_worklist_order` index, which a page is read from without sorting
    # every open item. Only "all" puts the closed ones last, and pays for a sort.
    order = [ITEMS.c.level.desc(), ITEMS.c.due_at, ITEMS.c.id]
    if query.show == "all":
        order.insert(0, case((ITEMS.c.state == FollowUpState.CLOSED, 1), else_=0))
    ordered = _listing().where(*conditions).order_by(*order)
    # Only a lookup needs the cases to count: otherwise the items alone say how many.
    counted = _joined() if query.find else ITEMS
    with engine_for(url).connect() as connection:
        total = connection.execute(
            select(func.count()).select_from(counted).where(*conditions)
        ).scalar_one()
        rows = connection.execute(
            ordered.limit(WORKLIST_PAGE_SIZE).offset((max(page, 1) - 1) * WORKLIST_PAGE_SIZE)
        ).all()
    return ItemPage(_frame([r._asdict() for r in rows]), int(total))


def overdue_urgent_per_clinic(url: str, now: dt.datetime) -> pl.DataFrame:
    """Urgent items not closed and past their due time, per clinic."""
    query = (
        select(ITEMS.c.clinic_id, func.count().label("items"))
        .where(
            ITEMS.c.state != FollowUpState.CLOSED, ITEMS.c.level == "urgent", ITEMS.c.due_at < now
        )
        .group_by(ITEMS.c.clinic_id)
        .order_by(ITEMS.c.clinic_id)
    )
    with engine_for(url).connect() as connection:
        rows = connection.execute(query).all()
    return pl.DataFrame(
        [r._asdict() for r in rows], schema={"clinic_id": pl.String, "items": pl.Int64}
    )


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """Everything the case view shows of one case."""

    item: dict[str, Any] | None
    current: dict[str, Any] | None
    classification: dict[str, Any] | None
    versions: list[dict[str, Any]]
    quarantined: list[dict[str, Any]]
    history: list[dict[str, Any]]


def case_record(url: str, intake_id: str) -> CaseRecord:
    """A case's current content and classification, every version (with its file), the
    quarantined records with its intake id, and the follow-up item with its history."""
    with engine_for(url).connect() as connection:
        current = connection.execute(
            select(
                *(c for c in VERSIONS.c if c.name not in CASES.c and c.name not in VERSION_ONLY),
                *CASES.c,
            )
            .select_from(
                CASES.join(
                    VERSIONS,
                    (VERSIONS.c.intake_id == CASES.c.intake_id)
                    & (VERSIONS.c.version == CASES.c.version),
                )
            )
            .where(CASES.c.intake_id == intake_id)
        ).first()
        classification = connection.execute(
            select(CLASSIFICATIONS).where(CLASSIFICATIONS.c.intake_id == intake_id)
        ).first()
        versions = connection.execute(
            select(
                *(VERSIONS.c[name] for name in FIELD_NAMES),
                VERSIONS.c.version,
                VERSIONS.c.received_at,
                FILES.c.source_path,
            )
            .select_from(VERSIONS.join(FILES))
            .where(VERSIONS.c.intake_id == intake_id)
            .order_by(VERSIONS.c.version)
        ).all()
        quarantined = connection.execute(
            select(
                QUARANTINE.c.id,
                QUARANTINE.c.line_number,
                QUARANTINE.c.reasons,
                QUARANTINE.c.red_flags,
                QUARANTINE.c.quarantined_at,
                FILES.c.source_path,
            )
            .select_from(QUARANTINE.join(FILES))
            .where(QUARANTINE.c.intake_id == intake_id)
            .order_by(QUARANTINE.c.quarantined_at)
        ).all()
        record_ids = [str(r.id) for r in quarantined]
        item = connection.execute(
            select(ITEMS)
            .where(
                or_(
                    (ITEMS.c.subject == AlertSubject.CASE) & (ITEMS.c.subject_key == intake_id),
                    (ITEMS.c.subject == AlertSubject.CORRECTION)
                    & ITEMS.c.subject_key.in_(record_ids),
                )
            )
            .order_by(case((ITEMS.c.subject == AlertSubject.CASE, 0), else_=1))
        ).first()
        history = (
            connection.execute(
                select(EVENTS).where(EVENTS.c.item_id == item.id).order_by(EVENTS.c.at, EVENTS.c.id)
            ).all()
            if item is not None
            else []
        )
    return CaseRecord(
        item=item._asdict() if item else None,
        current=current._asdict() if current else None,
        classification=classification._asdict() if classification else None,
        versions=[v._asdict() for v in versions],
        quarantined=[q._asdict() for q in quarantined],
        history=[h._asdict() for h in history],
    )


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    lists = ("triage_reasons", "red_flags")
    fixed = [
        {k: (list(v or []) if k in lists else as_utc(v)) for k, v in row.items()} for row in rows
    ]
    return pl.DataFrame(fixed, schema=ITEM_SCHEMA)
