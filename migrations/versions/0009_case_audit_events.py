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

from db.migration_ops import allow_audit_events

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ("sign_in", "sign_in_failed", "worklist_opened", "export")
AFTER = (*BEFORE, "case_opened", "follow_up_changed", "case_searched")


def upgrade() -> None:
    allow_audit_events(AFTER, BEFORE)


def downgrade() -> None:
    op.execute(
        sa.text(
            "DELETE FROM audit_events WHERE event IN ('case_opened', 'follow_up_changed', 'case_searched')"
        )
    )
    allow_audit_events(BEFORE, AFTER)
