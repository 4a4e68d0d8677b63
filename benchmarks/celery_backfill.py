"""Time a backfill on the production topology with 1 and with 2 Celery workers, in one run:
`python -m benchmarks.celery_backfill --records 200000 --days 30 --chunk-days 5` (the figures
and how they were taken: docs/deploy.md)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import socket
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Final

import dagster as dg

from benchmarks.pg_server import PostgresServer, recreate_databases, start_server
from db import migrate
from db.engine import make_engine
from deploy.graphql import FINISHED, Dagster, wait_for
from deploy.topology import Config, Topology, free_port
from pipeline import run
from pipeline.defs.ingest.sensors import RANGE_END_TAG, RANGE_START_TAG
from pipeline.generate import GenerationConfig, OutputFormat, generate

END: Final = dt.date(2026, 11, 20)


# `one run`: what an asset backfill of the days is (the assets' backfill policy is a single
# run), submitted to the daemon; `runs of N days`: a run per chunk, submitted together, queued.
def _timed_backfill(dagster: Dagster, days: list[dt.date]) -> list[str]:
    job = run.definitions().resolve_job_def("ingest_job")
    assets = sorted(key.to_user_string() for key in job.asset_layer.executable_asset_keys)
    backfill = dagster.launch_backfill(assets, [day.isoformat() for day in days])
    wait_for(
        "the backfill",
        lambda: dagster.backfill_status(backfill) in ("COMPLETED", "COMPLETED_SUCCESS", "FAILED"),
        timeout=6 * 3600,
    )
    return [r.run_id for r in dagster.runs(tags={"dagster/backfill": backfill})]


def _timed_chunks(dagster: Dagster, days: list[dt.date], chunk: int) -> list[str]:
    run_ids = [
        dagster.launch_run(
            "ingest_job",
            {RANGE_START_TAG: part[0].isoformat(), RANGE_END_TAG: part[-1].isoformat()},
        )
        for part in (days[i : i + chunk] for i in range(0, len(days), chunk))
    ]
    wait_for(
        "the runs",
        lambda: all(r.status in FINISHED for r in dagster.runs(runIds=run_ids)),
        timeout=6 * 3600,
    )
    return run_ids


def _fresh_intake(server: PostgresServer, name: str) -> None:
    recreate_databases(server.url(), name)
    engine = make_engine(server.url(name))
    migrate.upgrade(engine)
    engine.dispose()


def measure(
    server: PostgresServer,
    landing: Path,
    work: Path,
    *,
    workers: int,
    days: list[dt.date],
    chunk: int,
) -> list[tuple[str, float, int, Counter[str]]]:
    """(shape, seconds, runs, steps per worker) for each shape, with `workers` workers."""
    recreate_databases(server.url(), f"dagster_{workers}")
    _fresh_intake(server, "intake")
    config = Config(
        var=work / f"workers-{workers}",
        intake_url=server.url("intake"),
        dagster_pg_url=server.url(f"dagster_{workers}").replace("+psycopg:", "+psycopg2:"),
        landing=landing,
        redis_port=free_port(),
        code_server_port=free_port(),
        webserver_port=free_port(),
        workers=workers,
        max_concurrent_runs=workers,
    )
    results = []
    topology = Topology(config)
    topology.start()
    try:
        dagster = Dagster(config.webserver_url)
        for sensor in ("alerts_after_classification", "alerts_retry_sensor"):
            dagster.set_instigator("sensor", sensor, running=False)
        dagster.set_instigator("schedule", "daily_ingest_schedule", running=False)
        for shape in ("one run (asset backfill)", f"runs of {chunk} days"):
            _fresh_intake(server, "intake")
            started = time.perf_counter()
            if shape.startswith("one run"):
                run_ids = _timed_backfill(dagster, days)
            else:
                run_ids = _timed_chunks(dagster, days, chunk)
            seconds = time.perf_counter() - started
            failed = [r for r in dagster.runs(runIds=run_ids) if r.status != "SUCCESS"]
            if failed:
                raise SystemExit(f"{shape} with {workers} workers: runs failed: {failed}")
            steps: Counter[str] = Counter()
            for run_id in run_ids:
                for step_workers in dagster.step_workers(run_id).values():
                    steps.update(step_workers)
            results.append((shape, seconds, len(run_ids), steps))
    finally:
        topology.stop()
    return results


def in_process(server: PostgresServer, landing: Path, days: list[dt.date]) -> float:
    """Seconds for `intake run`'s in-process run of every day (no Celery, no daemon)."""
    _fresh_intake(server, "intake")
    started = time.perf_counter()
    with dg.instance_for_test() as instance:
        result = run.run_days(
            days[0], days[-1], landing_dir=landing, database_url=server.url("intake"),
            instance=instance,
        )  # fmt: skip
    if not result.success:
        raise SystemExit("the in-process run failed")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--clinics", type=int, default=5)
    parser.add_argument("--chunk-days", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="celery-bench-"))
    landing = work / "landing"
    generate(
        GenerationConfig(
            records=args.records,
            days=args.days,
            end_date=END,
            clinics=args.clinics,
            seed=1,
            output_format=OutputFormat.CSV,
            invalid_rate=0.02,
            out_dir=landing,
        )
    )
    (landing / "ground_truth.csv").unlink()
    days = [END - dt.timedelta(days=i) for i in range(args.days - 1, -1, -1)]
    server = start_server()
    load_before = os.getloadavg()[0]
    try:
        reference = in_process(server, landing, days)
        rows = [
            (workers, *result)
            for workers in (1, 2)
            for result in measure(
                server, landing, work, workers=workers, days=days, chunk=args.chunk_days
            )
        ]
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"{args.records:,} records, {args.days} days, {args.clinics} clinics on "
        f"{socket.gethostname()} ({os.cpu_count()} cores); load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    print("| workers | shape | runs | seconds | records/s | steps per worker |")
    print("|---:|---|---:|---:|---:|---|")
    print(
        f"| - | in process (`intake run`) | 1 | {reference:,.1f} | "
        f"{args.records / reference:,.0f} | - |"
    )
    for workers, shape, seconds, runs, steps in rows:
        per_worker = ", ".join(f"{n}" for _, n in sorted(steps.items()))
        print(
            f"| {workers} | {shape} | {runs} | {seconds:,.1f} | "
            f"{args.records / seconds:,.0f} | {per_worker} |"
        )


if __name__ == "__main__":
    main()
