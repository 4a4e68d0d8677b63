"""Backup and restore, as docs/operations.md describes them: SQLite's online backup
(`intake db backup`) taken while the pipeline writes is a consistent copy that restores every
case; PostgreSQL's `pg_dump -Fc` and `pg_restore` give back the same database."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import subprocess
import time
import uuid
from contextlib import closing
from pathlib import Path
from typing import Final

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from benchmarks.pg_server import PostgresServer
from db import migrate
from db.backup import backup
from db.engine import make_engine
from pipeline.cli import app
from tests.reliability.state import (
    CASES,
    FIRST,
    Snapshot,
    assert_consistent,
    cli_environment,
    run_in_process,
    snapshot,
    start_cli_run,
)

BACKUP_INTERVAL_SECONDS: Final = 0.05


def _case_ids(url: str) -> set[str]:
    engine = make_engine(url)
    with engine.connect() as connection:
        ids = set(connection.execute(select(CASES.c.intake_id)).scalars())
    engine.dispose()
    return ids


def test_a_sqlite_backup_taken_while_the_pipeline_writes_restores_every_case(
    landing_dir: Path, uninterrupted: Snapshot, tmp_path: Path
) -> None:
    database = tmp_path / "intake.db"
    url = f"sqlite:///{database}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    run_in_process(landing_dir, url, FIRST, FIRST + dt.timedelta(days=1))
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    cases_before = _case_ids(url)

    writer = start_cli_run(cli_environment(url, landing_dir, tmp_path / "dagster"))
    copies: dict[str, Path] = {}  # by content: a copy taken between two commits is checked once
    while writer.poll() is None:
        copy = tmp_path / f"during-{uuid.uuid4().hex}.db"
        backup(database, copy)
        copies.setdefault(hashlib.sha256(copy.read_bytes()).hexdigest(), copy)
        time.sleep(BACKUP_INTERVAL_SECONDS)
    assert writer.returncode == 0, writer.communicate()[1][-3000:]
    assert len(copies) > 1
    final = tmp_path / "final.db"
    result = CliRunner().invoke(app, ["db", "backup", str(final), "--url", url])
    assert result.exit_code == 0, result.output

    for copy in [*copies.values(), final]:
        with closing(sqlite3.connect(copy)) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        copy_engine = make_engine(f"sqlite:///{copy}")
        # One committed state: whole days only (its counts may lag a merge; see the function).
        assert_consistent(copy_engine, landing_dir, counts=False)
        copy_engine.dispose()
        assert cases_before <= _case_ids(f"sqlite:///{copy}")

    restored = tmp_path / "restored.db"
    result = CliRunner().invoke(
        app, ["db", "restore", str(final), "--url", f"sqlite:///{restored}"]
    )
    assert result.exit_code == 0, result.output
    restored_engine = make_engine(f"sqlite:///{restored}")
    assert snapshot(restored_engine) == snapshot(engine) == uninterrupted
    assert migrate.current_revision(restored_engine) == migrate.head_revision()


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@pytest.mark.postgres
def test_a_postgresql_dump_restores_into_an_empty_database_with_every_case(
    postgres_server: PostgresServer, landing_dir: Path, uninterrupted: Snapshot, tmp_path: Path
) -> None:
    dump = tmp_path / "intake.dump"
    with (
        postgres_server.new_database() as source,
        postgres_server.new_database() as target,
    ):
        engine = make_engine(source)
        migrate.upgrade(engine)
        run_in_process(landing_dir, source)
        engine.dispose()
        for command in (
            ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", _libpq(source)],
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={_libpq(target)}",
                str(dump),
            ],
        ):
            done = subprocess.run(
                [str(postgres_server.bindir / command[0]), *command[1:]],
                capture_output=True,
                text=True,
                check=False,
            )
            assert done.returncode == 0, done.stderr
        restored = make_engine(target)
        assert snapshot(restored) == uninterrupted
        assert migrate.current_revision(restored) == migrate.head_revision()
        restored.dispose()
