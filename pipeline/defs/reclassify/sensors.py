"""Notice that an approved rule set is not yet applied to every case: request one
re-classification per approval. A candidate in the code that is not approved touches no case
(`pipeline.rules_change`)."""

from typing import Final

import dagster as dg
from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError

from db.models import CaseClassification, RulesApproval, table_of
from pipeline.classify.versions import RULE_SETS
from pipeline.defs.reclassify.jobs import reclassify_job
from pipeline.defs.resources import IntakeDatabase
from pipeline.rules_change import in_force

CHECK_INTERVAL_SECONDS: Final = 300
APPROVALS = table_of(RulesApproval)


def _approval_id(connection: Connection) -> int | None:
    newest = connection.execute(
        select(APPROVALS.c.id).order_by(APPROVALS.c.approved_at.desc(), APPROVALS.c.id.desc())
    ).first()
    return None if newest is None else int(newest.id)


@dg.sensor(
    job=reclassify_job,
    minimum_interval_seconds=CHECK_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests a re-classification when cases are classified by another rule set "
    "than the one approved and in force.",
)
def rules_version_sensor(
    context: dg.SensorEvaluationContext, database: IntakeDatabase
) -> dg.SensorResult | dg.SkipReason:
    table = table_of(CaseClassification)
    try:
        with database.engine.connect() as connection:
            version = in_force.in_force(connection)
            approval = _approval_id(connection)
            versions = set(connection.execute(select(table.c.rules_version).distinct()).scalars())
    except DBAPIError as error:
        return dg.SkipReason(f"database not ready (run `intake db upgrade`): {error.orig}")
    if version is None:
        return dg.SkipReason("nothing classified yet: no rules version is in force")
    if version not in RULE_SETS:
        return dg.SkipReason(f"rules version {version} is in force but not in this code")
    others = sorted(versions - {version})
    if not others:
        return dg.SkipReason(f"every classification is by rules version {version}, in force")
    context.log.info(f"classifications by other rule sets {others}; in force {version}")
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=f"rules-{version}-{approval}")])
