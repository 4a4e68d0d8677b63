"""The ingestion assets, a thin layer over `pipeline.load` and friends: landed_files →
(validated_records → intake_cases → case_classifications, one step: `load`) → daily_case_counts,
each partitioned by intake day (docs/pipeline.md)."""

import datetime as dt
from collections.abc import Iterator
from functools import partial
from typing import Final, TypedDict

import dagster as dg
import polars as pl
from sqlalchemy import func, select

from db.models import IntakeCase, table_of
from db.states import FileStatus, RunStatus
from pipeline.aggregate import daily_counts
from pipeline.classify import classify
from pipeline.defs.partitions import intake_days
from pipeline.defs.resources import IntakeDatabase, LandingStore
from pipeline.faults import fault_point
from pipeline.follow_up import items
from pipeline.follow_up.policy import DuePolicy
from pipeline.load import ahead, classifications, files, locks, runs
from pipeline.load import day as day_load
from pipeline.load.landing import LandedFile
from pipeline.rules_change import in_force

GROUP = "intake"
CASES = table_of(IntakeCase)
PREVIEW_ROWS = 5
COUNT_FILES_PER_REFRESH = 5_000
"""Files whose touched days one refresh statement takes (bounded lists of bound values)."""


class DailyAsset(TypedDict):
    partitions_def: dg.PartitionsDefinition[str]
    backfill_policy: dg.BackfillPolicy
    group_name: str


LOAD_SPECS: Final = (
    dg.AssetSpec(
        "validated_records",
        deps=["landed_files"],
        kinds={"polars"},
        description="Every record of the day's new files checked against the intake "
        "contract: valid records go on to the cases, invalid ones to quarantine with every "
        "reason (field, rule, value).",
    ),
    dg.AssetSpec(
        "intake_cases",
        deps=["validated_records"],
        kinds={"sql"},
        description="The current version of every case, one per intake id. New ids are "
        "loaded, re-sent records change nothing, corrections become a new case version "
        "(the earlier one is kept).",
    ),
    dg.AssetSpec(
        "case_classifications",
        deps=["intake_cases"],
        kinds={"polars", "sql"},
        description="How the knee pain reached the hip (mechanism, with its evidence) and "
        "how urgent each case is (triage, with its reasons), by the rule set in force in "
        "the database (a candidate in the code waits for approval); every "
        "urgent and evaluate case (and record needing correction) gets its follow-up item.",
    ),
)
"""What the `load` step makes: the day's checked records, its cases and their classifications."""


def _days(context: dg.AssetExecutionContext) -> list[dt.date]:
    return [dt.date.fromisoformat(key) for key in context.partition_keys]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _preview(frame: pl.DataFrame) -> dg.MetadataValue:
    with pl.Config(tbl_formatting="MARKDOWN", tbl_hide_dataframe_shape=True, tbl_rows=-1):
        return dg.MetadataValue.md(str(frame.head(PREVIEW_ROWS)))


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


def load(
    context: dg.AssetExecutionContext, database: IntakeDatabase
) -> Iterator[dg.MaterializeResult[None]]:
    """Validate, load and classify each day's new files in one transaction per day: each
    valid record is written once (as a new case version, or not at all when re-sent), the
    cases made current are classified in memory, invalid records are quarantined."""
    records_in = quarantined = loaded = unchanged = corrected = classified = 0
    opened = reopened = 0
    versions: set[str] = set()
    reasons: list[pl.DataFrame] = []
    days = _days(context)
    with ahead.validated_ahead(database.engine, days) as validated_days:
        for day, validated in validated_days:
            # A day's load and classification is one transaction, under the day's and the shared
            # lock (concurrent runs of the day, or a reclassification, wait): running a day again
            # skips files already ingested and adds only what is new. Steps hand data on
            # through the database and the landing store only, so any executor can run them.
            with locks.write_transaction(database.engine, day, shared=True) as connection:
                day_files = files.files_of_day(connection, day, (FileStatus.LANDED,))
                for file in day_files:  # registered meanwhile by another run: validate it now
                    if file.id not in validated:
                        validated.update(ahead.validate_files([file]))
                version = in_force.version_for_new_cases(connection, _now())
                versions.add(version)
                done = day_load.load_day(
                    connection, [validated[f.id] for f in day_files], _now(), rules_version=version
                )
                day_ids = [f.id for f in day_files]
                earlier = files.files_to_classify(connection, day)  # finished before this version
                # A case a re-sent record points at may lack its classification.
                pending = earlier + (day_ids if done.resent else [])
                if pending:
                    classified += classifications.classify_cases(
                        connection,
                        partial(classify, rules_version=version),
                        version,
                        _now(),
                        pending,
                    )
                    files.mark_classified(connection, pending, _now())
                follow_up = items.open_for_day(
                    connection,
                    DuePolicy.from_environment(),
                    _now(),
                    new_cases=done.new_cases,
                    known_ids=done.known_ids,
                    day_files=day_ids,
                    earlier_files=earlier,
                    every_case=day == days[0],
                )
                fault_point("load:before_commit")
            fault_point("load:after_commit")
            records_in += done.records_in
            quarantined += done.quarantined
            classified += done.classified
            opened += follow_up.opened
            reopened += follow_up.reopened
            for outcome in done.outcomes:
                loaded += outcome.loaded
                unchanged += outcome.unchanged
                corrected += outcome.corrected
            reasons.extend(
                validated[f.id].result.quarantine.select("line_number", "reasons")
                for f in day_files
            )
            del validated
    examples = pl.concat(reasons) if reasons else pl.DataFrame()
    yield dg.MaterializeResult(
        asset_key="validated_records",
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
        },
    )
    with database.engine.connect() as connection:
        total = connection.execute(select(func.count()).select_from(CASES)).scalar_one()
    yield dg.MaterializeResult(
        asset_key="intake_cases",
        metadata={
            "dagster/row_count": total,
            "records_loaded": loaded,
            "records_unchanged": unchanged,
            "records_corrected": corrected,
        },
    )
    yield dg.MaterializeResult(
        asset_key="case_classifications",
        metadata={
            "dagster/row_count": classified,
            "rules_version": ", ".join(sorted(versions)),
            "follow_up_items_opened": opened,
            "follow_up_items_reopened": reopened,
        },
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
            status=RunStatus.SUCCESS,
        )
    return dg.MaterializeResult(metadata={"dagster/row_count": rows})


def ingest_assets(days: dg.PartitionsDefinition[str]) -> list[dg.AssetsDefinition]:
    """The ingestion assets over the intake days `days`: each partitioned by day, any range of
    days in one run (a single-run backfill), in the `intake` group."""
    daily = DailyAsset(
        partitions_def=days, backfill_policy=dg.BackfillPolicy.single_run(), group_name=GROUP
    )
    return [
        dg.asset(**daily, kinds={"python", "sql"})(landed_files),
        dg.multi_asset(name="load", specs=LOAD_SPECS, **daily)(load),
        dg.asset(deps=["case_classifications"], **daily, kinds={"sql"})(daily_case_counts),
    ]


@dg.definitions
def defs() -> dg.Definitions:
    """Built when the definitions load: the intake days are read then (INTAKE_FIRST_DAY)."""
    return dg.Definitions(assets=ingest_assets(intake_days()))
