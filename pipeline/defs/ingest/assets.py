"""The ingestion assets, one per stage, each a thin layer over `pipeline.load` and friends:

landed_files → validated_records (and quarantine) → intake_cases → case_classifications →
daily_case_counts.

Every asset is partitioned by intake day and can run a single day or a range of days in one
run. Each day's write is one transaction, and running a day again leaves the database as it
was: files already ingested (same content hash) are skipped, staged data is replaced, the merge
only adds what is new. Transactions take `pipeline.load.locks`' locks, so runs of the same day
at the same time (or a re-classification) wait for each other rather than collide. Steps hand
data to each other through the database and the landing store only, so any executor can run
them in separate processes or machines.
"""

import datetime as dt
from functools import partial

import dagster as dg
import polars as pl
from sqlalchemy import func, select

from db.models import IntakeCase, table_of
from pipeline.aggregate import daily_counts
from pipeline.classify import classify
from pipeline.defs.partitions import intake_days
from pipeline.defs.resources import IntakeDatabase, LandingStore
from pipeline.faults import fault_point
from pipeline.follow_up import items
from pipeline.follow_up.policy import DuePolicy
from pipeline.load import classifications, files, locks, merge, runs
from pipeline.load.landing import LandedFile
from pipeline.rules_change import in_force
from pipeline.validate import validate_file

GROUP = "intake"
PREVIEW_ROWS = 5
COUNT_FILES_PER_REFRESH = 5_000
"""Files whose touched days one refresh statement takes (bounded lists of bound values)."""


def _days(context: dg.AssetExecutionContext) -> list[dt.date]:
    return [dt.date.fromisoformat(key) for key in context.partition_keys]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _preview(frame: pl.DataFrame) -> dg.MetadataValue:
    with pl.Config(tbl_formatting="MARKDOWN", tbl_hide_dataframe_shape=True, tbl_rows=-1):
        return dg.MetadataValue.md(str(frame.head(PREVIEW_ROWS)))


@dg.asset(
    partitions_def=intake_days,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name=GROUP,
    kinds={"python", "sql"},
)
def landed_files(
    context: dg.AssetExecutionContext, database: IntakeDatabase, landing_store: LandingStore
) -> dg.MaterializeResult[None]:
    """Intake files the clinics sent for the day, registered by content hash. A file whose
    exact bytes were ingested before is recognised and not ingested again."""
    new: list[files.RegisteredFile] = []
    known: list[LandedFile] = []
    for day in _days(context):
        landed = landing_store.files_for_day(day)  # hashing the files takes no lock
        with locks.write_transaction(database.engine, day, shared=True) as connection:
            registration = files.register(connection, landed, _now())
            fault_point("register:before_commit")
        new.extend(registration.new)
        known.extend(registration.already_ingested)
    listing = pl.DataFrame(
        {"file": [f.path.name for f in new], "landing_date": [f.landing_date for f in new]},
        schema={"file": pl.String, "landing_date": pl.Date},
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(new),
            "files_new": len(new),
            "files_already_ingested": len(known),
            "preview": _preview(listing),
        }
    )


@dg.asset(
    deps=[landed_files],
    partitions_def=intake_days,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name=GROUP,
    kinds={"polars", "sql"},
)
def validated_records(
    context: dg.AssetExecutionContext, database: IntakeDatabase
) -> dg.MaterializeResult[None]:
    """Every record of the day's new files checked against the intake contract: valid records
    are staged for the merge, invalid ones quarantined with every reason (field, rule, value)."""
    records_in = quarantined = 0
    reasons: list[pl.DataFrame] = []
    for day in _days(context):
        with locks.write_transaction(database.engine, day) as connection:
            for file in files.files_of_day(connection, day, ("landed", "validated")):
                now = _now()
                result, batch = validate_file(file.path, now)
                files.stage_validated(connection, file.id, result, batch, now)
                records_in += result.records_in
                quarantined += result.quarantine.height
                reasons.append(result.quarantine.select("line_number", "reasons"))
            fault_point("validate:before_commit")
    examples = pl.concat(reasons) if reasons else pl.DataFrame()
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": records_in - quarantined,
            "records_in": records_in,
            "records_quarantined": quarantined,
            # Field and rule only: a value as received could be patient data.
            "quarantine_preview": _preview(
                examples.explode("reasons").unnest("reasons").drop("value")
            )
            if not examples.is_empty()
            else dg.MetadataValue.md("no quarantined records"),
        }
    )


