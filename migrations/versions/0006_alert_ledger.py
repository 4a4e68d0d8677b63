"""The alert ledger: what was announced to each clinic's alert channels, so re-runs, retries
and concurrent runs never announce a case twice and never lose one.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 13:10:00.000000
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.checks import allowed_values_checks

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUBJECTS = ("case", "correction")
LEVELS = ("urgent", "evaluate", "routine")
STATUSES = ("queued", "pending", "sent", "failed", "no_channel", "before_alerts")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(
        *values,
        name=name,
        native_enum=False,
        create_constraint=False,
        length=max(len(v) for v in values),
    )


def upgrade() -> None:
    op.create_table(
        "alert_ledger",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("subject", _enum(SUBJECTS, "alert_subject"), nullable=False),
        sa.Column(
            "subject_key",
            sa.String(256),
            nullable=False,
            comment="the case's intake_id, or the quarantined record's id",
        ),
        sa.Column("level", _enum(LEVELS, "triage"), nullable=False),
        sa.Column("clinic_id", sa.String(256), nullable=True),
        sa.Column("status", _enum(STATUSES, "alert_status"), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "claimed_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="when a run took it to send; its lease starts then",
        ),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "last_error",
            sa.String(512),
            nullable=True,
            comment="why the last send failed, without channel addresses",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_ledger")),
        sa.UniqueConstraint(
            "subject",
            "subject_key",
            "level",
            name=op.f("uq_alert_ledger_subject_subject_key_level"),
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_alert_ledger_attempts_not_negative")),
        *(
            check
            for column, values, name in (
                ("subject", SUBJECTS, "alert_subject"),
                ("level", LEVELS, "triage"),
                ("status", STATUSES, "alert_status"),
            )
            for check in _named(allowed_values_checks(column, values, name))
        ),
    )
    op.create_index(
        op.f("ix_alert_ledger_status_claimed_at"), "alert_ledger", ["status", "claimed_at"]
    )
    # Urgent cases and open red-flag records already stored were urgent before alerts existed:
    # entered as `before_alerts`, not announced now.
    _enter_urgent_subjects_as_before_alerts()


def _named(checks: list[sa.CheckConstraint]) -> list[sa.CheckConstraint]:
    for check in checks:
        check.name = op.f(f"ck_alert_ledger_{check.name}")
    return checks


def _enter_urgent_subjects_as_before_alerts() -> None:
    now = dt.datetime.now(dt.UTC)
    ledger = sa.table(
        "alert_ledger",
        *(sa.column(n) for n in ("subject", "subject_key", "level", "clinic_id", "status")),
        sa.column("queued_at", sa.DateTime(timezone=True)),
    )
    cases = sa.table("intake_cases", sa.column("intake_id"), sa.column("clinic_id"))
    classifications = sa.table("case_classifications", sa.column("intake_id"), sa.column("triage"))
    quarantine = sa.table(
        "quarantined_records", sa.column("id"), sa.column("clinic_id"), sa.column("has_red_flag")
    )
    columns = ["subject", "subject_key", "level", "clinic_id", "status", "queued_at"]
    fixed = (sa.literal("urgent"),)
    op.execute(
        ledger.insert().from_select(
            columns,
            sa.select(
                sa.literal("case"),
                cases.c.intake_id,
                *fixed,
                cases.c.clinic_id,
                sa.literal("before_alerts"),
                sa.literal(now, sa.DateTime(timezone=True)),
            )
            .select_from(
                cases.join(classifications, classifications.c.intake_id == cases.c.intake_id)
            )
            .where(classifications.c.triage == "urgent"),
        )
    )
    op.execute(
        ledger.insert().from_select(
            columns,
            sa.select(
                sa.literal("correction"),
                sa.cast(quarantine.c.id, sa.String(256)),
                *fixed,
                quarantine.c.clinic_id,
                sa.literal("before_alerts"),
                sa.literal(now, sa.DateTime(timezone=True)),
            ).where(quarantine.c.has_red_flag),
        )
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_alert_ledger_status_claimed_at"), "alert_ledger")
    op.drop_table("alert_ledger")
