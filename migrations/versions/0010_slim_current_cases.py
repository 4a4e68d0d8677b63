"""Each record is written once: the staging table `validated_records` goes, and `intake_cases`
keeps only the current version's key and the fields the dashboard filters and sorts by; the
rest of a case is read from its version.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 15:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from db.checks import allowed_values_checks, id_alphabet_checks
from pipeline.contract import fields as c

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WRITTEN = "the calendar date written in intake_at: the clinic's day of intake"
HASH_COMMENT = "sha256 of the record's contract fields, to tell re-sends"
ENUMS: dict[str, tuple[tuple[str, ...], str]] = {
    "knee_side": (c.KNEE_SIDES, "knee_side"),
    "hip_pain_side": (c.HIP_PAIN_SIDES, "hip_pain_side"),
    "hip_pain_location": (c.HIP_PAIN_LOCATIONS, "hip_pain_location"),
    "pain_trend": (c.PAIN_TRENDS, "pain_trend"),
    "hip_rom": (c.HIP_ROM, "hip_rom"),
    "hip_provocation": (c.HIP_PROVOCATION, "hip_provocation"),
    "femoral_rotation": (c.FEMORAL_ROTATION, "femoral_rotation"),
    "knee_alignment": (c.KNEE_ALIGNMENT, "knee_alignment"),
    "weight_bearing": (c.WEIGHT_BEARING, "weight_bearing"),
}
"""The enum columns intake_cases loses: column -> (allowed values, enum and check name)."""
RANGE_CHECKS = {
    "pain_score_range": "pain_score BETWEEN 0 AND 10",
    "temperature_range": "temperature_c IS NULL OR temperature_c BETWEEN 30.0 AND 45.0",
    "injury_not_after_intake": "injury_date <= intake_date",
    "onset_not_after_intake": "hip_pain_onset_date <= intake_date",
    "notes_length": "length(notes) <= 2000",
}
"""The checks on the columns intake_cases loses, as revision 0009 has them."""


def _enum_type(column: str) -> sa.Enum:
    allowed, name = ENUMS[column]
    return sa.Enum(
        *allowed,
        name=name,
        native_enum=False,
        create_constraint=False,
        length=max(len(v) for v in allowed),
    )


def _dropped_columns() -> list[sa.Column[Any]]:
    """The content columns intake_cases has up to revision 0009 and loses here, as it had
    them (all but `intake_id` and `CASE_FIELDS`)."""

    def col(name: str, kind: sa.types.TypeEngine[Any], nullable: bool) -> sa.Column[Any]:
        return sa.Column(name, kind, nullable=nullable)

    return [
        col("knee_side", _enum_type("knee_side"), False),
        col("injury_date", sa.Date(), False),
        col("knee_instability", sa.Boolean(), False),
        col("knee_effusion", sa.Boolean(), True),
        col("hip_pain_side", _enum_type("hip_pain_side"), False),
        col("hip_pain_onset_date", sa.Date(), False),
        col("hip_pain_location", _enum_type("hip_pain_location"), False),
        col("pain_score", sa.SmallInteger(), False),
        col("pain_trend", _enum_type("pain_trend"), False),
        col("worse_with_walking", sa.Boolean(), True),
        col("antalgic_gait", sa.Boolean(), False),
        col("trendelenburg_sign", sa.Boolean(), True),
        col("trochanteric_tenderness", sa.Boolean(), True),
        col("hip_rom", _enum_type("hip_rom"), True),
        col("hip_provocation", _enum_type("hip_provocation"), True),
        col("knee_provocation_reproduces_hip_pain", sa.Boolean(), True),
        col("femoral_rotation", _enum_type("femoral_rotation"), True),
        col("knee_alignment", _enum_type("knee_alignment"), True),
        col("weight_bearing", _enum_type("weight_bearing"), False),
        col("temperature_c", sa.Float(), True),
        col("fever_reported", sa.Boolean(), True),
        col("rest_tried", sa.Boolean(), False),
        col("notes", sa.String(2000), True),
        sa.Column("content_hash", sa.String(64), nullable=False, comment=HASH_COMMENT),
    ]


def _checks_sql(dialect: str) -> dict[str, str]:
    """The name (without table prefix) and SQL of each check on the dropped columns."""
    checks = dict(RANGE_CHECKS)
    for column, (allowed, name) in ENUMS.items():
        (check,) = (
            k
            for k in allowed_values_checks(column, allowed, name)
            if k._ddl_if is not None and k._ddl_if.dialect == dialect
        )
        checks[name] = str(check.sqltext)
    return checks


def upgrade() -> None:
    bind = op.get_bind()
    # A file staged but not merged (`validated`) goes back to `landed`, its quarantined records
    # removed, so the next run reads it again from the landing store. The columns kept keep
    # their values.
    files_staged = sa.text("SELECT id FROM ingested_files WHERE status = 'validated'")
    op.execute(sa.text(f"DELETE FROM quarantined_records WHERE file_id IN ({files_staged})"))
    op.execute(sa.text("UPDATE ingested_files SET status = 'landed' WHERE status = 'validated'"))
    op.drop_table("validated_records")
    names = list(_checks_sql(bind.dialect.name))
    columns = [column.name for column in _dropped_columns()]
    if bind.dialect.name == "sqlite":  # a column or CHECK goes by rebuilding the table
        with op.batch_alter_table("intake_cases", recreate="always") as batch_op:
            for name in names:
                batch_op.drop_constraint(op.f(f"ck_intake_cases_{name}"), type_="check")
            for column in columns:
                batch_op.drop_column(column)
        return
    for name in names:
        op.drop_constraint(op.f(f"ck_intake_cases_{name}"), "intake_cases", type_="check")
    for column in columns:
        op.drop_column("intake_cases", column)


def downgrade() -> None:
    # The cases get their content back from their versions, and the staging table comes back
    # empty.
    bind = op.get_bind()
    dropped = _dropped_columns()
    with op.batch_alter_table("intake_cases") as batch_op:
        for column in dropped:
            batch_op.add_column(
                sa.Column(column.name, column.type, nullable=True, comment=column.comment)
            )
    names = ", ".join(column.name for column in dropped)
    op.execute(
        sa.text(
            f"UPDATE intake_cases SET ({names}) = (SELECT {names} FROM case_versions v"
            " WHERE v.intake_id = intake_cases.intake_id AND v.version = intake_cases.version)"
        )
    )
    checks = _checks_sql(bind.dialect.name)
    required = [column for column in dropped if not column.nullable]
    if bind.dialect.name == "sqlite":  # NOT NULL and CHECKs come by rebuilding the table
        with op.batch_alter_table("intake_cases", recreate="always") as batch_op:
            for column in required:
                batch_op.alter_column(
                    column.name,
                    existing_type=column.type,
                    nullable=False,
                    existing_comment=column.comment,
                )
            for name, sqltext in checks.items():
                batch_op.create_check_constraint(op.f(f"ck_intake_cases_{name}"), sqltext)
    else:
        for column in required:
            op.alter_column(
                "intake_cases",
                column.name,
                existing_type=column.type,
                nullable=False,
                existing_comment=column.comment,
            )
        for name, sqltext in checks.items():
            op.create_check_constraint(op.f(f"ck_intake_cases_{name}"), "intake_cases", sqltext)
    _create_staging(bind.dialect.name)


def _create_staging(dialect: str) -> None:
    """The staging table as revision 0009 has it, empty."""
    kept: list[sa.Column[Any]] = [
        sa.Column("intake_id", sa.String(64), nullable=False),
        sa.Column("clinic_id", sa.String(32), nullable=False),
        sa.Column("intake_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("intake_date", sa.Date(), nullable=False, comment=WRITTEN),
        sa.Column("patient_ref", sa.String(64), nullable=False),
        sa.Column("age_years", sa.SmallInteger(), nullable=False),
        sa.Column("sex", sa.String(max(len(v) for v in c.SEXES)), nullable=False),
        sa.Column("knee_injury", sa.String(max(len(v) for v in c.KNEE_INJURIES)), nullable=False),
    ]
    enum_checks = [
        *allowed_values_checks("sex", c.SEXES, "sex"),
        *allowed_values_checks("knee_injury", c.KNEE_INJURIES, "knee_injury"),
        *(k for col, (allowed, n) in ENUMS.items() for k in allowed_values_checks(col, allowed, n)),
    ]
    op.create_table(
        "validated_records",
        *kept,
        *_dropped_columns(),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.CheckConstraint("age_years BETWEEN 0 AND 120", name="age_range"),
        *(sa.CheckConstraint(sqltext, name=name) for name, sqltext in RANGE_CHECKS.items()),
        *(k for k in enum_checks if k._ddl_if is not None and k._ddl_if.dialect == dialect),
        *(
            k
            for k in id_alphabet_checks(("intake_id", "clinic_id", "patient_ref"))
            if k._ddl_if is not None and k._ddl_if.dialect == dialect
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["ingested_files.id"],
            name=op.f("fk_validated_records_file_id_ingested_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("file_id", "line_number", name=op.f("pk_validated_records")),
    )
