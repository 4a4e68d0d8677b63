"""The pipeline's partitions: one per intake day (the sending day in a file's name)."""

from typing import Final

import dagster as dg

from pipeline import settings

# Dagster's decorators take the partitions when the definitions modules load, so the first day
# (INTAKE_FIRST_DAY: the first day an analyst can run or backfill; files sent earlier are not
# ingested) is read then, through the checked settings.
intake_days: Final = dg.DailyPartitionsDefinition(
    start_date=settings.current().first_day.isoformat(), end_offset=1
)
"""Daily partitions by intake day, up to and including today (UTC)."""
