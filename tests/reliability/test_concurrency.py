"""Runs of the same days started at the same moment, and runs racing re-classifications, end
with no duplicate case, version or classification and with counts that add up.

Every run completes: they wait for each other where they would collide (`pipeline.load.locks`:
advisory locks on PostgreSQL; on SQLite, one writer at a time, each waiting for the write lock
up to the busy timeout). A run that cannot get SQLite's write lock in time fails with a clear
"database is locked" and changes nothing; the next run does the work.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Final

import dagster as dg
import pytest
from sqlalchemy import Engine, select, update

import db.engine
from db import migrate
from db.engine import make_engine
from pipeline import run
from pipeline.classify import RULES_VERSION
from tests.reliability.state import (
    CLASSIFICATIONS,
    END,
    FIRST,
    Snapshot,
    assert_consistent,
    cli_environment,
    run_in_process,
    snapshot,
    start_cli_run,
)

CONCURRENT_RUNS: Final = 3
LOCKED: Final = "database is locked"
WRITER_SECONDS: Final = 1.5

RECLASSIFY: Final = """
from pipeline import run
result = run.definitions().resolve_job_def("reclassify_job").execute_in_process(
    instance=run.dagster_instance(), raise_on_error=False
)
raise SystemExit(0 if result.success else 1)
"""


def _assert_all_succeed(processes: list[subprocess.Popen[str]]) -> None:
    for process in processes:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr[-3000:]


def test_runs_of_the_same_days_started_together_end_as_if_run_once(
    landing_dir: Path,
    uninterrupted: Snapshot,
    database_url: str,
    migrated_engine: Engine,
    tmp_path: Path,
) -> None:
    processes = [
        start_cli_run(cli_environment(database_url, landing_dir, tmp_path / f"dagster{i}"))
        for i in range(CONCURRENT_RUNS)
    ]
    _assert_all_succeed(processes)
    assert_consistent(migrated_engine, landing_dir)
    assert snapshot(migrated_engine) == uninterrupted


def test_a_run_racing_a_reclassification_leaves_every_case_classified_once_by_current_rules(
    landing_dir: Path,
    uninterrupted: Snapshot,
    database_url: str,
    migrated_engine: Engine,
    tmp_path: Path,
) -> None:
    run_in_process(landing_dir, database_url, FIRST, FIRST)
    with migrated_engine.begin() as connection:
        connection.execute(update(CLASSIFICATIONS).values(rules_version="2000.1.1"))
    environments = [
        cli_environment(database_url, landing_dir, tmp_path / f"dagster{i}") for i in range(4)
    ]
    processes = [
        start_cli_run(environments[0]),
        subprocess.Popen(
            [sys.executable, "-c", RECLASSIFY],
            env=environments[1],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ),
        start_cli_run(environments[2]),
        subprocess.Popen(
            [sys.executable, "-c", RECLASSIFY],
            env=environments[3],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ),
    ]
    _assert_all_succeed(processes)
    assert_consistent(migrated_engine, landing_dir)
    with migrated_engine.connect() as connection:
        versions = set(connection.execute(select(CLASSIFICATIONS.c.rules_version)).scalars())
    assert versions == {RULES_VERSION}
    assert snapshot(migrated_engine) == uninterrupted


def _sqlite_database(tmp_path: Path) -> tuple[str, Path, Engine]:
    path = tmp_path / "intake.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    return f"sqlite:///{path}", path, engine


def test_sqlite_a_run_waits_for_another_writer_to_finish(
    landing_dir: Path, uninterrupted: Snapshot, tmp_path: Path
) -> None:
    url, path, engine = _sqlite_database(tmp_path)
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    finishes = threading.Timer(WRITER_SECONDS, writer.rollback)
    finishes.start()
    started = time.monotonic()
    run_in_process(landing_dir, url)
    assert time.monotonic() - started >= WRITER_SECONDS
    finishes.join()
    writer.close()
    assert snapshot(engine) == uninterrupted


def test_sqlite_a_run_that_cannot_get_the_write_lock_fails_clearly_and_changes_nothing(
    landing_dir: Path, uninterrupted: Snapshot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, path, engine = _sqlite_database(tmp_path)
    before = snapshot(engine)
    monkeypatch.setattr(db.engine, "SQLITE_BUSY_TIMEOUT_MS", 200)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with dg.instance_for_test() as instance:
            result = run.run_days(
                FIRST, END, landing_dir=landing_dir, database_url=url, instance=instance
            )
    finally:
        writer.rollback()
        writer.close()
    assert not result.success
    errors = [event.step_failure_data.error for event in result.get_step_failure_events()]
    assert any(LOCKED in error.to_string() for error in errors if error)
    assert snapshot(engine) == before
    monkeypatch.undo()
    run_in_process(landing_dir, url)
    assert snapshot(engine) == uninterrupted
