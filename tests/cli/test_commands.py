"""The `intake` command line: every command explains itself, and the schema commands."""

from __future__ import annotations

from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from db import migrate
from pipeline.cli import app

runner = CliRunner()


def _commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command of the tree, as the words that call it (groups and leaves)."""
    if not hasattr(command, "list_commands"):  # typer vendors its own click: no isinstance
        return [path]
    names = command.list_commands(None)
    return [path, *(p for n in names for p in _commands(command.get_command(None, n), (*path, n)))]


COMMANDS = _commands(typer.main.get_command(app))


def test_the_command_tree_is_what_the_docs_promise() -> None:
    top = {path[0] for path in COMMANDS if len(path) == 1}
    promised = {"seed", "classify", "evaluate", "run", "rerun", "bench", "db", "users", "alerts"}
    assert promised | {"rules"} <= top


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "intake")
def test_every_command_explains_itself_with_help(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    described: Any = typer.main.get_command(app)
    for name in path:
        described = described.get_command(None, name)
    assert described.help or described.short_help, f"intake {' '.join(path)} has no help text"


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
