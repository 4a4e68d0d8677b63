"""The production topology (deploy/, docs/deploy.md) does what a single process does, spread
over separate processes: a backfill submitted to the daemon runs its steps on both Celery
workers and leaves the intake database exactly as an in-process `intake run` of the same days;
the schedule and the landing sensor start runs under the daemon; a Celery worker killed mid-step
and a daemon restarted with runs queued lose nothing and do nothing twice.

Databases are compared through the pipeline's own tables (tests/reliability/state.py's
snapshot), and steps are not named: the tests hold whatever the asset graph's shape is."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db import migrate
from db.engine import make_engine
from deploy.graphql import FINISHED, Run, wait_for
from deploy.topology import worker_name
from pipeline import run
from pipeline.defs.ingest.sensors import RANGE_END_TAG, RANGE_START_TAG
from pipeline.generate import GenerationConfig, OutputFormat, generate
from pipeline.load.locks import LOCK_NAMESPACE, SHARED_KEY
from tests.prod.conftest import VISIBILITY_TIMEOUT, Deployment
from tests.reliability.state import (
    ALL_DAYS,
    END,
    FIRST,
    Snapshot,
    assert_consistent,
    run_in_process,
    seed,
    snapshot,
)

pytestmark = pytest.mark.prod  # `make test-prod`, not `make test` (a few minutes on their own)

RUN_TIMEOUT = 240
BOTH_WORKERS = {worker_name(1), worker_name(2)}


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three days of two clinics, with invalid records, re-sends and corrections."""
    return seed(tmp_path_factory.mktemp("prod-landing"))


def _in_process(landing: Path, tmp_path: Path, first: dt.date, last: dt.date) -> Snapshot:
    """What `intake run --from first --to last` leaves (run.run_days, in this process)."""
    url = f"sqlite:///{tmp_path / f'reference-{first}.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    run_in_process(landing, url, first, last)
    state = snapshot(engine)
    engine.dispose()
    return state


