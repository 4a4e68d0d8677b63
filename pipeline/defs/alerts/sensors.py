"""When to send alerts: after every successful run that may have classified urgent cases, and on
a timer while sends wait to be retried."""

import datetime as dt
from typing import Final

import dagster as dg

from pipeline.alerts import ledger
from pipeline.defs.alerts.jobs import alerts_job
from pipeline.defs.polling import polling_sensor

RETRY_INTERVAL_SECONDS: Final = 300
CLASSIFYING_JOBS: Final = ("ingest_job", "reclassify_job")


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    request_job=alerts_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Sends alerts after every successful ingestion or re-classification run.",
)
def alerts_after_classification(context: dg.RunStatusSensorContext) -> dg.RunRequest | None:
    if context.dagster_run.job_name not in CLASSIFYING_JOBS:
        return None
    return dg.RunRequest(run_key=f"after-{context.dagster_run.run_id}")


@polling_sensor(
    alerts_job,
    RETRY_INTERVAL_SECONDS,
    "Sends what no round has yet (the daemon was down after a run), and retries alerts a "
    "channel did not take or a killed round left unrecorded.",
    read=ledger.anything_due,
)
def alerts_retry_sensor(
    context: dg.SensorEvaluationContext, due: bool
) -> dg.RunRequest | dg.SkipReason:
    if not due:
        return dg.SkipReason("no alert waits to be sent")
    return dg.RunRequest(run_key=f"retry-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M}")
