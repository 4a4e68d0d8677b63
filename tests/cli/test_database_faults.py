"""Every command that uses the database, against every database fault an operator meets, on
SQLite and on a real PostgreSQL server that is stopped or refuses the password: one line on
stderr naming the database (password masked), saying what went wrong and what to do; exit 3
(configuration or environment); no traceback without --debug. Problems with the data exit 2."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pytest
from sqlalchemy import Engine, inspect, text
from typer.testing import CliRunner, Result

from db import migrate
from db.problems import ADVICE, WHAT, Fault
from pipeline.cli import app
from pipeline.cli.errors import ExitCode
from tests.cli.faults import (
    PASSWORD,
    WRONG_PASSWORD,
    PasswordServer,
    free_port,
    sqlite_url_under_a_file,
    unwritable_sqlite_url,
)
from tests.reliability.state import INTAKE

COMMANDS: Final = {
    "db status": ["db", "status"],
    "db upgrade": ["db", "upgrade"],
    "db downgrade": ["db", "downgrade", "base"],
    "users list": ["users", "list"],
    "users add": ["users", "add", "ops", "--role", "admin", "--password", "long enough pw"],
    "users remove": ["users", "remove", "ops"],
    "run": ["run"],
}
"""Every command that opens the database (`run` also gets `--landing`)."""


@dataclass(frozen=True)
class Broken:
    """A database URL that cannot be used, and the fault intake must name."""

    fault: Fault
    url: Callable[[PasswordServer, Path], str]
    shown: str
    """How the message names the database."""


PORT: Final = free_port()
"""Nothing listens here: the "stopped" server."""

CONNECTION_FAULTS: Final = {
    "postgresql stopped": Broken(
        Fault.UNREACHABLE,
        lambda _, __: f"postgresql://operator:{PASSWORD}@127.0.0.1:{PORT}/operator_db",
        "postgresql://operator:***@127.0.0.1:{port}/operator_db",
    ),
    "postgresql refuses the password": Broken(
        Fault.CREDENTIALS_REFUSED,
        lambda server, _: server.url(password=WRONG_PASSWORD),
        "postgresql://operator:***@127.0.0.1:{server}/operator_db",
    ),
    "postgresql database missing": Broken(
        Fault.DATABASE_MISSING,
        lambda server, _: server.url(database="no_such_db"),
        "postgresql://operator:***@127.0.0.1:{server}/no_such_db",
    ),
    "mysql URL": Broken(
        Fault.UNSUPPORTED_URL, lambda _, __: f"mysql://ops:{PASSWORD}@db/x", "mysql://ops:***@db/x"
    ),
    "not a URL": Broken(Fault.UNSUPPORTED_URL, lambda _, __: "intake.db", "(not a URL)"),
    "sqlite folder not writable": Broken(
        Fault.NOT_WRITABLE, lambda _, tmp: unwritable_sqlite_url(tmp), "sqlite:////proc/intake.db"
    ),
    "sqlite folder is a file": Broken(
        Fault.NOT_WRITABLE,
        lambda _, tmp: sqlite_url_under_a_file(tmp),
        "sqlite:///{tmp}/not-a-folder/intake.db",
    ),
}
SCHEMA_STATES: Final = {
    Fault.NOT_MIGRATED: None,
    Fault.SCHEMA_OLDER: "0001",
    Fault.SCHEMA_NEWER: "ffffffffffff",
}
"""Where each schema fault leaves the database (None: never migrated)."""

FIXED_BY: Final = {"db upgrade", "db downgrade"}

runner = CliRunner()


def invoke(command: str, url: str, landing: Path, *options: str) -> Result:
    args = [*options, *COMMANDS[command]]
    if command == "run":
        args += ["--landing", str(landing)]
    return runner.invoke(app, args, env={"DATABASE_URL": url})


def assert_one_clear_line(result: Result, fault: Fault, shown: str) -> None:
    """Exit 3, one line on stderr with the database, the fault and the advice, no traceback
    and no password."""
    assert result.exit_code == ExitCode.ENVIRONMENT, result.output
    assert isinstance(result.exception, SystemExit), "an exception escaped the command"
    errors = result.stderr.splitlines()
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"intake: database {shown} {WHAT[fault]}"), errors[0]
    assert errors[0].endswith(f": {ADVICE[fault]}."), errors[0]
    assert "Traceback" not in result.output
    assert PASSWORD not in result.output
    assert WRONG_PASSWORD not in result.output


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, marks=[pytest.mark.postgres] if "postgresql" in case else [])
        for case in CONNECTION_FAULTS
    ],
)
def test_a_database_that_cannot_be_used_gives_one_line_and_exit_3(
    case: str, command: str, request: pytest.FixtureRequest, landing: Path, tmp_path: Path
) -> None:
    broken = CONNECTION_FAULTS[case]
    server = request.getfixturevalue("password_server") if "postgresql" in case else None
    shown = broken.shown.format(port=PORT, server=server and server.port, tmp=tmp_path)
    result = invoke(command, broken.url(server, tmp_path), landing)  # type: ignore[arg-type]
    assert_one_clear_line(result, broken.fault, shown)


@pytest.mark.parametrize(
    ("fault", "command"),
    [
        (fault, command)
        for fault in SCHEMA_STATES
        for command in COMMANDS
        # upgrade and downgrade move the schema: an empty or older one is theirs to fix
        if command not in FIXED_BY or fault is Fault.SCHEMA_NEWER
    ],
)
def test_a_schema_not_at_the_newest_revision_gives_one_line_and_exit_3(
    fault: Fault, command: str, engine: Engine, database_url: str, landing: Path
) -> None:
    if (revision := SCHEMA_STATES[fault]) is not None:
        migrate.upgrade(engine, "0001")
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
    result = invoke(command, database_url, landing)
    shown = engine.url.set(drivername=engine.url.get_backend_name()).render_as_string()
    assert_one_clear_line(result, fault, shown)


def test_a_schema_newer_than_the_code_is_left_as_it_is_by_upgrade_and_downgrade(
    migrated_engine: Engine, database_url: str, landing: Path
) -> None:
    with migrated_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
    for command in ("db upgrade", "db downgrade"):
        assert invoke(command, database_url, landing).exit_code == ExitCode.ENVIRONMENT
    assert migrate.current_revision(migrated_engine) == "ffffffffffff"
    assert "intake_cases" in inspect(migrated_engine).get_table_names()


@pytest.mark.postgres
def test_with_debug_the_traceback_goes_to_the_log_after_the_same_line(
    password_server: PasswordServer, landing: Path
) -> None:
    url = password_server.url(password=WRONG_PASSWORD)
    plain = invoke("users list", url, landing)
    debug = invoke("users list", url, landing, "--debug")
    assert debug.exit_code == plain.exit_code == ExitCode.ENVIRONMENT
    assert "Traceback (most recent call last)" in debug.stderr
    assert "psycopg.OperationalError" in debug.stderr
    assert debug.stderr.splitlines()[-1] == plain.stderr.strip()
    assert WRONG_PASSWORD not in debug.stderr
    after = invoke("users list", url, landing)  # the same process: --debug does not linger
    assert after.stderr == plain.stderr


def test_data_problems_exit_2_and_configuration_problems_exit_3(
    migrated_engine: Engine, database_url: str, tmp_path: Path
) -> None:
    empty = tmp_path / "empty landing"
    empty.mkdir()
    no_files = invoke("run", database_url, empty)
    assert no_files.exit_code == ExitCode.DATA
    assert no_files.stderr.strip() == (
        f"intake: no intake files in {empty}: run `intake seed` to make some."
    )
    unreadable = runner.invoke(app, ["classify", str(tmp_path / "missing.csv")])
    assert unreadable.exit_code == ExitCode.DATA
    mysql = invoke("run", "mysql://x/y", empty)
    assert mysql.exit_code == ExitCode.ENVIRONMENT


def test_the_exit_codes_are_documented_in_intake_help() -> None:
    shown = " ".join(runner.invoke(app, ["--help"], env={"COLUMNS": "200"}).output.split())
    for code in ExitCode:
        assert f" {code.value} " in shown
    assert "your configuration or environment" in shown
    assert "your data" in shown
    assert "--debug" in shown


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(f"postgresql://operator:{PASSWORD}@127.0.0.1:{PORT}/x", id="postgresql"),
        pytest.param("mysql://x/y", id="mysql"),
    ],
)
def test_a_real_intake_process_prints_the_one_line_and_nothing_else(
    url: str, landing: Path
) -> None:
    """The issue's own report: `intake run` on a stopped server printed 450 lines."""
    done = subprocess.run(
        [str(INTAKE), "run", "--landing", str(landing)],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == ExitCode.ENVIRONMENT
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith("intake: database ")


@pytest.mark.postgres
def test_backup_of_postgresql_and_bench_on_a_refusing_server_say_so_in_one_line(
    password_server: PasswordServer, tmp_path: Path
) -> None:
    url = password_server.url()
    backup = runner.invoke(app, ["db", "backup", str(tmp_path / "copy.db"), "--url", url])
    assert backup.exit_code == ExitCode.DATA
    assert backup.stderr.strip() == (
        f"intake: database postgresql://operator:***@127.0.0.1:{password_server.port}/"
        "operator_db is not a SQLite file: back up PostgreSQL with pg_dump -Fc and restore it "
        "with pg_restore (see docs/operations.md)"
    )
    refused = password_server.url(password=WRONG_PASSWORD)
    bench = runner.invoke(app, ["bench", "--db", "postgres", "--postgres-url", refused])
    assert bench.exit_code == ExitCode.ENVIRONMENT
    assert WHAT[Fault.CREDENTIALS_REFUSED] in bench.stderr
    assert len(bench.stderr.splitlines()) == 1
    assert not (tmp_path / "copy.db").exists()


def test_restore_of_a_missing_backup_is_a_data_problem(tmp_path: Path) -> None:
    missing = tmp_path / "no.bak"
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    restore = runner.invoke(app, ["db", "restore", str(missing), "--url", url])
    assert restore.exit_code == ExitCode.DATA
    assert restore.stderr.strip() == f"intake: no backup file {missing}"
