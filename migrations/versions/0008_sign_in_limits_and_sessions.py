"""Sign-in limits and sessions: failed sign-ins counted per user name and per client address,
with the temporary lockout after a burst of them, and the signed-in browsers, each known by the
hash of the token in its signed, HttpOnly cookie.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 12:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.checks import allowed_values_checks

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_limits",
        sa.Column(
            "scope",
            sa.Enum("username", "address", name="limit_scope", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_sign_in_limits")),
        *allowed_values_checks(
            "scope", ("username", "address"), op.f("ck_sign_in_limits_limit_scope")
        ),
    )

    op.create_table(
        "dashboard_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=128), nullable=False),
        sa.Column(
            "method",
            sa.Enum("password", "oidc", name="sign_in_method", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("collected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_dashboard_sessions")),
        *allowed_values_checks(
            "method", ("password", "oidc"), op.f("ck_dashboard_sessions_sign_in_method")
        ),
    )
    op.create_index(
        op.f("ix_dashboard_sessions_username"), "dashboard_sessions", ["username"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_dashboard_sessions_username"), table_name="dashboard_sessions")
    op.drop_table("dashboard_sessions")
    op.drop_table("sign_in_limits")
