"""What the database holds, in a few numbers: for the `intake run` summary and the tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, func, select

from db.models import RECORD_OUTCOMES, DailyCaseCount, IngestedFile, table_of
from db.states import FileStatus

FILES = table_of(IngestedFile)
COUNTS = table_of(DailyCaseCount)


@dataclass(frozen=True)
class Totals:
    """Files and records ingested, and classified cases by mechanism and by triage."""

    files: int
    records_in: int
    loaded: int
    unchanged: int
    corrected: int
    quarantined: int
    by_mechanism: dict[str, int] = field(default_factory=dict)
    by_triage: dict[str, int] = field(default_factory=dict)

    @property
    def cases(self) -> int:
        return sum(self.by_mechanism.values())


def totals(connection: Connection) -> Totals:
    """Totals over every finished file and every counted case."""
    files = connection.execute(
        select(
            func.count(),
            *(
                func.coalesce(func.sum(FILES.c[name]), 0)
                for name in ("records_in", *RECORD_OUTCOMES)
            ),
        ).where(FILES.c.status == FileStatus.FINISHED)
    ).one()

    def by(column: str) -> dict[str, int]:
        rows = connection.execute(
            select(COUNTS.c[column], func.sum(COUNTS.c.cases))
            .group_by(COUNTS.c[column])
            .order_by(COUNTS.c[column])
        )
        return {str(key): int(value) for key, value in rows}

    count, records_in, loaded, unchanged, corrected, quarantined = (int(v) for v in files)
    return Totals(
        files=count,
        records_in=records_in,
        loaded=loaded,
        unchanged=unchanged,
        corrected=corrected,
        quarantined=quarantined,
        by_mechanism=by("mechanism"),
        by_triage=by("triage"),
    )
