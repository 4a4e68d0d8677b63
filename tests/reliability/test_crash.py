"""A pipeline run killed hard (SIGKILL) in the middle of a stage leaves the database as before
that stage's transaction for the day it was on, and the next run completes the work: the final
state equals a run that was never interrupted. The kill points are `pipeline.faults`' hooks."""

from __future__ import annotations

import datetime as dt
import signal
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from pipeline.faults import FAULT_POINT_ENV, POINTS
from tests.reliability.state import (
    ALL_DAYS,
    DAYS,
    DayState,
    Snapshot,
    assert_consistent,
    cli_environment,
    run_in_process,
    snapshot,
    start_cli_run,
)


@dataclass(frozen=True)
class Kill:
    """Where the run is killed, and each day's state (file status, all cases classified)
    the database must then be in."""

    point: str
    days: tuple[tuple[str | None, bool], ...]

    def expected(self) -> dict[dt.date, DayState]:
        return {day: DayState(*state) for day, state in zip(ALL_DAYS, self.days, strict=True)}


KILLS = (
    # Registering the 2nd day's files: the 1st day's are registered, nothing else is.
    Kill("register:before_commit@2", (("landed", False), (None, False), (None, False))),
    # Loading the 2nd day (validated, versions, cases and classifications written, not
    # committed): the 2nd day's load rolls back, the 1st day's stays loaded and classified.
    Kill("load:before_commit@2", (("finished", True), ("landed", False), ("landed", False))),
    # After the last day's load committed, before aggregation: every day loaded and classified.
    Kill(f"load:after_commit@{DAYS}", (("finished", True), ("finished", True), ("finished", True))),
    # During aggregation (one transaction for the run's whole range): everything classified,
    # no day counted (the counts are compared with the uninterrupted run after the re-run).
    Kill("aggregate:before_commit@1", (("finished", True), ("finished", True), ("finished", True))),
)


ALERT_POINTS = {"alerts:after_send"}
"""Killed in tests/alerts/test_alerts.py (a round killed between sending and recording)."""


def test_every_fault_point_is_tested() -> None:
    assert {kill.point.partition("@")[0] for kill in KILLS} | ALERT_POINTS == set(POINTS)


@pytest.mark.parametrize("kill", KILLS, ids=[k.point for k in KILLS])
def test_a_run_killed_mid_stage_leaves_whole_days_and_the_next_run_completes_it(
    kill: Kill,
    landing_dir: Path,
    uninterrupted: Snapshot,
    database_url: str,
    migrated_engine: Engine,
    tmp_path: Path,
) -> None:
    env = cli_environment(database_url, landing_dir, tmp_path / "dagster")
    env[FAULT_POINT_ENV] = kill.point
    process = start_cli_run(env)
    _, stderr = process.communicate(timeout=180)
    assert process.returncode == -signal.SIGKILL, stderr[-2000:]

    assert assert_consistent(migrated_engine, landing_dir) == kill.expected()
    if kill.point.startswith("aggregate"):
        assert snapshot(migrated_engine)["counts"] == []  # the whole refresh rolled back

    run_in_process(landing_dir, database_url)
    assert_consistent(migrated_engine, landing_dir)
    assert snapshot(migrated_engine) == uninterrupted
