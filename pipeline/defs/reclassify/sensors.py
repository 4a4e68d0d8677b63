"""Notice that the rule set changed: request one re-classification per rules version."""

from typing import Final

import dagster as dg
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from db.models import CaseClassification, table_of
from pipeline.classify import RULES_VERSION
from pipeline.defs.reclassify.jobs import reclassify_job
from pipeline.defs.resources import IntakeDatabase

CHECK_INTERVAL_SECONDS: Final = 300


@dg.sensor(
    job=reclassify_job,
    minimum_interval_seconds=CHECK_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests a re-classification when cases are classified by an older rule set.",
)
def rules_version_sensor(
    context: dg.SensorEvaluationContext, database: IntakeDatabase
) -> dg.SensorResult | dg.SkipReason:
    table = table_of(CaseClassification)
    try:
        with database.engine.connect() as connection:
            versions = set(connection.execute(select(table.c.rules_version).distinct()).scalars())
    except DBAPIError as error:
        return dg.SkipReason(f"database not ready (run `intake db upgrade`): {error.orig}")
    older = sorted(versions - {RULES_VERSION})
    if not older:
        return dg.SkipReason(f"every classification is by rules version {RULES_VERSION}")
    context.log.info(f"classifications by older rule sets {older}; current {RULES_VERSION}")
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=f"rules-{RULES_VERSION}")])
