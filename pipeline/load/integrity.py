"""Integrity queries behind the pipeline's asset checks: what must hold after a load."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, func, select

from db.models import RECORD_OUTCOMES, CaseVersion, IngestedFile, IntakeCase, table_of
from db.states import FileStatus

CASES = table_of(IntakeCase)
VERSIONS = table_of(CaseVersion)
FILES = table_of(IngestedFile)


def duplicate_cases(connection: Connection, file_ids: Select[Any] | None = None) -> int:
    """Cases or case versions recorded more than once (always 0 when the schema holds), among
    the cases the files `file_ids` selects brought (every case when None): a check of a day
    costs in proportion to the day, not to the database. Grouped by the columns of the unique
    indexes, so the database walks an index instead of sorting."""
    twice: list[Select[Any]] = [
        select(CASES.c.intake_id).group_by(CASES.c.intake_id).having(func.count() > 1),
        select(VERSIONS.c.intake_id)
        .group_by(VERSIONS.c.intake_id, VERSIONS.c.content_hash)
        .having(func.count() > 1),
    ]
    if file_ids is not None:
        touched = select(VERSIONS.c.intake_id).where(VERSIONS.c.file_id.in_(file_ids))
        twice = [query.where(query.selected_columns[0].in_(touched)) for query in twice]
    return sum(
        int(connection.execute(select(func.count()).select_from(q.subquery())).scalar_one())
        for q in twice
    )


@dataclass(frozen=True, slots=True)
class FileCounts:
    """A file's records in, and how many of them its outcomes account for
    (`db.models.RECORD_OUTCOMES`)."""

    source_path: str
    status: str
    records_in: int
    accounted: int

    @property
    def adds_up(self) -> bool:
        """Every record the file brought is counted in exactly one outcome."""
        return self.records_in == self.accounted


def files_of_days(connection: Connection, days: list[dt.date]) -> list[FileCounts]:
    """Every registered file sent on `days`, with its counts."""
    accounted = functools.reduce(operator.add, (FILES.c[name] for name in RECORD_OUTCOMES))
    rows = connection.execute(
        select(FILES.c.source_path, FILES.c.status, FILES.c.records_in, accounted.label("acc"))
        .where(FILES.c.landing_date.in_(days))
        .order_by(FILES.c.id)
    )
    return [FileCounts(r.source_path, r.status, r.records_in, r.acc) for r in rows]


def quarantine_rate(connection: Connection, days: list[dt.date]) -> tuple[int, int]:
    """(records quarantined, records in) over the files sent on `days`."""
    row = connection.execute(
        select(
            func.coalesce(func.sum(FILES.c.records_quarantined), 0),
            func.coalesce(func.sum(FILES.c.records_in), 0),
        ).where(FILES.c.landing_date.in_(days), FILES.c.status != FileStatus.LANDED)
    ).one()
    return int(row[0]), int(row[1])
