"""Asset checks: blocking where a failure must stop the flow, a warning for quarantine."""

import datetime as dt

import dagster as dg

from db.states import FileStatus
from pipeline import settings
from pipeline.classify.versions import NEWEST
from pipeline.defs.partitions import intake_days
from pipeline.defs.resources import IntakeDatabase
from pipeline.load import classifications, files, integrity
from pipeline.rules_change import in_force


def _days(context: dg.AssetCheckExecutionContext) -> list[dt.date]:
    return [dt.date.fromisoformat(key) for key in context.partition_keys]


def no_duplicate_cases(
    context: dg.AssetCheckExecutionContext, database: IntakeDatabase
) -> dg.AssetCheckResult:
    """No intake id the days' newly loaded files brought is recorded twice, and no case
    version twice."""
    with database.engine.connect() as connection:
        duplicates = integrity.duplicate_cases(connection, files.uncounted_file_ids(_days(context)))
    return dg.AssetCheckResult(passed=duplicates == 0, metadata={"duplicates": duplicates})


def every_valid_record_loaded(
    context: dg.AssetCheckExecutionContext, database: IntakeDatabase
) -> dg.AssetCheckResult:
    """Every file of the day is finished and its records add up (`FileCounts.adds_up`)."""
    with database.engine.connect() as connection:
        day_files = integrity.files_of_days(connection, _days(context))
    unfinished = [f.source_path for f in day_files if f.status != FileStatus.FINISHED]
    not_adding_up = [f.source_path for f in day_files if not f.adds_up]
    return dg.AssetCheckResult(
        passed=not unfinished and not not_adding_up,
        metadata={
            "files": len(day_files),
            "unfinished": unfinished,
            "counts_not_adding_up": not_adding_up,
        },
    )


def every_case_classified_with_current_rules(
    context: dg.AssetCheckExecutionContext, database: IntakeDatabase
) -> dg.AssetCheckResult:
    """Every case the day's newly classified files brought is classified, for its current
    version, by the rule set in force in the database."""
    with database.engine.connect() as connection:
        version = in_force.in_force(connection) or NEWEST
        file_ids = files.files_to_count(connection, _days(context))
        stale = classifications.stale_count(connection, version, file_ids)
    return dg.AssetCheckResult(
        passed=stale == 0, metadata={"unclassified_or_stale": stale, "rules_version": version}
    )


def quarantine_rate_below_threshold(
    context: dg.AssetCheckExecutionContext, database: IntakeDatabase
) -> dg.AssetCheckResult:
    """The share of quarantined records stays under INTAKE_MAX_QUARANTINE_RATE (default 5%).
    A warning, not a stop: quarantined records are kept and counted either way."""
    threshold = settings.current().max_quarantine_rate
    with database.engine.connect() as connection:
        quarantined, records_in = integrity.quarantine_rate(connection, _days(context))
    rate = quarantined / records_in if records_in else 0.0
    return dg.AssetCheckResult(
        passed=rate <= threshold,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"quarantine_rate": rate, "threshold": threshold, "records_in": records_in},
    )


def ingest_checks(days: dg.PartitionsDefinition[str]) -> list[dg.AssetChecksDefinition]:
    """The ingestion checks over the intake days `days`: blocking but for the quarantine rate."""
    return [
        dg.asset_check(asset="intake_cases", blocking=True, partitions_def=days)(
            no_duplicate_cases
        ),
        dg.asset_check(asset="intake_cases", blocking=True, partitions_def=days)(
            every_valid_record_loaded
        ),
        dg.asset_check(asset="case_classifications", blocking=True, partitions_def=days)(
            every_case_classified_with_current_rules
        ),
        dg.asset_check(asset="validated_records", partitions_def=days)(
            quarantine_rate_below_threshold
        ),
    ]


@dg.definitions
def defs() -> dg.Definitions:
    """Built when the definitions load: the intake days are read then (INTAKE_FIRST_DAY)."""
    return dg.Definitions(asset_checks=ingest_checks(intake_days()))
