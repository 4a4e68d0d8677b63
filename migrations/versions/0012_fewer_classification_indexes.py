"""Three indexes no query needs go: on `case_classifications` the mechanism and the rule-set
version (low-cardinality columns no query filters by), and on `intake_cases` the (clinic,
intake date) twin of the (intake date, clinic) index. Each cost every load a B-tree write per
case; on SQLite without statistics the planner also preferred them over a narrower scope.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 18:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DROPPED = (
    ("case_classifications", "ix_case_classifications_mechanism", ["mechanism"]),
    ("case_classifications", "ix_case_classifications_rules_version", ["rules_version"]),
    ("intake_cases", "ix_intake_cases_clinic_id_intake_date", ["clinic_id", "intake_date"]),
)


def upgrade() -> None:
    for table, name, _ in DROPPED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for table, name, columns in DROPPED:
        op.create_index(name, table, columns, unique=False)
