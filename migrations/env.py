"""Alembic environment: the same database URL as the application, batch mode for SQLite, and
one transaction for the whole run."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

from db.engine import make_engine
from db.models import Base

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


@contextmanager
def _sqlite_foreign_keys_off(connection: Connection) -> Iterator[None]:
    """On SQLite, foreign keys not enforced inside the block and enforced again after it."""
    if connection.dialect.name != "sqlite":
        yield
        return
    cursor = connection.connection.cursor()
    try:
        # Outside a transaction only: inside one, SQLite ignores the pragma without a word.
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute("PRAGMA foreign_keys")
        if cursor.fetchone() != (0,):
            raise RuntimeError(
                "SQLite migrations need a connection outside any transaction, to switch foreign"
                " keys off while tables are rebuilt"
            )
        yield
    finally:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _check_sqlite_foreign_keys(connection: Connection) -> None:
    """Refuse (and so roll back) a SQLite run that left a row pointing at nothing."""
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        tables = sorted({f"{row[0]} -> {row[2]}" for row in broken})
        raise RuntimeError(
            f"the migration would leave {len(broken)} rows whose foreign key points at nothing"
            f" ({', '.join(tables)}); rolled back"
        )


def _run(connection: Connection) -> None:
    # A SQLite batch migration rebuilds a table (copy, drop the old one, rename the copy); with
    # foreign keys enforced, dropping a table others refer to refuses, or deletes their rows
    # (ON DELETE CASCADE). So SQLite goes the way it prescribes for changing a table
    # (https://www.sqlite.org/lang_altertable.html#otheralter): foreign keys off, outside any
    # transaction; the migrations in one transaction; `PRAGMA foreign_key_check`, whose least
    # finding rolls the run back; commit; foreign keys on again.
    with _sqlite_foreign_keys_off(connection), connection.begin():
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        _check_sqlite_foreign_keys(connection)


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or None)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported; run against a database.")
run_migrations_online()
