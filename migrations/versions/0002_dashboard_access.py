"""Dashboard access: the users who may sign in (with their role and password hash), the
audit record of sign-ins, worklist openings and exports, and the covering index the
dashboard's counts are read from.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 19:34:55.524656
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dashboard_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=128), nullable=False),
        sa.Column(
            "role",
            sa.Enum("admin", "viewer", name="role", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("password_hash", sa.String(length=256), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_users")),
        sa.UniqueConstraint("username", name=op.f("uq_dashboard_users_username")),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("username", sa.String(length=128), nullable=False),
        sa.Column(
            "event",
            sa.Enum(
                "sign_in",
                "sign_in_failed",
                "worklist_opened",
                "export",
                name="audit_event",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "filters",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_events_username_event_at"),
            ["username", "event", "at"],
            unique=False,
        )
    with op.batch_alter_table("daily_case_counts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_daily_case_counts_dashboard",
            [
                "intake_date",
                "mechanism",
                "triage",
                "clinic_id",
                "knee_injury",
                "age_band",
                "sex",
                "cases",
            ],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("daily_case_counts", schema=None) as batch_op:
        batch_op.drop_index("ix_daily_case_counts_dashboard")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_username_event_at"))
        batch_op.drop_index(batch_op.f("ix_audit_events_at"))
    op.drop_table("audit_events")
    op.drop_table("dashboard_users")
