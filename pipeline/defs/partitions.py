"""The pipeline's partitions: one per intake day (the sending day in a file's name)."""

import dagster as dg

from pipeline import settings


def intake_days() -> dg.DailyPartitionsDefinition:
    """Daily partitions by intake day, from INTAKE_FIRST_DAY (the first day an analyst can run or
    backfill; files sent earlier are not ingested) up to and including today (UTC). Read when
    the definitions are built, never when a module is imported."""
    return dg.DailyPartitionsDefinition(
        start_date=settings.current().first_day.isoformat(), end_offset=1
    )
