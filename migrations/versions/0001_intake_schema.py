"""Intake schema: files, staging, cases and their versions, quarantine, classifications,
the daily aggregate and pipeline runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 19:27:46.296030
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


ID_ALPHABET_PATTERN = "^[A-Za-z0-9_-]+$"


def _id_alphabet_check(table: str, column: str) -> sa.CheckConstraint:
    """The contract's id alphabet in each database's own pattern syntax."""
    if op.get_bind().dialect.name == "postgresql":
        sql = f"{column} ~ '{ID_ALPHABET_PATTERN}'"
    else:
        sql = f"{column} <> '' AND {column} NOT GLOB '*[^A-Za-z0-9_-]*'"
    return sa.CheckConstraint(sql, name=op.f(f"ck_{table}_{column}_alphabet"))


def upgrade() -> None:
    op.create_table(
        "daily_case_counts",
        sa.Column("intake_date", sa.Date(), nullable=False),
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column(
            "mechanism",
            sa.Enum(
                "referred",
                "compensatory",
                "biomechanical",
                "mixed",
                "undetermined",
                name="mechanism",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "triage",
            sa.Enum(
                "urgent",
                "evaluate",
                "routine",
                name="triage",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "knee_injury",
            sa.Enum(
                "meniscal_tear",
                "ligament_injury",
                "patellofemoral_pain",
                "osteoarthritis",
                "fracture",
                "contusion",
                "other",
                name="knee_injury",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("age_band", sa.String(length=8), nullable=False),
        sa.Column(
            "sex",
            sa.Enum(
                "female",
                "male",
                "other",
                "unknown",
                name="sex",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.CheckConstraint("cases > 0", name=op.f("ck_daily_case_counts_cases_positive")),
        sa.PrimaryKeyConstraint(
            "intake_date",
            "clinic_id",
            "mechanism",
            "triage",
            "knee_injury",
            "age_band",
            "sex",
            name=op.f("pk_daily_case_counts"),
        ),
    )
    with op.batch_alter_table("daily_case_counts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_daily_case_counts_clinic_id_intake_date"),
            ["clinic_id", "intake_date"],
            unique=False,
        )

    op.create_table(
        "ingested_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_path", sa.String(length=1024), nullable=False),
        sa.Column(
            "landing_date",
            sa.Date(),
            nullable=False,
            comment="the sending day in the file's name: the pipeline partition it belongs to",
        ),
        sa.Column(
            "content_hash",
            sa.String(length=64),
            nullable=False,
            comment="sha256 of the file's bytes",
        ),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "landed",
                "validated",
                "finished",
                name="file_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("records_in", sa.Integer(), nullable=False),
        sa.Column("records_loaded", sa.Integer(), nullable=False),
        sa.Column("records_unchanged", sa.Integer(), nullable=False),
        sa.Column("records_corrected", sa.Integer(), nullable=False),
        sa.Column("records_quarantined", sa.Integer(), nullable=False),
        sa.Column(
            "unknown_columns",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status <> 'finished' OR records_in = records_loaded + records_unchanged + records_corrected + records_quarantined",
            name=op.f("ck_ingested_files_counts_add_up"),
        ),
        sa.CheckConstraint(
            "records_in >= 0 AND records_loaded >= 0 AND records_unchanged >= 0 AND records_corrected >= 0 AND records_quarantined >= 0",
            name=op.f("ck_ingested_files_counts_not_negative"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingested_files")),
        sa.UniqueConstraint(
            "source_path", "content_hash", name=op.f("uq_ingested_files_source_path_content_hash")
        ),
    )
    with op.batch_alter_table("ingested_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ingested_files_landing_date_status"),
            ["landing_date", "status"],
            unique=False,
        )

    op.create_table(
        "pipeline_runs",
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("job_name", sa.String(length=64), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "success", "failure", name="run_status", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("detail", sa.Text(), nullable=True, comment="the failure, in one line"),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_pipeline_runs")),
    )
    with op.batch_alter_table("pipeline_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pipeline_runs_finished_at"), ["finished_at"], unique=False
        )

    op.create_table(
        "case_versions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("intake_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("intake_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("intake_date", sa.Date(), nullable=False, comment="UTC date of intake_at"),
        sa.Column("patient_ref", sa.String(length=64), nullable=False),
        sa.Column("age_years", sa.SmallInteger(), nullable=False),
        sa.Column(
            "sex",
            sa.Enum(
                "female",
                "male",
                "other",
                "unknown",
                name="sex",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "knee_injury",
            sa.Enum(
                "meniscal_tear",
                "ligament_injury",
                "patellofemoral_pain",
                "osteoarthritis",
                "fracture",
                "contusion",
                "other",
                name="knee_injury",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "knee_side",
            sa.Enum("left", "right", name="knee_side", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("injury_date", sa.Date(), nullable=False),
        sa.Column("knee_instability", sa.Boolean(), nullable=False),
        sa.Column("knee_effusion", sa.Boolean(), nullable=True),
        sa.Column(
            "hip_pain_side",
            sa.Enum(
                "left",
                "right",
                "both",
                name="hip_pain_side",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("hip_pain_onset_date", sa.Date(), nullable=False),
        sa.Column(
            "hip_pain_location",
            sa.Enum(
                "lateral",
                "groin",
                "buttock",
                "deep_diffuse",
                name="hip_pain_location",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("pain_score", sa.SmallInteger(), nullable=False),
        sa.Column(
            "pain_trend",
            sa.Enum(
                "improving",
                "stable",
                "worsening",
                "rapidly_worsening",
                name="pain_trend",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("worse_with_walking", sa.Boolean(), nullable=True),
        sa.Column("antalgic_gait", sa.Boolean(), nullable=False),
        sa.Column("trendelenburg_sign", sa.Boolean(), nullable=True),
        sa.Column("trochanteric_tenderness", sa.Boolean(), nullable=True),
        sa.Column(
            "hip_rom",
            sa.Enum(
                "full_painless",
                "painful",
                "restricted",
                name="hip_rom",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "hip_provocation",
            sa.Enum(
                "positive",
                "negative",
                "not_done",
                name="hip_provocation",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("knee_provocation_reproduces_hip_pain", sa.Boolean(), nullable=True),
        sa.Column(
            "femoral_rotation",
            sa.Enum(
                "neutral",
                "internal",
                "external",
                "not_assessed",
                name="femoral_rotation",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "knee_alignment",
            sa.Enum(
                "neutral",
                "valgus",
                "varus",
                "not_assessed",
                name="knee_alignment",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "weight_bearing",
            sa.Enum(
                "full",
                "partial",
                "none",
                name="weight_bearing",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("temperature_c", sa.Float(), nullable=True),
        sa.Column("fever_reported", sa.Boolean(), nullable=True),
        sa.Column("rest_tried", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=True),
        sa.Column(
            "content_hash",
            sa.String(length=64),
            nullable=False,
            comment="sha256 of the record's contract fields, to tell re-sends",
        ),
        _id_alphabet_check("case_versions", "clinic_id"),
        _id_alphabet_check("case_versions", "intake_id"),
        _id_alphabet_check("case_versions", "patient_ref"),
        sa.CheckConstraint("age_years BETWEEN 0 AND 120", name=op.f("ck_case_versions_age_range")),
        sa.CheckConstraint(
            "hip_pain_onset_date <= intake_date",
            name=op.f("ck_case_versions_onset_not_after_intake"),
        ),
        sa.CheckConstraint(
            "injury_date <= intake_date", name=op.f("ck_case_versions_injury_not_after_intake")
        ),
        sa.CheckConstraint("length(notes) <= 2000", name=op.f("ck_case_versions_notes_length")),
        sa.CheckConstraint(
            "pain_score BETWEEN 0 AND 10", name=op.f("ck_case_versions_pain_score_range")
        ),
        sa.CheckConstraint(
            "temperature_c IS NULL OR temperature_c BETWEEN 30.0 AND 45.0",
            name=op.f("ck_case_versions_temperature_range"),
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_case_versions_version_positive")),
        sa.ForeignKeyConstraint(
            ["file_id"], ["ingested_files.id"], name=op.f("fk_case_versions_file_id_ingested_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_versions")),
        sa.UniqueConstraint(
            "intake_id", "content_hash", name=op.f("uq_case_versions_intake_id_content_hash")
        ),
        sa.UniqueConstraint(
            "intake_id", "version", name=op.f("uq_case_versions_intake_id_version")
        ),
    )
    with op.batch_alter_table("case_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_versions_file_id"), ["file_id"], unique=False)

    op.create_table(
        "quarantined_records",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False, comment="1-based line in the file"),
        sa.Column("intake_id", sa.String(length=256), nullable=True, comment="as received, if any"),
        sa.Column("raw_record", sa.Text(), nullable=False),
        sa.Column(
            "reasons",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
            comment="[{field, rule, value}, ...]",
        ),
        sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "line_number >= 1", name=op.f("ck_quarantined_records_line_number_positive")
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["ingested_files.id"],
            name=op.f("fk_quarantined_records_file_id_ingested_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantined_records")),
        sa.UniqueConstraint(
            "file_id", "line_number", name=op.f("uq_quarantined_records_file_id_line_number")
        ),
    )
    op.create_table(
        "validated_records",
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("intake_id", sa.String(length=64), nullable=False),
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("intake_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("intake_date", sa.Date(), nullable=False, comment="UTC date of intake_at"),
        sa.Column("patient_ref", sa.String(length=64), nullable=False),
        sa.Column("age_years", sa.SmallInteger(), nullable=False),
        sa.Column(
            "sex",
            sa.Enum(
                "female",
                "male",
                "other",
                "unknown",
                name="sex",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "knee_injury",
            sa.Enum(
                "meniscal_tear",
                "ligament_injury",
                "patellofemoral_pain",
                "osteoarthritis",
                "fracture",
                "contusion",
                "other",
                name="knee_injury",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "knee_side",
            sa.Enum("left", "right", name="knee_side", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("injury_date", sa.Date(), nullable=False),
        sa.Column("knee_instability", sa.Boolean(), nullable=False),
        sa.Column("knee_effusion", sa.Boolean(), nullable=True),
        sa.Column(
            "hip_pain_side",
            sa.Enum(
                "left",
                "right",
                "both",
                name="hip_pain_side",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("hip_pain_onset_date", sa.Date(), nullable=False),
        sa.Column(
            "hip_pain_location",
            sa.Enum(
                "lateral",
                "groin",
                "buttock",
                "deep_diffuse",
                name="hip_pain_location",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("pain_score", sa.SmallInteger(), nullable=False),
        sa.Column(
            "pain_trend",
            sa.Enum(
                "improving",
                "stable",
                "worsening",
                "rapidly_worsening",
                name="pain_trend",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("worse_with_walking", sa.Boolean(), nullable=True),
        sa.Column("antalgic_gait", sa.Boolean(), nullable=False),
        sa.Column("trendelenburg_sign", sa.Boolean(), nullable=True),
        sa.Column("trochanteric_tenderness", sa.Boolean(), nullable=True),
        sa.Column(
            "hip_rom",
            sa.Enum(
                "full_painless",
                "painful",
                "restricted",
                name="hip_rom",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "hip_provocation",
            sa.Enum(
                "positive",
                "negative",
                "not_done",
                name="hip_provocation",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("knee_provocation_reproduces_hip_pain", sa.Boolean(), nullable=True),
        sa.Column(
            "femoral_rotation",
            sa.Enum(
                "neutral",
                "internal",
                "external",
                "not_assessed",
                name="femoral_rotation",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "knee_alignment",
            sa.Enum(
                "neutral",
                "valgus",
                "varus",
                "not_assessed",
                name="knee_alignment",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "weight_bearing",
            sa.Enum(
                "full",
                "partial",
                "none",
                name="weight_bearing",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("temperature_c", sa.Float(), nullable=True),
        sa.Column("fever_reported", sa.Boolean(), nullable=True),
        sa.Column("rest_tried", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=True),
        sa.Column(
            "content_hash",
            sa.String(length=64),
            nullable=False,
            comment="sha256 of the record's contract fields, to tell re-sends",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["ingested_files.id"],
            name=op.f("fk_validated_records_file_id_ingested_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("file_id", "line_number", name=op.f("pk_validated_records")),
    )
    op.create_table(
        "intake_cases",
        sa.Column("intake_id", sa.String(length=64), nullable=False),
        sa.Column(
            "version", sa.Integer(), nullable=False, comment="number of the current case version"
        ),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("intake_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("intake_date", sa.Date(), nullable=False, comment="UTC date of intake_at"),
        sa.Column("patient_ref", sa.String(length=64), nullable=False),
        sa.Column("age_years", sa.SmallInteger(), nullable=False),
        sa.Column(
            "sex",
            sa.Enum(
                "female",
                "male",
                "other",
                "unknown",
                name="sex",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "knee_injury",
            sa.Enum(
                "meniscal_tear",
                "ligament_injury",
                "patellofemoral_pain",
                "osteoarthritis",
                "fracture",
                "contusion",
                "other",
                name="knee_injury",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "knee_side",
            sa.Enum("left", "right", name="knee_side", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("injury_date", sa.Date(), nullable=False),
        sa.Column("knee_instability", sa.Boolean(), nullable=False),
        sa.Column("knee_effusion", sa.Boolean(), nullable=True),
        sa.Column(
            "hip_pain_side",
            sa.Enum(
                "left",
                "right",
                "both",
                name="hip_pain_side",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("hip_pain_onset_date", sa.Date(), nullable=False),
        sa.Column(
            "hip_pain_location",
            sa.Enum(
                "lateral",
                "groin",
                "buttock",
                "deep_diffuse",
                name="hip_pain_location",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("pain_score", sa.SmallInteger(), nullable=False),
        sa.Column(
            "pain_trend",
            sa.Enum(
                "improving",
                "stable",
                "worsening",
                "rapidly_worsening",
                name="pain_trend",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("worse_with_walking", sa.Boolean(), nullable=True),
        sa.Column("antalgic_gait", sa.Boolean(), nullable=False),
        sa.Column("trendelenburg_sign", sa.Boolean(), nullable=True),
        sa.Column("trochanteric_tenderness", sa.Boolean(), nullable=True),
        sa.Column(
            "hip_rom",
            sa.Enum(
                "full_painless",
                "painful",
                "restricted",
                name="hip_rom",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "hip_provocation",
            sa.Enum(
                "positive",
                "negative",
                "not_done",
                name="hip_provocation",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("knee_provocation_reproduces_hip_pain", sa.Boolean(), nullable=True),
        sa.Column(
            "femoral_rotation",
            sa.Enum(
                "neutral",
                "internal",
                "external",
                "not_assessed",
                name="femoral_rotation",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "knee_alignment",
            sa.Enum(
                "neutral",
                "valgus",
                "varus",
                "not_assessed",
                name="knee_alignment",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "weight_bearing",
            sa.Enum(
                "full",
                "partial",
                "none",
                name="weight_bearing",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("temperature_c", sa.Float(), nullable=True),
        sa.Column("fever_reported", sa.Boolean(), nullable=True),
        sa.Column("rest_tried", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=True),
        sa.Column(
            "content_hash",
            sa.String(length=64),
            nullable=False,
            comment="sha256 of the record's contract fields, to tell re-sends",
        ),
        _id_alphabet_check("intake_cases", "clinic_id"),
        _id_alphabet_check("intake_cases", "intake_id"),
        _id_alphabet_check("intake_cases", "patient_ref"),
        sa.CheckConstraint("age_years BETWEEN 0 AND 120", name=op.f("ck_intake_cases_age_range")),
        sa.CheckConstraint(
            "hip_pain_onset_date <= intake_date",
            name=op.f("ck_intake_cases_onset_not_after_intake"),
        ),
        sa.CheckConstraint(
            "injury_date <= intake_date", name=op.f("ck_intake_cases_injury_not_after_intake")
        ),
        sa.CheckConstraint("length(notes) <= 2000", name=op.f("ck_intake_cases_notes_length")),
        sa.CheckConstraint(
            "pain_score BETWEEN 0 AND 10", name=op.f("ck_intake_cases_pain_score_range")
        ),
        sa.CheckConstraint(
            "temperature_c IS NULL OR temperature_c BETWEEN 30.0 AND 45.0",
            name=op.f("ck_intake_cases_temperature_range"),
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_intake_cases_version_positive")),
        sa.ForeignKeyConstraint(
            ["file_id"], ["ingested_files.id"], name=op.f("fk_intake_cases_file_id_ingested_files")
        ),
        sa.ForeignKeyConstraint(
            ["intake_id", "version"],
            ["case_versions.intake_id", "case_versions.version"],
            name=op.f("fk_intake_cases_intake_id_case_versions"),
        ),
        sa.PrimaryKeyConstraint("intake_id", name=op.f("pk_intake_cases")),
    )
    with op.batch_alter_table("intake_cases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_intake_cases_clinic_id_intake_date"),
            ["clinic_id", "intake_date"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_intake_cases_file_id"), ["file_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_intake_cases_intake_date_clinic_id"),
            ["intake_date", "clinic_id"],
            unique=False,
        )

    op.create_table(
        "case_classifications",
        sa.Column("intake_id", sa.String(length=64), nullable=False),
        sa.Column("case_version", sa.Integer(), nullable=False),
        sa.Column("rules_version", sa.String(length=32), nullable=False),
        sa.Column(
            "mechanism",
            sa.Enum(
                "referred",
                "compensatory",
                "biomechanical",
                "mixed",
                "undetermined",
                name="mechanism",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "mechanism_evidence",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "triage",
            sa.Enum(
                "urgent",
                "evaluate",
                "routine",
                name="triage",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "triage_reasons",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("classified_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["intake_id"],
            ["intake_cases.intake_id"],
            name=op.f("fk_case_classifications_intake_id_intake_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("intake_id", name=op.f("pk_case_classifications")),
    )
    with op.batch_alter_table("case_classifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_classifications_mechanism"), ["mechanism"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_case_classifications_rules_version"), ["rules_version"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_case_classifications_triage"), ["triage"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("case_classifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_classifications_triage"))
        batch_op.drop_index(batch_op.f("ix_case_classifications_rules_version"))
        batch_op.drop_index(batch_op.f("ix_case_classifications_mechanism"))

    op.drop_table("case_classifications")
    with op.batch_alter_table("intake_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_cases_intake_date_clinic_id"))
        batch_op.drop_index(batch_op.f("ix_intake_cases_file_id"))
        batch_op.drop_index(batch_op.f("ix_intake_cases_clinic_id_intake_date"))

    op.drop_table("intake_cases")
    op.drop_table("validated_records")
    op.drop_table("quarantined_records")
    with op.batch_alter_table("case_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_versions_file_id"))

    op.drop_table("case_versions")
    with op.batch_alter_table("pipeline_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pipeline_runs_finished_at"))

    op.drop_table("pipeline_runs")
    with op.batch_alter_table("ingested_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ingested_files_landing_date_status"))

    op.drop_table("ingested_files")
    with op.batch_alter_table("daily_case_counts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_daily_case_counts_clinic_id_intake_date"))

    op.drop_table("daily_case_counts")
