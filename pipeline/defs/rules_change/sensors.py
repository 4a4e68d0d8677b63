"""Make the impact report when the code's rules version differs from the one in force, and
again whenever the cases have changed since the last report (new or corrected cases)."""

from typing import Final

import dagster as dg
from sqlalchemy import Connection, func, select

from db.models import CaseVersion, table_of
from pipeline.defs.polling import polling_sensor
from pipeline.defs.rules_change.jobs import rules_impact_job
from pipeline.rules_change import in_force

CHECK_INTERVAL_SECONDS: Final = 300
VERSIONS = table_of(CaseVersion)


def _state(connection: Connection) -> tuple[in_force.RulesStatus, int]:
    """The rules' status, and how many case versions there are: every new case and every
    correction adds one, so a new report is due."""
    status = in_force.status(connection)
    return status, connection.execute(select(func.count()).select_from(VERSIONS)).scalar_one()


@polling_sensor(
    rules_impact_job,
    CHECK_INTERVAL_SECONDS,
    "Requests the rules impact report when a candidate rule set waits for approval (once per "
    "state of the cases).",
    read=_state,
)
def rules_candidate_sensor(
    context: dg.SensorEvaluationContext, state: tuple[in_force.RulesStatus, int]
) -> dg.SensorResult | dg.SkipReason:
    status, case_versions = state
    if not status.waiting:
        return dg.SkipReason(f"no candidate waiting: {status.in_force or 'nothing'} in force")
    key = f"impact-{status.in_force}-to-{status.candidate}-at-{case_versions}"
    context.log.info(f"candidate {status.candidate} waits; {status.in_force} in force")
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=key)])
