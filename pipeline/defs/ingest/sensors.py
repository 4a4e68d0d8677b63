"""Watch the landing directory: new or changed intake files request runs for their days.

The cursor remembers each file's size, modification time and content hash; a file is hashed
again only when its size or time changed, and counts as changed only when its hash did.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Final

import dagster as dg

from pipeline.defs.ingest.jobs import ingest_job
from pipeline.defs.partitions import intake_days
from pipeline.defs.resources import LandingStore
from pipeline.load import landing

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
    seen: Seen = {k: tuple(v) for k, v in json.loads(context.cursor or "{}").items()}  # type: ignore[misc]
    now, changed = scan(landing_store, seen)
    valid_keys = set(intake_days.get_partition_keys())
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
