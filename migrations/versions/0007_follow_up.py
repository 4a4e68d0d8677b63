"""Follow-up to closure: an item per urgent or evaluate case (and per quarantined record whose
red flag needs a correction), its state, due time and version, and the history of its changes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 13:25:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.checks import allowed_values_checks

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUBJECTS = ("case", "correction")
LEVELS = ("urgent", "evaluate", "routine")
STATES = ("open", "contacted", "closed")
OUTCOMES = ("seen_in_clinic", "sent_to_emergency", "referred_on", "unreachable", "not_needed")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(
        *values,
        name=name,
        native_enum=False,
        create_constraint=False,
        length=max(len(v) for v in values),
    )


def _checks(
    table: str, columns: Sequence[tuple[str, tuple[str, ...], str]]
) -> list[sa.CheckConstraint]:
    checks = []
    for column, values, name in columns:
        for check in allowed_values_checks(column, values, name):
            check.name = op.f(f"ck_{table}_{name}")
            checks.append(check)
    return checks


def upgrade() -> None:
    # Cases stored before this revision get their items from the next run's classification
    # step (`pipeline.follow_up.items.open_due_items`).
    op.create_table(
        "follow_up_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", _enum(SUBJECTS, "alert_subject"), nullable=False),
        sa.Column(
            "subject_key",
            sa.String(256),
            nullable=False,
            comment="the case's intake_id, or the quarantined record's id",
        ),
        sa.Column("clinic_id", sa.String(256), nullable=True),
        sa.Column(
            "level",
            _enum(LEVELS, "triage"),
            nullable=False,
            comment="the triage it was opened (or reopened) for",
        ),
        sa.Column("state", _enum(STATES, "follow_up_state"), nullable=False),
        sa.Column("outcome", _enum(OUTCOMES, "follow_up_outcome"), nullable=True),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column(
            "landed_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="when the record that opened it was received",
        ),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(128), nullable=False, comment="a user, or `pipeline`"),
        sa.Column("version", sa.Integer(), nullable=False, comment="raised by every change"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_items")),
        sa.UniqueConstraint(
            "subject", "subject_key", name=op.f("uq_follow_up_items_subject_subject_key")
        ),
        sa.CheckConstraint(
            "state <> 'closed' OR outcome IS NOT NULL",
            name=op.f("ck_follow_up_items_closed_has_outcome"),
        ),
        sa.CheckConstraint(
            "outcome IS NULL OR state = 'closed'",
            name=op.f("ck_follow_up_items_outcome_only_when_closed"),
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_follow_up_items_version_positive")),
        *_checks(
            "follow_up_items",
            (
                ("subject", SUBJECTS, "alert_subject"),
                ("level", LEVELS, "triage"),
                ("state", STATES, "follow_up_state"),
                ("outcome", OUTCOMES, "follow_up_outcome"),
            ),
        ),
    )
    op.create_index(
        op.f("ix_follow_up_items_state_level_due_at"),
        "follow_up_items",
        ["state", "level", "due_at"],
    )
    op.create_index(
        op.f("ix_follow_up_items_clinic_id_state"), "follow_up_items", ["clinic_id", "state"]
    )
    op.create_index(
        "ix_follow_up_items_worklist_order",
        "follow_up_items",
        [sa.desc(sa.column("level")), "due_at", "id"],
    )
    op.create_table(
        "follow_up_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(128), nullable=False),
        sa.Column("state_from", _enum(STATES, "follow_up_state_from"), nullable=True),
        sa.Column("state_to", _enum(STATES, "follow_up_state"), nullable=False),
        sa.Column("level", _enum(LEVELS, "triage"), nullable=False),
        sa.Column("outcome", _enum(OUTCOMES, "follow_up_outcome"), nullable=True),
        sa.Column("note", sa.String(500), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["follow_up_items.id"],
            name=op.f("fk_follow_up_events_item_id_follow_up_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_events")),
        *_checks(
            "follow_up_events",
            (
                ("state_from", STATES, "follow_up_state_from"),
                ("state_to", STATES, "follow_up_state"),
                ("level", LEVELS, "triage"),
                ("outcome", OUTCOMES, "follow_up_outcome"),
            ),
        ),
    )
    op.create_index(op.f("ix_follow_up_events_item_id_at"), "follow_up_events", ["item_id", "at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_follow_up_events_item_id_at"), "follow_up_events")
    op.drop_table("follow_up_events")
    op.drop_index("ix_follow_up_items_worklist_order", "follow_up_items")
    op.drop_index(op.f("ix_follow_up_items_clinic_id_state"), "follow_up_items")
    op.drop_index(op.f("ix_follow_up_items_state_level_due_at"), "follow_up_items")
    op.drop_table("follow_up_items")
