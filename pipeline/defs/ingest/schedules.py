"""Every morning, ingest the day before."""

import datetime as dt

import dagster as dg

from pipeline import settings
from pipeline.defs.ingest.jobs import ingest_job


@dg.schedule(
    job=ingest_job,
    # INTAKE_INGEST_CRON, read when the code loads: another time (cron, UTC), with which the
    # production topology's tests see a tick fire within a minute.
    cron_schedule=settings.current().ingest_cron,
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Runs the previous day's partition every morning at 06:00 UTC.",
)
def daily_ingest_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    scheduled = context.scheduled_execution_time or dt.datetime.now(dt.UTC)
    yesterday = (scheduled.astimezone(dt.UTC) - dt.timedelta(days=1)).date().isoformat()
    return dg.RunRequest(run_key=yesterday, partition_key=yesterday)