@pytest.fixture(scope="module")
def reference(landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    return _in_process(landing, tmp_path_factory.mktemp("reference"), FIRST, END)


def _state(deployment: Deployment, landing: Path) -> Snapshot:
    engine = deployment.intake_engine()
    try:
        assert_consistent(engine, landing)
        return snapshot(engine)
    finally:
        engine.dispose()


def _finished(deployment: Deployment, run_ids: list[str]) -> list[Run] | None:
    runs = deployment.dagster.runs(runIds=run_ids)
    return runs if len(runs) == len(run_ids) and all(r.status in FINISHED for r in runs) else None


def _range_tags(first: dt.date, last: dt.date) -> dict[str, str]:
    return {RANGE_START_TAG: first.isoformat(), RANGE_END_TAG: last.isoformat()}


def test_a_backfill_submitted_to_the_daemon_runs_on_both_workers_and_equals_intake_run(
    deployment: Deployment, landing: Path, reference: Snapshot
) -> None:
    deployment.reset(landing)
    dagster = deployment.dagster
    job = run.definitions().resolve_job_def("ingest_job")
    assets = sorted(key.to_user_string() for key in job.asset_layer.executable_asset_keys)
    backfill = dagster.launch_backfill(assets, [day.isoformat() for day in ALL_DAYS])

    wait_for(
        "the backfill to complete",
        lambda: dagster.backfill_status(backfill) in ("COMPLETED", "COMPLETED_SUCCESS", "FAILED"),
        RUN_TIMEOUT,
    )
    runs = dagster.runs(tags={"dagster/backfill": backfill})
    assert runs
    assert {r.status for r in runs} == {"SUCCESS"}, runs
    workers = set().union(*(w for r in runs for w in dagster.step_workers(r.run_id).values()))
    assert workers == BOTH_WORKERS
    assert _state(deployment, deployment.landing) == reference


def _executing_step(deployment: Deployment, run_id: str) -> tuple[str, str] | None:
    """A step the run has handed to a worker and not finished: (step, worker)."""
    events = deployment.dagster.events(run_id)
    done = {e["stepKey"] for e in events if e["__typename"] in ("ExecutionStepSuccessEvent",)}
    for step, workers in deployment.dagster.step_workers(run_id).items():
        if step not in done:
            return step, next(iter(workers))
    return None


def test_a_celery_worker_killed_mid_step_loses_nothing_and_does_nothing_twice(
    deployment: Deployment, landing: Path, reference: Snapshot
) -> None:
    """The killed worker's step is unacknowledged: after the visibility timeout the other
    worker runs it (or, if the run failed instead, Dagster's run retries start it again)."""
    deployment.reset(landing)
    dagster = deployment.dagster
    engine = deployment.intake_engine()
    # Hold the pipeline's shared lock so the run's first writing step waits, mid-step, on a
    # worker: the kill then lands inside a step, whatever the step is.
    blocker = engine.connect()
    blocker.begin()
    blocker.execute(select(func.pg_advisory_xact_lock(LOCK_NAMESPACE, SHARED_KEY)))
    try:
        run_id = dagster.launch_run("ingest_job", _range_tags(FIRST, END))
        step, worker = wait_for(
            "a step to start on a worker", lambda: _executing_step(deployment, run_id), RUN_TIMEOUT
        )
        time.sleep(2)
        assert _executing_step(deployment, run_id) == (step, worker), "the step was not held"
        victim = f"worker-{worker.partition('@')[0].rpartition('-')[2]}"
        deployment.topology.kill(victim)
    finally:
        blocker.rollback()
        blocker.close()
        engine.dispose()

    def final_run() -> Run | None:
        group = dagster.runs(tags={"dagster/root_run_id": run_id}) + dagster.runs(runIds=[run_id])
        if any(r.status == "SUCCESS" for r in group):
            return next(r for r in group if r.status == "SUCCESS")
        retried = any(r.tags.get("dagster/retry_number") for r in group)
        if all(r.status in FINISHED for r in group) and (retried or len(group) > 1):
            pytest.fail(f"no run of the group succeeded: {group}")
        return None

    survivor = (BOTH_WORKERS - {worker}).pop()
    try:
        done = wait_for(
            "the run or its retry to succeed", final_run, RUN_TIMEOUT + VISIBILITY_TIMEOUT
        )
        assert (
            survivor in dagster.step_workers(done.run_id).get(step, set()) or done.run_id != run_id
        )
        assert _state(deployment, deployment.landing) == reference

        # The next run of the same days ends equal to an uninterrupted one: nothing twice.
        again = dagster.launch_run("ingest_job", _range_tags(FIRST, END))
        (finished,) = wait_for("the next run", lambda: _finished(deployment, [again]), RUN_TIMEOUT)
        assert finished.status == "SUCCESS"
        assert _state(deployment, deployment.landing) == reference
    finally:
        deployment.topology.start_process(victim)
        deployment.topology.wait_ready(victim)


def test_runs_queued_while_the_daemon_is_down_run_once_when_it_is_back(
    deployment: Deployment, landing: Path, reference: Snapshot
) -> None:
    """Two runs of the same days queued (an analyst's and a script's): each runs once, and
    together they leave what one run does (the second, waiting for the first's locks or
    after it, finds nothing new)."""
    deployment.reset(landing)
    dagster = deployment.dagster
    marker = {"intake/test": f"daemon-restart-{uuid.uuid4().hex[:8]}"}
    deployment.topology.stop_process("daemon")
    try:
        run_ids = [
            dagster.launch_run("ingest_job", {**_range_tags(FIRST, END), **marker})
            for _ in range(2)
        ]
        time.sleep(5)
        assert {r.status for r in dagster.runs(runIds=run_ids)} == {"QUEUED"}
    finally:
        deployment.topology.start_process("daemon")
        deployment.topology.wait_ready("daemon")

    runs = wait_for("the queued runs", lambda: _finished(deployment, run_ids), RUN_TIMEOUT)
    assert {r.status for r in runs} == {"SUCCESS"}, runs
    for run_id in run_ids:
        starts = [e for e in dagster.events(run_id) if e["__typename"] == "RunStartEvent"]
        assert len(starts) == 1, f"{run_id} started {len(starts)} times"
    assert len(dagster.runs(tags=marker)) == 2  # none launched again, no retry needed
    assert _state(deployment, deployment.landing) == reference


def test_the_daily_schedule_and_the_landing_sensor_start_runs_that_succeed(
    deployment: Deployment, tmp_path: Path
) -> None:
    """The schedule runs yesterday (its tick comes each minute here); the sensor's first tick
    asks for every day in the landing directory (yesterday and the day before)."""
    yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    days = 2
    recent = tmp_path / "landing"
    generate(
        GenerationConfig(
            records=150,
            days=days,
            end_date=yesterday,
            clinics=2,
            seed=3,
            output_format=OutputFormat.CSV,
            invalid_rate=0.05,
            out_dir=recent,
        )
    )
    (recent / "ground_truth.csv").unlink()
    deployment.reset(recent)
    dagster = deployment.dagster
    dagster.set_instigator("sensor", "landing_sensor", running=True)
    dagster.set_instigator("schedule", "daily_ingest_schedule", running=True)
    try:

        def started() -> list[Run] | None:
            by_sensor = dagster.runs(tags={"dagster/sensor_name": "landing_sensor"})
            by_schedule = dagster.runs(tags={"dagster/schedule_name": "daily_ingest_schedule"})
            return by_sensor + by_schedule if len(by_sensor) >= days and by_schedule else None

        wait_for("runs from the sensor and the schedule", started, 150)
    finally:
        dagster.set_instigator("schedule", "daily_ingest_schedule", running=False)
        dagster.set_instigator("sensor", "landing_sensor", running=False)
    deployment.wait_until_idle()
    sensor_runs = dagster.runs(tags={"dagster/sensor_name": "landing_sensor"})
    schedule_runs = dagster.runs(tags={"dagster/schedule_name": "daily_ingest_schedule"})
    assert {r.status for r in sensor_runs + schedule_runs} == {"SUCCESS"}
    first = yesterday - dt.timedelta(days=days - 1)
    assert sorted(r.tags["dagster/partition"] for r in sensor_runs) == [
        first.isoformat(),
        yesterday.isoformat(),
    ]
    assert {r.tags["dagster/partition"] for r in schedule_runs} == {yesterday.isoformat()}
    assert _state(deployment, deployment.landing) == _in_process(recent, tmp_path, first, yesterday)
