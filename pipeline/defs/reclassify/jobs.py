"""Re-classify every case whose classification is stale, then rebuild the daily counts."""

import datetime as dt

import dagster as dg

from pipeline.aggregate import daily_counts
from pipeline.classify import RULES_VERSION, classify
from pipeline.defs.resources import IntakeDatabase
from pipeline.follow_up import items
from pipeline.follow_up.policy import DuePolicy
from pipeline.load import classifications, files, locks


@dg.op(description="Classify, by the rule set in force, every case not yet classified by it.")
def reclassify_stale_cases(context: dg.OpExecutionContext, database: IntakeDatabase) -> int:
    with locks.write_transaction(database.engine, shared=True) as connection:
        stale = classifications.stale_count(connection, RULES_VERSION)
        done = classifications.classify_cases(
            connection, classify, RULES_VERSION, dt.datetime.now(dt.UTC)
        )
        items.open_due_items(connection, DuePolicy.from_environment(), dt.datetime.now(dt.UTC))
    context.log.info(f"{stale} stale classifications; {done} cases classified by {RULES_VERSION}")
    context.add_output_metadata({"cases_classified": done, "rules_version": RULES_VERSION})
    return done


@dg.op(description="Rebuild the dashboard's daily counts from the classifications.")
def rebuild_daily_counts(context: dg.OpExecutionContext, database: IntakeDatabase, _: int) -> None:
    with locks.write_transaction(database.engine, shared=True) as connection:
        rows = daily_counts.refresh(connection, days=None)
        files.mark_counted(connection, None, dt.datetime.now(dt.UTC))
    context.add_output_metadata({"count_rows": rows})


@dg.job(description="Re-classify every stale case by the current rule set; counts follow.")
def reclassify_job() -> None:
    rebuild_daily_counts(reclassify_stale_cases())
