"""Re-classify every case whose classification is stale (made for an older case version or by
another rule set than the one approved and in force), then rebuild the daily counts."""

import datetime as dt
from functools import partial

import dagster as dg

from pipeline.aggregate import daily_counts
from pipeline.classify import classify
from pipeline.defs.resources import IntakeDatabase
from pipeline.follow_up import items
from pipeline.follow_up.policy import DuePolicy
from pipeline.load import classifications, files, locks
from pipeline.rules_change import in_force


@dg.op(description="Classify, by the rule set in force, every case not yet classified by it.")
def reclassify_stale_cases(context: dg.OpExecutionContext, database: IntakeDatabase) -> int:
    with locks.write_transaction(database.engine, shared=True) as connection:
        version = in_force.version_for_new_cases(connection, dt.datetime.now(dt.UTC))
        stale = classifications.stale_count(connection, version)
        done = classifications.classify_cases(
            connection, partial(classify, rules_version=version), version, dt.datetime.now(dt.UTC)
        )
        items.open_due_items(connection, DuePolicy.from_environment(), dt.datetime.now(dt.UTC))
    context.log.info(f"{stale} stale classifications; {done} cases classified by {version}")
    context.add_output_metadata({"cases_classified": done, "rules_version": version})
    return done


@dg.op(description="Rebuild the dashboard's daily counts from the classifications.")
def rebuild_daily_counts(context: dg.OpExecutionContext, database: IntakeDatabase, _: int) -> None:
    with locks.write_transaction(database.engine, shared=True) as connection:
        rows = daily_counts.refresh(connection, days=None)
        files.mark_counted(connection, None, dt.datetime.now(dt.UTC))
    context.add_output_metadata({"count_rows": rows})


@dg.job(description="Re-classify every stale case by the rule set in force; counts follow.")
def reclassify_job() -> None:
    rebuild_daily_counts(reclassify_stale_cases())
