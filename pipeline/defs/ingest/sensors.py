"""Watch the landing directory: new or changed intake files request runs for their days."""

import datetime as dt
import hashlib
import json
from collections import defaultdict
from typing import Final

import dagster as dg

from db.states import RunStatus
from pipeline.defs.ingest.jobs import ingest_job
from pipeline.defs.partitions import intake_days
from pipeline.defs.resources import IntakeDatabase, LandingStore
from pipeline.load import landing, runs

RANGE_START_TAG: Final = "dagster/asset_partition_range_start"
RANGE_END_TAG: Final = "dagster/asset_partition_range_end"

SENSOR_INTERVAL_SECONDS: Final = 60

Seen = dict[str, tuple[int, int, str]]
"""File name -> (size in bytes, modification time in ns, sha256)."""


def scan(store: LandingStore, seen: Seen) -> tuple[Seen, dict[str, list[str]]]:
    """The landing directory now, and the changed files' hashes grouped by partition key."""
    now: Seen = {}
    changed: dict[str, list[str]] = defaultdict(list)
    for path in landing.intake_files(store.path):
        stat = path.stat()
        before = seen.get(path.name)
        # Hashed again only when its size or time changed; changed only when its hash did.
        if before and before[:2] == (stat.st_size, stat.st_mtime_ns):
            now[path.name] = before
            continue
        digest = landing.content_hash(path)
        now[path.name] = (stat.st_size, stat.st_mtime_ns, digest)
        day = landing.landing_date_of(path)
        if day is not None and (before is None or before[2] != digest):
            changed[day.isoformat()].append(digest)
    return now, changed


@dg.sensor(
    job=ingest_job,
    minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
    description="Requests an ingestion run for each day with new or changed intake files.",
)
def landing_sensor(
    context: dg.SensorEvaluationContext, landing_store: LandingStore
) -> dg.SensorResult:
    seen: Seen = {k: (v[0], v[1], v[2]) for k, v in json.loads(context.cursor or "{}").items()}
    now, changed = scan(landing_store, seen)
    valid_keys = set(intake_days().get_partition_keys())
    requests, skipped = [], []
    for key, digests in sorted(changed.items()):
        if key not in valid_keys:
            skipped.append(key)
            continue
        run_key = f"{key}:" + hashlib.sha256("".join(sorted(digests)).encode()).hexdigest()[:16]
        requests.append(dg.RunRequest(run_key=run_key, partition_key=key))
    if skipped:
        context.log.warning(f"files for days outside the partitions were not requested: {skipped}")
    return dg.SensorResult(run_requests=requests, cursor=json.dumps(now, sort_keys=True))


@dg.run_failure_sensor(
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Records failed runs (of any job here, the UI's asset runs included) for the "
    "dashboard's data-quality page.",
)
def record_failed_runs(context: dg.RunFailureSensorContext, database: IntakeDatabase) -> None:
    record_failure(database, context.dagster_run, context.failure_event.message or "failed")


def record_failure(database: IntakeDatabase, run: dg.DagsterRun, message: str) -> None:
    """Record a failed ingestion run with the days it covered."""
    tags = run.tags
    first, last = tags.get(RANGE_START_TAG), tags.get(RANGE_END_TAG)
    key = tags.get("dagster/partition")
    days = [dt.date.fromisoformat(d) for d in (first, last, key) if d]
    with database.engine.begin() as connection:
        runs.record_run(
            connection,
            run_id=run.run_id,
            job_name=run.job_name,
            days=days,
            status=RunStatus.FAILURE,
            detail=message.splitlines()[0] if message else None,
        )
