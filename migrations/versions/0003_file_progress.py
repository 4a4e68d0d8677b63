"""File progress: when a file's cases were classified and when the daily counts took them in,
so a re-run of unchanged files does no classification or counting work.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 21:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Files finished before this revision keep null: the next run classifies what is stale
    # among their cases (usually nothing) and refreshes their days' counts once.
    with op.batch_alter_table("ingested_files", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "classified_at",
                sa.DateTime(timezone=True),
                nullable=True,
                comment="when the cases it brought were classified",
            )
        )
        batch_op.add_column(
            sa.Column(
                "counted_at",
                sa.DateTime(timezone=True),
                nullable=True,
                comment="when the daily counts took in the cases it brought",
            )
        )


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+ has it): cheaper than a batch copy of
    # ingested_files. (A copy is safe since migrations/env.py switches SQLite's foreign keys off
    # around the run; when this was written it was not.)
    op.drop_column("ingested_files", "counted_at")
    op.drop_column("ingested_files", "classified_at")
