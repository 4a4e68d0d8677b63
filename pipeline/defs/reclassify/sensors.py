"""Notice that an approved rule set is not yet applied to every case: request one
re-classification per approval. A candidate in the code that is not approved touches no case
(`pipeline.rules_change`)."""

from typing import Final

import dagster as dg
from sqlalchemy import Connection, select

from db.models import CaseClassification, RulesApproval, table_of
from pipeline.classify.versions import RULE_SETS
from pipeline.defs.polling import polling_sensor
from pipeline.defs.reclassify.jobs import reclassify_job
from pipeline.rules_change import in_force

CHECK_INTERVAL_SECONDS: Final = 300
APPROVALS = table_of(RulesApproval)


def _approval_id(connection: Connection) -> int | None:
    newest = connection.execute(
        select(APPROVALS.c.id).order_by(APPROVALS.c.approved_at.desc(), APPROVALS.c.id.desc())
    ).first()
    return None if newest is None else int(newest.id)


def _state(connection: Connection) -> tuple[str | None, int | None, set[str]]:
    """The rules version in force, the newest approval, and the versions cases are
    classified by."""
    version, approval = in_force.in_force(connection), _approval_id(connection)
    table = table_of(CaseClassification)
    versions = set(connection.execute(select(table.c.rules_version).distinct()).scalars())
    return version, approval, versions


@polling_sensor(
    reclassify_job,
    CHECK_INTERVAL_SECONDS,
    "Requests a re-classification when cases are classified by another rule set than the one "
    "approved and in force.",
    read=_state,
)
def rules_version_sensor(
    context: dg.SensorEvaluationContext, state: tuple[str | None, int | None, set[str]]
) -> dg.SensorResult | dg.SkipReason:
    version, approval, versions = state
    if version is None:
        return dg.SkipReason("nothing classified yet: no rules version is in force")
    if version not in RULE_SETS:
        return dg.SkipReason(f"rules version {version} is in force but not in this code")
    others = sorted(versions - {version})
    if not others:
        return dg.SkipReason(f"every classification is by rules version {version}, in force")
    context.log.info(f"classifications by other rule sets {others}; in force {version}")
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=f"rules-{version}-{approval}")])
