"""The production topology of deploy/, started once for these tests on free loopback ports
(tests/prod/, `make test-prod`): the test suite's PostgreSQL server holds the intake database
and Dagster's storage, with its own Redis, code server, daemon, webserver, two Celery workers
and the dashboard. A missing piece skips the tests with what to install; under CI=true it fails.
"""

from __future__ import annotations

import importlib.util
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from benchmarks.pg_server import (
    PostgresServer,
    create_databases,
    drop_databases,
    recreate_databases,
)
from db import migrate
from db.engine import make_engine
from deploy.graphql import ACTIVE, Dagster, wait_for
from deploy.topology import Config, Topology, TopologyError, free_port
from tests.conftest import IN_CI

VISIBILITY_TIMEOUT = 20
"""Seconds before a step a killed worker held goes to another worker (tests' steps are short)."""
QUIET_SENSORS = ("alerts_after_classification", "alerts_retry_sensor")
"""Off in these tests: their runs would only make them slower (tests/alerts/ covers them)."""


def _missing() -> list[str]:
    missing = []
    if shutil.which("redis-server") is None:
        missing.append("redis-server (apt-get install redis-server; .ci/system-packages)")
    for module, package in (("dagster_celery", "dagster-celery"), ("celery", "celery[redis]")):
        if importlib.util.find_spec(module) is None:
            missing.append(f"{package} (the `prod` extra: make install)")
    return missing


@dataclass
class Deployment:
    """The running topology, its API, and the intake database its runs write."""

    topology: Topology
    dagster: Dagster
    server_url: str
    database: str

    @property
    def landing(self) -> Path:
        return self.topology.config.landing

    def intake_engine(self) -> Engine:
        return make_engine(self.topology.config.intake_url)

    def wait_until_idle(self, timeout: float = 180) -> None:
        wait_for(
            "no run queued or in progress",
            lambda: not self.dagster.runs(statuses=list(ACTIVE)),
            timeout,
        )

    def reset(self, landing: Path) -> None:
        """An empty, migrated intake database and a landing directory holding `landing`'s
        files; waits for every run to end first."""
        self.wait_until_idle()
        recreate_databases(self.server_url, self.database)
        engine = self.intake_engine()
        migrate.upgrade(engine)
        engine.dispose()
        shutil.rmtree(self.landing, ignore_errors=True)
        shutil.copytree(landing, self.landing)


def _start(server: PostgresServer, intake: str, dagster: str, var: Path, landing: Path) -> Topology:
    """Start the topology on free ports; again on others if one was taken meanwhile (the
    machine is shared: a port free when chosen can be another program's when bound)."""
    for attempt in range(3):
        config = Config(
            var=var,
            intake_url=server.url(intake),
            # Dagster's storage through psycopg2, dagster-postgres' own driver (docs/deploy.md).
            dagster_pg_url=server.url(dagster).replace("+psycopg:", "+psycopg2:"),
            landing=landing,
            redis_port=free_port(),
            code_server_port=free_port(),
            webserver_port=free_port(),
            dashboard_port=free_port(),
            workers=2,
            max_concurrent_runs=2,
            visibility_timeout=VISIBILITY_TIMEOUT,
            restore_interval=2,
            extra_env={"INTAKE_INGEST_CRON": "* * * * *"},  # a schedule tick every minute
        )
        topology = Topology(config)
        try:
            topology.start()
        except TopologyError as error:
            if "address already in use" not in str(error) or attempt == 2:
                raise
            continue
        return topology
    raise AssertionError("unreachable")


@pytest.fixture(scope="module")
def deployment(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Deployment]:
    missing = _missing()
    if missing:
        message = f"the production topology's tests need {'; '.join(missing)}"
        if IN_CI:
            pytest.fail(f"{message} (CI=true: required, not skipped)")
        pytest.skip(message)
    server: PostgresServer = request.getfixturevalue("postgres_server")
    suffix = uuid.uuid4().hex[:12]
    intake, dagster = f"prod_intake_{suffix}", f"prod_dagster_{suffix}"
    create_databases(server.url(), intake, dagster)
    var = tmp_path_factory.mktemp("prod")
    landing = var / "landing"
    landing.mkdir()
    topology = _start(server, intake, dagster, var, landing)
    config = topology.config
    dagster_api = Dagster(config.webserver_url)
    try:
        # Only the test that is about it turns the every-minute schedule on.
        dagster_api.set_instigator("schedule", "daily_ingest_schedule", running=False)
        for sensor in QUIET_SENSORS:
            dagster_api.set_instigator("sensor", sensor, running=False)
        yield Deployment(topology, dagster_api, server.url(), intake)
    finally:
        topology.stop()
        drop_databases(server.url(), intake, dagster)
