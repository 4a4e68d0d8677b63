"""Shared fixtures: a fresh database on SQLite and on a real PostgreSQL server.

Tests that take `database_url`, `engine` or `migrated_engine` run once per database. The
PostgreSQL server is started by the tests themselves (benchmarks/pg_server.py). Outside CI a
machine without PostgreSQL skips those runs with a message that says how to enable them;
under CI=true that is a failure, never a skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from benchmarks.pg_server import PostgresServer, PostgresUnavailableError, start_server
from db import migrate
from db.engine import make_engine
from tests.reliability.hostile import tried_summary

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        server = start_server()
    except PostgresUnavailableError as exc:
        message = f"PostgreSQL tests need a local PostgreSQL 15 server: {exc}"
        if IN_CI:
            pytest.fail(f"{message} (CI=true: PostgreSQL is required, not skipped)")
        pytest.skip(f"{message}. Install postgresql-15 to run them.")
    yield server
    server.stop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database kind a test runs on: each such test runs on both."""
    name: str = request.param
    if name == "postgresql":
        request.applymarker(pytest.mark.postgres)
    return name


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database of kind `backend`, deleted after the test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'intake.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    with server.new_database() as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on an empty database (no tables)."""
    built = make_engine(database_url)
    yield built
    built.dispose()


@pytest.fixture
def migrated_engine(engine: Engine) -> Engine:
    """An engine on a database migrated to the newest schema."""
    migrate.upgrade(engine)
    return engine


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many tests ran on each database, so a log shows PostgreSQL was not skipped,
    and how many malformed inputs the fuzz tests tried."""
    for name in BACKENDS:
        counts = {
            outcome: sum(
                1 for r in terminalreporter.stats.get(outcome, []) if f"[{name}" in r.nodeid
            )
            for outcome in ("passed", "failed", "skipped")
        }
        terminalreporter.write_line(
            f"tests on {name}: passed {counts['passed']}, failed {counts['failed']}, "
            f"skipped {counts['skipped']}"
        )
    fuzzed = tried_summary(r for reports in terminalreporter.stats.values() for r in reports)
    if fuzzed:
        terminalreporter.write_line(fuzzed)
