"""Every morning, ingest the day before."""

from __future__ import annotations

from typing import Final

import dagster as dg

from pipeline.defs.ingest.jobs import ingest_job

MORNING_HOUR_UTC: Final = 6

daily_ingest_schedule: Final = dg.build_schedule_from_partitioned_job(
    ingest_job,
    name="daily_ingest_schedule",
    description="Runs the previous day's partition every morning at 06:00 UTC.",
    hour_of_day=MORNING_HOUR_UTC,
    minute_of_hour=0,
)
