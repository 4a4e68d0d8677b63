"""A rules change is reviewed before it touches a case: impact reports (`rules_impact_reports`),
approvals (`rules_approvals`, the newest is the version in force) and the audit events
`rules_approved` and `rules_change_opened`.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 15:50:00.000000
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from db.migration_ops import allow_audit_events

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = (
    "sign_in",
    "sign_in_failed",
    "worklist_opened",
    "export",
    "case_opened",
    "follow_up_changed",
    "case_searched",
)
AFTER = (*BEFORE, "rules_approved", "rules_change_opened")
JSON_DOCUMENT = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "rules_impact_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("in_force_version", sa.String(32), nullable=False),
        sa.Column("candidate_version", sa.String(32), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("mechanism_changes", sa.Integer(), nullable=False),
        sa.Column("triage_changes", sa.Integer(), nullable=False),
        sa.Column("triage_downgrades", sa.Integer(), nullable=False),
        sa.Column("report", JSON_DOCUMENT, nullable=False),
        sa.Column("markdown", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rules_impact_reports")),
    )
    op.create_index(
        op.f("ix_rules_impact_reports_candidate_version_made_at"),
        "rules_impact_reports",
        ["candidate_version", "made_at"],
    )
    op.create_table(
        "rules_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("replaces", sa.String(32), nullable=True),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("approved_by", sa.String(128), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("accepted_downgrades", sa.Boolean(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["rules_impact_reports.id"],
            name=op.f("fk_rules_approvals_report_id_rules_impact_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rules_approvals")),
    )
    op.create_index(op.f("ix_rules_approvals_approved_at"), "rules_approvals", ["approved_at"])
    allow_audit_events(AFTER, BEFORE)
    # A database with classifications takes up the version most of its cases are classified by
    # as the version in force: no report, no approval needed for it.
    _take_up_the_version_in_use()


def _take_up_the_version_in_use() -> None:
    """The version most cases are classified by is in force (ties: the greater version)."""
    bind = op.get_bind()
    in_use = bind.execute(
        sa.text(
            "SELECT rules_version FROM case_classifications GROUP BY rules_version "
            "ORDER BY count(*) DESC, rules_version DESC LIMIT 1"
        )
    ).scalar()
    if in_use is None:
        return
    approvals = sa.table(
        "rules_approvals",
        sa.column("version", sa.String),
        sa.column("approved_by", sa.String),
        sa.column("reason", sa.Text),
        sa.column("accepted_downgrades", sa.Boolean),
        sa.column("approved_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(
        approvals,
        [
            {
                "version": in_use,
                "approved_by": "migration 0010",
                "reason": "in use when approvals began: the version most cases were classified by",
                "accepted_downgrades": False,
                "approved_at": dt.datetime.now(dt.UTC),
            }
        ],
    )


def downgrade() -> None:
    op.execute(
        sa.text("DELETE FROM audit_events WHERE event IN ('rules_approved', 'rules_change_opened')")
    )
    allow_audit_events(BEFORE, AFTER)
    op.drop_index(op.f("ix_rules_approvals_approved_at"), table_name="rules_approvals")
    op.drop_table("rules_approvals")
    op.drop_index(
        op.f("ix_rules_impact_reports_candidate_version_made_at"),
        table_name="rules_impact_reports",
    )
    op.drop_table("rules_impact_reports")
