"""The dashboard's prepared aggregate, the only table it reads counts from: classified cases per
intake day, clinic, mechanism, triage, knee injury, age band and sex, refreshed in the database
for exactly the days the files not yet counted touched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import ColumnElement, Connection, Select, case, delete, func, literal, select

from db.models import CaseClassification, CaseVersion, DailyCaseCount, IntakeCase, table_of
from pipeline.contract.fields import FIELDS_BY_NAME

CASES = table_of(IntakeCase)
VERSIONS = table_of(CaseVersion)
CLASSIFICATIONS = table_of(CaseClassification)
COUNTS = table_of(DailyCaseCount)

OLDEST: Final = int(FIELDS_BY_NAME["age_years"].maximum or 0)
"""The contract's oldest age: the top band ends there."""
AGE_BANDS: Final[tuple[tuple[str, int, int], ...]] = (
    ("0-17", 0, 17),
    ("18-34", 18, 34),
    ("35-49", 35, 49),
    ("50-64", 50, 64),
    ("65-79", 65, 79),
    ("80+", 80, OLDEST),
)
"""Age bands the dashboard filters and groups by: (label, first year, last year)."""
AGE_BAND_LABELS: Final = tuple(label for label, _, _ in AGE_BANDS)


def age_band(age: ColumnElement[int]) -> ColumnElement[str]:
    """The age band of an age in years, as SQL."""
    return case(*((age.between(low, high), literal(label)) for label, low, high in AGE_BANDS))


def touched_days(file_ids: Sequence[int]) -> Select[Any]:
    """Intake days whose counts a load of `file_ids` can have changed: every day any version
    of a case those files touched falls on (a correction can move a case between days)."""
    other = VERSIONS.alias("other_version")
    return (
        select(other.c.intake_date)
        .select_from(VERSIONS.join(other, other.c.intake_id == VERSIONS.c.intake_id))
        .where(VERSIONS.c.file_id.in_(file_ids))
        .distinct()
    )


def refresh(connection: Connection, days: Select[Any] | list[dt.date] | None) -> int:
    """Recompute the counts of the intake days `days` selects or lists (every day when None).
    Returns the number of count rows written."""
    band = age_band(CASES.c.age_years).label("age_band")
    dimensions = (
        CASES.c.intake_date,
        CASES.c.clinic_id,
        CLASSIFICATIONS.c.mechanism,
        CLASSIFICATIONS.c.triage,
        CASES.c.knee_injury,
        band,
        CASES.c.sex,
    )
    grouped = (
        select(*dimensions, func.count().label("cases"))
        .select_from(CASES.join(CLASSIFICATIONS))
        .group_by(*dimensions)
    )
    clear = delete(COUNTS)
    if isinstance(days, Select):  # once, not once for the DELETE and again for the INSERT
        days = list(connection.execute(days).scalars())
    if days is not None:
        clear = clear.where(COUNTS.c.intake_date.in_(days))
        grouped = grouped.where(CASES.c.intake_date.in_(days))
    # One DELETE and one INSERT ... SELECT ... GROUP BY, in the database: files already counted
    # cost nothing.
    connection.execute(clear)
    result = connection.execute(
        COUNTS.insert().from_select([c.name for c in COUNTS.columns], grouped)
    )
    return int(result.rowcount or 0)
