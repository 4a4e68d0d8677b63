"""The `intake` command line: help for every command, and the schema commands."""

from __future__ import annotations

from typer.testing import CliRunner

from db import migrate
from pipeline.cli import app

runner = CliRunner()


def test_help_lists_every_command_with_its_explanation() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "db" in result.output
    for group in ("db", "rules"):
        sub = runner.invoke(app, [group, "--help"])
        assert sub.exit_code == 0, sub.output


def test_db_upgrade_then_status_reports_the_newest_schema(database_url: str) -> None:
    upgraded = runner.invoke(app, ["db", "upgrade", "--url", database_url])
    assert upgraded.exit_code == 0, upgraded.output
    assert f"-> {migrate.head_revision()}" in upgraded.output
    status = runner.invoke(app, ["db", "status", "--url", database_url])
    assert status.exit_code == 0, status.output
    assert "intake_cases" in status.output


def test_db_status_fails_and_says_what_to_run_on_an_unmigrated_database(database_url: str) -> None:
    status = runner.invoke(app, ["db", "status", "--url", database_url])
    assert status.exit_code == 3
    assert "intake db upgrade" in status.output
