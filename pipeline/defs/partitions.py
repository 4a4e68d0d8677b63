"""The pipeline's partitions: one per intake day (the sending day in a file's name)."""

import os
from typing import Final

import dagster as dg

FIRST_INTAKE_DAY: Final = os.environ.get("INTAKE_FIRST_DAY", "2024-01-01")
"""The first day an analyst can run or backfill; files sent earlier are not ingested."""

intake_days: Final = dg.DailyPartitionsDefinition(start_date=FIRST_INTAKE_DAY, end_offset=1)
"""Daily partitions by intake day, up to and including today (UTC)."""
