"""The record of pipeline runs the dashboard shows: which run, which days, how it ended."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, delete, insert

from db.models import PipelineRun, table_of
from db.states import RunStatus

RUNS = table_of(PipelineRun)
DETAIL_MAX_CHARS = 500


def record_run(
    connection: Connection,
    *,
    run_id: str,
    job_name: str,
    days: list[dt.date],
    status: RunStatus,
    detail: str | None = None,
) -> None:
    """Record (or re-record) how a run ended."""
    connection.execute(delete(RUNS).where(RUNS.c.run_id == run_id))
    connection.execute(
        insert(RUNS).values(
            run_id=run_id,
            job_name=job_name,
            first_day=min(days) if days else None,
            last_day=max(days) if days else None,
            finished_at=dt.datetime.now(dt.UTC),
            status=status,
            detail=detail[:DETAIL_MAX_CHARS] if detail else None,
        )
    )
