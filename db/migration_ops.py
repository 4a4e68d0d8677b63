"""Schema operations more than one migration does: changing the audit events allowed."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.checks import allowed_values_checks

CHECK = "ck_audit_events_audit_event"


def allow_audit_events(events: tuple[str, ...], existing: tuple[str, ...]) -> None:
    """Allow exactly `events` in `audit_events.event` (CHECK and column width), where
    `existing` were allowed before; on SQLite by rebuilding the table."""
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
