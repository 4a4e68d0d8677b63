"""Audit events for working the red flags: opening a case (`case_opened`), changing a follow-up
item (`follow_up_changed`) and looking a case up (`case_searched`).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 13:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.checks import allowed_values_checks

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ("sign_in", "sign_in_failed", "worklist_opened", "export")
AFTER = (*BEFORE, "case_opened", "follow_up_changed", "case_searched")
CHECK = "ck_audit_events_audit_event"


def _allow(events: tuple[str, ...], existing: tuple[str, ...]) -> None:
    dialect = op.get_bind().dialect.name
    (check,) = (
        c
        for c in allowed_values_checks("event", events, "audit_event")
        if c._ddl_if is not None and c._ddl_if.dialect == dialect  # the half for this database
    )
    width = max(len(e) for e in events)
    old_width = max(len(e) for e in existing)
    sqltext = str(check.sqltext)
    if dialect == "sqlite":  # a CHECK is changed by rebuilding the table
        with op.batch_alter_table("audit_events", recreate="always") as batch_op:
            batch_op.drop_constraint(op.f(CHECK), type_="check")
            batch_op.alter_column(
                "event", type_=sa.String(width), existing_type=sa.String(old_width)
            )
            batch_op.create_check_constraint(op.f(CHECK), sqltext)
        return
    op.drop_constraint(op.f(CHECK), "audit_events", type_="check")
    op.alter_column(
        "audit_events", "event", type_=sa.String(width), existing_type=sa.String(old_width)
    )
    op.create_check_constraint(op.f(CHECK), "audit_events", sqltext)


def upgrade() -> None:
    _allow(AFTER, BEFORE)


def downgrade() -> None:
    op.execute(
        sa.text(
            "DELETE FROM audit_events WHERE event IN ('case_opened', 'follow_up_changed', 'case_searched')"
        )
    )
    _allow(BEFORE, AFTER)
