"""`intake db ...`: create, upgrade and inspect the database schema; back up and restore a
SQLite database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine, inspect

from db import backup as sqlite_backup
from db import migrate, problems
from db.engine import database_url, make_engine
from pipeline.cli.errors import ExitCode, fail

app = typer.Typer(
    help="Create, upgrade and inspect the database schema (Alembic migrations); back up and "
    "restore a SQLite database."
)

UrlOption = Annotated[
    str | None,
    typer.Option("--url", help="Database URL; default DATABASE_URL, else var/intake.db."),
]


@app.command()
def upgrade(
    url: UrlOption = None,
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Bring the database to the newest schema (creates it if it does not exist)."""
    engine = make_engine(url)
    _refuse_a_newer_schema(engine)
    before = migrate.current_revision(engine)
    migrate.upgrade(engine, revision)
    after = migrate.current_revision(engine)
    target = database_url(url).render_as_string(hide_password=True)
    typer.echo(f"database {target}: schema {before or 'empty'} -> {after}")
    engine.dispose()


@app.command()
def downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. -1 or base.")],
    url: UrlOption = None,
) -> None:
    """Take the schema back to an earlier revision (`base` drops every table)."""
    engine = make_engine(url)
    _refuse_a_newer_schema(engine)
    migrate.downgrade(engine, revision)
    typer.echo(f"schema now at {migrate.current_revision(engine) or 'base (empty)'}")
    engine.dispose()


@app.command()
def status(url: UrlOption = None) -> None:
    """Show which database is used, its schema revision and the tables in it. Exits 3 when
    the schema is not the newest (saying what to run)."""
    engine = make_engine(url)
    current, head = migrate.current_revision(engine), migrate.head_revision()
    typer.echo(f"database: {database_url(url).render_as_string(hide_password=True)}")
    typer.echo(f"schema revision: {current or 'none (run: intake db upgrade)'}; newest: {head}")
    tables = sorted(t for t in inspect(engine).get_table_names() if t != "alembic_version")
    typer.echo(f"tables: {', '.join(tables) or 'none'}")
    problem = problems.schema_of(engine)
    engine.dispose()
    if problem is not None:
        raise problem


def _sqlite_file(url: str | None) -> Path:
    """The SQLite file to back up or restore; a clear exit for any other database."""
    resolved = database_url(url)
    try:
        return sqlite_backup.sqlite_path(resolved)
    except ValueError as error:
        message = (
            f"database {problems.masked(resolved)} is not a SQLite file: back up PostgreSQL "
            "with pg_dump -Fc and restore it with pg_restore (see docs/operations.md)"
        )
        raise fail(message, ExitCode.DATA) from error


def _refuse_a_newer_schema(engine: Engine) -> None:
    """A schema newer than the code cannot be moved by it: say so rather than let Alembic
    fail on a revision it cannot find."""
    problem = problems.schema_of(engine)
    if problem is not None and problem.fault is problems.Fault.SCHEMA_NEWER:
        engine.dispose()
        raise problem


@app.command()
def backup(
    target: Annotated[Path, typer.Argument(help="The backup file to write (must not exist).")],
    url: UrlOption = None,
) -> None:
    """Back up a SQLite database, safely while the pipeline writes to it. (PostgreSQL:
    pg_dump -Fc, see docs/operations.md.)"""
    source = _sqlite_file(url)
    if not source.is_file():
        raise fail(
            f"no database file {source} to back up: check `DATABASE_URL`", ExitCode.ENVIRONMENT
        )
    if target.exists():
        raise fail(f"{target} exists: name a new file for the backup", ExitCode.DATA)
    sqlite_backup.backup(source, target)
    typer.echo(f"backed up {source} to {target}")


@app.command()
def restore(
    backup_file: Annotated[Path, typer.Argument(help="A backup made by `intake db backup`.")],
    url: UrlOption = None,
) -> None:
    """Replace a SQLite database's contents with a backup. Stop the pipeline and the
    dashboard first. (PostgreSQL: pg_restore, see docs/operations.md.)"""
    target = _sqlite_file(url)
    if not backup_file.is_file():
        raise fail(f"no backup file {backup_file}", ExitCode.DATA)
    sqlite_backup.restore(backup_file, target)
    typer.echo(f"restored {target} from {backup_file}")
