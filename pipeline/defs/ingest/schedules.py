"""Every morning, ingest the day before."""

import datetime as dt

import dagster as dg

from pipeline import settings
from pipeline.defs.ingest.jobs import ingest_job


def previous_day(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """The run of the day before the tick's (UTC)."""
    scheduled = context.scheduled_execution_time or dt.datetime.now(dt.UTC)
    yesterday = (scheduled.astimezone(dt.UTC) - dt.timedelta(days=1)).date().isoformat()
    return dg.RunRequest(run_key=yesterday, partition_key=yesterday)


def daily_ingest_schedule(cron: str) -> dg.ScheduleDefinition:
    """The morning schedule, at `cron` (UTC), running by default."""
    return dg.schedule(
        name="daily_ingest_schedule",
        job=ingest_job,
        cron_schedule=cron,
        execution_timezone="UTC",
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Runs the previous day's partition every morning at 06:00 UTC.",
    )(previous_day)


@dg.definitions
def defs() -> dg.Definitions:
    """Built when the definitions load: INTAKE_INGEST_CRON is read then (another time, with
    which the production topology's tests see a tick fire within a minute)."""
    return dg.Definitions(schedules=[daily_ingest_schedule(settings.current().ingest_cron)])