@dg.asset(
    deps=[validated_records],
    partitions_def=intake_days,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name=GROUP,
    kinds={"sql"},
)
def intake_cases(
    context: dg.AssetExecutionContext, database: IntakeDatabase
) -> dg.MaterializeResult[None]:
    """The current content of every case, one per intake id. New ids are loaded, re-sent
    records change nothing, corrections become a new case version (the earlier one is kept)."""
    loaded = unchanged = corrected = 0
    for day in _days(context):
        with locks.write_transaction(database.engine, day, shared=True) as connection:
            validated = files.files_of_day(connection, day, ("validated",))
            for outcome in merge.merge(connection, [f.id for f in validated], _now()):
                loaded += outcome.loaded
                unchanged += outcome.unchanged
                corrected += outcome.corrected
            fault_point("merge:before_commit")
        fault_point("merge:after_commit")
    cases = table_of(IntakeCase)
    with database.engine.connect() as connection:
        total = connection.execute(select(func.count()).select_from(cases)).scalar_one()
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": total,
            "records_loaded": loaded,
            "records_unchanged": unchanged,
            "records_corrected": corrected,
        }
    )


@dg.asset(
    deps=[intake_cases],
    partitions_def=intake_days,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name=GROUP,
    kinds={"polars", "sql"},
)
def case_classifications(
    context: dg.AssetExecutionContext, database: IntakeDatabase
) -> dg.MaterializeResult[None]:
    """How the knee pain reached the hip (mechanism, with its evidence) and how urgent each
    case is (triage, with its reasons), by the version of the rule set in force in the
    database (a candidate in the code waits for approval). Classifies the cases of the day's
    files not classified yet; an approved new rule set is the reclassify job's. Every urgent
    and evaluate case (and record needing correction) gets its follow-up item here."""
    classified = opened = reopened = 0
    versions: set[str] = set()
    for day in _days(context):
        with locks.write_transaction(database.engine, day, shared=True) as connection:
            pending = files.files_to_classify(connection, day)
            if pending:
                version = in_force.version_for_new_cases(connection, _now())
                versions.add(version)
                classified += classifications.classify_cases(
                    connection, partial(classify, rules_version=version), version, _now(), pending
                )
                files.mark_classified(connection, pending, _now())
            follow_up = items.open_due_items(connection, DuePolicy.from_environment(), _now())
            opened += follow_up.opened
            reopened += follow_up.reopened
            fault_point("classify:before_commit")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": classified,
            "rules_version": ", ".join(sorted(versions)),
            "follow_up_items_opened": opened,
            "follow_up_items_reopened": reopened,
        }
    )


@dg.asset(
    deps=[case_classifications],
    partitions_def=intake_days,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name=GROUP,
    kinds={"sql"},
)
def daily_case_counts(
    context: dg.AssetExecutionContext, database: IntakeDatabase
) -> dg.MaterializeResult[None]:
    """Classified cases per intake day, clinic, mechanism, triage, knee injury, age band and
    sex: what the dashboard reads. Refreshes, in one transaction, the days the files not yet
    counted touched (and any day a correction moved a case from)."""
    rows = 0
    with locks.write_transaction(database.engine, shared=True) as connection:
        # One refresh for the whole range: a day touched by several days' files is counted once.
        pending = files.files_to_count(connection, _days(context))
        for start in range(0, len(pending), COUNT_FILES_PER_REFRESH):
            chunk = pending[start : start + COUNT_FILES_PER_REFRESH]
            rows += daily_counts.refresh(connection, daily_counts.touched_days(chunk))
            files.mark_counted(connection, chunk, _now())
        fault_point("aggregate:before_commit")
    with database.engine.begin() as connection:
        runs.record_run(
            connection,
            run_id=context.run.run_id,
            job_name=context.run.job_name,
            days=_days(context),
            status="success",
        )
    return dg.MaterializeResult(metadata={"dagster/row_count": rows})
