"""Make the impact report when the code's rules version differs from the one in force, and
again whenever the cases have changed since the last report (new or corrected cases)."""

from typing import Final

import dagster as dg
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from db.models import CaseVersion, table_of
from pipeline.defs.resources import IntakeDatabase
from pipeline.defs.rules_change.jobs import rules_impact_job
from pipeline.rules_change import in_force

CHECK_INTERVAL_SECONDS: Final = 300
VERSIONS = table_of(CaseVersion)


@dg.sensor(
    job=rules_impact_job,
    minimum_interval_seconds=CHECK_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests the rules impact report when a candidate rule set waits for approval "
    "(once per state of the cases).",
)
def rules_candidate_sensor(
    context: dg.SensorEvaluationContext, database: IntakeDatabase
) -> dg.SensorResult | dg.SkipReason:
    try:
        with database.engine.connect() as connection:
            status = in_force.status(connection)
            # every new case and every correction adds a case version: a new report is due
            case_versions = connection.execute(
                select(func.count()).select_from(VERSIONS)
            ).scalar_one()
    except DBAPIError as error:
        return dg.SkipReason(f"database not ready (run `intake db upgrade`): {error.orig}")
    if not status.waiting:
        return dg.SkipReason(f"no candidate waiting: {status.in_force or 'nothing'} in force")
    key = f"impact-{status.in_force}-to-{status.candidate}-at-{case_versions}"
    context.log.info(f"candidate {status.candidate} waits; {status.in_force} in force")
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=key)])
