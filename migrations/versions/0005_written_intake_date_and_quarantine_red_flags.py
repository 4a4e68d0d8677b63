"""The date of intake is the date written in intake_at (a new column comment), and a
quarantined record keeps its clinic and the red flags its text still shows.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 13:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JsonDocument = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
WRITTEN = "the calendar date written in intake_at: the clinic's day of intake"
UTC = "UTC date of intake_at"
CONTENT_TABLES = ("intake_cases", "case_versions", "validated_records")


def _comment(table: str, new: str, old: str) -> None:
    op.alter_column(
        table,
        "intake_date",
        existing_type=sa.Date(),
        existing_nullable=False,
        comment=new,
        existing_comment=old,
    )


def upgrade() -> None:
    # Quarantined records stored before get no red flags here (their CSV lines are kept without
    # the header naming their columns): `intake rerun` re-reads a file from the landing store
    # for that and for the written date of intake (docs/operations.md).
    if op.get_bind().dialect.name == "postgresql":  # SQLite keeps no column comments
        for table in CONTENT_TABLES:
            _comment(table, WRITTEN, UTC)
    op.add_column(
        "quarantined_records",
        sa.Column("clinic_id", sa.String(256), nullable=True, comment="as received, if any"),
    )
    op.add_column(
        "quarantined_records",
        sa.Column(
            "red_flags",
            JsonDocument,
            nullable=False,
            server_default=sa.text("'[]'"),
            comment="red flags its text still shows (triage reasons)",
        ),
    )
    op.add_column(
        "quarantined_records",
        sa.Column(
            "has_red_flag",
            sa.Boolean(),
            nullable=False,
            server_default=sa.false(),
            comment="red_flags is not empty: urgent, the record needs correction",
        ),
    )
    op.create_index(
        op.f("ix_quarantined_records_has_red_flag_intake_id"),
        "quarantined_records",
        ["has_red_flag", "intake_id"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_quarantined_records_has_red_flag_intake_id"), "quarantined_records")
    op.drop_column("quarantined_records", "has_red_flag")
    op.drop_column("quarantined_records", "red_flags")
    op.drop_column("quarantined_records", "clinic_id")
    if op.get_bind().dialect.name == "postgresql":
        for table in CONTENT_TABLES:
            _comment(table, UTC, WRITTEN)
