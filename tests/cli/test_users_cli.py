"""`intake users`: add (with a password, prompted or given, or for OIDC), list, remove;
`--if-missing` makes adding the demo administrator idempotent."""

from __future__ import annotations

from sqlalchemy import Engine
from typer.testing import CliRunner

from db import users
from pipeline.cli import app

runner = CliRunner()


def test_adding_a_user_with_a_password_lets_them_sign_in(
    migrated_engine: Engine, database_url: str
) -> None:
    added = runner.invoke(
        app,
        [
            "users",
            "add",
            "ada",
            "--role",
            "admin",
            "--password",
            "long enough pw",
            "--url",
            database_url,
        ],
    )
    assert added.exit_code == 0, added.output
    assert "added admin ada" in added.output
    with migrated_engine.connect() as connection:
        assert users.check_password(connection, "ada", "long enough pw") is not None


def test_the_password_is_prompted_for_twice_and_not_echoed(
    migrated_engine: Engine, database_url: str
) -> None:
    added = runner.invoke(
        app,
        ["users", "add", "vic", "--role", "viewer", "--url", database_url],
        input="a secret phrase\na secret phrase\n",
    )
    assert added.exit_code == 0, added.output
    assert "a secret phrase" not in added.output
    with migrated_engine.connect() as connection:
        assert users.check_password(connection, "vic", "a secret phrase") is not None


def test_if_missing_leaves_an_existing_user_unchanged(
    migrated_engine: Engine, database_url: str
) -> None:
    command = ["users", "add", "demo-admin", "--role", "admin", "--url", database_url]
    assert runner.invoke(app, [*command, "--password", "first password"]).exit_code == 0
    again = runner.invoke(app, [*command, "--password", "other password", "--if-missing"])
    assert again.exit_code == 0
    assert "already exists: unchanged" in again.output
    with migrated_engine.connect() as connection:
        assert users.check_password(connection, "demo-admin", "first password") is not None
    duplicate = runner.invoke(app, [*command, "--password", "other password"])
    assert duplicate.exit_code == 2
    assert "already exists" in duplicate.output


def test_list_shows_roles_and_how_users_sign_in_and_remove_takes_access_away(
    migrated_engine: Engine, database_url: str
) -> None:
    url = ["--url", database_url]
    empty = runner.invoke(app, ["users", "list", *url])
    assert "intake users add NAME --role admin" in empty.output
    runner.invoke(app, ["users", "add", "ann@clinic.example", "--role", "viewer", "--oidc", *url])
    runner.invoke(
        app, ["users", "add", "ada", "--role", "admin", "--password", "long enough pw", *url]
    )
    listed = runner.invoke(app, ["users", "list", *url])
    lines = [line.split("\t")[:3] for line in listed.output.splitlines()]
    assert lines == [["ada", "admin", "password"], ["ann@clinic.example", "viewer", "oidc"]]
    assert runner.invoke(app, ["users", "remove", "ada", *url]).exit_code == 0
    assert runner.invoke(app, ["users", "remove", "ada", *url]).exit_code == 1


def test_a_bad_role_or_short_password_is_refused(
    migrated_engine: Engine, database_url: str
) -> None:
    url = ["--url", database_url]
    bad_role = runner.invoke(
        app, ["users", "add", "x", "--role", "owner", "--password", "p" * 12, *url]
    )
    assert bad_role.exit_code == 2
    short = runner.invoke(
        app, ["users", "add", "x", "--role", "viewer", "--password", "short", *url]
    )
    assert short.exit_code == 2
    assert "at least 10 characters" in short.output


def test_a_generated_password_is_printed_once_and_signs_in(
    migrated_engine: Engine, database_url: str
) -> None:
    command = ["users", "add", "demo-admin", "--role", "admin", "--url", database_url]
    added = runner.invoke(app, [*command, "--generate-password", "--if-missing"])
    assert added.exit_code == 0, added.output
    password = added.output.splitlines()[-1].rsplit(": ", 1)[1]
    with migrated_engine.connect() as connection:
        assert users.check_password(connection, "demo-admin", password) is not None
    again = runner.invoke(app, [*command, "--generate-password", "--if-missing"])
    assert "already exists: unchanged" in again.output
    assert "password for" not in again.output


def test_a_common_password_is_refused_saying_why(
    migrated_engine: Engine, database_url: str
) -> None:
    refused = runner.invoke(
        app,
        [
            "users",
            "add",
            "x",
            "--role",
            "viewer",
            "--password",
            "password12",
            "--url",
            database_url,
        ],
    )
    assert refused.exit_code == 2
    assert "too easy to guess" in refused.output
    assert "password12" not in refused.output


def test_users_commands_say_to_migrate_an_unmigrated_database(database_url: str) -> None:
    listed = runner.invoke(app, ["users", "list", "--url", database_url])
    assert listed.exit_code == 3
    assert "intake db upgrade" in listed.output
